import pytest
from django_scopes import ScopeError

from amtsflow.audit import services
from amtsflow.audit.selectors import list_entries
from amtsflow.core.exceptions import PermissionDenied
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import ApiClient

pytestmark = pytest.mark.django_db


def test_list_entries_newest_first(actor_a, fill) -> None:  # noqa: ANN001
    fill(3, actor=actor_a)

    with tenant_scope(actor_a.tenant):
        assert [e.sequence for e in list_entries(actor=actor_a)] == [3, 2, 1]


def test_list_entries_of_one_object(actor_a, fill) -> None:  # noqa: ANN001
    fill(3, actor=actor_a)
    services.record(actor=actor_a, action="document.downloaded", object_type="files.document", object_id="akte-2")
    services.record(actor=actor_a, action="akte.destroyed", object_type="files.akte", object_id="akte-2")

    with tenant_scope(actor_a.tenant):
        history = list_entries(actor=actor_a, object_type="files.akte", object_id="akte-2")
        by_type = list_entries(actor=actor_a, object_type="files.document")
        assert [(e.sequence, e.action) for e in history] == [(5, "akte.destroyed"), (2, "akte.created")]
        assert [e.sequence for e in by_type] == [4]


@pytest.mark.parametrize("role", sorted(Role.values))
def test_every_role_may_read_the_history(tenant_a, make_member, actor_for, role: str) -> None:  # noqa: ANN001
    actor = actor_for(make_member(tenant_a, role))

    with tenant_scope(tenant_a):
        assert list(list_entries(actor=actor)) == []


def test_inactive_member_may_not_read_the_history(tenant_a, make_member, actor_for) -> None:  # noqa: ANN001
    actor = actor_for(make_member(tenant_a, Role.CLERK, is_active=False))

    with tenant_scope(tenant_a), pytest.raises(PermissionDenied):
        list_entries(actor=actor)


def test_api_client_needs_the_audit_read_scope(tenant_a) -> None:  # noqa: ANN001
    without = Actor.for_api_client(ApiClient(tenant=tenant_a, name="x", scopes=["tenants.read"]))
    reader = Actor.for_api_client(ApiClient(tenant=tenant_a, name="y", scopes=["audit.read"]))

    with tenant_scope(tenant_a):
        with pytest.raises(PermissionDenied):
            list_entries(actor=without)
        assert list(list_entries(actor=reader)) == []


def test_list_entries_needs_an_active_tenant(actor_a, fill) -> None:  # noqa: ANN001
    fill(1, actor=actor_a)

    with pytest.raises(ScopeError):
        list(list_entries(actor=actor_a))

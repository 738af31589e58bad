"""Leak test: one tenant's history never shows another tenant's entries."""

import pytest

from amtsflow.audit.selectors import list_entries
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


def test_list_entries_shows_only_the_actors_tenant(actor_a, actor_b, fill) -> None:  # noqa: ANN001
    own = {e.pk for e in fill(3, actor=actor_a)}
    foreign = {e.pk for e in fill(2, actor=actor_b)}

    with tenant_scope(actor_a.tenant):
        visible = {e.pk for e in list_entries(actor=actor_a)}
        same_object = {e.pk for e in list_entries(actor=actor_a, object_type="files.akte", object_id="akte-1")}
    with tenant_scope(actor_b.tenant):
        visible_b = {e.pk for e in list_entries(actor=actor_b)}

    assert visible == own
    assert len(same_object) == 1 and same_object <= own
    assert visible_b == foreign


def test_actor_sees_nothing_while_another_tenant_is_active(actor_a, actor_b, fill) -> None:  # noqa: ANN001
    fill(2, actor=actor_a)
    fill(2, actor=actor_b)

    # Both the scope and the actor's tenant filter apply: a mismatch shows nothing rather than B's rows.
    with tenant_scope(actor_b.tenant):
        assert list(list_entries(actor=actor_a)) == []

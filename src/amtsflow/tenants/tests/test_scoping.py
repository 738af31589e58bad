"""The central isolation mechanism itself: no tenant, no data."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes.exceptions import ScopeError

from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Membership, OrgUnit
from amtsflow.tenants.tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_query_without_tenant_raises(tenant_a) -> None:  # noqa: ANN001
    OrgUnitFactory(tenant=tenant_a)
    with pytest.raises(ScopeError):
        list(OrgUnit.objects.all())
    with pytest.raises(ScopeError):
        Membership.objects.count()


def test_scope_shows_only_active_tenant(tenant_a, tenant_b) -> None:  # noqa: ANN001
    own, foreign = OrgUnitFactory(tenant=tenant_a), OrgUnitFactory(tenant=tenant_b)
    with tenant_scope(tenant_a):
        assert list(OrgUnit.objects.all()) == [own]
        assert not OrgUnit.objects.filter(pk=foreign.pk).exists()


def test_none_tenant_is_refused() -> None:
    with pytest.raises(TypeError), tenant_scope(None):  # type: ignore[arg-type]
        pass


def test_new_objects_take_the_active_tenant_and_cannot_be_written_elsewhere(tenant_a, tenant_b) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        unit = OrgUnit(name="Neu", kind="fachbereich")
        unit.save()
        assert unit.tenant == tenant_a
        with pytest.raises(ValidationError):
            OrgUnit(tenant=tenant_b, name="Fremd", kind="fachbereich").save()

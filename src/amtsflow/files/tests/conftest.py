"""Fixtures of the E-Akte tests: a records manager and a clerk of tenant A, a plan entry, a file, a case."""

import pytest

from amtsflow.files import services
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope


@pytest.fixture(autouse=True)
def _documents_per_test(document_root):  # noqa: ANN001, ANN202
    return document_root


@pytest.fixture
def registrar(tenant_a, make_member, actor_for):  # noqa: ANN001, ANN201
    return actor_for(make_member(tenant_a, Role.RECORDS_MANAGER, Role.CLERK))


@pytest.fixture
def clerk(tenant_a, make_member, actor_for):  # noqa: ANN001, ANN201
    return actor_for(make_member(tenant_a, Role.CLERK))


@pytest.fixture
def plan_entry(tenant_a, registrar):  # noqa: ANN001, ANN201
    with tenant_scope(tenant_a):
        services.create_plan_entry(actor=registrar, number="6", title="Bauen", accepts_files=False)
        return services.create_plan_entry(actor=registrar, number="6.60", title="Straßen", retention_years=10)


@pytest.fixture
def akte(tenant_a, clerk, plan_entry):  # noqa: ANN001, ANN201
    with tenant_scope(tenant_a):
        return services.create_akte(actor=clerk, plan_entry=plan_entry, title="Hauptstraße", year=2026)


@pytest.fixture
def vorgang(tenant_a, clerk, akte):  # noqa: ANN001, ANN201
    with tenant_scope(tenant_a):
        return services.create_vorgang(actor=clerk, akte=akte, subject="Schlagloch")

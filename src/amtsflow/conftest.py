"""Fixtures shared by every app's tests: two tenants, members with roles, logged-in clients, API clients."""

from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from amtsflow.core.permissions import all_scopes
from amtsflow.tenants import services
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Membership, Tenant
from amtsflow.tenants.tests.factories import MembershipFactory, TenantFactory


@pytest.fixture
def tenant_a(db) -> Tenant:  # noqa: ANN001
    return TenantFactory(name="Stadt A", slug="stadt-a")


@pytest.fixture
def tenant_b(db) -> Tenant:  # noqa: ANN001
    return TenantFactory(name="Gemeinde B", slug="gemeinde-b")


@pytest.fixture
def make_member(db) -> Callable[..., Membership]:  # noqa: ANN001
    def make(tenant: Tenant, *roles: str, **kwargs: object) -> Membership:
        return MembershipFactory(tenant=tenant, roles=list(roles) or [Role.CLERK], **kwargs)

    return make


@pytest.fixture
def admin_a(tenant_a, make_member) -> Membership:  # noqa: ANN001
    return make_member(tenant_a, Role.TENANT_ADMIN, Role.CLERK)


@pytest.fixture
def admin_b(tenant_b, make_member) -> Membership:  # noqa: ANN001
    return make_member(tenant_b, Role.TENANT_ADMIN, Role.CLERK)


@pytest.fixture
def actor_for() -> Callable[[Membership], Actor]:
    def make(membership: Membership) -> Actor:
        with tenant_scope(membership.tenant):
            return Actor.for_membership(Membership.objects.prefetch_related("role_assignments").get(pk=membership.pk))

    return make


@pytest.fixture
def login() -> Callable[[Membership], Client]:
    def make(membership: Membership) -> Client:
        client = Client()
        client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def api_client_for(actor_for) -> Callable[..., APIClient]:  # noqa: ANN001
    """An API client of the member's tenant with the given scopes (all scopes by default)."""

    def make(membership: Membership, scopes: list[str] | None = None) -> APIClient:
        actor = actor_for(membership)
        with tenant_scope(membership.tenant):
            _, token = services.create_api_client(
                actor=actor, name="Testsystem", scopes=scopes or [s.code for s in all_scopes()]
            )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


@pytest.fixture
def document_root(tmp_path, settings):  # noqa: ANN001, ANN201
    """Document content of each test in its own directory (apps whose every test files documents use it always)."""
    storages = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        },
    }
    with override_settings(STORAGES=storages):
        yield tmp_path / "documents"

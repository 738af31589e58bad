import pytest
from django_scopes import scopes_disabled

from amtsflow.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from amtsflow.tenants import selectors, services
from amtsflow.tenants.constants import OrgUnitKind, Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import ApiClient, Membership, OrgUnit, Tenant, User
from amtsflow.tenants.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_tenant_creates_first_admin() -> None:
    operator = UserFactory(is_operator=True)
    tenant, membership = services.create_tenant(
        operator=operator,
        name="Stadt Neustadt",
        slug="neustadt",
        ags="09162000",
        leitweg_prefix="091620000",
        admin_username="neu-admin",
        admin_email="admin@neustadt.example",
        admin_password="Sehr-Geheim-2026!",
    )
    assert tenant.ags == "09162000"
    with tenant_scope(tenant):
        assert membership.role_codes == {Role.TENANT_ADMIN}
    assert User.objects.get(username="neu-admin").check_password("Sehr-Geheim-2026!")


def test_create_tenant_requires_operator() -> None:
    with pytest.raises(PermissionDenied):
        services.create_tenant(
            operator=UserFactory(), name="X", slug="x", ags="09162000", admin_username="x", admin_email="x@example.org"
        )
    assert not Tenant.objects.exists()


@pytest.mark.parametrize("ags", ["1234567", "123456789", "0916200A", "17000000", "00123456"])
def test_create_tenant_rejects_invalid_ags(ags: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        services.create_tenant(
            operator=None, name="X", slug="x", ags=ags, admin_username="x", admin_email="x@example.org"
        )
    assert "ags" in error.value.field_errors
    assert not Tenant.objects.exists()
    assert not User.objects.exists()


def test_create_tenant_refuses_duplicate_ags(tenant_a: Tenant) -> None:
    with pytest.raises(ValidationFailed):
        services.create_tenant(
            operator=None, name="Y", slug="y", ags=tenant_a.ags, admin_username="y", admin_email="y@example.org"
        )


def test_weak_admin_password_is_refused_and_nothing_written() -> None:
    with pytest.raises(ValidationFailed) as error:
        services.create_tenant(
            operator=None,
            name="X",
            slug="x",
            ags="09162000",
            admin_username="x",
            admin_email="x@example.org",
            admin_password="123",
        )
    assert "password" in error.value.field_errors
    assert not Tenant.objects.exists()


def test_org_unit_tree_rules(admin_a: Membership, actor_for) -> None:  # noqa: ANN001
    actor = actor_for(admin_a)
    with tenant_scope(admin_a.tenant):
        fb = services.create_org_unit(actor=actor, name="Finanzen", code="2", kind=OrgUnitKind.FACHBEREICH)
        amt = services.create_org_unit(actor=actor, name="Kämmerei", code="20", kind=OrgUnitKind.AMT, parent=fb)
        sg = services.create_org_unit(actor=actor, name="Kasse", code="20.2", kind=OrgUnitKind.SACHGEBIET, parent=amt)
        with pytest.raises(ValidationFailed):  # a Fachbereich cannot sit below an Amt
            services.create_org_unit(actor=actor, name="Falsch", kind=OrgUnitKind.FACHBEREICH, parent=amt)
        with pytest.raises(ValidationFailed):  # no cycles
            services.update_org_unit(actor=actor, unit=fb, name="Finanzen", kind=OrgUnitKind.FACHBEREICH, parent=sg)
        with pytest.raises(Conflict):
            services.create_org_unit(actor=actor, name="Kämmerei", kind=OrgUnitKind.AMT, parent=fb)
        with pytest.raises(Conflict):  # still has sub-units
            services.delete_org_unit(actor=actor, unit=amt)
        assert [(u.name, depth) for u, depth in selectors.org_unit_tree(actor=actor)] == [
            ("Finanzen", 0),
            ("Kämmerei", 1),
            ("Kasse", 2),
        ]


def test_clerk_cannot_manage_org_units(tenant_a: Tenant, make_member, actor_for) -> None:  # noqa: ANN001
    clerk = actor_for(make_member(tenant_a, Role.CLERK))
    with tenant_scope(tenant_a), pytest.raises(PermissionDenied):
        services.create_org_unit(actor=clerk, name="Neu", kind=OrgUnitKind.FACHBEREICH)
    with scopes_disabled():
        assert not OrgUnit.objects.exists()


def test_add_member_reuses_account_across_tenants(admin_a, admin_b, actor_for) -> None:  # noqa: ANN001
    with tenant_scope(admin_a.tenant):
        first = services.add_member(
            actor=actor_for(admin_a), username="pendler", email="p@example.org", roles=[Role.CLERK]
        )
        assert not first.user.has_usable_password()
        with pytest.raises(Conflict):
            services.add_member(actor=actor_for(admin_a), username="pendler", email="p@example.org")
    with tenant_scope(admin_b.tenant):
        second = services.add_member(
            actor=actor_for(admin_b), username="pendler", email="p@example.org", roles=[Role.TREASURY]
        )
    assert first.user_id == second.user_id
    assert {t.slug for t in selectors.list_tenants_of_user(user=first.user)} == {"stadt-a", "gemeinde-b"}


def test_last_admin_cannot_be_removed(admin_a, actor_for) -> None:  # noqa: ANN001
    actor = actor_for(admin_a)
    with tenant_scope(admin_a.tenant):
        with pytest.raises(Conflict):
            services.update_member(actor=actor, membership=admin_a, roles=[Role.CLERK], org_unit=None, is_active=True)
        with pytest.raises(Conflict):
            services.remove_member(actor=actor, membership=admin_a)
        assert Role.TENANT_ADMIN in Membership.objects.get(pk=admin_a.pk).role_codes


def test_unknown_role_is_refused(admin_a, actor_for) -> None:  # noqa: ANN001
    with tenant_scope(admin_a.tenant), pytest.raises(ValidationFailed):
        services.add_member(actor=actor_for(admin_a), username="x", email="x@example.org", roles=["god"])


def test_api_client_token_is_hashed_and_authenticates(admin_a, actor_for) -> None:  # noqa: ANN001
    with tenant_scope(admin_a.tenant):
        client, token = services.create_api_client(actor=actor_for(admin_a), name="ERP", scopes=["tenants.read"])
    assert token not in client.token_hash
    assert selectors.authenticate_api_token(token) == client
    assert selectors.authenticate_api_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert selectors.authenticate_api_token("garbage") is None
    with tenant_scope(admin_a.tenant):
        services.revoke_api_client(actor=actor_for(admin_a), client=client)
    assert selectors.authenticate_api_token(token) is None


def test_api_client_needs_known_scopes(admin_a, actor_for) -> None:  # noqa: ANN001
    with tenant_scope(admin_a.tenant), pytest.raises(ValidationFailed):
        services.create_api_client(actor=actor_for(admin_a), name="ERP", scopes=["everything"])
    with scopes_disabled():
        assert not ApiClient.objects.exists()


def test_invitation_mail_contains_working_link(admin_a, actor_for, mailoutbox, client) -> None:  # noqa: ANN001
    with tenant_scope(admin_a.tenant):
        membership = services.add_member(actor=actor_for(admin_a), username="neu", email="neu@example.org")
    services.send_invitation(membership=membership)
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link[link.index("/accounts/") :]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert b"new_password1" in response.content

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from amtsflow.tenants.constants import Role
from amtsflow.tenants.models import Group, Membership, OrgUnit, Tenant
from amtsflow.tenants.tests.factories import MembershipFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name: str, tenant: Tenant, **kwargs: object) -> str:
    return reverse(f"tenants:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def test_anonymous_is_sent_to_login(tenant_a, client) -> None:  # noqa: ANN001
    response = client.get(url("home", tenant_a))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_shows_empty_task_list_and_roles(admin_a, login) -> None:  # noqa: ANN001
    page = login(admin_a).get(url("home", admin_a.tenant)).content.decode()
    assert "My tasks" in page or "Meine Aufgaben" in page
    assert 'href="#main"' in page  # skip link


def test_root_redirects_to_the_only_tenant(admin_a, login) -> None:  # noqa: ANN001
    response = login(admin_a).get("/")
    assert response["Location"] == url("home", admin_a.tenant)


def test_user_of_two_tenants_chooses(tenant_a, tenant_b, login) -> None:  # noqa: ANN001
    user = UserFactory()
    MembershipFactory(tenant=tenant_a, user=user)
    membership = MembershipFactory(tenant=tenant_b, user=user)
    client = login(membership)
    page = client.get("/").content.decode()
    assert url("home", tenant_a) in page and url("home", tenant_b) in page
    assert client.get(url("home", tenant_b)).status_code == 200


def test_unknown_and_foreign_tenant_look_the_same(admin_a, tenant_b, login) -> None:  # noqa: ANN001
    client = login(admin_a)
    foreign = client.get(url("home", tenant_b))
    unknown = client.get("/t/gibt-es-nicht/")
    assert foreign.status_code == unknown.status_code == 404
    assert tenant_b.name not in foreign.content.decode()


def test_inactive_membership_has_no_access(tenant_a, make_member, login) -> None:  # noqa: ANN001
    membership = make_member(tenant_a, Role.CLERK, is_active=False)
    assert login(membership).get(url("home", tenant_a)).status_code == 404


def test_admin_creates_unit_with_form(admin_a, login) -> None:  # noqa: ANN001
    client = login(admin_a)
    response = client.post(url("org_unit_create", admin_a.tenant), {"name": "Bauamt", "code": "60", "kind": "amt"})
    assert response.status_code == 302
    with scopes_disabled():
        assert OrgUnit.objects.get(tenant=admin_a.tenant).name == "Bauamt"


def test_invalid_unit_form_shows_errors_and_keeps_input(admin_a, login) -> None:  # noqa: ANN001
    parent = OrgUnitFactory(tenant=admin_a.tenant, kind="sachgebiet")
    response = login(admin_a).post(
        url("org_unit_create", admin_a.tenant), {"name": "Neu", "kind": "fachbereich", "parent": str(parent.public_id)}
    )
    assert response.status_code == 400
    assert 'value="Neu"' in response.content.decode()
    assert 'role="alert"' in response.content.decode()


def test_clerk_sees_directory_but_cannot_change_it(tenant_a, make_member, login) -> None:  # noqa: ANN001
    clerk = make_member(tenant_a, Role.CLERK)
    client = login(clerk)
    assert client.get(url("org_unit_list", tenant_a)).status_code == 200
    assert client.get(url("org_unit_create", tenant_a)).status_code == 403
    assert client.post(url("org_unit_create", tenant_a), {"name": "X", "kind": "amt"}).status_code == 403
    assert client.get(url("api_client_list", tenant_a)).status_code == 403
    assert url("api_client_list", tenant_a) not in client.get(url("home", tenant_a)).content.decode()


def test_member_search_returns_fragment_for_htmx(admin_a, tenant_a, make_member, login) -> None:  # noqa: ANN001
    other = make_member(tenant_a, Role.CLERK)
    client = login(admin_a)
    response = client.get(url("member_list", tenant_a), {"q": other.user.last_name}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="member-rows"')
    assert str(other.public_id) in body
    assert str(admin_a.public_id) not in body


def test_admin_adds_member_and_invitation_is_sent(admin_a, login, mailoutbox) -> None:  # noqa: ANN001
    response = login(admin_a).post(
        url("member_create", admin_a.tenant),
        {
            "username": "neue.kollegin",
            "email": "nk@example.org",
            "roles": [Role.CLERK, Role.TREASURY],
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        membership = Membership.objects.get(user__username="neue.kollegin")
        assert membership.role_codes == {Role.CLERK, Role.TREASURY}
    assert mailoutbox[0].to == ["nk@example.org"]


def test_admin_edits_roles_and_group(admin_a, tenant_a, make_member, login) -> None:  # noqa: ANN001
    other = make_member(tenant_a, Role.CLERK)
    client = login(admin_a)
    response = client.post(
        url("member_detail", tenant_a, member_id=other.public_id), {"roles": [Role.RECORDS_MANAGER], "is_active": "on"}
    )
    assert response.status_code == 302
    response = client.post(url("group_create", tenant_a), {"name": "Registratur", "members": [str(other.public_id)]})
    assert response.status_code == 302
    with scopes_disabled():
        assert Membership.objects.get(pk=other.pk).role_codes == {Role.RECORDS_MANAGER}
        assert list(Group.objects.get(name="Registratur").members.all()) == [other]


def test_api_client_token_shown_once_in_ui(admin_a, login) -> None:  # noqa: ANN001
    client = login(admin_a)
    page = client.post(url("api_client_list", admin_a.tenant), {"name": "DMS", "scopes": ["tenants.read"]})
    assert page.status_code == 200
    assert 'id="new-token"' in page.content.decode()
    assert 'id="new-token"' not in client.get(url("api_client_list", admin_a.tenant)).content.decode()


def test_operator_creates_tenant(client, mailoutbox) -> None:  # noqa: ANN001
    operator = UserFactory(is_operator=True)
    client.force_login(operator)
    response = client.post(
        reverse("operator:tenant_create"),
        {
            "name": "Stadt Neuburg",
            "slug": "neuburg",
            "ags": "09185149",
            "admin_username": "nb-admin",
            "admin_email": "it@neuburg.example",
        },
    )
    assert response.status_code == 302
    assert Tenant.objects.filter(slug="neuburg").exists()
    assert mailoutbox[0].to == ["it@neuburg.example"]


def test_operator_pages_hidden_from_others(admin_a, login) -> None:  # noqa: ANN001
    assert login(admin_a).get(reverse("operator:tenant_list")).status_code == 404


def test_invalid_ags_shows_german_error(client) -> None:  # noqa: ANN001
    client.force_login(UserFactory(is_operator=True))
    response = client.post(
        reverse("operator:tenant_create"),
        {"name": "X", "slug": "x", "ags": "123", "admin_username": "x", "admin_email": "x@example.org"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert "8 Ziffern" in response.content.decode()


def test_security_headers(admin_a, login) -> None:  # noqa: ANN001
    response = login(admin_a).get(url("home", admin_a.tenant))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def _png(size: tuple[int, int] = (40, 20)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 79, 138)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_admin_uploads_logo_and_members_see_it(admin_a, tenant_a, make_member, login, settings, tmp_path) -> None:  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = login(admin_a)
    response = client.post(
        url("profile", tenant_a),
        {
            "contact_email": "rathaus@a.example",
            "logo": SimpleUploadedFile("wappen.png", _png(), "image/png"),
        },
    )
    assert response.status_code == 302
    tenant_a.refresh_from_db()
    assert tenant_a.contact_email == "rathaus@a.example"
    clerk = login(make_member(tenant_a, Role.CLERK))
    logo = clerk.get(url("logo", tenant_a))
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert clerk.get(url("profile", tenant_a)).status_code == 403


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("wappen.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("wappen.png", b"MZ\x90\x00 not an image"),
        ("riesig.png", b"\x89PNG" + b"0" * (1024 * 1024 + 1)),
    ],
)
def test_bad_logo_is_refused_with_message(admin_a, tenant_a, login, settings, tmp_path, name, content) -> None:  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = login(admin_a).post(
        url("profile", tenant_a),
        {
            "contact_email": "neu@a.example",
            "logo": SimpleUploadedFile(name, content, "image/png"),
        },
    )
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    tenant_a.refresh_from_db()
    assert not tenant_a.logo
    assert tenant_a.contact_email != "neu@a.example"
    assert not list(tmp_path.rglob("*.*"))

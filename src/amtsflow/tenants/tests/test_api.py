import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from amtsflow.tenants.constants import Role
from amtsflow.tenants.models import OrgUnit
from amtsflow.tenants.tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_api_requires_token() -> None:
    response = APIClient().get(reverse("tenants-api:org-unit-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_invalid_token_is_refused(tenant_a) -> None:  # noqa: ANN001
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token af_deadbeef_nope")
    assert client.get(reverse("tenants-api:org-unit-list")).status_code == 401


def test_tenant_endpoint_shows_own_tenant(admin_a, api_client_for) -> None:  # noqa: ANN001
    body = api_client_for(admin_a).get(reverse("tenants-api:tenant")).json()
    assert body["slug"] == "stadt-a"


def test_create_update_delete_org_unit(admin_a, api_client_for) -> None:  # noqa: ANN001
    client = api_client_for(admin_a)
    created = client.post(
        reverse("tenants-api:org-unit-list"), {"name": "Finanzen", "code": "2", "kind": "fachbereich"}, format="json"
    )
    assert created.status_code == 201, created.content
    unit_id = created.json()["id"]
    child = client.post(
        reverse("tenants-api:org-unit-list"), {"name": "Kämmerei", "kind": "amt", "parent": unit_id}, format="json"
    )
    assert child.status_code == 201
    assert child.json()["parent"] == unit_id
    bad = client.post(
        reverse("tenants-api:org-unit-list"),
        {"name": "X", "kind": "fachbereich", "parent": child.json()["id"]},
        format="json",
    )
    assert bad.status_code == 400
    assert "parent" in bad.json()["errors"]
    conflict = client.delete(reverse("tenants-api:org-unit-detail", kwargs={"id": unit_id}))
    assert conflict.status_code == 409
    assert client.delete(reverse("tenants-api:org-unit-detail", kwargs={"id": child.json()["id"]})).status_code == 204


def test_foreign_parent_is_a_field_error(admin_a, tenant_b, api_client_for) -> None:  # noqa: ANN001
    foreign = OrgUnitFactory(tenant=tenant_b)
    response = api_client_for(admin_a).post(
        reverse("tenants-api:org-unit-list"),
        {"name": "X", "kind": "amt", "parent": str(foreign.public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"parent": ["Unknown ID."]} or "parent" in response.json()["errors"]
    with scopes_disabled():
        assert OrgUnit.objects.filter(tenant=admin_a.tenant).count() == 0


def test_read_scope_cannot_write(admin_a, api_client_for) -> None:  # noqa: ANN001
    client = api_client_for(admin_a, scopes=["tenants.read"])
    assert client.get(reverse("tenants-api:org-unit-list")).status_code == 200
    response = client.post(reverse("tenants-api:org-unit-list"), {"name": "X", "kind": "fachbereich"}, format="json")
    assert response.status_code == 403
    assert client.get(reverse("tenants-api:api-client-list")).status_code == 403


def test_members_and_groups_round_trip(admin_a, api_client_for) -> None:  # noqa: ANN001
    client = api_client_for(admin_a)
    member = client.post(
        reverse("tenants-api:member-list"),
        {"username": "k.klein", "email": "k@example.org", "roles": [Role.CLERK]},
        format="json",
    )
    assert member.status_code == 201, member.content
    member_id = member.json()["id"]
    updated = client.put(
        reverse("tenants-api:member-detail", kwargs={"id": member_id}),
        {"roles": [Role.CLERK, Role.TREASURY], "is_active": True},
        format="json",
    )
    assert updated.json()["roles"] == ["clerk", "treasury"]
    group = client.post(
        reverse("tenants-api:group-list"), {"name": "Rechnungsprüfung", "members": [member_id]}, format="json"
    )
    assert group.status_code == 201
    assert group.json()["members"] == [member_id]
    listed = client.get(reverse("tenants-api:member-list")).json()
    assert {m["username"] for m in listed["results"]} >= {"k.klein", admin_a.user.username}


def test_api_client_create_shows_token_once(admin_a, api_client_for) -> None:  # noqa: ANN001
    client = api_client_for(admin_a)
    created = client.post(
        reverse("tenants-api:api-client-list"), {"name": "Finanzsoftware", "scopes": ["tenants.read"]}, format="json"
    )
    assert created.status_code == 201
    token = created.json()["token"]
    detail = client.get(reverse("tenants-api:api-client-detail", kwargs={"id": created.json()["id"]})).json()
    assert "token" not in detail
    new_client = APIClient()
    new_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert new_client.get(reverse("tenants-api:tenant")).status_code == 200
    client.post(reverse("tenants-api:api-client-revoke", kwargs={"id": created.json()["id"]}))
    assert new_client.get(reverse("tenants-api:tenant")).status_code == 401


def test_schema_documents_every_endpoint(client) -> None:  # noqa: ANN001
    response = client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/tenant/",
        "/api/v1/org-units/",
        "/api/v1/org-units/{id}/",
        "/api/v1/members/",
        "/api/v1/groups/",
        "/api/v1/api-clients/",
        "/api/v1/api-clients/{id}/revoke/",
    ]:
        assert path in paths, path
    assert "apiClientToken" in response.json()["components"]["securitySchemes"]


def test_api_docs_are_served_offline(client) -> None:  # noqa: ANN001
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    assert b"swagger-ui" in page.content
    assert b"https://" not in page.content.split(b"<body")[0]  # assets come from our own static files


def test_schema_is_valid_without_warnings(tmp_path) -> None:  # noqa: ANN001
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/members/" in (tmp_path / "schema.yaml").read_text()


def test_update_tenant_contact_data(admin_a, api_client_for) -> None:  # noqa: ANN001
    client = api_client_for(admin_a)
    response = client.put(
        reverse("tenants-api:tenant"),
        {"contact_email": "buergerbuero@a.example", "contact_phone": "+49 711 1234"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["contact_email"] == "buergerbuero@a.example"
    bad = client.put(reverse("tenants-api:tenant"), {"contact_email": "kein-mail"}, format="json")
    assert bad.status_code == 400
    read_only = api_client_for(admin_a, scopes=["tenants.read"])
    assert read_only.put(reverse("tenants-api:tenant"), {}, format="json").status_code == 403

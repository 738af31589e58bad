from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from amtsflow.tenants.constants import Role
from amtsflow.tenants.demo import DEMO_PASSWORD
from amtsflow.tenants.models import Membership, OrgUnit, Tenant, User

pytestmark = pytest.mark.django_db


def test_create_tenant_command() -> None:
    out = StringIO()
    call_command(
        "create_tenant",
        "--name",
        "Stadt Neustadt",
        "--slug",
        "neustadt",
        "--ags",
        "09162000",
        "--admin-username",
        "nadmin",
        "--admin-email",
        "it@neustadt.example",
        "--admin-password",
        "Ein-Langes-Passwort-42",
        stdout=out,
    )
    assert "neustadt" in out.getvalue()
    assert User.objects.get(username="nadmin").check_password("Ein-Langes-Passwort-42")


def test_create_tenant_command_reports_invalid_input() -> None:
    with pytest.raises(CommandError, match="ags"):
        call_command(
            "create_tenant",
            "--name",
            "X",
            "--slug",
            "x",
            "--ags",
            "42",
            "--admin-username",
            "x",
            "--admin-email",
            "x@example.org",
            "--invite",
        )
    assert not Tenant.objects.exists()


def test_create_tenant_command_invites_without_password(mailoutbox) -> None:  # noqa: ANN001
    call_command(
        "create_tenant",
        "--name",
        "X",
        "--slug",
        "x",
        "--ags",
        "09162000",
        "--admin-username",
        "x",
        "--admin-email",
        "x@example.org",
        "--invite",
        stdout=StringIO(),
    )
    assert mailoutbox[0].to == ["x@example.org"]


def test_load_demo_is_complete_and_repeatable(client) -> None:  # noqa: ANN001
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=StringIO())
    assert DEMO_PASSWORD in out.getvalue()
    musterstadt = Tenant.objects.get(slug="musterstadt")
    with scopes_disabled():
        roles = set(Membership.objects.filter(tenant=musterstadt).values_list("role_assignments__role", flat=True))
        assert roles >= set(Role.values)
        assert OrgUnit.objects.filter(tenant=musterstadt).count() == 15
    assert Tenant.objects.count() == 2
    assert (
        client.post("/accounts/login/", {"username": "sachbearbeitung", "password": DEMO_PASSWORD}).status_code == 302
    )
    assert client.get("/t/musterstadt/").status_code == 200
    assert client.get("/t/beispielhausen/").status_code == 404

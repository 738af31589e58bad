"""Management commands of the E-Akte: verify_storage, export_package, import_package, disposal."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from amtsflow.audit.models import AuditEntry
from amtsflow.files import services
from amtsflow.files.constants import AkteState, DisposalAction
from amtsflow.files.models import Akte, Blob, DisposalList, DisposalListState
from amtsflow.files.services import retention
from amtsflow.files.tests.test_retention import FUTURE, closed_file
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_verify_storage_reports_ok_then_names_tampered_and_missing_blobs(
    tenant_a, clerk, vorgang, document_root
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        services.file_document(actor=clerk, vorgang=vorgang, upload=b"Antrag\n", filename="antrag.txt")
        services.file_document(actor=clerk, vorgang=vorgang, upload=b"Bescheid\n", filename="bescheid.txt")
    assert run("verify_storage") == "OK: 2 blobs\n"
    assert run("verify_storage", "--tenant", tenant_a.slug) == "OK: 2 blobs\n"
    with scopes_disabled():
        tampered, deleted = Blob.objects.order_by("pk")
    (document_root / tampered.storage_name).write_bytes(b"Antrag!\n")
    (document_root / deleted.storage_name).unlink()
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 of 2 blobs") as failed:
        call_command("verify_storage", stdout=out)
    assert failed.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert any(line.startswith("HASH MISMATCH") and tampered.storage_name in line for line in lines)
    assert any(line.startswith("MISSING") and deleted.storage_name in line for line in lines)
    with pytest.raises(CommandError, match="Unknown tenant"):
        call_command("verify_storage", "--tenant", "nirgendwo")


def test_export_and_import_package_commands(
    tenant_a, tenant_b, registrar, make_member, actor_for, akte, vorgang, clerk, tmp_path
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        services.file_document(actor=clerk, vorgang=vorgang, upload=b"Antrag\n", filename="antrag.txt")
    target = tmp_path / "akte.zip"
    user_a = registrar.user.username
    out = run("export_package", "--tenant", tenant_a.slug, "--as", user_a, akte.aktenzeichen, "-o", str(target))
    assert akte.aktenzeichen in out and target.read_bytes()[:2] == b"PK"
    with scopes_disabled():
        assert AuditEntry.objects.filter(tenant=tenant_a, action="package.exported", actor_user=registrar.user).exists()

    importer = actor_for(make_member(tenant_b, Role.RECORDS_MANAGER))
    out = run("import_package", "--tenant", tenant_b.slug, "--as", importer.user.username, str(target))
    assert out == f"imported {akte.aktenzeichen} {akte.title}\n"
    with tenant_scope(tenant_b):
        assert Akte.objects.get().aktenzeichen == akte.aktenzeichen
    with pytest.raises(CommandError, match="exist already"):
        call_command("import_package", "--tenant", tenant_b.slug, "--as", importer.user.username, str(target))
    broken = tmp_path / "kaputt.zip"
    broken.write_bytes(b"kein zip")
    with pytest.raises(CommandError, match="The package was refused"):
        call_command("import_package", "--tenant", tenant_b.slug, "--as", importer.user.username, str(broken))


def test_commands_act_only_as_members_of_the_tenant(tenant_a, tenant_b, registrar, akte, tmp_path) -> None:  # noqa: ANN001
    target = str(tmp_path / "x.zip")
    with pytest.raises(CommandError, match="no active member of gemeinde-b"):
        call_command("export_package", "--tenant", tenant_b.slug, "--as", registrar.user.username, "1", "-o", target)
    with pytest.raises(CommandError, match="no active member"):
        call_command("disposal", "--tenant", tenant_a.slug, "--as", "niemand")
    with pytest.raises(CommandError):  # --as is required: there is no anonymous system actor
        call_command("disposal", "--tenant", tenant_a.slug)
    with pytest.raises(CommandError, match="Unknown file"):
        call_command(
            "export_package", "--tenant", tenant_a.slug, "--as", registrar.user.username, "9/9/9", "-o", target
        )


def test_disposal_command_lists_creates_approves_and_executes(tenant_a, clerk, registrar, monkeypatch) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        entry = services.create_plan_entry(
            actor=registrar, number="1.10", title="Personal", retention_years=1, disposal_action=DisposalAction.DESTROY
        )
        doomed = closed_file(clerk, entry, "Personalakte A", [("a.txt", b"A\n")])
        held = closed_file(clerk, entry, "Personalakte B", [("b.txt", b"B\n")])
        services.set_legal_hold(actor=registrar, akte=held, hold=True, reason="Klage")
    base = ["disposal", "--tenant", tenant_a.slug, "--as", registrar.user.username]
    assert run(*base).endswith("0 files due\n")
    listing = run(*base, "--as-of", FUTURE.isoformat())
    assert f"{held.aktenzeichen}" in listing and "BLOCKED (legal hold)" in listing and "2 files due" in listing
    created = run(*base, "--as-of", FUTURE.isoformat(), "--create")
    list_id = re.search(r"created ([0-9a-f-]{36})", created)[1]
    assert doomed.aktenzeichen in created and held.aktenzeichen not in created
    with pytest.raises(CommandError, match="draft"):
        call_command(*base, "--execute", list_id)
    assert run(*base, "--approve", list_id) == f"approved {list_id}\n"
    monkeypatch.setattr(retention, "_today", lambda: FUTURE)
    assert run(*base, "--execute", list_id) == f"destroyed {doomed.aktenzeichen}\n"
    with tenant_scope(tenant_a):
        assert Akte.objects.get(pk=doomed.pk).state == AkteState.DESTROYED
        assert DisposalList.objects.get(public_id=list_id).state == DisposalListState.EXECUTED
    clerk_user = clerk.user.username
    with pytest.raises(CommandError, match="nicht berechtigt|not allowed"):
        call_command("disposal", "--tenant", tenant_a.slug, "--as", clerk_user)

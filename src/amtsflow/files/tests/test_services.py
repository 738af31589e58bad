import pytest
from django_scopes import scopes_disabled

from amtsflow.audit.models import AuditEntry
from amtsflow.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from amtsflow.files import selectors, services
from amtsflow.files.constants import AkteState, Confidentiality, VorgangStatus
from amtsflow.files.models import Akte, Blob, Document, DocumentVersion
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


def test_plan_entry_parent_follows_number(tenant_a, registrar, plan_entry) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        child = services.create_plan_entry(actor=registrar, number="6.60.01", title="Unterhaltung")
        assert child.parent == plan_entry
        assert plan_entry.parent.number == "6"
        with pytest.raises(Conflict):
            services.create_plan_entry(actor=registrar, number="6.60.01", title="Doppelt")


def test_clerk_cannot_change_plan(tenant_a, clerk) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a), pytest.raises(PermissionDenied):
        services.create_plan_entry(actor=clerk, number="1", title="X")


def test_plan_csv_round_trip_and_all_or_nothing(tenant_a, registrar, plan_entry) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        exported = services.export_plan_csv(actor=registrar)
        assert "6.60;Straßen;6;10;archive;1" in exported
        created, updated = services.import_plan_csv(
            actor=registrar,
            content="number;title;retention_years;disposal_action\n6.60.01;Unterhaltung;5;destroy\n"
            "6.60;Straßen und Wege;10;archive\n",
        )
        assert (created, updated) == (1, 1)
        with pytest.raises(ValidationFailed) as error:
            services.import_plan_csv(actor=registrar, content="number;title;retention_years\n7;Neu;5\n8;Kaputt;viele\n")
        assert "line 3" in error.value.field_errors
        assert not selectors.list_plan_entries(actor=registrar).filter(number="7").exists()


def test_reference_numbers_are_sequential_per_entry_and_year(tenant_a, clerk, plan_entry) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        refs = [
            services.create_akte(actor=clerk, plan_entry=plan_entry, title=f"A{i}", year=2026).aktenzeichen
            for i in range(3)
        ]
        other_year = services.create_akte(actor=clerk, plan_entry=plan_entry, title="B", year=2027)
    assert refs == ["6.60/2026/0001", "6.60/2026/0002", "6.60/2026/0003"]
    assert other_year.aktenzeichen == "6.60/2027/0001"


def test_files_only_under_entries_that_take_them(tenant_a, clerk, plan_entry) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a), pytest.raises(ValidationFailed):
        services.create_akte(actor=clerk, plan_entry=plan_entry.parent, title="X")


def test_failed_creation_leaves_no_gap(tenant_a, clerk, plan_entry) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        with pytest.raises(ValidationFailed):
            services.create_akte(actor=clerk, plan_entry=plan_entry, title="x" * 400, year=2026)
        assert services.create_akte(actor=clerk, plan_entry=plan_entry, title="ok", year=2026).sequence == 1


def test_confidential_file_visible_to_named_members_only(
    tenant_a, make_member, actor_for, clerk, plan_entry, api_client_for
) -> None:  # noqa: ANN001
    colleague = actor_for(make_member(tenant_a, Role.CLERK))
    with tenant_scope(tenant_a):
        secret = services.create_akte(
            actor=clerk, plan_entry=plan_entry, title="Disziplinarsache", confidentiality=Confidentiality.CONFIDENTIAL
        )
        assert selectors.list_akten(actor=clerk).filter(pk=secret.pk).exists()  # creator is named automatically
        assert not selectors.list_akten(actor=colleague).filter(pk=secret.pk).exists()
        services.update_akte(
            actor=clerk,
            akte=secret,
            title=secret.title,
            confidentiality=secret.confidentiality,
            permitted_members=[colleague.membership],
        )
        assert selectors.list_akten(actor=colleague).filter(pk=secret.pk).exists()


def test_file_document_stores_content_once_and_versions(tenant_a, clerk, vorgang, document_root) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        first = services.file_document(
            actor=clerk, vorgang=vorgang, upload=b"Antrag auf Sondernutzung\n", filename="antrag.txt"
        )
        second = services.file_document(
            actor=clerk, vorgang=vorgang, upload=b"Antrag auf Sondernutzung\n", filename="kopie.txt"
        )
        assert Blob.objects.count() == 1
        v2 = services.add_version(
            actor=clerk, document=first, upload=b"Antrag, ergaenzt\n", filename="antrag.txt", comment="ergänzt"
        )
        assert v2.number == 2
        assert [v.number for v in first.versions.order_by("number")] == [1, 2]
        assert first.versions.get(number=1).blob.sha256 != v2.blob.sha256
        assert second.versions.get().filename == "kopie.txt"
        assert len(list(document_root.rglob("*"))) >= 2


def test_refused_upload_writes_nothing(tenant_a, clerk, vorgang) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        with pytest.raises(ValidationFailed):
            services.file_document(
                actor=clerk, vorgang=vorgang, upload=b"MZ\x90\x00" + b"\x00" * 200, filename="rechnung.pdf"
            )
        assert not Document.objects.exists()
        assert not Blob.objects.exists()


def test_check_out_blocks_other_editors(tenant_a, make_member, actor_for, clerk, vorgang) -> None:  # noqa: ANN001
    other = actor_for(make_member(tenant_a, Role.CLERK))
    with tenant_scope(tenant_a):
        document = services.file_document(actor=clerk, vorgang=vorgang, upload=b"Brief\n", filename="brief.txt")
        services.check_out(actor=clerk, document=document)
        with pytest.raises(Conflict):
            services.add_version(actor=other, document=document, upload=b"Andere\n", filename="brief.txt")
        with pytest.raises(Conflict):
            services.check_out(actor=other, document=document)
        services.check_in(actor=clerk, document=document, upload=b"Brief, fertig\n", filename="brief.txt")
        assert DocumentVersion.objects.filter(document=document).count() == 2
        services.add_version(actor=other, document=document, upload=b"Danach\n", filename="brief.txt")


def test_closing_starts_retention_and_freezes(tenant_a, clerk, akte, vorgang) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        with pytest.raises(Conflict):  # open case
            services.close_akte(actor=clerk, akte=akte)
        services.update_vorgang(actor=clerk, vorgang=vorgang, status=VorgangStatus.DONE)
        closed = services.close_akte(actor=clerk, akte=akte)
        assert closed.state == AkteState.CLOSED
        assert closed.retention_until.year == closed.closed_at.year + 10
        with pytest.raises(Conflict):
            services.create_vorgang(actor=clerk, akte=akte, subject="zu spät")


def test_legal_hold_needs_reason_and_records_manager(tenant_a, clerk, registrar, akte) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        with pytest.raises(PermissionDenied):
            services.set_legal_hold(actor=clerk, akte=akte, hold=True, reason="Klage")
        with pytest.raises(ValidationFailed):
            services.set_legal_hold(actor=registrar, akte=akte, hold=True)
        assert services.set_legal_hold(actor=registrar, akte=akte, hold=True, reason="Klage anhängig").legal_hold


def test_every_change_is_audited(tenant_a, clerk, vorgang) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        document = services.file_document(actor=clerk, vorgang=vorgang, upload=b"Brief\n", filename="brief.txt")
        services.record_download(actor=clerk, version=document.versions.get())
    with scopes_disabled():
        actions = list(AuditEntry.objects.filter(tenant=tenant_a).order_by("sequence").values_list("action", flat=True))
    assert actions[-4:] == ["akte.created", "vorgang.created", "document.created", "document.downloaded"]
    assert {"aktenplan.created", "akte.created", "vorgang.created", "document.created", "document.downloaded"} <= set(
        actions
    )


def test_email_becomes_mail_and_attachments(tenant_a, clerk, vorgang) -> None:  # noqa: ANN001
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"] = "Bürgerin <buergerin@example.org>"
    mail["To"] = "tiefbauamt@musterstadt.example"
    mail["Subject"] = "Schaden an der Brücke"
    mail["Date"] = "Mon, 23 Nov 2026 09:15:00 +0100"
    mail.set_content("Sehr geehrte Damen und Herren,\nanbei Fotos des Schadens.\n")
    mail.add_attachment(b"Gelaender locker\n", maintype="text", subtype="plain", filename="notiz.txt")
    with tenant_scope(tenant_a):
        document = services.file_document(actor=clerk, vorgang=vorgang, upload=mail.as_bytes(), filename="mail.eml")
        assert document.title == "Schaden an der Brücke"
        assert [a.title for a in document.attachments.all()] == ["notiz"]
        assert Akte.objects.count() == 1

"""Staff UI of the E-Akte: every page and form as a clerk and as a records manager, denial, isolation, uploads."""

from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from amtsflow.audit.models import AuditEntry
from amtsflow.files import services
from amtsflow.files.constants import AkteState, Confidentiality, ExtractionState, VorgangStatus
from amtsflow.files.models import Akte, AktenplanEntry, Document, DocumentVersion, Party, Vorgang
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant

pytestmark = pytest.mark.django_db

EXECUTABLE = b"MZ\x90\x00" + b"\x00" * 508
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, tenant: Tenant, **kwargs: object) -> str:
    return reverse(f"files:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def text_file(name: str = "notiz.txt", content: bytes = b"Bitte Schlagloch ausbessern.\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture
def admin(tenant_a, make_member, actor_for):  # noqa: ANN001, ANN201
    """Sees files and maintains the plan, but files nothing (no working role)."""
    return actor_for(make_member(tenant_a, Role.TENANT_ADMIN))


@pytest.fixture
def document(tenant_a, clerk, vorgang):  # noqa: ANN001, ANN201
    with tenant_scope(tenant_a):
        return services.file_document(
            actor=clerk, vorgang=vorgang, upload=b"Erster Stand\n", filename="bericht.txt", title="Bericht"
        )


def actions(tenant: Tenant) -> list[str]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(tenant=tenant).values_list("action", flat=True))


# --- File plan -------------------------------------------------------------------------------------------
def test_plan_shows_indented_tree_to_everybody_and_tools_to_records_managers(
    tenant_a, registrar, clerk, plan_entry, login
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        services.create_plan_entry(actor=registrar, number="6.60.01", title="Unterhaltung", retention_years=5)
    manager_page = login(registrar.membership).get(url("plan_list", tenant_a)).content.decode()
    assert '<span class="indent-2">' in manager_page and "6.60.01 Unterhaltung" in manager_page
    assert url("plan_export", tenant_a) in manager_page and url("plan_import", tenant_a) in manager_page
    clerk_page = login(clerk.membership).get(url("plan_list", tenant_a)).content.decode()
    assert "6.60.01 Unterhaltung" in clerk_page
    assert url("plan_export", tenant_a) not in clerk_page and url("plan_import", tenant_a) not in clerk_page


def test_records_manager_creates_and_edits_plan_entries(tenant_a, registrar, plan_entry, login) -> None:  # noqa: ANN001
    client = login(registrar.membership)
    assert client.get(url("plan_create", tenant_a)).status_code == 200
    response = client.post(
        url("plan_create", tenant_a),
        {
            "number": "6.60.02",
            "title": "Winterdienst",
            "retention_years": "6",
            "disposal_action": "destroy",
            "accepts_files": "on",
        },
    )
    assert response.status_code == 302
    duplicate = client.post(
        url("plan_create", tenant_a),
        {"number": "6.60.02", "title": "Nochmal", "retention_years": "6", "disposal_action": "destroy"},
    )
    assert duplicate.status_code == 400 and "6.60.02" in duplicate.content.decode()
    edit = client.post(
        url("plan_edit", tenant_a, entry_id=plan_entry.public_id),
        {"title": "Straßen und Wege", "retention_years": "12", "disposal_action": "archive", "is_active": "on"},
    )
    assert edit.status_code == 302
    with scopes_disabled():
        assert AktenplanEntry.objects.get(tenant=tenant_a, number="6.60.02").parent == plan_entry
        changed = AktenplanEntry.objects.get(pk=plan_entry.pk)
    assert (changed.title, changed.retention_years, changed.accepts_files) == ("Straßen und Wege", 12, False)


def test_plan_csv_export_and_import(tenant_a, registrar, plan_entry, login) -> None:  # noqa: ANN001
    client = login(registrar.membership)
    export = client.get(url("plan_export", tenant_a))
    assert export["Content-Disposition"] == 'attachment; filename="aktenplan.csv"'
    assert "6.60;Straßen" in export.content.decode()
    good = SimpleUploadedFile("plan.csv", "number;title;retention_years\n6.70;Brücken;30\n".encode("cp1252"))
    assert client.post(url("plan_import", tenant_a), {"import-file": good}).status_code == 302
    bad = SimpleUploadedFile("plan.csv", b"number;title;retention_years\n7;Neu;5\n8;Kaputt;viele\n")
    response = client.post(url("plan_import", tenant_a), {"import-file": bad})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    with scopes_disabled():
        assert AktenplanEntry.objects.get(tenant=tenant_a, number="6.70").title == "Brücken"  # read as Windows-1252
        assert not AktenplanEntry.objects.filter(tenant=tenant_a, number="7").exists()


def test_clerk_may_not_maintain_the_plan(tenant_a, clerk, plan_entry, login) -> None:  # noqa: ANN001
    client = login(clerk.membership)
    assert client.get(url("plan_create", tenant_a)).status_code == 403
    assert client.get(url("plan_edit", tenant_a, entry_id=plan_entry.public_id)).status_code == 403
    csv = SimpleUploadedFile("plan.csv", b"number;title\n9;X\n")
    assert client.post(url("plan_import", tenant_a), {"import-file": csv}).status_code == 403


# --- Files (Akten) ---------------------------------------------------------------------------------------
def test_file_list_filters_by_state_and_plan_entry_with_htmx(tenant_a, registrar, clerk, akte, login) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        other_entry = services.create_plan_entry(actor=registrar, number="6.70", title="Brücken")
        bridge = services.create_akte(actor=clerk, plan_entry=other_entry, title="Brücke Mühlbach")
        services.close_akte(actor=clerk, akte=bridge)
    client = login(clerk.membership)
    page = client.get(url("akte_list", tenant_a)).content.decode()
    assert akte.aktenzeichen in page and bridge.aktenzeichen in page and 'role="status"' in page
    closed = client.get(url("akte_list", tenant_a), {"state": AkteState.CLOSED}, **HTMX).content.decode()
    assert "<html" not in closed and bridge.aktenzeichen in closed and akte.aktenzeichen not in closed
    assert 'hx-swap-oob="innerHTML"' in closed  # the count in the status region follows
    heading = client.get(url("akte_list", tenant_a), {"plan_entry": str(akte.plan_entry.parent.public_id)})
    assert akte.aktenzeichen in heading.content.decode() and bridge.aktenzeichen in heading.content.decode()
    leaf = client.get(url("akte_list", tenant_a), {"plan_entry": str(akte.plan_entry.public_id)}).content.decode()
    assert akte.aktenzeichen in leaf and bridge.aktenzeichen not in leaf


def test_clerk_creates_file_under_an_entry_that_takes_files(tenant_a, clerk, plan_entry, login) -> None:  # noqa: ANN001
    client = login(clerk.membership)
    form = client.get(url("akte_create", tenant_a)).content.decode()
    assert plan_entry.title in form and "6 Bauen" not in form  # the heading takes no files
    response = client.post(
        url("akte_create", tenant_a),
        {"plan_entry": str(plan_entry.public_id), "title": "Radweg Nord", "confidentiality": Confidentiality.NORMAL},
    )
    assert response.status_code == 302
    with scopes_disabled():
        created = Akte.objects.get(tenant=tenant_a, title="Radweg Nord")
    assert response["Location"] == url("akte_detail", tenant_a, akte_id=created.public_id)
    assert created.aktenzeichen.startswith("6.60/")
    missing = client.post(url("akte_create", tenant_a), {"title": "Ohne Plan", "confidentiality": "normal"})
    assert missing.status_code == 400


def test_member_without_working_role_cannot_create_files_or_cases(tenant_a, admin, akte, login) -> None:  # noqa: ANN001
    client = login(admin.membership)
    assert client.get(url("akte_detail", tenant_a, akte_id=akte.public_id)).status_code == 200
    assert client.get(url("akte_create", tenant_a)).status_code == 403
    assert client.get(url("akte_edit", tenant_a, akte_id=akte.public_id)).status_code == 403
    response = client.post(url("vorgang_create", tenant_a, akte_id=akte.public_id), {"vorgang-subject": "X"})
    assert response.status_code == 403
    assert client.post(url("akte_close", tenant_a, akte_id=akte.public_id)).status_code == 403


def test_confidential_file_is_invisible_to_a_clerk_not_named_on_it(
    tenant_a, clerk, make_member, plan_entry, login
) -> None:  # noqa: ANN001
    named, outsider = make_member(tenant_a, Role.CLERK), make_member(tenant_a, Role.CLERK)
    response = login(clerk.membership).post(
        url("akte_create", tenant_a),
        {
            "plan_entry": str(plan_entry.public_id),
            "title": "Personalsache Meier",
            "confidentiality": Confidentiality.CONFIDENTIAL,
            "permitted_members": [str(named.public_id)],
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        secret = Akte.objects.get(tenant=tenant_a, title="Personalsache Meier")
        assert set(secret.permitted_members.all()) == {clerk.membership, named}
    with tenant_scope(tenant_a):
        case = services.create_vorgang(actor=clerk, akte=secret, subject="Abmahnung")
        doc = services.file_document(actor=clerk, vorgang=case, upload=b"Vertraulich\n", filename="a.txt")
    client = login(outsider)
    assert "Personalsache Meier" not in client.get(url("akte_list", tenant_a)).content.decode()
    for name, kwargs in (
        ("akte_detail", {"akte_id": secret.public_id}),
        ("vorgang_detail", {"vorgang_id": case.public_id}),
        ("document_detail", {"document_id": doc.public_id}),
        ("document_download", {"document_id": doc.public_id}),
    ):
        response = client.get(url(name, tenant_a, **kwargs))
        assert response.status_code == 404 and "Personalsache" not in response.content.decode()
    assert login(named).get(url("akte_detail", tenant_a, akte_id=secret.public_id)).status_code == 200


def test_file_detail_shows_cases_forms_and_history(tenant_a, registrar, clerk, vorgang, login) -> None:  # noqa: ANN001
    akte = vorgang.akte
    clerk_page = login(clerk.membership).get(url("akte_detail", tenant_a, akte_id=akte.public_id)).content.decode()
    assert vorgang.subject in clerk_page and 'id="new-case"' in clerk_page
    assert "Close file" in clerk_page or "Akte schließen" in clerk_page
    assert url("akte_legal_hold", tenant_a, akte_id=akte.public_id) not in clerk_page  # records managers only
    assert "<caption>" in clerk_page  # the history table
    manager_page = login(registrar.membership).get(url("akte_detail", tenant_a, akte_id=akte.public_id))
    assert url("akte_legal_hold", tenant_a, akte_id=akte.public_id) in manager_page.content.decode()


def test_clerk_creates_and_edits_a_case(tenant_a, clerk, akte, login) -> None:  # noqa: ANN001
    client = login(clerk.membership)
    blank = client.post(url("vorgang_create", tenant_a, akte_id=akte.public_id), {"vorgang-subject": ""})
    assert blank.status_code == 400 and 'id="new-case" open' in blank.content.decode()
    response = client.post(
        url("vorgang_create", tenant_a, akte_id=akte.public_id),
        {
            "vorgang-subject": "Gehweg",
            "vorgang-due_date": "2026-05-01",
            "vorgang-responsible": str(clerk.membership.public_id),
        },
    )
    with scopes_disabled():
        case = Vorgang.objects.get(akte=akte, subject="Gehweg")
    assert response["Location"] == url("vorgang_detail", tenant_a, vorgang_id=case.public_id)
    page = client.get(response["Location"]).content.decode()
    assert "Gehweg" in page and 'action="' + url("document_upload", tenant_a, vorgang_id=case.public_id) in page
    edit = client.post(
        url("vorgang_detail", tenant_a, vorgang_id=case.public_id),
        {"case-subject": "Gehweg Nord", "case-status": VorgangStatus.DONE},
    )
    assert edit.status_code == 302
    with scopes_disabled():
        case.refresh_from_db()
    assert (case.subject, case.status, case.responsible) == ("Gehweg Nord", VorgangStatus.DONE, None)


def test_close_reopen_and_legal_hold_follow_permissions(tenant_a, registrar, clerk, vorgang, login) -> None:  # noqa: ANN001
    akte, clerk_client, manager = vorgang.akte, login(clerk.membership), login(registrar.membership)
    refused = clerk_client.post(url("akte_close", tenant_a, akte_id=akte.public_id), follow=True)
    assert "open cases" in refused.content.decode() or "offene Vorgänge" in refused.content.decode()
    with tenant_scope(tenant_a):
        services.update_vorgang(actor=clerk, vorgang=vorgang, status=VorgangStatus.DONE)
    assert clerk_client.post(url("akte_close", tenant_a, akte_id=akte.public_id)).status_code == 302
    assert clerk_client.post(url("akte_reopen", tenant_a, akte_id=akte.public_id)).status_code == 403
    hold = {"hold": "1", "hold-reason": "Klage anhängig"}
    assert clerk_client.post(url("akte_legal_hold", tenant_a, akte_id=akte.public_id), hold).status_code == 403
    no_reason = manager.post(url("akte_legal_hold", tenant_a, akte_id=akte.public_id), {"hold": "1"})
    assert no_reason.status_code == 400 and "hold-reason_error" in no_reason.content.decode()
    assert manager.post(url("akte_legal_hold", tenant_a, akte_id=akte.public_id), hold).status_code == 302
    assert manager.post(url("akte_reopen", tenant_a, akte_id=akte.public_id)).status_code == 302
    with scopes_disabled():
        akte.refresh_from_db()
    assert (akte.state, akte.legal_hold, akte.legal_hold_reason) == (AkteState.OPEN, True, "Klage anhängig")
    assert {"akte.closed", "akte.legal_hold_set", "akte.reopened"} <= set(actions(tenant_a))


# --- Cases: parties and uploads --------------------------------------------------------------------------
def test_parties_are_added_and_removed(tenant_a, clerk, vorgang, login) -> None:  # noqa: ANN001
    client = login(clerk.membership)
    response = client.post(
        url("party_add", tenant_a, vorgang_id=vorgang.public_id),
        {"party-kind": "person", "party-name": "Erika Muster", "party-role": "Antragstellerin"},
    )
    assert response.status_code == 302
    invalid = client.post(
        url("party_add", tenant_a, vorgang_id=vorgang.public_id), {"party-kind": "person", "party-email": "kein"}
    )
    assert invalid.status_code == 400
    with scopes_disabled():
        party = Party.objects.get(vorgang=vorgang)
    assert "Erika Muster" in client.get(url("vorgang_detail", tenant_a, vorgang_id=vorgang.public_id)).content.decode()
    removed = client.post(url("party_remove", tenant_a, vorgang_id=vorgang.public_id), {"party": str(party.pk)})
    assert removed.status_code == 302
    assert client.post(url("party_remove", tenant_a, vorgang_id=vorgang.public_id), {"party": "x"}).status_code == 404
    with scopes_disabled():
        assert not Party.objects.filter(vorgang=vorgang).exists()


def test_upload_files_the_good_file_and_reports_the_refused_one(
    tenant_a, clerk, vorgang, login, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    client = login(clerk.membership)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            url("document_upload", tenant_a, vorgang_id=vorgang.public_id),
            {
                "files": [text_file(), SimpleUploadedFile("x.pdf", EXECUTABLE, content_type="application/pdf")],
                "direction": "incoming",
            },
            follow=True,
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "x.pdf" in page and "Windows" in page  # named, with the reason
    with scopes_disabled():
        filed = list(Document.objects.filter(vorgang=vorgang))
        versions = list(DocumentVersion.objects.filter(document__vorgang=vorgang))
    assert [d.title for d in filed] == ["notiz"] and [v.filename for v in versions] == ["notiz.txt"]
    assert len(callbacks) == 2  # text extraction and the "document filed" event, for the filed file only
    assert f'data-id="{filed[0].public_id}"' in page


def test_asynchronous_upload_answers_with_result_and_table(tenant_a, clerk, vorgang, login) -> None:  # noqa: ANN001
    response = login(clerk.membership).post(
        url("document_upload", tenant_a, vorgang_id=vorgang.public_id),
        {"files": [text_file("a.txt"), SimpleUploadedFile("b.pdf", EXECUTABLE)], "direction": "incoming"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="upload-result"' in body and 'id="document-table"' in body and "b.pdf" in body
    assert "data-upload-summary" in body


def test_upload_without_files_or_permission(tenant_a, admin, clerk, vorgang, login) -> None:  # noqa: ANN001
    empty = login(clerk.membership).post(
        url("document_upload", tenant_a, vorgang_id=vorgang.public_id), {"direction": "incoming"}
    )
    assert empty.status_code == 400 and "files_error" in empty.content.decode()
    denied = login(admin.membership).post(
        url("document_upload", tenant_a, vorgang_id=vorgang.public_id),
        {"files": [text_file()], "direction": "incoming"},
    )
    assert denied.status_code == 403


def test_e_mail_is_filed_with_its_attachments_linked_both_ways(tenant_a, clerk, vorgang, login) -> None:  # noqa: ANN001
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "buerger@example.org", "rathaus@example.org", "Schlagloch gemeldet"
    mail.set_content("Siehe Anhang.")
    mail.add_attachment(b"Foto-Beschreibung\n", maintype="text", subtype="plain", filename="beschreibung.txt")
    client = login(clerk.membership)
    client.post(
        url("document_upload", tenant_a, vorgang_id=vorgang.public_id),
        {"files": [SimpleUploadedFile("mail.eml", mail.as_bytes())], "direction": "incoming"},
    )
    with scopes_disabled():
        message = Document.objects.get(vorgang=vorgang, part_of=None)
        attachment = Document.objects.get(vorgang=vorgang, part_of=message)
    mail_page = client.get(url("document_detail", tenant_a, document_id=message.public_id)).content.decode()
    assert url("document_detail", tenant_a, document_id=attachment.public_id) in mail_page
    attachment_page = client.get(url("document_detail", tenant_a, document_id=attachment.public_id)).content.decode()
    assert url("document_detail", tenant_a, document_id=message.public_id) in attachment_page


# --- Documents -------------------------------------------------------------------------------------------
def test_document_detail_lists_versions_with_download_links(tenant_a, clerk, document, login) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        services.add_version(actor=clerk, document=document, upload=b"Zweiter Stand\n", filename="bericht.txt")
    page = (
        login(clerk.membership).get(url("document_detail", tenant_a, document_id=document.public_id)).content.decode()
    )
    download = url("document_download", tenant_a, document_id=document.public_id)
    assert f'href="{download}"' in page and f"{download}?version=1" in page and f"{download}?version=2" in page
    assert "rendition=1" not in page  # no PDF/A rendition yet


def test_download_streams_the_content_and_is_audited(tenant_a, clerk, document, login) -> None:  # noqa: ANN001
    client = login(clerk.membership)
    response = client.get(url("document_download", tenant_a, document_id=document.public_id), {"version": "1"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Erster Stand\n"
    assert (
        response["Content-Disposition"].startswith("attachment;") and "bericht.txt" in response["Content-Disposition"]
    )
    assert response["Content-Type"].startswith("text/plain")
    assert actions(tenant_a).count("document.downloaded") == 1
    assert (
        client.get(url("document_download", tenant_a, document_id=document.public_id), {"version": "7"}).status_code
        == 404
    )
    rendition = client.get(url("document_download", tenant_a, document_id=document.public_id), {"rendition": "1"})
    assert rendition.status_code == 404
    assert actions(tenant_a).count("document.downloaded") == 1


def test_new_version_and_check_out_check_in(
    tenant_a, registrar, clerk, make_member, actor_for, document, login
) -> None:  # noqa: ANN001
    colleague = make_member(tenant_a, Role.CLERK)
    client = login(clerk.membership)
    version = client.post(
        url("version_add", tenant_a, document_id=document.public_id),
        {"version-file": text_file("bericht.txt", b"Stand 2\n"), "version-comment": "korrigiert"},
    )
    assert version.status_code == 302
    assert client.post(url("document_check_out", tenant_a, document_id=document.public_id)).status_code == 302
    page = login(colleague).get(url("document_detail", tenant_a, document_id=document.public_id)).content.decode()
    assert str(clerk.membership) in page and url("version_add", tenant_a, document_id=document.public_id) not in page
    blocked = login(colleague).post(
        url("version_add", tenant_a, document_id=document.public_id),
        {"version-file": text_file("bericht.txt", b"Stand 3\n")},
    )
    assert blocked.status_code == 400 and str(clerk.membership) in blocked.content.decode()
    checked_in = client.post(
        url("document_check_in", tenant_a, document_id=document.public_id),
        {"checkin-file": text_file("bericht.txt", b"Stand 3\n"), "checkin-comment": "fertig"},
    )
    assert checked_in.status_code == 302
    with scopes_disabled():
        document.refresh_from_db()
        numbers = sorted(document.versions.values_list("number", flat=True))
    assert document.checked_out_by is None and numbers == [1, 2, 3]
    # A records manager releases a colleague's forgotten lock.
    login(colleague).post(url("document_check_out", tenant_a, document_id=document.public_id))
    manager_page = login(registrar.membership).get(url("document_detail", tenant_a, document_id=document.public_id))
    assert 'name="force"' in manager_page.content.decode()
    forced = login(registrar.membership).post(
        url("document_check_in", tenant_a, document_id=document.public_id), {"force": "1"}
    )
    assert forced.status_code == 302
    with scopes_disabled():
        document.refresh_from_db()
    assert document.checked_out_by is None


def test_text_extraction_state_polls_only_while_pending(tenant_a, clerk, document, login) -> None:  # noqa: ANN001
    client = login(clerk.membership)
    page = client.get(url("document_detail", tenant_a, document_id=document.public_id)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    poll = url("document_extraction_state", tenant_a, document_id=document.public_id)
    assert client.get(poll, {"seen": ExtractionState.PENDING}, **HTMX).status_code == 204  # nothing new
    with scopes_disabled():
        DocumentVersion.objects.filter(document=document).update(
            extraction_state=ExtractionState.FAILED, extraction_error="Die Datei ist beschädigt."
        )
    fragment = client.get(poll, {"seen": ExtractionState.PENDING}, **HTMX).content.decode()
    assert "hx-trigger" not in fragment and "Die Datei ist beschädigt." in fragment
    assert (
        'hx-trigger="every 2s"'
        not in client.get(url("document_detail", tenant_a, document_id=document.public_id)).content.decode()
    )


# --- Search ----------------------------------------------------------------------------------------------
def test_search_shows_highlighted_hits_and_updates_with_htmx(
    tenant_a, clerk, vorgang, login, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    akte = vorgang.akte
    with tenant_scope(tenant_a), django_capture_on_commit_callbacks(execute=True):  # runs the text extraction
        letter = services.file_document(
            actor=clerk,
            vorgang=vorgang,
            upload="Die Schlaglöcher <b>vor</b> Haus 12 sind tief.\n".encode(),
            filename="brief.txt",
            title="Brief <i>Anwohner</i>",
        )
    client = login(clerk.membership)
    assert client.get(url("search", tenant_a)).status_code == 200
    page = client.get(url("search", tenant_a), {"q": "Schlaglöcher"}).content.decode()
    assert url("document_detail", tenant_a, document_id=letter.public_id) in page
    assert "<mark>" in page and "<b>vor</b>" not in page  # only the highlighting is markup
    assert "Brief &lt;i&gt;Anwohner&lt;/i&gt;" in page
    fragment = client.get(url("search", tenant_a), {"q": "Schlaglöcher", "kind": "akte"}, **HTMX).content.decode()
    assert "<html" not in fragment and url("document_detail", tenant_a, document_id=letter.public_id) not in fragment
    assert 'hx-swap-oob="innerHTML"' in fragment
    listed = client.get(url("search", tenant_a), {"kind": "akte"}).content.decode()  # filters alone list entries
    assert url("akte_detail", tenant_a, akte_id=akte.public_id) in listed
    assert client.get(url("search", tenant_a), {"date_from": "kein Datum"}).status_code == 400


# --- Tenants ---------------------------------------------------------------------------------------------
def test_other_tenants_pages_and_objects_are_not_found(tenant_a, tenant_b, clerk, make_member, akte, login) -> None:  # noqa: ANN001
    assert login(clerk.membership).get(url("akte_list", tenant_b)).status_code == 404
    stranger = login(make_member(tenant_b, Role.RECORDS_MANAGER))
    for response in (
        stranger.get(url("akte_detail", tenant_b, akte_id=akte.public_id)),
        stranger.get(url("akte_detail", tenant_a, akte_id=akte.public_id)),
        stranger.post(url("akte_close", tenant_b, akte_id=akte.public_id)),
        stranger.get(url("plan_edit", tenant_b, entry_id=akte.plan_entry.public_id)),
    ):
        assert response.status_code == 404
        assert akte.title not in response.content.decode()

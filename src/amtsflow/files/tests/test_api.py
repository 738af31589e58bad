"""The clerk's way through the REST API: plan entry, file, case, scanned PDF and DOCX, search, versions."""

import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amtsflow.tenants.constants import Role

from .samples import docx, scanned_pdf

pytestmark = pytest.mark.django_db
needs_ocr = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract (OCR) is not installed")


@pytest.fixture
def api(tenant_a, make_member, api_client_for):  # noqa: ANN001, ANN201
    return api_client_for(make_member(tenant_a, Role.TENANT_ADMIN, Role.RECORDS_MANAGER, Role.CLERK))


def _case(api) -> dict:  # noqa: ANN001
    entry = api.post(
        reverse("files-api:plan-entry-list"),
        {"number": "6.60.01", "title": "Straßenunterhaltung", "retention_years": 10, "disposal_action": "destroy"},
        format="json",
    )
    assert entry.status_code == 201, entry.content
    akte = api.post(
        reverse("files-api:akte-list"), {"plan_entry": entry.json()["id"], "title": "Hauptstraße"}, format="json"
    )
    assert akte.status_code == 201, akte.content
    assert akte.json()["aktenzeichen"].startswith("6.60.01/")
    case = api.post(
        reverse("files-api:vorgang-list"), {"akte": akte.json()["id"], "subject": "Schlaglöcher"}, format="json"
    )
    assert case.status_code == 201, case.content
    return case.json()


def _upload(api, case: dict, name: str, content: bytes):  # noqa: ANN001, ANN202
    return api.post(
        reverse("files-api:document-list"),
        {"vorgang": case["id"], "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


@needs_ocr
def test_clerk_files_scan_and_docx_and_finds_both(api, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    case = _case(api)
    with django_capture_on_commit_callbacks(execute=True):
        scan = _upload(api, case, "scan.pdf", scanned_pdf("Ausbesserung Fahrbahndecke\nHauptstrasse Musterstadt"))
        letter = _upload(api, case, "brief.docx", docx("Bitte um Ausbesserung der Fahrbahndecke.", "Gruss"))
    assert scan.status_code == 201, scan.content
    assert letter.status_code == 201, letter.content
    scan_doc = api.get(reverse("files-api:document-detail", kwargs={"id": scan.json()["id"]})).json()
    assert scan_doc["versions"][0]["extraction_state"] == "done", scan_doc
    assert scan_doc["versions"][0]["has_rendition"] is True
    hits = api.get(reverse("files-api:search"), {"q": "Fahrbahndecke", "kind": "document"}).json()
    assert {hit["id"] for hit in hits["hits"]} == {scan.json()["id"], letter.json()["id"]}
    assert "<mark>" in hits["hits"][0]["snippet_html"]


def test_new_version_history_and_download(api, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    case = _case(api)
    with django_capture_on_commit_callbacks(execute=True):
        created = _upload(api, case, "vermerk.txt", b"Vermerk: Ortstermin am Montag.\n")
        document_id = created.json()["id"]
        version = api.post(
            reverse("files-api:document-versions", kwargs={"id": document_id}),
            {
                "file": SimpleUploadedFile("vermerk.txt", b"Vermerk: Ortstermin am Dienstag.\n"),
                "comment": "Termin verlegt",
            },
            format="multipart",
        )
    assert version.status_code == 201, version.content
    document = api.get(reverse("files-api:document-detail", kwargs={"id": document_id})).json()
    assert [v["number"] for v in document["versions"]] == [2, 1]
    first = api.get(reverse("files-api:document-content", kwargs={"id": document_id}), {"version": 1})
    assert b"".join(first.streaming_content) == b"Vermerk: Ortstermin am Montag.\n"
    assert first["Content-Disposition"].startswith("attachment")


def test_hostile_uploads_are_refused_with_clear_messages(api) -> None:  # noqa: ANN001
    case = _case(api)
    for name, content in [
        ("rechnung.pdf", b"MZ\x90\x00" + b"\x00" * 500),
        ("leer.txt", b""),
        ("kaputt.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50),
    ]:
        response = _upload(api, case, name, content)
        assert response.status_code == 400, (name, response.content)
        assert response.json()["detail"]
    listed = api.get(reverse("files-api:document-list"), {"vorgang": case["id"]}).json()
    assert listed["count"] == 0


def test_search_rejects_nothing_but_returns_nothing_for_hostile_queries(api) -> None:  # noqa: ANN001
    _case(api)
    for query in ['"', "*", "NEAR(", "AND OR", "'); DROP TABLE files_akte; --", "x" * 900]:
        response = api.get(reverse("files-api:search"), {"q": query})
        assert response.status_code == 200, (query, response.content)


def test_close_and_legal_hold_through_api(api) -> None:  # noqa: ANN001
    case = _case(api)
    api.put(
        reverse("files-api:vorgang-detail", kwargs={"id": case["id"]}),
        {"subject": "Schlaglöcher", "status": "done"},
        format="json",
    )
    closed = api.post(reverse("files-api:akte-close", kwargs={"id": case["akte"]}))
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"
    hold = api.post(
        reverse("files-api:akte-legal-hold", kwargs={"id": case["akte"]}),
        {"hold": True, "reason": "Widerspruchsverfahren"},
        format="json",
    )
    assert hold.json()["legal_hold"] is True

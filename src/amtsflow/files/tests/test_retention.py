"""Aussonderung: due list, disposal lists, archiving and destruction with tombstone, audit and shared content."""

import datetime as dt
import io
import zipfile

import pikepdf
import pytest
from django.urls import include, path
from django.utils import timezone
from django_scopes import scopes_disabled

from amtsflow.audit.models import AuditEntry
from amtsflow.core.exceptions import Conflict, PermissionDenied
from amtsflow.files import services
from amtsflow.files.constants import AkteState, DisposalAction, VorgangStatus
from amtsflow.files.models import (
    Akte,
    AktenplanEntry,
    Blob,
    DisposalListState,
    DisposalOutcome,
    Document,
    DocumentVersion,
    Party,
    SearchEntry,
    Vorgang,
)
from amtsflow.files.services import retention
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db

FUTURE = dt.date(timezone.localdate().year + 30, 1, 1)  # every test file's retention has run out by then
urlpatterns = [path("api/v1/", include(("amtsflow.files.api.retention_urls", "files-retention-api")))]


def pdf_bytes(title: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Title"] = title
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def closed_file(clerk: Actor, plan_entry: AktenplanEntry, title: str, files: list[tuple[str, bytes]]) -> Akte:
    """A file with one case, a party and the given documents, closed (retention counted from this year)."""
    akte = services.create_akte(actor=clerk, plan_entry=plan_entry, title=title, year=2026)
    vorgang = services.create_vorgang(actor=clerk, akte=akte, subject=f"{title}: Antrag", due_date=dt.date(2026, 12, 1))
    services.add_party(
        actor=clerk, vorgang=vorgang, name="Erika Muster", role="Antragstellerin", email="erika@example.org"
    )
    for filename, content in files:
        services.file_document(actor=clerk, vorgang=vorgang, upload=content, filename=filename, sender="Erika Muster")
    services.update_vorgang(actor=clerk, vorgang=vorgang, status=VorgangStatus.DONE)
    return services.close_akte(actor=clerk, akte=akte)


@pytest.fixture
def destroy_entry(tenant_a, registrar):  # noqa: ANN001, ANN201
    with tenant_scope(tenant_a):
        services.create_plan_entry(actor=registrar, number="1", title="Verwaltung", accepts_files=False)
        return services.create_plan_entry(
            actor=registrar, number="1.10", title="Personal", retention_years=2, disposal_action=DisposalAction.DESTROY
        )


@pytest.fixture
def due_today(monkeypatch):  # noqa: ANN001, ANN201
    """Execution checks retention against today; move today past every retention period."""
    monkeypatch.setattr(retention, "_today", lambda: FUTURE)


def _approved_list(registrar: Actor):  # noqa: ANN202
    disposal_list = retention.create_disposal_list(actor=registrar, as_of=FUTURE)
    return retention.approve_disposal_list(actor=registrar, disposal_list=disposal_list)


def _audit(tenant, action: str) -> list[AuditEntry]:  # noqa: ANN001
    with scopes_disabled():
        return list(AuditEntry.objects.filter(tenant=tenant, action=action).order_by("sequence"))


def test_due_list_shows_closed_expired_files_and_marks_legal_holds(
    tenant_a, clerk, registrar, destroy_entry, akte
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        first = closed_file(clerk, destroy_entry, "Personalakte A", [("brief.txt", b"Brief A\n")])
        held = closed_file(clerk, destroy_entry, "Personalakte B", [("brief.txt", b"Brief B\n")])
        services.set_legal_hold(actor=registrar, akte=held, hold=True, reason="Klage anhängig")
        assert not retention.list_due_for_disposal(actor=registrar).exists()  # retention still running
        due = {a.aktenzeichen: a.blocked for a in retention.list_due_for_disposal(actor=registrar, as_of=FUTURE)}
        assert due == {first.aktenzeichen: False, held.aktenzeichen: True}  # the open `akte` is not listed
        with pytest.raises(PermissionDenied):
            retention.list_due_for_disposal(actor=clerk, as_of=FUTURE)
        disposal_list = retention.create_disposal_list(actor=registrar, as_of=FUTURE)
        assert [item.aktenzeichen for item in disposal_list.items.all()] == [first.aktenzeichen]
        with pytest.raises(Conflict):  # everything due is already on an open list (or held)
            retention.create_disposal_list(actor=registrar, as_of=FUTURE)


def test_destruction_deletes_content_keeps_tombstone_and_shared_blobs(
    tenant_a,
    clerk,
    registrar,
    destroy_entry,
    plan_entry,
    document_root,
    due_today,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    shared, unique = b"Gemeinsamer Bescheid\n", pdf_bytes("Nur in der Personalakte")
    with tenant_scope(tenant_a):
        doomed = closed_file(
            clerk, destroy_entry, "Personalakte Muster", [("bescheid.txt", shared), ("vertrag.pdf", unique)]
        )
        survivor = services.create_akte(actor=clerk, plan_entry=plan_entry, title="Hauptstraße", year=2026)
        case = services.create_vorgang(actor=clerk, akte=survivor, subject="Kopie")
        services.file_document(actor=clerk, vorgang=case, upload=shared, filename="kopie.txt")
        blobs = {b.sha256: b for b in Blob.objects.all()}
        unique_blob = next(b for b in blobs.values() if b.size == len(unique))
        shared_blob = next(b for b in blobs.values() if b.size == len(shared))
        disposal_list = _approved_list(registrar)
        with django_capture_on_commit_callbacks(execute=True):
            result = retention.execute_disposal_list(actor=registrar, disposal_list=disposal_list)

        assert [i.aktenzeichen for i in result.destroyed] == [doomed.aktenzeichen] and not result.failed
        tombstone = Akte.objects.get(pk=doomed.pk)
        assert tombstone.state == AkteState.DESTROYED and tombstone.disposed_at is not None
        assert (tombstone.aktenzeichen, tombstone.title, tombstone.closed_at) == (
            doomed.aktenzeichen,
            doomed.title,
            doomed.closed_at,
        )
        assert not Vorgang.objects.filter(akte=doomed).exists()
        assert not Party.objects.filter(vorgang__akte=doomed).exists()
        assert not Document.objects.filter(vorgang__akte=doomed).exists()
        assert not DocumentVersion.objects.filter(document__vorgang__akte=doomed).exists()
        assert not Blob.objects.filter(pk=unique_blob.pk).exists()
        assert not (document_root / unique_blob.storage_name).exists()
        assert Blob.objects.filter(pk=shared_blob.pk).exists()  # still filed in "Hauptstraße"
        assert (document_root / shared_blob.storage_name).read_bytes() == shared
        entries = SearchEntry.objects.filter(akte=doomed)
        assert list(entries.values_list("kind", "status")) == [("akte", AkteState.DESTROYED)]
        disposal_list.refresh_from_db()
        assert disposal_list.state == DisposalListState.EXECUTED and disposal_list.executed_at
        assert disposal_list.items.get().outcome == DisposalOutcome.DESTROYED

    (entry,) = _audit(tenant_a, "akte.destroyed")
    assert entry.object_id == str(doomed.public_id) and entry.actor_user_ref == registrar.user.pk
    details = entry.details
    assert (details["vorgaenge"], details["documents"], details["versions"], details["parties"]) == (1, 2, 2, 1)
    assert (details["blobs_deleted"], details["blobs_kept"]) == (1, 1)
    assert {(v["filename"], v["sha256"]) for v in details["versions_destroyed"]} == {
        ("bescheid.txt", shared_blob.sha256),
        ("vertrag.pdf", unique_blob.sha256),
    }
    assert _audit(tenant_a, "disposal_list.executed")


def test_archiving_writes_package_and_keeps_content(
    tenant_a, clerk, registrar, plan_entry, document_root, due_today
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        akte = closed_file(clerk, plan_entry, "Brücke", [("gutachten.pdf", pdf_bytes("Gutachten"))])
        result = retention.execute_disposal_list(actor=registrar, disposal_list=_approved_list(registrar))
        (item,) = result.archived
        akte.refresh_from_db()
        assert akte.state == AkteState.ARCHIVED and akte.disposed_at is not None
        assert item.package_name.startswith(f"archive-packages/{tenant_a.pk}/6.60_2026_0001-")
        assert DocumentVersion.objects.filter(document__vorgang__akte=akte).count() == 1
        blob = Blob.objects.get()
    with zipfile.ZipFile(document_root / item.package_name) as archive:
        assert sorted(archive.namelist()) == ["content/" + blob.sha256, "manifest.xml"]
        assert b"<xdomea:Kennzeichen>6.60/2026/0001</xdomea:Kennzeichen>" in archive.read("manifest.xml")
    assert (document_root / blob.storage_name).exists()
    (exported,) = _audit(tenant_a, "package.exported")
    assert exported.details["storage_name"] == item.package_name
    assert _audit(tenant_a, "akte.archived")


def test_legal_hold_blocks_execution_until_removed(tenant_a, clerk, registrar, destroy_entry, due_today) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        first = closed_file(clerk, destroy_entry, "Personalakte A", [("a.txt", b"A\n")])
        held = closed_file(clerk, destroy_entry, "Personalakte B", [("b.txt", b"B\n")])
        disposal_list = _approved_list(registrar)
        services.set_legal_hold(actor=registrar, akte=held, hold=True, reason="Auskunftsersuchen")
        with pytest.raises(Conflict) as refused:
            retention.execute_disposal_list(actor=registrar, disposal_list=disposal_list)
        assert held.aktenzeichen in refused.value.message and "Auskunftsersuchen" in refused.value.message
        assert first.aktenzeichen not in refused.value.field_errors
        assert set(Akte.objects.values_list("state", flat=True)) == {AkteState.CLOSED}  # nothing happened
        assert DocumentVersion.objects.count() == 2
        retention.remove_from_disposal_list(actor=registrar, disposal_list=disposal_list, akte=held)
        result = retention.execute_disposal_list(actor=registrar, disposal_list=disposal_list)
        assert [i.aktenzeichen for i in result.destroyed] == [first.aktenzeichen]
        assert Akte.objects.get(pk=held.pk).state == AkteState.CLOSED
        assert DocumentVersion.objects.filter(document__vorgang__akte=held).count() == 1


def test_files_not_due_are_refused(tenant_a, clerk, registrar, destroy_entry) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        akte = closed_file(clerk, destroy_entry, "Personalakte", [("a.txt", b"A\n")])
        disposal_list = _approved_list(registrar)  # prepared ahead, for a date to come
        with pytest.raises(Conflict, match="retained until"):
            retention.execute_disposal_list(actor=registrar, disposal_list=disposal_list)
        assert Akte.objects.get(pk=akte.pk).state == AkteState.CLOSED


def test_execution_needs_approval_and_records_manager(tenant_a, clerk, registrar, destroy_entry, due_today) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        closed_file(clerk, destroy_entry, "Personalakte", [("a.txt", b"A\n")])
        draft = retention.create_disposal_list(actor=registrar, as_of=FUTURE)
        with pytest.raises(Conflict):
            retention.execute_disposal_list(actor=registrar, disposal_list=draft)
        approved = retention.approve_disposal_list(actor=registrar, disposal_list=draft)
        with pytest.raises(PermissionDenied):
            retention.execute_disposal_list(actor=clerk, disposal_list=approved)
        retention.execute_disposal_list(actor=registrar, disposal_list=approved)
        with pytest.raises(Conflict):  # executed lists stay as they are
            retention.execute_disposal_list(actor=registrar, disposal_list=approved)


def test_failing_file_is_rolled_back_and_can_be_retried(
    tenant_a, clerk, registrar, destroy_entry, monkeypatch, document_root, due_today
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        akte = closed_file(clerk, destroy_entry, "Personalakte", [("a.txt", b"A\n")])
        disposal_list = _approved_list(registrar)

        def broken(**kwargs: object) -> None:
            raise OSError("storage unavailable")

        monkeypatch.setattr(retention, "delete_unreferenced_blobs", broken)
        result = retention.execute_disposal_list(actor=registrar, disposal_list=disposal_list)
        assert [i.message for i in result.failed] == ["OSError('storage unavailable')"]
        akte.refresh_from_db()
        assert akte.state == AkteState.CLOSED and Document.objects.filter(vorgang__akte=akte).exists()
        assert not _audit(tenant_a, "akte.destroyed")
        disposal_list.refresh_from_db()
        assert disposal_list.state == DisposalListState.APPROVED
        monkeypatch.undo()
        monkeypatch.setattr(retention, "_today", lambda: FUTURE)
        assert retention.execute_disposal_list(actor=registrar, disposal_list=disposal_list).destroyed


def test_large_inventory_is_audited_in_parts(tenant_a, clerk, registrar, destroy_entry, monkeypatch, due_today) -> None:  # noqa: ANN001
    monkeypatch.setattr(retention, "AUDIT_CHUNK_CHARS", 300)
    with tenant_scope(tenant_a):
        closed_file(
            clerk, destroy_entry, "Personalakte", [(f"brief{i}.txt", f"Brief {i}\n".encode()) for i in range(5)]
        )
        retention.execute_disposal_list(actor=registrar, disposal_list=_approved_list(registrar))
    parts = _audit(tenant_a, "akte.destroyed")
    assert len(parts) > 1 and {p.details["parts"] for p in parts} == {len(parts)}
    assert sum(len(p.details["versions_destroyed"]) for p in parts) == 5


@pytest.mark.urls(__name__)
def test_disposal_api(
    tenant_a, tenant_b, clerk, registrar, destroy_entry, admin_a, admin_b, api_client_for, due_today
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        akte = closed_file(clerk, destroy_entry, "Personalakte", [("a.txt", b"A\n")])
    api = api_client_for(admin_a, scopes=["files.admin"])
    due = api.get("/api/v1/disposal/due/", {"as_of": FUTURE.isoformat()}).json()["results"]
    assert [(d["aktenzeichen"], d["blocked"]) for d in due] == [(akte.aktenzeichen, False)]
    created = api.post("/api/v1/disposal-lists/", {"as_of": FUTURE.isoformat()}, format="json")
    assert created.status_code == 201, created.content
    list_id = created.json()["id"]
    assert api.post(f"/api/v1/disposal-lists/{list_id}/approve/").json()["state"] == "approved"
    executed = api.post(f"/api/v1/disposal-lists/{list_id}/execute/").json()
    assert executed["destroyed"] == [akte.aktenzeichen] and executed["disposal_list"]["state"] == "executed"
    # Read scope is not enough; another tenant's client sees nothing.
    assert api_client_for(admin_a, scopes=["files.read"]).get("/api/v1/disposal-lists/").status_code == 403
    other = api_client_for(admin_b, scopes=["files.admin"])
    assert other.get(f"/api/v1/disposal-lists/{list_id}/").status_code == 404
    assert other.get("/api/v1/disposal-lists/").json()["results"] == []

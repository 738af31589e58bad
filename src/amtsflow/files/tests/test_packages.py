"""Records packages: export from tenant A, import into tenant B, and hostile packages refused without a trace."""

import datetime as dt
import hashlib
import io
import re
import zipfile
from email.message import EmailMessage

import pytest
from django.urls import include, path
from django_scopes import scopes_disabled

from amtsflow.audit.models import AuditEntry
from amtsflow.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from amtsflow.files import packages, services
from amtsflow.files.constants import Confidentiality, Direction, VorgangStatus
from amtsflow.files.models import Akte, AktenplanEntry, Blob, Document, DocumentVersion, SearchEntry
from amtsflow.files.tests.test_retention import pdf_bytes
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db
urlpatterns = [path("api/v1/", include(("amtsflow.files.api.retention_urls", "files-retention-api")))]


@pytest.fixture
def registrar_b(tenant_b, make_member, actor_for):  # noqa: ANN001, ANN201
    return actor_for(make_member(tenant_b, Role.RECORDS_MANAGER, Role.CLERK))


@pytest.fixture
def full_akte(tenant_a, clerk, akte, vorgang):  # noqa: ANN001, ANN201
    """A file with two cases, parties, incoming/outgoing documents, two versions and an e-mail with attachment."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "Bürger <b@example.org>", "amt@example.org", "Schlagloch vor Nr. 5"
    mail["Date"] = "Mon, 23 Nov 2026 09:15:00 +0100"
    mail.set_content("Bitte reparieren.\n")
    mail.add_attachment(b"Foto folgt\n", maintype="text", subtype="plain", filename="notiz.txt")
    with tenant_scope(tenant_a):
        services.add_party(
            actor=clerk,
            vorgang=vorgang,
            name="Max Bürger",
            role="Hinweisgeber",
            address="Hauptstraße 5\n12345 Musterstadt",
            phone="0123 456",
        )
        plan = services.file_document(
            actor=clerk,
            vorgang=vorgang,
            upload=pdf_bytes("Plan v1"),
            filename="plan.pdf",
            document_date=dt.date(2026, 3, 1),
            sender="Ingenieurbüro Kurz",
        )
        services.add_version(
            actor=clerk, document=plan, upload=pdf_bytes("Plan v2"), filename="plan.pdf", comment="korrigiert"
        )
        services.file_document(actor=clerk, vorgang=vorgang, upload=mail.as_bytes(), filename="mail.eml")
        second = services.create_vorgang(
            actor=clerk,
            akte=akte,
            subject="Reparaturauftrag",
            due_date=dt.date(2027, 1, 15),
            description="Firma beauftragen",
        )
        services.file_document(
            actor=clerk, vorgang=second, upload=b"Auftrag\n", filename="auftrag.txt", direction=Direction.OUTGOING
        )
        services.update_vorgang(actor=clerk, vorgang=second, status=VorgangStatus.DONE)
        return Akte.objects.get(pk=akte.pk)


def snapshot(akte: Akte) -> dict:
    """Everything a package must carry over, without IDs and tenant-local references."""
    plan = akte.plan_entry
    return {
        "akte": [
            akte.aktenzeichen,
            akte.title,
            akte.description,
            akte.state,
            akte.confidentiality,
            akte.year,
            akte.sequence,
            akte.closed_at,
            akte.retention_until,
            akte.created_at,
        ],
        "plan": [plan.number, plan.title, plan.retention_years, plan.disposal_action],
        "vorgaenge": [
            {
                "fields": [v.number, v.subject, v.description, v.status, v.due_date, v.created_at],
                "parties": sorted((p.name, p.role, p.kind, p.address, p.email, p.phone) for p in v.parties.all()),
                "documents": [
                    {
                        "fields": [
                            d.title,
                            d.direction,
                            d.document_date,
                            d.received_at,
                            d.sender,
                            d.created_at,
                            d.part_of.title if d.part_of else None,
                        ],
                        "versions": [
                            [x.number, x.filename, x.media_type, x.size, x.comment, x.blob.sha256, x.created_at]
                            for x in d.versions.select_related("blob").order_by("number")
                        ],
                    }
                    for d in v.documents.order_by("created_at", "pk")
                ],
            }
            for v in akte.vorgaenge.order_by("number")
        ],
    }


def test_round_trip_from_tenant_a_to_tenant_b(
    tenant_a, tenant_b, registrar, registrar_b, clerk, full_akte, document_root, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        data = packages.export_akte_package(actor=registrar, akte=full_akte, recipient="Gemeinde B")
        expected = snapshot(full_akte)
    assert sum(len(d["versions"]) for v in expected["vorgaenge"] for d in v["documents"]) == 5
    with tenant_scope(tenant_b), django_capture_on_commit_callbacks(execute=True):
        (imported,) = packages.import_package(actor=registrar_b, data=data)
    with tenant_scope(tenant_b):
        imported = Akte.objects.get(pk=imported.pk)
        assert imported.tenant_id == tenant_b.pk and imported.public_id != full_akte.public_id
        assert snapshot(imported) == expected
        blobs = Blob.objects.filter(pk__in=DocumentVersion.objects.values("blob_id"))
        assert blobs.count() == 5 and all((document_root / b.storage_name).exists() for b in blobs)
        assert SearchEntry.objects.filter(akte=imported).count() == 1 + 2 + 4  # file, cases, documents
        # Later files of the same plan entry and year number after the imported one.
        later = services.create_akte(actor=registrar_b, plan_entry=imported.plan_entry, title="Neu", year=2026)
        assert later.aktenzeichen == "6.60/2026/0002"
        with pytest.raises(Conflict, match="6.60/2026/0001"):  # a second import would collide
            packages.import_package(actor=registrar_b, data=data)
        assert Akte.objects.count() == 2
    with scopes_disabled():
        exported = AuditEntry.objects.get(tenant=tenant_a, action="package.exported")
        imported_entry = AuditEntry.objects.get(tenant=tenant_b, action="package.imported")
    assert exported.details["package_sha256"] == hashlib.sha256(data).hexdigest()
    assert imported_entry.details["sender_ags"] == tenant_a.ags and imported_entry.details["versions"] == 5


def test_manifest_follows_xdomea_structure(tenant_a, registrar, full_akte) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        data = packages.export_akte_package(actor=registrar, akte=full_akte)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = archive.read("manifest.xml").decode()
        names = archive.namelist()
    assert manifest.count("<xdomea:Vorgang>") == 2 and "<xdomea:Abgabe.Abgabe.0401" in manifest
    for element in [
        "Kopf",
        "ProzessID",
        "Absender",
        "Empfaenger",
        "Aktenplaneinheit",
        "Archivbewertung",
        "Laufzeit",
        "Vertraulichkeitsstufe",
        "Beteiligter",
        "Primaerdokument",
        "DateinameOriginal",
    ]:
        assert f"<xdomea:{element}>" in manifest, element
    assert f"<code>{tenant_a.ags}</code>" in manifest
    sums = re.findall(r'<af:Pruefsumme algorithmus="SHA-256">([0-9a-f]{64})</af:Pruefsumme>', manifest)
    assert len(sums) == 5 and sorted(names) == sorted({f"content/{s}" for s in sums} | {"manifest.xml"})


def test_export_respects_confidentiality(tenant_a, make_member, actor_for, clerk, plan_entry) -> None:  # noqa: ANN001
    outsider = actor_for(make_member(tenant_a, Role.RECORDS_MANAGER))
    with tenant_scope(tenant_a):
        secret = services.create_akte(
            actor=clerk, plan_entry=plan_entry, title="Personalsache", confidentiality=Confidentiality.CONFIDENTIAL
        )
        with pytest.raises(NotFound):
            packages.export_akte_package(actor=outsider, akte=secret)
        assert packages.export_akte_package(actor=clerk, akte=secret)[:2] == b"PK"


def test_import_needs_plan_rights_and_uses_fallback(
    tenant_a, tenant_b, registrar, registrar_b, make_member, actor_for, full_akte
) -> None:  # noqa: ANN001
    clerk_b = actor_for(make_member(tenant_b, Role.CLERK))
    with tenant_scope(tenant_a):
        data = packages.export_akte_package(actor=registrar, akte=full_akte)
    with tenant_scope(tenant_b):
        with pytest.raises(PermissionDenied):
            packages.import_package(actor=clerk_b, data=data)
        fallback = services.create_plan_entry(actor=registrar_b, number="7.1", title="Übernommene Akten")
        (akte,) = packages.import_package(actor=registrar_b, data=data, plan_entry_fallback=fallback)
        assert akte.plan_entry == fallback and akte.aktenzeichen == full_akte.aktenzeichen
        assert not AktenplanEntry.objects.filter(number="6.60").exists()


# --- Hostile packages -----------------------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xdomea:Abgabe.Abgabe.0401 xmlns:xdomea="urn:xoev-de:xdomea:schema:3.0.0">&xxe;</xdomea:Abgabe.Abgabe.0401>"""
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xdomea:Abgabe.Abgabe.0401 xmlns:xdomea="urn:xoev-de:xdomea:schema:3.0.0">&lol3;</xdomea:Abgabe.Abgabe.0401>"""


def rezip(data: bytes, replace: dict[str, bytes | None], *, deflate: bool = True) -> bytes:
    """A copy of the package with members replaced, added (name → bytes) or dropped (name → None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name not in replace:
                target.writestr(name, source.read(name))
        for name, content in replace.items():
            if content is not None:
                target.writestr(name, content, zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED)
    return out.getvalue()


def _content_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(n for n in archive.namelist() if n.startswith("content/"))


def _swap_content(data: bytes, new: bytes) -> bytes:
    """Replace one content and fix the manifest's checksum, so that only the content checks can object."""
    old_name = _content_names(data)[0]
    new_sha = hashlib.sha256(new).hexdigest()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = archive.read("manifest.xml").replace(old_name[8:].encode(), new_sha.encode())
    return rezip(data, {old_name: None, "manifest.xml": manifest, f"content/{new_sha}": new})


HOSTILE = {
    "xxe": (lambda d: rezip(d, {"manifest.xml": XXE}), "DTD or entities"),
    "entity bomb": (lambda d: rezip(d, {"manifest.xml": BOMB}), "DTD or entities"),
    "path traversal": (lambda d: rezip(d, {"../../etc/cron.d/evil": b"* * * * * root rm -rf /"}), "unsafe path"),
    "absolute path": (lambda d: rezip(d, {"/tmp/evil": b"x"}), "unsafe path"),
    "hash mismatch": (lambda d: rezip(d, {_content_names(d)[0]: b"manipuliert\n"}), "SHA-256"),
    "missing content": (lambda d: rezip(d, {_content_names(d)[0]: None}), "is missing"),
    "zip bomb": (lambda d: rezip(d, {"content/" + "0" * 64: b"\0" * (20 * 1024 * 1024)}), "ZIP bomb"),
    "unexpected member": (lambda d: rezip(d, {"content/evil.exe": b"MZ"}), "unexpected member"),
    "forbidden content": (lambda d: _swap_content(d, b"MZ\x90\x00" + b"\x00" * 200), "Windows program"),
    "not a zip": (lambda d: b"%PDF-1.7 not a package", "not a readable ZIP"),
    "broken manifest": (lambda d: rezip(d, {"manifest.xml": b"<xdomea:Abgabe"}), "not well-formed"),
    "foreign xml": (lambda d: rezip(d, {"manifest.xml": b"<root/>"}), "not an XDOMEA message"),
}


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_hostile_packages_are_refused_and_write_nothing(
    attack, tenant_a, tenant_b, registrar, registrar_b, full_akte, document_root
) -> None:  # noqa: ANN001
    with tenant_scope(tenant_a):
        data = packages.export_akte_package(actor=registrar, akte=full_akte)
    mutate, message = HOSTILE[attack]
    with tenant_scope(tenant_b):
        with pytest.raises(ValidationFailed) as refused:
            packages.import_package(actor=registrar_b, data=mutate(data))
        assert message in refused.value.message and refused.value.message.startswith("The package was refused")
        assert not Akte.objects.exists() and not AktenplanEntry.objects.exists()
        assert not Document.objects.exists() and not Blob.objects.exists()
    assert not (document_root / "blobs" / str(tenant_b.pk)).exists()
    with scopes_disabled():
        assert not AuditEntry.objects.filter(tenant=tenant_b, action="package.imported").exists()


def test_package_api_exports_and_imports(
    tenant_a, tenant_b, admin_a, admin_b, api_client_for, full_akte, settings
) -> None:  # noqa: ANN001
    settings.ROOT_URLCONF = __name__
    response = api_client_for(admin_a, scopes=["files.read"]).get(f"/api/v1/packages/export/{full_akte.public_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = response.content
    assert (
        api_client_for(admin_b, scopes=["files.read"])
        .get(f"/api/v1/packages/export/{full_akte.public_id}/")
        .status_code
        == 404
    )
    upload = io.BytesIO(data)
    upload.name = "paket.zip"
    assert (
        api_client_for(admin_b, scopes=["files.read"])
        .post("/api/v1/packages/import/", {"file": upload}, format="multipart")
        .status_code
        == 403
    )
    upload.seek(0)
    created = api_client_for(admin_b, scopes=["files.admin"]).post(
        "/api/v1/packages/import/", {"file": upload}, format="multipart"
    )
    assert created.status_code == 201, created.content
    assert [a["aktenzeichen"] for a in created.json()] == [full_akte.aktenzeichen]
    upload = io.BytesIO(rezip(data, {"manifest.xml": XXE}))
    upload.name = "boese.zip"
    refused = api_client_for(admin_b, scopes=["files.admin"]).post(
        "/api/v1/packages/import/", {"file": upload}, format="multipart"
    )
    assert refused.status_code == 400 and "DTD" in refused.json()["detail"]

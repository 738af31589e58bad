"""Export: the manifest (XDOMEA structure and names, our additions in the `af` namespace) and the ZIP."""

import datetime as dt
import hashlib
import io
import re
import uuid
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from amtsflow.core.exceptions import Conflict
from amtsflow.files import permissions as perms
from amtsflow.files import selectors
from amtsflow.files.constants import AkteState, DisposalAction
from amtsflow.files.models import Akte, Blob, DisposalList, Document, DocumentVersion, Vorgang
from amtsflow.files.packages.common import AF_NS, BEWERTUNG, MANIFEST, MESSAGE, XDOMEA_NS, af, x
from amtsflow.files.services.common import record
from amtsflow.files.storage import CHUNK, open_blob
from amtsflow.tenants.actor import Actor

# Characters XML 1.0 cannot carry; titles typed or pasted by people occasionally contain them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, tag, attrs)


def _val(parent: etree._Element, tag: str, value: object, **attrs: str) -> None:
    """A text element, left out when there is no value."""
    if value is None or value == "":
        return
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    _el(parent, tag, **attrs).text = _NOT_XML.sub("", text)


def _code(parent: etree._Element, tag: str, code: str) -> None:
    _val(_el(parent, tag), "code", code)  # XOEV code types: an unqualified <code> child


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _kopf(root: etree._Element, *, akte: Akte, recipient: str, process_id: str) -> None:
    kopf = _el(root, x("Kopf"))
    _val(kopf, x("ProzessID"), process_id)
    _code(kopf, x("Nachrichtentyp"), "0401")
    _val(kopf, x("Erstellungszeitpunkt"), timezone.now())
    sender = _el(kopf, x("Absender"))
    _code(_el(sender, x("Behoerdenkennung")), x("Behoerdenschluessel"), akte.tenant.ags)
    _val(_el(sender, x("Institution")), x("Name"), akte.tenant.name)
    _val(_el(_el(kopf, x("Empfaenger")), x("Institution")), x("Name"), recipient)
    _val(_el(kopf, x("SendendesSystem")), x("Produktname"), "Amtsflow")


def _akte_xml(parent: etree._Element, akte: Akte, blobs: dict[str, Blob]) -> None:
    element = _el(parent, x("Akte"))
    _val(_el(element, x("Identifikation")), x("ID"), akte.public_id)
    meta = _el(element, x("AllgemeineMetadaten"))
    _val(meta, x("Betreff"), akte.title)
    _val(meta, x("Kennzeichen"), akte.aktenzeichen)
    _val(meta, x("Bemerkung"), akte.description)
    plan = akte.plan_entry
    unit = _el(element, x("Aktenplaneinheit"))
    _val(unit, x("Kennzeichen"), plan.number)
    _val(unit, x("Inhalt"), plan.title)
    _val(unit, af("Aufbewahrungsdauer"), plan.retention_years)
    _val(unit, af("Aussonderungsart"), plan.disposal_action)
    _code(_el(element, x("ArchivspezifischeMetadaten")), x("Archivbewertung"), BEWERTUNG[plan.disposal_action])
    cycle = _el(element, x("Lebenszyklus"))
    period = _el(cycle, x("Laufzeit"))
    _val(period, x("Beginn"), _day(akte.created_at))
    _val(period, x("Ende"), _day(akte.closed_at))
    _val(cycle, af("AufbewahrenBis"), akte.retention_until)
    _code(element, x("Vertraulichkeitsstufe"), akte.confidentiality)
    for tag, value in [
        ("Status", akte.state),
        ("Jahr", akte.year),
        ("Laufnummer", akte.sequence),
        ("Angelegt", akte.created_at),
        ("Geschlossen", akte.closed_at),
        ("Ausgesondert", akte.disposed_at),
    ]:
        _val(element, af(tag), value)
    documents = list(
        Document.objects.filter(vorgang__akte=akte)
        .order_by("created_at", "pk")
        .prefetch_related(
            Prefetch("versions", DocumentVersion.objects.select_related("blob", "created_by__user").order_by("number"))
        )
    )
    refs = {document.pk: document.public_id for document in documents}
    by_vorgang: dict[int, list[Document]] = defaultdict(list)
    for document in documents:
        by_vorgang[document.vorgang_id].append(document)
    content = _el(element, x("Akteninhalt"))
    # Cases of sandbox process runs are no records; they stay out of packages.
    for vorgang in Vorgang.objects.filter(akte=akte, is_test=False).prefetch_related("parties").order_by("number"):
        _vorgang_xml(content, vorgang, by_vorgang[vorgang.pk], refs, blobs)


def _vorgang_xml(
    parent: etree._Element,
    vorgang: Vorgang,
    documents: list[Document],
    refs: dict[int, uuid.UUID],
    blobs: dict[str, Blob],
) -> None:
    element = _el(parent, x("Vorgang"))
    _val(_el(element, x("Identifikation")), x("ID"), vorgang.public_id)
    meta = _el(element, x("AllgemeineMetadaten"))
    _val(meta, x("Betreff"), vorgang.subject)
    _val(meta, x("Kennzeichen"), vorgang.number)
    _val(meta, x("Bemerkung"), vorgang.description)
    _val(_el(_el(element, x("Lebenszyklus")), x("Laufzeit")), x("Beginn"), _day(vorgang.created_at))
    _val(element, af("Status"), vorgang.status)
    _val(element, af("Faelligkeit"), vorgang.due_date)
    _val(element, af("Angelegt"), vorgang.created_at)
    for party in vorgang.parties.all():
        person = _el(element, x("Beteiligter"))
        for tag, value in [
            (x("Name"), party.name),
            (x("Rolle"), party.role),
            (af("Art"), party.kind),
            (af("Anschrift"), party.address),
            (af("EMail"), party.email),
            (af("Telefon"), party.phone),
        ]:
            _val(person, tag, value)
    for document in documents:
        _document_xml(element, document, refs, blobs)


def _document_xml(
    parent: etree._Element, document: Document, refs: dict[int, uuid.UUID], blobs: dict[str, Blob]
) -> None:
    element = _el(parent, x("Dokument"))
    _val(_el(element, x("Identifikation")), x("ID"), document.public_id)
    _val(_el(element, x("AllgemeineMetadaten")), x("Betreff"), document.title)
    _val(element, x("Posteingangsdatum"), _day(document.received_at))
    _val(element, x("Absender"), document.sender)
    _val(element, af("Richtung"), document.direction)
    _val(element, af("Dokumentdatum"), document.document_date)
    _val(element, af("Eingangszeitpunkt"), document.received_at)
    _val(element, af("TeilVon"), refs.get(document.part_of_id))
    _val(element, af("Angelegt"), document.created_at)
    for version in document.versions.all():
        node = _el(element, x("Version"))
        _val(node, x("Nummer"), version.number)
        fmt = _el(node, x("Format"))
        _code(fmt, x("Name"), Path(version.filename).suffix.lstrip(".").lower())
        primary = _el(fmt, x("Primaerdokument"))
        _val(primary, x("Dateiname"), f"content/{version.blob.sha256}")
        _val(primary, x("DateinameOriginal"), version.filename)
        creator = version.created_by.user if version.created_by else None
        _val(primary, x("Ersteller"), creator and (creator.get_full_name() or creator.get_username()))
        _val(primary, x("Datum"), _day(version.created_at))
        _val(node, af("Pruefsumme"), version.blob.sha256, algorithmus="SHA-256")
        _val(node, af("Medientyp"), version.media_type)
        _val(node, af("Groesse"), version.size)
        _val(node, af("Kommentar"), version.comment)
        _val(node, af("Zeitpunkt"), version.created_at)
        blobs[version.blob.sha256] = version.blob


def _write_content(archive: zipfile.ZipFile, blob: Blob) -> None:
    """Copy a blob into the ZIP, re-hashing it: a package must never carry damaged content unnoticed."""
    digest = hashlib.sha256()
    with open_blob(blob) as source, archive.open(f"content/{blob.sha256}", "w", force_zip64=True) as target:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            target.write(chunk)
    if digest.hexdigest() != blob.sha256:
        raise Conflict(
            _("The stored content %(sha)s is damaged (run verify_storage); nothing was exported.")
            % {"sha": blob.sha256}
        )


def build_package(*, akten: list[Akte], recipient: str = "") -> tuple[bytes, str]:
    """The ZIP of the given files of the active tenant and its process ID. Callers check permissions and audit."""
    if any(akte.state == AkteState.DESTROYED for akte in akten):
        raise Conflict(_("Destroyed files have no content to export."))
    process_id = str(uuid.uuid4())
    root = etree.Element(x(MESSAGE), nsmap={"xdomea": XDOMEA_NS, "af": AF_NS})
    _kopf(root, akte=akten[0], recipient=recipient, process_id=process_id)
    blobs: dict[str, Blob] = {}
    for akte in akten:
        _akte_xml(_el(root, x("Schriftgutobjekt")), akte, blobs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
        for blob in blobs.values():
            _write_content(archive, blob)
    return buffer.getvalue(), process_id


def record_export(actor: Actor, akte: Akte, data: bytes, process_id: str, **details: Any) -> None:
    record(
        actor,
        "package.exported",
        akte,
        process_id=process_id,
        package_sha256=hashlib.sha256(data).hexdigest(),
        package_size=len(data),
        **details,
    )


@transaction.atomic
def export_akte_package(*, actor: Actor, akte: Akte, recipient: str = "") -> bytes:
    """The records package of one file the actor may see; the export is audited."""
    actor.require(perms.VIEW)
    akte = selectors.get_akte(actor=actor, public_id=akte.public_id)  # confidential files: named persons only
    data, process_id = build_package(akten=[akte], recipient=recipient)
    record_export(actor, akte, data, process_id, recipient=recipient)
    return data


@transaction.atomic
def export_disposal_package(*, actor: Actor, disposal_list: DisposalList, recipient: str = "") -> bytes:
    """One package with every file a disposal list hands over to the archive (records managers)."""
    actor.require(perms.DISPOSE)
    akten = list(
        Akte.objects.filter(pk__in=disposal_list.items.filter(action=DisposalAction.ARCHIVE).values("akte_id"))
        .exclude(state=AkteState.DESTROYED)
        .select_related("plan_entry", "tenant")
        .order_by("aktenzeichen")
    )
    if not akten:
        raise Conflict(_("This disposal list hands no files over to the archive."))
    data, process_id = build_package(akten=akten, recipient=recipient)
    for akte in akten:
        record_export(actor, akte, data, process_id, recipient=recipient, disposal_list=str(disposal_list.public_id))
    return data

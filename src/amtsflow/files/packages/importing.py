"""Import: read a checked manifest into unsaved, validated objects, then write them in one transaction."""

import datetime as dt
import io
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.files import permissions as perms
from amtsflow.files.constants import AkteState, Confidentiality, Direction, DisposalAction, PartyKind, VorgangStatus
from amtsflow.files.ingest.errors import UploadRefused
from amtsflow.files.ingest.filetypes import CheckedUpload, check_upload
from amtsflow.files.models import Akte, AktenplanEntry, AktenzeichenCounter, Document, DocumentVersion, Party, Vorgang
from amtsflow.files.packages import checks
from amtsflow.files.packages.common import BEWERTUNG, CONTENT_NAME, MANIFEST, NS
from amtsflow.files.services.common import record, reindex
from amtsflow.files.services.plan import create_plan_entry
from amtsflow.files.storage import store_blob
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import Tenant

T = TypeVar("T")
# Our own numbering `<plan number>/<year>/<sequence>`: an imported number of this form reserves its sequence.
_OUR_NUMBER = re.compile(r"(?P<plan>.+)/(?P<year>\d{4})/(?P<sequence>\d{1,9})")
_ACTION_BY_BEWERTUNG = {code: action for action, code in BEWERTUNG.items()}


@dataclass
class _Version:
    version: DocumentVersion
    member: str
    sha256: str
    created_at: dt.datetime | None
    checked: CheckedUpload | None = None  # set once the content passed the checks
    path: Path | None = None


@dataclass
class _Document:
    document: Document
    ref: str
    part_of: str
    created_at: dt.datetime | None
    versions: list[_Version] = field(default_factory=list)


@dataclass
class _Vorgang:
    vorgang: Vorgang
    created_at: dt.datetime | None
    parties: list[Party] = field(default_factory=list)
    documents: list[_Document] = field(default_factory=list)


@dataclass
class _Akte:
    akte: Akte
    plan: dict[str, str | int]
    created_at: dt.datetime | None
    vorgaenge: list[_Vorgang] = field(default_factory=list)


# --- Reading the manifest -----------------------------------------------------------------------------------


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _aware(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _midnight(value: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(value), dt.time()))


def _read(element: etree._Element, path: str, kind: Callable[[str], T], where: str) -> T | None:
    raw = _text(element, path)
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        raise checks.refused(
            _("%(where)s: %(path)s has the invalid value %(value)r.")
            % {"where": where, "path": path, "value": raw[:50]}
        ) from None


def _valid(obj: models.Model, where: str, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=["tenant", *exclude], validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
        raise checks.refused(f"{where}: {problems}") from None


def _parse_akte(element: etree._Element) -> _Akte:
    reference = _text(element, "x:AllgemeineMetadaten/x:Kennzeichen")
    if not reference:
        raise checks.refused(_("a file has no reference number (AllgemeineMetadaten/Kennzeichen)."))
    where = _("file %(ref)s") % {"ref": reference}
    closed_at = _read(element, "af:Geschlossen", _aware, where) or _read(
        element, "x:Lebenszyklus/x:Laufzeit/x:Ende", _midnight, where
    )
    created_at = _read(element, "af:Angelegt", _aware, where) or _read(
        element, "x:Lebenszyklus/x:Laufzeit/x:Beginn", _midnight, where
    )
    state = _text(element, "af:Status") or (AkteState.CLOSED if closed_at else AkteState.OPEN)
    if state == AkteState.DESTROYED:
        raise checks.refused(_("%(where)s was destroyed; it has no content to import.") % {"where": where})
    # Unknown codes (e.g. another system's scale) count as confidential: the safe side.
    confidentiality = _text(element, "x:Vertraulichkeitsstufe/code") or Confidentiality.NORMAL
    akte = Akte(
        aktenzeichen=reference,
        title=_text(element, "x:AllgemeineMetadaten/x:Betreff"),
        description=_text(element, "x:AllgemeineMetadaten/x:Bemerkung"),
        state=state,
        confidentiality=confidentiality if confidentiality == Confidentiality.NORMAL else Confidentiality.CONFIDENTIAL,
        year=_read(element, "af:Jahr", int, where) or (created_at or timezone.now()).year,
        sequence=_read(element, "af:Laufnummer", int, where) or 0,
        closed_at=closed_at,
        retention_until=_read(element, "x:Lebenszyklus/af:AufbewahrenBis", dt.date.fromisoformat, where),
        disposed_at=_read(element, "af:Ausgesondert", _aware, where),
    )
    _valid(akte, where, ["plan_entry", "created_by", "org_unit"])
    action = _text(element, "x:Aktenplaneinheit/af:Aussonderungsart") or _ACTION_BY_BEWERTUNG.get(
        _text(element, "x:ArchivspezifischeMetadaten/x:Archivbewertung/code"), DisposalAction.ARCHIVE
    )
    plan = {
        "number": _text(element, "x:Aktenplaneinheit/x:Kennzeichen"),
        "title": _text(element, "x:Aktenplaneinheit/x:Inhalt"),
        "disposal_action": action,
        "retention_years": _read(element, "x:Aktenplaneinheit/af:Aufbewahrungsdauer", int, where) or 10,
    }
    parsed = _Akte(akte=akte, plan=plan, created_at=created_at)
    for position, node in enumerate(element.iterfind("x:Akteninhalt/x:Vorgang", NS), 1):
        parsed.vorgaenge.append(_parse_vorgang(node, position, where, closed=state != AkteState.OPEN))
    numbers = [item.vorgang.number for item in parsed.vorgaenge]
    refs = [doc.ref for item in parsed.vorgaenge for doc in item.documents]
    if len(set(numbers)) != len(numbers) or len(set(refs)) != len(refs):
        raise checks.refused(_("%(where)s: case numbers or document IDs occur twice.") % {"where": where})
    unknown = {doc.part_of for item in parsed.vorgaenge for doc in item.documents if doc.part_of} - set(refs)
    if unknown:
        raise checks.refused(_("%(where)s: an attachment refers to an unknown document.") % {"where": where})
    return parsed


def _parse_vorgang(element: etree._Element, position: int, where: str, *, closed: bool) -> _Vorgang:
    number = _read(element, "x:AllgemeineMetadaten/x:Kennzeichen", int, where) or position
    where = f"{where}, {_('case')} {number}"
    vorgang = Vorgang(
        number=number,
        subject=_text(element, "x:AllgemeineMetadaten/x:Betreff"),
        description=_text(element, "x:AllgemeineMetadaten/x:Bemerkung"),
        status=_text(element, "af:Status") or (VorgangStatus.DONE if closed else VorgangStatus.OPEN),
        due_date=_read(element, "af:Faelligkeit", dt.date.fromisoformat, where),
    )
    _valid(vorgang, where, ["akte", "org_unit", "responsible"])
    parsed = _Vorgang(vorgang=vorgang, created_at=_read(element, "af:Angelegt", _aware, where))
    for node in element.iterfind("x:Beteiligter", NS):
        party = Party(
            name=_text(node, "x:Name"),
            role=_text(node, "x:Rolle"),
            kind=_text(node, "af:Art") or PartyKind.PERSON,
            address=_text(node, "af:Anschrift"),
            email=_text(node, "af:EMail"),
            phone=_text(node, "af:Telefon"),
        )
        _valid(party, where, ["vorgang"])
        parsed.parties.append(party)
    for position, node in enumerate(element.iterfind("x:Dokument", NS), 1):
        parsed.documents.append(_parse_document(node, f"{where}, {_('document')} {position}"))
    return parsed


def _parse_document(element: etree._Element, where: str) -> _Document:
    received = _read(element, "af:Eingangszeitpunkt", _aware, where) or _read(
        element, "x:Posteingangsdatum", _midnight, where
    )
    document = Document(
        title=_text(element, "x:AllgemeineMetadaten/x:Betreff"),
        direction=_text(element, "af:Richtung") or Direction.INCOMING,
        document_date=_read(element, "af:Dokumentdatum", dt.date.fromisoformat, where),
        received_at=received,
        sender=_text(element, "x:Absender"),
    )
    _valid(document, where, ["vorgang", "part_of", "checked_out_by"])
    parsed = _Document(
        document=document,
        ref=_text(element, "x:Identifikation/x:ID") or where,
        part_of=_text(element, "af:TeilVon"),
        created_at=_read(element, "af:Angelegt", _aware, where),
    )
    for node in element.iterfind("x:Version", NS):
        number = _read(node, "x:Nummer", int, where)
        member = _text(node, "x:Format/x:Primaerdokument/x:Dateiname")
        checksum = node.find("af:Pruefsumme", NS)
        sha256 = (checksum.text or "").strip().lower() if checksum is not None else ""
        if (
            not number
            or not CONTENT_NAME.fullmatch(member)
            or checksum is None
            or (checksum.get("algorithmus") != "SHA-256" or member != f"content/{sha256}")
        ):
            raise checks.refused(
                _("%(where)s: a version lacks its number, content path or SHA-256 checksum.") % {"where": where}
            )
        version = DocumentVersion(
            number=number,
            # Only a claim: the stored name and media type come from our own checks of the content.
            filename=(_text(node, "x:Format/x:Primaerdokument/x:DateinameOriginal") or sha256)[:255],
            comment=_text(node, "af:Kommentar"),
            media_type="application/octet-stream",
            size=0,
        )
        _valid(version, where, ["document", "blob", "created_by", "rendition"])
        parsed.versions.append(
            _Version(
                version=version,
                member=member,
                sha256=sha256,
                created_at=_read(node, "af:Zeitpunkt", _aware, where)
                or _read(node, "x:Format/x:Primaerdokument/x:Datum", _midnight, where),
            )
        )
    parsed.versions.sort(key=lambda item: item.version.number)
    numbers = [item.version.number for item in parsed.versions]
    if not numbers or len(set(numbers)) != len(numbers):
        raise checks.refused(_("%(where)s: versions are missing or numbered twice.") % {"where": where})
    return parsed


def _check_content(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], akten: list[_Akte], directory: Path
) -> None:
    """Every referenced content present, matching its checksum and passing the upload checks; nothing else."""
    versions = [v for a in akten for vg in a.vorgaenge for d in vg.documents for v in d.versions]
    referenced = {v.member: v.sha256 for v in versions}
    missing = sorted(set(referenced) - set(members))
    if missing:
        raise checks.refused(_("the content %(names)s is missing.") % {"names": ", ".join(missing[:5])})
    unused = sorted(set(members) - set(referenced) - {MANIFEST})
    if unused:
        raise checks.refused(_("it contains the unexpected member %(name)s.") % {"name": unused[0]})
    paths = {member: checks.extract(archive, members[member], directory, sha) for member, sha in referenced.items()}
    for item in versions:
        item.path = paths[item.member]
        try:
            item.checked = check_upload(
                item.path, original_name=item.version.filename, max_bytes=settings.AMTSFLOW_MAX_UPLOAD_BYTES
            )
        except UploadRefused as exc:
            raise checks.refused(f"{item.version.filename}: {exc.message}") from None


# --- Writing -------------------------------------------------------------------------------------------------


def _plan_entry(actor: Actor, item: _Akte, fallback: AktenplanEntry | None) -> AktenplanEntry:
    number = str(item.plan["number"])
    existing = AktenplanEntry.objects.filter(number=number).first() if number else None
    if existing is not None or fallback is not None:
        return existing or fallback  # type: ignore[return-value]
    return create_plan_entry(
        actor=actor,
        number=number,
        title=str(item.plan["title"] or number),
        retention_years=int(item.plan["retention_years"]),
        disposal_action=str(item.plan["disposal_action"]),
    )


def _check_targets(akten: list[_Akte], fallback: AktenplanEntry | None) -> None:
    references = [item.akte.aktenzeichen for item in akten]
    taken = set(Akte.objects.filter(aktenzeichen__in=references).values_list("aktenzeichen", flat=True))
    if taken or len(set(references)) != len(references):
        names = ", ".join(sorted(taken) or references)
        raise Conflict(_("These reference numbers exist already: %(refs)s. Nothing was imported.") % {"refs": names})
    if fallback is None and any(not item.plan["number"] for item in akten):
        raise checks.refused(_("a file has no file plan entry (Aktenplaneinheit); choose one to file it under."))


def _reserve_number(akte: Akte) -> None:
    """Make later files of the same plan entry and year number after an imported `<plan>/<year>/<sequence>`."""
    match = _OUR_NUMBER.fullmatch(akte.aktenzeichen)
    entry = AktenplanEntry.objects.filter(number=match["plan"]).first() if match else None
    if match is None or entry is None:
        return
    year, sequence = int(match["year"]), int(match["sequence"])
    counter, _created = AktenzeichenCounter.objects.select_for_update().get_or_create(
        plan_entry=entry, year=year, defaults={"tenant": akte.tenant}
    )
    if counter.last_sequence < sequence:
        counter.last_sequence = sequence
        counter.save(update_fields=["last_sequence"])


def _keep_created_at(obj: models.Model, moment: dt.datetime | None) -> None:
    if moment is not None:
        type(obj).objects.filter(pk=obj.pk).update(created_at=moment)
        obj.created_at = moment


def _write_versions(tenant: Tenant, document: Document, parsed: _Document) -> None:
    from amtsflow.files.tasks import extract_text_task  # tasks import services; import late

    for item in parsed.versions:
        version, checked = item.version, item.checked
        if checked is None or item.path is None:
            raise RuntimeError("content not checked")  # _check_content runs before any write
        # Name and media type as our own checks see the content, never as the package claims them.
        version.tenant, version.document, version.created_by = tenant, document, None
        version.filename, version.media_type, version.size = (
            checked.safe_name,
            checked.detected.media_type,
            checked.size,
        )
        version.blob = store_blob(tenant=tenant, path=item.path, sha256=item.sha256)
        version.save()
        _keep_created_at(version, item.created_at)
        transaction.on_commit(lambda pk=version.pk: extract_text_task.delay(tenant_id=tenant.pk, version_id=pk))


def _write(actor: Actor, item: _Akte, fallback: AktenplanEntry | None, sender: dict[str, str]) -> Akte:
    tenant = actor.tenant
    akte = item.akte
    akte.tenant, akte.plan_entry, akte.created_by = tenant, _plan_entry(actor, item, fallback), actor.membership
    akte.save()
    if akte.is_confidential and actor.membership is not None:
        akte.permitted_members.add(actor.membership)  # the importer must not lock everybody out
    _keep_created_at(akte, item.created_at)
    _reserve_number(akte)
    documents: dict[str, Document] = {}
    for parsed in item.vorgaenge:
        parsed.vorgang.tenant, parsed.vorgang.akte = tenant, akte
        parsed.vorgang.save()
        _keep_created_at(parsed.vorgang, parsed.created_at)
        for party in parsed.parties:
            party.tenant, party.vorgang = tenant, parsed.vorgang
            party.save()
        for doc in parsed.documents:
            doc.document.tenant, doc.document.vorgang = tenant, parsed.vorgang
            doc.document.save()
            _keep_created_at(doc.document, doc.created_at)
            documents[doc.ref] = doc.document
            _write_versions(tenant, doc.document, doc)
    all_documents = [doc for parsed in item.vorgaenge for doc in parsed.documents]
    for doc in all_documents:
        if doc.part_of:  # attachments point to their e-mail, which may come later in the manifest
            doc.document.part_of = documents[doc.part_of]
            doc.document.save(update_fields=["part_of"])
    counts = {
        "vorgaenge": len(item.vorgaenge),
        "parties": sum(len(parsed.parties) for parsed in item.vorgaenge),
        "documents": len(all_documents),
        "versions": sum(len(doc.versions) for doc in all_documents),
    }
    record(actor, "package.imported", akte, aktenzeichen=akte.aktenzeichen, **sender, **counts)
    reindex(akte)
    for parsed in item.vorgaenge:
        reindex(parsed.vorgang)
    for doc in all_documents:
        reindex(doc.document)
    return akte


def import_package(
    *, actor: Actor, data: bytes | IO[bytes], plan_entry_fallback: AktenplanEntry | None = None
) -> list[Akte]:
    """Create the files of a records package in the actor's tenant, keeping reference numbers, structure, versions
    and checksums. All or nothing; hostile or damaged packages raise ValidationFailed before anything is written.
    Files whose plan entry is missing here go under `plan_entry_fallback`, else the entry is created."""
    actor.require(perms.MANAGE_PLAN)
    if plan_entry_fallback is not None and plan_entry_fallback.tenant_id != actor.tenant.pk:
        raise ValidationFailed(_("Unknown file plan entry."))
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    with tempfile.TemporaryDirectory(prefix="amtsflow-import-") as directory:
        try:
            with zipfile.ZipFile(source) as archive:
                members = checks.check_members(archive)
                root = checks.parse_manifest(archive, members[MANIFEST])
                akten = [_parse_akte(node) for node in root.iterfind("x:Schriftgutobjekt/x:Akte", NS)]
                if not akten:
                    raise checks.refused(_("it contains no file (Schriftgutobjekt/Akte)."))
                _check_content(archive, members, akten, Path(directory))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise checks.refused(_("it is not a readable ZIP archive (%(error)s).") % {"error": exc}) from None
        sender = {
            "process_id": _text(root, "x:Kopf/x:ProzessID"),
            "sender": _text(root, "x:Kopf/x:Absender/x:Institution/x:Name"),
            "sender_ags": _text(root, "x:Kopf/x:Absender/x:Behoerdenkennung/x:Behoerdenschluessel/code"),
        }
        try:
            with transaction.atomic():
                _check_targets(akten, plan_entry_fallback)
                return [_write(actor, item, plan_entry_fallback, sender) for item in akten]
        except IntegrityError as exc:  # a concurrent creation took a reference number after the check
            raise Conflict(_("A reference number of the package was taken meanwhile; nothing was imported.")) from exc

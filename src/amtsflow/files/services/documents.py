"""Documents: filing uploads and e-mails, immutable versions, check-out/check-in, downloads."""

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from amtsflow.core.events import publish, register_event
from amtsflow.core.exceptions import Conflict
from amtsflow.files import permissions as perms
from amtsflow.files.constants import Direction
from amtsflow.files.ingest.email import parse_eml
from amtsflow.files.ingest.filetypes import CheckedUpload, check_upload
from amtsflow.files.models import Document, DocumentVersion, Vorgang
from amtsflow.files.services.akten import _require_open
from amtsflow.files.services.common import full_clean, record, reindex
from amtsflow.files.storage import store_blob
from amtsflow.tenants.actor import Actor

Upload = UploadedFile | Path | bytes

DOCUMENT_FILED = register_event("files.document_filed", _lazy("A document was filed in a case"))


@contextmanager
def spooled(upload: Upload) -> Iterator[Path]:
    """The upload as a file on disk (large uploads already are one), removed afterwards."""
    if isinstance(upload, Path):
        yield upload
        return
    if isinstance(upload, UploadedFile) and hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(prefix="amtsflow-upload-", delete=True) as handle:
        if isinstance(upload, bytes):
            handle.write(upload)
        else:
            upload.seek(0)
            shutil.copyfileobj(upload, handle)
        handle.flush()
        yield Path(handle.name)


def _queue_extraction(version: DocumentVersion) -> None:
    from amtsflow.files.tasks import extract_text_task  # tasks import services; import late

    transaction.on_commit(lambda: extract_text_task.delay(tenant_id=version.tenant_id, version_id=version.pk))


def _new_version(actor: Actor, document: Document, path: Path, checked: CheckedUpload, comment: str) -> DocumentVersion:
    blob = store_blob(tenant=actor.tenant, path=path, sha256=checked.sha256)
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = DocumentVersion.objects.create(
        tenant=actor.tenant,
        document=document,
        number=number,
        blob=blob,
        filename=checked.safe_name,
        media_type=checked.detected.media_type,
        size=checked.size,
        comment=comment,
        created_by=actor.membership,
    )
    _queue_extraction(version)
    return version


@transaction.atomic
def file_document(
    *,
    actor: Actor,
    vorgang: Vorgang,
    upload: Upload,
    filename: str,
    title: str = "",
    direction: str = Direction.INCOMING,
    document_date: dt.date | None = None,
    sender: str = "",
    received_at: dt.datetime | None = None,
    part_of: Document | None = None,
) -> Document:
    """File an upload as a new document with version 1. E-mails (.eml) are split into the mail and its
    attachments. Refused content raises UploadRefused with a clear message; nothing is written then."""
    actor.require(perms.EDIT)
    _require_open(vorgang.akte)
    with spooled(upload) as path:
        checked = check_upload(path, original_name=filename, max_bytes=settings.AMTSFLOW_MAX_UPLOAD_BYTES)
        if checked.detected.kind == "eml" and part_of is None:
            return _file_email(
                actor=actor, vorgang=vorgang, path=path, checked=checked, title=title, direction=direction
            )
        document = Document(
            tenant=actor.tenant,
            vorgang=vorgang,
            title=(title or Path(checked.safe_name).stem)[:300],
            direction=direction,
            document_date=document_date,
            sender=sender,
            received_at=received_at or (timezone.now() if direction == Direction.INCOMING else None),
            part_of=part_of,
        )
        full_clean(document, exclude=["tenant", "vorgang", "part_of", "checked_out_by"])
        document.save()
        version = _new_version(actor, document, path, checked, comment="")
    record(
        actor, "document.created", document, version=version.number, filename=version.filename, sha256=checked.sha256
    )
    reindex(document)
    publish(
        DOCUMENT_FILED.name,
        actor=actor,
        case_id=str(vorgang.public_id),
        document_id=str(document.public_id),
        subject=document.title,
    )
    return document


def _file_email(
    *, actor: Actor, vorgang: Vorgang, path: Path, checked: CheckedUpload, title: str, direction: str
) -> Document:
    """The mail itself (original .eml as content) and one linked document per attachment."""
    mail = parse_eml(path.read_bytes())
    document = Document(
        tenant=actor.tenant,
        vorgang=vorgang,
        title=(title or mail.subject or _("E-mail"))[:300],
        direction=direction,
        sender=mail.sender[:300],
        received_at=mail.date or timezone.now(),
        document_date=mail.date.date() if mail.date else None,
    )
    document.save()
    _new_version(actor, document, path, checked, comment="")
    record(actor, "document.created", document, filename=checked.safe_name, attachments=len(mail.attachments))
    reindex(document)
    for attachment in mail.attachments:
        file_document(
            actor=actor,
            vorgang=vorgang,
            upload=attachment.content,
            filename=attachment.filename,
            direction=direction,
            sender=mail.sender[:300],
            received_at=document.received_at,
            part_of=document,
        )
    return document


def file_email(*, actor: Actor, vorgang: Vorgang, upload: Upload, filename: str = "mail.eml") -> Document:
    """File an .eml explicitly (the same as filing it as a document)."""
    return file_document(actor=actor, vorgang=vorgang, upload=upload, filename=filename)


@transaction.atomic
def add_version(
    *, actor: Actor, document: Document, upload: Upload, filename: str, comment: str = ""
) -> DocumentVersion:
    """Add a new version; earlier versions stay untouched. Refused while someone else has it checked out."""
    actor.require(perms.EDIT)
    document = Document.objects.select_for_update().select_related("vorgang__akte").get(pk=document.pk)
    _require_open(document.vorgang.akte)
    if document.checked_out_by_id and document.checked_out_by_id != getattr(actor.membership, "pk", None):
        raise Conflict(
            _("%(name)s is editing this document (checked out since %(since)s).")
            % {
                "name": document.checked_out_by,
                "since": timezone.localtime(document.checked_out_at).strftime("%d.%m.%Y %H:%M"),
            }
        )
    with spooled(upload) as path:
        checked = check_upload(path, original_name=filename, max_bytes=settings.AMTSFLOW_MAX_UPLOAD_BYTES)
        version = _new_version(actor, document, path, checked, comment=comment)
    document.save(update_fields=["updated_at"])
    record(
        actor,
        "document.version_added",
        document,
        version=version.number,
        filename=version.filename,
        sha256=checked.sha256,
    )
    reindex(document)
    return version


@transaction.atomic
def check_out(*, actor: Actor, document: Document) -> Document:
    """Lock the document for the actor so that nobody else adds a version meanwhile."""
    actor.require(perms.EDIT)
    if actor.membership is None:
        raise Conflict(_("Only persons can check out documents."))
    document = Document.objects.select_for_update().select_related("vorgang__akte").get(pk=document.pk)
    _require_open(document.vorgang.akte)
    if document.checked_out_by_id and document.checked_out_by_id != actor.membership.pk:
        raise Conflict(_("%(name)s has already checked out this document.") % {"name": document.checked_out_by})
    document.checked_out_by, document.checked_out_at = actor.membership, timezone.now()
    document.save(update_fields=["checked_out_by", "checked_out_at", "updated_at"])
    record(actor, "document.checked_out", document)
    return document


@transaction.atomic
def check_in(
    *,
    actor: Actor,
    document: Document,
    upload: Upload | None = None,
    filename: str = "",
    comment: str = "",
    force: bool = False,
) -> Document:
    """Release the lock, optionally adding the edited content as a new version. `force` (records
    managers) releases someone else's lock, e.g. when a colleague is absent."""
    actor.require(perms.EDIT)
    document = Document.objects.select_for_update().get(pk=document.pk)
    holder = document.checked_out_by_id
    mine = holder is not None and holder == getattr(actor.membership, "pk", None)
    if holder is None:
        raise Conflict(_("The document is not checked out."))
    if not mine and not (force and actor.can(perms.DISPOSE)):
        raise Conflict(_("%(name)s has checked out this document.") % {"name": document.checked_out_by})
    if upload is not None and mine:
        add_version(actor=actor, document=document, upload=upload, filename=filename, comment=comment)
    document.checked_out_by, document.checked_out_at = None, None
    document.save(update_fields=["checked_out_by", "checked_out_at", "updated_at"])
    record(actor, "document.checked_in", document, forced=not mine)
    return document


@transaction.atomic
def record_download(*, actor: Actor, version: DocumentVersion, rendition: bool = False) -> None:
    """Every download is audited; for confidential files this is the legally relevant access record."""
    actor.require(perms.VIEW)
    record(
        actor,
        "document.downloaded",
        version.document,
        version=version.number,
        rendition=rendition,
        confidential=version.document.vorgang.akte.is_confidential,
    )

"""Taking files in: store the original, write its row, then (after commit) process it.

The order is the guarantee: bytes on disk first, the committed row second, processing last. Whatever fails
later, the original and the record of its arrival remain, and processing can be repeated.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from amtsflow.audit import services as audit
from amtsflow.core.exceptions import ValidationFailed
from amtsflow.einvoices import originals
from amtsflow.einvoices import permissions as perms
from amtsflow.einvoices.models import Channel, Receipt, ReceiptState
from amtsflow.files.ingest.names import clean_name
from amtsflow.tenants.actor import Actor

MAX_FILES_PER_DELIVERY = 50


@dataclass(frozen=True)
class IncomingFile:
    filename: str
    content: bytes


@dataclass(frozen=True)
class MailOrigin:
    """The mail an attachment came with; the mail itself is stored and filed with the invoice."""

    sha256: str
    storage_name: str
    subject: str
    sender: str


def clean_filename(name: str) -> str:
    return clean_name(name) or "rechnung"  # the e-file's cleaning: the name is shown and filed there


def check_delivery(files: list[IncomingFile]) -> None:
    check_sizes([(f.filename, len(f.content)) for f in files])


def check_sizes(files: list[tuple[str, int]]) -> None:
    """Refuse a delivery with no file, too many files, or a file that is empty or too large."""
    if not files:
        raise ValidationFailed(_("Choose at least one invoice file."), field_errors={"files": [_("Required.")]})
    if len(files) > MAX_FILES_PER_DELIVERY:
        raise ValidationFailed(
            _("At most %(count)d files at once.") % {"count": MAX_FILES_PER_DELIVERY},
            field_errors={"files": [_("Too many files.")]},
        )
    limit = settings.AMTSFLOW_EINVOICE_MAX_BYTES
    for filename, size in files:
        if size > limit:
            raise ValidationFailed(
                _("%(name)s is larger than %(limit)s; invoices above that size are not accepted.")
                % {"name": clean_filename(filename), "limit": filesizeformat(limit)},
                field_errors={"files": [_("File too large.")]},
            )
        if not size:
            raise ValidationFailed(
                _("%(name)s is empty.") % {"name": clean_filename(filename)},
                field_errors={"files": [_("Empty file.")]},
            )


def from_uploads(uploads: Iterable[UploadedFile]) -> list[IncomingFile]:
    """Uploaded files as incoming files; count and sizes are checked before anything is read into memory."""
    uploads = list(uploads)
    check_sizes([(u.name or "", u.size or 0) for u in uploads])
    return [IncomingFile(u.name or "", u.read()) for u in uploads]


def queue_processing(receipt: Receipt) -> None:
    from amtsflow.einvoices.tasks import process_receipt  # noqa: PLC0415 - tasks import the services

    tenant_id, receipt_id = receipt.tenant_id, str(receipt.public_id)
    transaction.on_commit(lambda: process_receipt.delay(tenant_id=tenant_id, receipt_id=receipt_id))


def receive(
    *,
    actor: Actor,
    files: Iterable[IncomingFile],
    channel: str = Channel.UPLOAD,
    source: str = "",
    mail: MailOrigin | None = None,
) -> list[Receipt]:
    """Store every file and record its arrival for the actor's tenant; processing follows after commit."""
    actor.require(perms.RECEIVE)
    incoming = list(files)
    check_delivery(incoming)
    stored = [(f, *originals.store(f.content)) for f in incoming]  # before any row: nothing points to nothing
    receipts: list[Receipt] = []
    with transaction.atomic():
        for incoming_file, sha256, name in stored:
            receipt = Receipt.objects.create(
                tenant=actor.tenant,
                sha256=sha256,
                storage_name=name,
                size=len(incoming_file.content),
                filename=clean_filename(incoming_file.filename),
                channel=channel,
                source=source[:255],
                received_by=actor.label[:150],
                membership=actor.membership,
                mail_sha256=mail.sha256 if mail else "",
                mail_storage_name=mail.storage_name if mail else "",
                mail_subject=mail.subject[:500] if mail else "",
            )
            audit.record(
                actor=actor,
                action="invoice_receipt.received",
                obj=receipt,
                details={"filename": receipt.filename, "sha256": sha256, "channel": channel, "size": receipt.size},
            )
            queue_processing(receipt)
            receipts.append(receipt)
    return receipts


def reprocess(*, actor: Actor, receipt: Receipt) -> Receipt:
    """Run processing again for a receipt whose processing failed (e.g. rules were missing)."""
    actor.require(perms.MANAGE)
    with transaction.atomic():
        # Conditional: of two clicks at once only one sends the receipt back to processing.
        if not Receipt.objects.filter(pk=receipt.pk, state=ReceiptState.FAILED).update(
            state=ReceiptState.RECEIVED, problem=""
        ):
            raise ValidationFailed(_("Only receipts whose processing failed can be processed again."))
        receipt.refresh_from_db()
        audit.record(actor=actor, action="invoice_receipt.reprocessed", obj=receipt)
        queue_processing(receipt)
    return receipt

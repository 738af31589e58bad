"""The mailbox channel: each polled mail is stored whole, its invoice attachments are taken in.

A tenant's own mailbox delivers into that tenant. The provider's shared mailbox routes every attachment by its
buyer reference (Leitweg-ID) to the municipality with that coarse address; what names none lands in the
provider's clearing (Intake rows) until an operator assigns it. A mail without an invoice is kept as a refused
arrival, so nothing that came in disappears silently.
"""

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import ValidationFailed
from amtsflow.einvoices import originals
from amtsflow.einvoices.mailbox import MailAttachment, MailboxConfig, MailParts, split_mail
from amtsflow.einvoices.models import Channel, Intake, IntakeState, Receipt, ReceiptState
from amtsflow.einvoices.reading import detect, read_invoice
from amtsflow.einvoices.reading.safexml import Refused
from amtsflow.einvoices.services import intake
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailOutcome:
    receipts: int = 0
    intakes: int = 0


def receive_mail(config: MailboxConfig, raw: bytes) -> MailOutcome:
    """Take one mail in (called by the poller for each new mail; raising leaves the mail for the Fehler folder)."""
    sha256, name = originals.store(raw)
    parts = split_mail(raw)
    origin = intake.MailOrigin(sha256=sha256, storage_name=name, subject=parts.subject, sender=parts.sender)
    source = f"{config.name}: {parts.sender}"[:255]
    if config.tenant:
        tenant = Tenant.objects.get(slug=config.tenant, is_active=True)
        return MailOutcome(receipts=_deliver(tenant, parts, origin, source, parts.attachments, raw))
    routed: dict[int, list] = {}
    unrouted = []
    for attachment in parts.attachments:
        tenant = tenant_selectors.tenant_for_leitweg(_buyer_reference(attachment.content, attachment.filename))
        if tenant is None:
            unrouted.append(attachment)
        else:
            routed.setdefault(tenant.pk, [tenant, []])[1].append(attachment)
    receipts = sum(_deliver(t, parts, origin, source, files, raw) for t, files in routed.values())
    for attachment in unrouted:
        _to_clearing(attachment, origin, source)
    if not parts.attachments:
        Intake.objects.create(
            sha256=sha256, storage_name=name, size=len(raw), filename="mail.eml", channel=Channel.MAIL,
            source=source, mail_sha256=sha256, mail_storage_name=name, state=IntakeState.REFUSED,
            problem=parts.problem or _("The mail has no invoice attached."),
        )  # fmt: skip
    return MailOutcome(receipts=receipts, intakes=len(unrouted) + (0 if parts.attachments else 1))


def _buyer_reference(content: bytes, filename: str) -> str:
    detected = detect(content, filename)
    if not detected.structured:
        return ""
    try:
        return read_invoice(detected.xml).buyer_reference.strip()
    except Refused:
        return ""


def _deliver(tenant: Tenant, parts: MailParts, origin: intake.MailOrigin, source: str, files: list, raw: bytes) -> int:
    with tenant_scope(tenant):
        actor = Actor.for_system(tenant, "mailbox")
        if not files:
            _refused_mail(tenant, parts, origin, source, raw)
            return 1
        # Checked one by one: an empty or oversized attachment is recorded as refused, the others go on.
        incoming: list[intake.IncomingFile] = []
        for attachment in files:
            try:
                intake.check_sizes([(attachment.filename, len(attachment.content))])
            except ValidationFailed as refused:
                _refused_attachment(tenant, attachment, origin, source, refused.message)
            else:
                incoming.append(intake.IncomingFile(attachment.filename, attachment.content))
        count = len(files) - len(incoming)
        step = intake.MAX_FILES_PER_DELIVERY
        for start in range(0, len(incoming), step):
            chunk = incoming[start : start + step]
            count += len(intake.receive(actor=actor, files=chunk, channel=Channel.MAIL, source=source, mail=origin))
        return count


def _refused_mail(tenant: Tenant, parts: MailParts, origin: intake.MailOrigin, source: str, raw: bytes) -> None:
    problem = parts.problem or _("The mail has no invoice attached.")
    filename = (parts.subject or "mail")[:200] + ".eml"
    _refused_receipt(tenant, filename, origin.sha256, origin.storage_name, len(raw), origin, source, problem)


def _refused_attachment(
    tenant: Tenant, attachment: MailAttachment, origin: intake.MailOrigin, source: str, problem: str
) -> None:
    sha256, name = originals.store(attachment.content)
    filename = intake.clean_filename(attachment.filename)
    _refused_receipt(tenant, filename, sha256, name, len(attachment.content), origin, source, problem)


def _refused_receipt(  # noqa: PLR0913
    tenant: Tenant,
    filename: str,
    sha256: str,
    name: str,
    size: int,
    origin: intake.MailOrigin,
    source: str,
    problem: str,
) -> None:
    """An arrival of the mailbox that is kept and shown, but not processed."""
    Receipt.objects.create(
        tenant=tenant, sha256=sha256, storage_name=name, size=size, filename=filename, channel=Channel.MAIL,
        source=source, received_by="system:mailbox", mail_sha256=origin.sha256, mail_storage_name=origin.storage_name,
        mail_subject=origin.subject[:500], state=ReceiptState.REFUSED, problem=problem,
    )  # fmt: skip


def _to_clearing(attachment: MailAttachment, origin: intake.MailOrigin, source: str) -> Intake:
    sha256, name = originals.store(attachment.content)
    try:
        intake.check_sizes([(attachment.filename, len(attachment.content))])
    except ValidationFailed as refused:  # kept and shown, but nothing an operator could hand on
        state, problem = IntakeState.REFUSED, refused.message
    else:
        state, problem = IntakeState.CLEARING, _("No municipality of this installation has this Leitweg-ID.")
    filename = intake.clean_filename(attachment.filename)
    return Intake.objects.create(
        sha256=sha256, storage_name=name, size=len(attachment.content), filename=filename,
        channel=Channel.MAIL, source=source, mail_sha256=origin.sha256, mail_storage_name=origin.storage_name,
        buyer_reference=_buyer_reference(attachment.content, attachment.filename)[:100], state=state,
        problem=problem,
    )  # fmt: skip


def assign_intake(*, operator_label: str, intake_row: Intake, tenant: Tenant) -> Receipt:
    """A provider operator hands an unrouted file to a municipality; it is processed there like any arrival."""
    with transaction.atomic():
        row = Intake.objects.select_for_update().get(pk=intake_row.pk)
        if row.state != IntakeState.CLEARING:
            raise ValidationFailed(_("This file is no longer in clearing."))
        with tenant_scope(tenant):
            content = originals.read(row.storage_name)
            mail = None
            if row.mail_storage_name:
                mail = intake.MailOrigin(row.mail_sha256, row.mail_storage_name, "", row.source)
            actor = Actor.for_system(tenant, "clearing")
            (receipt,) = intake.receive(
                actor=actor, files=[intake.IncomingFile(row.filename, content)], channel=row.channel,
                source=row.source, mail=mail,
            )  # fmt: skip
        row.state, row.tenant, row.routed_by = IntakeState.ROUTED, tenant, operator_label[:150]
        row.save(update_fields=["state", "tenant", "routed_by", "updated_at"])
    return receipt


def discard_intake(*, operator_label: str, intake_row: Intake, reason: str) -> Intake:
    """A provider operator sets aside a file no municipality will take (spam, a misdirected invoice already
    answered elsewhere). The original stays stored; the reason and the operator are kept on the row."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationFailed(_("Give a reason."), field_errors={"reason": [_("Required.")]})
    with transaction.atomic():
        row = Intake.objects.select_for_update().get(pk=intake_row.pk)
        if row.state != IntakeState.CLEARING:
            raise ValidationFailed(_("This file is no longer in clearing."))
        row.state, row.problem, row.routed_by = IntakeState.DISCARDED, reason[:2000], operator_label[:150]
        row.save(update_fields=["state", "problem", "routed_by", "updated_at"])
    logger.info("clearing file %s (%s) discarded by %s: %s", row.public_id, row.filename, operator_label, reason)
    return row


@contextmanager
def _mailbox_lock(name: str) -> Iterator[bool]:
    """Whether this process may poll the mailbox now. PostgreSQL: a session advisory lock, so workers and the
    command on other hosts exclude each other; elsewhere (the single-process SQLite set-up) the cache."""
    if connection.vendor == "postgresql":
        key = int(hashlib.sha256(f"einvoices:mailbox:{name}".encode()).hexdigest()[:15], 16)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            locked = bool(cursor.fetchone()[0])
        try:
            yield locked
        finally:
            if locked:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    from django.core.cache import cache  # noqa: PLC0415

    locked = cache.add(f"einvoices:mailbox:{name}", 1, timeout=600)
    try:
        yield locked
    finally:
        if locked:
            cache.delete(f"einvoices:mailbox:{name}")


def poll_all() -> dict[str, int]:
    """Poll every configured mailbox once (Celery beat, `manage.py poll_invoice_mailboxes`)."""
    from amtsflow.einvoices.mailbox import MailboxError, configured_mailboxes, poll  # noqa: PLC0415

    counts: dict[str, int] = {}
    for config in configured_mailboxes():
        with _mailbox_lock(config.name) as locked:
            if not locked:  # another worker polls this mailbox right now
                continue
            try:
                result = poll(config, lambda raw, config=config: receive_mail(config, raw))
                counts[config.name] = result.received
                for error in result.errors:
                    logger.warning("mailbox %s: mail %s not taken in: %s", config.name, error.message_id, error.error)
            except MailboxError as error:
                logger.error("mailbox %s: %s", config.name, error)
                counts[config.name] = -1
    return counts

"""Processing one receipt: duplicate check, format detection, reading, validation, routing, filing, start.

Runs as the platform ("system:einvoices") in a background task after the receipt is committed. A failure
marks the receipt "failed" with the reason and leaves the original untouched; it can be processed again.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from amtsflow.audit import services as audit
from amtsflow.core.events import publish, register_event
from amtsflow.einvoices import originals
from amtsflow.einvoices.models import Channel, Invoice, InvoiceState, Receipt, ReceiptState, Validity
from amtsflow.einvoices.reading import Detected, Refused, detect, read_invoice
from amtsflow.einvoices.reading import Invoice as ReadInvoice
from amtsflow.einvoices.services import filing, routing, summary
from amtsflow.einvoices.validation import ValidationReport, validate_xml
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import OrgUnit

logger = logging.getLogger(__name__)

INVOICE_RECEIVED = register_event("einvoices.invoice_received", _lazy("An e-invoice was received"))
SYSTEM_NAME = "einvoices"


@dataclass
class Outcome:
    detected: Detected
    read: ReadInvoice | None
    report: ValidationReport | None


def process(receipt: Receipt) -> Invoice | None:
    """Process a received file once; a receipt that is no longer `received` is left as it is."""
    # Claim it: a task delivered twice or two "process again" clicks must not process one file twice.
    claimed = Receipt.objects.filter(pk=receipt.pk, state=ReceiptState.RECEIVED).update(state=ReceiptState.PROCESSING)
    if not claimed:
        receipt.refresh_from_db()
        return receipt.invoice
    receipt.state = ReceiptState.PROCESSING
    try:
        return _process(receipt)
    except Exception as exc:  # whatever broke: say so on the receipt, keep the original, allow a retry
        logger.exception("processing of receipt %s failed", receipt.public_id)
        Receipt.objects.filter(pk=receipt.pk, state=ReceiptState.PROCESSING).update(
            state=ReceiptState.FAILED, problem=_("Processing failed: %(error)s") % {"error": str(exc)[:500]}
        )
        return None


def _process(receipt: Receipt) -> Invoice | None:
    actor = Actor.for_system(receipt.tenant, SYSTEM_NAME)
    existing = Invoice.objects.filter(sha256=receipt.sha256).first()
    if existing is not None:
        return _mark_duplicate(actor, receipt, existing)
    content = originals.read(receipt.storage_name)
    outcome = _examine(content, receipt.filename)
    if outcome.detected.refusal:
        with transaction.atomic():
            _finish(actor, receipt, ReceiptState.REFUSED, problem=outcome.detected.refusal)
        return None
    try:
        with transaction.atomic():
            invoice = _create_invoice(actor, receipt, outcome)
            filing.file_invoice(actor, invoice, receipt, content, outcome.detected, outcome.read, outcome.report)
            _finish(actor, receipt, ReceiptState.PROCESSED, invoice=invoice)
            if invoice.state == InvoiceState.RECEIVED:  # routed; clearing publishes once a unit is assigned
                announce(actor, invoice)
    except IntegrityError:  # the same file was processed concurrently by another receipt
        existing = Invoice.objects.filter(sha256=receipt.sha256).first()
        if existing is None:
            raise
        return _mark_duplicate(actor, receipt, existing)
    return invoice


def _examine(content: bytes, filename: str) -> Outcome:
    detected = detect(content, filename)
    if detected.refusal or not detected.structured:
        return Outcome(detected, None, None)
    try:
        read = read_invoice(detected.xml)
    except Refused as refused:
        return Outcome(Detected(detected.kind, refusal=refused.reason), None, None)
    return Outcome(detected, read, validate_xml(detected.xml, filename=filename))


def _validity(outcome: Outcome) -> str:
    if outcome.report is None:
        return Validity.UNSTRUCTURED
    return {"accept": Validity.ACCEPT, "reject": Validity.REJECT}.get(
        outcome.report.recommendation, Validity.NOT_VALIDATED
    )


def _create_invoice(actor: Actor, receipt: Receipt, outcome: Outcome) -> Invoice:
    report, read, detected = outcome.report, outcome.read, outcome.detected
    invoice = Invoice(
        tenant=actor.tenant,
        sha256=receipt.sha256,
        filename=receipt.filename,
        kind=detected.kind,
        profile=detected.profile[:30],
        xrechnung_version=detected.xrechnung_version[:20],
        validity=_validity(outcome),
        notices=[str(n) for n in detected.notices],
    )
    if report is not None:
        invoice.scenario = (report.scenario or "")[:200]
        invoice.rules_release = (report.release or "")[:100]
        invoice.validation_error = report.error
        invoice.errors = report.count("error")
        invoice.warnings = report.count("warning")
        invoice.findings = [f.as_dict() | {"step": f.step} for f in report.findings]
    if read is not None:
        for name, value in summary.columns(read).items():
            setattr(invoice, name, value)
        invoice.data = summary.json_data(read)
        invoice.notices += [f"{n.bt}: {n.message}" for n in read.notices]
        invoice.possible_duplicate_of = _same_invoice(invoice)
    invoice.org_unit, routing_notice = _route(actor, receipt, invoice)
    if routing_notice:
        invoice.notices.append(routing_notice)
    invoice.state = InvoiceState.RECEIVED if invoice.org_unit else InvoiceState.CLEARING
    invoice.save()
    audit.record(
        actor=actor,
        action="invoice.received",
        obj=invoice,
        details={"receipt": str(receipt.public_id), "validity": invoice.validity, "number": invoice.number},
    )
    return invoice


def _same_invoice(invoice: Invoice) -> Invoice | None:
    """The same invoice in another file (e.g. XML and PDF of one invoice): same supplier and number."""
    if not invoice.number or not (invoice.seller_vat_id or invoice.seller_name):
        return None
    candidates = Invoice.objects.filter(number=invoice.number)
    if invoice.seller_vat_id:
        candidates = candidates.filter(seller_vat_id=invoice.seller_vat_id)
    else:
        candidates = candidates.filter(seller_name=invoice.seller_name)
    return candidates.order_by("created_at").first()


def _route(actor: Actor, receipt: Receipt, invoice: Invoice) -> tuple[OrgUnit | None, str]:
    reference = invoice.buyer_reference
    unit = routing.unit_for(reference) if reference else None
    if unit is not None:
        return unit, ""
    uploader = _uploader_unit(receipt)
    if reference and not routing.belongs_to_tenant(actor, reference):
        notice = _("The buyer reference %(ref)s is not a Leitweg-ID of this municipality.") % {"ref": reference}
    elif reference:
        notice = _("No unit is set up for the Leitweg-ID %(ref)s.") % {"ref": reference}
    else:
        notice = _("The invoice names no buyer reference (Leitweg-ID).")
    return uploader, notice


def _uploader_unit(receipt: Receipt) -> OrgUnit | None:
    """A clerk who uploads an invoice takes it into their own unit; other channels need clearing."""
    if receipt.channel != Channel.UPLOAD or receipt.membership is None:
        return None
    return receipt.membership.org_unit


def _mark_duplicate(actor: Actor, receipt: Receipt, existing: Invoice) -> Invoice:
    when = formats.date_format(existing.created_at, "SHORT_DATETIME_FORMAT")
    with transaction.atomic():
        _finish(
            actor,
            receipt,
            ReceiptState.DUPLICATE,
            invoice=existing,
            problem=_("This file was already received on %(when)s; it is not processed again.") % {"when": when},
        )
    return existing


def _finish(actor: Actor, receipt: Receipt, state: str, *, invoice: Invoice | None = None, problem: str = "") -> None:
    receipt.state = state
    receipt.invoice = invoice
    receipt.problem = problem
    receipt.save(update_fields=["state", "invoice", "problem", "updated_at"])
    audit.record(
        actor=actor,
        action=f"invoice_receipt.{state}",
        obj=receipt,
        details={"invoice": str(invoice.public_id) if invoice else None, "problem": problem or None},
    )


def announce(actor: Actor, invoice: Invoice) -> None:
    """Tell subscribers (the approval process) after commit that a routed invoice is ready."""
    publish(
        INVOICE_RECEIVED.name,
        actor=actor,
        case_id=invoice.case_id,
        invoice_id=str(invoice.public_id),
        **_process_data(invoice),
    )


def _process_data(invoice: Invoice) -> dict[str, object]:
    """What the approval process gets as its start data (plain JSON values)."""
    return {
        "rechnungsnummer": invoice.number,
        "lieferant": invoice.seller_name,
        "betrag": float(invoice.gross_total) if invoice.gross_total is not None else 0.0,
        "waehrung": invoice.currency,
        "gueltig": invoice.validity == Validity.ACCEPT,
        "faellig": invoice.due_date.isoformat() if invoice.due_date else None,
        "skonto_bis": invoice.skonto_until.isoformat() if invoice.skonto_until else None,
        "organisationseinheit": invoice.org_unit.name if invoice.org_unit else "",
    }

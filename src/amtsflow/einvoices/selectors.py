"""Reads of incoming e-invoices. Tenant filtering is automatic (scoped models); permissions are checked here."""

import uuid

from django.db.models import Q, QuerySet

from amtsflow.core.selectors import get_by_public_id
from amtsflow.einvoices import originals
from amtsflow.einvoices import permissions as perms
from amtsflow.einvoices.models import BookingBatch, Intake, IntakeState, Invoice, LeitwegRoute, Receipt
from amtsflow.einvoices.reading import Invoice as ReadInvoice
from amtsflow.einvoices.reading import detect, read_invoice
from amtsflow.tenants.actor import Actor


def list_invoices(*, actor: Actor, state: str = "", validity: str = "", query: str = "") -> QuerySet[Invoice]:
    actor.require(perms.VIEW)
    invoices = Invoice.objects.select_related("org_unit")
    if state:
        invoices = invoices.filter(state=state)
    if validity:
        invoices = invoices.filter(validity=validity)
    if query.strip():
        text = query.strip()
        invoices = invoices.filter(
            Q(number__icontains=text)
            | Q(seller_name__icontains=text)
            | Q(buyer_reference__icontains=text)
            | Q(filename__icontains=text)
        )
    return invoices.order_by("-created_at")


def get_invoice(*, actor: Actor, public_id: uuid.UUID | str) -> Invoice:
    return get_by_public_id(list_invoices(actor=actor), public_id)


def list_receipts(*, actor: Actor, state: str = "") -> QuerySet[Receipt]:
    actor.require(perms.VIEW)
    receipts = Receipt.objects.select_related("invoice")
    return receipts.filter(state=state) if state else receipts


def get_receipt(*, actor: Actor, public_id: uuid.UUID | str) -> Receipt:
    return get_by_public_id(list_receipts(actor=actor), public_id)


def list_routes(*, actor: Actor) -> QuerySet[LeitwegRoute]:
    actor.require(perms.VIEW)
    return LeitwegRoute.objects.select_related("org_unit")


def get_route(*, actor: Actor, public_id: uuid.UUID | str) -> LeitwegRoute:
    return get_by_public_id(list_routes(actor=actor), public_id)


def list_batches(*, actor: Actor) -> QuerySet[BookingBatch]:
    actor.require(perms.EXPORT)  # payment data of every released invoice: treasury only, in UI and API alike
    return BookingBatch.objects.all()


def get_batch(*, actor: Actor, public_id: uuid.UUID | str) -> BookingBatch:
    return get_by_public_id(list_batches(actor=actor), public_id)


def original_of(invoice: Invoice) -> bytes:
    return originals.read(originals.storage_name(invoice.sha256))


def read_back(invoice: Invoice) -> ReadInvoice | None:
    """The normalised invoice, read again from the stored original (reading is fast and keeps one truth)."""
    if not invoice.structured:
        return None
    detected = detect(original_of(invoice), invoice.filename)
    return read_invoice(detected.xml) if detected.structured else None


def stored(name: str) -> bytes:
    return originals.read(name)


def list_intakes(*, state: str = IntakeState.CLEARING) -> QuerySet[Intake]:
    """Files of the shared mailbox outside any tenant; for provider operators (the views check the flag)."""
    intakes = Intake.objects.select_related("tenant")
    return intakes.filter(state=state) if state in IntakeState.values else intakes

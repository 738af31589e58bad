"""Booking export: every released, not yet exported invoice goes into one batch for the finance system, as CSV
and as JSON (columns in docs/booking-export.md). An invoice is exported exactly once; the files of a batch stay
downloadable, and every download is audited."""

import csv
import datetime as dt
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsflow.audit import services as audit
from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.einvoices import originals
from amtsflow.einvoices import permissions as perms
from amtsflow.einvoices.models import BookingBatch, CodingLine, Invoice, InvoiceState
from amtsflow.tenants.actor import Actor

FORMAT_VERSION = 1
CENT = Decimal("0.01")
COLUMNS = (
    "batch",
    "invoice_id",
    "creditor_name",
    "creditor_vat_id",
    "invoice_number",
    "invoice_date",
    "due_date",
    "currency",
    "line",
    "net",
    "vat_rate",
    "vat",
    "gross",
    "cost_centre",
    "product",
    "account",
    "iban",
    "skonto_until",
    "skonto_amount",
    "case_reference",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _vat(net: Decimal, rate: Decimal) -> Decimal:
    return (net * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def booking_lines(invoice: Invoice, lines: list[CodingLine]) -> list[dict[str, Any]]:
    """One booking line per coding line with its VAT. When the coding covers the whole net total, rounding
    differences go to the last line, so the lines add up to the invoice's VAT and gross totals exactly."""
    rows = [
        {
            "line": line.position,
            "net": line.net_amount,
            "vat_rate": line.vat_rate,
            "vat": _vat(line.net_amount, line.vat_rate),
            "cost_centre": line.cost_centre,
            "product": line.product,
            "account": line.account,
        }
        for line in lines
    ] or [
        {
            "line": 1,
            "net": invoice.net_total or Decimal(0),
            "vat_rate": None,
            "vat": invoice.tax_total or Decimal(0),
            "cost_centre": "",
            "product": "",
            "account": "",
        }
    ]
    covered = sum(row["net"] for row in rows) == (invoice.net_total or Decimal(0))
    if covered and invoice.tax_total is not None:
        rows[-1]["vat"] += invoice.tax_total - sum(row["vat"] for row in rows)
    for row in rows:
        row["gross"] = row["net"] + row["vat"]
    return rows


def _invoice_entry(invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice_id": str(invoice.public_id),
        "creditor": {"name": invoice.seller_name, "vat_id": invoice.seller_vat_id, "iban": invoice.iban},
        "invoice_number": invoice.number,
        "invoice_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "currency": invoice.currency,
        "totals": {"net": invoice.net_total, "vat": invoice.tax_total, "gross": invoice.gross_total},
        "skonto": {"until": invoice.skonto_until, "amount": invoice.skonto_amount},
        "case_reference": invoice.case_label,
        "released_at": invoice.released_at,
        "coding": booking_lines(invoice, list(invoice.coding_lines.all())),
    }


def _plain(value: Any) -> Any:
    """JSON: amounts as exact decimal strings, dates ISO."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    # Supplier-written text opening with a formula sign would run as a formula in a spreadsheet (CSV injection).
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render_csv(number: int, entries: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        for line in entry["coding"]:
            row = {
                "batch": number,
                "invoice_id": entry["invoice_id"],
                "creditor_name": entry["creditor"]["name"],
                "creditor_vat_id": entry["creditor"]["vat_id"],
                "iban": entry["creditor"]["iban"],
                "skonto_until": entry["skonto"]["until"],
                "skonto_amount": entry["skonto"]["amount"],
                **{key: entry[key] for key in ("invoice_number", "invoice_date", "due_date", "currency")},
                "case_reference": entry["case_reference"],
                **line,
            }
            writer.writerow([_csv_value(row[column]) for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_json(batch: dict[str, Any], entries: list[dict[str, Any]]) -> bytes:
    document = {"format": "amtsflow-booking-export", "version": FORMAT_VERSION, "batch": batch, "invoices": entries}
    return json.dumps(_plain(document), ensure_ascii=False, indent=2).encode("utf-8")


def _storage_name(tenant_id: int, number: int, suffix: str) -> str:
    return f"einvoice-batches/{tenant_id}/buchungsexport-{number:05d}.{suffix}"


def create_batch(*, actor: Actor) -> BookingBatch:
    """Export every released invoice not yet exported. Two exports at once: the second waits for the row locks
    of the first, then finds nothing left and says so."""
    actor.require(perms.EXPORT)
    try:
        return _create_batch(actor)
    except IntegrityError:  # another export took the same batch number at the same moment
        raise Conflict(_("Another export is running; there is nothing to export right now.")) from None


@transaction.atomic
def _create_batch(actor: Actor) -> BookingBatch:
    invoices = list(
        Invoice.objects.select_for_update()
        .filter(state=InvoiceState.RELEASED, booking_batch__isnull=True)
        .order_by("released_at", "pk")
    )
    if not invoices:
        raise Conflict(_("There is nothing to export: no released invoice is waiting."))
    number = (BookingBatch.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    now = timezone.now()
    entries = [_invoice_entry(invoice) for invoice in invoices]
    gross = sum((invoice.gross_total or Decimal(0) for invoice in invoices), Decimal(0))
    header = {"number": number, "created_at": now, "created_by": actor.label, "invoice_count": len(invoices)}
    batch = BookingBatch.objects.create(
        tenant=actor.tenant,
        number=number,
        created_by=actor.label[:150],
        invoice_count=len(invoices),
        gross_total=gross,
        csv_storage_name=originals.store_named(
            _storage_name(actor.tenant.pk, number, "csv"), render_csv(number, entries)
        ),
        json_storage_name=originals.store_named(
            _storage_name(actor.tenant.pk, number, "json"), render_json(header | {"gross_total": gross}, entries)
        ),
    )
    Invoice.objects.filter(pk__in=[i.pk for i in invoices]).update(
        state=InvoiceState.EXPORTED, booking_batch=batch, updated_at=now
    )
    audit.record(
        actor=actor,
        action="booking_batch.created",
        obj=batch,
        details={"number": number, "invoices": [str(i.public_id) for i in invoices], "gross_total": str(gross)},
    )
    return batch


def batch_file(batch: BookingBatch, fmt: str) -> bytes:
    if fmt not in CONTENT_TYPES:
        raise ValidationFailed(_("Choose CSV or JSON."))
    return originals.read(batch.csv_storage_name if fmt == "csv" else batch.json_storage_name)


def download(*, actor: Actor, batch: BookingBatch, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of a batch file; counted and audited."""
    actor.require(perms.EXPORT)
    content = batch_file(batch, fmt)
    BookingBatch.objects.filter(pk=batch.pk).update(download_count=F("download_count") + 1)
    audit.record(actor=actor, action="booking_batch.downloaded", obj=batch, details={"format": fmt})
    return content, f"buchungsexport-{batch.number:05d}.{fmt}", CONTENT_TYPES[fmt]


def waiting_total() -> tuple[int, Decimal]:
    """How many released invoices wait for the next export, and their gross sum."""
    waiting = Invoice.objects.filter(state=InvoiceState.RELEASED, booking_batch__isnull=True)
    result = waiting.aggregate(total=Sum("gross_total"))
    return waiting.count(), result["total"] or Decimal(0)

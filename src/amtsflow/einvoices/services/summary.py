"""What the platform keeps of a read invoice: the columns lists and exports need, and a JSON copy of the rest."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from amtsflow.einvoices.reading import Invoice as ReadInvoice
from amtsflow.einvoices.reading import iban as iban_check


def json_data(value: Any) -> Any:
    """The normalised invoice as JSON: dates ISO, amounts as strings (exact), embedded files left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_data(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "content"}
    if isinstance(value, list | tuple):
        return [json_data(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def skonto_terms(invoice: ReadInvoice) -> tuple[dt.date | None, Decimal | None]:
    """Deadline and amount of the first (best-paying-early) cash discount, counted from the invoice date."""
    if not invoice.skonto or invoice.issue_date is None:
        return None, None
    term = min(invoice.skonto, key=lambda t: t.days)
    base = term.base_amount if term.base_amount is not None else invoice.totals.payable
    amount = (base * term.percent / 100).quantize(Decimal("0.01")) if base is not None else None
    return invoice.issue_date + dt.timedelta(days=term.days), amount


def payee_iban(invoice: ReadInvoice) -> str:
    for means in invoice.payment_means:
        account = iban_check.normalize(means.account_id)
        if account and iban_check.looks_like_iban(account):
            return account
    return ""


def seller_email(invoice: ReadInvoice) -> str:
    contact = invoice.seller.contact
    if contact and contact.email:
        return contact.email.strip()
    address = invoice.seller.electronic_address
    if address and address.scheme == "EM":
        return address.value.strip()
    return ""


def _line(text: str) -> str:
    """One line: suppliers may put line breaks into single values, which would break mail headers and lists."""
    return " ".join(text.split())


def columns(invoice: ReadInvoice) -> dict[str, Any]:
    skonto_until, skonto_amount = skonto_terms(invoice)
    totals = invoice.totals
    return {
        "number": _line(invoice.number)[:200],
        "type_code": invoice.type_code[:10],
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "seller_name": _line(invoice.seller.name)[:300],
        "seller_vat_id": _line(invoice.seller.vat_id)[:50],
        "seller_email": _line(seller_email(invoice))[:254],
        "buyer_reference": _line(invoice.buyer_reference)[:100],
        "currency": invoice.currency[:3],
        "net_total": _money(totals.tax_exclusive),
        "tax_total": _money(totals.tax_total),
        "gross_total": _money(totals.tax_inclusive),
        "amount_due": _money(totals.payable),
        "iban": payee_iban(invoice)[:34],
        "skonto_until": skonto_until,
        "skonto_amount": _money(skonto_amount),
    }


def _money(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    try:
        rounded = value.quantize(Decimal("0.01"))
    except ArithmeticError:  # absurd magnitudes in hostile files: keep the row, leave the column empty
        return None
    return rounded if abs(rounded) < Decimal(10) ** 17 else None  # beyond the column: drop the value

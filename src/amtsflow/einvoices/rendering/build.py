"""readable_invoice(): the normalised invoice as ordered display sections, with the reading notices placed."""

from contextlib import nullcontext

from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..reading.model import Invoice
from ..reading.terms import TERMS
from .sections import (
    delivery_section,
    header_section,
    notes_section,
    party_section,
    payment_section,
    totals_section,
)
from .structure import NoticeView, ReadableInvoice, Section, term_name
from .tables import allowances_section, attachments_section, lines_section, vat_section


def document_title(invoice: Invoice) -> str:
    """ "Rechnung 4711 – Muster GmbH" (a credit note says so), for page and PDF titles."""
    kind = _("Credit note") if invoice.is_credit_note else _("Invoice")
    if invoice.seller.name:
        return _("%(kind)s %(number)s – %(seller)s") % {
            "kind": kind,
            "number": invoice.number,
            "seller": invoice.seller.name,
        }
    return f"{kind} {invoice.number}".strip()


def readable_invoice(invoice: Invoice, language: str | None = None) -> ReadableInvoice:
    """The display structure in `language` (default: the active language); pure, touches no database."""
    with translation.override(language) if language else nullcontext():
        sections = [
            section
            for section in (
                header_section(invoice),
                party_section("seller", _("Seller"), invoice.seller, "seller", "BG-4"),
                party_section("buyer", _("Buyer"), invoice.buyer, "buyer", "BG-7"),
                invoice.payee and party_section("payee", _("Payee"), invoice.payee, "payee", "BG-10"),
                invoice.tax_representative
                and party_section(
                    "tax-representative",
                    _("Seller's tax representative"),
                    invoice.tax_representative,
                    "tax_representative",
                    "BG-11",
                ),
                delivery_section(invoice),
                payment_section(invoice),
                lines_section(invoice),
                allowances_section(invoice),
                vat_section(invoice),
                totals_section(invoice),
                notes_section(invoice),
                attachments_section(invoice),
            )
            if section
        ]
        readable = ReadableInvoice(
            title=document_title(invoice),
            number=invoice.number,
            seller=invoice.seller.name,
            language=get_language() or "de",
            sections=sections,
        )
        _place_notices(invoice, readable)
    return readable


def _place_notices(invoice: Invoice, readable: ReadableInvoice) -> None:
    """Each notice goes to the first row of its term, else to the section covering the term, else to the top."""
    rows = {}
    for section in readable.sections:
        for part in section.parts:
            for row in part.rows:
                rows.setdefault(row.term.id, row)
    for notice in invoice.notices:
        row = rows.get(notice.bt)
        if row is not None:
            row.notices.append(notice.message)
            continue
        view = NoticeView(term_name(notice.bt) if notice.bt in TERMS else None, notice.message)
        section = _covering(readable.sections, notice.bt)
        (section.notices if section is not None else readable.notices).append(view)


def _covering(sections: list[Section], term_id: str) -> Section | None:
    return next((section for section in sections if term_id in section.covers), None)

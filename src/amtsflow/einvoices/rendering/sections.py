"""Sections of the readable invoice that are lists of terms: header, parties, delivery, payment, totals, notes."""

import re
from dataclasses import fields
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from ..reading.model import Address, Contact, Invoice, Party, PaymentMeans, SkontoTerm, term_of
from . import codes
from .blocks import Rows
from .formatting import account, amount, day, multiline, percent
from .structure import Check, Part, Section, TermName, term_name

_ADDRESS_ORDER = ("line1", "line2", "line3", "postcode", "city", "subdivision", "country")
_NOTE_SUBJECT = re.compile(r"#([A-Z]{3})#")  # BT-21 subject code in front of a note (UNTDID 4451)
_CENT = Decimal("0.01")


def header_section(invoice: Invoice) -> Section:
    section = Section("header", _("Credit note") if invoice.is_credit_note else _("Invoice"))
    rows = Rows(section.covers)
    rows.add("BT-1", invoice.number)
    rows.add("BT-3", codes.label(codes.INVOICE_TYPES, invoice.type_code))
    rows.add("BT-2", day(invoice.issue_date))
    rows.add("BT-7", day(invoice.tax_point_date))
    rows.add("BT-8", codes.label(codes.TAX_POINT_DATE_CODES, invoice.tax_point_date_code))
    rows.add("BT-5", invoice.currency)
    rows.add("BT-6", invoice.tax_currency)
    leitweg = invoice.leitweg
    check = None
    if leitweg is not None:
        check = Check(
            leitweg.valid,
            _("Valid Leitweg-ID (format and check digits)") if leitweg.valid else _("Not a valid Leitweg-ID"),
        )
    rows.add("BT-10", invoice.buyer_reference, check=check)
    for term_id, value in (
        ("BT-11", invoice.project_reference),
        ("BT-12", invoice.contract_reference),
        ("BT-13", invoice.order_reference),
        ("BT-14", invoice.sales_order_reference),
        ("BT-15", invoice.receiving_advice_reference),
        ("BT-16", invoice.despatch_advice_reference),
        ("BT-17", invoice.tender_reference),
        ("BT-18", str(invoice.invoiced_object or "")),
        ("BT-19", invoice.buyer_accounting_reference),
        ("BT-23", invoice.process_id),
        ("BT-24", invoice.specification_id),
    ):
        rows.add(term_id, value)
    section.parts.append(Part(rows=rows.rows))
    if invoice.preceding_invoices:
        preceding = Rows(section.covers)
        for reference in invoice.preceding_invoices:
            preceding.add("BT-25", reference.number)
            preceding.add("BT-26", day(reference.issue_date))
        section.parts.append(Part(_("Preceding invoices"), term_name("BG-3"), preceding.rows))
    return section


def party_section(key: str, title: str, party: Party, role: str, group: str) -> Section:
    section = Section(key, title, term_name(group))
    rows = Rows(section.covers)
    for item in fields(Party):
        if item.name in ("address", "contact"):
            continue
        value = getattr(party, item.name)
        for element in value if isinstance(value, list) else [value]:
            rows.add(term_of(Party, item.name, role), str(element or ""))
    section.parts.append(Part(rows=rows.rows))
    section.parts.extend(_address_and_contact(party, role, section.covers))
    return section


def delivery_section(invoice: Invoice) -> Section | None:
    party = invoice.deliver_to
    if party is None and not (invoice.delivery_date or invoice.period_start or invoice.period_end):
        return None
    section = Section("delivery", _("Delivery"), term_name("BG-13"))
    rows = Rows(section.covers)
    if party is not None:
        rows.add("BT-70", party.name)
        for identifier in party.identifiers:
            rows.add("BT-71", str(identifier))
    rows.add("BT-72", day(invoice.delivery_date))
    rows.add("BT-73", day(invoice.period_start))
    rows.add("BT-74", day(invoice.period_end))
    section.parts.append(Part(rows=rows.rows))
    if party is not None:
        section.parts.extend(_address_and_contact(party, "deliver_to", section.covers))
    return section


def _address_and_contact(party: Party, role: str, covers: set[str]) -> list[Part]:
    parts = []
    if party.address is not None:
        rows = Rows(covers)
        for name in _ADDRESS_ORDER:
            rows.add(term_of(Address, name, role), getattr(party.address, name))
        parts.append(Part(_("Postal address"), _group(term_of(Party, "address", role)), rows.rows))
    if party.contact is not None:
        rows = Rows(covers)
        for item in fields(Contact):
            rows.add(term_of(Contact, item.name, role), getattr(party.contact, item.name))
        parts.append(Part(_("Contact"), _group(term_of(Party, "contact", role)), rows.rows))
    return [part for part in parts if part.rows]


def _group(term_id: str) -> TermName | None:
    # Some syntaxes carry an address where EN 16931 has none (the payee's in CII); its fields have no term.
    return term_name(term_id) if term_id else None


def payment_section(invoice: Invoice) -> Section | None:
    section = Section("payment", _("Payment"), term_name("BG-16"))
    rows = Rows(section.covers)
    rows.add("BT-9", day(invoice.due_date))
    free_text = [line for line in multiline(invoice.payment_terms).splitlines() if not line.startswith("#")]
    rows.add("BT-20", "\n".join(free_text))
    for term in invoice.skonto:
        rows.add("BT-20", _skonto(invoice, term), label=_("Cash discount (Skonto)"))
    if invoice.skonto and not free_text:
        section.covers.add("BT-20")
    rows.add("BT-90", invoice.creditor_id)
    if rows.rows:
        section.parts.append(Part(rows=rows.rows))
    many = len(invoice.payment_means) > 1
    for number, means in enumerate(invoice.payment_means, start=1):
        title = _("Payment instruction %(number)s") % {"number": number} if many else _("Payment instruction")
        section.parts.append(Part(title, rows=_payment_means(means, section.covers)))
    return section if section.parts else None


def _payment_means(means: PaymentMeans, covers: set[str]) -> list:
    rows = Rows(covers)
    check = None
    if means.iban_valid is not None:
        check = Check(
            means.iban_valid,
            _("IBAN checked: check digits correct")
            if means.iban_valid
            else _("Not a valid IBAN (check digits or length wrong)"),
        )
    rows.add("BT-81", codes.label(codes.PAYMENT_MEANS, means.code))
    rows.add("BT-82", means.text)
    rows.add("BT-83", means.remittance_information)
    rows.add("BT-84", account(means.account_id), check=check if means.account_id else None)
    rows.add("BT-85", means.account_name)
    rows.add("BT-86", means.bic)
    rows.add("BT-87", means.card_number)
    rows.add("BT-88", means.card_holder)
    rows.add("BT-89", means.mandate_id)
    rows.add("BT-91", account(means.debited_account), check=None if means.account_id else check)
    return rows.rows


def _skonto(invoice: Invoice, term: SkontoTerm) -> str:
    """ "2 % if paid within 14 days, by 27.04.2018; discount 10,60 EUR on 530,00 EUR; then due 519,40 EUR"."""
    text = [_("%(percent)s if paid within %(days)s days") % {"percent": percent(term.percent), "days": term.days}]
    deadline = _deadline(invoice.issue_date, term.days)
    if deadline is not None:
        text.append(_("by %(date)s") % {"date": day(deadline)})
    base = term.base_amount if term.base_amount is not None else invoice.totals.payable
    if base is not None:
        discount = (base * term.percent / 100).quantize(_CENT, ROUND_HALF_UP)
        text.append(
            _("discount %(discount)s on %(base)s")
            % {"discount": amount(discount, invoice.currency), "base": amount(base, invoice.currency)}
        )
        if invoice.totals.payable is not None:
            text.append(
                _("then due %(amount)s") % {"amount": amount(invoice.totals.payable - discount, invoice.currency)}
            )
    return "; ".join(text)


def _deadline(issued: date | None, days: int) -> date | None:
    # XRechnung counts the Skonto days from the invoice date (BT-2).
    if issued is None:
        return None
    try:
        return issued + timedelta(days=days)
    except OverflowError:
        return None


def totals_section(invoice: Invoice) -> Section:
    section = Section("totals", _("Totals"), term_name("BG-22"))
    rows = Rows(section.covers)
    totals, currency = invoice.totals, invoice.currency
    for term_id, value, in_currency in (
        ("BT-106", totals.line_total, currency),
        ("BT-107", totals.allowance_total, currency),
        ("BT-108", totals.charge_total, currency),
        ("BT-109", totals.tax_exclusive, currency),
        ("BT-110", totals.tax_total, currency),
        ("BT-111", totals.tax_total_accounting, invoice.tax_currency or currency),
        ("BT-112", totals.tax_inclusive, currency),
        ("BT-113", totals.prepaid, currency),
        ("BT-114", totals.rounding, currency),
    ):
        rows.add(term_id, amount(value, in_currency), numeric=True)
    for payment in invoice.third_party_payments:
        detail = " – ".join(text for text in (payment.type, payment.description) if text)
        rows.add("BT-DEX-002", amount(payment.amount, currency), numeric=True, detail=detail)
    rows.add("BT-115", amount(totals.payable, currency), numeric=True, emphasis=True)
    section.parts.append(Part(rows=rows.rows, layout="table"))
    return section


def notes_section(invoice: Invoice) -> Section | None:
    if not invoice.notes:
        return None
    section = Section("notes", _("Notes"))
    rows = Rows(section.covers)
    for note in invoice.notes:
        match = _NOTE_SUBJECT.match(note)
        subject = _("subject code %(code)s") % {"code": match[1]} if match else ""
        rows.add("BT-22", multiline(note[match.end() :] if match else note), detail=subject)
    section.parts.append(Part(rows=rows.rows))
    return section

"""Sections of the readable invoice that are tables: lines, allowances and charges, VAT breakdown, attachments."""

from collections.abc import Iterator

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..reading.model import AllowanceCharge, Invoice, Line
from . import codes
from .blocks import detail
from .formatting import amount, day, multiline, number, percent
from .structure import Cell, Column, Part, Row, Section, Table, TableRow, term_name


def _column(label: str, *term_ids: str, numeric: bool = False) -> Column:
    return Column(label, tuple(term_name(term_id) for term_id in term_ids), numeric)


def _finish(section: Section, table: Table) -> None:
    """Cells learn their column's alignment; the section learns every term the table shows."""
    for row in table.rows:
        for cell, column in zip(row.cells, table.columns, strict=True):
            cell.numeric = column.numeric
    for column in table.columns:
        section.covers.update(term.id for term in column.terms)
    for row in table.rows:
        for cell in row.cells:
            section.covers.update(item.term.id for item in cell.details)


def lines_section(invoice: Invoice) -> Section:
    section = Section("lines", _("Invoice lines"), term_name("BG-25"))
    table = Table(
        _("Invoice lines"),
        [
            _column(_("No."), "BT-126"),
            _column(_("Item"), "BT-153"),
            _column(_("Quantity"), "BT-129", "BT-130", numeric=True),
            _column(_("Net price"), "BT-146", numeric=True),
            _column(_("VAT"), "BT-151", "BT-152", numeric=True),
            _column(_("Net amount"), "BT-131", numeric=True),
        ],
    )
    for line, depth in _flatten(invoice.lines):
        table.rows.append(TableRow(_line_cells(line, invoice.currency), depth))
    _finish(section, table)
    section.covers.update(("BG-27", "BG-28", "BT-136", "BT-141"))
    section.parts.append(Part(table=table, empty=_("The invoice has no lines.")))
    return section


def _flatten(lines: list[Line], depth: int = 0) -> Iterator[tuple[Line, int]]:
    for line in lines:
        yield line, depth
        yield from _flatten(line.sub_lines, min(depth + 1, 5))


def _line_cells(line: Line, currency: str) -> list[Cell]:
    details: list[Row] = [
        *detail("BT-154", multiline(line.description)),
        *detail("BT-127", multiline(line.note)),
        *detail("BT-155", line.seller_item_id),
        *detail("BT-156", line.buyer_item_id),
        *detail("BT-157", str(line.standard_item_id or "")),
        *detail("BT-128", str(line.object_id or "")),
        *detail("BT-132", line.order_line_reference),
        *detail("BT-133", line.accounting_reference),
        *detail("BT-134", day(line.period_start)),
        *detail("BT-135", day(line.period_end)),
        *detail("BT-148", amount(line.gross_price, currency)),
        *detail("BT-147", amount(line.price_discount, currency)),
    ]
    for allowance in line.allowances:
        details += detail("BT-136", _line_allowance(allowance, currency), label=_("Allowance"))
    for charge in line.charges:
        details += detail("BT-141", _line_allowance(charge, currency), label=_("Charge"))
    quantity = number(line.quantity)
    if quantity and line.unit:
        quantity = f"{quantity}\N{NO-BREAK SPACE}{codes.unit(line.unit)}"
    price = amount(line.net_price, currency)
    if price and line.base_quantity is not None and line.base_quantity != 1:
        base = f"{number(line.base_quantity)} {codes.unit(line.base_quantity_unit)}".strip()
        price = _("%(price)s per %(base)s") % {"price": price, "base": base}
    return [
        Cell(line.id),
        Cell(line.name, details),
        Cell(quantity),
        Cell(price),
        Cell(_vat(line.vat_category, percent(line.vat_rate))),
        Cell(amount(line.net_amount, currency)),
    ]


def _line_allowance(item: AllowanceCharge, currency: str) -> str:
    """ "5,00 EUR (10 % of 50,00 EUR) – Mengenrabatt (95)"."""
    text = amount(item.amount, currency)
    if item.percent is not None and item.base_amount is not None:
        text += " " + _("(%(percent)s of %(base)s)") % {
            "percent": percent(item.percent),
            "base": amount(item.base_amount, currency),
        }
    reason = _reason(item)
    return f"{text} – {reason}" if reason else text


def _reason(item: AllowanceCharge) -> str:
    if item.reason and item.reason_code:
        return f"{item.reason} ({item.reason_code})"
    return item.reason or item.reason_code


def _vat(category: str, rate: str) -> str:
    return " ".join(text for text in (category, rate) if text)


def allowances_section(invoice: Invoice) -> Section | None:
    if not invoice.allowances and not invoice.charges:
        return None
    section = Section("allowances", _("Allowances and charges"))
    for items, title, group, terms in (
        (invoice.allowances, _("Allowances"), "BG-20", ("BT-97", "BT-98", "BT-93", "BT-94", "BT-95", "BT-96", "BT-92")),
        (invoice.charges, _("Charges"), "BG-21", ("BT-104", "BT-105", "BT-100", "BT-101", "BT-102", "BT-103", "BT-99")),
    ):
        if not items:
            continue
        reason, code, base, rate, category, vat_rate, total = terms
        table = Table(
            title,
            [
                _column(_("Reason"), reason, code),
                _column(_("Base amount"), base, numeric=True),
                _column(_("Percentage"), rate, numeric=True),
                _column(_("VAT"), category, vat_rate, numeric=True),
                _column(_("Amount"), total, numeric=True),
            ],
        )
        for item in items:
            table.rows.append(
                TableRow(
                    [
                        Cell(_reason(item) or "–"),
                        Cell(amount(item.base_amount, invoice.currency)),
                        Cell(percent(item.percent)),
                        Cell(_vat(item.vat_category, percent(item.vat_rate))),
                        Cell(amount(item.amount, invoice.currency)),
                    ]
                )
            )
        _finish(section, table)
        section.covers.add(group)
        section.parts.append(Part(title, term_name(group), table=table))
    return section


def vat_section(invoice: Invoice) -> Section:
    section = Section("vat", _("VAT breakdown"), term_name("BG-23"))
    table = Table(
        _("VAT breakdown"),
        [
            _column(_("VAT category"), "BT-118"),
            _column(_("Rate"), "BT-119", numeric=True),
            _column(_("Taxable amount"), "BT-116", numeric=True),
            _column(_("VAT amount"), "BT-117", numeric=True),
            _column(_("Exemption reason"), "BT-120", "BT-121"),
        ],
    )
    for vat in invoice.vat_breakdown:
        exemption = vat.exemption_reason
        if vat.exemption_code:
            exemption = f"{exemption} ({vat.exemption_code})" if exemption else vat.exemption_code
        table.rows.append(
            TableRow(
                [
                    Cell(codes.label(codes.VAT_CATEGORIES, vat.category)),
                    Cell(percent(vat.rate)),
                    Cell(amount(vat.taxable_amount, invoice.currency)),
                    Cell(amount(vat.tax_amount, invoice.currency)),
                    Cell(exemption),
                ]
            )
        )
    _finish(section, table)
    section.parts.append(Part(table=table, empty=_("The invoice has no VAT breakdown.")))
    return section


def attachments_section(invoice: Invoice) -> Section | None:
    if not invoice.attachments:
        return None
    section = Section("attachments", _("Supporting documents"), term_name("BG-24"))
    table = Table(
        _("Supporting documents"),
        [
            _column(_("Reference"), "BT-122"),
            _column(_("Description"), "BT-123"),
            _column(_("Document"), "BT-125", "BT-124"),
        ],
    )
    for attachment in invoice.attachments:
        if attachment.content or attachment.filename:
            size = filesizeformat(len(attachment.content))
            described = ", ".join(text for text in (attachment.mime, str(size)) if text)
            document = f"{attachment.filename or _('embedded file')} ({described})"
        else:
            document = ""
        # An external location is shown as text, not as a link: it comes from the sender.
        document = "\n".join(text for text in (document, attachment.uri) if text)
        table.rows.append(TableRow([Cell(attachment.id), Cell(attachment.description), Cell(document or "–")]))
    _finish(section, table)
    section.parts.append(Part(table=table))
    return section

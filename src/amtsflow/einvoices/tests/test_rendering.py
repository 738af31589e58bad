"""The readable invoice: display sections, the HTML partial and the PDF, over the KoSIT test suite and ZUGFeRD."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.utils.html import escape

from amtsflow.core.testing.shared_data import require_shared, shared_data_dir
from amtsflow.einvoices.reading import Invoice, detect, read_invoice
from amtsflow.einvoices.reading.model import Line
from amtsflow.einvoices.rendering import ReadableInvoice, document_title, formatting, readable_invoice, render_pdf
from amtsflow.einvoices.rendering import pdf as pdf_module

pypdf = pytest.importorskip("pypdf")

SUITE = ("xrechnung", "testsuite")
PARTIAL = "einvoices/_invoice_readable.html"
COMPREHENSIVE = "technical-cases/cius/01.01_comprehensive_test_ubl.xml"


def _suite_files() -> list[Path]:
    # Collected without require_shared so a missing corpus does not break collection; the named-file tests
    # below skip (locally) or fail (CI) for it.
    root = shared_data_dir().joinpath(*SUITE, "src", "test")
    return sorted(root.glob("**/*.xml")) if root.exists() else []


def _suite_xml(relative: str) -> bytes:
    return (require_shared(*SUITE) / "src" / "test" / relative).read_bytes()


def _german_amount(value: Decimal, currency: str) -> str:
    """Independent of Django's formats: 12829.69 → "12.829,69 EUR"."""
    english = f"{value:,.2f}"
    return english.replace(",", "_").replace(".", ",").replace("_", ".") + f" {currency}"


def _partial(readable: ReadableInvoice) -> str:
    request = RequestFactory().get("/")
    return render_to_string(PARTIAL, {"readable": readable}, request=request)


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def _rows(readable: ReadableInvoice, key: str) -> dict[str, list[str]]:
    section = readable.section(key)
    assert section is not None, key
    values: dict[str, list[str]] = {}
    for part in section.parts:
        for row in part.rows:
            values.setdefault(row.term.id, []).append(row.value)
    return values


def _check_structure(invoice: Invoice, readable: ReadableInvoice) -> None:
    keys = [section.key for section in readable.sections]
    assert keys[:3] == ["header", "seller", "buyer"]
    assert {"payment", "lines", "vat", "totals"} <= set(keys) or not invoice.payment_means
    assert _rows(readable, "header")["BT-1"] == [invoice.number]
    assert _rows(readable, "seller")["BT-27"] == [invoice.seller.name]
    totals = _rows(readable, "totals")
    for term_id, value in (
        ("BT-106", invoice.totals.line_total),
        ("BT-109", invoice.totals.tax_exclusive),
        ("BT-112", invoice.totals.tax_inclusive),
        ("BT-115", invoice.totals.payable),
    ):
        if value is not None:
            assert totals[term_id] == [_german_amount(value, invoice.currency)]
    lines = readable.section("lines")
    assert lines is not None
    table = lines.parts[0].table
    assert table is not None
    top_level = [row for row in table.rows if row.depth == 0]
    assert [row.cells[0].value for row in top_level] == [line.id for line in invoice.lines]


def _check_partial(readable: ReadableInvoice) -> str:
    html = _partial(readable)
    for section in readable.sections:
        assert f'<h2 id="invoice-{section.key}" class="einvoice-heading">{escape(section.title)}' in html
    assert "<h1" not in html  # the page provides it
    assert f'<abbr title="{escape(translation.gettext("Business Term"))}">BT-1</abbr>' in html
    return html


def _check_pdf(invoice: Invoice, content: bytes) -> None:
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert invoice.number in text
    assert " ".join(invoice.seller.name.split()) in text


@pytest.mark.parametrize("path", _suite_files(), ids=lambda path: path.name)
def test_every_suite_invoice_renders(path: Path):
    invoice = read_invoice(path.read_bytes())
    with translation.override("de"):
        readable = readable_invoice(invoice)
        _check_structure(invoice, readable)
        _check_partial(readable)
        _check_pdf(invoice, render_pdf(invoice))


def test_zugferd_sample_renders():
    name = "EN16931_Einfach.pdf"
    detected = detect((require_shared("xrechnung", "zugferd-samples") / name).read_bytes(), name)
    assert detected.structured, detected.refusal
    invoice = read_invoice(detected.xml)
    with translation.override("de"):
        readable = readable_invoice(invoice)
        _check_structure(invoice, readable)
        html = _check_partial(readable)
        content = render_pdf(invoice, validation_summary="Gültig nach EN 16931", received_note="Eingang über Upload")
    assert "471102" in html
    assert _rows(readable, "totals")["BT-115"] == ["529,87 EUR"]
    text = _pdf_text(content)
    assert "Lieferant GmbH" in text
    assert "Gültig nach EN 16931" in text
    assert "Eingang über Upload" in text


# --- Languages and formats ---------------------------------------------------------------------------------------


def test_german_ui_shows_english_names_beside_german_ones():
    invoice = read_invoice(_suite_xml(COMPREHENSIVE))
    with translation.override("de"):
        html = _partial(readable_invoice(invoice))
    assert "Rechnungsnummer" in html
    assert '<span class="term-other" lang="en">Invoice number</span>' in html
    assert '<span class="term-other" lang="en">Amount due for payment</span>' in html
    assert "13.04.2018" in html
    assert "12.829,69 EUR" in html


def test_english_ui_shows_german_names_beside_english_ones():
    invoice = read_invoice(_suite_xml(COMPREHENSIVE))
    readable = readable_invoice(invoice, "en")
    html = _partial(readable)
    assert readable.language == "en"
    assert ">Invoice number <span" in html
    assert '<span class="term-other" lang="de">Rechnungsnummer</span>' in html
    assert "04/13/2018" in html
    assert "12,829.69 EUR" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ("1.234,50 EUR", "158,125 EUR", "-0,01 EUR", "19\N{NO-BREAK SPACE}%", "03.04.2018", "1.000")),
        ("en", ("1,234.50 EUR", "158.125 EUR", "-0.01 EUR", "19%", "04/03/2018", "1,000")),
    ],
)
def test_formats_follow_the_language(language: str, expected: tuple[str, ...]):
    with translation.override(language):
        actual = (
            formatting.amount(Decimal("1234.5"), "EUR"),
            formatting.amount(Decimal("158.1250"), "EUR"),
            formatting.amount(Decimal("-0.01"), "EUR"),
            formatting.percent(Decimal("19.00")),
            formatting.day(date(2018, 4, 3)),
            formatting.number(Decimal("1000.000")),
        )
    assert actual == expected


def test_iban_is_grouped_in_fours():
    assert formatting.account("de89370400440532013000") == "DE89 3704 0044 0532 0130 00"
    assert formatting.account("1234567") == "1234567"


# --- Checks and notices -----------------------------------------------------------------------------------------


def _payment_rows(readable: ReadableInvoice) -> list:
    section = readable.section("payment")
    assert section is not None
    return [row for part in section.parts for row in part.rows]


def test_valid_iban_and_leitweg_id_are_marked_checked():
    readable = readable_invoice(read_invoice(_suite_xml(COMPREHENSIVE)), "en")
    account = next(row for row in _payment_rows(readable) if row.term.id == "BT-84")
    assert account.value == "DE79 0000 0000 1234 5678 90"
    assert account.check is not None and account.check.ok
    header = readable.section("header")
    assert header is not None
    reference = next(row for row in header.parts[0].rows if row.term.id == "BT-10")
    assert reference.check is not None and reference.check.ok
    assert not reference.notices


def test_invalid_iban_and_leitweg_id_carry_their_notices():
    xml = _suite_xml(COMPREHENSIVE)
    xml = xml.replace(b"DE79000000001234567890", b"DE79000000001234567891")
    xml = xml.replace(b"<cbc:BuyerReference>90000000-03083-72<", b"<cbc:BuyerReference>90000000-03083-71<")
    invoice = read_invoice(xml)
    readable = readable_invoice(invoice, "en")
    account = next(row for row in _payment_rows(readable) if row.term.id == "BT-84")
    assert account.check is not None and not account.check.ok
    assert account.notices == ["DE79000000001234567891 is not a valid IBAN."]
    header = readable.section("header")
    assert header is not None
    reference = next(row for row in header.parts[0].rows if row.term.id == "BT-10")
    assert reference.check is not None and not reference.check.ok
    assert reference.notices == ["The check digits of the Leitweg-ID are wrong."]
    html = _partial(readable)
    # The problem is said in words, not by colour alone.
    assert "Not a valid IBAN" in html
    assert "<strong>Notice:</strong> The check digits of the Leitweg-ID are wrong." in html
    text = _pdf_text(render_pdf(invoice))
    assert "is not a valid IBAN" in text


def test_notice_without_a_row_goes_to_its_section_or_the_top():
    invoice = read_invoice(_suite_xml(COMPREHENSIVE))
    invoice.notice("BT-131", "'x' is not a number.")  # a line amount: shown in the lines table only
    invoice.notice("BT-8", "'?' is not a code.")  # an unfilled header field
    invoice.notice("BT-999", "Something else.")
    readable = readable_invoice(invoice, "en")
    lines, header = readable.section("lines"), readable.section("header")
    assert lines is not None and header is not None
    assert [notice.message for notice in lines.notices] == ["'x' is not a number."]
    assert [notice.message for notice in header.notices] == ["'?' is not a code."]
    assert [(notice.term, notice.message) for notice in readable.notices] == [(None, "Something else.")]
    html = _partial(readable)
    assert 'id="invoice-notices"' in html
    assert "Something else." in html


def test_skonto_terms_show_deadline_and_amounts():
    invoice = read_invoice(_suite_xml("business-cases/standard/01.10a-INVOICE_ubl.xml"))
    with translation.override("de"):
        readable = readable_invoice(invoice)
    skonto = [row.value for row in _payment_rows(readable) if row.label]
    assert len(skonto) == 3
    assert "7" in skonto[0] and "04.07.2016" in skonto[0]
    assert "51,88 EUR" in skonto[0] and "2.594,20 EUR" in skonto[0] and "2.542,32 EUR" in skonto[0]
    assert "11.07.2016" in skonto[1] and "25,94 EUR" in skonto[1]


def test_heading_level_follows_the_page():
    readable = readable_invoice(read_invoice(_suite_xml(COMPREHENSIVE)), "en")
    html = render_to_string(PARTIAL, {"readable": readable, "heading_level": 3})
    assert '<h3 id="invoice-seller" class="einvoice-heading">' in html
    assert '<h4 id="invoice-seller-2" class="einvoice-subheading">Postal address' in html
    assert "<h2" not in html


def test_sub_lines_are_nested():
    invoice = read_invoice(_suite_xml("business-cases/extension/04.01a-INVOICE_ubl.xml"))
    lines = readable_invoice(invoice, "en").section("lines")
    assert lines is not None and lines.parts[0].table is not None
    assert any(row.depth > 0 for row in lines.parts[0].table.rows)
    html = _partial(readable_invoice(invoice, "en"))
    assert 'class="indent-1"' in html


# --- PDF --------------------------------------------------------------------------------------------------------


def test_pdf_metadata_and_page_numbers():
    invoice = read_invoice(_suite_xml(COMPREHENSIVE))
    content = render_pdf(invoice, language="de")
    with translation.override("de"):
        title = document_title(invoice)
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert reader.metadata is not None
    assert reader.metadata.title == title
    assert "1234567" in (reader.metadata.subject or "")
    assert len(reader.pages) > 1
    assert f"of {len(reader.pages)}" in _pdf_text(content) or f"von {len(reader.pages)}" in _pdf_text(content)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_pdf_without_dejavu_falls_back_and_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(pdf_module, "_FONT_DIR", tmp_path)
    invoice = Invoice("ubl-invoice", number="RE-1", currency="EUR", notes=["Größe € – ✓"])
    invoice.seller.name = "Müller & Söhne"
    with translation.override("en"):
        content = render_pdf(invoice)
    text = _pdf_text(content)
    assert "RE-1" in text and "Müller & Söhne" in text
    assert "font for the full character set is missing" in text


def test_pdf_survives_text_longer_than_a_page():
    invoice = Invoice("cii", number="LONG-1", currency="EUR", notes=["Sehr lang " * 1500])
    invoice.seller.name = "Lang GmbH"
    invoice.lines.append(Line(id="1", name="Posten", description="Beschreibung " * 1500))
    with translation.override("de"):
        content = render_pdf(invoice)
    assert content.startswith(b"%PDF")
    assert "LONG-1" in _pdf_text(content)


def test_empty_invoice_renders():
    invoice = Invoice("cii")
    readable = readable_invoice(invoice, "de")
    assert readable.title
    lines = readable.section("lines")
    assert lines is not None and lines.parts[0].empty
    assert "<table" not in _partial(readable).split('id="invoice-lines"')[1].split("</section>")[0]
    assert render_pdf(invoice).startswith(b"%PDF")

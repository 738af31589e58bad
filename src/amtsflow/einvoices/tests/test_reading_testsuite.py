"""read_invoice over the 86 valid invoices of the KoSIT XRechnung test suite, and three checked field by field."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from amtsflow.core.testing.shared_data import require_shared, shared_data_dir
from amtsflow.einvoices.reading import Invoice, detect, read_invoice
from amtsflow.einvoices.reading.model import Identifier, Line, SkontoTerm

SUITE = ("xrechnung", "testsuite")
ZERO = Decimal(0)


def _suite_files() -> list[Path]:
    # Collected without require_shared so a missing corpus does not break collection; test_suite_is_complete
    # below skips (locally) or fails (CI) for it.
    root = shared_data_dir().joinpath(*SUITE, "src", "test")
    return sorted(root.glob("**/*.xml")) if root.exists() else []


def _read(relative: str) -> Invoice:
    return read_invoice((require_shared(*SUITE) / "src" / "test" / relative).read_bytes())


def test_suite_is_complete():
    files = sorted((require_shared(*SUITE) / "src" / "test").glob("**/*.xml"))
    assert len(files) == 86
    assert sum(1 for path in files if path.name.endswith("_ubl.xml")) == 45


@pytest.mark.parametrize("path", _suite_files(), ids=lambda path: path.name)
def test_every_suite_invoice_is_read(path: Path):
    content = path.read_bytes()
    detected = detect(content, path.name)
    assert detected.accepted, detected.refusal
    assert detected.kind == ("ubl-invoice" if path.name.endswith("_ubl.xml") else "cii")
    assert detected.xrechnung_version == "3.0"
    assert detected.profile == "XRECHNUNG"

    invoice = read_invoice(content)
    assert invoice.number
    assert isinstance(invoice.issue_date, date)
    assert invoice.seller.name
    assert invoice.buyer_reference or invoice.order_reference
    assert invoice.currency == "EUR"
    assert invoice.lines
    totals = invoice.totals
    for amount in (totals.line_total, totals.tax_exclusive, totals.tax_inclusive, totals.payable):
        assert isinstance(amount, Decimal)
    # The EN 16931 total relationships (BR-CO-10, -13, -14, -15, -16; BR-DEX-09 for third-party payments).
    assert totals.line_total == sum((line.net_amount for line in invoice.lines), ZERO)
    assert totals.tax_exclusive == totals.line_total - (totals.allowance_total or ZERO) + (totals.charge_total or ZERO)
    assert (totals.tax_total or ZERO) == sum((vat.tax_amount for vat in invoice.vat_breakdown), ZERO)
    assert totals.tax_inclusive == totals.tax_exclusive + (totals.tax_total or ZERO)
    third_party = sum((payment.amount for payment in invoice.third_party_payments), ZERO)
    assert totals.payable == totals.tax_inclusive - (totals.prepaid or ZERO) + (totals.rounding or ZERO) + third_party
    # The suite's dummy IBANs are all valid ones.
    assert all(means.iban_valid is not False for means in invoice.payment_means)
    assert not [notice for notice in invoice.notices if notice.bt != "BT-10"], invoice.notices


def test_comprehensive_ubl_field_by_field():
    invoice = _read("technical-cases/cius/01.01_comprehensive_test_ubl.xml")
    assert invoice.syntax == "ubl-invoice"
    assert invoice.specification_id == "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    assert invoice.process_id == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    assert (invoice.number, invoice.type_code) == ("1234567", "380")
    assert invoice.issue_date == invoice.due_date == invoice.tax_point_date == date(2018, 4, 13)
    assert invoice.notes == ["#AAC#Invoice Note Description", "#AAC#Invoice Note Description 2"]
    assert (invoice.currency, invoice.tax_currency) == ("EUR", "GBP")
    assert invoice.buyer_accounting_reference == "Buchungscode1"
    assert invoice.buyer_reference == "90000000-03083-72"
    assert invoice.leitweg is not None
    assert invoice.leitweg.valid
    assert (invoice.period_start, invoice.period_end) == (date(2018, 4, 13), date(2018, 4, 13))
    assert (invoice.order_reference, invoice.sales_order_reference) == ("65002278", "ABC123456789")
    assert [(ref.number, ref.issue_date) for ref in invoice.preceding_invoices] == [
        ("PIR1234567890", date(2018, 2, 4)),
        ("PIR0987654321", date(2018, 3, 5)),
    ]
    assert invoice.despatch_advice_reference == "DAR123456789"
    assert invoice.receiving_advice_reference == "RAR123456789"
    assert invoice.tender_reference == "ANG987654321"
    assert invoice.contract_reference == "0000000752"
    assert invoice.project_reference == "PR12345678"
    assert invoice.invoiced_object == Identifier("OK987654321")

    seller = invoice.seller
    assert (seller.name, seller.trading_name) == ("[Seller name]", "[Seller trading name]")
    assert seller.identifiers == [Identifier("987654321", "0088")]
    assert seller.legal_registration_id == Identifier("123456789", "0088")
    assert (seller.vat_id, seller.tax_number) == ("ATU123456789", "123/456/789")
    assert seller.legal_info.startswith("Amtsgericht")
    assert seller.electronic_address == Identifier("rechnungsausgang@test.com", "EM")
    assert seller.address is not None
    assert (seller.address.line1, seller.address.line2, seller.address.line3) == (
        "[Seller address line 1]",
        "[Seller address line 2]",
        "[Seller address line 3]",
    )
    assert (seller.address.city, seller.address.postcode, seller.address.subdivision, seller.address.country) == (
        "[Seller city]",
        "12345",
        "Bayern",
        "DE",
    )
    assert seller.contact is not None
    assert (seller.contact.name, seller.contact.phone, seller.contact.email) == (
        "Tim Tester",
        "012 3456789",
        "tim.tester@test.com",
    )
    buyer = invoice.buyer
    assert (buyer.name, buyer.trading_name, buyer.vat_id) == ("[Buyer trading name]", "[Buyer name]", "DE12345ABC")
    assert buyer.legal_registration_id == Identifier("90000000-03083-72", "0204")
    assert buyer.address is not None
    assert (buyer.address.city, buyer.address.postcode) == ("[Buyer city]", "98765")
    assert invoice.payee is not None
    assert (invoice.payee.name, invoice.payee.identifiers) == ("[Payee name]", [Identifier("74")])
    assert invoice.tax_representative is not None
    assert (invoice.tax_representative.name, invoice.tax_representative.vat_id) == (
        "[Seller tax representative name]",
        "DE124567",
    )
    assert invoice.deliver_to is not None
    assert invoice.deliver_to.name == "[Deliver to party name]"
    assert invoice.deliver_to.identifiers == [Identifier("68")]
    assert invoice.delivery_date == date(2018, 4, 13)

    first, second = invoice.payment_means
    assert (first.code, first.text, first.remittance_information) == (
        "58",
        "[Payment means text]",
        "Deb. 12345 / Fact. 9876543",
    )
    assert (first.account_id, first.account_name, first.bic) == (
        "DE79000000001234567890",
        "[Payment account name]",
        "[BIC]",
    )
    assert second.account_id == "DE16000000002345678901"
    assert first.iban_valid is True
    assert second.iban_valid is True
    assert invoice.payment_terms.startswith("Beschreibung 1: Bitte überweisen Sie bis zum 13.04.2018")
    assert invoice.skonto == []

    assert [(c.amount, c.base_amount, c.percent, c.vat_category, c.reason_code) for c in invoice.charges] == [
        (Decimal(10), Decimal(100), Decimal(10), "E", "TAC")
    ] * 2
    assert [a.reason for a in invoice.allowances] == ["Fixed long term", "Fixed long term 2"]
    totals = invoice.totals
    assert (totals.line_total, totals.tax_exclusive, totals.tax_inclusive) == (
        Decimal("10781.25"),
        Decimal("10781.25"),
        Decimal("12829.69"),
    )
    assert (totals.allowance_total, totals.charge_total, totals.prepaid) == (Decimal(20), Decimal(20), Decimal(0))
    assert (totals.tax_total, totals.tax_total_accounting) == (Decimal("2048.44"), Decimal("2048.44"))
    assert totals.payable == Decimal("12829.69")
    assert [(v.category, v.rate, v.taxable_amount, v.tax_amount) for v in invoice.vat_breakdown] == [
        ("S", Decimal(19), Decimal("10781.25"), Decimal("2048.44")),
        ("E", Decimal(0), Decimal(0), Decimal(0)),
    ]
    assert invoice.vat_breakdown[1].exemption_code == "VATEX-EU-132-1A"

    attachment = invoice.attachments[0]
    assert (attachment.id, attachment.filename, attachment.mime) == (
        "01_15_Anhang_01.pdf",
        "01_15_Anhang_01.pdf",
        "application/pdf",
    )
    assert attachment.description == "Aufschlüsselung der einzelnen Leistungspositionen"
    assert attachment.uri == "https://xeinkauf.de/xrechnung/"
    assert attachment.content.startswith(b"%PDF-1.5")

    line = invoice.lines[0]
    assert (line.id, line.quantity, line.unit, line.net_amount) == ("1", Decimal(30), "XPP", Decimal("4743.75"))
    assert line.note.startswith("Die letzte Lieferung")
    assert (line.accounting_reference, line.order_line_reference) == ("Konto 1", "6171175.1")
    assert line.object_id == Identifier("ANG987654321", "ABZ")
    assert (line.name, line.description) == ("Beratung", "Anforderungsmanagement")
    assert (line.seller_item_id, line.buyer_item_id) == ("1034", "5034")
    assert line.standard_item_id == Identifier("123456789", "0088")
    assert (line.vat_category, line.vat_rate) == ("S", Decimal(19))
    assert [c.amount for c in line.charges] == [Decimal(20), Decimal(20)]
    assert [a.reason_code for a in line.allowances] == ["102", "102"]


def test_comprehensive_cii_matches_its_ubl_twin():
    """The CII twin carries the same business content; where the syntaxes differ, the CII value is asserted."""
    invoice = _read("technical-cases/cius/01.01_comprehensive_test_uncefact.xml")
    assert invoice.syntax == "cii"
    assert (invoice.number, invoice.issue_date, invoice.type_code) == ("1234567", date(2018, 4, 13), "380")
    assert invoice.notes == ["Invoice Note Description", "Invoice Note Description 2"]
    assert invoice.seller.name == "[Seller name]"
    assert invoice.seller.identifiers == [
        Identifier("9876543217894897438"),
        Identifier("748387437438"),
        Identifier("987654321", "0088"),
    ]
    assert invoice.seller.trading_name == "[Seller trading name]"
    assert (invoice.seller.vat_id, invoice.seller.tax_number) == ("ATU123456789", "123/456/789")
    assert invoice.buyer.name == "[Buyer name]"
    assert invoice.buyer_reference == "90000000-03083-72"
    assert invoice.due_date == date(2018, 4, 13)
    assert (invoice.totals.tax_total, invoice.totals.tax_total_accounting) == (Decimal("2048.44"), Decimal("2048.44"))
    assert invoice.totals.payable == Decimal("12829.69")
    assert invoice.preceding_invoices[0].number == "PIR1234567890"
    assert invoice.preceding_invoices[0].issue_date == date(2018, 2, 4)
    assert invoice.buyer_accounting_reference == "Buchungscode1"
    assert [means.account_id for means in invoice.payment_means] == ["DE79000000001234567890", "DE16000000002345678901"]
    assert invoice.attachments[0].content.startswith(b"%PDF")
    line = invoice.lines[0]
    assert (line.net_price, line.gross_price, line.price_discount) == (
        Decimal("158.1250000000"),
        Decimal("168.1250000000"),
        Decimal("10.000000000000000000"),
    )
    assert (line.base_quantity, line.base_quantity_unit) == (Decimal(1), "XPP")
    assert (line.period_start, line.period_end) == (date(2018, 4, 13), date(2018, 4, 13))


def test_skonto_invoice_field_by_field():
    invoice = _read("business-cases/standard/01.10a-INVOICE_uncefact.xml")
    assert (invoice.number, invoice.issue_date) == ("Rechnungsnummer", date(2016, 6, 27))
    assert invoice.buyer_reference == "04011000-12350-85"
    assert invoice.leitweg is not None
    assert invoice.leitweg.valid
    assert invoice.sales_order_reference == "Auftragsnummer"
    assert invoice.seller.legal_registration_id == Identifier("HRB 123456")
    assert invoice.seller.contact is not None
    assert invoice.seller.contact.phone == "+49(0)1234-0"
    assert invoice.deliver_to is not None
    assert invoice.deliver_to.name == "Außenstelle XY"
    assert invoice.deliver_to.address is not None
    assert invoice.deliver_to.address.city == "[Deliver to city]"
    assert invoice.skonto == [
        SkontoTerm(7, Decimal("2.00")),
        SkontoTerm(14, Decimal("1.00")),
        SkontoTerm(30, Decimal("0.00")),
    ]
    assert invoice.totals.tax_inclusive == invoice.totals.payable == Decimal("2594.2")
    assert invoice.lines[0].name == "Drehstuhl"
    assert (invoice.lines[0].quantity, invoice.lines[0].net_price) == (Decimal(10), Decimal(218))


def test_extension_sub_lines_are_nested():
    invoice = _read("business-cases/extension/04.01a-INVOICE_ubl.xml")
    first = invoice.lines[0]
    assert [sub.id for sub in first.sub_lines] == ["1 1", "1 2"]
    assert [sub.id for sub in first.sub_lines[0].sub_lines] == ["1 1 1", "1 1 2", "1 1 3"]

    def total(line: Line) -> Decimal:
        return sum((sub.net_amount for sub in line.sub_lines), ZERO)

    assert total(first.sub_lines[0]) == first.sub_lines[0].net_amount == Decimal("335.79")


def test_third_party_payments_of_the_extension():
    invoice = _read("business-cases/extension/05.01a-INVOICE_ubl.xml")
    assert [(p.type, p.amount) for p in invoice.third_party_payments] == [
        ("MobilesBezahlen", Decimal("19.96")),
        ("MobilesBezahlen", Decimal("10.00")),
    ]

"""IBAN, Leitweg-ID and Skonto checks, the business-term table, and reading details beyond the test suite."""

import dataclasses
from decimal import Decimal

import pytest
from django.utils import translation

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.reading import TERMS, business_terms, detect, iban, leitweg, model, read_invoice, term, term_of
from amtsflow.einvoices.reading.skonto import parse_skonto

# --- IBAN (ISO 13616) ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "de89370400440532013000", "GB82WEST12345698765432"],
)
def test_valid_ibans(value: str):
    assert iban.is_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        "DE89370400440532013001",  # check digits do not match
        "DE8937040044053201300",  # one digit short for Germany
        "XX89370400440532013000",  # no such country, and the mod-97 test fails
        "1234567890",
        "",
    ],
)
def test_invalid_ibans(value: str):
    assert not iban.is_valid(value)


# --- Leitweg-ID --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["04011000-1234512345-06", "991-33333TEST-33", "992-90009-96", "99000000-18188-18", "04011000-12345-03"],
)
def test_valid_leitweg_ids(value: str):
    assert leitweg.check(value).valid


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("04011000-1234512345-07", "check digits"),
        ("04011000-12345-34", "check digits"),
        ("Leitweg-ID", "format"),
        ("0-12345-03", "format"),  # coarse address needs at least two digits
        ("04011000-1234512345", "format"),  # no check digits
        ("04011000-" + "A" * 31 + "-00", "format"),  # fine address longer than 30
    ],
)
def test_invalid_leitweg_ids(value: str, problem: str):
    result = leitweg.check(value)
    assert not result.valid
    assert problem in result.problem


def test_invalid_leitweg_id_is_flagged_on_the_invoice():
    path = require_shared("xrechnung", "testsuite") / "src/test/business-cases/standard/01.06a-INVOICE_ubl.xml"
    invoice = read_invoice(path.read_bytes())
    assert invoice.leitweg is not None
    assert not invoice.leitweg.valid
    assert [notice.bt for notice in invoice.notices] == ["BT-10"]


# --- Skonto ------------------------------------------------------------------------------------------------------


def test_skonto_terms_are_parsed():
    parsed = parse_skonto("#SKONTO#TAGE=14#PROZENT=2.00#\n#SKONTO#TAGE=30#PROZENT=1.50#BASISBETRAG=-123.45#\n")
    assert parsed.terms == [
        model.SkontoTerm(14, Decimal("2.00")),
        model.SkontoTerm(30, Decimal("1.50"), Decimal("-123.45")),
    ]
    assert parsed.problems == []


def test_free_text_around_skonto_is_left_alone():
    parsed = parse_skonto("Zahlbar innerhalb 30 Tagen netto.\r\n#SKONTO#TAGE=10#PROZENT=3.00#\r\n")
    assert parsed.terms == [model.SkontoTerm(10, Decimal("3.00"))]
    assert parsed.problems == []


@pytest.mark.parametrize(
    "line",
    [
        "#SKONTO#TAGE=14#PROZENT=2,00#",  # decimal comma
        "#SKONTO#TAGE=14#PROZENT=2.0#",  # one decimal
        "#skonto#TAGE=14#PROZENT=2.00#",  # lower case
        "#VERZUG#TAGE=14#PROZENT=1.00#",  # not part of XRechnung 3
        "#SKONTO#TAGE=14#P ROZENT=1.00#",
        "#SKONTO#TAGE=14#PROZENT=1.00#Text",
    ],
)
def test_broken_skonto_lines_are_reported_not_guessed(line: str):
    parsed = parse_skonto(line + "\n")
    assert parsed.terms == []
    assert len(parsed.problems) == 1


def test_no_payment_terms_no_skonto():
    assert parse_skonto("") == type(parse_skonto(""))()


# --- Business terms ----------------------------------------------------------------------------------------------


def _model_terms() -> set[str]:
    found: set[str] = set()
    for cls in vars(model).values():
        if dataclasses.is_dataclass(cls) and isinstance(cls, type):
            for item in dataclasses.fields(cls):
                bt = item.metadata.get("bt")
                found.update(bt.values() if isinstance(bt, dict) else [bt] if bt else [])
    return found


def test_every_model_term_has_german_and_english_names():
    missing = _model_terms() - set(TERMS)
    assert not missing
    for business_term in TERMS.values():
        assert business_term.name_de
        assert str(business_term.name_en)


def test_names_follow_the_language():
    assert term("BT-1").name("de") == "Rechnungsnummer"
    assert term("BT-1").name("en") == "Invoice number"
    assert term("BT-115").label("de") == "BT-115 Fälliger Zahlungsbetrag"
    with translation.override("de"):
        assert term("BT-31").name() == "Umsatzsteuer-Identifikationsnummer des Verkäufers"


def test_term_of_resolves_roles():
    assert term_of(model.Invoice, "number") == "BT-1"
    assert term_of(model.Address, "city", "seller") == "BT-37"
    assert term_of(model.Address, "city", "buyer") == "BT-52"
    assert term_of(model.Party, "name", "payee") == "BT-59"
    assert term_of(model.AllowanceCharge, "amount", "charge") == "BT-99"


def test_business_terms_walk_the_invoice():
    path = require_shared("xrechnung", "testsuite") / "src/test/business-cases/standard/01.10a-INVOICE_uncefact.xml"
    terms = {value.path: value for value in business_terms(read_invoice(path.read_bytes()))}
    assert (terms["number"].bt, terms["number"].value) == ("BT-1", "Rechnungsnummer")
    assert (terms["seller.address.city"].bt, terms["buyer.address.city"].bt) == ("BT-37", "BT-52")
    assert terms["deliver_to.address.city"].bt == "BT-77"
    assert terms["lines[0].net_amount"].value == Decimal(2180)
    assert terms["skonto[0].percent"].bt == "BT-20"
    assert terms["seller"].bt == "BG-4"
    assert all(value.bt in TERMS for value in terms.values())


# --- Reading details ---------------------------------------------------------------------------------------------


def test_ubl_credit_note_is_read():
    path = require_shared("xrechnung", "xrechnung-schematron-tests") / "test/instances/ubl-cn/ubl-cn-br-de-1-test.xml"
    content = path.read_bytes()
    assert detect(content).kind == "ubl-creditnote"
    invoice = read_invoice(content)
    assert (invoice.syntax, invoice.type_code, invoice.is_credit_note) == ("ubl-creditnote", "381", True)
    assert invoice.lines[0].quantity == Decimal(33)
    assert invoice.totals.payable == Decimal("12829.69")


def _suite_invoice(name: str) -> bytes:
    return (require_shared("xrechnung", "testsuite") / "src/test/business-cases/standard" / name).read_bytes()


def test_malformed_values_become_notices():
    content = _suite_invoice("01.10a-INVOICE_ubl.xml")
    content = content.replace(b">2594.2<", b">2.594,20<", 1).replace(
        b"<cbc:IssueDate>2016-06-27", b"<cbc:IssueDate>27.06.2016"
    )
    invoice = read_invoice(content)
    assert invoice.totals.payable is None or invoice.totals.tax_inclusive is None
    assert invoice.issue_date is None
    assert {notice.bt for notice in invoice.notices} >= {"BT-2"}
    assert any("is not a number" in notice.message for notice in invoice.notices)


def test_invalid_iban_is_flagged():
    content = _suite_invoice("01.10a-INVOICE_uncefact.xml").replace(
        b"DE79000000001234567890", b"DE79000000001234567891"
    )
    invoice = read_invoice(content)
    assert [means.iban_valid for means in invoice.payment_means] == [False, True]
    assert [(notice.bt, notice.message) for notice in invoice.notices] == [
        ("BT-84", "DE79000000001234567891 is not a valid IBAN.")
    ]


def test_cii_sub_lines_are_nested_under_their_parent():
    content = _suite_invoice("01.13a-INVOICE_uncefact.xml")
    flat = read_invoice(content)
    # Make line 7.1 a sub-line of line 7, as the XRechnung extension writes it in CII.
    content = content.replace(
        b"<ram:LineID>7.1</ram:LineID>", b"<ram:LineID>7.1</ram:LineID><ram:ParentLineID>7</ram:ParentLineID>", 1
    )
    invoice = read_invoice(content)
    assert [line.id for line in invoice.lines] == [line.id for line in flat.lines if line.id != "7.1"]
    assert invoice.lines[0].id == "7"
    assert [sub.id for sub in invoice.lines[0].sub_lines] == ["7.1"]


def test_absurd_skonto_days_are_reported_not_converted():
    parsed = parse_skonto("#SKONTO#TAGE=" + "9" * 5000 + "#PROZENT=2.00#\n")
    assert parsed.terms == []
    assert len(parsed.problems) == 1


def test_xml_mentioning_pdf_header_is_still_xml():
    content = _suite_invoice("01.10a-INVOICE_ubl.xml").replace(b"<cbc:ID>", b"<!-- %PDF-1.7 --><cbc:ID>", 1)
    assert detect(content).kind == "ubl-invoice"

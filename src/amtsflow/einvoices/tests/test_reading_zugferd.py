"""detect() over the ZUGFeRD/Factur-X sample PDFs of mustangproject: valid hybrids and deliberately broken ones.

Per the corpus' description (shared SOURCE.md): valid EN 16931, EXTENDED and XRechnung-profile hybrids, and broken
ones — a corrupted PDF, invalid XML inside, invalid XMP, a 15-byte "PDF" and a PDF/A without attachment. Every file
ends in one of three outcomes: invoice XML found (and read), accepted but flagged, or refused with a reason.
"""

from decimal import Decimal

import pytest

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.reading import detect, read_invoice

# file → (profile, invoice number BT-1, amount due BT-115)
STRUCTURED = {
    "EN16931_1_Teilrechnung.pdf": ("EN 16931", "471102", "147.65"),
    "EN16931_Einfach.pdf": ("EN 16931", "471102", "529.87"),
    "EXTENDED_Fremdwaehrung_wdis_fx-pdfa4.pdf": ("EXTENDED", "47110815", "521.91"),
    "MustangBeispiel20221026.pdf": ("EN 16931", "RE1001", "963.11"),
    # Schema-invalid content (currencyID on line amounts, an EXTENDED guideline on EN 16931 data) is the
    # validator's finding; reading works.
    "XMLinvalidV2PDF.pdf": ("EXTENDED", "RE-20171118/506", "571.04"),
    # ZUGFeRD 2.0 names its file zugferd-invoice.xml.
    "ZTESTZUGFERD_1_INVDSS_012015738820PDF-1.pdf": ("EXTENDED", "2015738820", "447.88"),
    # Damaged cross-reference table: qpdf repairs it; the name tree is lost, the /AF entry still leads to the XML.
    "corruptedV2PDF.pdf": ("EN 16931", "RE-20171118/506", "571.04"),
    # XMP says ConformanceLevel "no thing"; the XML itself is fine.
    "invalidXMP.pdf": ("EN 16931", "RE-20171118/506", "571.04"),
    # XRechnung 1.2: outdated and rule-invalid, but readable; the validator decides.
    "invalidXRechnung.pdf": ("XRECHNUNG", "RE-20190610/507", "571.04"),
    # Carries both ZUGFeRD 1.0 and Factur-X data: the Factur-X file is the one read.
    "validV2PDF.pdf": ("EN 16931", "RE-20171118/506", "571.04"),
    "validXRechnung.pdf": ("XRECHNUNG", "RE-20190610/507", "571.04"),
    "zugferd_2p1_EXTENDED_PDFA-3A.pdf": ("EXTENDED", "R87654321012345", "518.99"),
}
UNSTRUCTURED = {
    "EmptyPDFA1.pdf": "no structured invoice data",
    "zugferd_invoice.pdf": "ZUGFeRD 1.0",  # pre-EN 16931 data: the PDF is kept, its XML is not read
}
REFUSED = {
    "corrupt-factur-x-waytoosmall.pdf": "The PDF is damaged and cannot be read.",
}


def _detect(name: str):
    path = require_shared("xrechnung", "zugferd-samples") / name
    return detect(path.read_bytes(), name)


def test_every_sample_has_an_expected_outcome():
    folder = require_shared("xrechnung", "zugferd-samples")
    assert {path.name for path in folder.glob("*.pdf")} == set(STRUCTURED) | set(UNSTRUCTURED) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(STRUCTURED))
def test_hybrid_invoice_is_detected_and_read(name: str):
    profile, number, payable = STRUCTURED[name]
    detected = _detect(name)
    assert detected.kind == "zugferd-pdf", detected.refusal
    assert detected.accepted
    assert detected.structured
    assert detected.syntax == "cii"
    assert detected.profile == profile
    assert detected.embedded_filename.lower() in {"factur-x.xml", "zugferd-invoice.xml"}
    invoice = read_invoice(detected.xml)
    assert invoice.number == number
    assert invoice.totals.payable == Decimal(payable)
    assert invoice.lines


def test_xrechnung_profile_pdf_reports_its_version():
    detected = _detect("validXRechnung.pdf")
    assert detected.xrechnung_version == "1.2"
    assert detected.customization_id == "urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_1.2"


def test_repaired_pdf_is_flagged():
    assert any("repaired" in notice for notice in _detect("corruptedV2PDF.pdf").notices)


def test_invalid_xmp_is_flagged():
    notices = _detect("invalidXMP.pdf").notices
    assert any("no thing" in notice for notice in notices), notices


def test_valid_samples_raise_no_xmp_notice():
    assert _detect("EN16931_Einfach.pdf").notices == ()
    assert _detect("zugferd_2p1_EXTENDED_PDFA-3A.pdf").notices == ()  # XMP properties written as attributes


@pytest.mark.parametrize("name", sorted(UNSTRUCTURED))
def test_pdf_without_readable_invoice_data_is_accepted_but_flagged(name: str):
    detected = _detect(name)
    assert detected.kind == "pdf-unstructured"
    assert detected.accepted
    assert not detected.structured
    assert any("no structured invoice data" in notice for notice in detected.notices)
    assert any(UNSTRUCTURED[name] in notice for notice in detected.notices)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_broken_pdf_is_refused(name: str):
    detected = _detect(name)
    assert detected.kind == "unknown"
    assert detected.refusal == REFUSED[name]
    assert not detected.structured

"""Hostile input: every case ends in a clear refusal (or a flagged, harmless result) and nothing crashes."""

import io

import pikepdf
import pytest

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.reading import Refused, detect, read_invoice, safexml
from amtsflow.einvoices.reading import pdf as pdf_module

DTD_REFUSAL = "The XML declares a DTD or entities, which are not allowed in e-invoices."
XXE = b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>'
EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/invoice.dtd"><Invoice/>'
PARAMETER_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd">%remote;]><Invoice/>'
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join([b"&lol%s;" % (str(i - 1).encode() if i > 1 else b"")] * 10))
        for i in range(1, 10)
    )
    + b"]><lolz>&lol9;</lolz>"
)


@pytest.mark.parametrize(
    "content",
    [
        XXE,
        EXTERNAL_DTD,
        PARAMETER_ENTITY,
        BILLION_LAUGHS,
        XXE.decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1).encode("utf-16"),
    ],
    ids=["xxe", "external-dtd", "parameter-entity", "billion-laughs", "xxe-utf16"],
)
def test_dtds_and_entities_are_refused(content: bytes):
    detected = detect(content, "invoice.xml")
    assert (detected.kind, detected.refusal) == ("unknown", DTD_REFUSAL)
    with pytest.raises(Refused, match="DTD or entities"):
        read_invoice(content)


@pytest.mark.parametrize(
    ("content", "refusal"),
    [(XXE, "DTD or entities"), (BILLION_LAUGHS, "amplification")],
    ids=["xxe", "billion-laughs"],
)
def test_parser_itself_neither_resolves_nor_expands(content: bytes, refusal: str, monkeypatch):
    # Second line of defence: without the byte scan, the hardened parser still loads nothing, and libxml2's
    # amplification guard stops the expansion.
    monkeypatch.setattr(safexml, "_DTD_MARKERS", ())
    with pytest.raises(Refused, match=refusal) as refused:
        safexml.parse_xml(content)
    assert "root:" not in refused.value.reason


def test_gigantic_file_is_refused_before_parsing():
    content = b"<Invoice>" + b" " * (30 * 1024 * 1024) + b"</Invoice>"
    detected = detect(content, "big.xml")
    assert detected.refusal == "The file is larger than the 20 MB allowed for e-invoices."
    with pytest.raises(Refused, match="larger than"):
        read_invoice(content)


def test_size_limit_follows_the_setting(settings):
    settings.AMTSFLOW_EINVOICE_MAX_BYTES = 1024
    assert "larger than" in detect(b"<Invoice>" + b" " * 2000 + b"</Invoice>").refusal


@pytest.mark.parametrize("depth", [10_000, 101])
def test_deep_nesting_is_refused(depth: int):
    content = b"<a>" * depth + b"</a>" * depth
    assert detect(content).refusal == "The XML is nested deeper than 100 levels."


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        (b"\x00\x01\x02 binary junk", "upload.bin is neither an XML e-invoice nor a PDF."),
        (b"", "upload.bin is neither an XML e-invoice nor a PDF."),
        (b"<Invoice><ID>1</Invoice>", "The file is not well-formed XML"),
        (b"<html><body>Rechnung</body></html>", "The XML is not an e-invoice"),
        (
            b'<CrossIndustryDocument xmlns="urn:ferd:CrossIndustryDocument:invoice:1p0"/>',
            "ZUGFeRD 1.0 data is not an EN 16931 e-invoice",
        ),
    ],
    ids=["binary", "empty", "malformed", "other-xml", "zugferd-1"],
)
def test_non_invoices_are_refused(content: bytes, refusal: str):
    detected = detect(content, "upload.bin")
    assert detected.kind == "unknown"
    assert detected.refusal.startswith(refusal)


# --- PDFs ------------------------------------------------------------------------------------------------------


def _pdf_with_attachment(name: str, data: bytes, pages: int = 1, **save: object) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, data, mime_type="text/xml")
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def _raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand, for structures no PDF library would write."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"


def test_pdf_whose_attachment_is_not_xml_is_refused():
    content = _pdf_with_attachment("factur-x.xml", b"\x89PNG\r\n\x1a\n\x00\x00 an image, not an invoice")
    detected = detect(content, "rechnung.pdf")
    assert detected.kind == "unknown"
    assert detected.refusal == "The embedded file factur-x.xml is not XML."


def test_pdf_with_hostile_embedded_xml_is_refused():
    detected = detect(_pdf_with_attachment("factur-x.xml", XXE), "rechnung.pdf")
    assert detected.refusal == f"Embedded file factur-x.xml: {DTD_REFUSAL}"


def test_compression_bomb_in_the_embedded_invoice_is_refused():
    content = _pdf_with_attachment("factur-x.xml", b"<a>" + b" " * (25 * 1024 * 1024) + b"</a>")
    assert len(content) < 100_000  # 25 MB inflate from a few KB
    detected = detect(content, "bomb.pdf")
    assert detected.refusal == "The embedded file factur-x.xml is larger than the 20 MB allowed for e-invoices."


def test_compression_bomb_beside_a_valid_invoice_is_left_out():
    sample = require_shared("xrechnung", "zugferd-samples") / "EN16931_Einfach.pdf"
    pdf = pikepdf.open(sample)
    pdf.attachments["bomb.txt"] = pikepdf.AttachedFileSpec(pdf, b" " * (25 * 1024 * 1024))
    pdf.attachments["lieferschein.txt"] = pikepdf.AttachedFileSpec(pdf, b"Lieferschein 4711", mime_type="text/plain")
    out = io.BytesIO()
    pdf.save(out)
    detected = detect(out.getvalue(), "rechnung.pdf")
    assert detected.kind == "zugferd-pdf"
    assert read_invoice(detected.xml).number == "471102"
    assert [(a.filename, a.content) for a in detected.attachments] == [("lieferschein.txt", b"Lieferschein 4711")]
    assert any("bomb.txt is larger than" in notice for notice in detected.notices)


def test_stream_with_huge_length_does_not_crash():
    content = _raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 4 0 R] >> >> >>",
        PAGES,
        PAGE,
        b"<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /EF << /F 5 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length 99999999999 >>\nstream\n<a/>\nendstream",
    )
    detected = detect(content, "length.pdf")
    # qpdf recovers the real stream end; what it holds is no invoice, and the refusal says so.
    assert detected.kind == "unknown"
    assert detected.refusal.startswith("Embedded file factur-x.xml: The XML is not an e-invoice")


@pytest.mark.parametrize(
    "objects",
    [
        (b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 100_000 + b"]" * 100_000 + b" >>", PAGES, PAGE),
        (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", PAGE),
    ],
    ids=["deeply-nested-arrays", "page-tree-loop"],
)
def test_malicious_structures_are_refused(objects: tuple[bytes, ...]):
    assert detect(_raw_pdf(*objects), "evil.pdf").refusal == "The PDF is damaged and cannot be read."


@pytest.mark.parametrize(
    "catalog",
    [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",  # name tree pointing at itself
        b"<< /Type /Catalog /Pages 2 0 R /AF 4 0 R >>",  # associated files resolving to themselves
    ],
    ids=["name-tree-loop", "af-loop"],
)
def test_reference_loops_end_as_unstructured_pdf(catalog: bytes):
    loop = b"<< /Kids [4 0 R] >>" if b"Names" in catalog else b"4 0 R"
    detected = detect(_raw_pdf(catalog, PAGES, PAGE, loop), "loop.pdf")
    assert detected.kind == "pdf-unstructured"


def test_object_and_page_limits(monkeypatch):
    content = _pdf_with_attachment("factur-x.xml", b"<a/>", pages=3)
    monkeypatch.setattr(pdf_module, "MAX_PAGES", 2)
    assert detect(content).refusal == "The PDF has more than 2 pages."
    monkeypatch.setattr(pdf_module, "MAX_OBJECTS", 5)
    assert detect(content).refusal == "The PDF consists of more than 5 objects."


def test_password_protected_pdf_is_refused():
    content = _pdf_with_attachment("factur-x.xml", b"<a/>", encryption=pikepdf.Encryption(user="geheim", owner="x"))
    assert detect(content).refusal == "The PDF is password-protected and cannot be read."


def test_unsupported_and_damaged_compression_are_refused():
    exotic = _raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 4 0 R] >> >> >>",
        PAGES,
        PAGE,
        b"<< /Type /Filespec /F (factur-x.xml) /EF << /F 5 0 R >> >>",
        b"<< /Type /EmbeddedFile /Filter /LZWDecode /Length 4 >>\nstream\n\x80\x0b`P\nendstream",
    )
    assert detect(exotic).refusal == "The embedded file factur-x.xml uses an unsupported PDF compression."
    damaged = exotic.replace(b"/LZWDecode", b"/FlateDecode")
    assert detect(damaged).refusal == "The embedded file factur-x.xml is damaged."

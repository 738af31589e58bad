"""Hostile and broken input: refused with a clear message, never read outside the document, never a crash.

Outcomes follow one rule: what the KoSIT validator rejects as not well-formed (its parser forbids DOCTYPE) or
as matching no scenario is "reject"; what only our safety limits refuse (size, depth) is "not_validated".
"""

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from amtsflow.einvoices import saxon
from amtsflow.einvoices.rules import RuleRelease
from amtsflow.einvoices.validation import ValidationReport, validate_xml

from .conftest import XRECHNUNG

UBL = b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local port that records whether anything connected (it must not: no network access)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)  # noqa: FBT003
    yield server
    server.close()


def assert_no_connection(server: socket.socket) -> None:
    with pytest.raises(BlockingIOError):
        server.accept()


def assert_nothing_leaked(report: ValidationReport) -> None:
    text = report.varl.decode("utf-8", "replace") + repr(report.findings) + report.error
    assert "root:x:0:0" not in text
    assert "SECRET-MARKER" not in text


def test_xxe_file_entity_is_refused(rules: tuple[RuleRelease, ...]) -> None:
    content = (
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + UBL
        + b"&xxe;</Invoice>"
    )
    report = validate_xml(content, filename="xxe.xml")
    assert report.recommendation == "reject"
    assert "DOCTYPE declaration is not allowed" in report.error
    assert [f.rule for f in report.findings] == ["XML-WELLFORMEDNESS"]
    assert_nothing_leaked(report)


def test_xxe_with_local_secret_file_is_refused(rules: tuple[RuleRelease, ...], tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER")
    content = f'<!DOCTYPE r [<!ENTITY s SYSTEM "{secret.as_uri()}">]><r>&s;</r>'.encode()
    report = validate_xml(content)
    assert report.recommendation == "reject"
    assert_nothing_leaked(report)


def test_external_dtd_is_never_fetched(rules: tuple[RuleRelease, ...], listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    content = f'<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:{port}/evil.dtd">'.encode() + UBL + b"</Invoice>"
    report = validate_xml(content)
    assert report.recommendation == "reject"
    assert "DOCTYPE" in report.error
    assert_no_connection(listener)


def test_external_parameter_entity_is_never_fetched(rules: tuple[RuleRelease, ...], listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    content = f'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]><r/>'.encode()
    report = validate_xml(content)
    assert report.recommendation == "reject"
    assert_no_connection(listener)


def test_billion_laughs_is_refused_quickly(rules: tuple[RuleRelease, ...]) -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    content = f'<!DOCTYPE r [<!ENTITY l0 "lol">{entities}]><r>&l9;</r>'.encode()
    started = time.perf_counter()
    report = validate_xml(content)
    assert time.perf_counter() - started < 2
    assert report.recommendation == "reject"
    assert "DOCTYPE" in report.error


def test_xinclude_is_not_processed(rules: tuple[RuleRelease, ...]) -> None:
    content = (
        UBL[:-1] + b' xmlns:xi="http://www.w3.org/2001/XInclude">'
        b'<xi:include href="file:///etc/passwd" parse="text"/></Invoice>'
    )
    report = validate_xml(content)
    assert report.recommendation == "reject"  # no CustomizationID: no scenario
    assert_nothing_leaked(report)


def test_gigantic_file_is_refused_without_parsing(rules: tuple[RuleRelease, ...]) -> None:
    content = UBL + b"<cbc:Note>" + b"x" * (30 * 1024 * 1024) + b"</cbc:Note></Invoice>"
    started = time.perf_counter()
    report = validate_xml(content, filename="huge.xml")
    assert time.perf_counter() - started < 1
    assert report.recommendation == "not_validated"
    assert "larger than the limit of 20,971,520 bytes" in report.error


def test_size_limit_follows_the_setting(rules: tuple[RuleRelease, ...], settings) -> None:  # noqa: ANN001
    settings.AMTSFLOW_EINVOICE_MAX_BYTES = 100
    report = validate_xml(UBL + b" " * 200 + b"</Invoice>")
    assert report.recommendation == "not_validated"
    assert "limit of 100 bytes" in report.error


@pytest.mark.parametrize("depth", [150, 10_000])
def test_deep_nesting_is_refused(rules: tuple[RuleRelease, ...], depth: int) -> None:
    content = b"<a>" * depth + b"</a>" * depth
    report = validate_xml(content)
    assert report.recommendation == "not_validated"
    assert "nested more than 100 levels" in report.error or "safety limits" in report.error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The document is empty."),
        (b"   \n", "The document is empty."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "Not well-formed XML"),
        (b"\x00\x01\x02\xff" * 100, "Not well-formed XML"),
        (UBL + b"<cbc:ID>1</cbc:ID>", "Not well-formed XML"),
    ],
    ids=["empty", "blank", "pdf", "binary", "truncated"],
)
def test_not_xml_is_rejected_with_the_parser_message(
    rules: tuple[RuleRelease, ...], content: bytes, message: str
) -> None:
    report = validate_xml(content)
    assert report.recommendation == "reject"
    assert report.error.startswith(message)
    assert report.findings[0].rule == "XML-WELLFORMEDNESS"
    assert b"noScenarioMatched" in report.varl  # the KoSIT report for documents without scenario


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body>not an invoice</body></html>",
        b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>',
        UBL + b"<cbc:CustomizationID xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'>"
        b"urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_2.3</cbc:CustomizationID></Invoice>",
    ],
    ids=["html", "ubl-order", "xrechnung-2.3"],
)
def test_wrong_document_is_rejected_as_matching_no_scenario(rules: tuple[RuleRelease, ...], content: bytes) -> None:
    report = validate_xml(content)
    assert report.recommendation == "reject"
    assert report.scenario is None
    assert "no scenario of the installed rules" in report.error


def test_utf16_invoice_is_read_like_utf8(rules: tuple[RuleRelease, ...]) -> None:
    path = XRECHNUNG / "testsuite" / "src" / "test" / "business-cases" / "standard" / "01.01a-INVOICE_ubl.xml"
    text = path.read_text("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    assert validate_xml(text.encode("utf-16")).recommendation == "accept"


def test_saxon_itself_refuses_doctype(rules: tuple[RuleRelease, ...]) -> None:
    """Second line of defence: even if a DOCTYPE reached Saxon, its parser would not read it."""
    with pytest.raises(saxon.SaxonError, match="DOCTYPE"):
        saxon.parse('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf", b'<?xml version="1.0"?>\n<!-- a comment -->\n'])
def test_doctype_naming_a_local_file_is_refused_before_the_file_is_opened(
    rules: tuple[RuleRelease, ...], tmp_path: Path, prefix: bytes
) -> None:
    """libxml2 opens an external DTD even with load_dtd=False; a FIFO would block it. It must never get there."""
    fifo = tmp_path / "blocking.dtd"
    os.mkfifo(fifo)
    content = prefix + f'<!DOCTYPE Invoice SYSTEM "{fifo}">'.encode() + UBL + b"</Invoice>"
    reports: list[ValidationReport] = []
    worker = threading.Thread(target=lambda: reports.append(validate_xml(content)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the parser before failing
        with fifo.open("w"):
            pass
        pytest.fail("the parser opened the DTD named in the DOCTYPE")
    assert reports[0].recommendation == "reject"
    assert "DOCTYPE" in reports[0].error

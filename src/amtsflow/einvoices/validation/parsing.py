"""The hardened first read of an e-invoice: everything later (XSD, Saxon) only sees what this accepted.

Two outcomes besides success, kept apart on purpose:
- DocumentRefused: our own safety limits (size, nesting depth, libxml2's limits). The document might be a
  valid invoice; it was not checked, so the result is "not_validated".
- NotWellFormed: not XML, empty, or with a DOCTYPE. The KoSIT validator rejects these too (its parser
  forbids DOCTYPE declarations), so the result is "reject", as there.
No DTD is loaded and no entity is expanded or fetched: a DOCTYPE is refused before anything uses the tree.
"""

import re
from dataclasses import dataclass

from lxml import etree

UBL_INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
UBL_CREDIT_NOTE = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
CII = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
DOCUMENT_TYPES = {UBL_INVOICE: "UBL Invoice", UBL_CREDIT_NOTE: "UBL CreditNote", CII: "CII"}
_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
_CUSTOMIZATION_ID = etree.XPath(
    "string(/*/cbc:CustomizationID | "
    "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID)",
    namespaces=_NS,
)
# libxml2's own protections (without XML_PARSE_HUGE) report these; they are limits, not syntax errors.
_LIMIT_MESSAGES = ("excessive depth", "huge input lookup", "huge text node", "maximum amplification", "entity loop")


DOCTYPE_REFUSED = (
    "A DOCTYPE declaration is not allowed in an e-invoice (DTDs and entities are refused: XXE protection)."
)
# Encodings whose markup is not ASCII-compatible and that the prolog check below cannot read (UCS-4, EBCDIC).
_UNREADABLE_STARTS = (
    b"\x00\x00\x00\x3c",
    b"\x3c\x00\x00\x00",
    b"\x00\x00\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\x4c\x6f\xa7\x94",
)


class DocumentRefused(Exception):
    """Refused by a safety limit before any check ran."""


class NotWellFormed(Exception):
    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class ParsedDocument:
    root: etree._Element
    text: str  # the tree serialised again (no DOCTYPE): the only form Saxon ever sees
    root_name: str
    customization_id: str | None
    document_type: str | None

    @property
    def xrechnung_version(self) -> str | None:
        """The version in the CustomizationID, e.g. 3.0 from `...#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0`."""
        found = re.search(r"xrechnung_(\d+(?:\.\d+)*)", self.customization_id or "")
        return found.group(1) if found else None


def _parser() -> etree.XMLParser:
    # A new parser per document: lxml parsers must not be shared between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=False,
    )


def _markup(content: bytes) -> str:
    """The document as text good enough to find markup in: UTF-16 decoded, anything else ASCII-compatible."""
    if content.startswith(_UNREADABLE_STARTS):
        raise DocumentRefused("Refused: the document's character encoding is not supported (use UTF-8).")
    if content.startswith((b"\xff\xfe", b"\x3c\x00")):
        return content.decode("utf-16-le", "replace")
    if content.startswith((b"\xfe\xff", b"\x00\x3c")):
        return content.decode("utf-16-be", "replace")
    return content.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _has_doctype(content: bytes) -> bool:
    """Whether the prolog declares a DOCTYPE, decided before libxml2 reads it.

    libxml2 opens an external DTD named in a DOCTYPE even with load_dtd=False, so the declaration must be
    found first. It can only stand before the root element, after comments and processing instructions.
    """
    text = _markup(content)
    position = 1 if text.startswith("\ufeff") else 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        for opening, closing in (("<?", "?>"), ("<!--", "-->")):
            if text.startswith(opening, position):
                end = text.find(closing, position + len(opening))
                if end < 0:
                    return False  # not well-formed; the parser says so
                position = end + len(closing)
                break
        else:
            return text.startswith("<!DOCTYPE", position)


def parse_document(content: bytes, *, max_bytes: int, max_depth: int) -> ParsedDocument:
    if len(content) > max_bytes:
        raise DocumentRefused(f"Refused: the document is larger than the limit of {max_bytes:,} bytes.")
    if not content.strip():
        raise NotWellFormed("The document is empty.")
    if _has_doctype(content):
        raise NotWellFormed(DOCTYPE_REFUSED)
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        message = exc.msg or str(exc)
        if any(limit in message.lower() for limit in _LIMIT_MESSAGES):
            raise DocumentRefused(f"Refused by the XML parser's safety limits: {message}") from exc
        line, column = exc.position if exc.position else (0, 0)
        raise NotWellFormed(f"Not well-formed XML: {message}", line, column) from exc
    if root is None:
        raise NotWellFormed("The document has no root element.")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise NotWellFormed(DOCTYPE_REFUSED)
    if root.xpath("boolean(" + "/*" * (max_depth + 1) + ")"):
        raise DocumentRefused(f"Refused: elements are nested more than {max_depth} levels deep.")
    customization_id = _CUSTOMIZATION_ID(root).strip() or None
    return ParsedDocument(
        root=root,
        text=etree.tostring(root.getroottree(), encoding="unicode"),
        root_name=root.tag if isinstance(root.tag, str) else "",
        customization_id=customization_id,
        document_type=DOCUMENT_TYPES.get(root.tag),
    )

"""Text-based kinds: XML (hardened parse), e-mail (RFC 5322 header block) and plain text; HTML and scripts refused."""

import codecs
import re
from typing import BinaryIO, Literal

from django.utils.translation import gettext as _
from lxml import etree

from .errors import UploadRefused, type_not_allowed

TextKind = Literal["xml", "eml", "txt"]

_CHUNK = 1024 * 1024
_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Start-of-document markers a browser would sniff as HTML (WHATWG MIME sniffing, "text/html" patterns).
_HTML_START = re.compile(
    rb"<(!doctype\s+html|html|head|body|script|iframe|style|title|table|div|font|h1|br|meta|img|a\s|p[\s>]|b[\s>])",
    re.IGNORECASE,
)
# Anywhere in the first bytes of a "text" file: script is never a legitimate part of what we file as TXT.
_SCRIPT_ANYWHERE = re.compile(rb"<\s*script\b", re.IGNORECASE)
_DOCTYPE_MARKERS = tuple("<!DOCTYPE".encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_DTD_SCAN = 64 * 1024  # the DTD sits in the prolog, before the root element
_LIMIT_ERRORS = {"ERR_RESOURCE_LIMIT", "ERR_ENTITY_LOOP", "ERR_ENTITY_AMPLIFICATION"}
_XHTML_NS = "http://www.w3.org/1999/xhtml"
_SVG_NS = "http://www.w3.org/2000/svg"

# RFC 5322 field name: printable ASCII except colon; continuation lines start with whitespace.
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
# Typical mail headers: two of them, one a sender/transport header, make a header block mail rather than notes.
_MAIL_HEADERS = {b"from", b"date", b"subject", b"mime-version", b"received", b"message-id", b"to", b"return-path"}
_MAIL_ANCHORS = {b"from", b"received", b"mime-version", b"return-path"}
# C0 controls except tab, LF, VT, FF, CR; DEL; C1 controls. NUL alone already means binary.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_RATIO = 0.01


def classify_text(head: bytes) -> TextKind:
    """Decide among the text kinds from the first bytes; raise for HTML, SVG and content that is not text."""
    if head.startswith(_UTF16_BOMS):
        # UTF-16 is legitimate for XML only (it declares its encoding); as plain text we insist on 8-bit encodings.
        text = head.decode("utf-16", errors="ignore").lstrip()
        if text.startswith("<") and not _HTML_START.match(text[:64].encode()):
            return "xml"
        raise type_not_allowed(_("text in UTF-16"))
    body = head.removeprefix(_UTF8_BOM).lstrip()
    if body.startswith(b"<"):
        if _HTML_START.match(body):
            raise type_not_allowed(_("HTML"))
        return "xml"
    if _looks_like_mail(head):
        return "eml"
    if _SCRIPT_ANYWHERE.search(head):
        raise type_not_allowed(_("HTML"))
    return "txt"


def check_xml(source: BinaryIO) -> None:
    """Parse with external entities, network and DTD loading off, then refuse any DTD and embedded HTML/SVG."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,  # keeps libxml2's depth and text-size limits
        dtd_validation=False,
    )
    try:
        tree = etree.parse(source, parser)
    except etree.XMLSyntaxError as exc:
        # libxml2 stops entity expansion bombs itself (amplification limit) even before our DTD check can run.
        # parser.error_log, not exc.error_log: the latter also carries earlier errors from this thread.
        source.seek(0)
        if any(marker in source.read(_DTD_SCAN) for marker in _DOCTYPE_MARKERS):
            raise _dtd_refused() from exc
        if any(entry.type_name in _LIMIT_ERRORS for entry in parser.error_log):
            raise UploadRefused(
                _("The XML document is nested too deeply or contains too much text in one place."),
                code="xml_unsafe",
            ) from exc
        raise UploadRefused(_("The XML document is not well-formed."), code="xml_broken") from exc
    docinfo = tree.docinfo
    # Our formats (XRechnung, XÖV, ...) are defined by schemas, never DTDs. A DTD is where XXE and
    # billion-laughs live, and a later consumer may parse with a less careful parser than ours.
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _dtd_refused()
    root = tree.getroot()
    # Browsers apply stylesheets and run XHTML <script> and SVG found inside any XML they display.
    for sibling in root.itersiblings(preceding=True):
        if sibling.tag is etree.PI and sibling.target == "xml-stylesheet":
            raise UploadRefused(
                _("The XML document refers to a stylesheet, which is not accepted."),
                code="xml_unsafe",
            )
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        qname = etree.QName(element)
        localname = qname.localname.lower() if element is root else ""
        if qname.namespace == _SVG_NS or localname == "svg":
            raise type_not_allowed(_("SVG"))
        if qname.namespace == _XHTML_NS or localname == "html":
            raise type_not_allowed(_("HTML"))


def _dtd_refused() -> UploadRefused:
    return UploadRefused(
        _("The XML document contains a document type declaration (DTD), which is not accepted."),
        code="xml_unsafe",
    )


def check_txt(source: BinaryIO) -> str:
    """Return the charset ("utf-8", "windows-1252" or "iso-8859-1") of a text file, or raise if it is binary."""
    for charset in ("utf-8", "windows-1252", "iso-8859-1"):
        source.seek(0)
        try:
            _scan_text(source, charset)
        except UnicodeDecodeError:
            continue
        return charset
    raise AssertionError("iso-8859-1 decodes every byte")  # pragma: no cover


def _scan_text(source: BinaryIO, charset: str) -> None:
    decoder = codecs.getincrementaldecoder(charset)(errors="strict")
    total = controls = 0
    first = True
    while chunk := source.read(_CHUNK):
        if first and charset == "utf-8":
            chunk = chunk.removeprefix(_UTF8_BOM)
        first = False
        if b"\x00" in chunk:
            raise _binary()
        text = decoder.decode(chunk)
        total += len(text)
        controls += len(_CONTROL.findall(text))
    decoder.decode(b"", final=True)
    if total and controls / total > MAX_CONTROL_RATIO:
        raise _binary()


def _binary() -> UploadRefused:
    return type_not_allowed(_("unknown binary data"))


def _looks_like_mail(head: bytes) -> bool:
    lines = head.splitlines()
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]  # mbox "From " separator line, as some clients save it
    if len(lines) > 1 and not head.endswith((b"\n", b"\r")):
        lines = lines[:-1]  # the head may end mid-line
    seen: set[bytes] = set()
    for line in lines[:500]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            if not seen:
                return False
            continue
        if not _HEADER_LINE.match(line):
            return False
        seen.add(line.split(b":", 1)[0].strip().lower())
    known = seen & _MAIL_HEADERS
    return len(known) >= 2 and bool(known & _MAIL_ANCHORS)

"""detect(): what an uploaded invoice file is, and its invoice XML if it has one.

Kinds: "ubl-invoice", "ubl-creditnote", "cii" (XML files), "zugferd-pdf" (PDF with embedded invoice XML),
"pdf-unstructured" (a PDF without invoice data: accepted as a file, flagged), "unknown". A file that cannot be
used carries a `refusal` for the clerk; nothing in here raises on hostile input.
"""

import re
from dataclasses import dataclass
from typing import Literal, NamedTuple, cast

import facturx
from django.utils.translation import gettext as _
from facturx.facturx import FACTURX_LEVEL2xmp
from lxml import etree

from . import pdf as pdf_files
from .model import Attachment
from .reader import NotEN16931, syntax_of
from .safexml import NotXml, Refused, check_size, max_bytes, parse_xml

Kind = Literal["ubl-invoice", "ubl-creditnote", "cii", "zugferd-pdf", "pdf-unstructured", "unknown"]

_XRECHNUNG_VERSION = re.compile(r"xrechnung_([0-9]+(?:\.[0-9]+)*)")
# PDF readers accept the header anywhere in the first KiB, so attackers may put it there too.
_PDF_HEADER_WINDOW = 1024
_XML_START = re.compile(rb"^(\xef\xbb\xbf)?\s*<")
_UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")


@dataclass(frozen=True)
class Detected:
    kind: Kind
    xml: bytes = b""  # the invoice XML (for PDFs: the embedded file), not yet validated
    syntax: str = ""  # "ubl-invoice", "ubl-creditnote" or "cii" of `xml`
    profile: str = ""  # Factur-X/ZUGFeRD profile: "MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED", "XRECHNUNG"
    customization_id: str = ""  # BT-24 specification identifier
    xrechnung_version: str = ""  # "3.0" for …:kosit:xrechnung_3.0
    embedded_filename: str = ""  # name of the invoice XML inside a PDF
    refusal: str = ""  # why the file cannot be used; empty when accepted
    notices: tuple[str, ...] = ()  # accepted, but the clerk should know (e.g. no structured invoice in a PDF)
    attachments: tuple[Attachment, ...] = ()  # further files embedded in a PDF, for the case

    @property
    def accepted(self) -> bool:
        return not self.refusal

    @property
    def structured(self) -> bool:
        return bool(self.xml) and not self.refusal


def detect(content: bytes, filename: str = "") -> Detected:
    """Detect the format of `content` (`filename` only sharpens messages; the bytes decide)."""
    try:
        check_size(len(content))
    except Refused as refused:
        return Detected("unknown", refusal=refused.reason)
    # XML first: an XML note may well mention "%PDF-", a PDF never starts with "<".
    if _XML_START.match(content[:4096]) or content.startswith(_UTF16_STARTS):
        return _detect_xml(content)
    if b"%PDF-" in content[:_PDF_HEADER_WINDOW]:
        return _detect_pdf(content)
    return Detected(
        "unknown",
        refusal=_("%(file)s is neither an XML e-invoice nor a PDF.") % {"file": filename or _("The file")},
    )


def _detect_xml(content: bytes) -> Detected:
    try:
        root = parse_xml(content)
        syntax = syntax_of(root)
    except Refused as refused:
        return Detected("unknown", refusal=refused.reason)
    profile = _profile(root, syntax)
    return Detected(
        cast(Kind, syntax),  # syntax_of returns one of the XML kinds
        xml=content,
        syntax=syntax,
        profile=profile.profile,
        customization_id=profile.customization_id,
        xrechnung_version=profile.xrechnung_version,
    )


def _detect_pdf(content: bytes) -> Detected:
    try:
        with pdf_files.open_pdf(content) as document:
            found = pdf_files.contents(document)
            return _from_pdf(found)
    except Refused as refused:
        return Detected("unknown", refusal=refused.reason)
    except Exception:  # qpdf may still trip over a damaged object while reading; never crash the upload
        return Detected("unknown", refusal=_("The PDF is damaged and cannot be read."))


def _from_pdf(found: pdf_files.PdfContents) -> Detected:
    notices: list[str] = []
    if found.repaired:
        notices.append(_("The PDF was damaged; it was repaired for reading."))
    candidates = _invoice_candidates(found)
    chosen, failures = _first_readable(candidates)
    invoice_files = {id(file) for file in candidates}
    attachments = _attachments([file for file in found.files if id(file) not in invoice_files], notices)
    if chosen is None:
        if failures and not all(isinstance(failure, NotEN16931) for failure in failures):
            return Detected("unknown", refusal=failures[0].reason, notices=tuple(notices))
        notices.extend(failure.reason for failure in failures)
        notices.append(_("The PDF contains no structured invoice data."))
        return Detected("pdf-unstructured", notices=tuple(notices), attachments=attachments)
    embedded, xml, root, syntax = chosen
    profile = _profile(root, syntax)
    notices.extend(_xmp_notices(found, profile.profile, embedded.name))
    return Detected(
        "zugferd-pdf",
        xml=xml,
        syntax=syntax,
        profile=profile.profile,
        customization_id=profile.customization_id,
        xrechnung_version=profile.xrechnung_version,
        embedded_filename=embedded.name,
        notices=tuple(notices),
        attachments=attachments,
    )


_Chosen = tuple[pdf_files.EmbeddedFile, bytes, etree._Element, str]


def _first_readable(candidates: list[pdf_files.EmbeddedFile]) -> tuple[_Chosen | None, list[Refused]]:
    """The first candidate holding readable invoice XML, and why the ones before it were not."""
    failures: list[Refused] = []
    for embedded in candidates:
        try:
            xml = pdf_files.file_bytes(embedded)  # its refusals name the file already
        except Refused as refused:
            failures.append(refused)
            continue
        try:
            root = parse_xml(xml)
            syntax = syntax_of(root)
        except Refused as refused:
            failures.append(_named(refused, embedded.name))
            continue
        return (embedded, xml, root, syntax), failures
    return None, failures


def _invoice_candidates(found: pdf_files.PdfContents) -> list[pdf_files.EmbeddedFile]:
    """Embedded files by the conventional names, the one the XMP names first."""
    order = [name for name in (found.xmp_filename.lower(), *pdf_files.INVOICE_FILENAMES) if name]
    named = [file for file in found.files if file.name.lower() in order]
    return sorted(named, key=lambda file: order.index(file.name.lower()))


def _attachments(files: list[pdf_files.EmbeddedFile], notices: list[str]) -> tuple[Attachment, ...]:
    budget = max_bytes()
    result = []
    for file in files:
        try:
            content = pdf_files.file_bytes(file, budget)
        except Refused as refused:
            notices.append(refused.reason)
            continue
        budget -= len(content)
        result.append(Attachment(filename=file.name, mime=file.mime, content=content, description=file.description))
    return tuple(result)


class Profile(NamedTuple):
    profile: str
    customization_id: str
    xrechnung_version: str


def _profile(root: etree._Element, syntax: str) -> Profile:
    """Profile, specification identifier (BT-24) and XRechnung version of an invoice root."""
    if syntax == "cii":
        ids = root.xpath(
            "/*/*[local-name()='ExchangedDocumentContext']/*[local-name()='GuidelineSpecifiedDocumentContextParameter']"
            "/*[local-name()='ID']/text()"
        )
    else:
        ids = root.xpath("/*/*[local-name()='CustomizationID']/text()")
    customization = ids[0].strip() if ids else ""
    version = _XRECHNUNG_VERSION.search(customization)
    if version:
        profile = "XRECHNUNG"
    else:
        try:
            level = facturx.get_level(root)
        except Exception:  # unknown URN: no Factur-X profile, which is no reason to refuse
            level = ""
        profile = FACTURX_LEVEL2xmp.get(level, level.upper())
    return Profile(profile, customization, version.group(1) if version else "")


def _xmp_notices(found: pdf_files.PdfContents, profile: str, name: str) -> list[str]:
    if not found.xmp_readable or not found.xmp_level:
        return [_("The PDF's XMP metadata does not declare a Factur-X/ZUGFeRD profile.")]
    if found.xmp_level.upper() != profile.upper():
        return [
            _("The PDF's XMP metadata declares the profile %(declared)r, the invoice data is %(actual)s.")
            % {"declared": found.xmp_level, "actual": profile or _("of no known profile")}
        ]
    if found.xmp_filename and found.xmp_filename.lower() != name.lower():
        return [_("The PDF's XMP metadata names %(declared)s as invoice file.") % {"declared": found.xmp_filename}]
    return []


def _named(refused: Refused, name: str) -> Refused:
    """The refusal of an embedded file, naming it; same class, so callers can still tell kinds apart."""
    if isinstance(refused, NotXml):
        return NotXml(_("The embedded file %(name)s is not XML.") % {"name": name})
    return type(refused)(_("Embedded file %(name)s: %(reason)s") % {"name": name, "reason": refused.reason})

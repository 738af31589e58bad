"""Files embedded in a PDF (ZUGFeRD/Factur-X hybrid invoices), read without trusting the PDF.

factur-x's own `get_xml_from_pdf` parses candidate XML with lxml's default parser (internal entities expanded,
no size or depth limit) and silently skips what it cannot read, so it is not used here: the embedded files are
read with pikepdf (qpdf), decompressed with a hard output limit, and handed back as raw bytes for the hardened
parser. Only factur-x's file-name conventions and profile detection are reused (see detect.py).
"""

import contextlib
import io
import zlib
from dataclasses import dataclass, field

import pikepdf
from django.utils.translation import gettext as _
from facturx.facturx import FACTURX_FILENAME, ZUGFERD_FILENAME
from lxml import etree

from .safexml import Refused, max_bytes, parse_xml

# Beyond these a file is not an invoice but an attack or an accident; real invoices stay far below.
MAX_OBJECTS = 200_000
MAX_PAGES = 5_000
MAX_EMBEDDED_FILES = 100
MAX_XMP_BYTES = 1024 * 1024
# Names of the invoice XML inside hybrid PDFs: Factur-X / ZUGFeRD 2.1+, ZUGFeRD 2.0 and 1.0, XRechnung profile.
INVOICE_FILENAMES = (FACTURX_FILENAME, "xrechnung.xml", ZUGFERD_FILENAME.lower())


@dataclass
class EmbeddedFile:
    name: str
    mime: str = ""
    description: str = ""
    stream: pikepdf.Stream | None = None


@dataclass
class PdfContents:
    files: list[EmbeddedFile] = field(default_factory=list)
    xmp_level: str = ""  # fx:ConformanceLevel declared in the XMP metadata ("EN 16931", "XRECHNUNG", …)
    xmp_filename: str = ""  # fx:DocumentFileName declared there
    xmp_readable: bool = True
    repaired: bool = False  # qpdf had to reconstruct a damaged structure


def open_pdf(content: bytes) -> pikepdf.Pdf:
    """The opened PDF after the structural limits; raises Refused for damaged, encrypted or oversized ones."""
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise Refused(_("The PDF is password-protected and cannot be read.")) from None
    except Exception:  # qpdf reports damage as PdfError, odd structures surface as other errors too
        raise Refused(_("The PDF is damaged and cannot be read.")) from None
    try:
        if len(pdf.objects) > MAX_OBJECTS:
            raise Refused(_("The PDF consists of more than %(limit)d objects.") % {"limit": MAX_OBJECTS})
        if len(pdf.pages) > MAX_PAGES:
            raise Refused(_("The PDF has more than %(limit)d pages.") % {"limit": MAX_PAGES})
    except Refused:
        pdf.close()
        raise
    except Exception:
        pdf.close()
        raise Refused(_("The PDF is damaged and cannot be read.")) from None
    return pdf


def contents(pdf: pikepdf.Pdf) -> PdfContents:
    """Embedded files (name tree and PDF/A-3 associated files) and the Factur-X declaration of the XMP."""
    result = PdfContents(repaired=bool(pdf.get_warnings()))
    seen: set[tuple[int, int]] = set()
    for spec in _file_specs(pdf):
        embedded = _embedded_file(spec)
        if embedded is None or embedded.stream is None:
            continue
        key = embedded.stream.objgen
        if key != (0, 0) and key in seen:
            continue
        seen.add(key)
        result.files.append(embedded)
        if len(result.files) >= MAX_EMBEDDED_FILES:
            break
    _read_xmp(pdf, result)
    return result


def file_bytes(embedded: EmbeddedFile, limit: int | None = None) -> bytes:
    """The decoded content, at most `limit` bytes (default: the e-invoice size limit); raises Refused."""
    limit = max_bytes() if limit is None else limit
    if embedded.stream is None:
        return b""
    return _decoded(embedded.stream, limit, embedded.name)


def _file_specs(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    specs: list[pikepdf.Dictionary] = []
    # A broken name tree must not hide the associated files (PDF/A-3 /AF), nor the other way round.
    with contextlib.suppress(Exception):
        specs.extend(spec.obj for spec in pdf.attachments.values())
    with contextlib.suppress(Exception):
        associated = pdf.Root.get("/AF")
        if isinstance(associated, pikepdf.Array):
            specs.extend(item for item in associated if isinstance(item, pikepdf.Dictionary))
    return specs[: MAX_EMBEDDED_FILES * 2]


def _embedded_file(spec: pikepdf.Dictionary) -> EmbeddedFile | None:
    try:
        name = _string(spec.get("/UF")) or _string(spec.get("/F"))
        streams = spec.get("/EF")
        if not isinstance(streams, pikepdf.Dictionary):
            return None
        stream = streams.get("/UF") or streams.get("/F")
        if not isinstance(stream, pikepdf.Stream):
            return None
        subtype = stream.get("/Subtype")
        mime = str(subtype)[1:].replace("#2F", "/") if isinstance(subtype, pikepdf.Name) else ""
        return EmbeddedFile(name=name, mime=mime, description=_string(spec.get("/Desc")), stream=stream)
    except Exception:
        return None


def _string(value: object) -> str:
    return str(value) if isinstance(value, pikepdf.String) else ""


def _decoded(stream: pikepdf.Stream, limit: int, name: str) -> bytes:
    filters = stream.get("/Filter")
    names = [str(item) for item in filters] if isinstance(filters, pikepdf.Array) else [str(filters or "")]
    names = [item for item in names if item]
    params = stream.get("/DecodeParms")
    if isinstance(params, pikepdf.Array):
        params = params[0] if len(params) else None
    predictor = int(params.get("/Predictor", 1)) if isinstance(params, pikepdf.Dictionary) else 1
    raw = stream.read_raw_bytes()
    if not names:
        data = raw
    elif names == ["/FlateDecode"] and predictor == 1:
        data = _inflate(raw, limit, name)
    else:
        # Other encodings are not used for invoice XML; decoding them without an output limit is unsafe.
        raise Refused(_("The embedded file %(name)s uses an unsupported PDF compression.") % {"name": name})
    if len(data) > limit:
        raise _too_large(name, limit)
    return data


def _inflate(raw: bytes, limit: int, name: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw, limit + 1)
    except zlib.error:
        raise Refused(_("The embedded file %(name)s is damaged.") % {"name": name}) from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise _too_large(name, limit)  # a compression bomb stops here, after limit + 1 bytes
    return data


def _too_large(name: str, limit: int) -> Refused:
    return Refused(
        _("The embedded file %(name)s is larger than the %(limit)s MB allowed for e-invoices.")
        % {"name": name, "limit": f"{limit / (1024 * 1024):g}"}
    )


def _read_xmp(pdf: pikepdf.Pdf, result: PdfContents) -> None:
    try:
        metadata = pdf.Root.get("/Metadata")
        if not isinstance(metadata, pikepdf.Stream):
            result.xmp_readable = False
            return
        root = parse_xml(_decoded(metadata, MAX_XMP_BYTES, "XMP"))
    except Exception:  # unreadable metadata is a notice, not a reason to refuse the invoice
        result.xmp_readable = False
        return
    # The Factur-X/ZUGFeRD extension schema namespaces differ per version; the property names do not.
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for key, value in [(node.tag, node.text or ""), *node.attrib.items()]:
            local = etree.QName(key).localname
            if local == "ConformanceLevel" and value.strip():
                result.xmp_level = value.strip()
            elif local == "DocumentFileName" and value.strip():
                result.xmp_filename = value.strip()

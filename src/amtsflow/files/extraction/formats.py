"""Which formats we read, and the parsers of the formats without OCR (office, text, XML, e-mail)."""

import codecs
from collections.abc import Callable
from pathlib import Path

from amtsflow.files.extraction.ocr import extract_image, extract_pdf
from amtsflow.files.extraction.types import MAX_TEXT_CHARS, Extracted, Extractor, Format, MediaKind

MAX_SHEET_ROWS, MAX_SHEET_COLUMNS = 10_000, 200


def _docx_text(path: Path) -> str:
    import docx
    from docx.table import Table

    document = docx.Document(str(path))
    parts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:  # merged cells repeat their text
                    if (text := cell.text.strip()) and (not cells or cells[-1] != text):
                        cells.append(text)
                parts.append("\t".join(cells))
        else:
            parts.append(block.text)
    for section in document.sections:
        parts.extend(paragraph.text for paragraph in [*section.header.paragraphs, *section.footer.paragraphs])
    return "\n".join(parts)


def _odf_text(path: Path) -> str:
    """Paragraphs and headings of an OpenDocument (text or spreadsheet), in document order."""
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    wanted = {(TEXTNS, "p"), (TEXTNS, "h")}
    parts: list[str] = []
    stack = [load(str(path)).body]
    while stack:  # iterative: deeply nested content must not exhaust the recursion limit
        node = stack.pop()
        if getattr(node, "qname", None) in wanted:
            parts.append(teletype.extractText(node))
        elif node.nodeType == node.ELEMENT_NODE:
            stack.extend(reversed(node.childNodes))
    return "\n".join(parts)


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)  # values only, no formulas
    parts: list[str] = []
    total = 0
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True, max_row=MAX_SHEET_ROWS, max_col=MAX_SHEET_COLUMNS):
                line = "\t".join(str(value) for value in row if value is not None and str(value).strip())
                parts.append(line)
                total += len(line)
                if total > MAX_TEXT_CHARS:
                    return "\n".join(parts)
    finally:
        workbook.close()
    return "\n".join(parts)


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:  # incremental: a cut-off multi-byte character at the end is dropped, not an error
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False)
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older Windows files


def _plain_text(path: Path) -> str:
    with path.open("rb") as stream:
        return _decode(stream.read(MAX_TEXT_CHARS * 4))


def _html_to_text(markup: str | bytes) -> str:
    import lxml.html

    if not (markup.strip() if isinstance(markup, str) else markup.strip()):
        return ""
    root = lxml.html.fromstring(markup, parser=lxml.html.HTMLParser(no_network=True, remove_comments=True))
    for element in root.iter("script", "style"):
        element.drop_tree()
    return root.text_content()


def _html_text(path: Path) -> str:
    with path.open("rb") as stream:
        return _html_to_text(stream.read(MAX_TEXT_CHARS * 4))


def _xml_text(path: Path) -> str:
    from lxml import etree

    # Hardened: no external entities, no DTD loading, no network (XXE, billion laughs).
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
    )
    root = etree.parse(str(path), parser).getroot()
    return "\n".join(text.strip() for text in root.itertext() if text.strip())


def _eml_text(path: Path) -> str:
    from amtsflow.files.ingest.email import parse_eml

    mail = parse_eml(path.read_bytes())
    body = mail.body_text or _html_to_text(mail.body_html or "")
    return "\n".join(part for part in (mail.subject, mail.sender, body) if part)


def _simple(reader: Callable[[Path], str]) -> Extractor:
    return lambda path, _workdir: Extracted(reader(path))


_DOCX, _XLSX = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
FORMATS = [
    Format(MediaKind.PDF, extract_pdf, ("application/pdf",), (".pdf",)),
    Format(
        MediaKind.IMAGE,
        extract_image,
        ("image/png", "image/jpeg", "image/tiff"),
        (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
    ),
    Format(MediaKind.WORD, _simple(_docx_text), (_DOCX,), (".docx",)),
    Format(MediaKind.WORD, _simple(_odf_text), ("application/vnd.oasis.opendocument.text",), (".odt",)),
    Format(MediaKind.SPREADSHEET, _simple(_xlsx_text), (_XLSX,), (".xlsx",)),
    Format(MediaKind.SPREADSHEET, _simple(_odf_text), ("application/vnd.oasis.opendocument.spreadsheet",), (".ods",)),
    Format(MediaKind.TEXT, _simple(_plain_text), ("text/plain", "text/csv", "text/markdown"), (".txt", ".csv", ".md")),
    Format(MediaKind.TEXT, _simple(_html_text), ("text/html", "application/xhtml+xml"), (".html", ".htm")),
    Format(MediaKind.XML, _simple(_xml_text), ("application/xml", "text/xml"), (".xml",)),
    Format(MediaKind.EMAIL, _simple(_eml_text), ("message/rfc822",), (".eml",)),
    # Known kinds without an extractor (the text stays empty; the search can still filter by kind).
    Format(MediaKind.WORD, None, ("application/msword", "application/rtf"), (".doc", ".rtf")),
    Format(MediaKind.SPREADSHEET, None, ("application/vnd.ms-excel",), (".xls",)),
]
_BY_TYPE = {media_type: found for found in FORMATS for media_type in found.media_types}
_BY_SUFFIX = {suffix: found for found in FORMATS for suffix in found.suffixes}


def format_for(media_type: str, filename: str) -> Format | None:
    base = (media_type or "").split(";")[0].strip().lower()
    if base in _BY_TYPE:
        return _BY_TYPE[base]
    if base.endswith("+xml"):
        return _BY_TYPE["application/xml"]
    # Generic types (application/octet-stream, application/zip for OOXML) say little; the name may say more.
    return _BY_SUFFIX.get(Path(filename or "").suffix.lower())


def media_kind(media_type: str, filename: str = "") -> str:
    """The coarse kind of a file (for search filters): pdf, image, word, spreadsheet, email, text, xml, other."""
    found = format_for(media_type, filename)
    return found.kind if found else MediaKind.OTHER

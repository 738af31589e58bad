"""Decide what an upload really is from its bytes, against the E-Akte allow-list; the name is only a claim.

Anything not positively recognised as an allowed kind is refused, so the signature list of executables and
archives below only improves the message; it is not the defence.
"""

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pikepdf
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from .archives import inspect_zip
from .email import parse_eml
from .errors import UploadRefused, encrypted, type_not_allowed
from .names import clean_name, safe_filename
from .text import check_txt, check_xml, classify_text

# Enough to sniff text kinds and mail headers; container and parser checks read the whole file themselves.
HEAD_BYTES = 64 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class DetectedType:
    kind: str  # "pdf", "tiff", "png", "jpeg", "docx", "odt", "xlsx", "txt", "xml", "eml"
    media_type: str
    extension: str  # canonical, without the dot
    charset: str | None = None  # only for "txt": "utf-8", "windows-1252" or "iso-8859-1"


@dataclass(frozen=True)
class CheckedUpload:
    detected: DetectedType
    safe_name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class _Kind:
    label: str  # as users know the format; also used in "claims to be %(claimed)s"
    media_type: str
    extensions: tuple[str, ...]  # the first is canonical; the others do not count as contradicting


KINDS: dict[str, _Kind] = {
    "pdf": _Kind("PDF", "application/pdf", ("pdf",)),
    "tiff": _Kind("TIFF", "image/tiff", ("tiff", "tif")),
    "png": _Kind("PNG", "image/png", ("png",)),
    "jpeg": _Kind("JPEG", "image/jpeg", ("jpg", "jpeg", "jpe")),
    "docx": _Kind("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "odt": _Kind("ODT", "application/vnd.oasis.opendocument.text", ("odt",)),
    "xlsx": _Kind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "txt": _Kind("TXT", "text/plain", ("txt", "text", "csv", "log")),
    "xml": _Kind("XML", "application/xml", ("xml",)),
    "eml": _Kind("EML", "message/rfc822", ("eml",)),
}
_KIND_BY_EXTENSION = {ext: kind for kind, spec in KINDS.items() for ext in spec.extensions}

_ALLOWED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
    (b"PK\x03\x04", "zip"),
)
_REFUSED_MAGIC: tuple[tuple[bytes, Promise], ...] = (
    (b"\x7fELF", gettext_lazy("Linux program (ELF)")),
    (b"\xfe\xed\xfa\xce", gettext_lazy("macOS program")),
    (b"\xfe\xed\xfa\xcf", gettext_lazy("macOS program")),
    (b"\xce\xfa\xed\xfe", gettext_lazy("macOS program")),
    (b"\xcf\xfa\xed\xfe", gettext_lazy("macOS program")),
    (b"\xca\xfe\xba\xbe", gettext_lazy("macOS or Java program")),
    (b"#!", gettext_lazy("script")),
    (b"\x00asm", gettext_lazy("WebAssembly program")),
    (b"dex\n", gettext_lazy("Android program")),
    (b"L\x00\x00\x00\x01\x14\x02\x00", gettext_lazy("Windows shortcut")),
    (b"MSCF", gettext_lazy("Windows cabinet archive")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("old Microsoft Office or installer file")),
    (b"{\\rtf", gettext_lazy("RTF document")),
    (b"%!PS", gettext_lazy("PostScript")),
    (b"PK\x05\x06", gettext_lazy("ZIP archive")),
    (b"PK\x07\x08", gettext_lazy("ZIP archive")),
    (b"Rar!\x1a\x07", gettext_lazy("RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("7-Zip archive")),
    (b"\x1f\x8b", gettext_lazy("gzip archive")),
    (b"GIF8", gettext_lazy("GIF image")),
)
_PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF"}


def detect_type(head: bytes, *, path: Path | None = None) -> DetectedType:
    """Identify `head` (the first HEAD_BYTES of the file) as an allowed kind and check its structure.

    With `path` the structural checks read the whole file; without it `head` is taken as the whole content.
    Raises UploadRefused for everything not on the allow-list or not readable.
    """
    if not head:
        raise _empty()
    kind = _sniff(head)
    charset = None
    with _open(head, path) as source:
        if kind == "pdf":
            _check_pdf(source)
        elif kind in _PILLOW_FORMATS:
            _check_image(source, kind)
        elif kind == "zip":
            kind = inspect_zip(source)
        else:
            kind = classify_text(head)
            if kind == "xml":
                check_xml(source)
            elif kind == "eml":
                parse_eml(source.read())
            else:
                charset = check_txt(source)
    spec = KINDS[kind]
    return DetectedType(kind=kind, media_type=spec.media_type, extension=spec.extensions[0], charset=charset)


def check_upload(path: Path, *, original_name: str, max_bytes: int) -> CheckedUpload:
    """Size, content type, structure and a safe display name for an uploaded file at `path`."""
    size = path.stat().st_size
    if size == 0:
        raise _empty()
    if size > max_bytes:  # before reading a byte of it
        raise _too_large(max_bytes)
    head, size, sha256 = _read_head_and_hash(path, max_bytes)
    if size == 0:
        raise _empty()
    claimed = _KIND_BY_EXTENSION.get(_extension(original_name))
    try:
        detected = detect_type(head, path=path)
    except UploadRefused as exc:
        # Name a disguise for what it is: "claims to be PDF but its content is a Windows program".
        if exc.code == "type_not_allowed" and claimed is not None:
            raise _mismatch(KINDS[claimed].label, exc.params["kind"]) from exc
        raise
    safe_name = safe_filename(
        original_name,
        extension=detected.extension,
        accepted_extensions=frozenset(KINDS[detected.kind].extensions),
    )
    return CheckedUpload(detected=detected, safe_name=safe_name, size=size, sha256=sha256)


def _sniff(head: bytes) -> str:
    """ "pdf", an image kind, "zip" or "text" (decided later); raise for known foreign formats."""
    # Real DOS/PE headers contain NUL bytes right away; a text letter may well begin with "MZ".
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        raise type_not_allowed(_("Windows program"))
    for magic, label in _REFUSED_MAGIC:
        if head.startswith(magic):
            raise type_not_allowed(str(label))
    for magic, kind in _ALLOWED_MAGIC:
        if head.startswith(magic):
            return kind
    return "text"


def _check_pdf(source: BinaryIO) -> None:
    # qpdf reconstructs a damaged cross-reference table on open, so mildly broken PDFs (wrong offsets, truncated
    # tail) pass; what it cannot rebuild into at least one page cannot be shown or archived either.
    try:
        with pikepdf.open(source) as pdf:
            page_count = len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise encrypted() from exc
    except Exception as exc:  # qpdf reports damage as PdfError, but odd structures also surface as other errors
        raise _pdf_broken() from exc
    if page_count == 0:
        raise _pdf_broken()


def _check_image(source: BinaryIO, kind: str) -> None:
    expected = _PILLOW_FORMATS[kind]
    try:
        with Image.open(source, formats=[expected]) as image:
            image.verify()
    except Image.DecompressionBombError as exc:
        raise UploadRefused(_("The image has too many pixels to be processed."), code="image_too_large") from exc
    except Exception as exc:  # Pillow signals damage with many exception types (OSError, SyntaxError, struct.error)
        raise UploadRefused(_("The image is damaged and cannot be read."), code="image_broken") from exc


@contextmanager
def _open(head: bytes, path: Path | None) -> Iterator[BinaryIO]:
    if path is None:
        yield io.BytesIO(head)
        return
    with path.open("rb") as source:
        yield source


def _read_head_and_hash(path: Path, max_bytes: int) -> tuple[bytes, int, str]:
    digest = hashlib.sha256()
    head = b""
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            if not head:
                head = chunk[:HEAD_BYTES]
            size += len(chunk)
            if size > max_bytes:  # the file grew after stat(); the limit still holds
                raise _too_large(max_bytes)
            digest.update(chunk)
    return head, size, digest.hexdigest()


def _extension(name: str) -> str:
    stem, dot, ext = clean_name(name).rpartition(".")
    return ext.lower() if dot and stem else ""


def _empty() -> UploadRefused:
    return UploadRefused(_("The file is empty."), code="empty")


def _too_large(max_bytes: int) -> UploadRefused:
    limit = str(filesizeformat(max_bytes))
    return UploadRefused(
        _("The file is larger than the limit of %(limit)s.") % {"limit": limit},
        code="too_large",
        params={"limit": limit},
    )


def _mismatch(claimed: str, actual: str) -> UploadRefused:
    return UploadRefused(
        _("The file claims to be %(claimed)s but its content is %(actual)s.") % {"claimed": claimed, "actual": actual},
        code="type_mismatch",
        params={"claimed": claimed, "actual": actual},
    )


def _pdf_broken() -> UploadRefused:
    return UploadRefused(_("The PDF is damaged and cannot be read."), code="pdf_broken")

"""ZIP-based office formats (DOCX, XLSX, ODT): tell them apart by their members and refuse hostile archives.

Sizes in the central directory are only claims, so every member is inflated as a stream and measured;
the work is bounded by MAX_TOTAL_UNCOMPRESSED no matter what the headers say.
"""

import copy
import re
import zipfile
from typing import BinaryIO

from django.utils.translation import gettext as _

from .errors import UploadRefused, encrypted, type_not_allowed, zip_bomb

MAX_MEMBERS = 10_000
MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
# Office XML compresses well (10-50x); beyond 100x on a big member something is padding the archive.
MAX_RATIO = 100
RATIO_CHECK_FROM = 10 * 1024 * 1024
_CHUNK = 1024 * 1024

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# OOXML (ECMA-376 Part 2) and ODF never use DTDs, so any DOCTYPE in a member is an XXE/billion-laughs attempt
# aimed at whatever parses the document later (converters, indexers). Checked in UTF-8 and UTF-16 spellings.
_DOCTYPE_MARKERS = tuple("<!DOCTYPE".encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_XML_MEMBER = re.compile(r"\.(xml|rels)$", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")


def inspect_zip(source: BinaryIO) -> str:
    """Return "docx", "xlsx" or "odt" for a safe archive of that kind; raise UploadRefused otherwise."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            _check_members(members)
            _measure(archive, members)
            return _classify(archive, {m.filename for m in members})
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise UploadRefused(
            _("The document is damaged and cannot be read."),
            code="zip_broken",
        ) from exc


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise zip_bomb()
    names: set[str] = set()
    declared_total = 0
    for info in members:
        if info.flag_bits & 0x1:  # bit 0: traditional or AES encryption; nothing downstream could read it
            raise encrypted()
        if _unsafe_name(info.filename) or info.filename in names:
            # Duplicates are refused too: two "[Content_Types].xml" let different readers see different documents.
            raise UploadRefused(_("The document contains unsafe file names."), code="zip_unsafe")
        names.add(info.filename)
        declared_total += info.file_size
        if info.file_size >= RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise zip_bomb()
    # Fail fast on honest headers before inflating anything.
    if declared_total > MAX_TOTAL_UNCOMPRESSED:
        raise zip_bomb()


def _unsafe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    if any(ord(ch) < 32 for ch in name):
        return True
    return any(part == ".." for part in re.split(r"[/\\]", name))


def _measure(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Inflate every member, counting real bytes; refuse more output than declared or than the total budget."""
    budget = MAX_TOTAL_UNCOMPRESSED
    for info in members:
        if info.is_dir():
            continue
        # zipfile stops at the declared size; a copy claiming the whole remaining budget lets us see a lie.
        probe = copy.copy(info)
        probe.file_size = budget + 1
        scan_xml = bool(_XML_MEMBER.search(info.filename))
        produced = 0
        tail = b""
        with archive.open(probe) as stream:
            while chunk := stream.read(_CHUNK):
                produced += len(chunk)
                if produced > info.file_size or produced > budget:
                    raise zip_bomb()
                if scan_xml:
                    window = tail + chunk
                    if any(marker in window for marker in _DOCTYPE_MARKERS):
                        raise UploadRefused(
                            _("The document contains a document type declaration (DTD), which is not accepted."),
                            code="xml_unsafe",
                        )
                    tail = window[-32:]  # overlap so a marker split across chunks is still seen
        if produced != info.file_size:
            raise UploadRefused(_("The document is damaged and cannot be read."), code="zip_broken")
        budget -= produced


def _classify(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        mimetype = _read_small(archive, "mimetype").strip()
        if mimetype == ODT_MIMETYPE and "content.xml" in names:
            return "odt"
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            raise type_not_allowed(_("OpenDocument file (%(type)s)") % {"type": mimetype.decode("ascii", "replace")})
    if "[Content_Types].xml" in names:
        content_types = _read_small(archive, "[Content_Types].xml")
        lowered = {name.lower() for name in names}
        # Macro-enabled files (.docm/.xlsm) carry a VBA project; a renamed .docm must not pass as .docx.
        if b"macroEnabled" in content_types or any(name.endswith("vbaproject.bin") for name in lowered):
            raise type_not_allowed(_("Office document with macros"))
        is_docx = "word/document.xml" in names
        is_xlsx = "xl/workbook.xml" in names
        if is_docx and not is_xlsx:
            return "docx"
        if is_xlsx and not is_docx:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            raise type_not_allowed(_("PowerPoint presentation"))
        raise type_not_allowed(_("unknown Office document"))
    raise type_not_allowed(_("ZIP archive"))


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    # Both members are tiny in real documents; reading a bounded prefix keeps memory flat whatever they claim.
    with archive.open(name) as stream:
        return stream.read(_CHUNK)

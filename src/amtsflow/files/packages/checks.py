"""Checks of an incoming package before anything is written: ZIP members, sizes, paths, manifest, checksums.

Sizes in a ZIP's directory are only claims: members are inflated as streams and counted, so the work stays
bounded whatever the headers say.
"""

import hashlib
import re
import zipfile
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from amtsflow.core.exceptions import ValidationFailed
from amtsflow.files.packages.common import CONTENT_NAME, MANIFEST, MESSAGE, x
from amtsflow.files.storage import CHUNK

MAX_MEMBERS = 50_000
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
# Documents are mostly compressed already (PDF, JPEG); far beyond 200x something is padding the archive.
MAX_RATIO = 200
RATIO_CHECK_FROM = 1024 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")
# A manifest never needs a DTD: any DOCTYPE or ENTITY is an XXE or entity-expansion attempt (UTF-8 and UTF-16).
_DTD_MARKERS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))


def refused(reason: str) -> ValidationFailed:
    return ValidationFailed(_("The package was refused: %(reason)s") % {"reason": reason})


def _unsafe(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or _DRIVE.match(name) or "\\" in name:
        return True
    return any(ord(ch) < 32 for ch in name) or any(part == ".." for part in name.split("/"))


def _content_limit() -> int:
    return settings.AMTSFLOW_MAX_UPLOAD_BYTES


def check_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The members by name; only `manifest.xml` and `content/<sha256>` are allowed, each within its limits."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise refused(_("it has more than %(count)s members.") % {"count": MAX_MEMBERS})
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe(name):
            raise refused(_("it contains the unsafe path %(name)r.") % {"name": name})
        if info.is_dir():
            continue
        if name in members:
            # Two members of one name let different readers see different content.
            raise refused(_("the member %(name)s occurs twice.") % {"name": name})
        if info.flag_bits & 0x1:
            raise refused(_("the member %(name)s is encrypted.") % {"name": name})
        if name != MANIFEST and not CONTENT_NAME.fullmatch(name):
            raise refused(_("it contains the unexpected member %(name)s.") % {"name": name})
        limit = MAX_MANIFEST_BYTES if name == MANIFEST else _content_limit()
        if info.file_size > limit:
            raise refused(_("the member %(name)s is larger than allowed.") % {"name": name})
        if info.file_size >= RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refused(_("the member %(name)s is compressed suspiciously well (ZIP bomb?).") % {"name": name})
        total += info.file_size
        members[name] = info
    if total > MAX_TOTAL_BYTES:
        raise refused(_("its content is larger than allowed."))
    if MANIFEST not in members:
        raise refused(_("it has no manifest.xml."))
    return members


def copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: IO[bytes]) -> str:
    """Inflate one member into `target`, never more bytes than it declared; return its SHA-256."""
    digest = hashlib.sha256()
    count = 0
    with archive.open(info) as source:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            count += len(chunk)
            if count > info.file_size:
                raise refused(_("the member %(name)s is larger than it claims (ZIP bomb?).") % {"name": info.filename})
            digest.update(chunk)
            target.write(chunk)
    return digest.hexdigest()


def extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, directory: Path, expected_sha256: str) -> Path:
    """Inflate a content member into `directory` and check it against the manifest's checksum."""
    path = directory / info.filename.rsplit("/", 1)[-1]
    with path.open("wb") as target:
        actual = copy_member(archive, info, target)
    if actual != expected_sha256 or info.filename != f"content/{expected_sha256}":
        raise refused(
            _("the content %(name)s does not match its SHA-256 checksum in the manifest.") % {"name": info.filename}
        )
    return path


def parse_manifest(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> etree._Element:
    """The manifest's root, parsed without DTDs, entities or network access."""
    with archive.open(info) as source:
        raw = source.read(MAX_MANIFEST_BYTES + 1)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise refused(_("manifest.xml is larger than allowed."))
    if any(marker in raw for marker in _DTD_MARKERS):
        raise refused(_("manifest.xml declares a DTD or entities, which are not allowed."))
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise refused(_("manifest.xml is not well-formed XML (%(error)s).") % {"error": exc}) from None
    # Belt and braces: an encoding the marker scan does not know must not slip a DTD through.
    if root.getroottree().docinfo.doctype or any(isinstance(node, etree._Entity) for node in root.iter()):
        raise refused(_("manifest.xml declares a DTD or entities, which are not allowed."))
    if root.tag != x(MESSAGE):
        raise refused(_("manifest.xml is not an XDOMEA message %(message)s.") % {"message": MESSAGE})
    return root

"""Names shared by export and import of records packages."""

import re

from amtsflow.files.constants import DisposalAction

XDOMEA_NS = "urn:xoev-de:xdomea:schema:3.0.0"
AF_NS = "urn:amtsflow:xdomea-erweiterung"
NS = {"x": XDOMEA_NS, "af": AF_NS}  # prefixes for find() paths
MESSAGE = "Abgabe.Abgabe.0401"
MANIFEST = "manifest.xml"
CONTENT_NAME = re.compile(r"content/[0-9a-f]{64}")
# XDOMEA Archivbewertung: A = archivwürdig (hand over), V = vernichten (destroy).
BEWERTUNG = {DisposalAction.ARCHIVE: "A", DisposalAction.DESTROY: "V"}


def x(tag: str) -> str:
    return f"{{{XDOMEA_NS}}}{tag}"


def af(tag: str) -> str:
    return f"{{{AF_NS}}}{tag}"

"""Records packages: one ZIP with `manifest.xml` plus the original content of every version (`content/<sha256>`).

The manifest follows the structure and element names of XDOMEA (message `Abgabe.Abgabe.0401`, namespace
`urn:xoev-de:xdomea:schema:3.0.0`) so that archives and other records systems can map it. It is NOT validated
against the official XSD, which is not shipped here. What XDOMEA has no element for (states, due dates, media
types, checksums, exact timestamps) lives in our own namespace `urn:amtsflow:xdomea-erweiterung` (prefix `af`).
`Vertraulichkeitsstufe` carries our own codes ("normal"/"confidential"); `Archivbewertung` uses A/V.

Imports are untrusted input: the ZIP (members, sizes, paths), the manifest (parsed without DTDs, entities or
network access) and every content (SHA-256 against the manifest, the upload checks of `files.ingest`) are checked
before anything is written.
"""

from amtsflow.files.packages.export import build_package, export_akte_package, export_disposal_package
from amtsflow.files.packages.importing import import_package

__all__ = ["build_package", "export_akte_package", "export_disposal_package", "import_package"]

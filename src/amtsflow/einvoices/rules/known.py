"""Official rule artefacts this installation knows by their SHA-256 (the only ones installed without a warning).

Only a KoSIT *validator configuration* is installed as a release: it carries `scenarios.xml`, the UBL and CII
XML Schemas and the EN 16931 and XRechnung Schematron rules already compiled to XSLT, i.e. everything the
validation runs. The separate Schematron releases (KoSIT xrechnung-schematron, CEN EN 16931) are the sources
those compiled rules were built from; they are recognised, so an operator gets a precise answer, but not
installed. Add a new release here with the SHA-256 its publisher states.
"""

from dataclasses import dataclass
from enum import StrEnum


class ArtefactKind(StrEnum):
    VALIDATOR_CONFIGURATION = "validator-configuration"
    XRECHNUNG_SCHEMATRON = "xrechnung-schematron"
    EN16931_SCHEMATRON = "en16931-schematron"


@dataclass(frozen=True)
class KnownArtefact:
    filename: str
    sha256: str
    kind: ArtefactKind
    publisher: str
    # XRechnung version the rules implement, and the publisher's release date (validator configurations only).
    xrechnung_version: str = ""
    release_date: str = ""

    @property
    def release_id(self) -> str:
        return self.filename.removesuffix(".zip")


KNOWN_ARTEFACTS: tuple[KnownArtefact, ...] = (
    KnownArtefact(
        filename="xrechnung-3.0.2-validator-configuration-2026-01-31.zip",
        sha256="6a5a5911a421b25fbc423f62f93f894df7b236f5d73ca4f84bb222a945082704",
        kind=ArtefactKind.VALIDATOR_CONFIGURATION,
        publisher="KoSIT, validator-configuration-xrechnung release-2026-01-31",
        xrechnung_version="3.0.2",
        release_date="2026-01-31",
    ),
    KnownArtefact(
        filename="xrechnung-3.0.2-schematron-2.5.0.zip",
        sha256="a0f3d82737759bee8591c298ff24983a8f1c667f85e45a34863c75a242bc6f43",
        kind=ArtefactKind.XRECHNUNG_SCHEMATRON,
        publisher="KoSIT, xrechnung-schematron 2.5.0",
        xrechnung_version="3.0.2",
    ),
    KnownArtefact(
        filename="en16931-ubl-1.3.15.zip",
        sha256="974901a9edac022f77f500c337e0804b458d25435dd56a353cfbfb12323f5d3b",
        kind=ArtefactKind.EN16931_SCHEMATRON,
        publisher="CEN/TC 434, eInvoicing-EN16931 validation-1.3.15 (UBL)",
    ),
    KnownArtefact(
        filename="en16931-cii-1.3.15.zip",
        sha256="dd7335b711f2f492a2e1d23d81f76fae7979857fd538502465b89681263280f4",
        kind=ArtefactKind.EN16931_SCHEMATRON,
        publisher="CEN/TC 434, eInvoicing-EN16931 validation-1.3.15 (CII)",
    ),
)


def known_by_sha256(sha256: str) -> KnownArtefact | None:
    return next((artefact for artefact in KNOWN_ARTEFACTS if artefact.sha256 == sha256.lower()), None)

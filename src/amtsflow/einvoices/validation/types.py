"""What a validation returns."""

from dataclasses import dataclass, field
from typing import Literal

Recommendation = Literal["accept", "reject", "not_validated"]
ACCEPT: Recommendation = "accept"
REJECT: Recommendation = "reject"
NOT_VALIDATED: Recommendation = "not_validated"


@dataclass(frozen=True)
class Finding:
    """One message of the validation report: a Schematron rule that fired, a schema or well-formedness error."""

    rule: str  # Schematron assertion id (BR-DE-15, BR-CO-10, ...), or XML-SCHEMA / XML-WELLFORMEDNESS
    severity: str  # error | warning | information, after the scenario's custom levels
    message: str
    location: str  # XPath of the node (Schematron) or "line L, column C" (parser, schema)
    step: str = ""  # report step: val-xml, val-xsd, val-sch.1, val-sch.2 ...
    level: str = ""  # the level before the scenario's custom levels
    test: str = ""  # the Schematron assertion's XPath test, when known

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "location": self.location}


@dataclass(frozen=True)
class ValidationReport:
    recommendation: Recommendation
    filename: str = ""
    scenario: str | None = None
    release: str | None = None  # id of the rule release used
    rules_version: str | None = None  # XRechnung version the release implements (3.0.2)
    xrechnung_version: str | None = None  # from the document's CustomizationID (3.0)
    customization_id: str | None = None
    document_type: str | None = None  # UBL Invoice, UBL CreditNote, CII
    xsd_valid: bool | None = None  # None: the schema check did not run
    findings: tuple[Finding, ...] = ()
    svrl: tuple[bytes, ...] = field(default=(), repr=False)  # one SVRL document per Schematron run
    varl: bytes = field(default=b"", repr=False)  # the KoSIT validation report (VARL, with its HTML explanation)
    error: str = ""  # why no verdict (not_validated) or why the rules did not run (reject before the rules)
    seconds: float = 0.0

    @property
    def accepted(self) -> bool:
        return self.recommendation == ACCEPT

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `manage.py validate_invoice --json` (without `file`, which the caller knows)."""
        return {
            "recommendation": self.recommendation,
            "scenario": self.scenario,
            "xrechnung_version": self.xrechnung_version,
            "release": self.release,
            "document_type": self.document_type,
            "error": self.error,
            "findings": [f.as_dict() for f in self.findings],
        }

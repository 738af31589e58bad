"""Validation of XRechnung / EN 16931 e-invoices (XML bytes) as the KoSIT validator does it.

    report = validate_xml(xml_bytes, filename="rechnung.xml")
    report.recommendation  # "accept" | "reject" | "not_validated"

`warm_up()` compiles the rules ahead of the first invoice (cold start); `reset_caches()` undoes it.
"""

from amtsflow.einvoices.validation.types import (
    ACCEPT,
    NOT_VALIDATED,
    REJECT,
    Finding,
    Recommendation,
    ValidationReport,
)
from amtsflow.einvoices.validation.validator import reset_caches, schematron_report, validate_xml, warm_up

__all__ = [
    "ACCEPT",
    "NOT_VALIDATED",
    "REJECT",
    "Finding",
    "Recommendation",
    "ValidationReport",
    "reset_caches",
    "schematron_report",
    "validate_xml",
    "warm_up",
]

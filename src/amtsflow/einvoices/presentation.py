"""What the invoice pages and the HTML report show of a validation: findings with a plain explanation."""

from dataclasses import dataclass

from django.utils import timezone

from amtsflow.einvoices.models import Invoice
from amtsflow.einvoices.validation.explanations import explain, text_for_language

SEVERITY_ORDER = {"error": 0, "warning": 1, "information": 2}


@dataclass(frozen=True)
class DisplayFinding:
    rule: str
    severity: str
    message: str
    location: str
    explanation: str
    business_terms: tuple[str, ...]


def findings_for_display(invoice: Invoice) -> list[DisplayFinding]:
    shown = []
    for finding in invoice.findings:
        rule, message = str(finding.get("rule", "")), str(finding.get("message", ""))
        explanation = explain(rule, message, severity=str(finding.get("severity", "")))
        shown.append(
            DisplayFinding(
                rule=rule,
                severity=str(finding.get("severity", "")),
                message=message,
                location=str(finding.get("location", "")),
                explanation=text_for_language(explanation),
                business_terms=explanation.business_terms,
            )
        )
    return sorted(shown, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.rule))


def report_context(invoice: Invoice) -> dict[str, object]:
    return {"invoice": invoice, "findings": findings_for_display(invoice), "generated_at": timezone.now()}

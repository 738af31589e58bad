"""KoSIT's XRechnung test suite: every one of its valid invoices must be accepted, with the scenario it is for."""

from pathlib import Path

import pytest

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.rules import RuleRelease
from amtsflow.einvoices.validation import validate_xml

from .conftest import XRECHNUNG

SUITE = XRECHNUNG / "testsuite" / "src" / "test"


def invoice_params() -> list:
    files = sorted(SUITE.rglob("*.xml")) if SUITE.exists() else []
    return [pytest.param(path, id=str(path.relative_to(SUITE))) for path in files] or [pytest.param(None, id="suite")]


@pytest.mark.parametrize("path", invoice_params())
def test_testsuite_invoice_is_accepted(path: Path | None, rules: tuple[RuleRelease, ...]) -> None:
    require_shared("xrechnung", "testsuite", "src", "test")
    assert path is not None, "no invoices in the test suite"
    report = validate_xml(path.read_bytes(), filename=path.name)
    errors = [f"{f.rule}: {f.message}" for f in report.findings if f.severity == "error"]
    assert report.recommendation == "accept", report.error or errors
    assert report.xsd_valid is True
    assert report.release == rules[0].id
    assert report.xrechnung_version == "3.0"
    kind = "extension" if "extension" in path.parts else "cvd" if "cvd" in path.parts else None
    if kind == "extension":
        assert "Extension" in report.scenario
    elif kind == "cvd":
        assert "CVD" in report.scenario
    else:
        assert report.scenario.startswith("EN16931 XRechnung (")
    assert report.scenario.endswith(f"({report.document_type})")


def test_testsuite_has_86_invoices_of_both_syntaxes() -> None:
    suite = require_shared("xrechnung", "testsuite", "src", "test")
    names = [p.name for p in suite.rglob("*.xml")]
    assert len(names) == 86
    assert sum("_ubl" in n for n in names) == 45
    assert sum("_uncefact" in n for n in names) == 41

"""The XRechnung Schematron unit instances: every XML-Mutate variant fires (or does not fire) its rules.

As in the xrechnung-schematron project, each variant is checked with the compiled XRechnung Schematron alone
(prefix xrubl / xrcii), here the one shipped in the installed validator configuration.
"""

from pathlib import Path

import pytest

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.rules import RuleRelease
from amtsflow.einvoices.validation import schematron_report

from .conftest import XRECHNUNG
from .xmute import Variant, defined_rules, fired_rules, mutate, read_variants

CORPUS = XRECHNUNG / "xrechnung-schematron-tests" / "test" / "instances"
# Schematron names used in xmute instructions -> file name of the compiled stylesheet in the configuration.
STYLESHEETS = {
    "xrubl": "XRechnung-UBL-validation.xsl",
    "xrcii": "XRechnung-CII-validation.xsl",
    "cenubl": "EN16931-UBL-validation.xsl",
    "cencii": "EN16931-CII-validation.xsl",
}


def variant_params(corpus: Path) -> list:
    files = sorted(corpus.rglob("*.xml")) if corpus.exists() else []
    params = [
        pytest.param(variant, id=f"{path.relative_to(corpus)}::{variant.name}")
        for path in files
        for variant in read_variants(path)
    ]
    return params or [pytest.param(None, id="corpus-missing")]


def stylesheet(release: RuleRelease, schematron: str) -> Path:
    name = STYLESHEETS[schematron]
    return next(r.path for s in release.scenarios for r in s.schematrons if r.path.name == name)


_defined: dict[Path, set[str]] = {}


def unmet_expectations(variant: Variant, release: RuleRelease) -> list[str]:
    """What the variant promised and the rules did not do (empty: as expected)."""
    document = mutate(variant)
    problems = []
    for schematron in sorted({e.schematron for e in variant.expectations}):
        path = stylesheet(release, schematron)
        defined = _defined.setdefault(path, defined_rules(path))
        fired = fired_rules(schematron_report(document, path))
        for expectation in (e for e in variant.expectations if e.schematron == schematron):
            if expectation.rule not in defined:
                problems.append(f"{expectation.rule} is not a rule of {path.name}")
            elif (expectation.rule in fired) != expectation.fires:
                verb = "did not fire" if expectation.fires else "fired"
                problems.append(f"{schematron}:{expectation.rule} {verb}")
    return problems


@pytest.mark.parametrize("variant", variant_params(CORPUS))
def test_schematron_unit_variant(variant: Variant | None, release: RuleRelease) -> None:
    require_shared("xrechnung", "xrechnung-schematron-tests", "test", "instances")
    assert variant is not None, "no instances in the xrechnung-schematron-tests corpus"
    assert variant.expectations, "the instruction states no expectation"
    assert unmet_expectations(variant, release) == []

"""The tests of KoSIT's validator-configuration-xrechnung, run the way its build runs them.

- instances/ against assertions.xml: XPath assertions over the VARL report, with the configuration's test
  variant of scenarios.xml (create-test-scenario.xsl) and `@xrechnung.spec.id@` replaced as its build does;
- the integration documents against assertions-integration-testing.xml, with the released scenarios.xml;
- cen-unit-test/ and unexpected/: XML-Mutate variants against the compiled Schematron they name.
"""

from pathlib import Path

import pytest
from lxml import etree

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices import saxon
from amtsflow.einvoices.rules import RuleRelease, load_release
from amtsflow.einvoices.rules.scenarios import SCENARIOS_NS
from amtsflow.einvoices.validation import ValidationReport, validate_xml

from .conftest import XRECHNUNG
from .test_conformance_schematron import unmet_expectations, variant_params
from .xmute import Variant

TESTS = XRECHNUNG / "kosit-config-tests" / "src" / "test"
ASSERTIONS_NS = "http://www.xoev.de/de/validator/framework/1/assertions"
# The value the configuration's build filters into `@xrechnung.spec.id@` for XRechnung 3.0.
XRECHNUNG_SPEC_ID = b"urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
# Documents of assertions-integration-testing.xml (the build copies these from cen-unit-test/, plus integration/).
INTEGRATION_FROM_CEN = (
    "cii-br-s-08-rounding-rule.xml",
    "cii-bt-20-cardinality-check.xml",
    "cii-bt-20-cardinality-check-2.xml",
    "cii-cii-sr-454-negative-test.xml",
)


def read_assertions(path: Path) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """(namespaces, [(report-doc, test, description)]) of a KoSIT assertions file."""
    root = etree.parse(str(path)).getroot()
    namespaces = {ns.get("prefix"): ns.text.strip() for ns in root.iterfind(f"{{{ASSERTIONS_NS}}}namespace")}
    assertions = [
        (a.get("report-doc"), a.get("test"), " ".join(a.text.split()))
        for a in root.iterfind(f"{{{ASSERTIONS_NS}}}assertion")
    ]
    return namespaces, assertions


def assertion_params(name: str) -> list:
    path = TESTS / name
    if not path.exists():
        return [pytest.param(None, id="assertions-missing")]
    _, assertions = read_assertions(path)
    return [
        pytest.param(a, id=f"{a[0].removesuffix('-report.xml')}#{i}:{a[2][:60]}") for i, a in enumerate(assertions, 1)
    ]


def with_test_scenarios(release: RuleRelease) -> RuleRelease:
    """The release with the build's create-test-scenario.xsl applied to scenarios.xml: in UBL Invoice scenarios
    the custom levels are replaced by one, BR-09 as a warning."""
    root = etree.parse(str(release.installed.path / "scenarios.xml")).getroot()
    path = "/s:scenarios/s:scenario[s:namespace/@prefix='invoice']/s:createReport"
    for create_report in root.xpath(path, namespaces={"s": SCENARIOS_NS}):
        for custom in create_report.findall(f"{{{SCENARIOS_NS}}}customLevel"):
            create_report.remove(custom)
        etree.SubElement(create_report, f"{{{SCENARIOS_NS}}}customLevel", level="warning").text = "BR-09"
    return load_release(release.installed, scenarios_xml=etree.tostring(root))


_reports: dict[tuple[Path, bool], ValidationReport] = {}


def validated(path: Path, release: RuleRelease, *, test_variant: bool) -> ValidationReport:
    """The document's report (validated once per session), after the build's placeholder replacement."""
    key = (path, test_variant)
    if key not in _reports:
        content = path.read_bytes().replace(b"@xrechnung.spec.id@", XRECHNUNG_SPEC_ID)
        chosen = with_test_scenarios(release) if test_variant else release
        _reports[key] = validate_xml(content, filename=path.name, releases=[chosen])
    return _reports[key]


def _report_for(report_doc: str, directories: list[Path]) -> Path:
    stem = report_doc.removesuffix("-report.xml")
    return next(d / f"{stem}.xml" for d in directories if (d / f"{stem}.xml").exists())


def check_assertion(report: ValidationReport, test: str, namespaces: dict[str, str]) -> bool:
    assert report.varl, f"no report: {report.error}"
    with saxon.lock():
        return saxon.is_true(saxon.parse(report.varl.decode("utf-8")), test, namespaces)


@pytest.mark.parametrize("assertion", assertion_params("assertions.xml"))
def test_instance_assertion(assertion: tuple[str, str, str] | None, release: RuleRelease) -> None:
    require_shared("xrechnung", "kosit-config-tests", "src", "test", "assertions.xml")
    report_doc, test, description = assertion
    namespaces, _ = read_assertions(TESTS / "assertions.xml")
    path = _report_for(report_doc, [TESTS / "instances"])
    report = validated(path, release, test_variant=True)
    assert check_assertion(report, test, namespaces), f"{path.name}: {description} ({test})"


@pytest.mark.parametrize("assertion", assertion_params("assertions-integration-testing.xml"))
def test_integration_assertion(assertion: tuple[str, str, str] | None, release: RuleRelease) -> None:
    require_shared("xrechnung", "kosit-config-tests", "src", "test", "assertions-integration-testing.xml")
    report_doc, test, description = assertion
    namespaces, _ = read_assertions(TESTS / "assertions-integration-testing.xml")
    path = _report_for(report_doc, [TESTS / "integration", TESTS / "cen-unit-test"])
    assert path.parent.name == "integration" or path.name in INTEGRATION_FROM_CEN
    report = validated(path, release, test_variant=False)
    assert check_assertion(report, test, namespaces), f"{path.name}: {description} ({test})"


def test_instances_outcomes(release: RuleRelease) -> None:
    """Accept or reject for every instance with assertions, as those assertions state it."""
    require_shared("xrechnung", "kosit-config-tests", "src", "test", "assertions.xml")
    _, assertions = read_assertions(TESTS / "assertions.xml")
    expected = {}
    for report_doc, test, _ in assertions:
        if test in ("rep:report/rep:assessment/rep:accept", "not(rep:report/rep:assessment/rep:accept)"):
            expected[report_doc.removesuffix("-report.xml")] = "reject" if test.startswith("not(") else "accept"
    actual = {
        stem: validated(TESTS / "instances" / f"{stem}.xml", release, test_variant=True).recommendation
        for stem in expected
    }
    assert actual == expected
    assert sorted(set(expected.values())) == ["accept", "reject"]


@pytest.mark.parametrize("variant", variant_params(TESTS / "cen-unit-test"))
def test_cen_unit_variant(variant: Variant | None, release: RuleRelease) -> None:
    require_shared("xrechnung", "kosit-config-tests", "src", "test", "cen-unit-test")
    assert variant is not None
    assert unmet_expectations(variant, release) == []


# KoSIT keeps unexpected/ apart (build target test-cen-unexpected-behaviour, not part of `test`): its variants
# state what the CEN rules *should* do where they are known not to. These are the variants that still fail
# with the installed CEN 1.3.15 rules; the test notices when a rule release changes that, in either direction.
KNOWN_CEN_GAPS = {
    "cii-br-03-wrong-date-format.xml::inv-cii-date[2016-04-04]",
    "cii-br-co-15-negative-test.xml::cii-BR-CO-15-with-BT-6-3[314.86]",
    "cii-br-co-23-reason-codes.xml::cii-reason-code-empty",
    "cii-br-co-23-reason-codes.xml::cii-reason-empty",
    "cii-br-co-25.xml::cii-br-co-25-bt-9-empty",
    "cii-sr-030-wrong-cardinality-bt-22.xml::cii-sr-030-bt-22-removed",
    *(
        f"ubl-br-cl-14-15-and-br-co-09-country-codes-kosovo.xml::cen-inv-country-code-kosovo-{bt}"
        for bt in ("bt-40[XK]", "bt-31[XK 123456789]", "bt-55[XK]", "bt-48[XK 123456789]", "bt-69[XK]")
    ),
    *(
        f"ubl-br-cl-14-15-and-br-co-09-country-codes-kosovo.xml::cen-inv-country-code-kosovo-{bt}"
        for bt in ("bt-63[XK 123456789]", "bt-80[XK]", "bt-159[XK]")
    ),
}


def test_unexpected_behaviour_of_the_cen_rules_is_as_known(release: RuleRelease) -> None:
    unexpected = require_shared("xrechnung", "kosit-config-tests", "src", "test", "unexpected")
    variants = [p.values[0] for p in variant_params(unexpected)]
    failing = {f"{v.source.name}::{v.name}" for v in variants if unmet_expectations(v, release)}
    assert len(variants) == 30
    assert failing == KNOWN_CEN_GAPS

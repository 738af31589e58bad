"""validate_xml: scenario and release choice, schema step, custom levels, the report, and rule crashes."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from amtsflow.einvoices import saxon
from amtsflow.einvoices.rules import RuleRelease, load_release, select_scenario
from amtsflow.einvoices.rules.scenarios import SCENARIOS_NS
from amtsflow.einvoices.validation import reset_caches, validate_xml, warm_up
from amtsflow.einvoices.validation.report import IN_NS, REP_NS, SchematronRun, _input_node, report_input

from .conftest import XRECHNUNG

SUITE = XRECHNUNG / "testsuite" / "src" / "test"
UBL_INVOICE = SUITE / "business-cases" / "standard" / "01.01a-INVOICE_ubl.xml"
CII_INVOICE = SUITE / "business-cases" / "standard" / "01.01a-INVOICE_uncefact.xml"
INTEGRATION = XRECHNUNG / "kosit-config-tests" / "src" / "test" / "integration"
CEN_UNIT = XRECHNUNG / "kosit-config-tests" / "src" / "test" / "cen-unit-test"


def copy_release(release: RuleRelease, target: Path, **changes: object) -> RuleRelease:
    """A copy of the installed release in `target` (to break a stylesheet without touching the real one)."""
    shutil.copytree(release.installed.path, target)
    return load_release(replace(release.installed, path=target, **changes))


def test_accepted_invoice_report(rules: tuple[RuleRelease, ...]) -> None:
    report = validate_xml(UBL_INVOICE.read_bytes(), filename="a.xml")
    assert report.recommendation == "accept"
    assert report.accepted
    assert report.document_type == "UBL Invoice"
    assert report.customization_id == "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    assert report.rules_version == "3.0.2"
    assert len(report.svrl) == 2  # EN 16931 and XRechnung Schematron
    varl = etree.fromstring(report.varl)
    assert varl.find(f"{{{REP_NS}}}assessment/{{{REP_NS}}}accept") is not None
    assert varl.findtext(f"{{{REP_NS}}}documentIdentification/{{{REP_NS}}}documentReference") == "a.xml"
    finding = next(f for f in report.findings if f.rule == "BR-DE-TMP-32")
    assert finding.step == "val-sch.2"
    assert finding.test  # the assertion's XPath, taken from the SVRL
    assert report.as_dict()["findings"][0].keys() == {"rule", "severity", "message", "location"}


def test_cii_invoice_is_accepted_with_the_cii_scenario(rules: tuple[RuleRelease, ...]) -> None:
    report = validate_xml(CII_INVOICE.read_bytes())
    assert (report.recommendation, report.scenario, report.document_type) == (
        "accept",
        "EN16931 XRechnung (CII)",
        "CII",
    )


def test_schema_error_rejects_without_running_schematron(rules: tuple[RuleRelease, ...]) -> None:
    text = UBL_INVOICE.read_text("utf-8").replace("<cbc:IssueDate>", "<cbc:Unknown>x</cbc:Unknown><cbc:IssueDate>", 1)
    report = validate_xml(text.encode())
    assert report.recommendation == "reject"
    assert report.xsd_valid is False
    assert report.svrl == ()
    [finding] = report.findings
    assert finding.rule == "XML-SCHEMA"
    assert "Unknown" in finding.message
    assert finding.location.startswith("line ")
    assert ", column " in finding.location


def test_custom_levels_decide_acceptance(rules: tuple[RuleRelease, ...]) -> None:
    """UBL-CR-646 is a CEN warning; the XRechnung scenario makes it an error, the Extension one information."""
    cius = validate_xml((INTEGRATION / "ubl-cr-646-sub-invoice-lines-cius.xml").read_bytes())
    extension = validate_xml((INTEGRATION / "ubl-cr-646-sub-invoice-lines-extension.xml").read_bytes())
    [in_cius] = [f for f in cius.findings if f.rule == "UBL-CR-646"]
    [in_extension] = [f for f in extension.findings if f.rule == "UBL-CR-646"]
    assert (in_cius.level, in_cius.severity, cius.recommendation) == ("warning", "error", "reject")
    assert (in_extension.level, in_extension.severity, extension.recommendation) == ("warning", "information", "accept")


def test_release_can_be_pinned_and_unknown_pins_are_not_validated(rules: tuple[RuleRelease, ...]) -> None:
    assert validate_xml(UBL_INVOICE.read_bytes(), release=rules[0].id).recommendation == "accept"
    report = validate_xml(UBL_INVOICE.read_bytes(), release="xrechnung-9.9-validator-configuration-2030-01-01")
    assert report.recommendation == "not_validated"
    assert "is not installed" in report.error


def test_newest_matching_release_is_chosen(release: RuleRelease, tmp_path: Path) -> None:
    older = copy_release(release, tmp_path / "older", id="older-2025-07-31", release_date="2025-07-31")
    newer = copy_release(release, tmp_path / "newer", id="newer-2026-07-31", release_date="2026-07-31")
    report = validate_xml(UBL_INVOICE.read_bytes(), releases=[newer, older])
    assert report.release == "newer-2026-07-31"
    assert validate_xml(UBL_INVOICE.read_bytes(), releases=[newer, older], release="older-2025-07-31").release == (
        "older-2025-07-31"
    )


def test_a_document_matching_two_scenarios_matches_none(release: RuleRelease) -> None:
    root = etree.parse(str(release.installed.path / "scenarios.xml")).getroot()
    first = root.find(f"{{{SCENARIOS_NS}}}scenario")
    twin = etree.fromstring(etree.tostring(first))
    twin.find(f"{{{SCENARIOS_NS}}}name").text = "Twin"
    first.addnext(twin)
    ambiguous = load_release(release.installed, scenarios_xml=etree.tostring(root))
    report = validate_xml(UBL_INVOICE.read_bytes(), releases=[ambiguous])
    assert report.recommendation == "reject"
    assert "several scenarios match" in report.error


def test_crash_inside_a_schematron_is_not_validated(release: RuleRelease, tmp_path: Path) -> None:
    broken = copy_release(release, tmp_path / "broken")
    xsl = next(r.path for s in broken.scenarios for r in s.schematrons if r.path.name == "XRechnung-UBL-validation.xsl")
    xsl.write_text(
        '<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:template match="/"><xsl:sequence select="error((), \'rule engine exploded\')"/></xsl:template>'
        "</xsl:stylesheet>"
    )
    report = validate_xml(UBL_INVOICE.read_bytes(), releases=[broken])
    assert report.recommendation == "not_validated"
    assert "rule engine exploded" in report.error


def test_stylesheet_that_does_not_compile_is_not_validated(release: RuleRelease, tmp_path: Path) -> None:
    broken = copy_release(release, tmp_path / "broken")
    broken.scenarios[0].report.path.write_text("<not-a-stylesheet/>")
    report = validate_xml(UBL_INVOICE.read_bytes(), releases=[broken])
    assert report.recommendation == "not_validated"
    assert "xrechnung-report.xsl" in report.error


def test_any_unexpected_error_is_not_validated(rules: tuple[RuleRelease, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise MemoryError("simulated")

    monkeypatch.setattr(saxon, "transform", explode)
    report = validate_xml(UBL_INVOICE.read_bytes())
    assert report.recommendation == "not_validated"
    assert "MemoryError" in report.error


def test_cold_and_warm_are_separable(rules: tuple[RuleRelease, ...]) -> None:
    reset_caches()
    cold = warm_up()
    assert cold > 0.2  # compiling the rules is the cold part
    assert warm_up() < 0.1  # nothing left to compile
    report = validate_xml(UBL_INVOICE.read_bytes())
    assert report.accepted
    assert report.seconds < cold


@pytest.mark.parametrize(
    "invoice", [UBL_INVOICE, CII_INVOICE, CEN_UNIT / "ubl-br-o-02-and-br-o-04-with-bt-31.xml"], ids=lambda p: p.name
)
def test_report_input_holds_the_svrl_trees(rules: tuple[RuleRelease, ...], invoice: Path) -> None:
    """The input assembled in Saxon is the document KoSIT's createReportInput had as text with the SVRL inside."""
    with saxon.lock():
        document = saxon.parse(invoice.read_text(encoding="utf-8"))
        scenario = select_scenario(rules, document).scenario
        runs = []
        for resource in scenario.schematrons:
            svrl = saxon.transform(resource.path, document)
            runs.append(SchematronRun(resource, saxon.serialize(svrl), svrl))
        text = report_input(
            content=b"", reference="r", engine="e", scenario=scenario, wellformedness=[], schema=None, schematron=runs
        )
        assembled = etree.fromstring(saxon.serialize(_input_node(text, runs)))
    expected = etree.fromstring(text)
    for results, run in zip(expected.iter(f"{{{IN_NS}}}results"), runs, strict=True):
        results.append(etree.fromstring(run.svrl))
    # Only the whitespace that serialising the SVRL added differs.
    assert etree.canonicalize(assembled, strip_text=True) == etree.canonicalize(expected, strip_text=True)
    assert len(assembled.findall(f".//{{{IN_NS}}}results/*")) == len(runs) == 2


def test_are_true_answers_each_expression_as_is_true() -> None:
    with saxon.lock():
        node = saxon.parse('<r xmlns="urn:x"><a>1</a><a>x</a></r>')
        expressions = [
            ("/x:r/x:a", {"x": "urn:x"}),
            ("/x:r/x:b", {"x": "urn:x"}),
            ("xs:integer(/*/*[2]) = 1", {}),  # a dynamic error
            ("current()", {}),  # XSLT only: the XPath processor's error counts
            ("count(//y:a) = 2", {"y": "urn:x"}),
        ]
        answers = saxon.are_true(node, expressions)
        assert answers[:2] == [True, False]
        assert isinstance(answers[2], saxon.SaxonError)
        assert isinstance(answers[3], saxon.SaxonError)
        assert answers[4] is True
        for (expression, namespaces), answer in zip(expressions, answers, strict=True):
            if not isinstance(answer, saxon.SaxonError):
                assert saxon.is_true(node, expression, namespaces) is answer

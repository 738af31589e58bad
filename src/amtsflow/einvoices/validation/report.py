"""The KoSIT report step: the same intermediate document, the release's own report XSLT, the same acceptance.

The KoSIT validator collects all check results in a `createReportInput` document and hands it to the
scenario's report stylesheet (here xrechnung-report.xsl importing default-report.xsl), which maps every SVRL
flag and schema message to a level, applies the scenario's customLevel overrides and writes the assessment
(accept or reject) into the VARL report. The acceptance is then decided as in KoSIT's ComputeAcceptanceAction:
- no scenario (or not well-formed): reject;
- schema valid and the scenario has acceptMatch: accept exactly when acceptMatch is true on the report;
- otherwise: accept when the schema is valid and no Schematron assertion failed at all.
Running the configuration's stylesheet, rather than re-implementing it, keeps custom levels and acceptance
rules in the hands of the rule release.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import saxonche
from lxml import etree

from amtsflow.einvoices import saxon
from amtsflow.einvoices.rules.scenarios import SCENARIOS_NS, Resource, Scenario
from amtsflow.einvoices.validation.types import ACCEPT, REJECT, Finding, Recommendation
from amtsflow.einvoices.validation.xsd import XmlIssue

IN_NS = "http://www.xoev.de/de/validator/framework/1/createreportinput"
REP_NS = "http://www.xoev.de/de/validator/varl/1"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
FRAMEWORK_VERSION = "1.0.2"  # the createReportInput version KoSIT validator 1.6 writes
_IN = f"{{{IN_NS}}}"
_S = f"{{{SCENARIOS_NS}}}"
_SVRL_MESSAGES = etree.XPath("svrl:failed-assert | svrl:successful-report", namespaces={"svrl": SVRL_NS})
# The report's messages as JSON, read from Saxon's tree: parsing the serialised report (mostly the invoice's
# HTML view) again with lxml would cost twenty times more. A missing attribute is null.
_MESSAGES = f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:rep="{REP_NS}">
<xsl:output method="text"/>
<xsl:template match="/"><xsl:sequence select="serialize(array {{
  for $m in //rep:validationStepResult/rep:message return [
    $m/../@id/string(), $m/@id/string(), $m/@code/string(), $m/@level/string(), $m/@xpathLocation/string(),
    $m/@lineNumber/string(), $m/@columnNumber/string(), string($m)
  ]
}}, map {{ 'method': 'json' }})"/></xsl:template>
</xsl:stylesheet>"""
_STEP_RULES = {"val-xml": "XML-WELLFORMEDNESS", "val-xsd": "XML-SCHEMA"}
# Puts the SVRL tree of the n-th Schematron run into the n-th (empty) in:results of the report input. Copying
# the result trees inside Saxon spares serialising them into the input's text and Saxon parsing them again.
# Only the path down to in:results is rebuilt; everything else is copied whole (cheaper than template rules).
_ASSEMBLE = f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:in="{IN_NS}">
<xsl:param name="svrl" as="array(node())" required="yes"/>
<xsl:template match="/"><xsl:for-each select="*"><xsl:copy><xsl:copy-of select="@*"/>
  <xsl:for-each select="node()"><xsl:choose>
    <xsl:when test="self::in:validationResultsSchematron"><xsl:copy><xsl:copy-of select="@*"/>
      <xsl:variable name="run" select="$svrl(count(preceding-sibling::in:validationResultsSchematron) + 1)"/>
      <xsl:for-each select="node()"><xsl:choose>
        <xsl:when test="self::in:results"><xsl:copy><xsl:copy-of select="@*"/>
          <xsl:copy-of select="if ($run instance of document-node()) then $run/* else $run"/>
        </xsl:copy></xsl:when>
        <xsl:otherwise><xsl:copy-of select="."/></xsl:otherwise>
      </xsl:choose></xsl:for-each>
    </xsl:copy></xsl:when>
    <xsl:otherwise><xsl:copy-of select="."/></xsl:otherwise>
  </xsl:choose></xsl:for-each>
</xsl:copy></xsl:for-each></xsl:template>
</xsl:stylesheet>"""


@dataclass(frozen=True)
class SchematronRun:
    resource: Resource
    svrl: bytes  # the result serialised, as stored
    result: saxonche.PyXdmNode  # the same result as Saxon's tree, for the report input


@dataclass(frozen=True)
class ReportOutcome:
    recommendation: Recommendation
    varl: bytes
    findings: tuple[Finding, ...]


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _resource(parent: etree._Element, resource: Resource) -> None:
    element = _sub(parent, f"{_S}resource")
    _sub(element, f"{_S}name", resource.name)
    _sub(element, f"{_S}location", resource.location)


def _issues(parent: etree._Element, issues: list[XmlIssue]) -> None:
    for issue in issues:
        error = _sub(parent, f"{_IN}xmlSyntaxError")
        _sub(error, f"{_IN}message", " ".join(issue.message.split()))
        _sub(error, f"{_IN}severityCode", issue.severity)
        _sub(error, f"{_IN}rowNumber", str(issue.line or -1))
        _sub(error, f"{_IN}columnNumber", str(issue.column or -1))


def report_input(
    *,
    content: bytes,
    reference: str,
    engine: str,
    scenario: Scenario | None,
    wellformedness: list[XmlIssue],
    schema: tuple[Resource, list[XmlIssue]] | None,
    schematron: list[SchematronRun],
) -> str:
    """KoSIT's createReportInput document (framework namespace 1, see its createReportInput.xsd).

    Each Schematron run gets an empty in:results here; build_report puts the run's SVRL tree into it.
    """
    root = etree.Element(f"{_IN}createReportInput", nsmap={"in": IN_NS, "s": SCENARIOS_NS, "svrl": SVRL_NS})
    root.set("frameworkVersion", FRAMEWORK_VERSION)
    _sub(_sub(root, f"{_IN}engine"), f"{_IN}name", engine)
    # Local time with its offset, as the validator runs: rules compare its date with current-date() (local).
    _sub(root, f"{_IN}timestamp", datetime.now().astimezone().isoformat(timespec="milliseconds"))
    identification = _sub(root, f"{_IN}documentIdentification")
    digest = _sub(identification, f"{_IN}documentHash")
    _sub(digest, f"{_IN}hashAlgorithm", "SHA-256")
    _sub(digest, f"{_IN}hashValue", base64.b64encode(hashlib.sha256(content).digest()).decode("ascii"))
    _sub(identification, f"{_IN}documentReference", reference)
    if scenario is not None:
        root.append(etree.fromstring(scenario.element))
    _issues(_sub(root, f"{_IN}validationResultsWellformedness"), wellformedness)
    if schema is not None:
        results = _sub(root, f"{_IN}validationResultsXmlSchema")
        _resource(results, schema[0])
        _issues(results, schema[1])
    for run in schematron:
        results = _sub(root, f"{_IN}validationResultsSchematron")
        _resource(results, run.resource)
        _sub(results, f"{_IN}results")
    return etree.tostring(root, encoding="unicode")


def _input_node(input_text: str, schematron: list[SchematronRun]) -> saxonche.PyXdmNode:
    """The report input as Saxon's tree, with the SVRL trees in place; call with the lock held."""
    skeleton = saxon.parse(input_text)
    if not schematron:
        return skeleton
    return saxon.transform_internal(_ASSEMBLE, skeleton, {"svrl": saxon.array([run.result for run in schematron])})


def build_report(
    *,
    report_xsl: Resource,
    input_text: str,
    document: saxonche.PyXdmNode | None,
    scenario: Scenario | None,
    schema_valid: bool,
    schematron: list[SchematronRun],
    error_text: str = "",
) -> ReportOutcome:
    """Runs the report XSLT and decides acceptance; raises saxon.SaxonError when the rules fail."""
    with saxon.lock():
        input_node = _input_node(input_text, schematron)
        if document is None:
            # As KoSIT: a document that could not be parsed is represented by its error message.
            message = etree.Element("error-message")
            message.text = error_text
            document = saxon.parse(etree.tostring(message, encoding="unicode"))
        report = saxon.transform(report_xsl.path, input_node, {"input-document": document})
        if scenario is None:
            recommendation = REJECT
        elif schema_valid and scenario.accept_match:
            recommendation = ACCEPT if saxon.is_true(report, scenario.accept_match, scenario.namespaces) else REJECT
        else:
            failed = any(
                etree.fromstring(run.svrl).find(f"{{{SVRL_NS}}}failed-assert") is not None for run in schematron
            )
            recommendation = ACCEPT if schema_valid and not failed else REJECT
        varl = saxon.serialize(report)
        messages = json.loads(saxon.apply_internal(_MESSAGES, report))
    return ReportOutcome(recommendation, varl, tuple(_findings(messages, scenario, schematron)))


def _location(xpath: str | None, line: str | None, column: str | None) -> str:
    if xpath:
        return xpath
    if line:
        return f"line {line}, column {column}" if column else f"line {line}"
    return ""


def _findings(
    messages: list[list[str | None]], scenario: Scenario | None, schematron: list[SchematronRun]
) -> list[Finding]:
    """The report's messages, with the severity after custom levels and the assertion's test from the SVRL."""
    svrl_messages: dict[int, list[etree._Element]] = {}  # an SVRL is only read when a message points into it
    findings = []
    for step, message_id, code, level, xpath, line, column, text in messages:
        step, code, level = step or "", code or "", "error" if level is None else level
        test = ""
        # Message ids are val-sch.<run>.<n>: the n-th failed-assert or successful-report of that run's SVRL.
        parts = (message_id or "").split(".")
        if step.startswith("val-sch.") and len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            run, index = int(parts[1]) - 1, int(parts[2]) - 1
            if 0 <= run < len(schematron) and run not in svrl_messages:
                svrl_messages[run] = _SVRL_MESSAGES(etree.fromstring(schematron[run].svrl))
            if 0 <= index < len(svrl_messages.get(run, ())):
                test = svrl_messages[run][index].get("test", "")
        findings.append(
            Finding(
                rule=_STEP_RULES.get(step, code) if code in ("", "generic-error") else code,
                severity=scenario.level_for(code, level) if scenario else level,
                message=" ".join(text.split()),
                location=_location(xpath, line, column),
                step=step,
                level=level,
                test=test,
            )
        )
    return findings

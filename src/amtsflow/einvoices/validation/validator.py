"""validate_xml: one e-invoice (XML bytes) through the steps of the KoSIT validator.

1. hardened parse (parsing.py); 2. scenario selection over the installed releases; 3. XML Schema (lxml);
4. only if the schema is valid: every Schematron XSLT of the scenario (Saxon) on the re-serialised tree;
5. the release's report XSLT and KoSIT's acceptance rule (report.py).
Any failure inside the rules (Saxon error, unloadable schema, anything unexpected) ends as "not_validated",
never as "accept". The function needs no tenant and no database: web requests, Celery tasks and commands
call it alike.
"""

import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from lxml import etree

from amtsflow.einvoices import saxon
from amtsflow.einvoices.rules import RuleRelease, RulesUnavailable, available_releases, select_scenario
from amtsflow.einvoices.rules.releases import NO_RULES_MESSAGE, clear_release_cache
from amtsflow.einvoices.rules.scenarios import Resource, Scenario
from amtsflow.einvoices.validation.parsing import DocumentRefused, NotWellFormed, ParsedDocument, parse_document
from amtsflow.einvoices.validation.report import SchematronRun, build_report, report_input
from amtsflow.einvoices.validation.types import NOT_VALIDATED, REJECT, ValidationReport
from amtsflow.einvoices.validation.xsd import XmlIssue, clear_schema_cache, load_schema, schema_issues

logger = logging.getLogger(__name__)


def _engine_name() -> str:
    return f"Amtsflow e-invoice validation ({saxon.version()}, lxml {etree.__version__})"


def _releases(release: str | None, releases: Sequence[RuleRelease] | None) -> Sequence[RuleRelease]:
    candidates = available_releases() if releases is None else releases
    if not candidates:
        raise RulesUnavailable(NO_RULES_MESSAGE)
    if release is not None:
        candidates = [r for r in candidates if r.id == release]
        if not candidates:
            raise RulesUnavailable(f"The rule release {release} is not installed.")
    return candidates


def validate_xml(
    content: bytes,
    *,
    filename: str = "",
    release: str | None = None,
    releases: Sequence[RuleRelease] | None = None,
) -> ValidationReport:
    """Validates one e-invoice; `release` pins a release id, `releases` replaces the installed ones (tests)."""
    started = time.perf_counter()
    try:
        report = _validate(content, filename, _releases(release, releases))
    except RulesUnavailable as exc:
        report = ValidationReport(NOT_VALIDATED, filename=filename, error=str(exc))
    except Exception as exc:
        logger.exception("e-invoice validation failed inside the rules: %s", filename)
        report = ValidationReport(
            NOT_VALIDATED, filename=filename, error=f"Not validated: the rules failed ({type(exc).__name__}: {exc})"
        )
    return _with_time(report, started)


def _with_time(report: ValidationReport, started: float) -> ValidationReport:
    return replace(report, seconds=time.perf_counter() - started)


def _validate(content: bytes, filename: str, releases: Sequence[RuleRelease]) -> ValidationReport:
    try:
        document = parse_document(
            content, max_bytes=settings.AMTSFLOW_EINVOICE_MAX_BYTES, max_depth=settings.AMTSFLOW_EINVOICE_MAX_DEPTH
        )
    except DocumentRefused as exc:
        return ValidationReport(NOT_VALIDATED, filename=filename, error=str(exc))
    except NotWellFormed as exc:
        return _not_well_formed(content, filename, releases[0], exc)

    with saxon.lock():
        try:
            node = saxon.parse(document.text)
        except saxon.SaxonError as exc:
            # Saxon's parser (KoSIT's reference) refused what lxml read: not well-formed for the rules.
            return _not_well_formed(content, filename, releases[0], NotWellFormed(str(exc)))
        selection = select_scenario(releases, node)
    release, scenario = selection.release, selection.scenario
    common = {
        "filename": filename,
        "release": release.id,
        "rules_version": release.installed.xrechnung_version or None,
        "xrechnung_version": document.xrechnung_version,
        "customization_id": document.customization_id,
        "document_type": document.document_type,
    }
    if scenario is None:
        outcome = build_report(
            report_xsl=release.config.fallback_report,
            input_text=_input(content, filename, None, [], None, []),
            document=node,
            scenario=None,
            schema_valid=False,
            schematron=[],
        )
        error = _no_scenario(document, selection.note)
        return ValidationReport(
            outcome.recommendation, varl=outcome.varl, findings=outcome.findings, error=error, **common
        )

    issues: list[XmlIssue] = []
    if scenario.schema is not None:
        issues = schema_issues(document.root, scenario.schema.path, release.installed.path, content)
    schema_valid = not any(i.severity != "SEVERITY_WARNING" for i in issues)
    runs: list[SchematronRun] = []
    if schema_valid:
        with saxon.lock():
            for resource in scenario.schematrons:
                svrl = saxon.transform(resource.path, node)
                runs.append(SchematronRun(resource, saxon.serialize(svrl), svrl))
    schema_result = (scenario.schema, issues) if scenario.schema else None
    outcome = build_report(
        report_xsl=scenario.report or release.config.fallback_report,
        input_text=_input(content, filename, scenario, [], schema_result, runs),
        document=node,
        scenario=scenario,
        schema_valid=schema_valid,
        schematron=runs,
    )
    return ValidationReport(
        outcome.recommendation,
        scenario=scenario.name,
        xsd_valid=schema_valid if scenario.schema is not None else None,
        findings=outcome.findings,
        svrl=tuple(run.svrl for run in runs),
        varl=outcome.varl,
        **common,
    )


def _input(
    content: bytes,
    filename: str,
    scenario: Scenario | None,
    wellformedness: list[XmlIssue],
    schema: tuple[Resource, list[XmlIssue]] | None,
    runs: list[SchematronRun],
) -> str:
    return report_input(
        content=content,
        reference=filename,
        engine=_engine_name(),
        scenario=scenario,
        wellformedness=wellformedness,
        schema=schema,
        schematron=runs,
    )


def _no_scenario(document: ParsedDocument, note: str) -> str:
    customization = document.customization_id or "none"
    return (
        f"Rejected without rule check: {note} (root element {document.root_name or '?'}, "
        f"CustomizationID {customization})."
    )


def _not_well_formed(content: bytes, filename: str, release: RuleRelease, exc: NotWellFormed) -> ValidationReport:
    issue = XmlIssue(message=str(exc), severity="SEVERITY_FATAL_ERROR", line=exc.line, column=exc.column)
    outcome = build_report(
        report_xsl=release.config.fallback_report,
        input_text=_input(content, filename, None, [issue], None, []),
        document=None,
        scenario=None,
        schema_valid=False,
        schematron=[],
        error_text=str(exc),
    )
    return ValidationReport(
        REJECT, filename=filename, release=release.id, findings=outcome.findings, varl=outcome.varl, error=str(exc)
    )


def schematron_report(content: bytes, stylesheet: Path) -> bytes:
    """The SVRL of one compiled Schematron stylesheet for a document (hardened parse first); for rule tests."""
    document = parse_document(
        content, max_bytes=settings.AMTSFLOW_EINVOICE_MAX_BYTES, max_depth=settings.AMTSFLOW_EINVOICE_MAX_DEPTH
    )
    with saxon.lock():
        return saxon.serialize(saxon.transform(stylesheet, saxon.parse(document.text)))


def warm_up(releases: Sequence[RuleRelease] | None = None) -> float:
    """Compiles the releases' stylesheets and expressions, loads their schemas (the cold start); returns seconds."""
    started = time.perf_counter()
    for release in _releases(None, releases):
        saxon.compile_all(release.stylesheets())
        saxon.compile_expressions(
            (expression, scenario.namespaces)
            for scenario in release.scenarios
            for expression in (scenario.match, scenario.accept_match)
            if expression
        )
        saxon.compile_batch((scenario.match, scenario.namespaces) for scenario in release.scenarios)
        for path in release.schemas():
            load_schema(path, release.installed.path)
    return time.perf_counter() - started


def reset_caches() -> None:
    """Forgets compiled stylesheets, schemas and loaded releases, so the next validation starts cold."""
    saxon.clear_compiled()
    clear_schema_cache()
    clear_release_cache()

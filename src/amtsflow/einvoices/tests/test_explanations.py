"""Explanations of validation findings: every official rule gets a useful text, in German and English."""

import re
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation
from lxml import etree

from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices.rules import RuleRelease
from amtsflow.einvoices.validation import Finding, validate_xml
from amtsflow.einvoices.validation.explanations import (
    HANDWRITTEN,
    Explanation,
    business_terms,
    explain,
    explain_finding,
    text_for_language,
)

SCH = "{http://purl.oclc.org/dsdl/schematron}"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
GERMAN_PREFIXES = ("BR-DE", "BR-TMP")  # BR-DE-*, BR-DEX-*, BR-DE-CVD-*, BR-TMP-*; BR-DEC-* (decimals) is EN 16931
OUR_OWN = {"XML-SCHEMA", "XML-WELLFORMEDNESS"}  # ids of our validator, not of the Schematron


def _messages(root: etree._Element) -> list[tuple[str, str]]:
    """(rule id, message) of every assertion of a Schematron source or of an XSLT compiled from one."""
    found = []
    for element in root.iter(f"{SCH}assert", f"{SCH}report", f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        rule = element.get("id", "")
        if not rule or "{" in rule:  # "{$id}": generic templates of the compiled stylesheets
            continue
        text = element.find(f"{SVRL}text")
        source = text if text is not None else element
        found.append((rule, " ".join("".join(source.itertext()).split())))
    return found


@pytest.fixture(scope="module")
def official_rules() -> dict[str, set[str]]:
    """Rule id -> its messages, from the Schematron sources and XSLTs in the official release zips."""
    rules: dict[str, set[str]] = defaultdict(set)
    for zip_path in sorted(require_shared("xrechnung", "rules").glob("*.zip")):
        with zipfile.ZipFile(zip_path) as archive:
            for name in archive.namelist():
                if Path(name).suffix not in (".sch", ".xsl", ".xslt"):
                    continue
                root = etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False, huge_tree=True))
                for rule, message in _messages(root):
                    rules[rule].add(message)
    return dict(rules)


def _plain(message: str) -> str:
    return re.sub(r"^\[[^\]]+\]\s*-?\s*", "", message).strip()


def test_official_rules_are_read(official_rules: dict[str, set[str]]) -> None:
    for rule in ("BR-DE-15", "BR-DEX-09", "BR-CO-10", "BR-S-08", "BR-CL-23", "UBL-CR-001", "CII-SR-001", "CII-DT-097"):
        assert rule in official_rules
    assert len(official_rules) > 1500


def test_every_official_rule_is_explained(official_rules: dict[str, set[str]]) -> None:
    problems = []
    for rule, messages in sorted(official_rules.items()):
        for message in messages:
            for severity in ("", "error", "warning"):
                explanation = explain(rule, message, severity=severity)
                texts = (explanation.text_de, explanation.text_en)
                if not all(text.strip() for text in texts) or explanation.text_de == explanation.text_en:
                    problems.append(f"{rule}: empty or untranslated")
                elif _plain(message) and any(_plain(message) in text for text in texts):
                    problems.append(f"{rule}: repeats the official message")
                elif explanation.source == "generic":
                    problems.append(f"{rule}: only the generic fallback")
                elif not set(business_terms(message)) <= set(explanation.business_terms):
                    problems.append(f"{rule}: misses terms of {message!r}")
    assert not problems, "\n".join(sorted(set(problems)))


def test_every_german_rule_is_hand_written(official_rules: dict[str, set[str]]) -> None:
    german = [rule for rule in official_rules if rule.startswith(GERMAN_PREFIXES) and not rule.startswith("BR-DEC")]
    assert len(german) > 50
    for rule in german:
        assert rule in HANDWRITTEN, rule
        assert explain(rule).source == "rule"


def test_hand_written_ids_are_official_rule_ids(official_rules: dict[str, set[str]]) -> None:
    # Catches typos in the data: an explanation for an id no rule has would never be shown.
    assert set(HANDWRITTEN) - set(official_rules) - OUR_OWN == set()


def test_frequent_en16931_rules_are_hand_written() -> None:
    frequent = [f"BR-CO-{n}" for n in range(10, 17)] + ["BR-01", "BR-02", "BR-16", "BR-50", "BR-61", "BR-CL-23"]
    for rule in frequent:
        assert explain(rule).source == "rule", rule
    assert explain("BR-S-08").source == "category"
    assert "Regelsteuersatz" in explain("BR-S-08").text_de


def test_leitweg_id_explanation() -> None:
    explanation = explain("BR-DE-15", '[BR-DE-15] Das Element "Buyer reference" (BT-10) muss übermittelt werden.')
    assert "Leitweg-ID" in explanation.text_de
    assert "Leitweg-ID" in explanation.text_en
    assert explanation.business_terms == ("BT-10",)


def test_business_terms_from_the_message_come_first() -> None:
    message = "[BR-CO-10]-Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131)."
    assert explain("BR-CO-10", message).business_terms[:2] == ("BT-106", "BT-131")
    assert business_terms("BT-1, BG-23, BT-1 and BT-DEX-002; not BT-x or ABT-7") == ("BT-1", "BG-23", "BT-DEX-002")


def test_family_fallback_names_what_the_message_names() -> None:
    decimals = explain(
        "BR-DEC-99", "[BR-DEC-99]-The allowed maximum number of decimals for the Paid amount (BT-113) is 2."
    )
    assert decimals.source == "family"
    assert "Paid amount" in decimals.text_de
    assert decimals.business_terms == ("BT-113",)

    code = explain("BR-CL-99", "[BR-CL-99]-Frobnication code (BT-777) MUST be coded using UNTDID 9999")
    assert code.source == "family"
    assert "Codeliste" in code.text_de
    assert "UNTDID 9999" in code.text_de
    assert "Frobnication code" in code.text_de
    assert code.business_terms == ("BT-777",)


def test_elements_xrechnung_does_not_use_depend_on_the_severity() -> None:
    message = "[UBL-CR-152]-A UBL invoice should not include the AccountingSupplierParty Party PostalAddress Room"
    warning = explain("UBL-CR-152", message, severity="warning")
    error = explain("UBL-CR-152", message, severity="error")
    assert "AccountingSupplierParty Party PostalAddress Room" in warning.text_de
    assert "Hinweis an den Lieferanten genügt" in warning.text_de
    assert "neu ausstellen" in error.text_de
    assert "Hinweis an den Lieferanten genügt" in explain("UBL-CR-152", message).text_de  # UBL-CR default: warning
    # A scenario that lowers a rule to a warning turns "ask for a corrected invoice" into "a note is enough".
    assert "korrigierte Rechnung" not in explain("BR-CL-23", severity="warning").text_de
    assert "korrigierte Rechnung" in explain("BR-CL-23", severity="error").text_de


def test_unknown_rule_gets_the_generic_fallback() -> None:
    explanation = explain("XY-NEW-1", "Something new about (BT-9).")
    assert explanation.source == "generic"
    assert "XY-NEW-1" in explanation.text_de
    assert "XY-NEW-1" in explanation.text_en
    assert explanation.business_terms == ("BT-9",)
    assert explain("").text_de


def test_our_own_checks_are_explained() -> None:
    assert "XML" in explain("XML-WELLFORMEDNESS", "line 1, column 1: Start tag expected").text_de
    assert explain("XML-SCHEMA", "cvc-complex-type.2.4: invalid content").source == "rule"


def test_explain_finding() -> None:
    finding = Finding(rule="BR-DE-7", severity="error", message="[BR-DE-7] ... (BT-43) ...", location="/Invoice")
    assert explain_finding(finding) == explain("BR-DE-7", finding.message, severity="error")


def test_language_switch() -> None:
    explanation = Explanation(text_de="Deutsch", text_en="English", business_terms=())
    with translation.override("de"):
        assert text_for_language(explanation) == "Deutsch"
    with translation.override("en"):
        assert text_for_language(explanation) == "English"
    with translation.override("en-gb"):
        assert text_for_language(explanation) == "English"
    with translation.override("de-at"):
        assert text_for_language(explanation) == "Deutsch"
    with translation.override(None), override_settings(LANGUAGE_CODE="de"):  # no active language: the default
        assert text_for_language(explanation) == "Deutsch"
    assert text_for_language(explanation, "en") == "English"


def test_findings_of_real_validations_are_explained(rules: tuple[RuleRelease, ...]) -> None:
    """The messages of a real report (with the document's values filled in) get the same quality of text."""
    cases = require_shared("xrechnung", "kosit-config-tests", "src", "test")
    seen: set[str] = set()
    for path in sorted(cases.glob("*/*.xml")):
        for finding in validate_xml(path.read_bytes(), filename=path.name).findings:
            explanation = explain_finding(finding)
            assert explanation.source != "generic", finding
            assert set(business_terms(finding.message)) <= set(explanation.business_terms), finding
            seen.add(finding.rule)
    # Rules of every kind: hand-written, VAT category, code list, syntax family, our own well-formedness check.
    assert {"BR-DE-1", "BR-CO-15", "BR-O-02", "BR-CL-24", "CII-SR-452", "UBL-CR-646", "XML-WELLFORMEDNESS"} <= seen

"""Reads a KoSIT validator configuration's `scenarios.xml` (framework 1.x, see its resources/xsd/scenarios.xsd).

A scenario says which documents it is for (`match`, an XPath over the document with the declared namespaces),
the XML Schema to check them with, the Schematron XSLTs to run after a valid schema check, the report XSLT,
the severity overrides (`customLevel`) and the XPath over the finished report that means "accept"
(`acceptMatch`). `noScenarioReport` is the report XSLT for documents no scenario matches.
"""

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

SCENARIOS_NS = "http://www.xoev.de/de/validator/framework/1/scenarios"
_NS = {"s": SCENARIOS_NS}
LEVELS = ("error", "warning", "information")


class ScenarioConfigError(ValueError):
    """scenarios.xml is missing, malformed or points outside its release."""


@dataclass(frozen=True)
class Resource:
    name: str
    location: str  # as written in scenarios.xml, relative to the release directory
    path: Path  # resolved, always inside the release directory


@dataclass(frozen=True)
class Scenario:
    name: str
    namespaces: dict[str, str]
    match: str
    schema: Resource | None
    schematrons: tuple[Resource, ...]
    report: Resource | None
    custom_levels: dict[str, str]  # rule code -> error | warning | information
    accept_match: str | None
    # The <s:scenario> element without comments: the report XSLT reads the custom levels from this copy.
    element: bytes = field(repr=False)

    def level_for(self, code: str, level: str) -> str:
        """The level after the scenario's customLevel overrides (the report XSLT's rep:custom-level)."""
        return self.custom_levels.get(code, level)


@dataclass(frozen=True)
class ScenarioConfig:
    name: str
    date: str
    scenarios: tuple[Scenario, ...]
    fallback_report: Resource


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, _NS)
    return " ".join((found.text or "").split()) if found is not None else ""


def _resource(element: etree._Element | None, base: Path) -> Resource:
    """The <s:resource> child of `element`, its location resolved inside the release directory."""
    resource = element.find("s:resource", _NS) if element is not None else None
    location = _text(resource, "s:location") if resource is not None else ""
    if not location:
        raise ScenarioConfigError("resource without location in scenarios.xml")
    path = (base / location).resolve()
    if not path.is_relative_to(base):
        raise ScenarioConfigError(f"resource outside the release directory: {location}")
    return Resource(name=_text(resource, "s:name"), location=location, path=path)


def _scenario(element: etree._Element, base: Path) -> Scenario:
    namespaces = {ns.get("prefix"): (ns.text or "").strip() for ns in element.findall("s:namespace", _NS)}
    custom_levels: dict[str, str] = {}
    for custom in element.findall("s:createReport/s:customLevel", _NS):
        level = custom.get("level", "")
        if level not in LEVELS:
            raise ScenarioConfigError(f"unknown customLevel {level!r}")
        for code in (custom.text or "").split():
            custom_levels.setdefault(code, level)  # the first declaration wins, as in the report XSLT
    schema = element.find("s:validateWithXmlSchema", _NS)
    if schema is not None and len(schema.findall("s:resource", _NS)) > 1:
        # KoSIT combines several schema documents into one schema; no configuration so far uses that.
        raise ScenarioConfigError("a scenario with several XML Schema resources is not supported")
    report = element.find("s:createReport", _NS)
    copy = etree.fromstring(etree.tostring(element))
    for comment in copy.xpath("//comment()"):
        comment.getparent().remove(comment)
    return Scenario(
        name=_text(element, "s:name"),
        namespaces=namespaces,
        match=(element.findtext("s:match", "", _NS) or "").strip(),
        schema=_resource(schema, base) if schema is not None else None,
        schematrons=tuple(_resource(e, base) for e in element.findall("s:validateWithSchematron", _NS)),
        report=_resource(report, base) if report is not None else None,
        custom_levels=custom_levels,
        accept_match=(element.findtext("s:acceptMatch", "", _NS) or "").strip() or None,
        element=etree.tostring(copy),
    )


def parse_scenarios(content: bytes, release_dir: Path) -> ScenarioConfig:
    base = release_dir.resolve()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise ScenarioConfigError(f"scenarios.xml is not well-formed: {exc}") from exc
    if root.tag != f"{{{SCENARIOS_NS}}}scenarios":
        raise ScenarioConfigError("scenarios.xml has no <scenarios> root in the KoSIT framework namespace")
    scenarios = tuple(_scenario(e, base) for e in root.findall("s:scenario", _NS))
    fallback = root.find("s:noScenarioReport", _NS)
    if not scenarios or fallback is None:
        raise ScenarioConfigError("scenarios.xml declares no scenario or no noScenarioReport")
    return ScenarioConfig(
        name=_text(root, "s:name"),
        date=_text(root, "s:date"),
        scenarios=scenarios,
        fallback_report=_resource(fallback, base),
    )

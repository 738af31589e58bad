"""The part of KoSIT's XML-Mutate that the XRechnung rule tests use, to turn annotated instances into variants.

An instance carries processing instructions such as
    <?xmute mutator="remove" schematron-invalid="xrubl:BR-DE-1" id="..." description="..."?>
Each instruction makes variants of the original document by changing the next sibling element, and says which
Schematron rules must fire (`schematron-invalid`: a failed-assert with that id) or must not (`schematron-valid`)
in the named Schematron (prefix before the colon). Implemented as in XML-Mutate 0.6 (mutator/*.java):
- identity: the document unchanged;
- remove: the target element (or its `attribute`) removed;
- empty: the target's child elements removed, or else its text; with `attribute`, that attribute set to "";
- code: one variant per value of `values` (split by `separator`, default ",", each trimmed), set as the
  target's text or as the value of its `attribute`.
Mutators that the corpora do not use (xslt, whitespace, genericode lists, ...) are reported as unsupported.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

SUPPORTED = {"identity", "noop", "remove", "empty", "code"}
_PROPERTY = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')


class MutationError(Exception):
    """The instruction cannot be applied to its target (XML-Mutate reports these as errors, too)."""


@dataclass(frozen=True)
class Expectation:
    schematron: str  # prefix, e.g. xrubl
    rule: str
    fires: bool  # True for schematron-invalid


@dataclass(frozen=True)
class Variant:
    source: Path
    index: int  # position of the instruction among the document's xmute instructions
    mutator: str
    value: str | None  # the code for the code mutator
    properties: dict[str, str]
    expectations: tuple[Expectation, ...]

    @property
    def name(self) -> str:
        label = self.properties.get("id") or f"pi{self.index}"
        return f"{label}[{self.value}]" if self.value is not None else label


def _expectations(properties: dict[str, str]) -> tuple[Expectation, ...]:
    expectations = []
    for key, fires in (("schematron-invalid", True), ("schematron-valid", False)):
        for token in re.split(r"[\s,]+", properties.get(key, "").strip()):
            if token:
                prefix, _, rule = token.rpartition(":")
                expectations.append(Expectation(schematron=prefix, rule=rule, fires=fires))
    return tuple(expectations)


def _instructions(root: etree._Element) -> list[etree._ProcessingInstruction]:
    return [pi for pi in root.getroottree().iter(etree.ProcessingInstruction) if pi.target == "xmute"]


def read_variants(source: Path) -> list[Variant]:
    root = etree.parse(str(source), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    variants = []
    for index, instruction in enumerate(_instructions(root)):
        properties = dict(_PROPERTY.findall(instruction.text or ""))
        mutator = properties.get("mutator", "")
        expectations = _expectations(properties)
        if mutator == "code":
            separator = properties.get("separator") or ","
            values = [v.strip() for v in properties.get("values", "").split(separator) if v]
            variants += [Variant(source, index, mutator, v, properties, expectations) for v in values]
        else:
            variants.append(Variant(source, index, mutator, None, properties, expectations))
    return variants


def _target(instruction: etree._ProcessingInstruction) -> etree._Element:
    sibling = instruction.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    if sibling is None:
        raise MutationError("no element follows the instruction")
    return sibling


def _set_text(target: etree._Element, text: str | None) -> None:
    for child in list(target):
        target.remove(child)
    target.text = text


def mutate(variant: Variant) -> bytes:
    """The variant's document."""
    if variant.mutator not in SUPPORTED:
        raise MutationError(f"mutator {variant.mutator!r} is not implemented")
    root = etree.parse(str(variant.source), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    instruction = _instructions(root)[variant.index]
    attribute = variant.properties.get("attribute")
    if variant.mutator in ("identity", "noop"):
        pass
    elif variant.mutator == "remove":
        target = _target(instruction)
        if attribute:
            if attribute not in target.attrib:
                raise MutationError(f"no attribute {attribute}")
            del target.attrib[attribute]
        elif target.getparent() is None:
            raise MutationError("cannot remove the root element")
        else:
            target.getparent().replace(target, etree.Comment(" Removed node "))
    elif variant.mutator == "empty":
        target = _target(instruction)
        if attribute:
            if attribute not in target.attrib:
                raise MutationError(f"no attribute {attribute}")
            target.set(attribute, "")
        elif len([c for c in target if isinstance(c.tag, str)]):
            for child in [c for c in target if isinstance(c.tag, str)]:
                _remove_keeping_tail(child)
        elif (target.text or "").strip():
            _set_text(target, None)
        else:
            raise MutationError("nothing to empty")
    else:  # code
        target = _target(instruction)
        if attribute:
            if attribute not in target.attrib:
                raise MutationError(f"no attribute {attribute}")
            target.set(attribute, variant.value or "")
        elif any(isinstance(c.tag, str) for c in target):
            raise MutationError("complex content where a code was expected")
        else:
            _set_text(target, variant.value)
    return etree.tostring(root.getroottree(), encoding="UTF-8", xml_declaration=True)


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def defined_rules(stylesheet: Path) -> set[str]:
    """The assertion ids a compiled Schematron stylesheet can report."""
    tree = etree.parse(str(stylesheet), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    svrl = "http://purl.oclc.org/dsdl/svrl"
    return {
        e.get("id")
        for e in tree.iter(f"{{{svrl}}}failed-assert", f"{{{svrl}}}successful-report")
        if e.get("id") and "{" not in e.get("id")
    }


def fired_rules(svrl: bytes) -> set[str]:
    """Ids of the failed assertions in an SVRL report (XML-Mutate counts failed-assert only)."""
    root = etree.fromstring(svrl)
    return {e.get("id", "") for e in root.iter("{http://purl.oclc.org/dsdl/svrl}failed-assert")}

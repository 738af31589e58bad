"""Hardened parsing of uploaded BPMN/DMN files before any other code sees them.

Uploaded models come from tenants, so the bytes are parsed once here with entity resolution, DTD loading and
network access off, and documents with a DTD, too many bytes or too deep nesting are refused. Only the parsed
tree is handed on (SpiffWorkflow would otherwise parse the bytes again with lxml's permissive defaults).
"""

from django.utils.translation import gettext as _
from lxml import etree

from .problems import ModelInvalid, ModelProblem

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 200
# The DTD sits in the prolog; the scan covers UTF-8 and UTF-16 spellings. The tree check below catches the rest.
_DTD_MARKERS = tuple(marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le"))
_DTD_MARKERS += tuple(marker.encode("utf-16-be") for marker in ("<!DOCTYPE", "<!ENTITY"))


def load_xml(data: bytes, label: str) -> etree._ElementTree:
    """The parsed document; raises ModelInvalid naming `label` (the file) for anything unsafe or malformed."""
    if isinstance(data, str):  # tolerated for callers holding the text; lxml wants bytes with a declaration
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        raise _refused(label, _("%(file)s: the file is larger than %(limit)d MB.") % {"file": label, "limit": limit})
    if any(marker in data for marker in _DTD_MARKERS):
        raise _refused(
            label, _("%(file)s: the file declares a DTD or entities, which are not allowed.") % {"file": label}
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,  # keeps libxml2's own depth and text-size limits as a second line
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except (etree.XMLSyntaxError, ValueError) as exc:
        # parser.error_log, not exc.error_log: the latter also carries earlier errors of this thread.
        errors = [entry for entry in parser.error_log if entry.level_name in {"ERROR", "FATAL"}]
        line = errors[0].line if errors else getattr(exc, "lineno", 0) or 0
        message = _("%(file)s: the file is not well-formed XML (line %(line)d: %(error)s).")
        raise _refused(label, message % {"file": label, "line": line, "error": exc}) from None
    root = tree.getroot()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None or any(_is_entity(n) for n in root.iter()):
        raise _refused(
            label, _("%(file)s: the file declares a DTD or entities, which are not allowed.") % {"file": label}
        )
    if _depth(root) > MAX_DEPTH:
        message = _("%(file)s: the file is nested deeper than %(limit)d levels.")
        raise _refused(label, message % {"file": label, "limit": MAX_DEPTH})
    return tree


def _depth(root: etree._Element) -> int:
    deepest = depth = 0
    for event, _node in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _is_entity(node: etree._Element) -> bool:
    return isinstance(node, etree._Entity)


def _refused(label: str, message: str) -> ModelInvalid:
    return ModelInvalid([ModelProblem(element_id="", element_name=label, message=message)])

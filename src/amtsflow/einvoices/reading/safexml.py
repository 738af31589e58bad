"""Hardened parsing of invoice XML: the only place where untrusted invoice bytes become an lxml tree.

Entity resolution, DTD loading and network access are off, documents declaring a DTD are refused before the
parser sees them, and size and nesting are bounded (libxml2's own limits stay on as a second line because
huge_tree is off). Refusals carry a message for the clerk, never a traceback.
"""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_DEPTH = 100
# A DTD sits in the prolog; the scan covers the UTF-8/ASCII and both UTF-16 spellings, the tree check the rest.
_DTD_MARKERS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


class Refused(Exception):
    """The input cannot be read as an invoice; `reason` is a message for the clerk."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotXml(Refused):
    """The bytes are not well-formed XML at all (as opposed to XML refused for what it contains)."""


def max_bytes() -> int:
    return int(getattr(settings, "AMTSFLOW_EINVOICE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_depth() -> int:
    return int(getattr(settings, "AMTSFLOW_EINVOICE_MAX_DEPTH", DEFAULT_MAX_DEPTH))


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise Refused(
            _("The file is larger than the %(limit)s MB allowed for e-invoices.") % {"limit": _megabytes(limit)}
        )


def parse_xml(data: bytes) -> etree._Element:
    """The root element of `data`; raises Refused for anything unsafe, oversized, too deep or malformed."""
    check_size(len(data))
    if any(marker in data for marker in _DTD_MARKERS):
        raise Refused(_("The XML declares a DTD or entities, which are not allowed in e-invoices."))
    limit = max_depth()
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    try:
        # Streaming, so an absurdly deep document is stopped at the limit instead of being built first.
        for event, _element in events:
            depth += 1 if event == "start" else -1
            if depth > limit:
                raise Refused(_("The XML is nested deeper than %(limit)d levels.") % {"limit": limit})
        root = events.root
    except (etree.LxmlError, ValueError) as exc:  # XMLSyntaxError mostly; odd encodings raise others
        if "depth" in str(exc).lower():
            raise Refused(_("The XML is nested deeper than %(limit)d levels.") % {"limit": limit}) from None
        raise NotXml(_("The file is not well-formed XML (%(error)s).") % {"error": exc}) from None
    if root is None:
        raise NotXml(_("The file is not well-formed XML (%(error)s).") % {"error": _("no root element")})
    tree = root.getroottree()
    # Belt and braces for encodings the byte scan does not know (UTF-32, EBCDIC).
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None or _has_entities(root):
        raise Refused(_("The XML declares a DTD or entities, which are not allowed in e-invoices."))
    return root


def _has_entities(root: etree._Element) -> bool:
    return any(isinstance(node, etree._Entity) for node in root.iter())


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"

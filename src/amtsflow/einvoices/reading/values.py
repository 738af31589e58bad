"""Typed values out of invoice XML elements; a malformed value becomes None plus a notice, never an exception."""

import base64
import binascii
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from lxml import etree

from .model import Identifier, Invoice

_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


class Reader:
    """Finds elements below a node by namespace-prefixed paths and records value problems on the invoice."""

    def __init__(self, namespaces: dict[str, str], invoice: Invoice) -> None:
        self.ns = namespaces
        self.invoice = invoice

    def first(self, node: etree._Element | None, path: str) -> etree._Element | None:
        return None if node is None else node.find(path, self.ns)

    def all(self, node: etree._Element | None, path: str) -> list[etree._Element]:
        return [] if node is None else node.findall(path, self.ns)

    def text(self, node: etree._Element | None, path: str = "") -> str:
        element = node if not path else self.first(node, path)
        if element is None:
            return ""
        return " ".join("".join(element.itertext()).split()) if len(element) else (element.text or "").strip()

    def raw_text(self, node: etree._Element | None, path: str) -> str:
        """Text with its line breaks kept (payment terms carry one Skonto term per line)."""
        element = node if not path else self.first(node, path)
        return "" if element is None else "".join(element.itertext()).strip()

    def attr(self, node: etree._Element | None, path: str, name: str) -> str:
        element = node if not path else self.first(node, path)
        return "" if element is None else (element.get(name) or "").strip()

    def identifier(self, node: etree._Element | None, path: str = "") -> Identifier | None:
        element = node if not path else self.first(node, path)
        value = self.text(element)
        return Identifier(value, self.attr(element, "", "schemeID")) if value else None

    def decimal(self, node: etree._Element | None, path: str, term: str) -> Decimal | None:
        element = node if not path else self.first(node, path)
        value = self.text(element)
        if not value:
            return None
        if not _DECIMAL.fullmatch(value):
            self.invoice.notice(term, _("%(value)r is not a number.") % {"value": value[:40]})
            return None
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            return None

    def iso_date(self, node: etree._Element | None, path: str, term: str) -> date | None:
        """A UBL date, YYYY-MM-DD."""
        value = self.text(node, path)
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            self.invoice.notice(term, _("%(value)r is not a date.") % {"value": value[:40]})
            return None

    def cii_date(self, node: etree._Element | None, path: str, term: str) -> date | None:
        """A CII date: DateTimeString in format 102 (YYYYMMDD)."""
        element = self.first(node, path)
        value = self.text(element)
        if not value:
            return None
        if element is not None and element.get("format", "102") == "102" and re.fullmatch(r"[0-9]{8}", value):
            try:
                return date(int(value[:4]), int(value[4:6]), int(value[6:]))
            except ValueError:
                pass
        self.invoice.notice(term, _("%(value)r is not a date.") % {"value": value[:40]})
        return None

    def binary(self, node: etree._Element | None, term: str) -> bytes:
        value = "".join((self.text(node) or "").split())
        if not value:
            return b""
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            self.invoice.notice(term, _("The embedded document is not valid Base64 and was left out."))
            return b""

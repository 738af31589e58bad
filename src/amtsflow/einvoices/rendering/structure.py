"""The display structure of a readable invoice: sections of BT-labelled rows and tables, values already formatted.

Everything is plain strings in the language that was active when it was built, so the HTML partial and the PDF
show the same thing and neither needs to know the invoice model.
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from django.utils import translation
from django.utils.translation import get_language

from ..reading.terms import TERMS


@dataclass(frozen=True)
class TermName:
    id: str  # "BT-1", "BG-4"
    name: str  # in the active language
    other: str  # the name in the other language: English beside German, German beside anything else
    other_lang: str  # language code of `other`, for the lang attribute
    name_de: str
    name_en: str


@cache
def _english(term_id: str) -> str:
    # The English names are gettext msgids: only with English active do they stay untranslated.
    with translation.override("en"):
        return str(TERMS[term_id].name_en)


def term_name(term_id: str) -> TermName:
    """Names of `term_id` for the active language; KeyError for a term the reading does not extract."""
    term = TERMS[term_id]
    english = _english(term_id)
    if (get_language() or "de").split("-")[0] == "de":
        return TermName(term_id, term.name_de, english, "en", term.name_de, english)
    return TermName(term_id, str(term.name_en), term.name_de, "de", term.name_de, english)


@dataclass(frozen=True)
class Check:
    """The result of a check the reading made (IBAN, Leitweg-ID), worded so it does not rely on colour."""

    ok: bool
    text: str


@dataclass
class Row:
    term: TermName
    value: str
    numeric: bool = False
    check: Check | None = None
    detail: str = ""  # a muted addition, e.g. the subject code of a note
    emphasis: bool = False  # the amount due
    label: str = ""  # replaces the term name where a row shows a derived value (a Skonto term)
    notices: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.label or self.term.name

    @property
    def other(self) -> str:
        return "" if self.label else self.term.other


@dataclass(frozen=True)
class Column:
    label: str
    terms: tuple[TermName, ...] = ()
    numeric: bool = False


@dataclass
class Cell:
    value: str
    details: list[Row] = field(default_factory=list)  # further terms shown small under the value
    numeric: bool = False  # set from its column, so templates need no column lookup


@dataclass
class TableRow:
    cells: list[Cell]
    depth: int = 0  # nesting level of sub-lines (BG-DEX-01)


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[TableRow] = field(default_factory=list)


@dataclass
class Part:
    """A block of a section: rows (description list, or a two-column table for totals) or a table."""

    title: str = ""  # a sub-heading; empty for the section's own rows
    term: TermName | None = None
    rows: list[Row] = field(default_factory=list)
    table: Table | None = None
    layout: Literal["list", "table"] = "list"
    empty: str = ""  # said instead of an empty table


@dataclass(frozen=True)
class NoticeView:
    term: TermName | None
    message: str


@dataclass
class Section:
    key: str  # stable identifier; the partial's heading id is "invoice-<key>"
    title: str
    term: TermName | None = None
    parts: list[Part] = field(default_factory=list)
    notices: list[NoticeView] = field(default_factory=list)  # notices about terms shown only inside a table
    covers: set[str] = field(default_factory=set)  # every term the section shows or would show when filled


@dataclass
class ReadableInvoice:
    title: str  # "Rechnung 4711 – Muster GmbH"
    number: str
    seller: str
    language: str
    sections: list[Section]
    notices: list[NoticeView] = field(default_factory=list)  # notices no section covers

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

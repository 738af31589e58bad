"""Shared text helpers of the search: query clean-up and safe HTML snippets."""

import html
import re
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

# Highlight markers: control characters, which the indexer strips from every stored text.
START, STOP = "\x02", "\x03"
MAX_QUERY_CHARS = 300

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACE = re.compile(r"\s+")


class Page(NamedTuple):
    """One hit of a backend: entry pk, rank, snippet text with START/STOP markers."""

    pk: int
    rank: float
    snippet: str


def normalize_query(query: str) -> str:
    """Control characters (NUL breaks PostgreSQL) out, whitespace collapsed, length bounded."""
    text = _SPACE.sub(" ", _CONTROL.sub(" ", query or "")).strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    return text


def snippet_html(marked: str) -> SafeString:
    """Escape the snippet, then turn the markers into <mark>; markup in documents stays text."""
    escaped = html.escape(_SPACE.sub(" ", marked).strip())
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 (escaped above)

"""SQLite search: FTS5 with bm25 ranking and snippets.

User input never reaches FTS5 syntax: every term is quoted, so `NEAR(`, `*`, `"` or `AND OR` are searched
as words. Supported like PostgreSQL's websearch syntax: "quoted phrases", `or` between terms, `-excluded`.
There is no German stemmer in FTS5; unquoted terms match as prefixes instead, so "Rechnung" also finds
"Rechnungen" (the reverse needs PostgreSQL).
"""

import re

from django.db import connection
from django.db.models import QuerySet

from amtsflow.files.models import SearchEntry
from amtsflow.files.search.schema import FTS_TABLE
from amtsflow.files.search.text import START, STOP, Page

KEYWORDS_WEIGHT, BODY_WEIGHT = 10.0, 1.0
MIN_PREFIX_CHARS = 3  # shorter prefixes expand to too many terms
MAX_TERMS = 32

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_WORD = re.compile(r"\w")


def _phrase(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


def match_expression(text: str) -> str | None:
    """The FTS5 query for the user's text, or None when it has no searchable word."""
    groups: list[list[str]] = []  # groups are ANDed, the phrases within one ORed
    excluded: list[str] = []
    pending_or = False
    for raw in _TOKEN.findall(text)[:MAX_TERMS]:
        if raw.lower() == "or":
            pending_or = bool(groups)
            continue
        negate = raw.startswith("-") and len(raw) > 1
        token = raw[1:] if negate else raw
        quoted = token.startswith('"')
        words = token.strip('"')
        if not _WORD.search(words):
            continue
        phrase = _phrase(words)
        if not quoted and len(words) >= MIN_PREFIX_CHARS and not negate:
            phrase += "*"
        if negate:
            excluded.append(phrase)
        elif pending_or:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        pending_or = False
    if not groups:
        return None
    expression = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
    return expression + "".join(f" NOT {phrase}" for phrase in excluded)


def run(entries: QuerySet[SearchEntry], text: str, *, limit: int, offset: int) -> tuple[int, bool, list[Page]]:
    """(total, capped, page); SQLite ranks every match, so the total is never capped."""
    expression = match_expression(text)
    if expression is None:
        return 0, False, []
    # The permitted, filtered entries (tenant scope, confidentiality, filters) as a subquery. `+rowid` keeps
    # SQLite from handing the IN list to FTS5, which would re-run the MATCH once per listed row.
    ids_sql, ids_params = entries.values("pk").query.sql_with_params()
    where = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({ids_sql})"
    params = [expression, *ids_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {where}", params)  # noqa: S608 (only our own SQL is interpolated)
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, {KEYWORDS_WEIGHT}, {BODY_WEIGHT}) AS score {where} "
            "ORDER BY score DESC, rowid DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        ranked = cursor.fetchall()
        if not ranked:
            return total, False, []
        ids = [row[0] for row in ranked]
        cursor.execute(
            f"SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, ' … ', 24) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({', '.join(['%s'] * len(ids))})",
            [START, STOP, expression, *ids],
        )
        snippets = dict(cursor.fetchall())
    return total, False, [Page(pk, float(score), snippets.get(pk) or "") for pk, score in ranked]

"""PostgreSQL search: German full-text search (stemming, weights, headlines) plus trigram matching.

Full text alone misses reference numbers (`0.10.02/2026` is one "version" token plus a path token) and
parts of compound words. So a one-word query also matches entries whose reference starts with it (for a
reference number; btree) or whose keywords contain it (for a word; ILIKE on the trigram index). Misspelled
names need word similarity, the expensive part (every candidate row is compared), so it only runs when
nothing else matched: "Hofman" finds "Hoffmann" when no entry contains "Hofman".

The cost of a query is bounded, whatever the number of matches: only the WINDOW most recently filed
matches are fetched and ranked. A query with more matches returns `capped` results (total = WINDOW).
Ranking every match (ts_rank over hundreds of thousands of rows), word similarity on every row and an
exact count were what made common words slow; so was the planner's choice between a scan in order (good
for common words) and the GIN index (good for rare ones), which it bases on frequency estimates that are
far too low for words that occur together ("Bauantrag Carport"). Hence two fixed steps, see SCAN_ROWS.
"""

import datetime as dt
import re
from typing import Any, NamedTuple

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection, transaction
from django.db.models import QuerySet

from amtsflow.files.models import SearchEntry
from amtsflow.files.search.text import START, STOP, Page

# Matches ranked at most: the most recently filed (highest ids).
WINDOW = 200
# First try: the newest SCAN_ROWS entries, scanned in id order until WINDOW + 1 match (a common word stops
# early). A rarer word then comes from the GIN index, whose cost grows with the matches: fewer than
# WINDOW + 1 in SCAN_ROWS entries means fewer than ~1 % of all. Both steps cost ~2–5 µs a row.
SCAN_ROWS = 20_000
PROBE_ROWS = 2_000  # substring or reference matches fewer than this: few (see _few_matches)
FUZZY_MAX_CHARS = 80  # substring and fuzzy matching of long queries finds noise and costs time
FUZZY_WEIGHT = 0.3  # a fuzzy-only hit ranks below a title hit (ts_rank of one A-weighted word ≈ 0.6)
WORD_SIMILARITY_THRESHOLD = "0.5"
_LETTER = re.compile(r"[^\W\d_]")  # pg_trgm's 0.6 misses "Hofman" for "Hoffmann"
_REFERENCE = re.compile(r"[\d./-]*\d[\d./-]*")  # digits with the separators of reference numbers
_TSQUERY = "websearch_to_tsquery('german'::regconfig, %s)"


class _Ranked(NamedTuple):
    pk: int
    date: dt.date | None
    rank: float


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(text: str) -> list[tuple[str, list[Any]]]:
    """SQL over the columns of `r` (an entry) for the exact matches of the text, full text first; ORed."""
    conditions: list[tuple[str, list[Any]]] = [(f"r.search_vector @@ {_TSQUERY}", [text])]
    if _REFERENCE.fullmatch(text):
        conditions.append(("r.reference::text LIKE %s", [f"{_escape_like(text)}%"]))
    elif len(text) <= FUZZY_MAX_CHARS and " " not in text:
        conditions.append(("r.keywords ILIKE %s", [f"%{_escape_like(text)}%"]))
    return conditions


def _either(conditions: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    return " OR ".join(f"({sql})" for sql, _params in conditions), [p for _sql, params in conditions for p in params]


def _few_matches(text: str, conditions: list[tuple[str, list[Any]]]) -> bool:
    """Whether the matches are certainly few, so that the scan of the newest entries would be in vain.
    Full text: a word outside the most common elements of the column statistics (PostgreSQL keeps the
    ~1000 most frequent words, down to ~0.4 % of the rows) is rarer than those, and with words ANDed the
    rarest bounds the matches. The substring and reference parts: counted up to PROBE_ROWS via their index."""
    words = text.lower().split()
    if "or" in words or any(word.startswith("-") for word in words):
        return False  # alternatives and exclusions: no bound from a single word
    entries_sql, entries_params = SearchEntry.objects.values("pk", "keywords", "reference").query.sql_with_params()
    parts = [
        "EXISTS (SELECT FROM pg_stats s, unnest(tsvector_to_array(to_tsvector('german'::regconfig, %s))) l "
        "WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'search_vector' "
        "AND NOT l = ANY (s.most_common_elems::text::text[]))"
    ]
    params: list[Any] = [text, SearchEntry._meta.db_table]
    for sql, condition_params in conditions[1:]:
        parts.append(
            f"(SELECT count(*) < {PROBE_ROWS} FROM "  # noqa: S608 (only our own SQL is interpolated)
            f"(SELECT 1 FROM ({entries_sql}) r WHERE {sql} LIMIT {PROBE_ROWS}) p)"
        )
        params += [*entries_params, *condition_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {' AND '.join(parts)}", params)
        return bool(cursor.fetchone()[0])


def _window(
    entries: QuerySet[SearchEntry], text: str, condition: tuple[str, list[Any]], *, recent: bool, fuzzy: bool
) -> list[_Ranked]:
    """The WINDOW + 1 most recently filed matches with their rank; `recent`: among the newest SCAN_ROWS
    entries only. The rank is computed outside the LIMIT subquery, so for the window's rows only."""
    columns = entries.values("pk", "date", "search_vector", "keywords", "reference")
    rows, rows_params = (columns.order_by("-pk")[:SCAN_ROWS] if recent else columns.order_by()).query.sql_with_params()
    where, where_params = condition
    rank = f"ts_rank(w.search_vector, {_TSQUERY})"
    rank_params: list[Any] = [text]
    if fuzzy:
        rank += f" + word_similarity(%s, w.keywords)::double precision * {FUZZY_WEIGHT}"
        rank_params.append(text)
    sql = (
        f"SELECT w.pk, w.date, {rank} FROM ("  # noqa: S608 (only our own SQL is interpolated)
        f"SELECT r.pk, r.date, r.search_vector, r.keywords FROM ({rows}) r WHERE {where} "
        f"ORDER BY r.pk DESC LIMIT {WINDOW + 1}) w ORDER BY w.pk DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*rank_params, *rows_params, *where_params])
        return [_Ranked(pk, date, float(score or 0.0)) for pk, date, score in cursor.fetchall()]


def _order(row: _Ranked) -> tuple[float, bool, int, int]:
    # Best first; ties newest first (date descending, no date last, then the later entry).
    return (-row.rank, row.date is None, -row.date.toordinal() if row.date else 0, -row.pk)


def run(entries: QuerySet[SearchEntry], text: str, *, limit: int, offset: int) -> tuple[int, bool, list[Page]]:
    """(total, capped, page) for the user's text; capped: more than WINDOW matches, only those ranked."""
    conditions = _conditions(text)
    condition = _either(conditions)
    rows = [] if _few_matches(text, conditions) else _window(entries, text, condition, recent=True, fuzzy=False)
    if len(rows) <= WINDOW:
        # Few matches among the newest entries, so few at all: from the indexes (GIN, trigram, reference),
        # not by another scan in id order, which the planner may choose when it overestimates the matches
        # (it multiplies the frequencies of words that mostly occur together).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan'), "
                "set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true)"
            )
            before = cursor.fetchone()[:2]
            try:
                rows = _window(entries, text, condition, recent=False, fuzzy=False)
            finally:  # back for the rest of an enclosing transaction
                cursor.execute(
                    "SELECT set_config('enable_indexscan', %s, true), set_config('enable_seqscan', %s, true)", before
                )
    if not rows and len(text) <= FUZZY_MAX_CHARS and _LETTER.search(text):  # names; numbers all look alike
        with transaction.atomic(), connection.cursor() as cursor:
            # Local to this transaction: the threshold of the `%>` operator.
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [WORD_SIMILARITY_THRESHOLD]
            )
            fuzzy = ("r.keywords %%> %s", [text])
            rows = _window(entries, text, fuzzy, recent=False, fuzzy=True)
    capped = len(rows) > WINDOW
    ranked = sorted(rows[:WINDOW], key=_order)[offset : offset + limit]
    if not ranked:
        return min(len(rows), WINDOW), capped, []
    # Headlines parse the whole body, so only for the page shown.
    query = SearchQuery(text, config="german", search_type="websearch")
    headlines = dict(
        SearchEntry.objects.filter(pk__in=[row.pk for row in ranked])
        .annotate(
            headline=SearchHeadline(
                "body",
                query,
                config="german",
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .values_list("pk", "headline")
    )
    return min(len(rows), WINDOW), capped, [Page(row.pk, row.rank, headlines.get(row.pk) or "") for row in ranked]

"""PostgreSQL search: German full-text search (stemming, weights, headlines) plus trigram fallback.

Full text alone misses reference numbers (`0.10.02/2026` is one "version" token plus a path token) and
misspelled names, so entries whose keywords contain the query (ILIKE) or resemble it (word similarity)
match as well; both use the trigram index on `keywords`.
"""

import re
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import F, FloatField, Lookup, Q, QuerySet, Value
from django.db.models.functions import Cast

from amtsflow.files.models import SearchEntry
from amtsflow.files.search.text import START, STOP, Page

FUZZY_MAX_CHARS = 80  # fuzzy matching of long queries finds noise and costs time
FUZZY_WEIGHT = 0.3  # a fuzzy-only hit ranks below a title hit (ts_rank of one A-weighted word ≈ 0.6)
WORD_SIMILARITY_THRESHOLD = "0.5"
_LETTER = re.compile(r"[^\W\d_]")  # pg_trgm's 0.6 misses "Hofman" for "Hoffmann"


class _ILike(Lookup):
    """`lhs ILIKE rhs`: Django's icontains uses UPPER(...) LIKE, which the trigram index cannot serve."""

    lookup_name = "ilike"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def run(entries: QuerySet[SearchEntry], text: str, *, limit: int, offset: int) -> tuple[int, list[Page]]:
    query = SearchQuery(text, config="german", search_type="websearch")
    condition = Q(search_vector=query)
    rank = SearchRank(F("search_vector"), query)
    if len(text) <= FUZZY_MAX_CHARS:
        condition |= Q(_ILike(F("keywords"), Value(_like_pattern(text))))
        if _LETTER.search(text):  # names; for numbers trigrams match every similar reference of the plan entry
            condition |= Q(TrigramWordSimilar(F("keywords"), Value(text)))
            rank = rank + Cast(TrigramWordSimilarity(Value(text), "keywords"), FloatField()) * FUZZY_WEIGHT
    matches = entries.filter(condition)
    with transaction.atomic(), connection.cursor() as cursor:
        # Local to this transaction: the threshold of the `%>` operator used above.
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [WORD_SIMILARITY_THRESHOLD])
        total = matches.count()
        ranked = list(
            matches.annotate(rank=rank)
            .order_by("-rank", F("date").desc(nulls_last=True), "-pk")
            .values_list("pk", "rank")[offset : offset + limit]
        )
    if not ranked:
        return total, []
    # Headlines parse the whole body, so only for the page shown.
    headlines = dict(
        SearchEntry.objects.filter(pk__in=[pk for pk, _rank in ranked])
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
    return total, [Page(pk, float(score or 0.0), headlines.get(pk) or "") for pk, score in ranked]

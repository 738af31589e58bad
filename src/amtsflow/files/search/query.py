"""Searching the index: permitted entries only, filters, then the database's own full-text search."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import ValidationFailed
from amtsflow.files import permissions as perms
from amtsflow.files import selectors
from amtsflow.files.models import Akte, AktenplanEntry, SearchEntry, SearchKind
from amtsflow.files.search import postgres, sqlite
from amtsflow.files.search.text import Page, normalize_query, snippet_html
from amtsflow.tenants.actor import Actor

MAX_LIMIT = 100
EXCERPT_CHARS = 240
BROWSE_COUNT_CAP = 10_000  # listing without a query: counted exactly up to here


@dataclass(frozen=True)
class SearchHit:
    kind: str
    public_id: uuid.UUID
    title: str
    reference: str
    snippet_html: str  # escaped text with <mark> around matches; safe to render as is
    rank: float
    date: dt.date | None
    akte_public_id: uuid.UUID
    vorgang_public_id: uuid.UUID | None
    status: str
    direction: str
    media_kind: str


@dataclass(frozen=True)
class SearchResults:
    total: int  # matches; when `capped`, a lower bound: there are more, and only `total` can be paged
    hits: list[SearchHit] = field(default_factory=list)
    query: str = ""  # the query as searched (cleaned and shortened)
    # More matches than are counted (and, on PostgreSQL, ranked): show "more than {total}"; narrow the
    # search with words or filters to see the rest.
    capped: bool = False


def _permitted(actor: Actor) -> QuerySet[SearchEntry]:
    """Entries of files the actor may see (the confidentiality rule of the selectors), test cases left out.

    Written as "not in a hidden file": the few hidden files become one hashed list that each candidate row
    is checked against, whatever the statistics of the files table (with `IN (visible files)` PostgreSQL
    may instead run the full-text scan once per visible file). The files are checked with the selectors'
    rule itself: `list_akten` nests it in a second IN, which without statistics on the files table (small
    tables, or autovacuum off) becomes a nested loop, quadratic in the number of files (40 ms at 200).
    Entries and files share the tenant scope.
    """
    actor.require(perms.VIEW)
    hidden_akten = Akte.objects.exclude(selectors.visible_to(actor)).values("pk")
    return SearchEntry.objects.exclude(akte_id__in=hidden_akten).filter(is_test=False)


def _filtered(
    entries: QuerySet[SearchEntry],
    *,
    kind: str | None,
    plan_entry: AktenplanEntry | None,
    akte: Akte | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    status: str | None,
    direction: str | None,
    media_kind: str | None,
) -> QuerySet[SearchEntry]:
    if kind:
        if kind not in SearchKind.values:
            raise ValidationFailed(_("Unknown kind of result."), field_errors={"kind": [_("Choose a valid kind.")]})
        entries = entries.filter(kind=kind)
    if plan_entry is not None:
        # The entry and everything below it: 0.10 covers 0.10.02.
        entries = entries.filter(Q(plan_entry=plan_entry) | Q(plan_entry__number__startswith=f"{plan_entry.number}."))
    if akte is not None:
        entries = entries.filter(akte=akte)
    if date_from is not None:
        entries = entries.filter(date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(date__lte=date_to)
    for name, value in (("status", status), ("direction", direction), ("media_kind", media_kind)):
        if value:
            entries = entries.filter(**{name: value})
    return entries


def _browse(entries: QuerySet[SearchEntry], *, limit: int, offset: int) -> tuple[int, bool, list[Page]]:
    """No query: the filtered entries, newest first, with the beginning of their text; the first
    BROWSE_COUNT_CAP of them, as counting stops there (an exact COUNT(*) of a large tenant reads every row)."""
    total = entries.order_by()[: BROWSE_COUNT_CAP + 1].count()
    end = min(offset + limit, BROWSE_COUNT_CAP)
    newest = entries.order_by(F("date").desc(nulls_last=True), "-pk").values_list("pk", flat=True)
    page = list(newest[offset:end]) if offset < end else []
    # Excerpts in a second query: computed in the first, every row's body would be read before sorting.
    excerpts = dict(
        SearchEntry.objects.filter(pk__in=page)
        .annotate(excerpt=Substr("body", 1, EXCERPT_CHARS))
        .values_list("pk", "excerpt")
    )
    pages = [Page(pk, 0.0, excerpts.get(pk) or "") for pk in page]
    return min(total, BROWSE_COUNT_CAP), total > BROWSE_COUNT_CAP, pages


def _hits(pages: list[Page]) -> list[SearchHit]:
    entries = (
        SearchEntry.objects.filter(pk__in=[page.pk for page in pages])
        .select_related("akte", "vorgang")
        .only(
            "kind",
            "object_id",
            "title",
            "reference",
            "date",
            "status",
            "direction",
            "media_kind",
            "akte__public_id",
            "vorgang__public_id",
        )
    )
    by_pk = {entry.pk: entry for entry in entries}
    hits = []
    for page in pages:
        entry = by_pk.get(page.pk)
        if entry is None:  # deleted between the two queries
            continue
        hits.append(
            SearchHit(
                kind=entry.kind,
                public_id=entry.object_id,
                title=entry.title,
                reference=entry.reference,
                snippet_html=snippet_html(page.snippet),
                rank=page.rank,
                date=entry.date,
                akte_public_id=entry.akte.public_id,
                vorgang_public_id=entry.vorgang.public_id if entry.vorgang else None,
                status=entry.status,
                direction=entry.direction,
                media_kind=entry.media_kind,
            )
        )
    return hits


def search(
    *,
    actor: Actor,
    query: str,
    kind: str | None = None,
    plan_entry: AktenplanEntry | None = None,
    akte: Akte | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    status: str | None = None,
    direction: str | None = None,
    media_kind: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Files, cases and documents matching `query` that the actor may see, best first. Any input is safe:
    the query is cleaned and shortened, never parsed as search syntax errors. A blank query lists the
    filtered entries, newest first. Very common words give `capped` results (see `SearchResults`)."""
    entries = _filtered(
        _permitted(actor),
        kind=kind,
        plan_entry=plan_entry,
        akte=akte,
        date_from=date_from,
        date_to=date_to,
        status=status,
        direction=direction,
        media_kind=media_kind,
    )
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    text = normalize_query(query)
    if not text:
        total, capped, pages = _browse(entries, limit=limit, offset=offset)
    else:
        backend = postgres if connection.vendor == "postgresql" else sqlite
        total, capped, pages = backend.run(entries, text, limit=limit, offset=offset)
    return SearchResults(total=total, hits=_hits(pages), query=text, capped=capped)

"""Writing the search index: one `SearchEntry` per file (Akte), case (Vorgang) and document."""

import datetime as dt
import heapq
import re
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from amtsflow.files.extraction import media_kind
from amtsflow.files.models import Akte, Document, DocumentVersion, SearchEntry, SearchKind, Vorgang
from amtsflow.files.search import schema
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant

MAX_BODY_CHARS = 2 * 1024 * 1024 + 1000  # the extracted text (bounded by extraction) plus metadata
MAX_KEYWORDS_CHARS = 2000
BATCH = 500

# NUL cannot be stored in PostgreSQL text; the other control characters are reserved as snippet markers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str, limit: int) -> str:
    return _CONTROL.sub(" ", text or "")[:limit]


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _kind_of(obj: Model) -> str:
    if isinstance(obj, Akte):
        return SearchKind.AKTE
    if isinstance(obj, Vorgang):
        return SearchKind.VORGANG
    if isinstance(obj, Document):
        return SearchKind.DOCUMENT
    raise TypeError(f"Not searchable: {type(obj).__name__}")


def _akte_entry(akte: Akte) -> SearchEntry:
    return SearchEntry(
        kind=SearchKind.AKTE,
        object_id=akte.public_id,
        akte=akte,
        plan_entry_id=akte.plan_entry_id,
        title=akte.title,
        reference=akte.aktenzeichen,
        keywords=_join(akte.aktenzeichen, akte.title),
        body=akte.description,
        date=_local_date(akte.created_at),
        status=akte.state,
    )


def _vorgang_reference(vorgang: Vorgang) -> str:
    return f"{vorgang.akte.aktenzeichen}-{vorgang.number}"


def _vorgang_entry(vorgang: Vorgang, *, new: bool = False) -> SearchEntry:
    parties = [] if new else list(vorgang.parties.all())  # a case created just now has none yet
    names = " ".join(party.name for party in parties)
    party_lines = [" ".join(filter(None, [party.name, party.role, party.address, party.email])) for party in parties]
    reference = _vorgang_reference(vorgang)
    return SearchEntry(
        kind=SearchKind.VORGANG,
        object_id=vorgang.public_id,
        akte_id=vorgang.akte_id,
        vorgang=vorgang,
        plan_entry_id=vorgang.akte.plan_entry_id,
        title=vorgang.subject,
        reference=reference,
        keywords=_join(reference, vorgang.subject, names),
        body=_join(vorgang.description, *party_lines),
        date=_local_date(vorgang.created_at),
        status=vorgang.status,
        is_test=vorgang.is_test,
    )


def _latest_version(document: Document) -> DocumentVersion | None:
    return (
        DocumentVersion.objects.filter(document=document)
        .only("filename", "media_type", "text")
        .order_by("-number")
        .first()
    )


def _latest_versions(documents: list[Document]) -> dict[int, DocumentVersion]:
    """The latest version of each document, in one query (rebuilds and bulk loads)."""
    latest: dict[int, DocumentVersion] = {}
    versions = (
        DocumentVersion.objects.filter(document_id__in=[document.pk for document in documents])
        .only("document_id", "number", "filename", "media_type", "text")
        .order_by("document_id", "-number")
    )
    for version in versions:
        latest.setdefault(version.document_id, version)
    return latest


def _document_entry(document: Document, version: DocumentVersion | None) -> SearchEntry:
    vorgang = document.vorgang
    filename = version.filename if version else ""
    reference = _vorgang_reference(vorgang)
    return SearchEntry(
        kind=SearchKind.DOCUMENT,
        object_id=document.public_id,
        akte_id=vorgang.akte_id,
        vorgang=vorgang,
        document=document,
        plan_entry_id=vorgang.akte.plan_entry_id,
        title=document.title,
        reference=reference,
        keywords=_join(reference, document.title, document.sender, filename),
        body=_join(filename, version.text if version else ""),
        date=document.document_date or _local_date(document.received_at or document.created_at),
        status=vorgang.status,
        direction=document.direction,
        media_kind=media_kind(version.media_type, filename) if version else "",
        is_test=vorgang.is_test,
    )


def _finish(entry: SearchEntry, obj: Model) -> SearchEntry:
    entry.tenant_id = obj.tenant_id
    entry.title = entry.title[:300]
    entry.reference = entry.reference[:100]
    entry.keywords = clean(entry.keywords, MAX_KEYWORDS_CHARS)
    entry.body = clean(entry.body, MAX_BODY_CHARS)
    return entry


def build_entry(obj: Model, *, new: bool = False) -> SearchEntry:
    """The entry for an Akte, Vorgang or Document, not yet saved. `new`: the object was created in the current
    transaction (a case has no parties then)."""
    kind = _kind_of(obj)
    if kind == SearchKind.DOCUMENT:
        return _finish(_document_entry(obj, _latest_version(obj)), obj)
    return _finish(_akte_entry(obj) if kind == SearchKind.AKTE else _vorgang_entry(obj, new=new), obj)


def build_entries(objects: Iterable[Model]) -> list[SearchEntry]:
    """Entries for many objects, the same as `build_entry` gives, with the documents' latest versions read
    in one query instead of one each."""
    objects = list(objects)
    documents = [obj for obj in objects if isinstance(obj, Document)]
    versions = _latest_versions(documents) if documents else {}
    return [
        _finish(_document_entry(obj, versions.get(obj.pk)), obj) if isinstance(obj, Document) else build_entry(obj)
        for obj in objects
    ]


# The written columns, by attribute name: the foreign keys as their ids, so copying them reads no related row.
_FIELDS = [
    "akte_id",
    "vorgang_id",
    "document_id",
    "plan_entry_id",
    "title",
    "reference",
    "keywords",
    "body",
    "date",
    "status",
    "direction",
    "media_kind",
    "is_test",
]


def _update(entry: SearchEntry) -> bool:
    """Overwrite the stored entry of the same object; False when there is none."""
    stored = SearchEntry.objects.filter(tenant_id=entry.tenant_id, kind=entry.kind, object_id=entry.object_id)
    return stored.update(updated_at=timezone.now(), **{name: getattr(entry, name) for name in _FIELDS}) > 0


@transaction.atomic(savepoint=False)
def index_object(obj: Model, *, new: bool = False) -> None:
    """Create or update the entry of an Akte, Vorgang or Document (runs in the caller's transaction).

    `new`: the object was created in this transaction, so nobody can have indexed it yet (its public id is new
    and its row not yet visible to others): the entry is inserted without looking for one, and a new case has no
    documents to keep in step. Otherwise one UPDATE; only an object without an entry yet takes an INSERT.
    """
    entry = build_entry(obj, new=new)
    if new:
        entry.save(force_insert=True)
    elif not _update(entry):
        try:
            with transaction.atomic():  # a concurrent first indexing of the same object may win the insert
                entry.save(force_insert=True)
        except IntegrityError:
            _update(entry)
    if isinstance(obj, Vorgang) and not new:
        # Documents show their case's status and test flag; keep them in step without re-reading their text.
        SearchEntry.objects.filter(vorgang=obj, kind=SearchKind.DOCUMENT).update(status=obj.status, is_test=obj.is_test)


def remove_object(obj: Model) -> None:
    """Drop the entry of an object (entries below a deleted Akte, Vorgang or Document go by cascade)."""
    SearchEntry.objects.filter(kind=_kind_of(obj), object_id=obj.public_id).delete()


def _created(obj: Model) -> tuple[dt.datetime, int]:
    return obj.created_at, _ORDER_OF_KIND[_kind_of(obj)]


_ORDER_OF_KIND = {SearchKind.AKTE: 0, SearchKind.VORGANG: 1, SearchKind.DOCUMENT: 2}


def reindex_all(*, tenant: Tenant) -> int:
    """Rebuild the tenant's index from scratch (also repairs the database objects); returns the entry count."""
    with tenant_scope(tenant), transaction.atomic():
        if connection.vendor == "sqlite":
            # Triggers go missing when Django rebuilds the table in a migration; PostgreSQL keeps them.
            schema.install(connection)
        SearchEntry.objects.all().delete()
        sources = [
            Akte.objects.order_by("created_at", "pk"),
            Vorgang.objects.select_related("akte").prefetch_related("parties").order_by("created_at", "pk"),
            Document.objects.select_related("vorgang__akte").order_by("created_at", "pk"),
        ]
        # In the order the objects were created, as the services index them: on PostgreSQL a search with
        # very many matches ranks the most recently filed (highest ids) among them.
        merged = heapq.merge(*(queryset.iterator(chunk_size=BATCH) for queryset in sources), key=_created)
        count = 0
        batch: list[Model] = []
        for obj in merged:
            batch.append(obj)
            if len(batch) >= BATCH:
                count += len(SearchEntry.objects.bulk_create(build_entries(batch)))
                batch = []
        count += len(SearchEntry.objects.bulk_create(build_entries(batch)))
        if connection.vendor == "sqlite":
            schema.repair(connection)  # re-reads all rows into FTS5, whatever state it was in
        return count

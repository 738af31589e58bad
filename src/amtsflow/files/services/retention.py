"""Aussonderung: files whose retention ran out are put on a disposal list, reviewed, approved, then handed over
to the archive (package, content kept) or destroyed (content deleted, the Akte row kept as a tombstone).
"""

import datetime as dt
import json
import logging
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import Conflict, DomainError, NotFound
from amtsflow.files import permissions as perms
from amtsflow.files.constants import AkteState, DisposalAction
from amtsflow.files.models import (
    Akte,
    DisposalList,
    DisposalListItem,
    DisposalListState,
    DisposalOutcome,
    Document,
    DocumentVersion,
    Party,
    Vorgang,
)
from amtsflow.files.packages import build_package
from amtsflow.files.packages.export import record_export
from amtsflow.files.services.common import record, reindex
from amtsflow.files.storage import delete_unreferenced_blobs, document_storage
from amtsflow.tenants.actor import Actor

logger = logging.getLogger(__name__)

OPEN_LIST_STATES = (DisposalListState.DRAFT, DisposalListState.APPROVED)
# Items still to be done: failed ones are retried when the list is executed again.
_PENDING = (DisposalOutcome.PENDING, DisposalOutcome.FAILED)
# Audit details are limited (audit.services.MAX_DETAILS_CHARS); a big file's inventory goes into several entries.
AUDIT_CHUNK_CHARS = 12_000


def _today() -> dt.date:
    """The date against which execution checks that retention has run out (patched in tests)."""
    return timezone.localdate()


@dataclass(frozen=True)
class DisposalResult:
    disposal_list: DisposalList
    archived: list[DisposalListItem] = field(default_factory=list)
    destroyed: list[DisposalListItem] = field(default_factory=list)
    failed: list[DisposalListItem] = field(default_factory=list)  # each with its `message`


def list_due_for_disposal(*, actor: Actor, as_of: dt.date | None = None) -> QuerySet[Akte]:
    """Closed files retained until before `as_of` (default today): the Aussonderungsliste to review.
    Files under legal hold are included with `blocked=True`; `on_list` marks files already on an open list."""
    actor.require(perms.DISPOSE)
    on_list = DisposalListItem.objects.filter(
        akte=OuterRef("pk"), disposal_list__state__in=OPEN_LIST_STATES, outcome__in=_PENDING
    )
    return (
        Akte.objects.filter(state=AkteState.CLOSED, retention_until__lt=as_of or _today())
        .select_related("plan_entry")
        .annotate(blocked=ExpressionWrapper(Q(legal_hold=True), output_field=BooleanField()), on_list=Exists(on_list))
        .order_by("retention_until", "aktenzeichen")
    )


def list_disposal_lists(*, actor: Actor) -> QuerySet[DisposalList]:
    actor.require(perms.DISPOSE)
    return DisposalList.objects.select_related("created_by__user", "approved_by__user").prefetch_related("items")


def get_disposal_list(*, actor: Actor, public_id: uuid.UUID | str) -> DisposalList:
    try:
        return list_disposal_lists(actor=actor).get(public_id=public_id)
    except (DisposalList.DoesNotExist, DjangoValidationError, ValueError):
        raise NotFound(_("Not found.")) from None


@transaction.atomic
def create_disposal_list(*, actor: Actor, as_of: dt.date | None = None) -> DisposalList:
    """A draft list of every due file that is neither under legal hold nor on another open list."""
    actor.require(perms.DISPOSE)
    as_of = as_of or _today()
    due = list(list_due_for_disposal(actor=actor, as_of=as_of).filter(blocked=False, on_list=False))
    if not due:
        raise Conflict(_("No files are due for disposal as of %(date)s.") % {"date": as_of.strftime("%d.%m.%Y")})
    disposal_list = DisposalList.objects.create(tenant=actor.tenant, as_of=as_of, created_by=actor.membership)
    DisposalListItem.objects.bulk_create(
        DisposalListItem(
            tenant=actor.tenant,
            disposal_list=disposal_list,
            akte=akte,
            aktenzeichen=akte.aktenzeichen,
            title=akte.title,
            plan_number=akte.plan_entry.number,
            action=akte.plan_entry.disposal_action,
            retention_until=akte.retention_until,
        )
        for akte in due
    )
    record(actor, "disposal_list.created", disposal_list, as_of=as_of.isoformat(), files=len(due))
    return disposal_list


def _lock_list(disposal_list: DisposalList, *states: str) -> DisposalList:
    locked = DisposalList.objects.select_for_update().get(pk=disposal_list.pk)
    if locked.state not in states:
        raise Conflict(
            _("The disposal list is %(state)s; this is not possible now.") % {"state": locked.get_state_display()}
        )
    return locked


@transaction.atomic
def remove_from_disposal_list(*, actor: Actor, disposal_list: DisposalList, akte: Akte) -> DisposalList:
    """Take a file off a list that has not run yet (e.g. it needs longer keeping after review)."""
    actor.require(perms.DISPOSE)
    disposal_list = _lock_list(disposal_list, *OPEN_LIST_STATES)
    deleted, _rows = disposal_list.items.filter(akte=akte, outcome__in=_PENDING).delete()
    if not deleted:
        raise NotFound(_("The file is not on this disposal list."))
    record(actor, "disposal_list.item_removed", disposal_list, aktenzeichen=akte.aktenzeichen)
    return disposal_list


@transaction.atomic
def approve_disposal_list(*, actor: Actor, disposal_list: DisposalList) -> DisposalList:
    actor.require(perms.DISPOSE)
    disposal_list = _lock_list(disposal_list, DisposalListState.DRAFT)
    if not disposal_list.items.exists():
        raise Conflict(_("The disposal list is empty."))
    disposal_list.state, disposal_list.approved_by = DisposalListState.APPROVED, actor.membership
    disposal_list.approved_at = timezone.now()
    disposal_list.save(update_fields=["state", "approved_by", "approved_at"])
    record(actor, "disposal_list.approved", disposal_list, files=disposal_list.items.count())
    return disposal_list


def _obstacle(akte: Akte | None, today: dt.date) -> str:
    """Why the file may not be disposed of now ("" if it may)."""
    if akte is None:
        return _("the file no longer exists")
    if akte.legal_hold:
        return _("legal hold: %(reason)s") % {"reason": akte.legal_hold_reason}
    if akte.state != AkteState.CLOSED:
        return _("the file is %(state)s") % {"state": akte.get_state_display()}
    if akte.retention_until is None or akte.retention_until >= today:
        return _("retained until %(date)s") % {"date": akte.retention_until}
    return ""


def execute_disposal_list(*, actor: Actor, disposal_list: DisposalList) -> DisposalResult:
    """Archive or destroy every file of an approved list, one transaction per file. Refused as a whole (Conflict
    naming them) while any file is under legal hold or not due; a file that fails is left untouched and reported."""
    actor.require(perms.DISPOSE)
    with transaction.atomic():
        disposal_list = _lock_list(disposal_list, DisposalListState.APPROVED)
        items = list(disposal_list.items.filter(outcome__in=_PENDING).select_related("akte"))
        today = _today()
        obstacles = {item.aktenzeichen: _obstacle(item.akte, today) for item in items}
        obstacles = {ref: reason for ref, reason in obstacles.items() if reason}
        if obstacles:
            names = "; ".join(f"{ref} ({reason})" for ref, reason in obstacles.items())
            raise Conflict(
                _("These files cannot be disposed of: %(files)s. Remove them from the list first.") % {"files": names},
                field_errors={ref: [reason] for ref, reason in obstacles.items()},
            )
    result = DisposalResult(disposal_list=disposal_list)
    for item in items:
        try:
            with transaction.atomic():
                outcome = _dispose(actor, item.pk, today)
        except Exception as exc:  # one file's failure must not stop the others; it is rolled back and reported
            logger.exception("disposal of %s failed", item.aktenzeichen)
            message = exc.message if isinstance(exc, DomainError) else repr(exc)
            DisposalListItem.objects.filter(pk=item.pk).update(outcome=DisposalOutcome.FAILED, message=str(message))
            outcome = DisposalOutcome.FAILED
        item.refresh_from_db()
        {DisposalOutcome.ARCHIVED: result.archived, DisposalOutcome.DESTROYED: result.destroyed}.get(
            outcome, result.failed
        ).append(item)
    with transaction.atomic():
        disposal_list = DisposalList.objects.select_for_update().get(pk=disposal_list.pk)
        if not disposal_list.items.filter(outcome__in=_PENDING).exists():
            disposal_list.state, disposal_list.executed_at = DisposalListState.EXECUTED, timezone.now()
            disposal_list.save(update_fields=["state", "executed_at"])
        record(
            actor,
            "disposal_list.executed",
            disposal_list,
            archived=len(result.archived),
            destroyed=len(result.destroyed),
            failed=[item.aktenzeichen for item in result.failed],
        )
    return DisposalResult(disposal_list, result.archived, result.destroyed, result.failed)


def _dispose(actor: Actor, item_pk: int, today: dt.date) -> str:
    item = DisposalListItem.objects.select_for_update().get(pk=item_pk)
    if item.outcome not in _PENDING:
        return item.outcome  # done meanwhile by a concurrent run
    akte = Akte.objects.select_for_update().select_related("plan_entry", "tenant").filter(pk=item.akte_id).first()
    reason = _obstacle(akte, today)  # again under the row lock: a legal hold may have come meanwhile
    if reason:
        raise Conflict(reason)
    if item.action == DisposalAction.ARCHIVE:
        item.package_name = _archive(actor, akte, item)
        item.outcome = DisposalOutcome.ARCHIVED
    else:
        _destroy(actor, akte, item)
        item.outcome = DisposalOutcome.DESTROYED
    item.message, item.processed_at = "", timezone.now()
    item.save(update_fields=["outcome", "message", "package_name", "processed_at"])
    return item.outcome


def _archive(actor: Actor, akte: Akte, item: DisposalListItem) -> str:
    """Write the file's package to `archive-packages/<tenant>/`; the content stays. Returns the storage name."""
    data, process_id = build_package(akten=[akte], recipient=_("Archive"))
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", akte.aktenzeichen)
    name = f"archive-packages/{akte.tenant_id}/{slug}-{timezone.now():%Y%m%dT%H%M%S}.zip"
    storage = document_storage()
    # Written before the rows commit: a failure afterwards removes it here; a crash leaves an orphan, never a
    # file marked archived without its package.
    saved = storage.save(name, ContentFile(data))
    try:
        record_export(
            actor, akte, data, process_id, storage_name=saved, disposal_list=str(item.disposal_list.public_id)
        )
        akte.state, akte.disposed_at = AkteState.ARCHIVED, timezone.now()
        akte.save(update_fields=["state", "disposed_at", "updated_at"])
        record(actor, "akte.archived", akte, package=saved, disposal_list=str(item.disposal_list.public_id))
        reindex(akte)
    except BaseException:
        storage.delete(saved)
        raise
    return saved


def _destroy(actor: Actor, akte: Akte, item: DisposalListItem) -> None:
    """Delete cases, parties, documents and versions, then content no other version uses; keep a tombstone."""
    versions = list(
        DocumentVersion.objects.filter(document__vorgang__akte=akte)
        .select_related("blob", "document")
        .order_by("document__created_at", "document_id", "number")
    )
    # What the proof of destruction needs, and no more: titles and text would keep the personal data alive.
    inventory = [
        {
            "document": str(v.document.public_id),
            "version": v.number,
            "filename": v.filename,
            "sha256": v.blob.sha256,
            "size": v.size,
        }
        for v in versions
    ]
    blob_ids = {v.blob_id for v in versions} | {v.rendition_id for v in versions if v.rendition_id}
    counts = {
        "vorgaenge": Vorgang.objects.filter(akte=akte).count(),
        "parties": Party.objects.filter(vorgang__akte=akte).count(),
        "documents": Document.objects.filter(vorgang__akte=akte).count(),
        "versions": len(versions),
    }
    from amtsflow.files import search  # search depends on models only; imported late as in services.common

    for obj in [*Document.objects.filter(vorgang__akte=akte), *Vorgang.objects.filter(akte=akte)]:
        search.remove_object(obj)
    Vorgang.objects.filter(akte=akte).delete()  # cascades to parties, documents and versions
    deleted = delete_unreferenced_blobs(blob_ids=blob_ids)
    akte.state, akte.disposed_at, akte.description = AkteState.DESTROYED, timezone.now(), ""
    akte.save(update_fields=["state", "disposed_at", "description", "updated_at"])
    summary = {
        "disposal_list": str(item.disposal_list.public_id),
        "aktenzeichen": akte.aktenzeichen,
        "title": akte.title,
        "closed_at": akte.closed_at,
        "retention_until": akte.retention_until,
        **counts,
        "blobs_deleted": len(deleted),
        "blobs_kept": len(blob_ids) - len(deleted),
    }
    parts = _chunks(inventory)
    for number, part in enumerate(parts, 1):
        record(actor, "akte.destroyed", akte, **summary, part=number, parts=len(parts), versions_destroyed=part)
    reindex(akte)  # the tombstone stays findable by reference number and title


def _chunks(inventory: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    """Split the inventory so that each audit entry stays within the size limit of its details."""
    parts: list[list[dict[str, object]]] = [[]]
    size = 0
    for entry in inventory:
        entry_size = len(json.dumps(entry, default=str)) + 2
        if parts[-1] and size + entry_size > AUDIT_CHUNK_CHARS:
            parts.append([])
            size = 0
        parts[-1].append(entry)
        size += entry_size
    return parts

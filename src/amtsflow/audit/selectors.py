"""Reading and verifying the audit trail."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from amtsflow.audit import permissions as perms
from amtsflow.audit.chain import compute_hash
from amtsflow.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import Tenant


def list_entries(*, actor: Actor, object_type: str | None = None, object_id: str | None = None) -> QuerySet[AuditEntry]:
    """The actor's tenant's entries, newest first, optionally of one object.

    Needs an active tenant scope. Callers showing one object's history check first that the actor
    may see that object: `audit.view_history` alone only says the actor may read histories at all.
    """
    actor.require(perms.VIEW_HISTORY)
    entries = AuditEntry.objects.filter(tenant=actor.tenant)
    if object_type is not None:
        entries = entries.filter(object_type=object_type)
    if object_id is not None:
        entries = entries.filter(object_id=object_id)
    return entries.order_by("-sequence")


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    # Entries found intact (all of them when ok).
    checked: int
    first_broken_sequence: int | None = None
    reason: str = ""


def verify_chain(*, tenant: Tenant) -> VerificationResult:
    """Recompute the tenant's chain from the first entry and report where it first breaks.

    Finds changed entries (hash), removed and inserted ones (sequence, previous hash), a removed tail
    and entries appended without the head (head). Not a permission check: operators and commands only.
    """
    checked = 0

    def broken(sequence: int, reason: str) -> VerificationResult:
        return VerificationResult(ok=False, checked=checked, first_broken_sequence=sequence, reason=reason)

    with _snapshot():
        head = AuditHead.objects.filter(tenant=tenant).first()
        head_sequence = head.last_sequence if head else 0
        head_hash = head.last_hash if head else GENESIS_HASH
        entries = AuditEntry.unscoped_objects.filter(tenant=tenant).order_by("sequence", "pk")
        expected, previous = 1, GENESIS_HASH
        for entry in entries.iterator(chunk_size=2000):
            if head is None:
                return broken(entry.sequence, "the chain head is missing")
            if entry.sequence > head_sequence:
                return broken(entry.sequence, f"not recorded in the chain head (head ends at #{head_sequence})")
            if entry.sequence < expected:
                return broken(entry.sequence, "sequence number used twice or out of order")
            if entry.sequence > expected:
                return broken(expected, f"missing (the next stored entry is #{entry.sequence})")
            if entry.previous_hash != previous:
                return broken(entry.sequence, "previous hash does not match the entry before it")
            if compute_hash(entry) != entry.entry_hash:
                return broken(entry.sequence, "stored values do not match the entry hash")
            if entry.sequence == head_sequence and entry.entry_hash != head_hash:
                return broken(entry.sequence, "entry hash does not match the chain head")
            previous = entry.entry_hash
            expected += 1
            checked += 1
        if checked < head_sequence:
            return broken(expected, f"missing (the chain head ends at #{head_sequence})")
    return VerificationResult(ok=True, checked=checked)


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read head and entries from one snapshot, so appends running meanwhile cannot look like tampering.

    SQLite's read transactions are snapshots already; PostgreSQL needs REPEATABLE READ, which can only be
    chosen at the start of a transaction. Inside a caller's transaction, its own view is used.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield

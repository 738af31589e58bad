"""Writing the audit trail. Every capability calls `record` inside the transaction of its domain change."""

import json
import re
import threading
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django_scopes import get_scope

from amtsflow.audit.chain import compute_hash
from amtsflow.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import current_tenant
from amtsflow.tenants.models import Tenant

ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
MAX_ACTION_CHARS = 100
# Details describe an action (changed fields, a version number); documents themselves do not belong here.
MAX_DETAILS_CHARS = 16_000


def record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    tenant: Tenant | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry to the tenant's audit chain and return it.

    Call it inside the transaction of the domain change: the entry commits or rolls back with it.
    `actor=None` is the system. The tenant is `tenant`, else the actor's, else the active tenant scope.
    The tenant's chain stays locked until that transaction ends, so record after the slow work.
    """
    if len(action) > MAX_ACTION_CHARS or not ACTION_PATTERN.fullmatch(action):
        raise ValueError(f"Audit action must look like '<noun>.<verb>', got {action!r}")
    tenant = _resolve_tenant(actor=actor, tenant=tenant)
    if obj is not None:
        object_type, object_id, object_label = _describe(obj, tenant, object_type, object_id, object_label)
    user = actor.user if actor is not None else None
    entry = AuditEntry(
        tenant=tenant,
        actor_label=(actor.label if actor is not None else "system")[:200],
        actor_user=user,
        actor_user_ref=user.pk if user is not None else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:300],
        details=_normalise_details(details),
    )
    # savepoint=False: a failed append must fail the caller's whole transaction, not just a savepoint.
    with transaction.atomic(savepoint=False):
        if not _append_after_known_head(entry, tenant):
            head = _lock_head(tenant)
            _chain(entry, head.last_sequence, head.last_hash)
            entry.save(force_insert=True)
            AuditHead.objects.filter(pk=head.pk).update(last_sequence=entry.sequence, last_hash=entry.entry_hash)
        _known_heads()[tenant.pk] = (entry.sequence, entry.entry_hash)
    return entry


def _chain(entry: AuditEntry, last_sequence: int, last_hash: str) -> None:
    entry.sequence = last_sequence + 1
    entry.previous_hash = last_hash
    # Taken once the head is known and held (see the callers), so times follow the sequence within a tenant.
    entry.created_at = timezone.now()
    entry.entry_hash = compute_hash(entry)


_local = threading.local()


def _known_heads() -> dict[int, tuple[int, str]]:
    """Tenant -> (sequence, hash) of the head this thread last wrote or read, on this thread's connection. Only a
    guess: `_append_after_known_head` checks it against the row under the row's lock."""
    heads = getattr(_local, "heads", None)
    if heads is None:
        heads = _local.heads = {}
    return heads


def _append_after_known_head(entry: AuditEntry, tenant: Tenant) -> bool:
    """Append in two statements instead of three when the head is still where this thread last left it (several
    entries in one transaction, or one process writing one after the other): a compare-and-set moves the head,
    locking it like `_lock_head` would, and only then is the entry inserted. When the head has moved on or was
    rolled back meanwhile, nothing is written and the caller takes the locked path. The sequence and hash are
    compared, so a head that merely has the same number never passes. Times still follow the sequence: the
    guessed head's entry was written before this thread saw it, and no entry got in between."""
    known = _known_heads().get(tenant.pk)
    if known is None:
        return False
    last_sequence, last_hash = known
    _chain(entry, last_sequence, last_hash)
    moved = AuditHead.objects.filter(tenant_id=tenant.pk, last_sequence=last_sequence, last_hash=last_hash).update(
        last_sequence=entry.sequence, last_hash=entry.entry_hash
    )
    if moved != 1:
        del _known_heads()[tenant.pk]
        return False
    entry.save(force_insert=True)
    return True


def _resolve_tenant(*, actor: Actor | None, tenant: Tenant | None) -> Tenant:
    if tenant is None:
        tenant = actor.tenant if actor is not None else current_tenant()
    elif actor is not None and actor.tenant.pk != tenant.pk:
        raise ValueError("An actor can only write to the audit trail of its own tenant")
    # TenantScopedModel.save() would refuse too, but only after the chain head is locked.
    active = get_scope().get("tenant")
    if active is not None and active.pk != tenant.pk:
        raise ValueError("Another tenant is active; refusing to write to this tenant's audit trail")
    return tenant


def _describe(
    obj: models.Model, tenant: Tenant, object_type: str, object_id: str, object_label: str
) -> tuple[str, str, str]:
    if getattr(obj, "tenant_id", tenant.pk) != tenant.pk:
        raise ValueError("The audited object belongs to another tenant")
    public_id = getattr(obj, "public_id", None)
    identifier = public_id if public_id is not None else obj.pk
    if identifier is None:
        raise ValueError("Only saved objects can be audited")
    derived_type, derived_id = obj._meta.label_lower, str(identifier)
    if object_type not in ("", derived_type) or object_id not in ("", derived_id):
        raise ValueError("object_type/object_id contradict the audited object")
    return derived_type, derived_id, object_label or str(obj)


def _normalise_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """Plain JSON exactly as it will be stored and read back, so the hash can be recomputed later."""
    text = json.dumps(details or {}, cls=DjangoJSONEncoder, allow_nan=False)
    if len(text) > MAX_DETAILS_CHARS:
        raise ValueError(f"Audit details are limited to {MAX_DETAILS_CHARS} characters of JSON")
    return json.loads(text)


def _lock_head(tenant: Tenant) -> AuditHead:
    """The tenant's chain head, locked until the caller's transaction ends.

    Concurrent appends of the same tenant wait here, so none reuses a sequence or forks the chain.
    SQLite has no row locks; it lets one writer at a time commit, and the unique (tenant, sequence)
    constraint refuses what a stale writer would insert.
    """
    # One row per tenant (a one-to-one key): a plain locked get, without the ordering `.first()` would add on
    # every append.
    locked = AuditHead.objects.select_for_update()
    try:
        return locked.get(tenant_id=tenant.pk)
    except AuditHead.DoesNotExist:
        pass
    # First entry of the tenant: create the head once; a concurrent creator makes this a no-op
    # (ON CONFLICT DO NOTHING waits for the other transaction), and the locked read sees its row.
    AuditHead.objects.bulk_create(
        [AuditHead(tenant=tenant, last_sequence=0, last_hash=GENESIS_HASH)], ignore_conflicts=True
    )
    return locked.get(tenant_id=tenant.pk)

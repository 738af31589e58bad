"""The hash of an audit entry: SHA-256 over a canonical JSON form of its stored values.

Only values that never change after the insert are covered: `actor_user_ref` rather than the
`actor_user` link, which SET_NULL clears when a user is deleted.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from amtsflow.audit.models import AuditEntry

HASHED_FIELDS = (
    "tenant_id",
    "sequence",
    "created_at",
    "actor_label",
    "actor_user_ref",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "details",
    "previous_hash",
)


def _normalise_numbers(value: Any) -> Any:
    # PostgreSQL's jsonb gives 1e16 back as 10000000000000000 (an int once parsed): integral floats are
    # hashed as ints so the hash does not depend on the database's number formatting.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _normalise_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise_numbers(item) for item in value]
    return value


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(entry: "AuditEntry") -> bytes:
    payload = {name: getattr(entry, name) for name in HASHED_FIELDS}
    payload["created_at"] = _timestamp(entry.created_at)
    payload["details"] = _normalise_numbers(entry.details)
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode()


def compute_hash(entry: "AuditEntry") -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()

"""Helpers shared by the E-Akte services."""

from typing import Any

from django.db import models

from amtsflow.audit import services as audit
from amtsflow.core.selectors import full_clean  # noqa: F401 -- re-exported for the topic modules
from amtsflow.tenants.actor import Actor


def changed_fields(instance: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply `values` and return {field: [old, new]} for the audit trail."""
    changes = {}
    for name, new in values.items():
        old = getattr(instance, name)
        if old != new:
            changes[name] = [str(old) if old is not None else None, str(new) if new is not None else None]
            setattr(instance, name, new)
    return changes


def record(actor: Actor | None, action: str, obj: models.Model, **details: Any) -> None:
    audit.record(actor=actor, action=action, obj=obj, details=details or None)


def reindex(obj: models.Model, *, new: bool = False) -> None:
    """Bring the search index entry of a file, case or document up to date (same transaction). `new`: the object
    was created in this transaction (see `search.index_object`)."""
    from amtsflow.files import search  # search depends on models only; imported late to keep start-up light

    search.index_object(obj, new=new)

"""A small registry of domain events ("document filed", "invoice received", "report created").

Apps declare the events they publish and publish them after their transaction commits; other apps subscribe
(the process engine starts the processes configured for an event). Publishers know nothing of subscribers.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.functional import Promise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventType:
    name: str
    label: str | Promise


@dataclass(frozen=True)
class DomainEvent:
    name: str
    actor: Any  # tenants.actor.Actor; Any keeps core free of the tenants import
    case_id: str | None
    payload: dict[str, Any]


_TYPES: dict[str, EventType] = {}
_SUBSCRIBERS: list[Callable[[DomainEvent], None]] = []


def register_event(name: str, label: str | Promise) -> EventType:
    _TYPES[name] = EventType(name, label)
    return _TYPES[name]


def event_types() -> list[EventType]:
    return sorted(_TYPES.values(), key=lambda t: t.name)


def is_event(name: str) -> bool:
    return name in _TYPES


def subscribe(callback: Callable[[DomainEvent], None]) -> None:
    if callback not in _SUBSCRIBERS:
        _SUBSCRIBERS.append(callback)


def publish(name: str, *, actor: Any, case_id: str | None = None, **payload: Any) -> None:
    """Deliver after commit: a rolled-back change publishes nothing. A failing subscriber is logged and does not
    undo what the publisher did."""
    if name not in _TYPES:
        raise ValueError(f"unregistered event {name!r}")
    event = DomainEvent(name=name, actor=actor, case_id=case_id, payload=payload)

    def deliver() -> None:
        for callback in _SUBSCRIBERS:
            try:
                callback(event)
            except Exception:
                logger.exception("subscriber %s failed on event %s", callback, name)

    transaction.on_commit(deliver)

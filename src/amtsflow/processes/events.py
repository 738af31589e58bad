"""Processes started by domain events of other apps."""

from amtsflow.core.events import event_types, is_event

__all__ = ["event_choices", "known_event"]


def known_event(name: str) -> bool:
    return is_event(name)


def event_choices() -> list[tuple[str, str]]:
    return [(t.name, str(t.label)) for t in event_types()]

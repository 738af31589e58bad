"""`{% actor_can "files.dispose" as can_dispose %}`: whether the request's actor holds a permission."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def actor_can(context: dict[str, Any], code: str) -> bool:
    actor = getattr(context.get("request"), "actor", None)
    return bool(actor and actor.can(code))

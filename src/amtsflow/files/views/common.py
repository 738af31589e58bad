"""Helpers shared by the E-Akte views."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from amtsflow.audit import permissions as audit_perms
from amtsflow.audit import selectors as audit_selectors
from amtsflow.core.forms import submit  # noqa: F401 - re-exported for the E-Akte views
from amtsflow.tenants.actor import Actor

HISTORY_LIMIT = 100


def actor_of(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"files:{name}", kwargs={"tenant_slug": request.tenant.slug, **kwargs})  # type: ignore[attr-defined]


def history(actor: Actor, object_type: str, public_id: object) -> QuerySet | list:
    """The object's audit entries; callers have already fetched the object through a visibility-checking selector."""
    if not actor.can(audit_perms.VIEW_HISTORY):
        return []
    entries = audit_selectors.list_entries(actor=actor, object_type=object_type, object_id=str(public_id))
    return entries[:HISTORY_LIMIT]


def page_query(request: HttpRequest) -> str:
    """The request's query string without page and htmx's cache buster, for pagination links."""
    query = request.GET.copy()
    for key in ("page", "org.htmx.cache-buster"):
        query.pop(key, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""

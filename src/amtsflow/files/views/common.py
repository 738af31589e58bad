"""Helpers shared by the E-Akte views."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from amtsflow.audit import permissions as audit_perms
from amtsflow.audit import selectors as audit_selectors
from amtsflow.core.exceptions import DomainError, NotFound, PermissionDenied
from amtsflow.core.forms import add_domain_error
from amtsflow.tenants.actor import Actor

HISTORY_LIMIT = 100


def actor_of(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"files:{name}", kwargs={"tenant_slug": request.tenant.slug, **kwargs})  # type: ignore[attr-defined]


def submit(form: forms.Form, call: Callable[[], Any]) -> Any | None:
    """Run a service for a valid form; on a domain error put it on the form and return None.

    Missing objects and missing permissions are no form errors: they leave for the 404 and 403 pages."""
    if not form.is_valid():
        return None
    try:
        return call()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        add_domain_error(form, error)
        return None


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

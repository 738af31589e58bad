from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import DomainError, NotFound, PermissionDenied
from amtsflow.tenants.actor import Actor


def actor_of(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"processes:{name}", kwargs={"tenant_slug": request.tenant.slug, **kwargs})  # type: ignore[attr-defined]


def act(request: HttpRequest, call: Any, *, success: str, back: str, done: str | None = None) -> HttpResponseRedirect:
    """Run a button's service call; success and domain errors become messages on the page we return to
    (`done` instead of `back` after success, when the object may be out of the actor's sight then)."""
    try:
        call()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        message = error.message
        if message == _("Please correct the marked fields."):  # no form here to mark them on: name them
            message += " " + "; ".join(f"{field}: {' '.join(map(str, e))}" for field, e in error.field_errors.items())
        messages.error(request, message)
        return redirect(back)
    messages.success(request, success)
    return redirect(done or back)

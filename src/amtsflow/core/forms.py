"""Helpers that let Django forms show domain errors raised by services."""

from collections.abc import Callable
from typing import Any

from django import forms

from amtsflow.core.exceptions import DomainError, NotFound, PermissionDenied


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's field errors on the matching fields and its message on the form."""
    placed = False
    for field, messages in error.field_errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed or error.message not in {str(m) for msgs in error.field_errors.values() for m in msgs}:
        form.add_error(None, error.message)


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

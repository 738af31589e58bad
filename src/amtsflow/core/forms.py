"""Helpers that let Django forms show domain errors raised by services."""

from django import forms

from amtsflow.core.exceptions import DomainError


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

"""Read helpers shared by every capability's selectors and services."""

import uuid
from typing import TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import NotFound, ValidationFailed

M = TypeVar("M", bound=models.Model)


def get_by_public_id(queryset: QuerySet[M], public_id: uuid.UUID | str) -> M:
    """One object of an already permission-filtered queryset; missing, foreign and malformed IDs answer alike."""
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, DjangoValidationError, ValueError):
        raise NotFound(_("Not found.")) from None


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Model validation as a domain error with field messages."""
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise ValidationFailed(_("Please correct the marked fields."), field_errors=exc.message_dict) from exc

"""Abstract base models shared by all capabilities."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(models.Model):
    """A UUID for URLs and the API, so numbers never reveal how many objects other tenants have."""

    public_id = models.UUIDField(_("public ID"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True

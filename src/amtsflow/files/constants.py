from django.db import models
from django.utils.translation import gettext_lazy as _


class DisposalAction(models.TextChoices):
    ARCHIVE = "archive", _("Hand over to the archive")
    DESTROY = "destroy", _("Destroy")


class AkteState(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    ARCHIVED = "archived", _("archived")
    DESTROYED = "destroyed", _("destroyed")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("normal")
    CONFIDENTIAL = "confidential", _("confidential (named persons only)")


class VorgangStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting")
    DONE = "done", _("done")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Direction(models.TextChoices):
    INCOMING = "incoming", _("incoming")
    OUTGOING = "outgoing", _("outgoing")
    INTERNAL = "internal", _("internal")


class ExtractionState(models.TextChoices):
    PENDING = "pending", _("waiting for text extraction")
    RUNNING = "running", _("extracting text")
    DONE = "done", _("text extracted")
    NO_TEXT = "no_text", _("no text found")
    FAILED = "failed", _("text extraction failed")

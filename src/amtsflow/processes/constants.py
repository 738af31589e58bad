from django.db import models
from django.utils.translation import gettext_lazy as _


class InstanceStatus(models.TextChoices):
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class TaskState(models.TextChoices):
    OPEN = "open", _("open")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class IncidentState(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")
    CANCELLED = "cancelled", _("cancelled")


class StartChannel(models.TextChoices):
    UI = "ui", _("user interface")
    API = "api", _("API")
    EVENT = "event", _("event")
    SANDBOX = "sandbox", _("sandbox")


class Lifecycle(models.TextChoices):
    """XES standard lifecycle transitions (IEEE 1849) used by the event log."""

    SCHEDULE = "schedule", _("scheduled")
    ASSIGN = "assign", _("assigned")
    REASSIGN = "reassign", _("reassigned")
    START = "start", _("started")
    COMPLETE = "complete", _("completed")
    ABORT = "ate_abort", _("aborted")
    WITHDRAW = "withdraw", _("withdrawn")
    PI_ABORT = "pi_abort", _("instance aborted")


# Retry back-off of failing connectors, in seconds; after the last one the incident waits for an operator.
RETRY_DELAYS = (30, 120, 600, 3600)

"""Process models, their immutable deployed versions, running instances, the task inbox, incidents, event log.

The engine state of an instance is SpiffWorkflow's JSON serialisation, saved in the same transaction as every
domain change of a step. Human tasks and incidents are projections of that state kept as rows so the inbox and
the operator view can filter, sort and lock without deserialising workflows. Cases live in the E-Akte; an
instance refers to its case by public ID only and talks to it through the E-Akte's services.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from amtsflow.core.models import PublicIdModel, TimeStampedModel
from amtsflow.processes.constants import IncidentState, InstanceStatus, Lifecycle, StartChannel, TaskState
from amtsflow.tenants.models import Membership, OrgUnit, TenantScopedModel


class ProcessModel(PublicIdModel, TenantScopedModel, TimeStampedModel):
    """A process as the process owner maintains it: a draft plus the versions deployed from it."""

    key = models.CharField(_("process ID"), max_length=200, help_text=_("The id of the executable BPMN process."))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    plan_entry = models.CharField(
        _("file plan entry"), max_length=50, blank=True, help_text=_("Number of the file plan entry for its cases.")
    )
    draft_bpmn = models.TextField(_("BPMN draft"))
    draft_dmn = models.JSONField(_("DMN drafts"), default=list, blank=True)  # [{"name": ..., "xml": ...}]
    start_event = models.CharField(
        _("start on event"), max_length=100, blank=True, help_text=_("Start an instance when this event occurs.")
    )
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("process model")
        verbose_name_plural = _("process models")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="processmodel_unique_key")]

    def __str__(self) -> str:
        return self.name


class ProcessVersion(PublicIdModel, TenantScopedModel):
    """A deployed, immutable version; instances stay on the version they started with."""

    model = models.ForeignKey(ProcessModel, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=300)
    bpmn = models.TextField()
    dmn = models.JSONField(default=list, blank=True)
    sha256 = models.CharField(max_length=64)
    plan_entry = models.CharField(_("file plan entry"), max_length=50, blank=True)
    deployed_at = models.DateTimeField(_("deployed at"), auto_now_add=True)
    deployed_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("process version")
        verbose_name_plural = _("process versions")
        ordering = ["model", "-number"]
        constraints = [models.UniqueConstraint(fields=["model", "number"], name="processversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class ProcessInstance(PublicIdModel, TenantScopedModel, TimeStampedModel):
    version = models.ForeignKey(ProcessVersion, on_delete=models.PROTECT, related_name="instances")
    status = models.CharField(
        _("status"), max_length=20, choices=InstanceStatus.choices, default=InstanceStatus.RUNNING
    )
    is_test = models.BooleanField(_("sandbox instance"), default=False)
    case_id = models.UUIDField(_("case"), db_index=True)
    case_label = models.CharField(_("case"), max_length=200, blank=True)
    org_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    business_key = models.CharField(_("business key"), max_length=200, blank=True)
    started_via = models.CharField(_("started via"), max_length=20, choices=StartChannel.choices)
    started_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    next_timer_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Optimistic lock: every saved step increments it; a writer that read an older revision loses.
    revision = models.PositiveIntegerField(default=0)
    state = models.TextField(editable=False)

    class Meta:
        verbose_name = _("process instance")
        verbose_name_plural = _("process instances")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "status", "is_test"])]

    def __str__(self) -> str:
        return f"{self.version.name} – {self.case_label or self.public_id}"


class Task(PublicIdModel, TenantScopedModel, TimeStampedModel):
    """A user task waiting for people, mirrored from the engine state."""

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="tasks")
    spiff_task_id = models.UUIDField()
    element_id = models.CharField(max_length=200)
    name = models.CharField(_("task"), max_length=300)
    state = models.CharField(_("state"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    candidate_groups = models.JSONField(default=list, blank=True)
    candidate_users = models.JSONField(default=list, blank=True)
    assignee = models.ForeignKey(
        Membership, verbose_name=_("assignee"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org_unit = models.ForeignKey(  # unit of the case: the head of department sees the unit's tasks
        OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    follow_up_at = models.DateTimeField(_("follow-up"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated"), default=False)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    is_test = models.BooleanField(default=False)
    completed_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at", "created_at"]
        constraints = [models.UniqueConstraint(fields=["instance", "spiff_task_id"], name="task_unique_engine_task")]
        indexes = [models.Index(fields=["tenant", "state", "is_test"])]

    def __str__(self) -> str:
        return self.name


class TaskCandidate(TenantScopedModel):
    """Who may take a task: a role, a tenant group, an org unit or a user, resolved when the inbox is read
    (so membership changes apply to waiting tasks at once)."""

    class Kind(models.TextChoices):
        ROLE = "role", _("role")
        GROUP = "group", _("group")
        UNIT = "unit", _("unit")
        USER = "user", _("user")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="candidates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["kind", "key"])]


class Incident(PublicIdModel, TenantScopedModel, TimeStampedModel):
    """A failing automatic step; retried with back-off until an operator retries by hand or cancels."""

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="incidents")
    spiff_task_id = models.UUIDField()
    element_id = models.CharField(max_length=200)
    activity = models.CharField(_("activity"), max_length=300)
    connector = models.CharField(_("connector"), max_length=100, blank=True)
    error = models.TextField(_("error"))
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    next_retry_at = models.DateTimeField(_("next retry"), null=True, blank=True, db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=IncidentState.choices, default=IncidentState.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.activity}: {self.error[:80]}"


class ConnectorCall(TenantScopedModel):
    """The result of a connector run, written when its side effect happened. A retry of the same engine task
    finds it and reuses the result instead of repeating the side effect."""

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="connector_calls")
    spiff_task_id = models.UUIDField()
    connector = models.CharField(max_length=100)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instance", "spiff_task_id"], name="connectorcall_unique_engine_task")
        ]


class ProcessEvent(TenantScopedModel):
    """One line of the event log (case, activity, lifecycle, time, resource): the input of process mining."""

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="events")
    case_id = models.UUIDField()
    process_key = models.CharField(max_length=200)
    activity = models.CharField(max_length=300)
    element_id = models.CharField(max_length=200, blank=True)
    lifecycle = models.CharField(max_length=20, choices=Lifecycle.choices)
    timestamp = models.DateTimeField(db_index=True)
    resource = models.CharField(max_length=200, blank=True)
    is_test = models.BooleanField(default=False)

    class Meta:
        ordering = ["timestamp", "pk"]
        indexes = [models.Index(fields=["tenant", "process_key", "timestamp"])]

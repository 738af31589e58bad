"""Working on user tasks: claim, unclaim, delegate, complete with a validated form, escalate."""

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from SpiffWorkflow.util.task import TaskState as SpiffState

from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.processes import permissions as perms
from amtsflow.processes.constants import Lifecycle, TaskState
from amtsflow.processes.engine import runtime
from amtsflow.processes.models import ProcessInstance, Task, TaskCandidate
from amtsflow.processes.services.inbox_sync import classify
from amtsflow.processes.services.instances import (
    WITHOUT_SOURCES,
    form_values,
    json_safe,
    log_event,
    parsed_for,
    record_on_case,
    run_step,
)
from amtsflow.processes.services.separation import require_other_person
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.models import Membership


def _lock_open(task: Task, *, with_instance: bool = False) -> Task:
    """The task, locked and open. `with_instance`: its instance is locked in the same query and comes with its
    tenant, version and model, ready for `run_step(..., locked=True)`."""
    if with_instance:
        locked = Task.objects.select_for_update(of=("self", "instance")).select_related("instance__tenant")
    else:
        locked = Task.objects.select_for_update(of=("self",))
    locked = locked.select_related("instance__version__model")
    task = locked.defer(*(f"instance__version__{name}" for name in WITHOUT_SOURCES)).get(pk=task.pk)
    if task.state == TaskState.COMPLETED:  # who completed it is read only for this message
        who = (
            task.completed_by.user.get_full_name() or task.completed_by.user.get_username()
            if task.completed_by
            else "—"
        )
        raise Conflict(
            _("This task has already been completed by %(who)s at %(when)s.")
            % {"who": who, "when": timezone.localtime(task.completed_at).strftime("%d.%m.%Y %H:%M")}
        )
    if task.state != TaskState.OPEN:
        raise Conflict(_("This task is no longer open."))
    return task


def _require_hands(actor: Actor, task: Task) -> None:
    """Only the assignee works on a claimed task; operators may take over."""
    if (
        task.assignee_id
        and actor.membership
        and task.assignee_id != actor.membership.pk
        and not actor.can(perms.OPERATE)
    ):
        raise Conflict(_("This task has been claimed by %(who)s.") % {"who": task.assignee.user.get_username()})


@transaction.atomic
def claim_task(*, actor: Actor, task: Task) -> Task:
    actor.require(perms.WORK)
    task = _lock_open(task)
    if actor.membership is None:
        raise Conflict(_("Only members can claim tasks."))
    _require_hands(actor, task)
    require_other_person(actor, task)
    task.assignee = actor.membership
    task.save(update_fields=["assignee", "updated_at"])
    log_event(
        task.instance,
        activity=task.name,
        element_id=task.element_id,
        lifecycle=Lifecycle.ASSIGN,
        resource=actor.label,
        at=timezone.now(),
    )
    return task


@transaction.atomic
def unclaim_task(*, actor: Actor, task: Task) -> Task:
    actor.require(perms.WORK)
    task = _lock_open(task)
    _require_hands(actor, task)
    task.assignee = None
    task.save(update_fields=["assignee", "updated_at"])
    log_event(
        task.instance,
        activity=task.name,
        element_id=task.element_id,
        lifecycle=Lifecycle.REASSIGN,
        resource=actor.label,
        at=timezone.now(),
    )
    return task


@transaction.atomic
def delegate_task(*, actor: Actor, task: Task, to: Membership) -> Task:
    actor.require(perms.WORK)
    task = _lock_open(task)
    _require_hands(actor, task)
    if not to.is_active or to.tenant_id != actor.tenant.pk:
        raise ValidationFailed(_("Choose an active member."), field_errors={"to": [_("Choose an active member.")]})
    task.assignee = to
    task.save(update_fields=["assignee", "updated_at"])
    log_event(
        task.instance,
        activity=task.name,
        element_id=task.element_id,
        lifecycle=Lifecycle.REASSIGN,
        resource=actor.label,
        at=timezone.now(),
    )
    record_on_case(actor, task.instance, "task.delegated", task=task.name, to=str(to))
    return task


def form_fields(task: Task) -> list[Any]:
    info = parsed_for(task.instance.version).user_tasks.get(task.element_id)
    return list(info.form_fields) if info else []


def task_variables(task: Task) -> dict[str, Any]:
    """The data the task sees (to prefill its form and show context)."""
    workflow = runtime.load(task.instance.state)
    spiff_task = runtime.find_task(workflow, task.spiff_task_id)
    return dict(spiff_task.data) if spiff_task is not None else dict(workflow.data)


@transaction.atomic
def complete_task(
    *,
    actor: Actor,
    task: Task,
    data: Mapping[str, Any] | None = None,
    files: Mapping[str, UploadedFile] | None = None,
) -> Task:
    """Validate the form server-side, file uploads into the case, complete the engine task and run on. Of two
    concurrent completions exactly one wins; the other gets a Conflict naming who was first."""
    actor.require(perms.WORK)
    task = _lock_open(task, with_instance=True)
    _require_hands(actor, task)
    require_other_person(actor, task)
    values = form_values(actor, form_fields(task), data or {}, files or {}, task.instance.case_id)
    now = timezone.now()

    def complete(workflow: Any, log: runtime.StepLog) -> None:
        spiff_task = runtime.find_task(workflow, task.spiff_task_id)
        if spiff_task is None or spiff_task.state != SpiffState.READY:
            raise Conflict(_("This task is no longer open."))
        spiff_task.data.update(values)
        spiff_task.run()

    task.state, task.completed_by, task.completed_at = TaskState.COMPLETED, actor.membership, now
    task.save(update_fields=["state", "completed_by", "completed_at", "updated_at"])
    log_event(
        task.instance,
        activity=task.name,
        element_id=task.element_id,
        lifecycle=Lifecycle.COMPLETE,
        resource=actor.label,
        at=now,
    )
    instance = run_step(task.instance, complete, resource=actor.label, locked=True)
    record_on_case(actor, instance, "task.completed", task=task.name, values=json_safe(values))
    return task


def escalate_open_tasks(*, actor: Actor, instance_id: str, element_id: str, to: str) -> int:
    """Offer the open tasks of one activity additionally to a role or group and mark them escalated."""
    instance = ProcessInstance.objects.get(public_id=instance_id)
    kind, key = classify(to, instance.tenant_id)
    count = 0
    for task in instance.tasks.filter(state=TaskState.OPEN, element_id=element_id):
        TaskCandidate.objects.get_or_create(tenant=instance.tenant, task=task, kind=kind, key=key)
        task.escalated = True
        task.candidate_groups = sorted({*task.candidate_groups, to})
        task.save(update_fields=["escalated", "candidate_groups", "updated_at"])
        log_event(
            instance,
            activity=task.name,
            element_id=task.element_id,
            lifecycle=Lifecycle.REASSIGN,
            resource=actor.label,
            at=timezone.now(),
        )
        count += 1
    return count

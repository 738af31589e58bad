"""Mirror the engine's waiting user tasks into inbox rows: new ones appear with candidates and due dates, ones the
engine dropped (e.g. an interrupting boundary timer) are withdrawn."""

import datetime as dt
import logging
from typing import Any

from django.db.models import Q
from django.utils import timezone
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from amtsflow.processes.constants import Lifecycle, TaskState
from amtsflow.processes.engine import runtime
from amtsflow.processes.engine.expressions import ExpressionError, evaluate
from amtsflow.processes.engine.parser import ParsedModel, UserTaskInfo
from amtsflow.processes.models import ProcessEvent, ProcessInstance, Task, TaskCandidate
from amtsflow.tenants.constants import Role
from amtsflow.tenants.models import Group, Membership, OrgUnit

logger = logging.getLogger(__name__)


def _moment(expression: str, data: dict[str, Any], start: dt.datetime) -> dt.datetime | None:
    """camunda:dueDate / followUpDate: an ISO duration from now (P5D), an ISO date or time, or an expression
    (`${frist}`) giving a date. Anything unusable leaves the date empty and is logged, never blocks the task."""
    text = (expression or "").strip()
    if not text:
        return None
    try:
        if text.startswith("${") or not text[:1].isdigit() and not text.upper().startswith("P"):
            value = evaluate(text, data)
        elif text.upper().startswith("P"):
            return start + TimerEventDefinition.get_timedelta_from_start(
                TimerEventDefinition.parse_iso_duration(text), start
            )
        else:
            value = text
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
        if isinstance(value, dt.datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value)
        if isinstance(value, dt.date):
            return timezone.make_aware(dt.datetime.combine(value, dt.time(23, 59)))
    except (ExpressionError, ValueError, TypeError, AttributeError) as error:
        logger.warning("unusable date expression %r: %s", text, error)
    return None


def classify(key: str, tenant_id: int) -> tuple[str, str]:
    """A candidate entry as written in the model → (kind, key). Prefixes are explicit; otherwise role keys, then
    tenant groups, then org units (code or name); an unknown name stays a group (it may be created later)."""
    for prefix, kind in (("role:", "role"), ("group:", "group"), ("unit:", "unit"), ("user:", "user")):
        if key.startswith(prefix):
            return kind, key[len(prefix) :].strip()
    if key in Role.values:
        return TaskCandidate.Kind.ROLE, key
    if Group.objects.filter(tenant_id=tenant_id, name=key).exists():
        return TaskCandidate.Kind.GROUP, key
    if (
        OrgUnit.objects.filter(tenant_id=tenant_id, code=key).exists()
        or OrgUnit.objects.filter(tenant_id=tenant_id, name=key).exists()
    ):
        return TaskCandidate.Kind.UNIT, key
    return TaskCandidate.Kind.GROUP, key


def _assignee(info: UserTaskInfo, data: dict[str, Any], tenant_id: int) -> Membership | None:
    text = info.assignee.strip()
    if not text:
        return None
    if text.startswith("${"):
        try:
            text = str(evaluate(text, data))
        except ExpressionError as error:
            logger.warning("assignee expression %r: %s", info.assignee, error)
            return None
    return Membership.objects.filter(tenant_id=tenant_id, user__username=text, is_active=True).first()


def _candidate_groups(info: UserTaskInfo, data: dict[str, Any]) -> list[str]:
    """Entries written as `${expression}` (e.g. the unit an invoice belongs to) are evaluated; empty ones drop."""
    groups = []
    for entry in [*info.candidate_groups, *([info.lane] if info.lane else [])]:
        if entry.startswith("${"):
            try:
                entry = str(evaluate(entry, data) or "").strip()
            except ExpressionError as error:
                logger.warning("candidate expression %r: %s", entry, error)
                continue
        if entry:
            groups.append(entry)
    return groups


def create_task(instance: ProcessInstance, spiff_task: Any, info: UserTaskInfo, now: dt.datetime) -> Task:
    data = dict(spiff_task.data)
    task = Task.objects.create(
        tenant=instance.tenant,
        instance=instance,
        spiff_task_id=spiff_task.id,
        element_id=info.element_id,
        name=info.name or info.element_id,
        candidate_groups=_candidate_groups(info, data),
        candidate_users=list(info.candidate_users),
        assignee=_assignee(info, data, instance.tenant_id),
        org_unit=instance.org_unit,
        due_at=_moment(info.due_date, data, now),
        follow_up_at=_moment(info.follow_up_date, data, now),
        is_test=instance.is_test,
    )
    candidates = [classify(key, instance.tenant_id) for key in task.candidate_groups]
    candidates += [(TaskCandidate.Kind.USER, user) for user in info.candidate_users]
    TaskCandidate.objects.bulk_create(
        TaskCandidate(tenant=instance.tenant, task=task, kind=kind, key=key) for kind, key in set(candidates)
    )
    return task


def sync_tasks(
    instance: ProcessInstance,
    workflow: BpmnWorkflow,
    parsed: ParsedModel,
    *,
    new: bool = False,
    waited_before: bool = True,
) -> None:
    """`new`: the instance was created in the caller's transaction, so it has no task rows yet. `waited_before`:
    whether the engine had user tasks waiting when this step began; if it had none and has none now, there is
    nothing to create or withdraw (every step leaves exactly the waiting tasks open), and nothing is read."""
    now = timezone.now()
    ready = {t.id: t for t in runtime.ready_user_tasks(workflow, parsed)}
    if not ready and not waited_before:
        return
    # One query: the open rows, and the rows of any state the ready tasks already have.
    rows = [] if new else list(instance.tasks.filter(Q(state=TaskState.OPEN) | Q(spiff_task_id__in=list(ready))))
    open_rows = {row.spiff_task_id: row for row in rows if row.state == TaskState.OPEN}
    known = {row.spiff_task_id for row in rows}
    events: list[ProcessEvent] = []

    def event(activity: str, element_id: str, lifecycle: str) -> None:
        events.append(
            ProcessEvent(
                tenant=instance.tenant,
                instance=instance,
                case_id=instance.case_id,
                process_key=instance.version.model.key,
                activity=activity,
                element_id=element_id,
                lifecycle=lifecycle,
                timestamp=now,
                resource="system",
                is_test=instance.is_test,
            )
        )

    for spiff_id, row in open_rows.items():
        if spiff_id not in ready:
            row.state = TaskState.CANCELLED
            row.save(update_fields=["state", "updated_at"])
            event(row.name, row.element_id, Lifecycle.WITHDRAW)
    for spiff_id, spiff_task in ready.items():
        if spiff_id in open_rows:
            continue
        if spiff_id in known:
            continue  # completed in this very step; the engine still lists it until the next advance
        info = parsed.user_tasks[spiff_task.task_spec.bpmn_id]
        task = create_task(instance, spiff_task, info, now)
        event(task.name, task.element_id, Lifecycle.SCHEDULE)
        if task.assignee_id:
            event(task.name, task.element_id, Lifecycle.ASSIGN)
    ProcessEvent.objects.bulk_create(events)

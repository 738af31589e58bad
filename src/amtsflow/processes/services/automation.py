"""Service tasks: run their connectors, turn failures into incidents with back-off, let operators retry or cancel.

A connector run and the record of its result (phase 1) commit together, in the transaction of the engine step
that completes the task (phase 2), which runs in a savepoint: if phase 2 fails, phase 1 still commits. A retry
finds the recorded result and reuses it, so a side effect (a letter filed, a mail sent) never happens twice for
one engine task.
"""

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from SpiffWorkflow.util.task import TaskState as SpiffState

from amtsflow.core.exceptions import Conflict
from amtsflow.processes import permissions as perms
from amtsflow.processes.connectors import ConnectorContext, ConnectorError, get_connector
from amtsflow.processes.constants import RETRY_DELAYS, IncidentState, InstanceStatus
from amtsflow.processes.engine import runtime
from amtsflow.processes.engine.expressions import ExpressionError, evaluate
from amtsflow.processes.models import ConnectorCall, Incident, ProcessInstance
from amtsflow.processes.services.instances import (
    WITHOUT_SOURCES,
    engine_actor,
    record_on_case,
    run_step,
    workflow_of,
)
from amtsflow.tenants.actor import Actor

logger = logging.getLogger(__name__)
MAX_STEPS_PER_RUN = 100  # a model looping through service tasks yields to other work after this many


def _inputs(spec: Any, data: dict[str, Any]) -> dict[str, Any]:
    """`=expr` inputs are evaluated safely against the process data; anything else is a literal."""
    values: dict[str, Any] = {}
    for name, raw in spec.connector_inputs.items():
        values[name] = evaluate(raw[1:], data) if isinstance(raw, str) and raw.startswith("=") else raw
    return values


def _call_once(instance: ProcessInstance, spiff_task: Any) -> dict[str, Any]:
    """Phase 1: the connector's result, from the record of an earlier run or by running it now, recorded in the
    caller's transaction together with the connector's own writes."""
    recorded = list(
        ConnectorCall.objects.filter(instance=instance, spiff_task_id=spiff_task.id).values_list("result", flat=True)
    )
    if recorded:
        return recorded[0]
    spec = spiff_task.task_spec
    connector = get_connector(spec.connector)
    data = dict(spiff_task.data)
    inputs = _inputs(spec, data)
    connector.check_inputs(inputs)
    context = ConnectorContext(
        actor=engine_actor(instance),
        instance_id=str(instance.public_id),
        case_id=str(instance.case_id),
        process_name=instance.version.name,
        idempotency_key=f"{instance.public_id}:{spiff_task.id}",
        data=data,
    )
    result = connector.run(context, inputs)
    ConnectorCall.objects.create(
        tenant=instance.tenant,
        instance=instance,
        spiff_task_id=spiff_task.id,
        connector=spec.connector,
        result=result,
    )
    return result


def _complete_connector_task(
    instance: ProcessInstance, workflow: Any, task_id: Any, result: dict[str, Any], *, incidents: bool
) -> ProcessInstance:
    """Phase 2: map the outputs into process variables, complete the task, advance; in the caller's transaction,
    on the instance it has locked and read. `incidents`: the instance has open incidents (one may be this task's,
    now resolved). Returns the instance as this step wrote it."""

    def complete(workflow: Any, log: runtime.StepLog) -> None:
        spiff_task = runtime.find_task(workflow, task_id)
        if spiff_task is None or spiff_task.state != SpiffState.READY:
            return  # completed by a parallel run meanwhile
        for variable, key in spiff_task.task_spec.connector_outputs.items():
            if key in result:
                spiff_task.data[variable] = result[key]
        spiff_task.run()
        log.note(spiff_task)

    instance = run_step(
        instance, complete, resource="system:connector", loaded=(instance.revision, workflow), locked=True
    )
    if incidents:
        Incident.objects.filter(instance=instance, spiff_task_id=task_id, state=IncidentState.OPEN).update(
            state=IncidentState.RESOLVED, resolved_at=timezone.now(), next_retry_at=None
        )
    return instance


def _record_failure(instance: ProcessInstance, spiff_task: Any, error: str) -> Incident:
    now = timezone.now()
    with transaction.atomic():
        incident = (
            Incident.objects.select_for_update()
            .filter(instance=instance, spiff_task_id=spiff_task.id, state=IncidentState.OPEN)
            .first()
        )
        if incident is None:
            incident = Incident(
                tenant=instance.tenant,
                instance=instance,
                spiff_task_id=spiff_task.id,
                element_id=spiff_task.task_spec.bpmn_id,
                activity=spiff_task.task_spec.bpmn_name or spiff_task.task_spec.bpmn_id,
                connector=spiff_task.task_spec.connector,
                attempts=0,
            )
        incident.attempts += 1
        incident.error = error[:4000]
        delay = RETRY_DELAYS[incident.attempts - 1] if incident.attempts <= len(RETRY_DELAYS) else None
        incident.next_retry_at = now + dt.timedelta(seconds=delay) if delay is not None else None
        incident.save()
    logger.warning("connector %s failed (attempt %s): %s", incident.connector, incident.attempts, error)
    return incident


def _lock(instance: ProcessInstance) -> ProcessInstance | None:
    """The instance read under its lock, with tenant, version and model, and whether it has open incidents (most
    have none, which spares both incident statements of a step)."""
    open_incidents = Incident.objects.filter(instance=OuterRef("pk"), state=IncidentState.OPEN)
    locked = (
        ProcessInstance.objects.select_for_update(of=("self",))
        .select_related("tenant", "version__model")
        .defer(*(f"version__{name}" for name in WITHOUT_SOURCES))
        .annotate(has_open_incidents=Exists(open_incidents))
    )
    return locked.filter(public_id=instance.public_id).first()


class _Stop(Exception):
    """Nothing (more) to run now."""


class _Failed(Exception):
    """A connector step failed: in phase 1 (nothing of it was written) or in phase 2 (phase 1 was committed)."""

    def __init__(self, instance: ProcessInstance, spiff_task: Any, error: Exception) -> None:
        super().__init__(str(error))
        self.instance, self.spiff_task, self.error = instance, spiff_task, error


def _step(instance: ProcessInstance) -> bool:
    """One connector task in one transaction: lock the instance, run the connector and record its result (phase
    1), complete the engine task and advance (phase 2). Locking first means two runs never call the same connector
    at once, and the lock order (the instance, then the case and the audit chain) is the one of every other step.
    If phase 2 fails, only its savepoint is rolled back: phase 1 still commits, so a retry reuses the recorded
    result and the side effect never happens twice. Returns whether the step left more connector tasks ready;
    raises `_Stop` or `_Failed`."""
    failure: Exception | None = None
    with transaction.atomic():
        locked = _lock(instance)
        if locked is None or locked.status != InstanceStatus.RUNNING:
            raise _Stop
        workflow = workflow_of(locked)
        ready = runtime.ready_connector_tasks(workflow)
        if not ready:
            raise _Stop
        spiff_task = ready[0]
        if locked.has_open_incidents:
            waiting = Incident.objects.filter(instance=locked, spiff_task_id=spiff_task.id, state=IncidentState.OPEN)
            if waiting.filter(Q(next_retry_at__gt=timezone.now()) | Q(next_retry_at__isnull=True)).exists():
                raise _Stop  # waits for its back-off or for an operator
        try:
            result = _call_once(locked, spiff_task)  # reads the workflow, never changes it
        except Exception as error:
            raise _Failed(locked, spiff_task, error) from error  # rolls back the connector's writes too
        try:
            with transaction.atomic():
                _complete_connector_task(locked, workflow, spiff_task.id, result, incidents=locked.has_open_incidents)
                # Asked before the commit: from then on the workflow may be another step's (see `workflow_of`).
                more = bool(runtime.ready_connector_tasks(workflow))
        except Exception as error:  # noqa: BLE001 - handed on below, once phase 1 has committed
            failure = error
    if failure is not None:
        raise _Failed(locked, spiff_task, failure) from failure
    return more


def run_connectors(instance: ProcessInstance) -> int:
    """Run the connector tasks that are ready, one engine step (and transaction) each, until none is left or one
    fails. Every step reads the instance under its lock; `instance` only names it, by its public ID."""
    steps = 0
    while steps < MAX_STEPS_PER_RUN:
        try:
            more = _step(instance)
        except _Stop:
            break
        except _Failed as failed:
            error = failed.error
            if isinstance(error, ConnectorError | ExpressionError):
                _record_failure(failed.instance, failed.spiff_task, str(error))
            else:  # a bug in a connector or a model must not lose the step: it becomes an incident
                logger.error("connector step failed", exc_info=error)
                _record_failure(failed.instance, failed.spiff_task, f"{type(error).__name__}: {error}")
            break
        steps += 1
        if not more:
            break
    return steps


def retry_due_incidents(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Incident.objects.filter(state=IncidentState.OPEN, next_retry_at__lte=now).select_related("instance")
    instances = {incident.instance for incident in due}
    for instance in instances:
        run_connectors(instance)
    return len(instances)


def retry_incident(*, actor: Actor, incident: Incident) -> Incident:
    """An operator retries now (after fixing the cause); the result shows at once in eager mode."""
    actor.require(perms.OPERATE)
    if incident.state != IncidentState.OPEN:
        raise Conflict(_("This incident is no longer open."))
    Incident.objects.filter(pk=incident.pk).update(next_retry_at=timezone.now() - dt.timedelta(seconds=1))
    record_on_case(actor, incident.instance, "incident.retried", activity=incident.activity)
    run_connectors(incident.instance)
    incident.refresh_from_db()
    return incident

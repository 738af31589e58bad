"""Service tasks: run their connectors, turn failures into incidents with back-off, let operators retry or cancel.

A connector run and the record of its result commit together (phase 1), before the engine moves on (phase 2).
If phase 2 fails or is retried, the recorded result is reused, so a side effect (a letter filed, a mail sent)
never happens twice for one engine task.
"""

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
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
from amtsflow.processes.services.instances import engine_actor, record_on_case, run_step
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
    """Phase 1: the connector's result, from the record of an earlier run or by running it now."""
    done = ConnectorCall.objects.filter(instance=instance, spiff_task_id=spiff_task.id).first()
    if done is not None:
        return done.result
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
    with transaction.atomic():
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
    instance: ProcessInstance, task_id: Any, result: dict[str, Any], loaded: tuple[int, Any] | None = None
) -> ProcessInstance:
    """Phase 2: map the outputs into process variables, complete the task, advance. `loaded`: see `run_step`.
    Returns the instance as this step wrote it."""

    def complete(workflow: Any, log: runtime.StepLog) -> None:
        spiff_task = runtime.find_task(workflow, task_id)
        if spiff_task is None or spiff_task.state != SpiffState.READY:
            return  # completed by a parallel run meanwhile
        for variable, key in spiff_task.task_spec.connector_outputs.items():
            if key in result:
                spiff_task.data[variable] = result[key]
        spiff_task.run()
        log.note(spiff_task)

    with transaction.atomic():
        instance = run_step(instance, complete, resource="system:connector", loaded=loaded)
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


def run_connectors(instance: ProcessInstance, *, fresh: bool = False) -> int:
    """Run the connector tasks that are ready, one engine step each, until none is left or one fails. `fresh`: the
    instance was just read, with its tenant, version and model, so it is not read again before the first step."""
    steps = 0
    # Tenant, version and model come along: every step needs them (engine actor, event log, audit).
    current = ProcessInstance._base_manager.select_related("tenant", "version__model")
    while steps < MAX_STEPS_PER_RUN:
        if not fresh:
            instance.refresh_from_db(from_queryset=current)
        # After a step of ours the instance is as that step committed it: what a re-read right after our commit
        # would give. Whoever moved it on since then makes the next step a Conflict (revision), looked at again.
        fresh = False
        if instance.status != InstanceStatus.RUNNING:
            break
        workflow = runtime.load(instance.state)
        ready = runtime.ready_connector_tasks(workflow)
        if not ready:
            break
        spiff_task = ready[0]
        waiting = Incident.objects.filter(instance=instance, spiff_task_id=spiff_task.id, state=IncidentState.OPEN)
        if waiting.filter(Q(next_retry_at__gt=timezone.now()) | Q(next_retry_at__isnull=True)).exists():
            break  # waits for its back-off or for an operator
        try:
            result = _call_once(instance, spiff_task)  # reads the workflow, never changes it
            instance = _complete_connector_task(instance, spiff_task.id, result, loaded=(instance.revision, workflow))
            fresh = True
        except (ConnectorError, ExpressionError) as error:
            _record_failure(instance, spiff_task, str(error))
            break
        except Conflict:
            continue  # someone else moved the instance on; look again
        except Exception as error:  # a bug in a connector must not lose the step: it becomes an incident
            logger.exception("connector step failed")
            _record_failure(instance, spiff_task, f"{type(error).__name__}: {error}")
            break
        steps += 1
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

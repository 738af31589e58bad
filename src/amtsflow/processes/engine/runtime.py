"""What the platform needs from a running SpiffWorkflow workflow: which tasks wait for people or connectors,
when the next timer is due, which activities a step completed. Nothing here touches the database."""

import datetime as dt
import functools
import json
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.task import Task as SpiffTask
from SpiffWorkflow.util.task import TaskState as SpiffState

from amtsflow.processes.engine.parser import ParsedModel, make_workflow, parse_model
from amtsflow.processes.engine.script_engine import install_safe_dmn, make_script_engine
from amtsflow.processes.engine.serializer import _serializer as new_serializer
from amtsflow.processes.engine.specs import ConnectorTask

# Spec classes whose completion is an activity in the event log (gateways and plain events are not).
_ACTIVITY_SUFFIXES = ("Task", "Activity", "Subprocess")


@dataclass
class StepLog:
    """Activities completed by the engine during one step, in order: (task, element id, name)."""

    completed: list[tuple[SpiffTask, str, str]] = field(default_factory=list)

    def note(self, task: SpiffTask) -> None:
        spec = task.task_spec
        if getattr(spec, "bpmn_id", None) and type(spec).__name__.endswith(_ACTIVITY_SUFFIXES):
            self.completed.append((task, spec.bpmn_id, spec.bpmn_name or spec.bpmn_id))


@functools.lru_cache(maxsize=64)
def _parsed(sha256: str, bpmn: str, dmn_json: str) -> ParsedModel:
    del sha256  # part of the cache key only: the content hash of the version
    dmn = [(item["name"], item["xml"].encode()) for item in json.loads(dmn_json)]
    return parse_model(bpmn.encode(), dmn)


def parsed_version(*, sha256: str, bpmn: str, dmn: list[dict[str, str]]) -> ParsedModel:
    """The parsed model of a deployed version; cached per process because versions never change."""
    return _parsed(sha256, bpmn, json.dumps(dmn, sort_keys=True))


def new_workflow(parsed: ParsedModel, data: dict) -> BpmnWorkflow:
    workflow = make_workflow(parsed, script_engine=make_script_engine())
    install_safe_dmn(workflow)
    workflow.data.update(data)
    start = workflow.get_tasks(state=SpiffState.READY)
    for task in start:
        task.data.update(data)
    return workflow


_local = threading.local()


def _serializer() -> BpmnWorkflowSerializer:
    """The serializer of this thread (`serializer.workflow_to_json`/`workflow_from_json` configure a new one per
    call, which costs about a third of a save). Not shared between threads: the registry flips an encoder flag
    while it serializes."""
    serializer = getattr(_local, "serializer", None)
    if serializer is None:
        serializer = _local.serializer = new_serializer()
    return serializer


def load(state: str) -> BpmnWorkflow:
    workflow = _serializer().deserialize_json(state)
    workflow.script_engine = make_script_engine()  # not serialized; the restored one is SpiffWorkflow's default
    install_safe_dmn(workflow)  # the serializer rebuilds plain DMN engines
    return workflow


def dump(workflow: BpmnWorkflow) -> str:
    return _serializer().serialize_json(workflow)


_PLAIN = frozenset({str, int, float, bool, type(None), Decimal, dt.date, UUID})


def _restores_identically(value: object) -> bool:
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is dict:
        return all(type(key) is str and _restores_identically(item) for key, item in value.items())
    if kind is list:
        return all(_restores_identically(item) for item in value)
    if kind is dt.datetime:  # ISO text keeps a fixed offset, not a zone with its DST rules
        return value.tzinfo is None or type(value.tzinfo) is dt.timezone
    if kind is dt.timedelta:  # stored as days and seconds
        return value.microseconds == 0
    return False  # tuples, sets, subclasses, callables: JSON gives back something else (or drops it)


def restores_identically(workflow: BpmnWorkflow) -> bool:
    """Whether `load(dump(workflow))` holds the same data as `workflow`: only then may a step go on with the
    workflow object itself instead of restoring its saved state. Pending events and correlations (payloads of any
    kind) count as no."""
    if workflow.bpmn_events or workflow.correlations:
        return False
    for flow in (workflow, *workflow.subprocesses.values()):
        if not _restores_identically(flow.data):
            return False
        for task in flow.tasks.values():
            if not (_restores_identically(task.data) and _restores_identically(task.internal_data)):
                return False
    return True


def advance(workflow: BpmnWorkflow, log: StepLog) -> None:
    """Run everything the engine can do by itself (gateways, scripts, rules, fired timers) until people,
    connectors or timers are needed."""
    workflow.refresh_timers()
    workflow.do_engine_steps(did_complete_task=log.note)


def tasks_in_state(workflow: BpmnWorkflow, state: int) -> list[SpiffTask]:
    return workflow.get_tasks(state=state)  # includes the tasks of subprocesses


def ready_user_tasks(workflow: BpmnWorkflow, parsed: ParsedModel) -> list[SpiffTask]:
    return [t for t in tasks_in_state(workflow, SpiffState.READY) if t.task_spec.bpmn_id in parsed.user_tasks]


def ready_connector_tasks(workflow: BpmnWorkflow) -> list[SpiffTask]:
    return [t for t in tasks_in_state(workflow, SpiffState.READY) if isinstance(t.task_spec, ConnectorTask)]


def find_task(workflow: BpmnWorkflow, task_id: object) -> SpiffTask | None:
    try:
        return workflow.get_task_from_id(task_id)
    except Exception:  # noqa: BLE001 - Spiff raises its own TaskNotFoundException or KeyError by version
        return None


def next_timer(workflow: BpmnWorkflow) -> dt.datetime | None:
    """When the earliest waiting timer is due (Spiff stores it as ISO text once a timer task is waiting)."""
    due: list[dt.datetime] = []
    for event in workflow.waiting_events():
        value = event.value
        if isinstance(value, dict):  # cycle timers keep their next occurrence in a dict
            value = value.get("next")
        if not isinstance(value, str):
            continue
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            continue
        due.append(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))
    return min(due) if due else None


def is_completed(workflow: BpmnWorkflow) -> bool:
    return workflow.is_completed()

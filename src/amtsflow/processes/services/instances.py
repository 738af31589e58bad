"""Process instances: start (UI, API, event, sandbox), each engine step saved with its domain changes in one
transaction, timers, cancellation. Every instance belongs to a case in the E-Akte."""

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from amtsflow.audit import services as audit
from amtsflow.core.events import DomainEvent
from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.files import permissions as files_perms
from amtsflow.files import selectors as files_selectors
from amtsflow.files import services as files_services
from amtsflow.processes import permissions as perms
from amtsflow.processes.constants import InstanceStatus, Lifecycle, StartChannel, TaskState
from amtsflow.processes.engine import runtime
from amtsflow.processes.engine.parser import ParsedModel
from amtsflow.processes.forms import make_form
from amtsflow.processes.models import ProcessEvent, ProcessInstance, ProcessModel, ProcessVersion
from amtsflow.processes.services.inbox_sync import sync_tasks
from amtsflow.tenants.actor import Actor

logger = logging.getLogger(__name__)


# Parsed models by the content hash of their version (over BPMN and DMN; versions never change), so the hot paths
# read versions without their BPMN and DMN text (`WITHOUT_SOURCES`); the text is loaded only to parse.
_parsed_by_sha: dict[str, ParsedModel] = {}
_PARSED_KEPT = 64
WITHOUT_SOURCES = ("bpmn", "dmn")


def parsed_for(version: ProcessVersion) -> ParsedModel:
    parsed = _parsed_by_sha.get(version.sha256)
    if parsed is None:
        parsed = runtime.parsed_version(sha256=version.sha256, bpmn=version.bpmn, dmn=version.dmn)
        if len(_parsed_by_sha) >= _PARSED_KEPT:
            _parsed_by_sha.clear()
        _parsed_by_sha[version.sha256] = parsed
    return parsed


def engine_actor(instance: ProcessInstance) -> Actor:
    """The platform acting for the process: files letters, sets case status."""
    return Actor.for_system(instance.tenant, f"process:{instance.version.model.key}")


def latest_version(model: ProcessModel) -> ProcessVersion:
    version = model.versions.order_by("-number").defer(*WITHOUT_SOURCES).first()
    if version is None:
        raise Conflict(_("The process %(name)s has not been deployed yet.") % {"name": model.name})
    return version


def json_safe(values: Mapping[str, Any]) -> dict[str, Any]:
    """Process values for the audit trail: dates and decimals as text."""
    plain = str | int | float | bool | dict | list | None
    return {key: value if isinstance(value, plain) else str(value) for key, value in values.items()}


def record_on_case(actor: Actor | None, instance: ProcessInstance, action: str, **details: Any) -> None:
    """Process steps and decisions go into the history of the case in the E-Akte."""
    safe = json_safe(details)
    audit.record(
        actor=actor,
        tenant=instance.tenant,
        action=action,
        object_type="files.vorgang",
        object_id=str(instance.case_id),
        object_label=instance.case_label,
        details={"process": instance.version.name, "instance": str(instance.public_id), **safe},
    )


def log_event(
    instance: ProcessInstance, *, activity: str, element_id: str, lifecycle: str, resource: str, at: dt.datetime
) -> None:
    ProcessEvent.objects.create(
        tenant_id=instance.tenant_id,
        instance=instance,
        case_id=instance.case_id,
        process_key=instance.version.model.key,
        activity=activity,
        element_id=element_id,
        lifecycle=lifecycle,
        timestamp=at,
        resource=resource,
        is_test=instance.is_test,
    )


def _open_case(actor: Actor, version: ProcessVersion, case_id: str | None, subject: str, is_test: bool):  # noqa: ANN202, FBT001
    if case_id:
        return files_selectors.get_vorgang(actor=actor, public_id=case_id)
    if not actor.can(files_perms.EDIT):
        raise ValidationFailed(_("Name the case this process belongs to."), field_errors={"case": [_("Required.")]})
    return files_services.open_process_case(
        actor=actor,
        plan_entry_number=version.plan_entry,
        file_title=version.name,
        subject=subject,
        is_test=is_test,
    )


def save_step(
    instance: ProcessInstance,
    workflow: BpmnWorkflow,
    parsed: ParsedModel,
    log: runtime.StepLog,
    *,
    resource: str,
    new: bool = False,
    waited_before: bool = True,
) -> ProcessInstance:
    """Advance the engine, then write its state, the inbox rows and the event log in the caller's transaction.
    A writer holding an older revision loses (the other tab, the other clerk, a parallel timer run). `new`: the
    instance is not saved yet; it is inserted here, with its first state, at revision 1. `waited_before`: see
    `sync_tasks`."""
    runtime.advance(workflow, log)
    now = timezone.now()
    completed = runtime.is_completed(workflow)
    values = {
        "state": runtime.dump(workflow),
        "status": InstanceStatus.COMPLETED if completed else InstanceStatus.RUNNING,
        "completed_at": now if completed else None,
        "next_timer_at": None if completed else runtime.next_timer(workflow),
        "updated_at": now,
    }
    if new:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.revision = 1
        instance.save(force_insert=True)
    else:
        updated = ProcessInstance.objects.filter(pk=instance.pk, revision=instance.revision).update(
            revision=F("revision") + 1, **values
        )
        if updated != 1:
            raise Conflict(_("Someone else changed this process at the same time. Please reload and try again."))
        # The row now holds exactly what was written (it was at our revision, and the caller's transaction holds
        # its lock), so take the values over instead of reading them back; that also keeps the cached tenant,
        # version and model, which never change for an instance.
        for name, value in values.items():
            setattr(instance, name, value)
        instance.revision += 1
    for _task, element_id, name in log.completed:
        log_event(
            instance, activity=name, element_id=element_id, lifecycle=Lifecycle.COMPLETE, resource=resource, at=now
        )
    sync_tasks(instance, workflow, parsed, new=new, waited_before=waited_before)
    keep_after_commit(instance, workflow)  # before the queued connector run, which is eager in tests and the bench
    if runtime.ready_connector_tasks(workflow):
        _queue_connectors(instance)
    if completed:
        record_on_case(None, instance, "process.completed")
    return instance


# Workflows as their last step committed them, by instance pk: (public ID, revision, workflow). The next step of
# the same instance in this process goes on with the object instead of restoring the saved JSON (the restore is
# the largest engine cost of a step). Filled only after commit, so a rolled-back step never leaves its changes
# here; taken out before use, so only one step ever works on an object; used only if the row, read under its
# lock, is still at that revision. The public ID guards against a reused pk (SQLite may reuse a deleted one).
_KEPT_WORKFLOWS = 256
_kept: dict[int, tuple[uuid.UUID, int, BpmnWorkflow]] = {}
_kept_lock = threading.Lock()


def keep_after_commit(instance: ProcessInstance, workflow: BpmnWorkflow) -> None:
    """Keep `workflow`, which is exactly the state `instance` now holds, for the instance's next step once the
    caller's transaction commits; not the workflow of a finished instance, nor one whose data JSON would change."""
    if instance.status != InstanceStatus.RUNNING or not runtime.restores_identically(workflow):
        return
    pk, entry = instance.pk, (instance.public_id, instance.revision, workflow)

    def keep() -> None:
        with _kept_lock:
            _kept.pop(pk, None)
            _kept[pk] = entry
            while len(_kept) > _KEPT_WORKFLOWS:
                del _kept[next(iter(_kept))]  # the oldest

    transaction.on_commit(keep)


def workflow_of(instance: ProcessInstance) -> BpmnWorkflow:
    """The workflow at the revision `instance` was read at (under its lock): the kept object if it is that one,
    else restored from the state. The caller owns the object; it is kept again only by a committed step."""
    with _kept_lock:
        kept = _kept.pop(instance.pk, None)
    if kept is not None and kept[0] == instance.public_id and kept[1] == instance.revision:
        return kept[2]
    return runtime.load(instance.state)


def form_values(
    actor: Actor, fields: list[Any], data: Mapping[str, Any], files: Mapping[str, UploadedFile], case_id: Any
) -> dict[str, Any]:
    """Validate process form data with the form built from the model (the same for UI and API) and file its
    uploads in the case; returns the process variables to set."""
    form = make_form(fields, data=data, files=files)
    if not form.is_valid():
        raise ValidationFailed(
            _("Please correct the marked fields."),
            field_errors={name: [str(e) for e in errors] for name, errors in form.errors.items()},
        )
    values: dict[str, Any] = {}
    for spec in fields:
        value = form.cleaned_data.get(spec.id)
        if spec.type == "file":
            if value:
                vorgang = files_selectors.get_vorgang(actor=actor, public_id=case_id)
                document = files_services.file_document(actor=actor, vorgang=vorgang, upload=value, filename=value.name)
                values[spec.id] = {"document_id": str(document.public_id), "filename": value.name}
        elif not spec.readonly:
            values[spec.id] = value
    return values


def _queue_connectors(instance: ProcessInstance) -> None:
    from amtsflow.processes.tasks import run_connectors  # noqa: PLC0415 - tasks import the services

    tenant_id, instance_id = instance.tenant_id, str(instance.public_id)
    transaction.on_commit(lambda: run_connectors.delay(tenant_id=tenant_id, instance_id=instance_id))


@transaction.atomic
def start_instance(
    *,
    actor: Actor,
    model: ProcessModel,
    data: Mapping[str, Any] | None = None,
    case_id: str | None = None,
    subject: str = "",
    business_key: str = "",
    channel: str = StartChannel.UI,
    is_test: bool = False,
    version: ProcessVersion | None = None,
    files: Mapping[str, UploadedFile] | None = None,
) -> ProcessInstance:
    """Start the latest deployed version (or the one given) in a given case, or in a new case filed under the
    model's plan entry. Sandbox instances and their cases are marked as tests. People starting through the UI
    or the API fill the model's start form, validated like a task form; its uploads are filed in the case.
    Events pass their payload as it is."""
    actor.require(perms.MODEL if is_test else perms.WORK)
    version = version or latest_version(model)
    parsed = parsed_for(version)
    vorgang = _open_case(actor, version, case_id, subject or f"{version.name} {business_key}".strip(), is_test)
    fields = list(parsed.start_form_fields) if channel != StartChannel.EVENT else []
    values = dict(data or {})
    if fields:
        values = form_values(actor, fields, values, files or {}, vorgang.public_id)
    workflow = runtime.new_workflow(parsed, values)
    instance = ProcessInstance(  # inserted by save_step below, with the state after the engine's first run
        tenant=actor.tenant,
        version=version,
        is_test=is_test or vorgang.is_test,
        case_id=vorgang.public_id,
        case_label=f"{vorgang.akte.aktenzeichen}-{vorgang.number}",
        org_unit=vorgang.org_unit,
        business_key=business_key,
        started_via=StartChannel.SANDBOX if is_test else channel,
        started_by=actor.membership,
    )
    record_on_case(actor, instance, "process.started", version=version.number, test=is_test)
    log = runtime.StepLog()
    return save_step(instance, workflow, parsed, log, resource=actor.label, new=True)


# Actors of running processes and of event starts: what they raise must not start processes (no loops).
PROCESS_ACTOR_PREFIXES = ("process:", "event:")


def start_for_event(event: DomainEvent) -> list[ProcessInstance]:
    """Start every deployed process configured for this event in the event's tenant. Events raised by a process
    itself never start processes, so a process filing a letter cannot start itself again."""
    actor = event.actor
    if actor is None or actor.system_name.startswith(PROCESS_ACTOR_PREFIXES):
        return []
    from amtsflow.tenants.context import tenant_scope  # noqa: PLC0415

    started: list[ProcessInstance] = []
    with tenant_scope(actor.tenant):
        for model in ProcessModel.objects.filter(start_event=event.name):
            if not model.versions.exists():
                continue
            system = Actor.for_system(actor.tenant, f"event:{event.name}")
            try:
                started.append(
                    start_instance(
                        actor=system,
                        model=model,
                        data={"event": event.name, **event.payload},
                        case_id=event.case_id,
                        subject=str(event.payload.get("subject", "")),
                        channel=StartChannel.EVENT,
                    )
                )
            except Exception:
                logger.exception("process %s could not be started for event %s", model.key, event.name)
    return started


def _locked(instance: ProcessInstance) -> ProcessInstance:
    locked = ProcessInstance.objects.select_for_update(of=("self",)).select_related("tenant", "version__model")
    return locked.defer(*(f"version__{name}" for name in WITHOUT_SOURCES)).get(pk=instance.pk)


def run_step(
    instance: ProcessInstance,
    change: Callable[[BpmnWorkflow, runtime.StepLog], None],
    *,
    resource: str,
    loaded: tuple[int, BpmnWorkflow] | None = None,
    locked: bool = False,
) -> ProcessInstance:
    """Lock the instance, load its workflow, apply a change, advance and save — all in the caller's transaction.
    `loaded` is (revision, workflow) the caller restored from the state of that revision and left unchanged; it is
    used instead of restoring the state again if the locked row is still at that revision. `locked`: the caller
    has already locked the instance in this transaction and read it, with tenant, version and model, under that
    lock (so it is current)."""
    if not locked:
        instance = _locked(instance)
    if instance.status != InstanceStatus.RUNNING:
        raise Conflict(_("This process is no longer running."))
    parsed = parsed_for(instance.version)
    reuse = loaded is not None and loaded[0] == instance.revision
    workflow = loaded[1] if reuse else workflow_of(instance)
    waited_before = bool(runtime.ready_user_tasks(workflow, parsed))
    log = runtime.StepLog()
    change(workflow, log)
    return save_step(instance, workflow, parsed, log, resource=resource, waited_before=waited_before)


def fire_due_timers(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Advance every running instance of the current tenant whose next timer is due. Returns how many moved."""
    now = now or timezone.now()
    due = list(
        ProcessInstance.objects.filter(status=InstanceStatus.RUNNING, next_timer_at__lte=now).values_list(
            "pk", flat=True
        )[:limit]
    )
    fired = 0
    for pk in due:
        try:
            with transaction.atomic():
                instance = ProcessInstance.objects.get(pk=pk)
                run_step(instance, lambda _workflow, _log: None, resource="system:timer")
                fired += 1
        except Conflict:
            continue  # moved on by someone else meanwhile; the next round sees its new timer
    return fired


@transaction.atomic
def cancel_instance(*, actor: Actor, instance: ProcessInstance, reason: str) -> ProcessInstance:
    actor.require(perms.OPERATE)
    if not reason.strip():
        raise ValidationFailed(_("Give a reason."), field_errors={"reason": [_("Required.")]})
    instance = _locked(instance)
    if instance.status != InstanceStatus.RUNNING:
        raise Conflict(_("This process is no longer running."))
    workflow = runtime.load(instance.state)
    workflow.cancel()
    now = timezone.now()
    ProcessInstance.objects.filter(pk=instance.pk).update(
        state=runtime.dump(workflow),
        revision=F("revision") + 1,
        status=InstanceStatus.CANCELLED,
        completed_at=now,
        next_timer_at=None,
    )
    for task in instance.tasks.filter(state=TaskState.OPEN):
        task.state = TaskState.CANCELLED
        task.save(update_fields=["state", "updated_at"])
        log_event(
            instance,
            activity=task.name,
            element_id=task.element_id,
            lifecycle=Lifecycle.ABORT,
            resource=actor.label,
            at=now,
        )
    instance.incidents.filter(state="open").update(state="cancelled", resolved_at=now, next_retry_at=None)
    record_on_case(actor, instance, "process.cancelled", reason=reason.strip())
    instance.refresh_from_db()
    return instance

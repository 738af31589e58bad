"""Separation of duties (four-eyes principle), declared in the model: a user task whose camunda:property
"amtsflow:notCompletedBy" names other user tasks may not be claimed or completed by whoever completed one of
those in the same instance. People are told why; the inbox does not offer them such tasks.

Members are recognised by their membership, API clients by their name (the resource in the event log).
"""

from django.utils.translation import gettext as _

from amtsflow.core.exceptions import Conflict
from amtsflow.processes.constants import InstanceStatus, Lifecycle, TaskState
from amtsflow.processes.engine import runtime
from amtsflow.processes.models import ProcessEvent, ProcessVersion, Task
from amtsflow.tenants.actor import Actor

# Rules by the content hash of a deployed version: versions never change, and the hash (unlike a row id) never
# names another model.
_rules_by_sha: dict[str, dict[str, tuple[str, ...]]] = {}


def _rules(sha256: str, version_pk: int) -> dict[str, tuple[str, ...]]:
    """element id -> element ids whose completer is barred from it."""
    if sha256 not in _rules_by_sha:
        version = ProcessVersion.objects.get(pk=version_pk)
        parsed = runtime.parsed_version(sha256=version.sha256, bpmn=version.bpmn, dmn=version.dmn)
        _rules_by_sha[sha256] = {
            key: info.not_completed_by for key, info in parsed.user_tasks.items() if info.not_completed_by
        }
    return _rules_by_sha[sha256]


def barred_elements(task: Task) -> tuple[str, ...]:
    version = task.instance.version
    return _rules(version.sha256, version.pk).get(task.element_id, ())


def _completed_by_actor(actor: Actor, task: Task, elements: tuple[str, ...]) -> list[str]:
    """Names of the listed tasks of the same instance that this actor completed."""
    if actor.membership is not None:
        done = Task.objects.filter(
            instance_id=task.instance_id,
            element_id__in=elements,
            state=TaskState.COMPLETED,
            completed_by=actor.membership,
        )
        return list(done.values_list("name", flat=True))
    events = ProcessEvent.objects.filter(
        instance_id=task.instance_id, element_id__in=elements, lifecycle=Lifecycle.COMPLETE, resource=actor.label
    )
    return list(events.values_list("activity", flat=True))


def separation_notice(actor: Actor, task: Task) -> str:
    """Why this actor may not claim or complete the task (four-eyes principle), or "" when nothing bars it."""
    elements = barred_elements(task)
    if not elements or actor.is_system:
        return ""
    done = _completed_by_actor(actor, task, elements)
    if not done:
        return ""
    message = _(
        "Four-eyes principle: you completed “%(done)s” for this case, so someone else must complete “%(task)s”."
    )
    return message % {"done": done[0], "task": task.name}


def require_other_person(actor: Actor, task: Task) -> None:
    """Refuse claiming or completing a task by the person who completed a task it is separated from."""
    notice = separation_notice(actor, task)
    if notice:
        raise Conflict(notice)


def barred_task_ids(actor: Actor) -> list[int]:
    """Open tasks the member may not complete because of separation rules, to leave them out of the inbox.
    Only instances in which the member completed a task can hold such tasks."""
    membership = actor.membership
    if membership is None:
        return []
    mine = Task.objects.filter(
        state=TaskState.COMPLETED, completed_by=membership, instance__status=InstanceStatus.RUNNING
    )
    worked: dict[int, set[str]] = {}
    for instance_id, element_id in mine.values_list("instance_id", "element_id"):
        worked.setdefault(instance_id, set()).add(element_id)
    if not worked:
        return []
    waiting = Task.objects.filter(state=TaskState.OPEN, instance_id__in=list(worked))
    rows = waiting.values_list("pk", "instance_id", "element_id", "instance__version__sha256", "instance__version_id")
    return [
        pk
        for pk, instance_id, element_id, sha256, version_pk in rows
        if worked[instance_id] & set(_rules(sha256, version_pk).get(element_id, ()))
    ]


def barred_membership_ids(task: Task) -> set[int]:
    """Members who may not complete this task (they completed one it is separated from): no reminders to them."""
    elements = barred_elements(task)
    if not elements:
        return set()
    done = Task.objects.filter(
        instance_id=task.instance_id, element_id__in=elements, state=TaskState.COMPLETED, completed_by__isnull=False
    )
    return set(done.values_list("completed_by_id", flat=True))

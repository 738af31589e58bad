"""Read side of the process engine: inbox, models, instances, incidents, event log; and what other apps may
ask about the instances their processes run (they never read the engine's tables themselves)."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from amtsflow.core.selectors import get_by_public_id
from amtsflow.processes import permissions as perms
from amtsflow.processes.constants import InstanceStatus, Lifecycle, TaskState
from amtsflow.processes.models import (
    Incident,
    ProcessEvent,
    ProcessInstance,
    ProcessModel,
    ProcessVersion,
    Task,
    TaskCandidate,
)
from amtsflow.processes.services.separation import barred_task_ids
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.constants import Role
from amtsflow.tenants.models import Membership, OrgUnit


def _unit_and_below(unit: OrgUnit) -> set[int]:
    units = list(OrgUnit.objects.values_list("pk", "parent_id"))
    found, frontier = {unit.pk}, {unit.pk}
    while frontier:
        frontier = {pk for pk, parent in units if parent in frontier} - found
        found |= frontier
    return found


def _candidate_filter(actor: Actor) -> Q:
    """Tasks offered to the member: assigned to them, or unassigned and offered to one of their roles, groups,
    their unit, or them by name. Heads of department also see every task of their unit and the units below."""
    membership = actor.membership
    if membership is None:
        return Q(pk__in=[])
    unit = membership.org_unit
    offered = (
        Q(kind=TaskCandidate.Kind.ROLE, key__in=list(actor.roles))
        | Q(kind=TaskCandidate.Kind.GROUP, key__in=list(membership.groups.values_list("name", flat=True)))
        | Q(kind=TaskCandidate.Kind.USER, key=membership.user.get_username())
    )
    if unit is not None:
        offered |= Q(kind=TaskCandidate.Kind.UNIT, key__in=[k for k in (unit.code, unit.name) if k])
    candidate = Exists(TaskCandidate.objects.filter(offered, task=OuterRef("pk")))
    no_candidates = ~Exists(TaskCandidate.objects.filter(task=OuterRef("pk")))
    mine = Q(assignee=membership) | Q(assignee__isnull=True) & (candidate | no_candidates)
    if Role.HEAD_OF_DEPARTMENT in actor.roles and unit is not None:
        mine |= Q(org_unit_id__in=_unit_and_below(unit))
    return mine


def list_tasks(*, actor: Actor, include_test: bool = False, everything: bool = False) -> QuerySet[Task]:
    """The inbox. `everything` (process owners and admins) lists all tasks of the tenant."""
    actor.require(perms.VIEW)
    tasks = Task.objects.select_related("instance__version__model", "assignee__user", "org_unit")
    if not (everything and actor.can(perms.OPERATE)) and actor.api_client is None:
        tasks = tasks.filter(_candidate_filter(actor))
        if not everything:  # the inbox leaves out what four-eyes rules bar; opened directly, the task says why
            tasks = tasks.exclude(pk__in=barred_task_ids(actor))
    return tasks if include_test else tasks.filter(is_test=False)


def offered_to(task: Task) -> list[str]:
    """Whom an unassigned task is offered to, in words: role names, unit names, groups, people."""
    return offered_to_many([task])[task.pk]


def offered_to_many(tasks: list[Task]) -> dict[int, list[str]]:
    """`offered_to` for a page of tasks in three queries, whatever their number."""
    candidates: dict[int, list[tuple[str, str]]] = {task.pk: [] for task in tasks}
    for task_id, kind, key in TaskCandidate.objects.filter(task_id__in=list(candidates)).values_list(
        "task_id", "kind", "key"
    ):
        candidates[task_id].append((kind, key))
    every = [pair for pairs in candidates.values() for pair in pairs]
    unit_keys = {key for kind, key in every if kind == TaskCandidate.Kind.UNIT}
    units = {}
    for unit in OrgUnit.objects.filter(Q(code__in=unit_keys) | Q(name__in=unit_keys)):
        units[unit.code], units[unit.name] = unit.name, unit.name
    usernames = {key for kind, key in every if kind == TaskCandidate.Kind.USER}
    people = {
        m.user.get_username(): m.user.get_full_name() or m.user.get_username()
        for m in Membership.objects.filter(user__username__in=usernames).select_related("user")
    }

    def label(kind: str, key: str) -> str:
        if kind == TaskCandidate.Kind.ROLE and key in Role.values:
            return str(Role(key).label)
        if kind == TaskCandidate.Kind.UNIT:
            return units.get(key, key)
        if kind == TaskCandidate.Kind.USER:
            return people.get(key, key)
        return key

    return {task_id: [label(kind, key) for kind, key in sorted(pairs)] for task_id, pairs in candidates.items()}


def get_task(*, actor: Actor, public_id: uuid.UUID | str) -> Task:
    return get_by_public_id(list_tasks(actor=actor, include_test=True, everything=True), public_id)


def open_tasks(queryset: QuerySet[Task]) -> QuerySet[Task]:
    return queryset.filter(state=TaskState.OPEN)


def list_models(*, actor: Actor) -> QuerySet[ProcessModel]:
    actor.require(perms.VIEW)
    return ProcessModel.objects.all()


def get_model(*, actor: Actor, public_id: uuid.UUID | str) -> ProcessModel:
    return get_by_public_id(list_models(actor=actor), public_id)


def list_versions(*, actor: Actor, model: ProcessModel) -> QuerySet[ProcessVersion]:
    actor.require(perms.VIEW)
    return model.versions.select_related("deployed_by__user")


def list_instances(*, actor: Actor, include_test: bool = False) -> QuerySet[ProcessInstance]:
    actor.require(perms.VIEW)
    instances = ProcessInstance.objects.select_related("version__model", "started_by__user")
    return instances if include_test else instances.filter(is_test=False)


def get_instance(*, actor: Actor, public_id: uuid.UUID | str) -> ProcessInstance:
    return get_by_public_id(list_instances(actor=actor, include_test=True), public_id)


def list_incidents(*, actor: Actor) -> QuerySet[Incident]:
    actor.require(perms.OPERATE)
    return Incident.objects.select_related("instance__version__model")


def get_incident(*, actor: Actor, public_id: uuid.UUID | str) -> Incident:
    return get_by_public_id(list_incidents(actor=actor), public_id)


def list_events(*, actor: Actor, process_key: str | None = None, include_test: bool = False) -> QuerySet[ProcessEvent]:
    actor.require(perms.VIEW)
    events = ProcessEvent.objects.all()
    if process_key:
        events = events.filter(process_key=process_key)
    return events if include_test else events.filter(is_test=False)


# --- for other apps: the instances their processes run, by public id (they hold no rows of this app)


def model_by_key(key: str) -> ProcessModel | None:
    """The active tenant's model of that process id, if imported."""
    return ProcessModel.objects.filter(key=key).first()


def is_running(instance_id: str) -> bool:
    return (
        bool(instance_id)
        and ProcessInstance.objects.filter(public_id=instance_id, status=InstanceStatus.RUNNING).exists()
    )


def open_tasks_of(instance_id: str) -> QuerySet[Task]:
    """The open user tasks of one instance, oldest first (none for an empty id)."""
    if not instance_id:
        return Task.objects.none()
    tasks = Task.objects.filter(instance__public_id=instance_id, state=TaskState.OPEN)
    return tasks.select_related("instance__version", "assignee__user").order_by("created_at")


@dataclass(frozen=True)
class Completion:
    """Who completed a user task: a member, or the label of an API client or system in the event log."""

    membership: Membership | None
    label: str
    at: dt.datetime


def last_completion(instance_id: str) -> Completion | None:
    """Who completed the instance's most recent user task (the one a following service task acts on)."""
    task = (
        Task.objects.filter(instance__public_id=instance_id, state=TaskState.COMPLETED)
        .select_related("completed_by__user")
        .order_by("-completed_at", "-pk")
        .first()
    )
    if task is None:
        return None
    if task.completed_by is not None:
        user = task.completed_by.user
        return Completion(task.completed_by, user.get_full_name() or user.get_username(), task.completed_at)
    event = (
        ProcessEvent.objects.filter(instance=task.instance, element_id=task.element_id, lifecycle=Lifecycle.COMPLETE)
        .order_by("-timestamp", "-pk")
        .first()
    )
    return Completion(None, event.resource if event else "—", task.completed_at)

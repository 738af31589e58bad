"""Reminder mails for overdue tasks: once per task, to the assignee or else to everyone the task is offered to
(except those the four-eyes rule bars from it)."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsflow.processes.constants import TaskState
from amtsflow.processes.models import Task, TaskCandidate
from amtsflow.processes.services.separation import barred_membership_ids
from amtsflow.tenants.models import Membership


def people_for(task: Task) -> QuerySet[Membership]:
    """The active members a task is meant for right now."""
    members = Membership.objects.filter(tenant_id=task.tenant_id, is_active=True).select_related("user")
    if task.assignee_id:
        return members.filter(pk=task.assignee_id)
    keys: dict[str, list[str]] = {kind: [] for kind in TaskCandidate.Kind.values}
    for kind, key in task.candidates.values_list("kind", "key"):
        keys[kind].append(key)
    offered = (
        Q(role_assignments__role__in=keys["role"])
        | Q(groups__name__in=keys["group"])
        | Q(org_unit__code__in=keys["unit"])
        | Q(org_unit__name__in=keys["unit"])
        | Q(user__username__in=keys["user"])
    )
    return members.filter(offered).exclude(pk__in=barred_membership_ids(task)).distinct()


def remind_overdue_tasks(*, now: dt.datetime | None = None) -> int:
    """Mail a reminder for each open task of the current tenant that is past its due date; returns how many."""
    now = now or timezone.now()
    overdue = Task.objects.filter(state=TaskState.OPEN, due_at__lt=now, reminded_at__isnull=True, is_test=False)
    sent = 0
    for task in overdue.select_related("instance__version", "tenant"):
        addresses = sorted({m.user.email for m in people_for(task) if m.user.email})
        if addresses:
            path = reverse("processes:task_detail", kwargs={"tenant_slug": task.tenant.slug, "task_id": task.public_id})
            send_mail(
                subject=_("Overdue: %(task)s (%(case)s)") % {"task": task.name, "case": task.instance.case_label},
                message=_("The task “%(task)s” of the process “%(process)s” was due on %(due)s.\n\n%(url)s")
                % {
                    "task": task.name,
                    "process": task.instance.version.name,
                    "due": timezone.localtime(task.due_at).strftime("%d.%m.%Y %H:%M"),
                    "url": settings.BASE_URL.rstrip("/") + path,
                },
                from_email=None,
                recipient_list=addresses,
            )
        Task.objects.filter(pk=task.pk).update(reminded_at=now)
        sent += 1
    return sent

from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtsflow.processes.constants import TaskState
from amtsflow.processes.models import Task
from amtsflow.tenants.actor import Actor


class InboxFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("My tasks and my groups' tasks")), ("mine", _("Assigned to me")), ("all", _("All tasks"))],
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=TaskState.choices)
    due = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[("", _("any time")), ("overdue", _("overdue")), ("today", _("due today or earlier"))],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("due_at", _("due date")), ("-created_at", _("newest first")), ("created_at", _("oldest first"))],
    )

    def __init__(self, *args: object, can_see_all: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not can_see_all:
            self.fields["scope"].choices = self.fields["scope"].choices[:2]

    def apply(self, tasks: QuerySet[Task], actor: Actor) -> QuerySet[Task]:
        data = self.cleaned_data
        tasks = tasks.filter(state=data.get("state") or TaskState.OPEN)
        if data.get("scope") == "mine":
            tasks = tasks.filter(assignee=actor.membership)
        now = timezone.now()
        if data.get("due") == "overdue":
            tasks = tasks.filter(due_at__lt=now)
        elif data.get("due") == "today":
            tasks = tasks.filter(due_at__date__lte=timezone.localdate())
        if query := data.get("q"):
            tasks = tasks.filter(name__icontains=query) | tasks.filter(instance__case_label__icontains=query)
        ordering = data.get("ordering") or "due_at"
        # Tasks without a due date sort after those with one.
        field = F(ordering.lstrip("-"))
        expression = field.desc(nulls_last=True) if ordering.startswith("-") else field.asc(nulls_last=True)
        return tasks.order_by(expression, "pk")

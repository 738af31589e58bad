"""Task inbox: my tasks and my groups' tasks, filters and sorting, claim/unclaim/delegate/complete."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amtsflow.core.exceptions import DomainError, NotFound, PermissionDenied
from amtsflow.core.forms import add_domain_error
from amtsflow.core.htmx import render_page
from amtsflow.processes import permissions as perms
from amtsflow.processes import selectors, services
from amtsflow.processes.constants import TaskState
from amtsflow.processes.forms import make_form
from amtsflow.processes.views.common import act, actor_of, url
from amtsflow.processes.views.filters import InboxFilterForm
from amtsflow.tenants import selectors as tenant_selectors


@require_GET
def inbox(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    filters = InboxFilterForm(request.GET, can_see_all=actor.can(perms.OPERATE))
    tasks = selectors.list_tasks(
        actor=actor, everything=filters.is_valid() and filters.cleaned_data.get("scope") == "all"
    )
    tasks = filters.apply(tasks, actor) if filters.is_valid() else tasks.filter(state=TaskState.OPEN)
    page = Paginator(tasks, 25).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    offered = selectors.offered_to_many(page.object_list)
    for task in page.object_list:
        task.offered_to = ", ".join(offered[task.pk])
    return render_page(
        request,
        "processes/inbox.html",
        {"filters": filters, "page": page},
        fragment="processes/partials/task_rows.html",
    )


def _task_context(request: HttpRequest, task, form=None) -> dict:  # noqa: ANN001
    actor = actor_of(request)
    fields = services.form_fields(task)
    variables = services.task_variables(task) if task.state == TaskState.OPEN else {}
    can_work = actor.can(perms.WORK) and task.state == TaskState.OPEN
    return {
        "task": task,
        "form": form or make_form(fields, current=variables),
        "variables": {k: v for k, v in variables.items() if not str(k).startswith("_")},
        "mine": actor.membership is not None and task.assignee_id == actor.membership.pk,
        "members": tenant_selectors.list_members(actor=actor) if actor.can(perms.WORK) else [],
        "can_work": can_work,
        # Said before anyone fills the form: claiming or completing would be refused anyway.
        "barred": services.separation_notice(actor, task) if can_work else "",
    }


@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, tenant_slug: str, task_id: str) -> HttpResponse:
    actor = actor_of(request)
    task = selectors.get_task(actor=actor, public_id=task_id)
    if request.method == "POST":
        form = make_form(services.form_fields(task), data=request.POST, files=request.FILES)
        try:
            services.complete_task(actor=actor, task=task, data=request.POST, files=request.FILES)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            form.is_valid()
            add_domain_error(form, error)
            task.refresh_from_db()
            if task.state != TaskState.OPEN:
                # The page shows no form for a task that is gone (completed meanwhile): say why above it.
                messages.error(request, error.message)
            context = _task_context(request, task, form)
            return render(request, "processes/task_detail.html", context, status=error.status_code)

        messages.success(request, _("Task completed: %(name)s") % {"name": task.name})
        return redirect(url(request, "inbox"))
    return render(request, "processes/task_detail.html", _task_context(request, task))


@require_POST
def task_claim(request: HttpRequest, tenant_slug: str, task_id: str) -> HttpResponse:
    actor = actor_of(request)
    task = selectors.get_task(actor=actor, public_id=task_id)
    back = url(request, "task_detail", task_id=task.public_id)
    return act(request, lambda: services.claim_task(actor=actor, task=task), success=_("You took the task."), back=back)


@require_POST
def task_unclaim(request: HttpRequest, tenant_slug: str, task_id: str) -> HttpResponse:
    actor = actor_of(request)
    task = selectors.get_task(actor=actor, public_id=task_id)
    back = url(request, "task_detail", task_id=task.public_id)
    return act(
        request,
        lambda: services.unclaim_task(actor=actor, task=task),
        success=_("The task is back in the group."),
        back=back,
    )


@require_POST
def task_delegate(request: HttpRequest, tenant_slug: str, task_id: str) -> HttpResponse:
    actor = actor_of(request)
    task = selectors.get_task(actor=actor, public_id=task_id)
    back = url(request, "task_detail", task_id=task.public_id)
    try:
        member = tenant_selectors.get_member(actor=actor, public_id=request.POST.get("to", ""))
    except NotFound:
        messages.error(request, _("Choose a member."))
        return redirect(back)
    return act(
        request,
        lambda: services.delegate_task(actor=actor, task=task, to=member),
        success=_("Task handed over to %(who)s.") % {"who": member},
        back=back,
        done=url(request, "inbox"),  # the task is the other member's work now, maybe out of our sight
    )

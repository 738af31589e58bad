"""Instances (with their tasks, incidents and event log), the incident view, the XES export."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtsflow.processes import permissions as perms
from amtsflow.processes import selectors, services
from amtsflow.processes.constants import IncidentState, InstanceStatus
from amtsflow.processes.views.common import act, actor_of, url
from amtsflow.processes.xes import write_xes


@require_GET
def instance_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    sandbox = request.GET.get("sandbox") == "1"
    instances = selectors.list_instances(actor=actor, include_test=sandbox)
    instances = instances.filter(is_test=True) if sandbox else instances
    status = request.GET.get("status", "")
    if status in InstanceStatus.values:
        instances = instances.filter(status=status)
    page = Paginator(instances, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "processes/instance_list.html",
        {"page": page, "sandbox": sandbox, "status": status, "statuses": InstanceStatus.choices},
    )


@require_GET
def instance_detail(request: HttpRequest, tenant_slug: str, instance_id: str) -> HttpResponse:
    actor = actor_of(request)
    instance = selectors.get_instance(actor=actor, public_id=instance_id)
    return render(
        request,
        "processes/instance_detail.html",
        {
            "instance": instance,
            "tasks": instance.tasks.select_related("assignee__user", "completed_by__user").order_by("created_at"),
            "incidents": instance.incidents.all() if actor.can(perms.OPERATE) else [],
            "events": instance.events.all()[:300],
            "can_operate": actor.can(perms.OPERATE) and instance.status == InstanceStatus.RUNNING,
        },
    )


@require_POST
def instance_cancel(request: HttpRequest, tenant_slug: str, instance_id: str) -> HttpResponse:
    actor = actor_of(request)
    instance = selectors.get_instance(actor=actor, public_id=instance_id)
    return act(
        request,
        lambda: services.cancel_instance(actor=actor, instance=instance, reason=request.POST.get("reason", "")),
        success=_("The process was cancelled."),
        back=url(request, "instance_detail", instance_id=instance.public_id),
    )


@require_GET
def incident_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    state = request.GET.get("state", IncidentState.OPEN)
    incidents = selectors.list_incidents(actor=actor)
    if state in IncidentState.values:
        incidents = incidents.filter(state=state)
    return render(
        request,
        "processes/incident_list.html",
        {"incidents": incidents[:200], "state": state, "states": IncidentState.choices},
    )


@require_POST
def incident_retry(request: HttpRequest, tenant_slug: str, incident_id: str) -> HttpResponse:
    actor = actor_of(request)
    incident = selectors.get_incident(actor=actor, public_id=incident_id)
    return act(
        request,
        lambda: services.retry_incident(actor=actor, incident=incident),
        success=_("Retried. If the step failed again, the incident shows the new error."),
        back=url(request, "incident_list"),
    )


@require_GET
def event_log_xes(request: HttpRequest, tenant_slug: str) -> StreamingHttpResponse:
    actor = actor_of(request)
    process = request.GET.get("process") or None
    events = selectors.list_events(actor=actor, process_key=process).order_by("instance_id", "timestamp", "pk")
    name = process or actor.tenant.slug
    response = StreamingHttpResponse(
        write_xes(events.iterator(chunk_size=2000), name=name), content_type="application/xml"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xes"'
    return response

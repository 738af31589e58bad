"""Leitweg-ID routes: which unit receives invoices addressed to which Leitweg-ID."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amtsflow.core.forms import submit
from amtsflow.einvoices import permissions as perms
from amtsflow.einvoices import selectors
from amtsflow.einvoices.forms import RouteForm
from amtsflow.einvoices.services import routing
from amtsflow.einvoices.views.common import actor_of, url
from amtsflow.tenants import selectors as tenant_selectors


@require_http_methods(["GET", "POST"])
def route_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    routes = selectors.list_routes(actor=actor)
    can_manage = actor.can(perms.MANAGE)
    form = RouteForm(request.POST or None, units=tenant_selectors.list_org_units(actor=actor)) if can_manage else None
    if request.method == "POST":
        actor.require(perms.MANAGE)
        route = submit(form, lambda: routing.save_route(actor=actor, **form.cleaned_data))
        if route is not None:
            messages.success(
                request, _("Route saved: %(id)s → %(unit)s") % {"id": route.leitweg_id, "unit": route.org_unit}
            )
            return redirect(url(request, "route_list"))
    return render(
        request,
        "einvoices/route_list.html",
        {"routes": routes, "form": form, "can_manage": can_manage, "prefix": actor.tenant.leitweg_prefix},
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def route_delete(request: HttpRequest, tenant_slug: str, route_id: str) -> HttpResponse:
    actor = actor_of(request)
    route = selectors.get_route(actor=actor, public_id=route_id)
    routing.delete_route(actor=actor, route=route)
    messages.success(request, _("Route deleted: %(id)s") % {"id": route.leitweg_id})
    return redirect(url(request, "route_list"))

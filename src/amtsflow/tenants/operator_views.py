"""Provider operator UI: the tenants of this installation."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amtsflow.core.exceptions import DomainError
from amtsflow.core.forms import add_domain_error
from amtsflow.tenants import forms, services
from amtsflow.tenants.models import Tenant


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_operator:
            return render(request, "404.html", status=404)
        return view(request, *args, **kwargs)

    return wrapper


@operator_required
def tenant_list(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/operator/tenant_list.html", {"tenants": Tenant.objects.all()})


@operator_required
def tenant_create(request: HttpRequest) -> HttpResponse:
    form = forms.TenantCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tenant, membership = services.create_tenant(operator=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if services.send_invitation(membership=membership):
                message = _("%(name)s was created; the administrator received an invitation.")
            else:
                message = _("%(name)s was created; the administrator can log in with their existing account.")
            messages.success(request, message % {"name": tenant.name})
            return redirect("operator:tenant_list")
    return render(
        request,
        "tenants/form.html",
        {
            "form": form,
            "title": _("New tenant"),
            "cancel_url": "/operator/tenants/",
        },
        status=400 if form.errors else 200,
    )

"""Provider operators: invoice files of the shared mailbox that no municipality's Leitweg-ID claimed."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtsflow.core.exceptions import DomainError
from amtsflow.einvoices import selectors
from amtsflow.einvoices.models import Intake, IntakeState
from amtsflow.einvoices.services import mail
from amtsflow.tenants.models import Tenant
from amtsflow.tenants.operator_views import operator_required


@require_GET
@operator_required
def intake_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", IntakeState.CLEARING)
    intakes = selectors.list_intakes(state=state)
    return render(
        request,
        "einvoices/operator/intake_list.html",
        {
            "intakes": intakes[:200],
            "state": state,
            "states": [("", _("all")), *IntakeState.choices],
            "tenants": Tenant.objects.filter(is_active=True),
        },
    )


@require_POST
@operator_required
def intake_assign(request: HttpRequest, intake_id: str) -> HttpResponse:
    row = get_object_or_404(Intake, public_id=intake_id)
    choice = request.POST.get("tenant", "")
    tenant = Tenant.objects.filter(pk=int(choice), is_active=True).first() if choice.isdigit() else None
    if tenant is None:
        messages.error(request, _("Choose a municipality."))
    else:
        try:
            mail.assign_intake(operator_label=request.user.get_username(), intake_row=row, tenant=tenant)
            messages.success(
                request, _("%(name)s was handed to %(tenant)s.") % {"name": row.filename, "tenant": tenant}
            )
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(reverse("operator-einvoices:intake_list"))


@require_POST
@operator_required
def intake_discard(request: HttpRequest, intake_id: str) -> HttpResponse:
    row = get_object_or_404(Intake, public_id=intake_id)
    try:
        mail.discard_intake(
            operator_label=request.user.get_username(), intake_row=row, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("%(name)s was set aside; the file stays stored.") % {"name": row.filename})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("operator-einvoices:intake_list"))

"""Coding editor of an invoice: split the net total across cost centres, products and accounts."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsflow.core.exceptions import PermissionDenied, ValidationFailed
from amtsflow.einvoices import selectors
from amtsflow.einvoices.coding_forms import CodingFormSet, initial_lines
from amtsflow.einvoices.services import coding
from amtsflow.einvoices.views.common import actor_of, url


@require_http_methods(["GET", "POST"])
def coding_edit(request: HttpRequest, tenant_slug: str, invoice_id: str) -> HttpResponse:
    actor = actor_of(request)
    invoice = selectors.get_invoice(actor=actor, public_id=invoice_id)
    back = url(request, "invoice_detail", invoice_id=invoice.public_id)
    if not coding.can_edit(actor, invoice):
        raise PermissionDenied(_("The coding of this invoice can no longer be changed here, or not by you."))
    formset = CodingFormSet(request.POST or None, initial=initial_lines(list(invoice.coding_lines.all())))
    error = ""
    if request.method == "POST" and formset.is_valid():
        lines = [c for c in (form.coding() for form in formset.forms) if c is not None]
        try:
            coding.save_coding(actor=actor, invoice=invoice, lines=lines)
        except ValidationFailed as failure:
            error = str(failure.message)
        else:
            messages.success(request, _("Coding saved."))
            return redirect(back)
    return render(
        request,
        "einvoices/coding_edit.html",
        {"invoice": invoice, "formset": formset, "error": error, "back": back},
        status=400 if request.method == "POST" else 200,
    )

"""Booking export: the batches with their downloads, and the button that exports the released invoices."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtsflow.core.exceptions import Conflict
from amtsflow.einvoices import permissions as perms
from amtsflow.einvoices import selectors
from amtsflow.einvoices.services import export
from amtsflow.einvoices.views.common import actor_of, download, url


@require_GET
def batch_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    actor.require(perms.EXPORT)
    waiting, waiting_gross = export.waiting_total()
    return render(
        request,
        "einvoices/batch_list.html",
        {
            "batches": selectors.list_batches(actor=actor)[:200],
            "waiting": waiting,
            "waiting_gross": waiting_gross,
            "tab": "exports",
        },
    )


@require_POST
def batch_create(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    try:
        batch = export.create_batch(actor=actor)
    except Conflict as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            _("Booking batch %(number)s created with %(count)s invoices.")
            % {"number": batch.number, "count": batch.invoice_count},
        )
    return redirect(url(request, "batch_list"))


@require_GET
def batch_download(request: HttpRequest, tenant_slug: str, batch_id: str, fmt: str) -> HttpResponse:
    actor = actor_of(request)
    batch = selectors.get_batch(actor=actor, public_id=batch_id)
    if fmt not in export.CONTENT_TYPES:
        raise Http404
    content, filename, content_type = export.download(actor=actor, batch=batch, fmt=fmt)
    return download(content, filename, content_type)

"""Incoming invoices: list with upload, detail with findings and the readable invoice, downloads, clearing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amtsflow.core.exceptions import DomainError, ValidationFailed
from amtsflow.einvoices import permissions as perms
from amtsflow.einvoices import selectors
from amtsflow.einvoices.forms import AssignForm, FilterForm, UploadForm
from amtsflow.einvoices.models import Invoice, InvoiceState, Receipt, ReceiptState
from amtsflow.einvoices.presentation import findings_for_display, report_context
from amtsflow.einvoices.rendering import readable_invoice
from amtsflow.einvoices.rendering.pdf import render_pdf
from amtsflow.einvoices.services import approval, clearing, intake
from amtsflow.einvoices.services.filing import validation_summary
from amtsflow.einvoices.views.common import actor_of, download, url
from amtsflow.tenants import selectors as tenant_selectors

PAGE_SIZE = 50


def _list_context(request: HttpRequest) -> dict[str, object]:
    actor = actor_of(request)
    filters = FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    invoices = selectors.list_invoices(
        actor=actor, state=values.get("state", ""), validity=values.get("validity", ""), query=values.get("q", "")
    )
    return {"filters": filters, "invoices": invoices[:PAGE_SIZE], "total": invoices.count()}


@require_GET
def invoice_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    context = _list_context(request)
    context |= {
        "upload_form": UploadForm() if actor.can(perms.RECEIVE) else None,
        "can_manage": actor.can(perms.MANAGE),
        "tab": "clearing" if request.GET.get("state") == InvoiceState.CLEARING else "invoices",
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "einvoices/partials/invoice_table.html", context)
    return render(request, "einvoices/invoice_list.html", context)


@require_POST
def invoice_upload(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Take the files in; each is stored, then processed (validated, read, filed). Without JavaScript the
    result comes as messages after a redirect; upload.js swaps in the result and the refreshed table."""
    actor = actor_of(request)
    actor.require(perms.RECEIVE)
    form = UploadForm(request.POST, request.FILES)
    receipts: list[Receipt] = []
    if form.is_valid():
        try:
            files = intake.from_uploads(form.cleaned_data["files"])
            receipts = intake.receive(actor=actor, files=files, source=_("upload by %(user)s") % {"user": actor.label})
        except ValidationFailed as error:
            form.add_error("files", error.message)
    # Processing ran after commit (or is queued); read the outcome back.
    receipts = [selectors.get_receipt(actor=actor, public_id=r.public_id) for r in receipts]
    if request.htmx:  # type: ignore[attr-defined]
        context = {"form": form, "receipts": receipts} | _list_context(request)
        return render(request, "einvoices/partials/upload_response.html", context, status=400 if form.errors else 200)
    if form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    for receipt in receipts:
        messages.info(request, f"{receipt.filename}: {receipt.get_state_display()} {receipt.problem}".strip())
    return redirect(url(request, "invoice_list"))


@require_GET
def invoice_detail(request: HttpRequest, tenant_slug: str, invoice_id: str) -> HttpResponse:
    actor = actor_of(request)
    invoice = selectors.get_invoice(actor=actor, public_id=invoice_id)
    read = selectors.read_back(invoice)
    can_manage = actor.can(perms.MANAGE)
    assign_form = None
    if invoice.state == InvoiceState.CLEARING and can_manage:
        assign_form = AssignForm(units=tenant_selectors.list_org_units(actor=actor))
    return render(
        request,
        "einvoices/invoice_detail.html",
        {
            "invoice": invoice,
            "readable": readable_invoice(read) if read is not None else None,
            "findings": findings_for_display(invoice),
            "receipts": invoice.receipts.order_by("created_at"),
            "duplicate": invoice.possible_duplicate_of,
            "assign_form": assign_form,
            "approval": approval.overview(actor=actor, invoice=invoice),
            "can_start_approval": clearing.can_start_approval(actor, invoice),
        },
    )


@require_POST
def invoice_assign(request: HttpRequest, tenant_slug: str, invoice_id: str) -> HttpResponse:
    actor = actor_of(request)
    invoice = selectors.get_invoice(actor=actor, public_id=invoice_id)
    actor.require(perms.MANAGE)
    form = AssignForm(request.POST, units=tenant_selectors.list_org_units(actor=actor))
    back = url(request, "invoice_detail", invoice_id=invoice.public_id)
    if not form.is_valid():
        messages.error(request, _("Choose an organisational unit."))
        return redirect(back)
    try:
        clearing.assign_unit(
            actor=actor,
            invoice=invoice,
            org_unit=form.cleaned_data["org_unit"],
            remember_route=form.cleaned_data["remember"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("The invoice was assigned to %(unit)s.") % {"unit": form.cleaned_data["org_unit"]})
    return redirect(back)


@require_POST
def invoice_start_approval(request: HttpRequest, tenant_slug: str, invoice_id: str) -> HttpResponse:
    actor = actor_of(request)
    invoice = selectors.get_invoice(actor=actor, public_id=invoice_id)
    back = url(request, "invoice_detail", invoice_id=invoice.public_id)
    try:
        clearing.start_approval(actor=actor, invoice=invoice)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    invoice.refresh_from_db()
    if invoice.process_instance_id:
        messages.success(request, _("The approval has started."))
    else:
        messages.error(request, _("No deployed process starts on received invoices; deploy “Rechnungseingang” first."))
    return redirect(back)


def _download_name(invoice: Invoice, suffix: str) -> str:
    return f"{(invoice.number or invoice.filename.rsplit('.', 1)[0])[:80]}-{suffix}"


@require_GET
def invoice_original(request: HttpRequest, tenant_slug: str, invoice_id: str) -> HttpResponse:
    invoice = selectors.get_invoice(actor=actor_of(request), public_id=invoice_id)
    content_type = "application/pdf" if invoice.kind.endswith("pdf") else "application/xml"
    return download(selectors.original_of(invoice), invoice.filename, content_type)


@require_GET
def invoice_report_html(request: HttpRequest, tenant_slug: str, invoice_id: str) -> HttpResponse:
    """The validation report for people: verdict and every finding with its explanation."""
    invoice = selectors.get_invoice(actor=actor_of(request), public_id=invoice_id)
    html = render_to_string("einvoices/report.html", report_context(invoice), request=request)
    return download(html.encode(), _download_name(invoice, "pruefbericht.html"), "text/html; charset=utf-8")


def _stored_report(request: HttpRequest, invoice_id: str, *, svrl: bool) -> HttpResponse:
    invoice = selectors.get_invoice(actor=actor_of(request), public_id=invoice_id)
    name = invoice.svrl_storage_name if svrl else invoice.report_storage_name
    if not name:
        messages.error(request, _("There is no such report for this invoice (it was not validated)."))
        return redirect(url(request, "invoice_detail", invoice_id=invoice.public_id))
    suffix = "svrl.xml" if svrl else "pruefbericht.xml"
    return download(selectors.stored(name), _download_name(invoice, suffix), "application/xml")


@require_GET
def invoice_report_xml(request: HttpRequest, tenant_slug: str, invoice_id: str) -> HttpResponse:
    """The KoSIT validation report (VARL) as the validator wrote it."""
    return _stored_report(request, invoice_id, svrl=False)


@require_GET
def invoice_report_svrl(request: HttpRequest, tenant_slug: str, invoice_id: str) -> HttpResponse:
    """The SVRL output of each Schematron run."""
    return _stored_report(request, invoice_id, svrl=True)


@require_GET
def invoice_pdf(request: HttpRequest, tenant_slug: str, invoice_id: str) -> HttpResponse:
    invoice = selectors.get_invoice(actor=actor_of(request), public_id=invoice_id)
    read = selectors.read_back(invoice)
    if read is None:
        messages.error(request, _("This file carries no structured invoice to show as PDF."))
        return redirect(url(request, "invoice_detail", invoice_id=invoice.public_id))
    pdf = render_pdf(read, validation_summary=validation_summary(invoice))
    return download(pdf, _download_name(invoice, "lesbar.pdf"), "application/pdf", inline=True)


@require_http_methods(["GET"])
def receipt_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    state = request.GET.get("state", "")
    state = state if state in ReceiptState.values else ""
    receipts = selectors.list_receipts(actor=actor, state=state)
    return render(
        request,
        "einvoices/receipt_list.html",
        {
            "receipts": receipts[:200],
            "state": state,
            "states": [("", _("all")), *ReceiptState.choices],
            "can_manage": actor.can(perms.MANAGE),
        },
    )


@require_POST
def receipt_reprocess(request: HttpRequest, tenant_slug: str, receipt_id: str) -> HttpResponse:
    actor = actor_of(request)
    receipt = selectors.get_receipt(actor=actor, public_id=receipt_id)
    try:
        intake.reprocess(actor=actor, receipt=receipt)
        receipt.refresh_from_db()
        messages.success(request, f"{receipt.filename}: {receipt.get_state_display()}")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(url(request, "receipt_list"))

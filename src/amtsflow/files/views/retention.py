"""Aussonderung (records managers): the due list, disposal lists with approval and execution, records packages."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtsflow.core.exceptions import DomainError, NotFound, PermissionDenied
from amtsflow.files import forms, packages, selectors
from amtsflow.files import permissions as perms
from amtsflow.files.constants import DisposalAction
from amtsflow.files.models import DisposalList, DisposalListState, DisposalOutcome
from amtsflow.files.services import retention
from amtsflow.files.views.common import actor_of, submit, url
from amtsflow.tenants.actor import Actor

OPEN_STATES = (DisposalListState.DRAFT, DisposalListState.APPROVED)
PENDING = (DisposalOutcome.PENDING, DisposalOutcome.FAILED)


def _zip(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{name}.zip")
    # Packages carry whole files, possibly confidential ones: no copies in shared or browser caches.
    response["Cache-Control"] = "private, no-store"
    return response


def _failed(request: HttpRequest, error: DomainError) -> None:
    """Missing objects and permissions leave for the 404 and 403 pages; other domain errors become a message."""
    if isinstance(error, NotFound | PermissionDenied):
        raise error
    messages.error(request, error.message)


# --- Due list and disposal lists -------------------------------------------------------------------------


def _render_overview(
    request: HttpRequest,
    actor: Actor,
    filters: forms.DueFilterForm,
    create_form: forms.DisposalCreateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    as_of: dt.date = (filters.cleaned_data["as_of"] if filters.is_valid() else None) or timezone.localdate()
    return render(
        request,
        "files/disposal_overview.html",
        {
            "filters": filters,
            "as_of": as_of,
            "due": retention.list_due_for_disposal(actor=actor, as_of=as_of),
            "create_form": create_form or forms.DisposalCreateForm(initial={"as_of": as_of}),
            "disposal_lists": retention.list_disposal_lists(actor=actor),
        },
        status=400 if filters.errors else status,
    )


@require_GET
def disposal_overview(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    actor.require(perms.DISPOSE)
    return _render_overview(request, actor, forms.DueFilterForm(request.GET))


@require_POST
def disposal_create(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    actor.require(perms.DISPOSE)
    form = forms.DisposalCreateForm(request.POST)
    created = submit(form, lambda: retention.create_disposal_list(actor=actor, as_of=form.cleaned_data["as_of"]))
    if created is None:
        filters = forms.DueFilterForm({"as_of": request.POST.get("as_of", "")})
        return _render_overview(request, actor, filters, create_form=form, status=400)
    messages.success(
        request, _("The disposal list was created with %(count)s files.") % {"count": created.items.count()}
    )
    return redirect(url(request, "disposal_detail", list_id=created.public_id))


def _render_list(
    request: HttpRequest,
    actor: Actor,
    disposal_list: DisposalList,
    *,
    execute_form: forms.DisposalExecuteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    items = list(disposal_list.items.select_related("akte").order_by("aktenzeichen"))
    is_open = disposal_list.state in OPEN_STATES
    return render(
        request,
        "files/disposal_detail.html",
        {
            "disposal_list": disposal_list,
            "rows": [(item, is_open and item.outcome in PENDING and item.akte_id is not None) for item in items],
            "can_approve": disposal_list.state == DisposalListState.DRAFT and bool(items),
            "execute_form": (
                execute_form or forms.DisposalExecuteForm()
                if disposal_list.state == DisposalListState.APPROVED
                else None
            ),
            "has_archive": any(item.action == DisposalAction.ARCHIVE for item in items),
            "has_destroy": any(item.action == DisposalAction.DESTROY for item in items),
        },
        status=status,
    )


@require_GET
def disposal_detail(request: HttpRequest, tenant_slug: str, list_id: str) -> HttpResponse:
    actor = actor_of(request)
    return _render_list(request, actor, retention.get_disposal_list(actor=actor, public_id=list_id))


@require_POST
def disposal_remove(request: HttpRequest, tenant_slug: str, list_id: str) -> HttpResponse:
    actor = actor_of(request)
    disposal_list = retention.get_disposal_list(actor=actor, public_id=list_id)  # first: a foreign list is 404
    form = forms.DisposalRemoveForm(request.POST)
    # Confidential files are addressed through the list: they may be hidden from the file selectors.
    item = (
        disposal_list.items.filter(akte__public_id=form.cleaned_data["akte"]).select_related("akte").first()
        if form.is_valid()
        else None
    )
    if item is None or item.akte is None:
        messages.error(request, _("The file is not on this disposal list."))
    else:
        try:
            retention.remove_from_disposal_list(actor=actor, disposal_list=disposal_list, akte=item.akte)
            messages.success(request, _("%(ref)s was removed from the list.") % {"ref": item.aktenzeichen})
        except DomainError as error:
            _failed(request, error)
    return redirect(url(request, "disposal_detail", list_id=disposal_list.public_id))


@require_POST
def disposal_approve(request: HttpRequest, tenant_slug: str, list_id: str) -> HttpResponse:
    actor = actor_of(request)
    disposal_list = retention.get_disposal_list(actor=actor, public_id=list_id)
    try:
        retention.approve_disposal_list(actor=actor, disposal_list=disposal_list)
        messages.success(request, _("The disposal list was approved."))
    except DomainError as error:
        _failed(request, error)
    return redirect(url(request, "disposal_detail", list_id=disposal_list.public_id))


@require_POST
def disposal_execute(request: HttpRequest, tenant_slug: str, list_id: str) -> HttpResponse:
    actor = actor_of(request)
    disposal_list = retention.get_disposal_list(actor=actor, public_id=list_id)
    form = forms.DisposalExecuteForm(request.POST)
    result = submit(form, lambda: retention.execute_disposal_list(actor=actor, disposal_list=disposal_list))
    if result is None:
        fresh = retention.get_disposal_list(actor=actor, public_id=list_id)
        return _render_list(request, actor, fresh, execute_form=form, status=400)
    messages.success(
        request,
        _("The disposal list was executed: %(archived)s archived, %(destroyed)s destroyed.")
        % {"archived": len(result.archived), "destroyed": len(result.destroyed)},
    )
    if result.failed:
        messages.warning(
            request,
            _("%(count)s files failed and were left untouched; execute the list again after fixing them.")
            % {"count": len(result.failed)},
        )
    return redirect(url(request, "disposal_detail", list_id=disposal_list.public_id))


@require_GET
def disposal_package(request: HttpRequest, tenant_slug: str, list_id: str) -> HttpResponse:
    actor = actor_of(request)
    disposal_list = retention.get_disposal_list(actor=actor, public_id=list_id)
    try:
        data = packages.export_disposal_package(actor=actor, disposal_list=disposal_list)
    except DomainError as error:
        _failed(request, error)
        return redirect(url(request, "disposal_detail", list_id=disposal_list.public_id))
    return _zip(data, f"aussonderung-{disposal_list.public_id}")


# --- Records packages ------------------------------------------------------------------------------------


@require_GET
def akte_package(request: HttpRequest, tenant_slug: str, akte_id: str) -> HttpResponse:
    actor = actor_of(request)
    akte = selectors.get_akte(actor=actor, public_id=akte_id)
    try:
        data = packages.export_akte_package(actor=actor, akte=akte)
    except DomainError as error:
        _failed(request, error)
        return redirect(url(request, "akte_detail", akte_id=akte.public_id))
    return _zip(data, akte.aktenzeichen.replace("/", "_"))


def package_import(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    actor.require(perms.MANAGE_PLAN)
    form = forms.PackageImportForm(
        request.POST or None,
        request.FILES or None,
        plan_entries=selectors.list_plan_entries(actor=actor).filter(accepts_files=True, is_active=True),
    )
    imported = None
    if request.method == "POST":

        def call() -> list:
            with form.cleaned_data["file"].open("rb") as upload:
                return packages.import_package(
                    actor=actor, data=upload, plan_entry_fallback=form.cleaned_data["plan_entry"]
                )

        imported = submit(form, call)
        if imported is not None:
            messages.success(request, _("%(count)s files were imported.") % {"count": len(imported)})
            form = forms.PackageImportForm(plan_entries=form.fields["plan_entry"].queryset)
    return render(
        request,
        "files/disposal_import.html",
        {"form": form, "imported": imported},
        status=400 if form.errors else 200,
    )

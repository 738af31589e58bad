"""Files (Akten): list with filters, creation, detail with cases, closing, reopening, legal hold."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.core.htmx import render_page
from amtsflow.files import forms, selectors, services
from amtsflow.files import permissions as perms
from amtsflow.files.constants import AkteState
from amtsflow.files.models import Akte
from amtsflow.files.views.common import actor_of, history, page_query, submit, url
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor

PAGE_SIZE = 50
VORGANG_PREFIX = "vorgang"
HOLD_PREFIX = "hold"


def akte_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    filters = forms.AkteFilterForm(request.GET, plan_entries=selectors.list_plan_entries(actor=actor))
    akten = selectors.list_akten(actor=actor)
    if filters.is_valid():
        if state := filters.cleaned_data["state"]:
            akten = akten.filter(state=state)
        if entry := filters.cleaned_data["plan_entry"]:
            # A heading of the plan stands for everything below it.
            akten = akten.filter(Q(plan_entry=entry) | Q(plan_entry__number__startswith=f"{entry.number}."))
    page = Paginator(akten, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(
        request,
        "files/akte_list.html",
        {
            "filters": filters,
            "page": page,
            "page_query": page_query(request),
            "can_create": actor.can(perms.EDIT),
        },
        fragment="files/partials/akte_rows.html",
    )


def _akte_form(request: HttpRequest, actor: Actor, akte: Akte | None) -> forms.AkteForm:
    initial = (
        {
            "title": akte.title,
            "description": akte.description,
            "org_unit": akte.org_unit.public_id if akte.org_unit else None,
            "confidentiality": akte.confidentiality,
            "permitted_members": [m.public_id for m in akte.permitted_members.all()],
        }
        if akte
        else {"plan_entry": request.GET.get("plan_entry")}
    )
    return forms.AkteForm(
        request.POST or None,
        plan_entries=selectors.list_plan_entries(actor=actor).filter(accepts_files=True, is_active=True),
        units=tenant_selectors.list_org_units(actor=actor),
        members=tenant_selectors.list_members(actor=actor).filter(is_active=True),
        editing=akte is not None,
        initial=initial,
    )


def akte_form(request: HttpRequest, tenant_slug: str, akte_id: str | None = None) -> HttpResponse:
    actor = actor_of(request)
    actor.require(perms.EDIT)
    akte = selectors.get_akte(actor=actor, public_id=akte_id) if akte_id else None
    form = _akte_form(request, actor, akte)
    if request.method == "POST":

        def call() -> Akte:
            if akte is None:
                return services.create_akte(actor=actor, **form.cleaned_data)
            return services.update_akte(actor=actor, akte=akte, **form.cleaned_data)

        saved = submit(form, call)
        if saved:
            messages.success(request, _("The file %(ref)s was saved.") % {"ref": saved.aktenzeichen})
            return redirect(url(request, "akte_detail", akte_id=saved.public_id))
    return render(
        request,
        "files/form.html",
        {
            "form": form,
            "title": _("Edit file %(ref)s") % {"ref": akte.aktenzeichen} if akte else _("New file"),
            "cancel_url": url(request, "akte_detail", akte_id=akte.public_id) if akte else url(request, "akte_list"),
        },
        status=400 if form.errors else 200,
    )


def _render_akte(
    request: HttpRequest,
    actor: Actor,
    akte: Akte,
    *,
    vorgang_form: forms.VorgangForm | None = None,
    hold_form: forms.LegalHoldForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_open = akte.state == AkteState.OPEN
    can_edit = actor.can(perms.EDIT)
    can_dispose = actor.can(perms.DISPOSE)
    if vorgang_form is None and can_edit and is_open:
        vorgang_form = forms.VorgangForm(
            prefix=VORGANG_PREFIX,
            units=tenant_selectors.list_org_units(actor=actor),
            members=tenant_selectors.list_members(actor=actor).filter(is_active=True),
        )
    return render(
        request,
        "files/akte_detail.html",
        {
            "akte": akte,
            "is_open": is_open,
            "vorgaenge": selectors.list_vorgaenge(actor=actor).filter(akte=akte).prefetch_related("documents"),
            "permitted": akte.permitted_members.select_related("user") if akte.is_confidential else [],
            "can_edit": can_edit and is_open,
            "can_close": can_edit and is_open,
            "can_dispose": can_dispose,
            "vorgang_form": vorgang_form,
            "hold_form": hold_form or (forms.LegalHoldForm(prefix=HOLD_PREFIX) if can_dispose else None),
            "audit_entries": history(actor, "files.akte", akte.public_id),
        },
        status=status,
    )


def akte_detail(request: HttpRequest, tenant_slug: str, akte_id: str) -> HttpResponse:
    actor = actor_of(request)
    return _render_akte(request, actor, selectors.get_akte(actor=actor, public_id=akte_id))


@require_POST
def vorgang_create(request: HttpRequest, tenant_slug: str, akte_id: str) -> HttpResponse:
    actor = actor_of(request)
    akte = selectors.get_akte(actor=actor, public_id=akte_id)
    form = forms.VorgangForm(
        request.POST,
        prefix=VORGANG_PREFIX,
        units=tenant_selectors.list_org_units(actor=actor),
        members=tenant_selectors.list_members(actor=actor).filter(is_active=True),
    )
    vorgang = submit(form, lambda: services.create_vorgang(actor=actor, akte=akte, **form.cleaned_data))
    if vorgang is None:
        return _render_akte(request, actor, akte, vorgang_form=form, status=400)
    messages.success(request, _("The case %(case)s was created.") % {"case": vorgang})
    return redirect(url(request, "vorgang_detail", vorgang_id=vorgang.public_id))


def _state_change(request: HttpRequest, akte_id: str, change: str) -> HttpResponse:
    actor = actor_of(request)
    akte = selectors.get_akte(actor=actor, public_id=akte_id)
    try:
        if change == "close":
            akte = services.close_akte(actor=actor, akte=akte)
            messages.success(
                request,
                _("The file was closed; it is kept until %(date)s.")
                % {"date": akte.retention_until.strftime("%d.%m.%Y") if akte.retention_until else "–"},
            )
        else:
            services.reopen_akte(actor=actor, akte=akte)
            messages.success(request, _("The file was reopened."))
    except (Conflict, ValidationFailed) as error:
        messages.error(request, error.message)
    return redirect(url(request, "akte_detail", akte_id=akte_id))


@require_POST
def akte_close(request: HttpRequest, tenant_slug: str, akte_id: str) -> HttpResponse:
    return _state_change(request, akte_id, "close")


@require_POST
def akte_reopen(request: HttpRequest, tenant_slug: str, akte_id: str) -> HttpResponse:
    return _state_change(request, akte_id, "reopen")


@require_POST
def akte_legal_hold(request: HttpRequest, tenant_slug: str, akte_id: str) -> HttpResponse:
    actor = actor_of(request)
    akte = selectors.get_akte(actor=actor, public_id=akte_id)
    hold = request.POST.get("hold") == "1"
    form = forms.LegalHoldForm(request.POST, prefix=HOLD_PREFIX)
    saved = submit(
        form, lambda: services.set_legal_hold(actor=actor, akte=akte, hold=hold, reason=form.cleaned_data["reason"])
    )
    if saved is None:
        return _render_akte(request, actor, akte, hold_form=form, status=400)
    messages.success(request, _("The legal hold was set.") if hold else _("The legal hold was lifted."))
    return redirect(url(request, "akte_detail", akte_id=akte_id))

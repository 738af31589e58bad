"""Staff UI of the tenants capability: start page, organisation, members, groups, API clients."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtsflow.core.exceptions import DomainError
from amtsflow.core.forms import add_domain_error
from amtsflow.core.htmx import render_page
from amtsflow.tenants import forms, selectors, services
from amtsflow.tenants import permissions as perms
from amtsflow.tenants.actor import Actor


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"tenants:{name}", kwargs={"tenant_slug": request.tenant.slug, **kwargs})  # type: ignore[attr-defined]


def _submit(form: Any, call: Callable[[], Any]) -> Any | None:
    """Run a service for a valid form; on a domain error put it on the form and return None."""
    if not form.is_valid():
        return None
    try:
        return call()
    except DomainError as error:
        add_domain_error(form, error)
        return None


class LoginView(auth_views.LoginView):
    """Reads the SSO switch per request: `extra_context` would freeze it at import time."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.update(oidc_enabled=settings.OIDC_ENABLED, oidc_name=settings.OIDC_PROVIDER_NAME)
        return super().get_context_data(**kwargs)


@login_required
def root(request: HttpRequest) -> HttpResponse:
    """One municipality: go there. Several: choose. None: the operator page, or an explanation."""
    tenants = selectors.list_tenants_of_user(user=request.user)
    if len(tenants) == 1:
        return redirect("tenants:home", tenant_slug=tenants[0].slug)
    if not tenants and request.user.is_operator:
        return redirect("operator:tenant_list")
    return render(request, "tenants/choose_tenant.html", {"tenants": tenants})


def home(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = _actor(request)
    return render(request, "tenants/home.html", {"membership": actor.membership, "tasks": []})


# --- Municipality master data ---------------------------------------------------------------------------
def profile(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = _actor(request)
    actor.require(perms.MANAGE_TENANT_PROFILE)
    tenant = actor.tenant
    initial = {"contact_email": tenant.contact_email, "contact_phone": tenant.contact_phone, "address": tenant.address}
    form = forms.TenantProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and _submit(
        form, lambda: services.update_tenant_profile(actor=actor, **form.cleaned_data)
    ):
        messages.success(request, _("The data of the municipality was saved."))
        return redirect(_url(request, "profile"))
    return render(request, "tenants/profile.html", {"form": form, "tenant": tenant}, status=400 if form.errors else 200)


def logo(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """The tenant's logo, for its members only (uploaded files are not served publicly)."""
    tenant = _actor(request).tenant
    if not tenant.logo:
        return render(request, "404.html", status=404)
    # Only PNG and JPEG are ever stored (services check the content), so the suffix is trustworthy.
    content_type = "image/png" if tenant.logo.name.endswith(".png") else "image/jpeg"
    response = FileResponse(tenant.logo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Organisational units ------------------------------------------------------------------------------
def org_unit_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "tenants/org_unit_list.html",
        {
            "tree": selectors.org_unit_tree(actor=actor),
            "can_manage": actor.can(perms.MANAGE_ORG_UNITS),
            "members_count": selectors.list_members(actor=actor).count(),
        },
    )


def org_unit_form(request: HttpRequest, tenant_slug: str, unit_id: str | None = None) -> HttpResponse:
    actor = _actor(request)
    actor.require(perms.MANAGE_ORG_UNITS)
    unit = selectors.get_org_unit(actor=actor, public_id=unit_id) if unit_id else None
    units = selectors.list_org_units(actor=actor)
    if unit is not None:
        units = units.exclude(pk=unit.pk)
    initial = (
        {
            "name": unit.name,
            "code": unit.code,
            "kind": unit.kind,
            "parent": unit.parent.public_id if unit and unit.parent else None,
        }
        if unit
        else {}
    )
    form = forms.OrgUnitForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST":

        def call() -> Any:
            if unit is None:
                return services.create_org_unit(actor=actor, **form.cleaned_data)
            return services.update_org_unit(actor=actor, unit=unit, **form.cleaned_data)

        if _submit(form, call):
            messages.success(request, _("The unit was saved."))
            return redirect(_url(request, "org_unit_list"))
    return render(
        request,
        "tenants/form.html",
        {
            "form": form,
            "title": _("Edit unit") if unit else _("New unit"),
            "cancel_url": _url(request, "org_unit_list"),
            "delete_url": _url(request, "org_unit_delete", unit_id=unit.public_id) if unit else None,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def org_unit_delete(request: HttpRequest, tenant_slug: str, unit_id: str) -> HttpResponse:
    actor = _actor(request)
    unit = selectors.get_org_unit(actor=actor, public_id=unit_id)
    try:
        services.delete_org_unit(actor=actor, unit=unit)
        messages.success(request, _("The unit was deleted."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_url(request, "org_unit_list"))


# --- Members ---------------------------------------------------------------------------------------------
def member_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = _actor(request)
    query = request.GET.get("q", "").strip()[:100]
    members = selectors.list_members(actor=actor, query=query)
    return render_page(
        request,
        "tenants/member_list.html",
        {
            "members": members,
            "query": query,
            "can_manage": actor.can(perms.MANAGE_MEMBERS),
        },
        fragment="tenants/partials/member_rows.html",
    )


def member_create(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = _actor(request)
    actor.require(perms.MANAGE_MEMBERS)
    form = forms.MemberCreateForm(request.POST or None, units=selectors.list_org_units(actor=actor))
    if request.method == "POST":
        membership = _submit(form, lambda: services.add_member(actor=actor, **form.cleaned_data))
        if membership:
            services.send_invitation(membership=membership)
            messages.success(request, _("%(name)s was added.") % {"name": membership})
            return redirect(_url(request, "member_list"))
    return render(
        request,
        "tenants/form.html",
        {
            "form": form,
            "title": _("Add member"),
            "cancel_url": _url(request, "member_list"),
            "intro": _("A new user receives an e-mail with a link to choose a password."),
        },
        status=400 if form.errors else 200,
    )


def member_detail(request: HttpRequest, tenant_slug: str, member_id: str) -> HttpResponse:
    actor = _actor(request)
    membership = selectors.get_member(actor=actor, public_id=member_id)
    form = None
    if actor.can(perms.MANAGE_MEMBERS):
        initial = {
            "roles": sorted(membership.role_codes),
            "is_active": membership.is_active,
            "org_unit": membership.org_unit.public_id if membership.org_unit else None,
        }
        form = forms.MemberUpdateForm(
            request.POST or None, units=selectors.list_org_units(actor=actor), initial=initial
        )
        if request.method == "POST" and _submit(
            form, lambda: services.update_member(actor=actor, membership=membership, **form.cleaned_data)
        ):
            messages.success(request, _("The membership was saved."))
            return redirect(_url(request, "member_detail", member_id=membership.public_id))
    elif request.method == "POST":
        actor.require(perms.MANAGE_MEMBERS)
    return render(
        request,
        "tenants/member_detail.html",
        {"member": membership, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def member_remove(request: HttpRequest, tenant_slug: str, member_id: str) -> HttpResponse:
    actor = _actor(request)
    membership = selectors.get_member(actor=actor, public_id=member_id)
    try:
        services.remove_member(actor=actor, membership=membership)
        messages.success(request, _("%(name)s no longer belongs to this tenant.") % {"name": membership})
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url(request, "member_detail", member_id=member_id))
    return redirect(_url(request, "member_list"))


# --- Groups ----------------------------------------------------------------------------------------------
def group_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "tenants/group_list.html",
        {
            "groups": selectors.list_groups(actor=actor),
            "can_manage": actor.can(perms.MANAGE_GROUPS),
        },
    )


def group_form(request: HttpRequest, tenant_slug: str, group_id: str | None = None) -> HttpResponse:
    actor = _actor(request)
    actor.require(perms.MANAGE_GROUPS)
    group = selectors.get_group(actor=actor, public_id=group_id) if group_id else None
    initial = (
        {
            "name": group.name,
            "description": group.description,
            "members": [m.public_id for m in group.members.all()],
        }
        if group
        else {}
    )
    form = forms.GroupForm(request.POST or None, memberships=selectors.list_members(actor=actor), initial=initial)
    if request.method == "POST" and _submit(
        form, lambda: services.save_group(actor=actor, group=group, **form.cleaned_data)
    ):
        messages.success(request, _("The group was saved."))
        return redirect(_url(request, "group_list"))
    return render(
        request,
        "tenants/form.html",
        {
            "form": form,
            "title": _("Edit group") if group else _("New group"),
            "cancel_url": _url(request, "group_list"),
            "delete_url": _url(request, "group_delete", group_id=group.public_id) if group else None,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def group_delete(request: HttpRequest, tenant_slug: str, group_id: str) -> HttpResponse:
    actor = _actor(request)
    services.delete_group(actor=actor, group=selectors.get_group(actor=actor, public_id=group_id))
    messages.success(request, _("The group was deleted."))
    return redirect(_url(request, "group_list"))


# --- API clients -----------------------------------------------------------------------------------------
def api_client_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = _actor(request)
    form = forms.ApiClientForm(request.POST or None)
    created = None
    if request.method == "POST":
        created = _submit(form, lambda: services.create_api_client(actor=actor, **form.cleaned_data))
        if created:
            form = forms.ApiClientForm()
    return render(
        request,
        "tenants/api_client_list.html",
        {
            "clients": selectors.list_api_clients(actor=actor),
            "form": form,
            "created": created[0] if created else None,
            "token": created[1] if created else None,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def api_client_revoke(request: HttpRequest, tenant_slug: str, client_id: str) -> HttpResponse:
    actor = _actor(request)
    client = services.revoke_api_client(actor=actor, client=selectors.get_api_client(actor=actor, public_id=client_id))
    messages.success(request, _("The API client %(name)s was revoked.") % {"name": client.name})
    return redirect(_url(request, "api_client_list"))

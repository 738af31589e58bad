"""File plan (Aktenplan): the indented tree, entry forms, CSV export and import."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtsflow.files import forms, selectors, services
from amtsflow.files import permissions as perms
from amtsflow.files.models import AktenplanEntry
from amtsflow.files.views.common import actor_of, submit, url
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor

IMPORT_PREFIX = "import"
MAX_INDENT = 5  # amtsflow.css has indent classes up to this depth


def plan_tree(entries: list[AktenplanEntry]) -> list[tuple[AktenplanEntry, int]]:
    """Entries in tree order with their depth; siblings ordered by number part by part (0.2 before 0.10)."""
    children: dict[int | None, list[AktenplanEntry]] = {}
    known = {entry.pk for entry in entries}
    for entry in entries:
        children.setdefault(entry.parent_id if entry.parent_id in known else None, []).append(entry)
    ordered: list[tuple[AktenplanEntry, int]] = []

    def key(entry: AktenplanEntry) -> list[tuple[int, int | str]]:
        return [(0, int(part)) if part.isdigit() else (1, part) for part in entry.number.split(".")]

    def walk(parent_id: int | None, depth: int) -> None:
        for entry in sorted(children.get(parent_id, []), key=key):
            ordered.append((entry, min(depth, MAX_INDENT)))
            walk(entry.pk, depth + 1)

    walk(None, 0)
    return ordered


def _render_plan(
    request: HttpRequest, actor: Actor, import_form: forms.PlanImportForm, status: int = 200
) -> HttpResponse:
    can_manage = actor.can(perms.MANAGE_PLAN)
    return render(
        request,
        "files/plan_list.html",
        {
            "tree": plan_tree(list(selectors.list_plan_entries(actor=actor))),
            "can_manage": can_manage,
            "import_form": import_form if can_manage else None,
        },
        status=status,
    )


def plan_list(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    return _render_plan(request, actor_of(request), forms.PlanImportForm(prefix=IMPORT_PREFIX))


def plan_form(request: HttpRequest, tenant_slug: str, entry_id: str | None = None) -> HttpResponse:
    actor = actor_of(request)
    actor.require(perms.MANAGE_PLAN)
    entry = selectors.get_plan_entry(actor=actor, public_id=entry_id) if entry_id else None
    initial = (
        {
            "title": entry.title,
            "retention_years": entry.retention_years,
            "disposal_action": entry.disposal_action,
            "org_unit": entry.org_unit.public_id if entry.org_unit else None,
            "accepts_files": entry.accepts_files,
            "is_active": entry.is_active,
        }
        if entry
        else {}
    )
    form = forms.PlanEntryForm(
        request.POST or None,
        units=tenant_selectors.list_org_units(actor=actor),
        editing=entry is not None,
        initial=initial,
    )
    if request.method == "POST":

        def call() -> AktenplanEntry:
            if entry is None:
                return services.create_plan_entry(actor=actor, **form.cleaned_data)
            return services.update_plan_entry(actor=actor, entry=entry, **form.cleaned_data)

        saved = submit(form, call)
        if saved:
            messages.success(request, _("The file plan entry %(entry)s was saved.") % {"entry": saved})
            return redirect(url(request, "plan_list"))
    title = _("Edit file plan entry %(number)s") % {"number": entry.number} if entry else _("New file plan entry")
    return render(
        request,
        "files/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": url(request, "plan_list"),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def plan_export(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    response = HttpResponse(services.export_plan_csv(actor=actor_of(request)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="aktenplan.csv"'
    return response


@require_POST
def plan_import(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    actor = actor_of(request)
    actor.require(perms.MANAGE_PLAN)
    form = forms.PlanImportForm(request.POST, request.FILES, prefix=IMPORT_PREFIX)
    result = submit(form, lambda: services.import_plan_csv(actor=actor, content=form.cleaned_data["file"]))
    if result is None:
        return _render_plan(request, actor, form, status=400)
    created, updated = result
    messages.success(
        request,
        _("The file plan was imported: %(created)s entries created, %(updated)s updated.")
        % {"created": created, "updated": updated},
    )
    return redirect(url(request, "plan_list"))

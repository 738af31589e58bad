"""Cases (Vorgänge): metadata, parties, documents and the multi-file upload."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amtsflow.core.exceptions import Conflict, NotFound, ValidationFailed
from amtsflow.files import forms, selectors, services
from amtsflow.files import permissions as perms
from amtsflow.files.constants import AkteState
from amtsflow.files.models import Document, Vorgang
from amtsflow.files.views.common import actor_of, history, submit, url
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor

EDIT_PREFIX = "case"
PARTY_PREFIX = "party"


def _edit_form(request: HttpRequest, actor: Actor, vorgang: Vorgang, data: object = None) -> forms.VorgangForm:
    return forms.VorgangForm(
        data,
        prefix=EDIT_PREFIX,
        units=tenant_selectors.list_org_units(actor=actor),
        members=tenant_selectors.list_members(actor=actor).filter(is_active=True),
        editing=True,
        initial={
            "subject": vorgang.subject,
            "description": vorgang.description,
            "status": vorgang.status,
            "due_date": vorgang.due_date,
            "org_unit": vorgang.org_unit.public_id if vorgang.org_unit else None,
            "responsible": vorgang.responsible.public_id if vorgang.responsible else None,
        },
    )


def documents_of(actor: Actor, vorgang: Vorgang) -> list[Document]:
    """The case's documents, e-mail attachments right after their mail."""
    documents = list(
        selectors.list_documents(actor=actor)
        .filter(vorgang=vorgang)
        .select_related("part_of")
        .prefetch_related("versions")
        .order_by("created_at", "pk")
    )
    attachments: dict[int, list[Document]] = {}
    for document in documents:
        if document.part_of_id:
            attachments.setdefault(document.part_of_id, []).append(document)
    ordered = []
    for document in reversed([d for d in documents if not d.part_of_id]):  # newest first
        ordered += [document, *attachments.get(document.pk, [])]
    return ordered


def _render_vorgang(
    request: HttpRequest,
    actor: Actor,
    vorgang: Vorgang,
    *,
    edit_form: forms.VorgangForm | None = None,
    party_form: forms.PartyForm | None = None,
    upload_form: forms.UploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = actor.can(perms.EDIT) and vorgang.akte.state == AkteState.OPEN
    return render(
        request,
        "files/vorgang_detail.html",
        {
            "vorgang": vorgang,
            "akte": vorgang.akte,
            "parties": vorgang.parties.all(),
            "documents": documents_of(actor, vorgang),
            "can_edit": can_edit,
            "edit_form": edit_form or (_edit_form(request, actor, vorgang) if can_edit else None),
            "party_form": party_form or (forms.PartyForm(prefix=PARTY_PREFIX) if can_edit else None),
            "upload_form": upload_form or (forms.UploadForm() if can_edit else None),
            "audit_entries": history(actor, "files.vorgang", vorgang.public_id),
        },
        status=status,
    )


def vorgang_detail(request: HttpRequest, tenant_slug: str, vorgang_id: str) -> HttpResponse:
    actor = actor_of(request)
    vorgang = selectors.get_vorgang(actor=actor, public_id=vorgang_id)
    if request.method != "POST":
        return _render_vorgang(request, actor, vorgang)
    actor.require(perms.EDIT)
    form = _edit_form(request, actor, vorgang, request.POST)
    if submit(form, lambda: services.update_vorgang(actor=actor, vorgang=vorgang, **form.cleaned_data)):
        messages.success(request, _("The case was saved."))
        return redirect(url(request, "vorgang_detail", vorgang_id=vorgang_id))
    return _render_vorgang(request, actor, vorgang, edit_form=form, status=400)


@require_POST
def party_add(request: HttpRequest, tenant_slug: str, vorgang_id: str) -> HttpResponse:
    actor = actor_of(request)
    vorgang = selectors.get_vorgang(actor=actor, public_id=vorgang_id)
    form = forms.PartyForm(request.POST, prefix=PARTY_PREFIX)
    party = submit(form, lambda: services.add_party(actor=actor, vorgang=vorgang, **form.cleaned_data))
    if party is None:
        return _render_vorgang(request, actor, vorgang, party_form=form, status=400)
    messages.success(request, _("%(name)s was added as a party.") % {"name": party.name})
    return redirect(url(request, "vorgang_detail", vorgang_id=vorgang_id) + "#parties")


@require_POST
def party_remove(request: HttpRequest, tenant_slug: str, vorgang_id: str) -> HttpResponse:
    actor = actor_of(request)
    vorgang = selectors.get_vorgang(actor=actor, public_id=vorgang_id)
    # Parties have no public ID; the number is only looked up among this (visible) case's parties.
    party_id = request.POST.get("party", "")
    party = vorgang.parties.filter(pk=party_id).first() if party_id.isdigit() else None
    if party is None:
        raise NotFound(_("Not found."))
    try:
        services.remove_party(actor=actor, party=party)
        messages.success(request, _("%(name)s is no longer a party.") % {"name": party.name})
    except Conflict as error:
        messages.error(request, error.message)
    return redirect(url(request, "vorgang_detail", vorgang_id=vorgang_id) + "#parties")


@require_POST
def document_upload(request: HttpRequest, tenant_slug: str, vorgang_id: str) -> HttpResponse:
    """File each uploaded file on its own: a refused file is reported by name, the others are filed anyway.

    Without JavaScript the form posts normally and the result comes as messages after a redirect;
    upload.js posts the same form and swaps in the returned fragment (result and document table)."""
    actor = actor_of(request)
    vorgang = selectors.get_vorgang(actor=actor, public_id=vorgang_id)
    form = forms.UploadForm(request.POST, request.FILES)
    filed: list[Document] = []
    refused: list[tuple[str, str]] = []
    if form.is_valid():
        options = {k: v for k, v in form.cleaned_data.items() if k != "files"}
        for upload in form.cleaned_data["files"]:
            try:
                filed.append(
                    services.file_document(actor=actor, vorgang=vorgang, upload=upload, filename=upload.name, **options)
                )
            except ValidationFailed as error:  # UploadRefused and unreadable metadata: this file only
                refused.append((upload.name, error.message))
            except Conflict as error:  # e.g. the file was closed meanwhile: the others would fail alike
                form.add_error(None, error.message)
                break
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "files/partials/upload_response.html",
            {
                "vorgang": vorgang,
                "form": form,
                "filed": filed,
                "refused": refused,
                "documents": documents_of(actor, vorgang),
                "can_edit": True,
            },
            status=400 if form.errors and not filed else 200,
        )
    if form.errors and not filed:
        return _render_vorgang(request, actor, vorgang, upload_form=form, status=400)
    if filed:
        messages.success(
            request,
            ngettext("%(count)s document was filed: %(names)s", "%(count)s documents were filed: %(names)s", len(filed))
            % {"count": len(filed), "names": ", ".join(d.title for d in filed)},
        )
    for name, message in refused:
        messages.error(request, _("%(name)s was not filed: %(reason)s") % {"name": name, "reason": message})
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect(url(request, "vorgang_detail", vorgang_id=vorgang_id) + "#documents")

"""Documents: versions, downloads, new versions, check-out/check-in and the text-extraction state."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtsflow.core.exceptions import Conflict, NotFound, ValidationFailed
from amtsflow.files import forms, selectors, services
from amtsflow.files import permissions as perms
from amtsflow.files.constants import AkteState, ExtractionState
from amtsflow.files.models import Document
from amtsflow.files.storage import open_blob
from amtsflow.files.views.common import actor_of, history, submit, url
from amtsflow.tenants.actor import Actor

VERSION_PREFIX = "version"
CHECKIN_PREFIX = "checkin"
# While the worker has not finished, the page asks again every 2 s; afterwards it stops asking.
POLLING_STATES = {ExtractionState.PENDING, ExtractionState.RUNNING}


def _render_document(
    request: HttpRequest,
    actor: Actor,
    document: Document,
    *,
    version_form: forms.VersionForm | None = None,
    checkin_form: forms.CheckInForm | None = None,
    status: int = 200,
) -> HttpResponse:
    versions = list(selectors.list_versions(actor=actor, document=document).select_related("rendition"))
    membership = actor.membership
    mine = membership is not None and document.checked_out_by_id == membership.pk
    held_by_other = document.checked_out_by_id is not None and not mine
    can_edit = actor.can(perms.EDIT) and document.vorgang.akte.state == AkteState.OPEN
    return render(
        request,
        "files/document_detail.html",
        {
            "document": document,
            "vorgang": document.vorgang,
            "akte": document.vorgang.akte,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "attachments": selectors.list_documents(actor=actor).filter(part_of=document).order_by("created_at"),
            "can_edit": can_edit,
            "checked_out_by_me": mine,
            "held_by_other": held_by_other,
            "can_force_check_in": held_by_other and can_edit and actor.can(perms.DISPOSE),
            # While checked out, the holder files the edited content through the check-in form.
            "version_form": version_form
            or (forms.VersionForm(prefix=VERSION_PREFIX) if can_edit and not document.checked_out_by_id else None),
            "checkin_form": checkin_form or (forms.CheckInForm(prefix=CHECKIN_PREFIX) if can_edit and mine else None),
            "polling_states": POLLING_STATES,
            "audit_entries": history(actor, "files.document", document.public_id),
        },
        status=status,
    )


def document_detail(request: HttpRequest, tenant_slug: str, document_id: str) -> HttpResponse:
    actor = actor_of(request)
    return _render_document(request, actor, selectors.get_document(actor=actor, public_id=document_id))


@require_GET
def document_download(request: HttpRequest, tenant_slug: str, document_id: str) -> FileResponse:
    """The latest version, `?version=<n>`, or with `rendition=1` its searchable PDF/A; every download is audited."""
    actor = actor_of(request)
    document = selectors.get_document(actor=actor, public_id=document_id)
    number = request.GET.get("version", "")
    version = (
        selectors.get_version(actor=actor, document=document, number=int(number))
        if number.isdigit()
        else selectors.latest_version(document)
    )
    if version is None:
        raise NotFound(_("Not found."))
    rendition = request.GET.get("rendition") == "1"
    if rendition and version.rendition_id is None:
        raise NotFound(_("Not found."))
    services.record_download(actor=actor, version=version, rendition=rendition)
    if rendition:
        blob, content_type, filename = version.rendition, "application/pdf", version.filename.rsplit(".", 1)[0] + ".pdf"
    else:
        blob, content_type, filename = version.blob, version.media_type, version.filename
    response = FileResponse(open_blob(blob), as_attachment=True, filename=filename, content_type=content_type)
    # Files may be confidential: no copies in shared or browser caches.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def extraction_state(request: HttpRequest, tenant_slug: str, document_id: str) -> HttpResponse:
    """The polled fragment. 204 while nothing changed, so htmx swaps nothing and screen readers hear nothing new."""
    actor = actor_of(request)
    document = selectors.get_document(actor=actor, public_id=document_id)
    latest = selectors.latest_version(document)
    unchanged = latest is not None and request.GET.get("seen") == latest.extraction_state
    if unchanged and latest.extraction_state in POLLING_STATES:
        return HttpResponse(status=204)
    return render(
        request,
        "files/partials/extraction_state.html",
        {"document": document, "latest": latest, "polling_states": POLLING_STATES},
    )


@require_POST
def version_add(request: HttpRequest, tenant_slug: str, document_id: str) -> HttpResponse:
    actor = actor_of(request)
    document = selectors.get_document(actor=actor, public_id=document_id)
    form = forms.VersionForm(request.POST, request.FILES, prefix=VERSION_PREFIX)
    version = submit(
        form,
        lambda: services.add_version(
            actor=actor,
            document=document,
            upload=form.cleaned_data["file"],
            filename=form.cleaned_data["file"].name,
            comment=form.cleaned_data["comment"],
        ),
    )
    if version is None:
        return _render_document(request, actor, document, version_form=form, status=400)
    messages.success(request, _("Version %(number)s was filed.") % {"number": version.number})
    return redirect(url(request, "document_detail", document_id=document_id))


@require_POST
def check_out(request: HttpRequest, tenant_slug: str, document_id: str) -> HttpResponse:
    actor = actor_of(request)
    document = selectors.get_document(actor=actor, public_id=document_id)
    try:
        services.check_out(actor=actor, document=document)
        messages.success(request, _("You have checked out the document; nobody else can add a version meanwhile."))
    except (Conflict, ValidationFailed) as error:
        messages.error(request, error.message)
    return redirect(url(request, "document_detail", document_id=document_id))


@require_POST
def check_in(request: HttpRequest, tenant_slug: str, document_id: str) -> HttpResponse:
    """Check in one's own lock (optionally with the edited file) or, with `force`, release someone else's."""
    actor = actor_of(request)
    document = selectors.get_document(actor=actor, public_id=document_id)
    force = request.POST.get("force") == "1"
    form = forms.CheckInForm(request.POST, request.FILES, prefix=CHECKIN_PREFIX)
    upload = form.cleaned_data.get("file") if form.is_valid() else None
    done = submit(
        form,
        lambda: services.check_in(
            actor=actor,
            document=document,
            upload=upload,
            filename=upload.name if upload else "",
            comment=form.cleaned_data["comment"],
            force=force,
        ),
    )
    if done is None:
        if force:  # the release button has no form to show errors on
            for error in form.non_field_errors():
                messages.error(request, error)
            return redirect(url(request, "document_detail", document_id=document_id))
        return _render_document(request, actor, document, checkin_form=form, status=400)
    messages.success(request, _("The document was checked in."))
    return redirect(url(request, "document_detail", document_id=document_id))

"""The embedded bpmn-js modeller: the page (GET) and saving the edited draft as BPMN XML (POST)."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsflow.core.exceptions import ValidationFailed
from amtsflow.processes import permissions as perms
from amtsflow.processes import selectors, services
from amtsflow.processes.models import ProcessModel
from amtsflow.processes.services.definitions import MAX_MODEL_BYTES
from amtsflow.processes.templatetags.diagram import bundle_installed
from amtsflow.processes.views.common import actor_of


@require_http_methods(["GET", "POST"])
def model_modeler(request: HttpRequest, tenant_slug: str, model_id: str) -> HttpResponse:
    actor = actor_of(request)
    actor.require(perms.MODEL)
    model = selectors.get_model(actor=actor, public_id=model_id)
    if request.method == "POST":
        return _save(request, model)
    return render(request, "processes/modeler.html", {"model": model, "installed": bundle_installed("modeler")})


def _too_large() -> JsonResponse:
    message = _("The model is larger than 5 MB and cannot be saved.")
    return JsonResponse({"detail": message, "errors": []}, status=413)


def _save(request: HttpRequest, model: ProcessModel) -> JsonResponse:
    """The body is the BPMN XML itself (what bpmn-js exports), not a form."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # Refuse by the declared length before reading anything. Django itself refuses bodies above
    # DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig), which a deployment may set lower.
    if declared > MAX_MODEL_BYTES:
        return _too_large()
    try:
        body = request.body
    except RequestDataTooBig:
        return _too_large()
    if len(body) > MAX_MODEL_BYTES:
        return _too_large()
    if not body.strip():
        message = _("The request contained no BPMN.")
        return JsonResponse({"detail": message, "errors": []}, status=400)
    try:
        services.save_draft(actor=actor_of(request), model=model, bpmn=body)
    except ValidationFailed as error:
        errors = [text for texts in error.field_errors.values() for text in texts]
        return JsonResponse({"detail": error.message, "errors": errors}, status=400)
    return JsonResponse({"ok": True})

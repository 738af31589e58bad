"""BPMN of deployed versions, for the diagram of an instance (which runs on its version, not on the draft)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from amtsflow.core.selectors import get_by_public_id
from amtsflow.processes import permissions as perms
from amtsflow.processes.models import ProcessVersion
from amtsflow.processes.views.common import actor_of


@require_GET
def version_bpmn(request: HttpRequest, tenant_slug: str, version_id: str) -> HttpResponse:
    actor_of(request).require(perms.VIEW)
    # The tenant-scoped manager: another tenant's version answers 404 like a missing one.
    version = get_by_public_id(ProcessVersion.objects.select_related("model"), version_id)
    response = HttpResponse(version.bpmn, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.model.key}-v{version.number}.bpmn"'
    return response

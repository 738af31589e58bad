"""Views without a tenant: health check and error pages."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 -- any database failure means "not ready"
        return JsonResponse({"status": "error", "database": "unreachable", "error": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request: HttpRequest, exception: Exception | None = None):  # noqa: ARG001
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest):
    return render(request, "500.html", status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None):  # noqa: ARG001
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None):  # noqa: ARG001
    return render(request, "400.html", status=400)

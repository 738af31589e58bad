"""REST API glue shared by all capabilities."""

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from amtsflow.core.exceptions import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn domain errors into JSON responses: `{"detail": ..., "errors": {field: [...]}}`."""
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": str(exc.message)}
        if exc.field_errors:
            body["errors"] = {key: [str(m) for m in msgs] for key, msgs in exc.field_errors.items()}
        return Response(body, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_403_FORBIDDEN and getattr(exc, "default_code", "") == ("not_authenticated"):
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response

"""REST API glue shared by all capabilities."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from amtsflow.core.exceptions import DomainError, NotFound, ValidationFailed

if TYPE_CHECKING:
    from amtsflow.tenants.actor import Actor


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
    if isinstance(exc, drf_exceptions.ValidationError) and isinstance(response.data, dict):
        # One error shape for every 400: a message plus the field errors.
        response.data = {"detail": str(_("Please correct the marked fields.")), "errors": response.data}
    if response.status_code == status.HTTP_403_FORBIDDEN and getattr(exc, "default_code", "") == ("not_authenticated"):
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response


T = TypeVar("T")


def ref(getter: Callable[..., T], actor: "Actor", value: Any, field: str) -> T | None:
    """Resolve an ID given in a request body; foreign and unknown IDs are a field error, not a 404."""
    if value is None:
        return None
    try:
        return getter(actor=actor, public_id=value)
    except NotFound:
        raise ValidationFailed(
            _("Please correct the marked fields."), field_errors={field: [_("Unknown ID.")]}
        ) from None


def valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ActorViewSet(viewsets.GenericViewSet):
    """Viewsets that address objects by UUID and act as the request's actor (set by the tenant middleware)."""

    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    @property
    def actor(self) -> "Actor":
        return self.request._request.actor  # noqa: SLF001

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.lookup_url_kwarg in self.kwargs:
            # Resolve the object before reading the body: another tenant's ID is a 404, whatever was sent.
            self.get_object()

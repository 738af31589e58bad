"""REST API of the booking export: batches, a new batch of the released invoices, the batch files."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from amtsflow.core.api import ActorViewSet
from amtsflow.einvoices import selectors
from amtsflow.einvoices.models import BookingBatch
from amtsflow.einvoices.services import export

READ, ADMIN = "einvoices.read", "einvoices.admin"


class BookingBatchSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    invoices = serializers.SlugRelatedField(many=True, read_only=True, slug_field="public_id")

    class Meta:
        model = BookingBatch
        fields = [
            "id",
            "number",
            "created_at",
            "created_by",
            "invoice_count",
            "gross_total",
            "download_count",
            "invoices",
        ]


class BookingBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = BookingBatchSerializer
    required_scopes = {"list": READ, "retrieve": READ, "create": ADMIN, "csv": ADMIN, "json": ADMIN}

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_batches(actor=self.actor).prefetch_related("invoices")

    def get_object(self):  # noqa: ANN201
        return selectors.get_batch(actor=self.actor, public_id=self.kwargs["id"])

    @extend_schema(
        request=None,
        responses={201: BookingBatchSerializer},
        description="Export every released invoice not exported yet as a new batch; 409 if there is none.",
    )
    def create(self, request: Request) -> Response:
        batch = export.create_batch(actor=self.actor)
        return Response(BookingBatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    def _file(self, fmt: str) -> HttpResponse:
        content, filename, content_type = export.download(actor=self.actor, batch=self.get_object(), fmt=fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def csv(self, request: Request, id: str) -> HttpResponse:  # noqa: A002
        return self._file("csv")

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def json(self, request: Request, id: str) -> HttpResponse:  # noqa: A002
        return self._file("json")

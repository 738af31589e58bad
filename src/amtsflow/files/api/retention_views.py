"""REST API of the Aussonderung (disposal lists) and of records packages. Each action calls one service."""

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from amtsflow.core.api import ActorViewSet, ref, valid
from amtsflow.core.exceptions import ValidationFailed
from amtsflow.files import packages, selectors
from amtsflow.files.api.serializers import AkteSerializer
from amtsflow.files.models import Akte, DisposalList, DisposalListItem
from amtsflow.files.services import retention

READ, ADMIN = "files.read", "files.admin"


class DueAkteSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    plan_number = serializers.CharField(source="plan_entry.number", read_only=True)
    disposal_action = serializers.CharField(source="plan_entry.disposal_action", read_only=True)
    blocked = serializers.BooleanField(read_only=True, help_text="under legal hold")
    on_list = serializers.BooleanField(read_only=True, help_text="already on an open disposal list")

    class Meta:
        model = Akte
        fields = [
            "id",
            "aktenzeichen",
            "title",
            "plan_number",
            "disposal_action",
            "closed_at",
            "retention_until",
            "legal_hold_reason",
            "blocked",
            "on_list",
        ]


class DisposalItemSerializer(serializers.ModelSerializer):
    akte = serializers.UUIDField(source="akte.public_id", read_only=True, allow_null=True)

    class Meta:
        model = DisposalListItem
        fields = [
            "akte",
            "aktenzeichen",
            "title",
            "plan_number",
            "action",
            "retention_until",
            "outcome",
            "message",
            "package_name",
            "processed_at",
        ]


class DisposalListSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    items = DisposalItemSerializer(many=True, read_only=True)

    class Meta:
        model = DisposalList
        fields = ["id", "as_of", "state", "created_at", "approved_at", "executed_at", "items"]


class DisposalListCreateSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, allow_null=True, default=None)


class RemoveItemSerializer(serializers.Serializer):
    akte = serializers.UUIDField()


class DisposalResultSerializer(serializers.Serializer):
    disposal_list = DisposalListSerializer()
    archived = serializers.ListField(child=serializers.CharField(), help_text="reference numbers")
    destroyed = serializers.ListField(child=serializers.CharField(), help_text="reference numbers")
    failed = serializers.DictField(child=serializers.CharField(), help_text="reference number: reason")


class PackageImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    plan_entry = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="file plan entry for files whose entry is missing here"
    )


def _zip(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response


class DueForDisposalViewSet(mixins.ListModelMixin, ActorViewSet):
    """Closed files whose retention ran out before `as_of` (default today); legal holds come `blocked`."""

    serializer_class = DueAkteSerializer
    required_scopes = {"list": ADMIN}

    def get_queryset(self):  # noqa: ANN201
        raw = self.request.query_params.get("as_of")
        try:
            as_of = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            message = _("Enter a valid date (YYYY-MM-DD).")
            raise ValidationFailed(message, field_errors={"as_of": [message]}) from None
        return retention.list_due_for_disposal(actor=self.actor, as_of=as_of)

    @extend_schema(parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="default: today")])
    def list(self, request: Request) -> Response:
        return super().list(request)


class DisposalListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = DisposalListSerializer
    required_scopes = {
        "list": ADMIN,
        "retrieve": ADMIN,
        "create": ADMIN,
        "approve": ADMIN,
        "execute": ADMIN,
        "remove": ADMIN,
        "package": ADMIN,
    }

    def get_queryset(self):  # noqa: ANN201
        return retention.list_disposal_lists(actor=self.actor)

    def get_object(self):  # noqa: ANN201
        return retention.get_disposal_list(actor=self.actor, public_id=self.kwargs["id"])

    @extend_schema(request=DisposalListCreateSerializer, responses={201: DisposalListSerializer})
    def create(self, request: Request) -> Response:
        data = valid(DisposalListCreateSerializer, request.data)
        disposal_list = retention.create_disposal_list(actor=self.actor, as_of=data["as_of"])
        return Response(DisposalListSerializer(disposal_list).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=DisposalListSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, id: str) -> Response:  # noqa: A002
        disposal_list = retention.approve_disposal_list(actor=self.actor, disposal_list=self.get_object())
        return Response(DisposalListSerializer(disposal_list).data)

    @extend_schema(request=RemoveItemSerializer, responses=DisposalListSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, id: str) -> Response:  # noqa: A002
        disposal_list = self.get_object()  # first: a foreign list is 404 whatever the body says
        data = valid(RemoveItemSerializer, request.data)
        # Confidential files are addressed through the list: they may be hidden from the file selectors.
        item = disposal_list.items.filter(akte__public_id=data["akte"]).select_related("akte").first()
        if item is None or item.akte is None:
            raise ValidationFailed(
                _("Please correct the marked fields."),
                field_errors={"akte": [_("The file is not on this disposal list.")]},
            )
        disposal_list = retention.remove_from_disposal_list(
            actor=self.actor, disposal_list=disposal_list, akte=item.akte
        )
        return Response(DisposalListSerializer(disposal_list).data)

    @extend_schema(request=None, responses=DisposalResultSerializer)
    @action(detail=True, methods=["post"])
    def execute(self, request: Request, id: str) -> Response:  # noqa: A002
        result = retention.execute_disposal_list(actor=self.actor, disposal_list=self.get_object())
        return Response(
            {
                "disposal_list": DisposalListSerializer(
                    retention.get_disposal_list(actor=self.actor, public_id=result.disposal_list.public_id)
                ).data,
                "archived": [item.aktenzeichen for item in result.archived],
                "destroyed": [item.aktenzeichen for item in result.destroyed],
                "failed": {item.aktenzeichen: item.message for item in result.failed},
            }
        )

    @extend_schema(request=None, responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def package(self, request: Request, id: str) -> HttpResponse:  # noqa: A002
        disposal_list = self.get_object()
        data = packages.export_disposal_package(actor=self.actor, disposal_list=disposal_list)
        return _zip(data, f"aussonderung-{disposal_list.public_id}")


class PackageViewSet(ActorViewSet):
    """Records packages (ZIP with an XDOMEA-style manifest.xml and the content of every version)."""

    required_scopes = {"export": READ, "import_package": ADMIN}

    @extend_schema(request=None, responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path=r"export/(?P<akte_id>[0-9a-fA-F-]{36})")
    def export(self, request: Request, akte_id: str) -> HttpResponse:
        akte = selectors.get_akte(actor=self.actor, public_id=akte_id)
        data = packages.export_akte_package(actor=self.actor, akte=akte)
        return _zip(data, akte.aktenzeichen.replace("/", "_"))

    @extend_schema(request={"multipart/form-data": PackageImportSerializer}, responses={201: AkteSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser])
    def import_package(self, request: Request) -> Response:
        data = valid(PackageImportSerializer, request.data)
        fallback = ref(selectors.get_plan_entry, self.actor, data["plan_entry"], "plan_entry")
        with data["file"].open("rb") as upload:
            akten = packages.import_package(actor=self.actor, data=upload, plan_entry_fallback=fallback)
        return Response(AkteSerializer(akten, many=True).data, status=status.HTTP_201_CREATED)

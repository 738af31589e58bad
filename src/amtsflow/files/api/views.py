"""REST API of the E-Akte. Each action parses, calls one selector or service, renders."""

from typing import Any

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from amtsflow.core.api import ActorViewSet, ref, valid
from amtsflow.files import search, selectors, services
from amtsflow.files.api import serializers as s
from amtsflow.files.storage import open_blob
from amtsflow.tenants import selectors as tenant_selectors

READ, WRITE, ADMIN = "files.read", "files.write", "files.admin"


class PlanEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.PlanEntrySerializer
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": ADMIN,
        "update": ADMIN,
        "export_csv": READ,
        "import_csv": ADMIN,
    }

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_plan_entries(actor=self.actor)

    def get_object(self):  # noqa: ANN201
        return selectors.get_plan_entry(actor=self.actor, public_id=self.kwargs["id"])

    def _unit(self, data: dict[str, Any]) -> dict[str, Any]:
        data["org_unit"] = ref(tenant_selectors.get_org_unit, self.actor, data["org_unit"], "org_unit")
        return data

    @extend_schema(request=s.PlanEntryWriteSerializer, responses={201: s.PlanEntrySerializer})
    def create(self, request: Request) -> Response:
        entry = services.create_plan_entry(
            actor=self.actor, **self._unit(valid(s.PlanEntryWriteSerializer, request.data))
        )
        return Response(s.PlanEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PlanEntryUpdateSerializer, responses=s.PlanEntrySerializer)
    def update(self, request: Request, id: str) -> Response:  # noqa: A002
        data = self._unit(valid(s.PlanEntryUpdateSerializer, request.data))
        entry = services.update_plan_entry(actor=self.actor, entry=self.get_object(), **data)
        return Response(s.PlanEntrySerializer(entry).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=False, methods=["get"], url_path="export")
    def export_csv(self, request: Request) -> HttpResponse:
        response = HttpResponse(services.export_plan_csv(actor=self.actor), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="aktenplan.csv"'
        return response

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_csv(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        content = upload.read().decode("utf-8-sig", errors="replace") if upload else ""
        created, updated = services.import_plan_csv(actor=self.actor, content=content)
        return Response({"created": created, "updated": updated})


class AkteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.AkteSerializer
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "update": WRITE,
        "close": WRITE,
        "reopen": ADMIN,
        "legal_hold": ADMIN,
    }

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_akten(actor=self.actor)

    def get_object(self):  # noqa: ANN201
        return selectors.get_akte(actor=self.actor, public_id=self.kwargs["id"])

    def _members(self, ids: list[str] | None) -> list | None:
        if ids is None:
            return None
        return [ref(tenant_selectors.get_member, self.actor, i, "permitted_members") for i in ids]

    @extend_schema(request=s.AkteCreateSerializer, responses={201: s.AkteSerializer})
    def create(self, request: Request) -> Response:
        data = valid(s.AkteCreateSerializer, request.data)
        data["plan_entry"] = ref(selectors.get_plan_entry, self.actor, data["plan_entry"], "plan_entry")
        data["org_unit"] = ref(tenant_selectors.get_org_unit, self.actor, data["org_unit"], "org_unit")
        data["permitted_members"] = self._members(data["permitted_members"])
        akte = services.create_akte(actor=self.actor, **data)
        return Response(s.AkteSerializer(akte).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AkteUpdateSerializer, responses=s.AkteSerializer)
    def update(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.AkteUpdateSerializer, request.data)
        data["org_unit"] = ref(tenant_selectors.get_org_unit, self.actor, data["org_unit"], "org_unit")
        data["permitted_members"] = self._members(data.get("permitted_members"))
        akte = services.update_akte(actor=self.actor, akte=self.get_object(), **data)
        return Response(s.AkteSerializer(akte).data)

    @extend_schema(request=None, responses=s.AkteSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(s.AkteSerializer(services.close_akte(actor=self.actor, akte=self.get_object())).data)

    @extend_schema(request=None, responses=s.AkteSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(s.AkteSerializer(services.reopen_akte(actor=self.actor, akte=self.get_object())).data)

    @extend_schema(request=s.LegalHoldSerializer, responses=s.AkteSerializer)
    @action(detail=True, methods=["post"], url_path="legal-hold")
    def legal_hold(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.LegalHoldSerializer, request.data)
        akte = services.set_legal_hold(actor=self.actor, akte=self.get_object(), **data)
        return Response(s.AkteSerializer(akte).data)


class VorgangViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.VorgangSerializer
    required_scopes = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE, "parties": WRITE}

    def get_queryset(self):  # noqa: ANN201
        vorgaenge = selectors.list_vorgaenge(actor=self.actor).prefetch_related("parties")
        akte_id = self.request.query_params.get("akte")
        return vorgaenge.filter(akte__public_id=akte_id) if akte_id else vorgaenge

    def get_object(self):  # noqa: ANN201
        return selectors.get_vorgang(actor=self.actor, public_id=self.kwargs["id"])

    def _refs(self, data: dict[str, Any]) -> dict[str, Any]:
        data["org_unit"] = ref(tenant_selectors.get_org_unit, self.actor, data["org_unit"], "org_unit")
        data["responsible"] = ref(tenant_selectors.get_member, self.actor, data["responsible"], "responsible")
        return data

    @extend_schema(
        request=s.VorgangWriteSerializer,
        responses={201: s.VorgangSerializer},
        parameters=[OpenApiParameter("akte", OpenApiTypes.UUID, description="only cases of this file")],
    )
    def create(self, request: Request) -> Response:
        data = self._refs(valid(s.VorgangWriteSerializer, request.data))
        data.pop("status")
        akte = ref(selectors.get_akte, self.actor, data.pop("akte", None), "akte")
        if akte is None:
            return Response(
                {"detail": "akte is required", "errors": {"akte": ["This field is required."]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        vorgang = services.create_vorgang(actor=self.actor, akte=akte, **data)
        return Response(s.VorgangSerializer(vorgang).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VorgangWriteSerializer, responses=s.VorgangSerializer)
    def update(self, request: Request, id: str) -> Response:  # noqa: A002
        data = self._refs(valid(s.VorgangWriteSerializer, request.data))
        data.pop("akte", None)
        vorgang = services.update_vorgang(actor=self.actor, vorgang=self.get_object(), **data)
        return Response(s.VorgangSerializer(vorgang).data)

    @extend_schema(request=s.PartySerializer, responses={201: s.PartySerializer})
    @action(detail=True, methods=["post"])
    def parties(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.PartySerializer, request.data)
        party = services.add_party(actor=self.actor, vorgang=self.get_object(), **data)
        return Response(s.PartySerializer(party).data, status=status.HTTP_201_CREATED)


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.DocumentSerializer
    parser_classes = [MultiPartParser, JSONParser]
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": WRITE,
        "versions": WRITE,
        "content": READ,
        "check_out": WRITE,
        "check_in": WRITE,
    }

    def get_queryset(self):  # noqa: ANN201
        documents = selectors.list_documents(actor=self.actor).prefetch_related("versions__blob")
        vorgang_id = self.request.query_params.get("vorgang")
        return documents.filter(vorgang__public_id=vorgang_id) if vorgang_id else documents

    def get_object(self):  # noqa: ANN201
        return selectors.get_document(actor=self.actor, public_id=self.kwargs["id"])

    @extend_schema(
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentSerializer},
        parameters=[OpenApiParameter("vorgang", OpenApiTypes.UUID, description="only documents of this case")],
    )
    def create(self, request: Request) -> Response:
        data = valid(s.DocumentUploadSerializer, request.data)
        vorgang = ref(selectors.get_vorgang, self.actor, data.pop("vorgang"), "vorgang")
        upload = data.pop("file")
        document = services.file_document(
            actor=self.actor, vorgang=vorgang, upload=upload, filename=upload.name, **data
        )
        return Response(
            s.DocumentSerializer(selectors.get_document(actor=self.actor, public_id=document.public_id)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request={"multipart/form-data": s.VersionUploadSerializer}, responses={201: s.VersionSerializer})
    @action(detail=True, methods=["post"])
    def versions(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.VersionUploadSerializer, request.data)
        upload = data.pop("file")
        version = services.add_version(
            actor=self.actor, document=self.get_object(), upload=upload, filename=upload.name, **data
        )
        return Response(s.VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        parameters=[
            OpenApiParameter("version", OpenApiTypes.INT, description="default: the latest"),
            OpenApiParameter("rendition", OpenApiTypes.BOOL, description="the searchable PDF/A instead"),
        ],
    )
    @action(detail=True, methods=["get"])
    def content(self, request: Request, id: str) -> FileResponse:  # noqa: A002
        document = self.get_object()
        number = request.query_params.get("version")
        version = (
            selectors.get_version(actor=self.actor, document=document, number=int(number))
            if number and number.isdigit()
            else selectors.latest_version(document)
        )
        rendition = request.query_params.get("rendition") in {"1", "true"} and version.rendition_id is not None
        services.record_download(actor=self.actor, version=version, rendition=rendition)
        blob = version.rendition if rendition else version.blob
        filename = version.filename.rsplit(".", 1)[0] + ".pdf" if rendition else version.filename
        return FileResponse(
            open_blob(blob),
            as_attachment=True,
            filename=filename,
            content_type="application/pdf" if rendition else version.media_type,
        )

    @extend_schema(request=None, responses=s.DocumentSerializer)
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request: Request, id: str) -> Response:  # noqa: A002
        document = services.check_out(actor=self.actor, document=self.get_object())
        return Response(s.DocumentSerializer(document).data)

    @extend_schema(request={"multipart/form-data": s.CheckInSerializer}, responses=s.DocumentSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.CheckInSerializer, request.data)
        upload = data.pop("file")
        document = services.check_in(
            actor=self.actor, document=self.get_object(), upload=upload, filename=upload.name if upload else "", **data
        )
        return Response(s.DocumentSerializer(document).data)


class SearchView(APIView):
    required_scopes = {"get": READ}

    @extend_schema(
        parameters=[s.SearchQuerySerializer],
        responses=s.SearchResultsSerializer,
        summary="Full-text and metadata search over files, cases and documents",
    )
    def get(self, request: Request) -> Response:
        actor = request._request.actor  # noqa: SLF001
        params = valid(s.SearchQuerySerializer, request.query_params)
        params["plan_entry"] = ref(selectors.get_plan_entry, actor, params["plan_entry"], "plan_entry")
        params["akte"] = ref(selectors.get_akte, actor, params["akte"], "akte")
        results = search.search(
            actor=actor,
            query=params.pop("q"),
            **{k: v or None for k, v in params.items() if k not in {"limit", "offset"}},
            limit=params["limit"],
            offset=params["offset"],
        )
        return Response(s.SearchResultsSerializer(results).data)

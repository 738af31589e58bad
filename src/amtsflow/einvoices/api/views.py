"""REST API of incoming e-invoices: delivery (for receipt platforms), invoices, reports, arrivals, routes."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from amtsflow.core.api import ActorViewSet, ref, valid
from amtsflow.core.exceptions import NotFound
from amtsflow.einvoices import selectors
from amtsflow.einvoices.api import serializers as s
from amtsflow.einvoices.presentation import findings_for_display
from amtsflow.einvoices.services import clearing, intake, routing
from amtsflow.tenants import selectors as tenant_selectors

READ, RECEIVE, ADMIN = "einvoices.read", "einvoices.receive", "einvoices.admin"


class InvoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.InvoiceSerializer
    parser_classes = [JSONParser, MultiPartParser]
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": RECEIVE,
        "findings": READ,
        "original": READ,
        "report": READ,
        "assign": ADMIN,
        "start_approval": ADMIN,
    }

    def get_queryset(self):  # noqa: ANN201
        params = self.request.query_params
        return selectors.list_invoices(
            actor=self.actor,
            state=params.get("state", ""),
            validity=params.get("validity", ""),
            query=params.get("q", ""),
        )

    def get_object(self):  # noqa: ANN201
        return selectors.get_invoice(actor=self.actor, public_id=self.kwargs["id"])

    def get_serializer_class(self):  # noqa: ANN201
        return s.InvoiceDetailSerializer if self.action == "retrieve" else s.InvoiceSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, description="received, clearing, in_approval, released, rejected, exported"),
            OpenApiParameter("validity", str, description="accept, reject, not_validated, unstructured"),
            OpenApiParameter("q", str, description="number, supplier, Leitweg-ID or file name"),
        ]
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    @extend_schema(
        request={"multipart/form-data": s.UploadSerializer},
        responses={201: s.ReceiptSerializer(many=True)},
        description="Deliver invoice files (e.g. forwarded from a receipt platform). Each file is stored, then "
        "validated, read, routed and filed; the answer lists one arrival per file with its outcome.",
    )
    def create(self, request: Request) -> Response:
        files = intake.from_uploads(request.FILES.getlist("files"))
        receipts = intake.receive(actor=self.actor, files=files, channel="api", source=self.actor.label)
        fresh = [selectors.get_receipt(actor=self.actor, public_id=r.public_id) for r in receipts]
        return Response(s.ReceiptSerializer(fresh, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.FindingSerializer(many=True))
    @action(detail=True, methods=["get"])
    def findings(self, request: Request, id: str) -> Response:  # noqa: A002
        shown = findings_for_display(self.get_object())
        return Response(s.FindingSerializer([f.__dict__ for f in shown], many=True).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def original(self, request: Request, id: str) -> HttpResponse:  # noqa: A002
        invoice = self.get_object()
        response = HttpResponse(selectors.original_of(invoice), content_type="application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=invoice.filename)
        return response

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, description="xml (KoSIT report, default) or svrl")],
        responses={(200, "application/xml"): OpenApiTypes.STR},
    )
    @action(detail=True, methods=["get"])
    def report(self, request: Request, id: str) -> HttpResponse:  # noqa: A002
        invoice = self.get_object()
        name = invoice.svrl_storage_name if request.query_params.get("kind") == "svrl" else invoice.report_storage_name
        if not name:
            raise NotFound(_("There is no such report for this invoice (it was not validated)."))
        return HttpResponse(selectors.stored(name), content_type="application/xml")

    @extend_schema(request=s.AssignSerializer, responses=s.InvoiceSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, id: str) -> Response:  # noqa: A002
        invoice = self.get_object()
        data = valid(s.AssignSerializer, request.data)
        unit = ref(tenant_selectors.get_org_unit, self.actor, data["org_unit"], "org_unit")
        invoice = clearing.assign_unit(
            actor=self.actor, invoice=invoice, org_unit=unit, remember_route=data["remember"]
        )
        return Response(s.InvoiceSerializer(invoice).data)

    @extend_schema(request=None, responses=s.InvoiceSerializer)
    @action(detail=True, methods=["post"], url_path="start-approval")
    def start_approval(self, request: Request, id: str) -> Response:  # noqa: A002
        """Start the approval of a received invoice again (e.g. after the approval model was deployed)."""
        invoice = clearing.start_approval(actor=self.actor, invoice=self.get_object())
        return Response(s.InvoiceSerializer(selectors.get_invoice(actor=self.actor, public_id=invoice.public_id)).data)


class ReceiptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.ReceiptSerializer
    required_scopes = {"list": READ, "retrieve": READ, "reprocess": ADMIN}

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_receipts(actor=self.actor, state=self.request.query_params.get("state", ""))

    def get_object(self):  # noqa: ANN201
        return selectors.get_receipt(actor=self.actor, public_id=self.kwargs["id"])

    @extend_schema(request=None, responses=s.ReceiptSerializer)
    @action(detail=True, methods=["post"])
    def reprocess(self, request: Request, id: str) -> Response:  # noqa: A002
        receipt = intake.reprocess(actor=self.actor, receipt=self.get_object())
        return Response(s.ReceiptSerializer(selectors.get_receipt(actor=self.actor, public_id=receipt.public_id)).data)


class RouteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ActorViewSet):
    serializer_class = s.RouteSerializer
    required_scopes = {"list": READ, "retrieve": READ, "create": ADMIN, "update": ADMIN, "destroy": ADMIN}

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_routes(actor=self.actor)

    def get_object(self):  # noqa: ANN201
        return selectors.get_route(actor=self.actor, public_id=self.kwargs["id"])

    def _save(self, request: Request, route: object = None) -> object:
        data = valid(s.RouteSerializer, request.data)
        unit = ref(tenant_selectors.get_org_unit, self.actor, data["org_unit"]["public_id"], "org_unit")
        return routing.save_route(
            actor=self.actor, leitweg_id=data["leitweg_id"], org_unit=unit, note=data.get("note", ""), route=route
        )

    @extend_schema(request=s.RouteSerializer, responses={201: s.RouteSerializer})
    def create(self, request: Request) -> Response:
        return Response(s.RouteSerializer(self._save(request)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RouteSerializer, responses=s.RouteSerializer)
    def update(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(s.RouteSerializer(self._save(request, self.get_object())).data)

    def destroy(self, request: Request, id: str) -> Response:  # noqa: A002
        routing.delete_route(actor=self.actor, route=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

"""REST API of the process engine. Each action parses, calls one selector or service, renders."""

from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from amtsflow.core.api import ActorViewSet, ref, valid
from amtsflow.processes import selectors, services
from amtsflow.processes.api import serializers as s
from amtsflow.processes.constants import TaskState
from amtsflow.processes.forms import api_data
from amtsflow.processes.xes import write_xes
from amtsflow.tenants import selectors as tenant_selectors

READ, WORK, ADMIN = "processes.read", "processes.work", "processes.admin"


class ProcessModelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.ProcessModelSerializer
    parser_classes = [JSONParser, MultiPartParser]
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "create": ADMIN,
        "update": ADMIN,
        "deploy": ADMIN,
        "versions": READ,
        "bpmn": READ,
        "start": WORK,
    }

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_models(actor=self.actor).prefetch_related("versions")

    def get_object(self):  # noqa: ANN201
        return selectors.get_model(actor=self.actor, public_id=self.kwargs["id"])

    @extend_schema(
        request={"multipart/form-data": s.ModelImportSerializer},
        responses={201: s.ProcessModelSerializer},
        description="Import BPMN (and DMN) files; replaces the draft of the model with the same process ID.",
    )
    def create(self, request: Request) -> Response:
        data = valid(s.ModelImportSerializer, request.data)
        dmn = [(f.name, f.read()) for f in request.FILES.getlist("dmn")]
        model = services.import_model(
            actor=self.actor,
            bpmn=data["bpmn"].read(),
            dmn=dmn,
            description=data["description"],
            plan_entry=data["plan_entry"],
        )
        return Response(s.ProcessModelSerializer(model).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ModelSettingsSerializer, responses=s.ProcessModelSerializer)
    def update(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.ModelSettingsSerializer, request.data)
        model = services.update_model_settings(actor=self.actor, model=self.get_object(), **data)
        return Response(s.ProcessModelSerializer(model).data)

    @extend_schema(request=None, responses={201: s.ProcessVersionSerializer})
    @action(detail=True, methods=["post"])
    def deploy(self, request: Request, id: str) -> Response:  # noqa: A002
        version = services.deploy(actor=self.actor, model=self.get_object())
        return Response(s.ProcessVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ProcessVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, id: str) -> Response:  # noqa: A002
        versions = selectors.list_versions(actor=self.actor, model=self.get_object())
        return Response(s.ProcessVersionSerializer(versions, many=True).data)

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def bpmn(self, request: Request, id: str) -> HttpResponse:  # noqa: A002
        model = self.get_object()
        response = HttpResponse(model.draft_bpmn, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{model.key}.bpmn"'
        return response

    @extend_schema(request=s.StartSerializer, responses={201: s.InstanceSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.StartSerializer, request.data)
        instance = services.start_instance(
            actor=self.actor,
            model=self.get_object(),
            data=data["data"],
            case_id=str(data["case"]) if data["case"] else None,
            subject=data["subject"],
            business_key=data["business_key"],
            channel="api",
            is_test=data["sandbox"],
        )
        return Response(s.InstanceSerializer(instance).data, status=status.HTTP_201_CREATED)


class InstanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.InstanceSerializer
    required_scopes = {"list": READ, "retrieve": READ, "cancel": ADMIN}

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["running", "completed", "cancelled"]),
            OpenApiParameter("sandbox", bool, description="list sandbox instances instead"),
        ]
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    def get_queryset(self):  # noqa: ANN201
        sandbox = self.request.query_params.get("sandbox") == "true"
        instances = selectors.list_instances(actor=self.actor, include_test=sandbox).prefetch_related("tasks")
        if sandbox:
            instances = instances.filter(is_test=True)
        if wanted := self.request.query_params.get("status"):
            instances = instances.filter(status=wanted)
        return instances

    def get_object(self):  # noqa: ANN201
        return selectors.get_instance(actor=self.actor, public_id=self.kwargs["id"])

    @extend_schema(request=s.ReasonSerializer, responses=s.InstanceSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.ReasonSerializer, request.data)
        instance = services.cancel_instance(actor=self.actor, instance=self.get_object(), reason=data["reason"])
        return Response(s.InstanceSerializer(instance).data)


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.TaskBriefSerializer
    parser_classes = [JSONParser, MultiPartParser]
    required_scopes = {
        "list": READ,
        "retrieve": READ,
        "claim": WORK,
        "unclaim": WORK,
        "delegate": WORK,
        "complete": WORK,
    }

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=TaskState.values, description="default: open"),
            OpenApiParameter("mine", bool, description="only tasks assigned to me"),
            OpenApiParameter("ordering", str, enum=["due_at", "-due_at", "created_at", "-created_at"]),
        ]
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    def get_queryset(self):  # noqa: ANN201
        params = self.request.query_params
        tasks = selectors.list_tasks(actor=self.actor).filter(state=params.get("state") or TaskState.OPEN)
        if params.get("mine") == "true":
            # An API client is nobody's assignee: "mine" is empty for it, not everything.
            membership = self.actor.membership
            tasks = tasks.filter(assignee=membership) if membership is not None else tasks.none()
        ordering = params.get("ordering")
        return (
            tasks.order_by(ordering, "pk") if ordering in {"due_at", "-due_at", "created_at", "-created_at"} else tasks
        )

    def get_object(self):  # noqa: ANN201
        return selectors.get_task(actor=self.actor, public_id=self.kwargs["id"])

    def _detail(self, task: Any) -> dict[str, Any]:
        context = {"form_fields": services.form_fields(task)}
        if task.state == TaskState.OPEN:
            context["variables"] = services.task_variables(task)
        return s.TaskDetailSerializer(task, context=context).data

    @extend_schema(responses=s.TaskDetailSerializer)
    def retrieve(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(self._detail(self.get_object()))

    @extend_schema(request=None, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(self._detail(services.claim_task(actor=self.actor, task=self.get_object())))

    @extend_schema(request=None, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def unclaim(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(self._detail(services.unclaim_task(actor=self.actor, task=self.get_object())))

    @extend_schema(request=s.DelegateSerializer, responses=s.TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def delegate(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.DelegateSerializer, request.data)
        member = ref(tenant_selectors.get_member, self.actor, data["to"], "to")
        return Response(self._detail(services.delegate_task(actor=self.actor, task=self.get_object(), to=member)))

    @extend_schema(
        request={"application/json": s.CompleteSerializer, "multipart/form-data": OpenApiTypes.OBJECT},
        responses=s.TaskBriefSerializer,
        description='JSON: {"data": {field: value}}. Multipart: form fields and files by field ID.',
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, id: str) -> Response:  # noqa: A002
        task = self.get_object()
        fields = services.form_fields(task)
        if request.content_type.startswith("multipart/"):
            data, files = request.data, request.FILES
        else:
            data, files = api_data(fields, valid(s.CompleteSerializer, request.data)["data"]), {}
        task = services.complete_task(actor=self.actor, task=task, data=data, files=files)
        return Response(s.TaskBriefSerializer(task).data)


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.IncidentSerializer
    required_scopes = {"list": ADMIN, "retrieve": ADMIN, "retry": ADMIN, "cancel": ADMIN}

    def get_queryset(self):  # noqa: ANN201
        incidents = selectors.list_incidents(actor=self.actor)
        wanted = self.request.query_params.get("state")
        return incidents.filter(state=wanted) if wanted else incidents

    def get_object(self):  # noqa: ANN201
        return selectors.get_incident(actor=self.actor, public_id=self.kwargs["id"])

    @extend_schema(request=None, responses=s.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(
            s.IncidentSerializer(services.retry_incident(actor=self.actor, incident=self.get_object())).data
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.InstanceSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, id: str) -> Response:  # noqa: A002
        data = valid(s.ReasonSerializer, request.data)
        incident = self.get_object()
        instance = services.cancel_instance(actor=self.actor, instance=incident.instance, reason=data["reason"])
        return Response(s.InstanceSerializer(instance).data)


class EventLogViewSet(mixins.ListModelMixin, ActorViewSet):
    serializer_class = s.EventSerializer
    required_scopes = {"list": READ, "xes": READ}

    def get_queryset(self):  # noqa: ANN201
        events = selectors.list_events(actor=self.actor, process_key=self.request.query_params.get("process"))
        return events.select_related("instance")

    @extend_schema(
        parameters=[OpenApiParameter("process", str, description="process ID (key)")],
        responses={(200, "application/xml"): OpenApiTypes.STR},
    )
    @action(detail=False, methods=["get"])
    def xes(self, request: Request) -> StreamingHttpResponse:
        events = self.get_queryset().order_by("instance_id", "timestamp", "pk").iterator(chunk_size=2000)
        name = request.query_params.get("process") or self.actor.tenant.slug
        response = StreamingHttpResponse(write_xes(events, name=name), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{name}.xes"'
        return response

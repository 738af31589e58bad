"""REST API of the tenants capability. Each action parses, calls one selector or service, renders."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from amtsflow.core.api import ActorViewSet
from amtsflow.core.api import ref as _ref
from amtsflow.core.api import valid as _valid
from amtsflow.tenants import selectors, services
from amtsflow.tenants.api import serializers as s


class TenantView(APIView):
    required_scopes = {"get": "tenants.read", "put": "tenants.write"}
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(responses=s.TenantSerializer, summary="The API client's tenant")
    def get(self, request: Request) -> Response:
        return Response(s.TenantSerializer(request.actor.tenant).data)

    @extend_schema(
        request={"application/json": s.TenantProfileSerializer, "multipart/form-data": s.TenantProfileSerializer},
        responses=s.TenantSerializer,
        summary="Update contact data and logo",
    )
    def put(self, request: Request) -> Response:
        data = _valid(s.TenantProfileSerializer, request.data)
        tenant = services.update_tenant_profile(actor=request.actor, **data)
        return Response(s.TenantSerializer(tenant).data)


class OrgUnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.OrgUnitSerializer
    required_scopes = {
        "list": "tenants.read",
        "retrieve": "tenants.read",
        "create": "tenants.write",
        "update": "tenants.write",
        "destroy": "tenants.write",
    }

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_org_units(actor=self.actor)

    def get_object(self):  # noqa: ANN201
        return selectors.get_org_unit(actor=self.actor, public_id=self.kwargs["id"])

    def _fields(self, request: Request) -> dict[str, Any]:
        data = _valid(s.OrgUnitWriteSerializer, request.data)
        data["parent"] = _ref(selectors.get_org_unit, self.actor, data["parent"], "parent")
        return data

    @extend_schema(request=s.OrgUnitWriteSerializer, responses={201: s.OrgUnitSerializer})
    def create(self, request: Request) -> Response:
        unit = services.create_org_unit(actor=self.actor, **self._fields(request))
        return Response(s.OrgUnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OrgUnitWriteSerializer, responses=s.OrgUnitSerializer)
    def update(self, request: Request, id: str) -> Response:  # noqa: A002
        unit = services.update_org_unit(actor=self.actor, unit=self.get_object(), **self._fields(request))
        return Response(s.OrgUnitSerializer(unit).data)

    def destroy(self, request: Request, id: str) -> Response:  # noqa: A002
        services.delete_org_unit(actor=self.actor, unit=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.MemberSerializer
    required_scopes = {
        "list": "tenants.read",
        "retrieve": "tenants.read",
        "create": "tenants.write",
        "update": "tenants.write",
        "destroy": "tenants.write",
    }

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_members(actor=self.actor)

    def get_object(self):  # noqa: ANN201
        return selectors.get_member(actor=self.actor, public_id=self.kwargs["id"])

    @extend_schema(
        request=s.MemberCreateSerializer,
        responses={201: s.MemberSerializer},
        description="Adds a person; a new user account gets no password until the person sets one.",
    )
    def create(self, request: Request) -> Response:
        data = _valid(s.MemberCreateSerializer, request.data)
        data["org_unit"] = _ref(selectors.get_org_unit, self.actor, data["org_unit"], "org_unit")
        membership = services.add_member(actor=self.actor, **data)
        return Response(s.MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MemberUpdateSerializer, responses=s.MemberSerializer)
    def update(self, request: Request, id: str) -> Response:  # noqa: A002
        data = _valid(s.MemberUpdateSerializer, request.data)
        data["org_unit"] = _ref(selectors.get_org_unit, self.actor, data["org_unit"], "org_unit")
        membership = services.update_member(actor=self.actor, membership=self.get_object(), **data)
        return Response(s.MemberSerializer(selectors.get_member(actor=self.actor, public_id=membership.public_id)).data)

    def destroy(self, request: Request, id: str) -> Response:  # noqa: A002
        services.remove_member(actor=self.actor, membership=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.GroupSerializer
    required_scopes = {
        "list": "tenants.read",
        "retrieve": "tenants.read",
        "create": "tenants.write",
        "update": "tenants.write",
        "destroy": "tenants.write",
    }

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_groups(actor=self.actor)

    def get_object(self):  # noqa: ANN201
        return selectors.get_group(actor=self.actor, public_id=self.kwargs["id"])

    def _fields(self, request: Request) -> dict[str, Any]:
        data = _valid(s.GroupWriteSerializer, request.data)
        data["members"] = [_ref(selectors.get_member, self.actor, m, "members") for m in data["members"]]
        return data

    @extend_schema(request=s.GroupWriteSerializer, responses={201: s.GroupSerializer})
    def create(self, request: Request) -> Response:
        group = services.save_group(actor=self.actor, **self._fields(request))
        return Response(s.GroupSerializer(group).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.GroupWriteSerializer, responses=s.GroupSerializer)
    def update(self, request: Request, id: str) -> Response:  # noqa: A002
        group = services.save_group(actor=self.actor, group=self.get_object(), **self._fields(request))
        return Response(s.GroupSerializer(group).data)

    def destroy(self, request: Request, id: str) -> Response:  # noqa: A002
        services.delete_group(actor=self.actor, group=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiClientViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ActorViewSet):
    serializer_class = s.ApiClientSerializer
    required_scopes = {
        "list": "tenants.admin",
        "retrieve": "tenants.admin",
        "create": "tenants.admin",
        "revoke": "tenants.admin",
    }

    def get_queryset(self):  # noqa: ANN201
        return selectors.list_api_clients(actor=self.actor)

    def get_object(self):  # noqa: ANN201
        return selectors.get_api_client(actor=self.actor, public_id=self.kwargs["id"])

    @extend_schema(request=s.ApiClientCreateSerializer, responses={201: s.ApiClientCreatedSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.ApiClientCreateSerializer, request.data)
        client, token = services.create_api_client(actor=self.actor, **data)
        body = s.ApiClientSerializer(client).data | {"token": token}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ApiClientSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, id: str) -> Response:  # noqa: A002
        client = services.revoke_api_client(actor=self.actor, client=self.get_object())
        return Response(s.ApiClientSerializer(client).data)

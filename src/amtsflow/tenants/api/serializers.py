"""API shapes of the tenants capability (shape only; rules live in services)."""

from rest_framework import serializers

from amtsflow.core.permissions import all_scopes
from amtsflow.tenants.constants import OrgUnitKind, Role
from amtsflow.tenants.models import ApiClient, Group, Membership, OrgUnit, Tenant


class TenantSerializer(serializers.ModelSerializer):
    has_logo = serializers.SerializerMethodField()

    class Meta:
        model = Tenant
        fields = ["name", "slug", "ags", "leitweg_prefix", "contact_email", "contact_phone", "address", "has_logo"]
        read_only_fields = fields

    def get_has_logo(self, tenant: Tenant) -> bool:
        return bool(tenant.logo)


class TenantProfileSerializer(serializers.Serializer):
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    logo = serializers.FileField(required=False, allow_null=True, default=None, help_text="PNG or JPEG, at most 1 MB")
    remove_logo = serializers.BooleanField(required=False, default=False)


class OrgUnitSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    parent = serializers.UUIDField(source="parent.public_id", read_only=True, allow_null=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "code", "kind", "parent"]


class OrgUnitWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=OrgUnitKind.choices)
    parent = serializers.UUIDField(required=False, allow_null=True, default=None)


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    roles = serializers.SerializerMethodField()
    org_unit = serializers.UUIDField(source="org_unit.public_id", read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "email", "first_name", "last_name", "roles", "org_unit", "is_active"]

    def get_roles(self, membership: Membership) -> list[str]:
        return sorted(membership.role_codes)


class MemberCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), default=list)
    org_unit = serializers.UUIDField(required=False, allow_null=True, default=None)


class MemberUpdateSerializer(serializers.Serializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    org_unit = serializers.UUIDField(required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(default=True)


class GroupSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = ["id", "name", "description", "members"]

    def get_members(self, group: Group) -> list[str]:
        return [str(m.public_id) for m in group.members.all()]


class GroupWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    members = serializers.ListField(child=serializers.UUIDField(), default=list)


class ApiClientSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = ApiClient
        fields = ["id", "name", "scopes", "is_active", "created_at", "last_used_at"]
        read_only_fields = fields


class ApiClientCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=[]), allow_empty=False)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["scopes"].child.choices = [(s.code, str(s.label)) for s in all_scopes()]


class ApiClientCreatedSerializer(ApiClientSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown only in this response.")

    class Meta(ApiClientSerializer.Meta):
        fields = [*ApiClientSerializer.Meta.fields, "token"]
        read_only_fields = fields

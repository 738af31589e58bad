"""Who acts: a tenant member (through roles) or an API client (through scopes)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from amtsflow.core.exceptions import PermissionDenied
from amtsflow.core.permissions import get_permission
from amtsflow.tenants.models import ApiClient, Membership, Tenant, User


@dataclass(frozen=True)
class Actor:
    tenant: Tenant
    user: User | None = None
    membership: Membership | None = None
    api_client: ApiClient | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    # The platform itself, e.g. a process step running on behalf of a process: may do what the step does.
    system_name: str = ""

    @classmethod
    def for_membership(cls, membership: Membership) -> "Actor":
        return cls(
            tenant=membership.tenant,
            user=membership.user,
            membership=membership,
            roles=frozenset(membership.role_codes),
        )

    @classmethod
    def for_api_client(cls, client: ApiClient) -> "Actor":
        return cls(tenant=client.tenant, api_client=client)

    @classmethod
    def for_system(cls, tenant: Tenant, name: str) -> "Actor":
        return cls(tenant=tenant, system_name=name)

    @property
    def is_system(self) -> bool:
        return bool(self.system_name)

    @property
    def label(self) -> str:
        if self.system_name:
            return f"system:{self.system_name}"
        if self.api_client is not None:
            return f"api-client:{self.api_client.name}"
        return self.user.get_username() if self.user else "system"

    def can(self, code: str) -> bool:
        permission = get_permission(code)
        if self.system_name:
            return True
        if self.api_client is not None:
            return permission.scope in self.api_client.scopes
        return bool(self.membership and self.membership.is_active and permission.roles & self.roles)

    def require(self, code: str) -> None:
        if not self.can(code):
            raise PermissionDenied(_("You are not allowed to do this."))

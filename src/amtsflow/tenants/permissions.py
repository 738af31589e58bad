"""Permissions, API scopes and navigation of the tenants capability."""

from django.utils.translation import gettext_lazy as _

from amtsflow.core.permissions import NavEntry, register_nav, register_permission, register_scope
from amtsflow.tenants.constants import ALL_ROLES, Role

VIEW_DIRECTORY = "tenants.view_directory"
MANAGE_ORG_UNITS = "tenants.manage_org_units"
MANAGE_MEMBERS = "tenants.manage_members"
MANAGE_GROUPS = "tenants.manage_groups"
MANAGE_API_CLIENTS = "tenants.manage_api_clients"
MANAGE_TENANT_PROFILE = "tenants.manage_tenant_profile"

register_scope("tenants.read", _("Read the organisation: units, members, groups"))
register_scope("tenants.write", _("Change the organisation: units, members, groups"))
register_scope("tenants.admin", _("Manage API clients"))

register_permission(VIEW_DIRECTORY, _("See the organisation"), roles=ALL_ROLES, scope="tenants.read")
register_permission(
    MANAGE_ORG_UNITS, _("Manage organisational units"), roles={Role.TENANT_ADMIN}, scope="tenants.write"
)
register_permission(MANAGE_MEMBERS, _("Manage members and roles"), roles={Role.TENANT_ADMIN}, scope="tenants.write")
register_permission(MANAGE_GROUPS, _("Manage groups"), roles={Role.TENANT_ADMIN}, scope="tenants.write")
register_permission(MANAGE_API_CLIENTS, _("Manage API clients"), roles={Role.TENANT_ADMIN}, scope="tenants.admin")

register_permission(
    MANAGE_TENANT_PROFILE, _("Edit contact data and logo"), roles={Role.TENANT_ADMIN}, scope="tenants.write"
)

register_nav(
    NavEntry(
        label=_("Organisation"),
        url_name="tenants:org_unit_list",
        permission=VIEW_DIRECTORY,
        order=900,
        active_prefix="organisation",
    )
)
register_nav(
    NavEntry(
        label=_("API clients"),
        url_name="tenants:api_client_list",
        permission=MANAGE_API_CLIENTS,
        order=950,
        active_prefix="api-clients",
    )
)
register_nav(
    NavEntry(
        label=_("Municipality"),
        url_name="tenants:profile",
        permission=MANAGE_TENANT_PROFILE,
        order=960,
        active_prefix="profile",
    )
)

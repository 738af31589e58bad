"""Permissions, API scopes and navigation of the E-Akte."""

from django.utils.translation import gettext_lazy as _

from amtsflow.core.permissions import NavEntry, register_nav, register_permission, register_scope
from amtsflow.tenants.constants import ALL_ROLES, Role

VIEW = "files.view"
EDIT = "files.edit"
MANAGE_PLAN = "files.manage_plan"
DISPOSE = "files.dispose"

WORKING_ROLES = {Role.CLERK, Role.HEAD_OF_DEPARTMENT, Role.TREASURY, Role.PROCESS_OWNER, Role.RECORDS_MANAGER}

register_scope("files.read", _("Read files, cases and documents"))
register_scope("files.write", _("Create and change files, cases and documents"))
register_scope("files.admin", _("Maintain the file plan, close files, run disposal"))

register_permission(VIEW, _("See files, cases and documents"), roles=ALL_ROLES, scope="files.read")
register_permission(EDIT, _("Create and change files, cases and documents"), roles=WORKING_ROLES, scope="files.write")
register_permission(
    MANAGE_PLAN, _("Maintain the file plan"), roles={Role.RECORDS_MANAGER, Role.TENANT_ADMIN}, scope="files.admin"
)
register_permission(
    DISPOSE, _("Close files, set legal holds, run disposal"), roles={Role.RECORDS_MANAGER}, scope="files.admin"
)

register_nav(
    NavEntry(label=_("Files"), url_name="files:akte_list", permission=VIEW, order=100, active_prefix="/akten/")
)
register_nav(
    NavEntry(label=_("File plan"), url_name="files:plan_list", permission=VIEW, order=110, active_prefix="/aktenplan/")
)

"""Permissions, API scopes and navigation of the process engine."""

from django.utils.translation import gettext_lazy as _

from amtsflow.core.permissions import NavEntry, register_nav, register_permission, register_scope
from amtsflow.tenants.constants import ALL_ROLES, Role

VIEW = "processes.view"
WORK = "processes.work"
MODEL = "processes.model"
OPERATE = "processes.operate"

WORKING_ROLES = {Role.CLERK, Role.HEAD_OF_DEPARTMENT, Role.TREASURY, Role.PROCESS_OWNER, Role.RECORDS_MANAGER}

register_scope("processes.read", _("Read process models, instances, tasks and the event log"))
register_scope("processes.work", _("Start processes and work on tasks"))
register_scope("processes.admin", _("Import and deploy process models, handle incidents"))

register_permission(VIEW, _("See processes, instances and tasks"), roles=ALL_ROLES, scope="processes.read")
register_permission(WORK, _("Start processes and work on tasks"), roles=WORKING_ROLES, scope="processes.work")
register_permission(
    MODEL,
    _("Import, edit and deploy process models; use the sandbox"),
    roles={Role.PROCESS_OWNER},
    scope="processes.admin",
)
register_permission(
    OPERATE,
    _("Handle incidents, cancel instances, see all tasks"),
    roles={Role.PROCESS_OWNER, Role.TENANT_ADMIN},
    scope="processes.admin",
)

register_nav(
    NavEntry(label=_("Tasks"), url_name="processes:inbox", permission=VIEW, order=50, active_prefix="/aufgaben/")
)
register_nav(
    NavEntry(
        label=_("Processes"), url_name="processes:model_list", permission=VIEW, order=200, active_prefix="/prozesse/"
    )
)

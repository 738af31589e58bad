"""Permissions, API scopes and navigation of incoming e-invoices."""

from django.utils.translation import gettext_lazy as _

from amtsflow.core.permissions import NavEntry, register_nav, register_permission, register_scope
from amtsflow.tenants.constants import Role

VIEW = "einvoices.view"
RECEIVE = "einvoices.receive"
MANAGE = "einvoices.manage"
EXPORT = "einvoices.export"

WORKING_ROLES = {Role.CLERK, Role.HEAD_OF_DEPARTMENT, Role.TREASURY, Role.PROCESS_OWNER, Role.TENANT_ADMIN}

register_scope("einvoices.read", _("Read incoming invoices and their validation reports"))
register_scope("einvoices.receive", _("Deliver invoice files"))
register_scope("einvoices.admin", _("Route invoices, maintain Leitweg-ID routes, export booking batches"))

register_permission(VIEW, _("See incoming invoices"), roles=WORKING_ROLES, scope="einvoices.read")
register_permission(RECEIVE, _("Upload invoice files"), roles=WORKING_ROLES, scope="einvoices.receive")
register_permission(
    MANAGE,
    _("Assign invoices in clearing, maintain Leitweg-ID routes"),
    roles={Role.TREASURY, Role.TENANT_ADMIN},
    scope="einvoices.admin",
)
register_permission(EXPORT, _("Export released invoices for booking"), roles={Role.TREASURY}, scope="einvoices.admin")

register_nav(
    NavEntry(
        label=_("Invoices"), url_name="einvoices:invoice_list", permission=VIEW, order=60, active_prefix="/rechnungen/"
    )
)

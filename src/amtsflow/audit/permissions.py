"""Permissions and API scope of the audit trail (no navigation entry: history is shown inside other pages)."""

from django.utils.translation import gettext_lazy as _

from amtsflow.core.permissions import register_permission, register_scope
from amtsflow.tenants.constants import ALL_ROLES

VIEW_HISTORY = "audit.view_history"

register_scope("audit.read", _("Read the audit history"))
register_permission(VIEW_HISTORY, _("See the history of changes"), roles=ALL_ROLES, scope="audit.read")

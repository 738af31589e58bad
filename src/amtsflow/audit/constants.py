"""Human labels of audit actions. Actions are free strings `<noun>.<verb>`; unknown ones show as they are."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "aktenplan.created": _("File plan entry created"),
    "aktenplan.changed": _("File plan entry changed"),
    "akte.created": _("File created"),
    "akte.changed": _("File changed"),
    "akte.closed": _("File closed"),
    "akte.reopened": _("File reopened"),
    "akte.legal_hold_set": _("Legal hold set"),
    "akte.legal_hold_lifted": _("Legal hold lifted"),
    "akte.archived": _("File handed over to the archive"),
    "akte.destroyed": _("File destroyed"),
    "vorgang.created": _("Case opened"),
    "vorgang.changed": _("Case changed"),
    "vorgang.party_added": _("Party added"),
    "vorgang.party_removed": _("Party removed"),
    "document.created": _("Document filed"),
    "document.version_added": _("New version"),
    "document.checked_out": _("Document checked out"),
    "document.checked_in": _("Document checked in"),
    "document.downloaded": _("Document downloaded"),
    "document.viewed_confidential": _("Confidential document viewed"),
    "package.exported": _("Package exported"),
    "package.imported": _("Package imported"),
    "process.started": _("Process started"),
    "process.completed": _("Process completed"),
    "process.cancelled": _("Process cancelled"),
    "task.completed": _("Task completed"),
    "task.delegated": _("Task handed over"),
}


def action_label(action: str) -> str | Promise:
    return ACTION_LABELS.get(action, action)

"""Write use cases of the E-Akte, re-exported from their topic modules.

Disposal lives in `services.retention` (not re-exported: it builds records packages, which use these services).
"""

from amtsflow.files.services.akten import (
    add_party,
    close_akte,
    create_akte,
    create_vorgang,
    open_process_case,
    remove_party,
    reopen_akte,
    set_legal_hold,
    update_akte,
    update_vorgang,
)
from amtsflow.files.services.documents import (
    add_version,
    check_in,
    check_out,
    file_document,
    file_email,
    record_download,
)
from amtsflow.files.services.plan import create_plan_entry, export_plan_csv, import_plan_csv, update_plan_entry

__all__ = [
    "add_party",
    "add_version",
    "check_in",
    "check_out",
    "close_akte",
    "create_akte",
    "create_plan_entry",
    "create_vorgang",
    "export_plan_csv",
    "file_document",
    "file_email",
    "import_plan_csv",
    "open_process_case",
    "record_download",
    "remove_party",
    "reopen_akte",
    "set_legal_hold",
    "update_akte",
    "update_plan_entry",
    "update_vorgang",
]

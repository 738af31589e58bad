"""Write use cases of the process engine, re-exported from their topic modules."""

from amtsflow.processes.services.automation import retry_due_incidents, retry_incident, run_connectors
from amtsflow.processes.services.definitions import (
    check_model,
    deploy,
    import_model,
    save_draft,
    update_model_settings,
)
from amtsflow.processes.services.instances import cancel_instance, fire_due_timers, start_for_event, start_instance
from amtsflow.processes.services.separation import separation_notice
from amtsflow.processes.services.tasks import (
    claim_task,
    complete_task,
    delegate_task,
    form_fields,
    task_variables,
    unclaim_task,
)

__all__ = [
    "cancel_instance",
    "check_model",
    "claim_task",
    "complete_task",
    "delegate_task",
    "deploy",
    "fire_due_timers",
    "form_fields",
    "import_model",
    "retry_due_incidents",
    "retry_incident",
    "run_connectors",
    "save_draft",
    "separation_notice",
    "start_for_event",
    "start_instance",
    "task_variables",
    "unclaim_task",
    "update_model_settings",
]

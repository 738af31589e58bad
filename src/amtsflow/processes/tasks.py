from celery import shared_task

from amtsflow.core.tasks import TenantTask


@shared_task(base=TenantTask, bind=True)
def run_connectors(self, *, tenant_id: int, instance_id: str) -> int:  # noqa: ANN001, ARG001
    """Run the ready service tasks of one instance (queued after the step that made them ready commits)."""
    from uuid import UUID

    from amtsflow.processes.models import ProcessInstance
    from amtsflow.processes.services import automation

    # Only names the instance: every connector step reads it under its lock, in the task's tenant scope (an
    # instance of another tenant is not found there).
    return automation.run_connectors(ProcessInstance(public_id=UUID(instance_id)))


@shared_task
def tick() -> dict[str, int]:
    """Periodic (Celery beat): fire due timers and retry due incidents in every active tenant."""
    from amtsflow.processes.clock import tick_all_tenants

    return tick_all_tenants()

from celery import shared_task

from amtsflow.core.tasks import TenantTask


@shared_task(base=TenantTask, bind=True)
def run_connectors(self, *, tenant_id: int, instance_id: str) -> int:  # noqa: ANN001, ARG001
    """Run the ready service tasks of one instance (queued after the step that made them ready commits)."""
    from amtsflow.processes.models import ProcessInstance
    from amtsflow.processes.services import automation

    # Read with what every connector step needs, in the task's tenant scope.
    instance = ProcessInstance.objects.select_related("tenant", "version__model").filter(public_id=instance_id).first()
    return automation.run_connectors(instance, fresh=True) if instance is not None else 0


@shared_task
def tick() -> dict[str, int]:
    """Periodic (Celery beat): fire due timers and retry due incidents in every active tenant."""
    from amtsflow.processes.clock import tick_all_tenants

    return tick_all_tenants()

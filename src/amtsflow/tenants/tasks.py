from celery import shared_task

from amtsflow.core.tasks import TenantTask
from amtsflow.tenants import selectors


@shared_task(base=TenantTask, bind=True)
def count_active_members_task(self, *, tenant_id: int) -> int:  # noqa: ANN001, ARG001
    """A cheap probe that a worker reaches the tenant's data in its scope."""
    return selectors.count_active_members()

"""What happens on the clock: due timers fire, incidents whose back-off has passed are retried, overdue tasks
are reminded."""

import logging

from amtsflow.processes.services import automation, instances, reminders
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant

logger = logging.getLogger(__name__)


def tick_all_tenants() -> dict[str, int]:
    fired = retried = reminded = 0
    for tenant in Tenant.objects.filter(is_active=True):
        with tenant_scope(tenant):
            try:
                fired += instances.fire_due_timers()
                retried += automation.retry_due_incidents()
                reminded += reminders.remind_overdue_tasks()
            except Exception:  # one tenant's failure must not stop the others' timers
                logger.exception("timer tick failed for tenant %s", tenant.slug)
    return {"timers": fired, "retries": retried, "reminders": reminded}

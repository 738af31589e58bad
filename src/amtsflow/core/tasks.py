"""Celery task base: tasks take `tenant_id` and run inside that tenant's scope."""

from typing import Any

from celery import Task

from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant


class TenantTask(Task):
    """Base for tenant work. Call as `task.delay(tenant_id=..., ...)`; the scope is set from it."""

    abstract = True

    def __call__(self, *args: Any, tenant_id: int, **kwargs: Any) -> Any:
        tenant = Tenant.objects.get(pk=tenant_id, is_active=True)
        with tenant_scope(tenant):
            return super().__call__(*args, tenant_id=tenant_id, **kwargs)

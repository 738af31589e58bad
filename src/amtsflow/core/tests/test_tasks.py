"""TenantTask in the default (eager) set-up: the task runs inside the scope of the tenant it names."""

import pytest
from django_scopes import get_scope

from amtsflow import celery_app
from amtsflow.tenants.models import Tenant
from amtsflow.tenants.tasks import count_active_members_task


def test_tests_run_tasks_eagerly() -> None:
    assert celery_app.conf.task_always_eager is True


def test_task_counts_only_the_named_tenants_members(tenant_a, tenant_b, make_member) -> None:  # noqa: ANN001
    make_member(tenant_a)
    make_member(tenant_a)
    make_member(tenant_a, is_active=False)
    for _ in range(3):
        make_member(tenant_b)

    assert count_active_members_task.delay(tenant_id=tenant_a.pk).get() == 2
    assert count_active_members_task.delay(tenant_id=tenant_b.pk).get() == 3
    # The scope ends with the task: nothing leaks into the caller.
    assert get_scope().get("tenant") is None


def test_task_without_tenant_id_is_refused(tenant_a) -> None:  # noqa: ANN001
    with pytest.raises(TypeError, match="tenant_id"):
        count_active_members_task.delay()


def test_task_for_an_inactive_tenant_is_refused(tenant_a) -> None:  # noqa: ANN001
    Tenant.objects.filter(pk=tenant_a.pk).update(is_active=False)
    with pytest.raises(Tenant.DoesNotExist):
        count_active_members_task.delay(tenant_id=tenant_a.pk)

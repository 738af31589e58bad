"""The shipped processes run in the demo out of the box."""

from io import StringIO

import pytest
from django.core.management import call_command

from amtsflow.processes import selectors
from amtsflow.processes.constants import InstanceStatus, TaskState
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant, User

pytestmark = pytest.mark.django_db


def test_demo_has_deployed_processes_with_tasks_in_the_clerks_inbox() -> None:
    call_command("load_demo", stdout=StringIO())
    tenant = Tenant.objects.get(slug="musterstadt")
    with tenant_scope(tenant):
        user = User.objects.get(username="sachbearbeitung")
        clerk = Actor.for_membership(tenant_selectors.get_membership(tenant=tenant, user=user))
        models = {m.key: m.versions.count() for m in selectors.list_models(actor=clerk)}
        assert models == {"antrag_pruefen": 1, "schadensmeldung": 1, "rechnungseingang": 1}
        running = selectors.list_instances(actor=clerk).filter(status=InstanceStatus.RUNNING)
        assert running.count() == 4
        inbox = selectors.list_tasks(actor=clerk).filter(state=TaskState.OPEN)
        assert sorted(inbox.values_list("name", flat=True)) == ["Formale Prüfung"] * 2 + ["Triage"] * 2

"""The demo's invoices can be worked through by the demo's own users: four-eyes included, no admin needed."""

from io import StringIO

import pytest
from django.core.management import call_command

from amtsflow.einvoices import selectors
from amtsflow.einvoices.models import InvoiceState
from amtsflow.processes import selectors as process_selectors
from amtsflow.processes import services as process_services
from amtsflow.processes.constants import TaskState
from amtsflow.tenants import selectors as tenant_selectors
from amtsflow.tenants.actor import Actor
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant, User

pytestmark = pytest.mark.django_db(transaction=True)


def _actor(tenant: Tenant, username: str) -> Actor:
    membership = tenant_selectors.get_membership(tenant=tenant, user=User.objects.get(username=username))
    return Actor.for_membership(membership)


def _work(actor: Actor, invoice_case: str, **data: str) -> str:
    """The user finds the invoice's open task in their own inbox and completes it; returns its name."""
    inbox = process_selectors.list_tasks(actor=actor).filter(state=TaskState.OPEN, instance__case_id=invoice_case)
    task = inbox.get()
    process_services.complete_task(actor=actor, task=task, data=data)
    return task.name


def test_the_large_tiefbau_invoice_travels_to_the_release_with_demo_users(rules, document_root) -> None:  # noqa: ANN001
    call_command("load_demo", stdout=StringIO())
    tenant = Tenant.objects.get(slug="musterstadt")
    with tenant_scope(tenant):
        treasury = _actor(tenant, "kaemmerei")
        invoice = selectors.list_invoices(actor=treasury).get(number="2026-118")  # Asphalt Müller, above 5 000 €
        assert invoice.state == InvoiceState.IN_APPROVAL and invoice.org_unit.code == "66"
        case = invoice.case_id
        coding = {"kostenstelle": "6600", "produkt": "54.10.01", "sachkonto": "52110000"}
        steps = [
            _work(_actor(tenant, "tiefbau"), case, entscheidung="richtig", **coding),
            _work(_actor(tenant, "strassenbau"), case, entscheidung="richtig"),
            _work(_actor(tenant, "amtsleitung"), case, entscheidung="genehmigt"),
            _work(treasury, case, entscheidung="anordnen"),
        ]
        assert steps == ["Sachlich prüfen und kontieren", "Rechnerisch prüfen", "Genehmigung Amtsleitung",
                         "Zahlung anordnen"]  # fmt: skip
        invoice.refresh_from_db()
        assert invoice.state == InvoiceState.RELEASED

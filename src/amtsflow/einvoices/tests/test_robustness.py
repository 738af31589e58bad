"""Edge cases found in review: formula cells, line breaks in supplier values, double processing, bad ids."""

import pytest

from amtsflow.core.exceptions import Conflict
from amtsflow.einvoices.models import Invoice, Receipt, ReceiptState
from amtsflow.einvoices.services import intake, processing, routing
from amtsflow.einvoices.services.export import _csv_value
from amtsflow.einvoices.services.summary import _line
from amtsflow.einvoices.tests.conftest import STANDARD
from amtsflow.tenants import services as tenant_services
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_supplier_text_never_becomes_a_spreadsheet_formula(value: str) -> None:
    assert _csv_value(value).startswith("'")


def test_single_values_lose_their_line_breaks() -> None:
    assert _line("R-1\r\nBcc: x@y") == "R-1 Bcc: x@y"


def test_a_receipt_is_processed_once_even_when_the_task_runs_twice(
    tenant_a, invoice_setup, invoice_clerk, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001, E501
    content = (STANDARD / "01.01a-INVOICE_ubl.xml").read_bytes()
    with tenant_scope(tenant_a):
        with django_capture_on_commit_callbacks(execute=False):  # keep the queued processing from running
            (receipt,) = intake.receive(actor=invoice_clerk, files=[intake.IncomingFile("a.xml", content)])
        stale = Receipt.objects.get(pk=receipt.pk)
        first = processing.process(Receipt.objects.get(pk=receipt.pk))
        again = processing.process(stale)  # a second delivery of the same task, with the state it read before
        assert first is not None and again == first
        assert Receipt.objects.get(pk=receipt.pk).state == ReceiptState.PROCESSED
        assert Invoice.objects.count() == 1


def test_a_unit_with_invoice_routes_is_not_deleted_silently(
    tenant_a, invoice_setup, treasurer, admin_a, actor_for
) -> None:  # noqa: ANN001, E501
    from amtsflow.tenants.models import OrgUnit  # noqa: PLC0415

    with tenant_scope(tenant_a):
        unit = OrgUnit.objects.create(tenant=tenant_a, name="Grünflächenamt", code="67", kind="amt")
        routing.save_route(actor=treasurer, leitweg_id="04011000-67", org_unit=unit)
        with pytest.raises(Conflict, match="still in use"):
            tenant_services.delete_org_unit(actor=actor_for(admin_a), unit=unit)
        assert OrgUnit.objects.filter(pk=unit.pk).exists()


def test_operator_assign_with_a_bad_tenant_id_is_a_message(login, admin_a) -> None:  # noqa: ANN001
    from django.urls import reverse  # noqa: PLC0415

    from amtsflow.einvoices.models import Intake  # noqa: PLC0415

    row = Intake.objects.create(sha256="0" * 64, storage_name="x", size=1, filename="b.xml", channel="mail",
                                state="clearing")  # fmt: skip
    admin_a.user.is_operator = True
    admin_a.user.save()
    response = login(admin_a).post(reverse("operator-einvoices:intake_assign", args=[row.public_id]), {"tenant": "abc"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == "clearing"

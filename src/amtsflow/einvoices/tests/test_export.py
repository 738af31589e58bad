"""Booking export: batches of released invoices as CSV and JSON, each invoice once, downloads counted and
audited, through service, UI, API and command; concurrent exports on PostgreSQL."""

import csv
import datetime as dt
import io
import json
import threading
import uuid
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from amtsflow.audit.models import AuditEntry
from amtsflow.core.exceptions import Conflict, PermissionDenied
from amtsflow.einvoices.models import BookingBatch, CodingLine, Invoice, InvoiceState
from amtsflow.einvoices.services import export
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


def released(tenant, number: str, lines: list[tuple[str, str]], *, net: str, tax: str) -> Invoice:  # noqa: ANN001
    """A released invoice with coding lines (net amount, VAT rate)."""
    with tenant_scope(tenant):
        invoice = Invoice.objects.create(
            tenant=tenant, sha256=uuid.uuid4().hex * 2, filename=f"{number}.xml", kind="ubl", validity="accept",
            state=InvoiceState.RELEASED, number=number, seller_name="Bau & Söhne GmbH", seller_vat_id="DE123456789",
            currency="EUR", net_total=Decimal(net), tax_total=Decimal(tax),
            gross_total=Decimal(net) + Decimal(tax), issue_date=dt.date(2026, 11, 2), due_date=dt.date(2026, 12, 2),
            iban="DE02120300000000202051", skonto_until=dt.date(2026, 11, 12), skonto_amount=Decimal("1.00"),
            case_label="2.10.01/2026-7", released_at=timezone.now(),
        )  # fmt: skip
        for position, (amount, rate) in enumerate(lines, start=1):
            CodingLine.objects.create(
                tenant=tenant, invoice=invoice, position=position, cost_centre=f"KST{position}", product="11.10.01",
                account="52110000", net_amount=Decimal(amount), vat_rate=Decimal(rate),
            )  # fmt: skip
        return invoice


def csv_rows(batch: BookingBatch) -> tuple[bytes, list[dict[str, str]]]:
    raw = export.batch_file(batch, "csv")
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_a_batch_holds_every_released_invoice_once_with_exact_totals(tenant_a, document_root, treasurer) -> None:
    first = released(tenant_a, "R-1", [("0.03", "19"), ("0.03", "19")], net="0.06", tax="0.01")
    second = released(tenant_a, "R-2", [("100.00", "19"), ("50.00", "7")], net="150.00", tax="22.50")
    with tenant_scope(tenant_a):
        Invoice.objects.filter(pk=second.pk).update(tax_total=Decimal("22.50"))
        batch = export.create_batch(actor=treasurer)
        assert (batch.number, batch.invoice_count, batch.gross_total) == (1, 2, Decimal("172.57"))
        raw, rows = csv_rows(batch)
        assert raw.startswith(b"\xef\xbb\xbf")
        header = raw.decode("utf-8-sig").splitlines()[0]
        assert header == ";".join(export.COLUMNS)
        assert [r["invoice_number"] for r in rows] == ["R-1", "R-1", "R-2", "R-2"]
        # rounding: 2 × 0.03 at 19 % is 0.01 VAT in total, carried by the last line
        assert [r["vat"] for r in rows[:2]] == ["0,01", "0,00"]
        assert [(r["net"], r["vat_rate"], r["vat"], r["gross"]) for r in rows[2:]] == [
            ("100,00", "19,00", "19,00", "119,00"),
            ("50,00", "7,00", "3,50", "53,50"),
        ]
        assert rows[0]["creditor_name"] == "Bau & Söhne GmbH" and rows[0]["invoice_date"] == "2026-11-02"
        assert rows[0]["skonto_until"] == "2026-11-12" and rows[0]["skonto_amount"] == "1,00"
        assert rows[0]["cost_centre"] == "KST1" and rows[1]["cost_centre"] == "KST2"
        document = json.loads(export.batch_file(batch, "json"))
        assert document["format"] == "amtsflow-booking-export" and document["batch"]["invoice_count"] == 2
        entry = document["invoices"][1]
        assert entry["totals"] == {"net": "150.00", "vat": "22.50", "gross": "172.50"}
        assert entry["creditor"] == {"name": "Bau & Söhne GmbH", "vat_id": "DE123456789", "iban": second.iban}
        assert [line["account"] for line in entry["coding"]] == ["52110000", "52110000"]
        assert set(Invoice.objects.values_list("state", flat=True)) == {InvoiceState.EXPORTED}

        with pytest.raises(Conflict, match="nothing to export"):
            export.create_batch(actor=treasurer)
    third = released(tenant_a, "R-3", [("10.00", "19")], net="10.00", tax="1.90")
    with tenant_scope(tenant_a):
        later = export.create_batch(actor=treasurer)
        assert later.number == 2 and [i.number for i in later.invoices.all()] == ["R-3"]
        assert Invoice.objects.get(pk=first.pk).booking_batch == batch
        assert Invoice.objects.get(pk=third.pk).booking_batch == later


def test_only_the_treasury_exports(tenant_a, document_root, invoice_clerk, login) -> None:
    released(tenant_a, "R-1", [("10.00", "19")], net="10.00", tax="1.90")
    with tenant_scope(tenant_a), pytest.raises(PermissionDenied):
        export.create_batch(actor=invoice_clerk)
    page = reverse("einvoices:batch_list", kwargs={"tenant_slug": tenant_a.slug})
    assert login(invoice_clerk.membership).get(page).status_code == 403


def test_the_page_exports_and_downloads_are_counted_and_audited(tenant_a, document_root, treasurer, login) -> None:
    released(tenant_a, "R-1", [("10.00", "19")], net="10.00", tax="1.90")
    client = login(treasurer.membership)
    page = reverse("einvoices:batch_list", kwargs={"tenant_slug": tenant_a.slug})
    assert "1 released invoice waits" in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    response = client.post(reverse("einvoices:batch_create", kwargs={"tenant_slug": tenant_a.slug}), follow=True)
    assert response.status_code == 200
    with tenant_scope(tenant_a):
        batch = BookingBatch.objects.get()
    html = response.content.decode()
    assert str(batch.public_id) in html and "<caption" in html
    again = client.post(reverse("einvoices:batch_create", kwargs={"tenant_slug": tenant_a.slug}), follow=True)
    with tenant_scope(tenant_a):
        assert BookingBatch.objects.count() == 1
    assert again.status_code == 200
    for name in ("einvoices:batch_json", "einvoices:batch_json", "einvoices:batch_csv"):
        response = client.get(reverse(name, kwargs={"tenant_slug": tenant_a.slug, "batch_id": batch.public_id}))
        assert response.status_code == 200
        assert "buchungsexport-00001" in response["Content-Disposition"]
    with tenant_scope(tenant_a):
        batch.refresh_from_db()
        assert batch.download_count == 3
        assert AuditEntry.objects.filter(action="booking_batch.downloaded", object_id=str(batch.public_id)).count() == 3
        assert AuditEntry.objects.filter(action="booking_batch.created").count() == 1


def test_the_api_creates_lists_and_serves_batches(tenant_a, document_root, admin_a, api_client_for) -> None:
    invoice = released(tenant_a, "R-1", [("10.00", "19")], net="10.00", tax="1.90")
    api = api_client_for(admin_a, scopes=["einvoices.read", "einvoices.admin"])
    created = api.post(reverse("einvoices-api:booking-batch-list"))
    assert created.status_code == 201, created.content
    assert created.json()["invoices"] == [str(invoice.public_id)]
    nothing = api.post(reverse("einvoices-api:booking-batch-list"))
    assert nothing.status_code == 409 and "nothing to export" in nothing.json()["detail"]
    assert [b["number"] for b in api.get(reverse("einvoices-api:booking-batch-list")).json()["results"]] == [1]
    csv_file = api.get(reverse("einvoices-api:booking-batch-csv", kwargs={"id": created.json()["id"]}))
    assert csv_file.status_code == 200 and csv_file.content.startswith(b"\xef\xbb\xbf")
    reader = api_client_for(admin_a, scopes=["einvoices.read"])
    assert reader.post(reverse("einvoices-api:booking-batch-list")).status_code == 403


def test_the_command_exports_into_a_directory(tenant_a, document_root, tmp_path) -> None:
    released(tenant_a, "R-1", [("10.00", "19")], net="10.00", tax="1.90")
    out = StringIO()
    call_command("export_bookings", "--tenant", tenant_a.slug, "--out", str(tmp_path / "out"), stdout=out)
    assert "batch 1: 1 invoices" in out.getvalue()
    assert (tmp_path / "out" / "buchungsexport-00001.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert json.loads((tmp_path / "out" / "buchungsexport-00001.json").read_bytes())["batch"]["number"] == 1
    again = StringIO()
    call_command("export_bookings", "--tenant", tenant_a.slug, stdout=again)
    assert "nothing to export" in again.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks; set DATABASE_URL")
@pytest.mark.django_db(transaction=True)
def test_two_exports_at_once_make_exactly_one_batch(tenant_a, document_root, treasurer, make_member, actor_for):  # noqa: ANN001
    from amtsflow.tenants.constants import Role

    for n in range(3):
        released(tenant_a, f"R-{n}", [("10.00", "19")], net="10.00", tax="1.90")
    other = actor_for(make_member(tenant_a, Role.TREASURY))
    barrier, outcomes = threading.Barrier(2), []

    def run(actor) -> None:  # noqa: ANN001
        try:
            with tenant_scope(tenant_a):
                barrier.wait()
                outcomes.append(f"batch {export.create_batch(actor=actor).invoice_count}")
        except Conflict as error:
            outcomes.append(f"conflict: {error.message}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in (treasurer, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "batch 3", outcomes
    assert "nothing to export" in sorted(outcomes)[1]
    with tenant_scope(tenant_a):
        assert BookingBatch.objects.count() == 1
        assert set(Invoice.objects.values_list("booking_batch__number", flat=True)) == {1}

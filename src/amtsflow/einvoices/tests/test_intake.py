"""Taking invoices in through the service layer: store first, duplicates, formats, routing, filing, clearing."""

import datetime as dt

import pytest
import time_machine

from amtsflow.audit.models import AuditEntry
from amtsflow.core.exceptions import ValidationFailed
from amtsflow.core.testing.shared_data import require_shared
from amtsflow.einvoices import originals
from amtsflow.einvoices.models import Invoice, InvoiceState, Receipt, ReceiptState, Validity
from amtsflow.einvoices.services import clearing, intake, routing
from amtsflow.einvoices.tests.conftest import STANDARD, ZUGFERD, create_invoice_plan
from amtsflow.files import selectors as files_selectors
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


def _file(name: str) -> intake.IncomingFile:
    path = require_shared("xrechnung", "testsuite") and STANDARD / name
    return intake.IncomingFile(name, path.read_bytes())


def _receive(actor, *files, channel="upload", committed=None):  # noqa: ANN001, ANN202
    with committed():
        receipts = intake.receive(actor=actor, files=list(files), channel=channel)
    return [Receipt.objects.get(pk=r.pk) for r in receipts]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_valid_invoice_is_validated_read_routed_and_filed(
    tenant_a, invoice_setup, invoice_clerk, treasurer, committed
):  # noqa: ANN001
    with tenant_scope(tenant_a):
        routing.save_route(actor=treasurer, leitweg_id="04011000-12345", org_unit=invoice_setup)
        (receipt,) = _receive(invoice_clerk, _file("01.01a-INVOICE_ubl.xml"), channel="api", committed=committed)
        assert receipt.state == ReceiptState.PROCESSED, receipt.problem
        invoice = receipt.invoice
        assert invoice.validity == Validity.ACCEPT
        assert invoice.state == InvoiceState.RECEIVED
        assert invoice.org_unit == invoice_setup
        assert invoice.buyer_reference == "04011000-12345-03"
        assert invoice.number and invoice.seller_name and invoice.gross_total is not None
        assert invoice.data["number"] == invoice.number
        assert invoice.report_storage_name and invoice.svrl_storage_name
        assert b"svrl" in originals.read(invoice.svrl_storage_name)
        vorgang = files_selectors.get_vorgang(actor=treasurer, public_id=invoice.case_id)
        assert vorgang.akte.plan_entry.number == "2.10.01"
        assert not invoice.notices
        titles = sorted(d.title for d in files_selectors.list_documents(actor=treasurer).filter(vorgang=vorgang))
        assert titles == sorted(["Invoice (original)", "Validation report (SVRL)", "Invoice (readable)"])
        assert AuditEntry.objects.filter(action="invoice.received", object_id=str(invoice.public_id)).exists()


@pytest.mark.parametrize(
    ("today", "filed_year"),
    [("2017-01-10", 2016), ("2016-04-20", 2016), ("2018-02-01", 2018), ("2015-12-01", 2015)],
    ids=["december-invoice-in-january", "same-year", "older-than-last-year", "dated-in-the-future"],
)
def test_invoices_are_filed_under_their_fiscal_year(  # noqa: PLR0913
    tenant_a, invoice_setup, invoice_clerk, treasurer, committed, today, filed_year
):  # noqa: ANN001
    """01.01a is dated 2016-04-04: its case goes into the invoice file of 2016 while that year or the next one
    runs; later, or when the date lies ahead, into the file of the year it arrived."""
    with time_machine.travel(dt.datetime.fromisoformat(f"{today}T10:00:00+01:00"), tick=False), tenant_scope(tenant_a):
        (receipt,) = _receive(invoice_clerk, _file("01.01a-INVOICE_ubl.xml"), committed=committed)
        vorgang = files_selectors.get_vorgang(actor=treasurer, public_id=receipt.invoice.case_id)
        assert vorgang.akte.year == filed_year
        assert vorgang.akte.title.endswith(str(filed_year))


def test_the_original_is_stored_unchanged_before_processing(tenant_a, invoice_setup, invoice_clerk, committed):  # noqa: ANN001
    incoming = _file("01.01a-INVOICE_uncefact.xml")
    with tenant_scope(tenant_a):
        (receipt,) = _receive(invoice_clerk, incoming, committed=committed)
        assert originals.read(receipt.storage_name) == incoming.content
        assert receipt.invoice.kind == "cii"


def test_the_same_file_twice_is_recognised_and_not_processed_again(tenant_a, invoice_setup, invoice_clerk, committed):  # noqa: ANN001
    with tenant_scope(tenant_a):
        (first,) = _receive(invoice_clerk, _file("01.02a-INVOICE_ubl.xml"), committed=committed)
        (second,) = _receive(invoice_clerk, _file("01.02a-INVOICE_ubl.xml"), committed=committed)
        assert first.state == ReceiptState.PROCESSED
        assert second.state == ReceiptState.DUPLICATE
        assert second.invoice == first.invoice
        assert "already received" in second.problem
        assert Invoice.objects.count() == 1


def test_uploads_by_a_clerk_go_to_their_unit_when_no_route_matches(tenant_a, invoice_setup, invoice_clerk, committed):  # noqa: ANN001
    with tenant_scope(tenant_a):
        (receipt,) = _receive(invoice_clerk, _file("01.03a-INVOICE_ubl.xml"), committed=committed)
        assert receipt.invoice.org_unit == invoice_setup
        assert receipt.invoice.state == InvoiceState.RECEIVED
        assert any("Leitweg" in n for n in receipt.invoice.notices)


def test_unknown_references_from_other_channels_land_in_clearing(
    tenant_a, invoice_setup, invoice_clerk, treasurer, committed
):  # noqa: ANN001
    with tenant_scope(tenant_a):
        (receipt,) = _receive(invoice_clerk, _file("01.04a-INVOICE_ubl.xml"), channel="api", committed=committed)
        invoice = receipt.invoice
        assert invoice.state == InvoiceState.CLEARING and invoice.org_unit is None
        with committed():
            clearing.assign_unit(actor=treasurer, invoice=invoice, org_unit=invoice_setup, remember_route=True)
        invoice.refresh_from_db()
        assert invoice.state == InvoiceState.RECEIVED and invoice.org_unit == invoice_setup
        assert routing.unit_for(invoice.buyer_reference) == invoice_setup
        vorgang = files_selectors.get_vorgang(actor=treasurer, public_id=invoice.case_id)
        assert vorgang.org_unit == invoice_setup


def test_a_clerk_cannot_assign_from_clearing(tenant_a, invoice_setup, invoice_clerk, committed):  # noqa: ANN001
    with tenant_scope(tenant_a):
        (receipt,) = _receive(invoice_clerk, _file("01.04a-INVOICE_ubl.xml"), channel="api", committed=committed)
        with pytest.raises(Exception, match="not allowed"):
            clearing.assign_unit(actor=invoice_clerk, invoice=receipt.invoice, org_unit=invoice_setup)


def test_hostile_xml_is_refused_and_kept(tenant_a, invoice_setup, invoice_clerk, committed):  # noqa: ANN001
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>'
    with tenant_scope(tenant_a):
        (receipt,) = _receive(invoice_clerk, intake.IncomingFile("boese.xml", xxe), committed=committed)
        assert receipt.state == ReceiptState.REFUSED
        assert receipt.problem
        assert originals.read(receipt.storage_name) == xxe
        assert not Invoice.objects.exists()


def test_a_zugferd_pdf_and_a_pdf_without_data(tenant_a, invoice_setup, invoice_clerk, committed):  # noqa: ANN001
    require_shared("xrechnung", "zugferd-samples")
    with tenant_scope(tenant_a):
        zugferd, empty = _receive(
            invoice_clerk,
            intake.IncomingFile("EN16931_Einfach.pdf", (ZUGFERD / "EN16931_Einfach.pdf").read_bytes()),
            intake.IncomingFile("EmptyPDFA1.pdf", (ZUGFERD / "EmptyPDFA1.pdf").read_bytes()),
            committed=committed,
        )
        assert zugferd.invoice.kind == "zugferd-pdf" and zugferd.invoice.number
        assert empty.state == ReceiptState.PROCESSED
        assert empty.invoice.validity == Validity.UNSTRUCTURED
        assert any("keine strukturierte Rechnung" in n or "no structured" in n.lower() for n in empty.invoice.notices)


def test_processing_failure_keeps_the_receipt_and_can_be_repeated(
    tenant_a, rules, document_root, tiefbau, invoice_clerk, treasurer, committed
):  # noqa: ANN001, PLR0913
    with tenant_scope(tenant_a):
        (receipt,) = _receive(invoice_clerk, _file("01.05a-INVOICE_ubl.xml"), committed=committed)
        assert receipt.state == ReceiptState.FAILED
        assert "2.10.01" in receipt.problem  # no file plan entry for invoices yet
        assert originals.read(receipt.storage_name)
    create_invoice_plan(tenant_a, treasurer)
    with tenant_scope(tenant_a):
        with committed():
            intake.reprocess(actor=treasurer, receipt=receipt)
        receipt.refresh_from_db()
        assert receipt.state == ReceiptState.PROCESSED


def test_delivery_limits(tenant_a, invoice_setup, invoice_clerk, settings):  # noqa: ANN001
    settings.AMTSFLOW_EINVOICE_MAX_BYTES = 100
    with tenant_scope(tenant_a):
        with pytest.raises(ValidationFailed, match="larger than"):
            intake.receive(actor=invoice_clerk, files=[intake.IncomingFile("big.xml", b"<a>" + b"x" * 200 + b"</a>")])
        with pytest.raises(ValidationFailed, match="empty"):
            intake.receive(actor=invoice_clerk, files=[intake.IncomingFile("leer.xml", b"")])
        with pytest.raises(ValidationFailed):
            intake.receive(actor=invoice_clerk, files=[])
        assert not Receipt.objects.exists()

"""Tenant-owned resources of incoming e-invoices, for the isolation harness. Each tenant gets a received
invoice (with its stored original), its arrival and a Leitweg-ID route, named after the tenant."""

from amtsflow.core.testing.isolation import IsolatedResource, exempt, register


def _invoice(tenant):  # noqa: ANN001, ANN202
    from amtsflow.einvoices import originals
    from amtsflow.einvoices.models import Invoice, Receipt
    from amtsflow.tenants.context import tenant_scope

    content = f"%PDF-1.4 Rechnung von {tenant.slug}".encode()
    sha256, name = originals.store(content)
    with tenant_scope(tenant):
        invoice = Invoice.objects.filter(sha256=sha256).first() or Invoice.objects.create(
            tenant=tenant,
            sha256=sha256,
            filename=f"rechnung-{tenant.slug}.pdf",
            kind="pdf-unstructured",
            validity="unstructured",
            state="clearing",
            number=f"R-{tenant.slug}",
            seller_name=f"Lieferant {tenant.slug}",
        )
        if not Receipt.objects.filter(invoice=invoice).exists():
            Receipt.objects.create(
                tenant=tenant, sha256=sha256, storage_name=name, size=len(content), filename=invoice.filename,
                channel="api", state="processed", invoice=invoice,
            )  # fmt: skip
        return invoice


def _receipt(tenant):  # noqa: ANN001, ANN202
    from django_scopes import scopes_disabled

    invoice = _invoice(tenant)
    with scopes_disabled():
        return invoice.receipts.get()


def _route(tenant):  # noqa: ANN001, ANN202
    from amtsflow.einvoices.models import LeitwegRoute
    from amtsflow.tenants.context import tenant_scope
    from amtsflow.tenants.models import OrgUnit

    with tenant_scope(tenant):
        unit = OrgUnit.objects.filter(name=f"Kämmerei {tenant.slug}").first() or OrgUnit.objects.create(
            tenant=tenant, name=f"Kämmerei {tenant.slug}", kind="amt"
        )
        route, _ = LeitwegRoute.objects.get_or_create(
            tenant=tenant, leitweg_id=f"0811{tenant.pk:04d}-{tenant.slug[:8]}", defaults={"org_unit": unit}
        )
        return route


register(
    IsolatedResource(
        name="invoice",
        create=_invoice,
        label=lambda invoice: invoice.seller_name,
        ui_list="einvoices:invoice_list",
        ui_detail=(
            "einvoices:invoice_detail",
            "einvoices:invoice_assign",
            "einvoices:invoice_start_approval",
            "einvoices:invoice_original",
            "einvoices:invoice_pdf",
            "einvoices:invoice_report_html",
            "einvoices:invoice_report_xml",
            "einvoices:invoice_report_svrl",
        ),
        ui_id_kwarg="invoice_id",
        api_list="einvoices-api:invoice-list",
        api_detail=(
            "einvoices-api:invoice-detail",
            "einvoices-api:invoice-findings",
            "einvoices-api:invoice-original",
            "einvoices-api:invoice-report",
            "einvoices-api:invoice-assign",
            "einvoices-api:invoice-start-approval",
        ),
    )
)
register(
    IsolatedResource(
        name="invoice_receipt",
        create=_receipt,
        label=lambda receipt: receipt.filename,
        ui_list="einvoices:receipt_list",
        ui_detail=("einvoices:receipt_reprocess",),
        ui_id_kwarg="receipt_id",
        api_list="einvoices-api:invoice-receipt-list",
        api_detail=("einvoices-api:invoice-receipt-detail", "einvoices-api:invoice-receipt-reprocess"),
    )
)
register(
    IsolatedResource(
        name="leitweg_route",
        create=_route,
        label=lambda route: route.leitweg_id,
        ui_list="einvoices:route_list",
        ui_detail=("einvoices:route_delete",),
        ui_id_kwarg="route_id",
        api_list="einvoices-api:leitweg-route-list",
        api_detail=("einvoices-api:leitweg-route-detail",),
    )
)


def _batch(tenant):  # noqa: ANN001, ANN202
    from amtsflow.einvoices import originals
    from amtsflow.einvoices.models import BookingBatch
    from amtsflow.tenants.context import tenant_scope

    with tenant_scope(tenant):
        batch = BookingBatch.objects.filter(number=1).first()
        if batch is None:
            names = [
                originals.store_named(
                    f"einvoice-batches/{tenant.pk}/isolation.{suffix}", f"Kasse {tenant.slug}".encode()
                )
                for suffix in ("csv", "json")
            ]
            batch = BookingBatch.objects.create(
                tenant=tenant, number=1, created_by=f"Kasse {tenant.slug}", csv_storage_name=names[0],
                json_storage_name=names[1],
            )  # fmt: skip
        return batch


register(
    IsolatedResource(
        name="invoice_coding",
        create=_invoice,
        label=lambda invoice: invoice.seller_name,
        ui_detail=("einvoices:coding_edit",),
        ui_id_kwarg="invoice_id",
    )
)
register(
    IsolatedResource(
        name="booking_batch",
        create=_batch,
        label=lambda batch: batch.created_by,
        ui_list="einvoices:batch_list",
        ui_detail=("einvoices:batch_csv", "einvoices:batch_json"),
        ui_id_kwarg="batch_id",
        api_list="einvoices-api:booking-batch-list",
        api_detail=(
            "einvoices-api:booking-batch-detail",
            "einvoices-api:booking-batch-csv",
            "einvoices-api:booking-batch-json",
        ),
    )
)


for _operator_view in ("operator-einvoices:intake_assign", "operator-einvoices:intake_discard"):
    exempt(
        _operator_view,
        reason="provider operators' clearing of the shared mailbox: files that belong to no tenant yet",
    )

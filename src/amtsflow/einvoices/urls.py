from django.urls import path

from amtsflow.einvoices import urls_approval
from amtsflow.einvoices.views import invoices, routes

app_name = "einvoices"

urlpatterns = [
    path("rechnungen/", invoices.invoice_list, name="invoice_list"),
    path("rechnungen/hochladen/", invoices.invoice_upload, name="invoice_upload"),
    path("rechnungen/eingaenge/", invoices.receipt_list, name="receipt_list"),
    path("rechnungen/eingaenge/<uuid:receipt_id>/erneut/", invoices.receipt_reprocess, name="receipt_reprocess"),
    path("rechnungen/leitweg/", routes.route_list, name="route_list"),
    path("rechnungen/leitweg/<uuid:route_id>/loeschen/", routes.route_delete, name="route_delete"),
    path("rechnungen/<uuid:invoice_id>/", invoices.invoice_detail, name="invoice_detail"),
    path("rechnungen/<uuid:invoice_id>/zuordnen/", invoices.invoice_assign, name="invoice_assign"),
    path(
        "rechnungen/<uuid:invoice_id>/freigabe-starten/", invoices.invoice_start_approval, name="invoice_start_approval"
    ),
    path("rechnungen/<uuid:invoice_id>/original/", invoices.invoice_original, name="invoice_original"),
    path("rechnungen/<uuid:invoice_id>/lesbar.pdf", invoices.invoice_pdf, name="invoice_pdf"),
    path("rechnungen/<uuid:invoice_id>/pruefbericht.html", invoices.invoice_report_html, name="invoice_report_html"),
    path("rechnungen/<uuid:invoice_id>/pruefbericht.xml", invoices.invoice_report_xml, name="invoice_report_xml"),
    path("rechnungen/<uuid:invoice_id>/svrl.xml", invoices.invoice_report_svrl, name="invoice_report_svrl"),
    *urls_approval.urlpatterns,
]

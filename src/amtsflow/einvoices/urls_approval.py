"""Pages of the approval and the booking export, in the einvoices namespace (added to its urlpatterns)."""

from django.urls import path

from amtsflow.einvoices.views import approval, export

urlpatterns = [
    path("rechnungen/<uuid:invoice_id>/kontierung/", approval.coding_edit, name="coding_edit"),
    path("rechnungen/buchungsexport/", export.batch_list, name="batch_list"),
    path("rechnungen/buchungsexport/neu/", export.batch_create, name="batch_create"),
    path("rechnungen/buchungsexport/<uuid:batch_id>.csv", export.batch_download, {"fmt": "csv"}, name="batch_csv"),
    path("rechnungen/buchungsexport/<uuid:batch_id>.json", export.batch_download, {"fmt": "json"}, name="batch_json"),
]

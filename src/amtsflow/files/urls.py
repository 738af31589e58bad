from django.urls import path

from amtsflow.files.views import akten, documents, plan, retention, search, vorgaenge

app_name = "files"

urlpatterns = [
    path("aktenplan/", plan.plan_list, name="plan_list"),
    path("aktenplan/new/", plan.plan_form, name="plan_create"),
    path("aktenplan/export.csv", plan.plan_export, name="plan_export"),
    path("aktenplan/import/", plan.plan_import, name="plan_import"),
    path("aktenplan/<uuid:entry_id>/", plan.plan_form, name="plan_edit"),
    path("akten/", akten.akte_list, name="akte_list"),
    path("akten/new/", akten.akte_form, name="akte_create"),
    path("akten/<uuid:akte_id>/", akten.akte_detail, name="akte_detail"),
    path("akten/<uuid:akte_id>/edit/", akten.akte_form, name="akte_edit"),
    path("akten/<uuid:akte_id>/close/", akten.akte_close, name="akte_close"),
    path("akten/<uuid:akte_id>/reopen/", akten.akte_reopen, name="akte_reopen"),
    path("akten/<uuid:akte_id>/legal-hold/", akten.akte_legal_hold, name="akte_legal_hold"),
    path("akten/<uuid:akte_id>/vorgaenge/new/", akten.vorgang_create, name="vorgang_create"),
    path("akten/<uuid:akte_id>/package/", retention.akte_package, name="akte_package"),
    path("vorgaenge/<uuid:vorgang_id>/", vorgaenge.vorgang_detail, name="vorgang_detail"),
    path("vorgaenge/<uuid:vorgang_id>/parties/", vorgaenge.party_add, name="party_add"),
    path("vorgaenge/<uuid:vorgang_id>/parties/remove/", vorgaenge.party_remove, name="party_remove"),
    path("vorgaenge/<uuid:vorgang_id>/documents/", vorgaenge.document_upload, name="document_upload"),
    path("dokumente/<uuid:document_id>/", documents.document_detail, name="document_detail"),
    path("dokumente/<uuid:document_id>/download/", documents.document_download, name="document_download"),
    path("dokumente/<uuid:document_id>/text-state/", documents.extraction_state, name="document_extraction_state"),
    path("dokumente/<uuid:document_id>/versions/", documents.version_add, name="version_add"),
    path("dokumente/<uuid:document_id>/check-out/", documents.check_out, name="document_check_out"),
    path("dokumente/<uuid:document_id>/check-in/", documents.check_in, name="document_check_in"),
    path("suche/", search.search_page, name="search"),
    path("aussonderung/", retention.disposal_overview, name="disposal"),
    path("aussonderung/new/", retention.disposal_create, name="disposal_create"),
    path("aussonderung/<uuid:list_id>/", retention.disposal_detail, name="disposal_detail"),
    path("aussonderung/<uuid:list_id>/remove/", retention.disposal_remove, name="disposal_remove"),
    path("aussonderung/<uuid:list_id>/approve/", retention.disposal_approve, name="disposal_approve"),
    path("aussonderung/<uuid:list_id>/execute/", retention.disposal_execute, name="disposal_execute"),
    path("aussonderung/<uuid:list_id>/package/", retention.disposal_package, name="disposal_package"),
    path("aktenpakete/import/", retention.package_import, name="package_import"),
]

from django.urls import path

from amtsflow.einvoices import operator_views

app_name = "operator-einvoices"

urlpatterns = [
    path("rechnungen/", operator_views.intake_list, name="intake_list"),
    path("rechnungen/<uuid:intake_id>/zuordnen/", operator_views.intake_assign, name="intake_assign"),
    path("rechnungen/<uuid:intake_id>/verwerfen/", operator_views.intake_discard, name="intake_discard"),
]

from django.urls import path

from amtsflow.tenants import operator_views

app_name = "operator"

urlpatterns = [
    path("tenants/", operator_views.tenant_list, name="tenant_list"),
    path("tenants/new/", operator_views.tenant_create, name="tenant_create"),
]

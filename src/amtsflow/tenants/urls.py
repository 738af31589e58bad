from django.urls import path

from amtsflow.tenants import views

app_name = "tenants"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("logo", views.logo, name="logo"),
    path("organisation/", views.org_unit_list, name="org_unit_list"),
    path("organisation/units/new/", views.org_unit_form, name="org_unit_create"),
    path("organisation/units/<uuid:unit_id>/", views.org_unit_form, name="org_unit_edit"),
    path("organisation/units/<uuid:unit_id>/delete/", views.org_unit_delete, name="org_unit_delete"),
    path("organisation/members/", views.member_list, name="member_list"),
    path("organisation/members/new/", views.member_create, name="member_create"),
    path("organisation/members/<uuid:member_id>/", views.member_detail, name="member_detail"),
    path("organisation/members/<uuid:member_id>/remove/", views.member_remove, name="member_remove"),
    path("organisation/groups/", views.group_list, name="group_list"),
    path("organisation/groups/new/", views.group_form, name="group_create"),
    path("organisation/groups/<uuid:group_id>/", views.group_form, name="group_edit"),
    path("organisation/groups/<uuid:group_id>/delete/", views.group_delete, name="group_delete"),
    path("api-clients/", views.api_client_list, name="api_client_list"),
    path("api-clients/<uuid:client_id>/revoke/", views.api_client_revoke, name="api_client_revoke"),
]

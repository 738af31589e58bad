from django.urls import path
from rest_framework.routers import SimpleRouter

from amtsflow.tenants.api import views

router = SimpleRouter(trailing_slash=True)
router.register("org-units", views.OrgUnitViewSet, basename="org-unit")
router.register("members", views.MemberViewSet, basename="member")
router.register("groups", views.GroupViewSet, basename="group")
router.register("api-clients", views.ApiClientViewSet, basename="api-client")

urlpatterns = [path("tenant/", views.TenantView.as_view(), name="tenant"), *router.urls]

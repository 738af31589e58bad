from django.urls import path
from rest_framework.routers import SimpleRouter

from amtsflow.files.api import views

router = SimpleRouter(trailing_slash=True)
router.register("aktenplan", views.PlanEntryViewSet, basename="plan-entry")
router.register("akten", views.AkteViewSet, basename="akte")
router.register("vorgaenge", views.VorgangViewSet, basename="vorgang")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = [path("search/", views.SearchView.as_view(), name="search"), *router.urls]

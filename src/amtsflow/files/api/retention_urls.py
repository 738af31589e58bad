"""Routes of the disposal and package API, included in conf/urls.py under `api/v1/`:

path("", include(("amtsflow.files.api.retention_urls", "files-retention-api"))),
"""

from rest_framework.routers import SimpleRouter

from amtsflow.files.api import retention_views as views

router = SimpleRouter(trailing_slash=True)
router.register("disposal/due", views.DueForDisposalViewSet, basename="disposal-due")
router.register("disposal-lists", views.DisposalListViewSet, basename="disposal-list")
router.register("packages", views.PackageViewSet, basename="package")

urlpatterns = router.urls

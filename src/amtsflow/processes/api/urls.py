from rest_framework.routers import SimpleRouter

from amtsflow.processes.api import views

router = SimpleRouter(trailing_slash=True)
router.register("process-models", views.ProcessModelViewSet, basename="process-model")
router.register("process-instances", views.InstanceViewSet, basename="process-instance")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("process-events", views.EventLogViewSet, basename="process-event")

urlpatterns = router.urls

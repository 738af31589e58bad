from django.urls import path

from amtsflow.processes.views import definitions, diagrams, inbox, instances, modeler

app_name = "processes"

urlpatterns = [
    path("aufgaben/", inbox.inbox, name="inbox"),
    path("aufgaben/<uuid:task_id>/", inbox.task_detail, name="task_detail"),
    path("aufgaben/<uuid:task_id>/claim/", inbox.task_claim, name="task_claim"),
    path("aufgaben/<uuid:task_id>/unclaim/", inbox.task_unclaim, name="task_unclaim"),
    path("aufgaben/<uuid:task_id>/delegate/", inbox.task_delegate, name="task_delegate"),
    path("prozesse/", definitions.model_list, name="model_list"),
    path("prozesse/import/", definitions.model_import, name="model_import"),
    path("prozesse/<uuid:model_id>/", definitions.model_detail, name="model_detail"),
    path("prozesse/<uuid:model_id>/deploy/", definitions.model_deploy, name="model_deploy"),
    path("prozesse/<uuid:model_id>/bpmn/", definitions.model_bpmn, name="model_bpmn"),
    path("prozesse/<uuid:model_id>/start/", definitions.model_start, name="model_start"),
    path("prozesse/<uuid:model_id>/modeller/", modeler.model_modeler, name="model_modeler"),
    path("prozesse/versionen/<uuid:version_id>/bpmn/", diagrams.version_bpmn, name="version_bpmn"),
    path("prozesse/instanzen/", instances.instance_list, name="instance_list"),
    path("prozesse/instanzen/<uuid:instance_id>/", instances.instance_detail, name="instance_detail"),
    path("prozesse/instanzen/<uuid:instance_id>/cancel/", instances.instance_cancel, name="instance_cancel"),
    path("prozesse/stoerungen/", instances.incident_list, name="incident_list"),
    path("prozesse/stoerungen/<uuid:incident_id>/retry/", instances.incident_retry, name="incident_retry"),
    path("prozesse/ereignisprotokoll.xes", instances.event_log_xes, name="event_log_xes"),
]

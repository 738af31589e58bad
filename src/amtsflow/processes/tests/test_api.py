"""The process engine through the REST API, as an external system uses it: import, deploy, start, work on tasks,
cancel, incidents with a real HTTP endpoint, event log and XES, the OpenAPI schema."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from amtsflow.processes import selectors
from amtsflow.processes.models import ProcessModel, Task
from amtsflow.tenants.context import tenant_scope

from .bpmn_builders import simple_model

pytestmark = pytest.mark.django_db

LIBRARY = Path(__file__).resolve().parents[1] / "library"
REFERENCE = (LIBRARY / "reference.bpmn").read_bytes()
BROKEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="kaputt" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:exclusiveGateway id="Weiche" name="Weiche"/>
    <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="Weiche"/>
    <bpmn:sequenceFlow id="f1" sourceRef="Weiche" targetRef="e1"/>
    <bpmn:sequenceFlow id="f2" sourceRef="Weiche" targetRef="e2"/>
  </bpmn:process>
</bpmn:definitions>"""
XES = {"x": "http://www.xes-standard.org/"}


def api_url(name: str, **kwargs: object) -> str:
    return reverse(f"processes-api:{name}", kwargs=kwargs or None)


def http_call_model(url: str) -> bytes:
    """start -> service task calling `url` through the http.call connector -> end."""
    return simple_model(
        '<bpmn:serviceTask id="Melden" name="Melden" camunda:type="external" camunda:topic="http.call">'
        "<bpmn:extensionElements><camunda:inputOutput>"
        f'<camunda:inputParameter name="url">{url}</camunda:inputParameter>'
        "</camunda:inputOutput></bpmn:extensionElements></bpmn:serviceTask>",
        pid="melden",
        name="Meldung",
    )


@pytest.fixture
def api(admin_a, api_client_for, plan):  # noqa: ANN001, ANN201
    """An API client with every scope (processes.read, .work, .admin among them); the plan entries exist."""
    return api_client_for(admin_a)


@contextmanager
def serve_hook() -> Iterator[dict]:
    """A local HTTP endpoint on a free port that records the paths it is called with."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"base": f"http://127.0.0.1:{server.server_address[1]}/", "hits": hits}
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def hook_server() -> Iterator[dict]:
    with serve_hook() as hook:
        yield hook


def _import(api, bpmn: bytes = REFERENCE, **extra: str):  # noqa: ANN001, ANN202
    return api.post(
        api_url("process-model-list"),
        {"bpmn": SimpleUploadedFile("modell.bpmn", bpmn, content_type="application/xml"), **extra},
        format="multipart",
    )


def _deployed(api, bpmn: bytes = REFERENCE) -> dict:  # noqa: ANN001
    model = _import(api, bpmn, plan_entry="6.60.01")
    assert model.status_code == 201, model.content
    deployed = api.post(api_url("process-model-deploy", id=model.json()["id"]))
    assert deployed.status_code == 201, deployed.content
    return model.json()


def _start(api, model: dict, **body: object) -> dict:  # noqa: ANN001
    response = api.post(api_url("process-model-start", id=model["id"]), body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _task_of(api, instance: dict) -> dict:  # noqa: ANN001
    tasks = [t for t in api.get(api_url("task-list")).json()["results"] if t["instance"] == instance["id"]]
    assert len(tasks) == 1, tasks
    return tasks[0]


# --- Models -------------------------------------------------------------------------------------------------
def test_import_deploy_versions_and_download(api) -> None:  # noqa: ANN001
    created = _import(api, plan_entry="6.60.01", description="Für Messungen")
    assert created.status_code == 201, created.content
    model = created.json()
    assert (model["key"], model["name"], model["plan_entry"]) == ("reference", "Referenzprozess", "6.60.01")
    assert model["description"] == "Für Messungen"
    assert model["latest_version"] is None
    assert [m["id"] for m in api.get(api_url("process-model-list")).json()["results"]] == [model["id"]]

    first = api.post(api_url("process-model-deploy", id=model["id"]))
    assert first.status_code == 201, first.content
    assert (first.json()["number"], first.json()["plan_entry"]) == (1, "6.60.01")
    assert len(first.json()["sha256"]) == 64
    again = api.post(api_url("process-model-deploy", id=model["id"]))
    assert again.status_code == 409
    assert "version 1" in again.json()["detail"]

    changed = REFERENCE.replace('name="Prüfen"'.encode(), 'name="Prüfen (neu)"'.encode())
    reimported = _import(api, changed, plan_entry="6.60.01")
    assert reimported.status_code == 201, reimported.content
    assert reimported.json()["id"] == model["id"]  # same process ID: the draft is replaced
    assert api.post(api_url("process-model-deploy", id=model["id"])).json()["number"] == 2

    versions = api.get(api_url("process-model-versions", id=model["id"])).json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["sha256"] != versions[1]["sha256"]
    assert api.get(api_url("process-model-detail", id=model["id"])).json()["latest_version"] == 2

    download = api.get(api_url("process-model-bpmn", id=model["id"]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="reference.bpmn"'
    assert download.content == changed


def test_broken_model_is_refused_with_the_element_named(api) -> None:  # noqa: ANN001
    response = _import(api, BROKEN, plan_entry="6.60.01")
    assert response.status_code == 400
    assert "Weiche" in response.json()["detail"]
    assert response.json()["errors"]["bpmn"]
    assert api.get(api_url("process-model-list")).json()["count"] == 0


def test_scopes_limit_what_a_client_may_do(admin_a, api_client_for, plan) -> None:  # noqa: ANN001
    reader = api_client_for(admin_a, ["processes.read"])
    assert reader.get(api_url("process-model-list")).status_code == 200
    assert _import(reader, plan_entry="6.60.01").status_code == 403
    assert reader.get(api_url("incident-list")).status_code == 403
    worker = api_client_for(admin_a, ["processes.read", "processes.work"])
    assert _import(worker, plan_entry="6.60.01").status_code == 403
    with tenant_scope(admin_a.tenant):
        assert not ProcessModel.objects.exists()


# --- Instances ----------------------------------------------------------------------------------------------
def test_start_files_a_case_and_sandbox_runs_stay_apart(api) -> None:  # noqa: ANN001
    model = _deployed(api)
    instance = _start(api, model, subject="Rechnung Bauhof", business_key="RE-4711")
    assert (instance["process"], instance["version"], instance["status"]) == ("reference", 1, "running")
    assert instance["is_test"] is False
    assert instance["business_key"] == "RE-4711"
    assert instance["started_via"] == "api"
    assert len(instance["open_tasks"]) == 1
    case = api.get(reverse("files-api:vorgang-detail", kwargs={"id": instance["case"]}))
    assert case.status_code == 200, case.content
    assert case.json()["subject"] == "Rechnung Bauhof"
    assert instance["case_label"].startswith("6.60.01/")

    sandbox = _start(api, model, sandbox=True)
    assert sandbox["is_test"] is True
    assert sandbox["started_via"] == "sandbox"

    production = api.get(api_url("process-instance-list")).json()["results"]
    assert [i["id"] for i in production] == [instance["id"]]
    tests = api.get(api_url("process-instance-list"), {"sandbox": "true"}).json()["results"]
    assert [i["id"] for i in tests] == [sandbox["id"]]
    assert api.get(api_url("process-instance-list"), {"status": "completed"}).json()["count"] == 0
    detail = api.get(api_url("process-instance-detail", id=sandbox["id"])).json()
    assert detail["is_test"] is True
    # The sandbox task stays out of the task list.
    assert [t["instance"] for t in api.get(api_url("task-list")).json()["results"]] == [instance["id"]]


def test_start_of_an_undeployed_model_is_a_conflict(api) -> None:  # noqa: ANN001
    model = _import(api, plan_entry="6.60.01").json()
    response = api.post(api_url("process-model-start", id=model["id"]), {}, format="json")
    assert response.status_code == 409
    assert "not been deployed" in response.json()["detail"]
    assert api.get(api_url("process-instance-list")).json()["count"] == 0


def test_cancel_needs_a_reason_and_cancels_the_open_tasks(api) -> None:  # noqa: ANN001
    model = _deployed(api)
    instance = _start(api, model)
    task = _task_of(api, instance)
    cancel_url = api_url("process-instance-cancel", id=instance["id"])
    for body in ({}, {"reason": ""}):
        refused = api.post(cancel_url, body, format="json")
        assert refused.status_code == 400
        assert "reason" in refused.json()["errors"]
    assert api.get(api_url("process-instance-detail", id=instance["id"])).json()["status"] == "running"

    cancelled = api.post(cancel_url, {"reason": "Doppelt erfasst"}, format="json")
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["open_tasks"] == []
    assert api.get(api_url("task-detail", id=task["id"])).json()["state"] == "cancelled"
    assert [t["id"] for t in api.get(api_url("task-list"), {"state": "cancelled"}).json()["results"]] == [task["id"]]
    again = api.post(cancel_url, {"reason": "Nochmal"}, format="json")
    assert again.status_code == 409
    assert "no longer running" in again.json()["detail"]


# --- Tasks --------------------------------------------------------------------------------------------------
def test_task_list_filters_orders_and_shows_form_and_variables(api) -> None:  # noqa: ANN001
    model = _deployed(api)
    first = _start(api, model, data={"antragsteller": "Erika Mustermann"})
    second = _start(api, model)
    tasks = api.get(api_url("task-list")).json()
    assert tasks["count"] == 2
    assert {t["instance"] for t in tasks["results"]} == {first["id"], second["id"]}
    assert {(t["name"], t["state"], tuple(t["candidate_groups"])) for t in tasks["results"]} == {
        ("Prüfen", "open", ("clerk",))
    }
    oldest = [t["instance"] for t in api.get(api_url("task-list"), {"ordering": "created_at"}).json()["results"]]
    newest = [t["instance"] for t in api.get(api_url("task-list"), {"ordering": "-created_at"}).json()["results"]]
    assert oldest == [first["id"], second["id"]]
    assert newest == [second["id"], first["id"]]
    assert api.get(api_url("task-list"), {"state": "completed"}).json()["count"] == 0
    # An API client is nobody's assignee: "mine" is empty for it.
    assert api.get(api_url("task-list"), {"mine": "true"}).json()["count"] == 0

    detail = api.get(api_url("task-detail", id=_task_of(api, first)["id"])).json()
    assert detail["case"] == first["case"]
    assert detail["case_label"] == first["case_label"]
    assert detail["form"] == [
        {
            "id": "betrag",
            "label": "Betrag (EUR)",
            "type": "long",
            "required": True,
            "readonly": False,
            "enum_values": [],
        }
    ]
    assert detail["variables"]["antragsteller"] == "Erika Mustermann"


def test_delegate_and_unclaim_while_claiming_is_for_members(api, clerk_member, clerk) -> None:  # noqa: ANN001
    model = _deployed(api)
    task = _task_of(api, _start(api, model))
    claim = api.post(api_url("task-claim", id=task["id"]))
    assert claim.status_code == 409
    assert "members" in claim.json()["detail"]

    delegated = api.post(api_url("task-delegate", id=task["id"]), {"to": str(clerk_member.public_id)}, format="json")
    assert delegated.status_code == 200, delegated.content
    assert delegated.json()["assignee"] == clerk_member.user.username
    with tenant_scope(clerk_member.tenant):
        assert [t.name for t in selectors.list_tasks(actor=clerk).filter(assignee=clerk_member)] == ["Prüfen"]
    unknown = api.post(
        api_url("task-delegate", id=task["id"]), {"to": "00000000-0000-0000-0000-000000000000"}, format="json"
    )
    assert unknown.status_code == 400
    assert "to" in unknown.json()["errors"]

    unclaimed = api.post(api_url("task-unclaim", id=task["id"]))
    assert unclaimed.status_code == 200, unclaimed.content
    assert unclaimed.json()["assignee"] is None
    with tenant_scope(clerk_member.tenant):
        assert Task.objects.get(public_id=task["id"]).assignee is None


def test_complete_runs_the_gateway_and_the_connector(api, committed) -> None:  # noqa: ANN001
    model = _deployed(api)
    instance = _start(api, model)
    task = _task_of(api, instance)
    with committed():
        done = api.post(api_url("task-complete", id=task["id"]), {"data": {"betrag": 6000}}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "completed"
    assert done.json()["completed_at"]
    finished = api.get(api_url("process-instance-detail", id=instance["id"])).json()
    assert finished["status"] == "completed"
    assert finished["completed_at"]
    case = api.get(reverse("files-api:vorgang-detail", kwargs={"id": instance["case"]})).json()
    assert case["status"] == "done"  # set by the case.set_status connector on the > 5000 branch
    assert api.get(api_url("task-list")).json()["count"] == 0
    assert api.get(api_url("task-list"), {"state": "completed"}).json()["results"][0]["id"] == task["id"]
    closed = api.get(api_url("task-detail", id=task["id"])).json()
    assert closed["variables"] == {}  # a finished task shows no live data


def test_complete_refuses_bad_and_unknown_data_and_changes_nothing(api) -> None:  # noqa: ANN001
    model = _deployed(api)
    instance = _start(api, model)
    task = _task_of(api, instance)
    complete_url = api_url("task-complete", id=task["id"])
    for data in ({"betrag": "viel"}, {}, {"betrag": None}):
        response = api.post(complete_url, {"data": data}, format="json")
        assert response.status_code == 400, (data, response.content)
        assert response.json()["errors"]["betrag"], data
    unknown = api.post(complete_url, {"data": {"betrag": 100, "rabatt": 5}}, format="json")
    assert unknown.status_code == 400
    assert "rabatt" in unknown.json()["detail"]
    assert list(unknown.json()["errors"]) == ["rabatt"]
    assert api.get(api_url("task-detail", id=task["id"])).json()["state"] == "open"
    assert api.get(api_url("process-instance-detail", id=instance["id"])).json()["status"] == "running"


def test_second_completion_is_a_conflict_with_a_message(api) -> None:  # noqa: ANN001
    model = _deployed(api)
    task = _task_of(api, _start(api, model))
    complete_url = api_url("task-complete", id=task["id"])
    first = api.post(complete_url, {"betrag": "10"}, format="multipart")  # form fields work as well as JSON
    assert first.status_code == 200, first.content
    assert first.json()["state"] == "completed"
    second = api.post(complete_url, {"data": {"betrag": 20}}, format="json")
    assert second.status_code == 409
    assert "already been completed" in second.json()["detail"]


def test_other_tenants_objects_are_not_found(api, admin_b, api_client_for) -> None:  # noqa: ANN001
    model = _deployed(api)
    instance = _start(api, model)
    task = _task_of(api, instance)
    other = api_client_for(admin_b)
    assert other.get(api_url("task-list")).json()["count"] == 0
    assert other.get(api_url("task-detail", id=task["id"])).status_code == 404
    assert (
        other.post(api_url("task-complete", id=task["id"]), {"data": {"betrag": 1}}, format="json").status_code == 404
    )
    assert other.get(api_url("process-model-detail", id=model["id"])).status_code == 404
    assert other.post(api_url("process-instance-cancel", id=instance["id"]), {"reason": "x"}).status_code == 404
    assert api.get(api_url("task-detail", id=task["id"])).json()["state"] == "open"


# --- Incidents ----------------------------------------------------------------------------------------------
def test_failing_connector_becomes_an_incident_and_retry_resolves_it(api, hook_server, settings, committed) -> None:  # noqa: ANN001
    hook = f"{hook_server['base']}meldung"
    model = _deployed(api, http_call_model(hook))
    with committed():
        instance = _start(api, model)
    incidents = api.get(api_url("incident-list")).json()["results"]
    assert len(incidents) == 1
    incident = incidents[0]
    assert (incident["instance"], incident["activity"], incident["connector"]) == (
        instance["id"],
        "Melden",
        "http.call",
    )
    assert incident["state"] == "open"
    assert incident["attempts"] == 1
    assert "allow-list" in incident["error"] and hook in incident["error"]
    assert hook_server["hits"] == []
    assert api.get(api_url("process-instance-detail", id=instance["id"])).json()["status"] == "running"

    settings.AMTSFLOW_HTTP_ALLOWLIST = [hook_server["base"]]
    retried = api.post(api_url("incident-retry", id=incident["id"]))
    assert retried.status_code == 200, retried.content
    assert retried.json()["state"] == "resolved"
    assert retried.json()["resolved_at"]
    assert hook_server["hits"] == ["/meldung"]
    assert api.get(api_url("process-instance-detail", id=instance["id"])).json()["status"] == "completed"
    assert api.get(api_url("incident-list"), {"state": "open"}).json()["count"] == 0
    assert api.get(api_url("incident-list"), {"state": "resolved"}).json()["count"] == 1
    again = api.post(api_url("incident-retry", id=incident["id"]))
    assert again.status_code == 409
    assert hook_server["hits"] == ["/meldung"]  # the step ran exactly once


def test_incident_can_be_cancelled_with_its_instance(api, committed) -> None:  # noqa: ANN001
    model = _deployed(api, http_call_model("http://127.0.0.1:9/nirgends"))
    with committed():
        instance = _start(api, model)
    incident = api.get(api_url("incident-list")).json()["results"][0]
    assert api.post(api_url("incident-cancel", id=incident["id"]), {}, format="json").status_code == 400
    cancelled = api.post(api_url("incident-cancel", id=incident["id"]), {"reason": "Endpunkt gibt es nicht"})
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["id"] == instance["id"]
    assert cancelled.json()["status"] == "cancelled"
    assert api.get(api_url("incident-detail", id=incident["id"])).json()["state"] == "cancelled"


# --- Event log ----------------------------------------------------------------------------------------------
def test_event_log_lists_events_and_exports_xes(api, committed) -> None:  # noqa: ANN001
    model = _deployed(api)
    instance = _start(api, model)
    with committed():
        api.post(api_url("task-complete", id=_task_of(api, instance)["id"]), {"data": {"betrag": 7000}}, format="json")
    sandbox = _start(api, model, sandbox=True)

    events = api.get(api_url("process-event-list")).json()["results"]
    assert {e["instance"] for e in events} == {instance["id"]}  # sandbox runs stay out
    pairs = [(e["activity"], e["lifecycle"]) for e in events]
    assert ("Prüfen", "schedule") in pairs and ("Prüfen", "complete") in pairs
    assert ("Status setzen", "complete") in pairs
    assert all(e["process_key"] == "reference" and e["case_id"] == instance["case"] for e in events)
    assert api.get(api_url("process-event-list"), {"process": "anderer"}).json()["count"] == 0
    assert api.get(api_url("process-event-list"), {"process": "reference"}).json()["count"] == len(events)

    xes = api.get(api_url("process-event-xes"), {"process": "reference"})
    assert xes.status_code == 200
    assert xes["Content-Type"] == "application/xml"
    assert xes["Content-Disposition"] == 'attachment; filename="reference.xes"'
    document = etree.fromstring(b"".join(xes.streaming_content))
    traces = document.findall("x:trace", XES)
    assert [t.find("x:string[@key='concept:name']", XES).get("value") for t in traces] == [instance["case"]]
    assert sandbox["case"] not in etree.tostring(document).decode()
    names = [e.find("x:string[@key='concept:name']", XES).get("value") for e in traces[0].findall("x:event", XES)]
    assert names[0] == "Prüfen" and "Status setzen" in names
    assert len(names) == len(events)


def test_schema_documents_the_process_endpoints(client) -> None:  # noqa: ANN001
    response = client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/process-models/",
        "/api/v1/process-models/{id}/deploy/",
        "/api/v1/process-models/{id}/versions/",
        "/api/v1/process-models/{id}/bpmn/",
        "/api/v1/process-models/{id}/start/",
        "/api/v1/process-instances/",
        "/api/v1/process-instances/{id}/cancel/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{id}/",
        "/api/v1/tasks/{id}/claim/",
        "/api/v1/tasks/{id}/unclaim/",
        "/api/v1/tasks/{id}/delegate/",
        "/api/v1/tasks/{id}/complete/",
        "/api/v1/incidents/",
        "/api/v1/incidents/{id}/retry/",
        "/api/v1/process-events/",
        "/api/v1/process-events/xes/",
    ]:
        assert path in paths, path
    assert "multipart/form-data" in paths["/api/v1/process-models/"]["post"]["requestBody"]["content"]
    task_params = {p["name"] for p in paths["/api/v1/tasks/"]["get"]["parameters"]}
    assert {"state", "mine", "ordering"} <= task_params

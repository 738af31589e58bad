"""Staff UI of the process engine, request by request: the inbox and its filters, task pages with their forms
and buttons, models (import, settings, deploy, start, sandbox), instances, cancellation, incidents, XES — as
clerk, process owner and tenant admin."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from amtsflow.files import selectors as files_selectors
from amtsflow.processes import services
from amtsflow.processes.constants import IncidentState, InstanceStatus, TaskState
from amtsflow.processes.models import Incident, ProcessInstance, ProcessModel, ProcessVersion, Task
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope
from amtsflow.tenants.models import Tenant

from .test_api import BROKEN, REFERENCE, XES, http_call_model, serve_hook

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LIBRARY = Path(__file__).resolve().parents[1] / "library"


def url(name: str, tenant: Tenant, **kwargs: object) -> str:
    return reverse(f"processes:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def page(response) -> str:  # noqa: ANN001
    return response.content.decode()


def shown_messages(response) -> list[str]:  # noqa: ANN001
    return [str(m) for m in response.context["messages"]]


def row_order(html: str, tasks: list[Task]) -> list[Task]:
    """The given tasks in the order their rows appear on the page (absent ones left out)."""
    found = [(html.find(f'data-id="{t.public_id}"'), t) for t in tasks]
    return [t for position, t in sorted(found, key=lambda pair: pair[0]) if position >= 0]


def start(tenant: Tenant, actor, model: ProcessModel, **kwargs) -> ProcessInstance:  # noqa: ANN001, ANN003
    with tenant_scope(tenant):
        return services.start_instance(actor=actor, model=model, **kwargs)


def open_task(tenant: Tenant, instance: ProcessInstance) -> Task:
    with tenant_scope(tenant):
        return Task.objects.get(instance=instance, state=TaskState.OPEN)


def fresh(tenant: Tenant, obj):  # noqa: ANN001, ANN201
    with tenant_scope(tenant):
        return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def colleague_member(tenant_a, make_member):  # noqa: ANN001, ANN201
    return make_member(tenant_a, Role.CLERK)


@pytest.fixture
def draft_model(tenant_a, owner, plan) -> ProcessModel:  # noqa: ANN001
    """The reference model imported, not deployed yet."""
    with tenant_scope(tenant_a):
        return services.import_model(actor=owner, bpmn=REFERENCE, plan_entry="6.60.01")


# --- Inbox --------------------------------------------------------------------------------------------------
def test_inbox_lists_the_tasks_with_filters_search_and_sorting(
    tenant_a, reference_model, clerk, clerk_member, login
) -> None:  # noqa: ANN001
    first = start(tenant_a, clerk, reference_model, subject="Rechnung Bauhof")
    second = start(tenant_a, clerk, reference_model, subject="Gerüst Marktplatz")
    task_1, task_2 = open_task(tenant_a, first), open_task(tenant_a, second)
    with tenant_scope(tenant_a):
        Task.objects.filter(pk=task_2.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    client = login(clerk_member)
    inbox = url("inbox", tenant_a)

    everything = page(client.get(inbox))
    assert "2 tasks" in everything
    assert first.case_label in everything and second.case_label in everything
    assert url("task_detail", tenant_a, task_id=task_1.public_id) in everything
    assert everything.count('<span class="badge">overdue</span>') == 1  # the second task's badge
    assert everything.count("open to Clerk") == 2  # whom unclaimed tasks are offered to, in words
    assert 'value="all"' not in everything  # a clerk cannot ask for all tasks of the tenant
    assert url("incident_list", tenant_a) not in everything  # and sees no incident tab

    overdue = page(client.get(inbox, {"due": "overdue"}))
    assert row_order(overdue, [task_1, task_2]) == [task_2]
    searched = page(client.get(inbox, {"q": first.case_label}))
    assert row_order(searched, [task_1, task_2]) == [task_1]
    assert row_order(page(client.get(inbox, {"q": "prüf"})), [task_1, task_2]) == [task_2, task_1]
    assert "No tasks" in page(client.get(inbox, {"q": "Baugenehmigung"}))

    assert row_order(page(client.get(inbox, {"ordering": "created_at"})), [task_1, task_2]) == [task_1, task_2]
    assert row_order(page(client.get(inbox, {"ordering": "-created_at"})), [task_1, task_2]) == [task_2, task_1]
    assert row_order(page(client.get(inbox, {"ordering": "due_at"})), [task_1, task_2]) == [task_2, task_1]

    assert "No tasks" in page(client.get(inbox, {"scope": "mine"}))
    with tenant_scope(tenant_a):
        services.claim_task(actor=clerk, task=task_1)
    assert row_order(page(client.get(inbox, {"scope": "mine"})), [task_1, task_2]) == [task_1]

    fragment = client.get(inbox, {"due": "overdue"}, **HTMX)
    assert fragment.status_code == 200
    html = page(fragment)
    assert html.lstrip().startswith('<div id="task-rows">')
    assert "<html" not in html and "<form" not in html
    assert row_order(html, [task_1, task_2]) == [task_2]
    assert "HX-Request" in fragment["Vary"]


def test_owner_sees_all_tasks_only_when_asking_for_them(
    tenant_a, reference_model, clerk, colleague_member, owner_member, login
) -> None:  # noqa: ANN001
    instance = start(tenant_a, clerk, reference_model)
    task = open_task(tenant_a, instance)
    with tenant_scope(tenant_a):
        services.delegate_task(actor=clerk, task=task, to=colleague_member)
    client = login(owner_member)
    own = page(client.get(url("inbox", tenant_a)))
    assert row_order(own, [task]) == []  # assigned to somebody else
    assert 'value="all"' in own
    assert url("incident_list", tenant_a) in own  # the incident tab
    assert row_order(page(client.get(url("inbox", tenant_a), {"scope": "all"})), [task]) == [task]
    colleague = page(login(colleague_member).get(url("inbox", tenant_a), {"scope": "mine"}))
    assert row_order(colleague, [task]) == [task]


# --- Task page ----------------------------------------------------------------------------------------------
def test_task_page_shows_the_form_and_refuses_invalid_input(tenant_a, reference_model, clerk, clerk_member, login):  # noqa: ANN001, ANN201
    instance = start(tenant_a, clerk, reference_model, data={"antragsteller": "Erika Mustermann"})
    task = open_task(tenant_a, instance)
    client = login(clerk_member)
    task_url = url("task_detail", tenant_a, task_id=task.public_id)

    form = page(client.get(task_url))
    assert '<input type="number" name="betrag"' in form
    assert "Betrag (EUR)" in form and "(required)" in form
    assert instance.case_label in form
    assert "Erika Mustermann" in form  # the process data
    assert url("task_claim", tenant_a, task_id=task.public_id) in form

    for data, error in (({"betrag": "viel"}, "Enter a whole number."), ({}, "This field is required.")):
        response = client.post(task_url, data)
        assert response.status_code == 400
        html = page(response)
        error_block = re.search(r'<div class="errors" id="id_betrag_error">(.*?)</div>', html, re.S)
        assert error_block, html
        assert error in error_block.group(1)
        assert 'class="field field-invalid"' in html
    assert fresh(tenant_a, task).state == TaskState.OPEN
    assert fresh(tenant_a, instance).status == InstanceStatus.RUNNING


def test_completing_the_task_redirects_to_the_inbox_with_a_message(
    tenant_a, reference_model, clerk, clerk_member, login, committed
) -> None:  # noqa: ANN001
    instance = start(tenant_a, clerk, reference_model)
    task = open_task(tenant_a, instance)
    client = login(clerk_member)
    task_url = url("task_detail", tenant_a, task_id=task.public_id)
    with committed():
        response = client.post(task_url, {"betrag": "6000"})
    assert response.status_code == 302
    assert response["Location"] == url("inbox", tenant_a)
    inbox = client.get(response["Location"])
    assert "Task completed: Prüfen" in shown_messages(inbox)
    assert "No tasks" in page(inbox)
    done = fresh(tenant_a, task)
    assert (done.state, done.completed_by) == (TaskState.COMPLETED, clerk_member)
    assert fresh(tenant_a, instance).status == InstanceStatus.COMPLETED
    with tenant_scope(tenant_a):
        assert files_selectors.get_vorgang(actor=clerk, public_id=instance.case_id).status == "done"

    closed = client.get(task_url)
    assert 'name="betrag"' not in page(closed)  # nothing left to fill in
    again = client.post(task_url, {"betrag": "1"})
    assert again.status_code == 409
    assert any("already been completed" in m for m in shown_messages(again))
    assert fresh(tenant_a, task).completed_by == clerk_member


def test_claim_unclaim_and_delegate_buttons(tenant_a, reference_model, clerk, clerk_member, colleague_member, login):  # noqa: ANN001, ANN201
    task = open_task(tenant_a, start(tenant_a, clerk, reference_model))
    client, colleague = login(clerk_member), login(colleague_member)
    task_url = url("task_detail", tenant_a, task_id=task.public_id)
    claim_url = url("task_claim", tenant_a, task_id=task.public_id)
    unclaim_url = url("task_unclaim", tenant_a, task_id=task.public_id)
    delegate_url = url("task_delegate", tenant_a, task_id=task.public_id)

    claimed = client.post(claim_url)
    assert claimed["Location"] == task_url
    after = client.get(task_url)
    assert "You took the task." in shown_messages(after)
    assert unclaim_url in page(after) and claim_url not in page(after)
    assert fresh(tenant_a, task).assignee == clerk_member

    # A task claimed by someone else is out of the colleague's sight: no page, no claiming it away.
    assert colleague.get(task_url).status_code == 404
    assert colleague.post(claim_url).status_code == 404
    assert fresh(tenant_a, task).assignee == clerk_member

    client.post(unclaim_url)
    assert "The task is back in the group." in shown_messages(client.get(task_url))
    assert fresh(tenant_a, task).assignee is None

    nobody = client.post(delegate_url, {"to": "niemand"})
    assert nobody["Location"] == task_url
    assert "Choose a member." in shown_messages(client.get(task_url))
    assert fresh(tenant_a, task).assignee is None
    handed = client.post(delegate_url, {"to": str(colleague_member.public_id)})
    assert handed["Location"] == url("inbox", tenant_a)  # the task is out of the clerk's sight now
    inbox = client.get(handed["Location"])
    assert inbox.status_code == 200
    assert f"Task handed over to {colleague_member}." in shown_messages(inbox)
    assert row_order(page(inbox), [task]) == []
    assert fresh(tenant_a, task).assignee == colleague_member
    assert row_order(page(colleague.get(url("inbox", tenant_a), {"scope": "mine"})), [task]) == [task]


# --- Models -------------------------------------------------------------------------------------------------
def test_owner_imports_a_model_and_a_broken_one_is_refused(tenant_a, owner_member, plan, login) -> None:  # noqa: ANN001
    client = login(owner_member)
    listing = page(client.get(url("model_list", tenant_a)))
    assert url("model_import", tenant_a) in listing and "No process models yet." in listing
    form = page(client.get(url("model_import", tenant_a)))
    assert 'enctype="multipart/form-data"' in form and 'name="bpmn"' in form

    broken = client.post(
        url("model_import", tenant_a), {"bpmn": SimpleUploadedFile("kaputt.bpmn", BROKEN), "plan_entry": "6.60.01"}
    )
    assert broken.status_code == 400
    html = page(broken)
    assert "Weiche" in html and 'role="alert"' in html
    assert 'id="id_bpmn_error"' in html
    with tenant_scope(tenant_a):
        assert not ProcessModel.objects.exists()

    imported = client.post(
        url("model_import", tenant_a),
        {"bpmn": SimpleUploadedFile("reference.bpmn", REFERENCE), "plan_entry": "6.60.01"},
    )
    assert imported.status_code == 302
    with tenant_scope(tenant_a):
        model = ProcessModel.objects.get(key="reference")
    assert (model.name, model.plan_entry, model.draft_bpmn) == ("Referenzprozess", "6.60.01", REFERENCE.decode())
    assert imported["Location"] == url("model_detail", tenant_a, model_id=model.public_id)
    detail = client.get(imported["Location"])
    assert "Model imported: Referenzprozess. Check the settings, then deploy." in shown_messages(detail)
    listing = page(client.get(url("model_list", tenant_a)))
    assert "Referenzprozess" in listing and "draft only" in listing


def test_owner_saves_settings_deploys_and_starts(tenant_a, owner, owner_member, draft_model, login) -> None:  # noqa: ANN001
    client = login(owner_member)
    detail_url = url("model_detail", tenant_a, model_id=draft_model.public_id)
    deploy_url = url("model_deploy", tenant_a, model_id=draft_model.public_id)
    start_url = url("model_start", tenant_a, model_id=draft_model.public_id)

    draft = page(client.get(detail_url))
    assert "Not deployed yet." in draft and deploy_url in draft
    assert start_url not in draft  # nothing to start before the first deployment
    assert 'name="plan_entry"' in draft and 'value="6.60.01"' in draft

    invalid = client.post(detail_url, {"plan_entry": "", "description": "x"})
    assert invalid.status_code == 400
    assert 'id="id_plan_entry_error"' in page(invalid)
    saved = client.post(detail_url, {"plan_entry": "3.20.01", "start_event": "", "description": "Für Anträge"})
    assert saved["Location"] == detail_url
    assert "Settings saved." in shown_messages(client.get(detail_url))
    model = fresh(tenant_a, draft_model)
    assert (model.plan_entry, model.description) == ("3.20.01", "Für Anträge")

    deployed = client.get(client.post(deploy_url)["Location"])
    assert any(m.startswith("Deployed as a new version.") for m in shown_messages(deployed))
    with tenant_scope(tenant_a):
        assert list(ProcessVersion.objects.filter(model=draft_model).values_list("number", "plan_entry")) == [
            (1, "3.20.01")
        ]
    again = client.get(client.post(deploy_url)["Location"])
    assert "This draft is already deployed as version 1." in shown_messages(again)
    with tenant_scope(tenant_a):
        assert ProcessVersion.objects.filter(model=draft_model).count() == 1

    ready = page(again)
    assert start_url in ready and "Start process" in ready and "Start in the sandbox" in ready
    assert "v1" in ready

    started = client.post(start_url, {"subject": "Gerüst Marktplatz"})
    with tenant_scope(tenant_a):
        instance = ProcessInstance.objects.get(is_test=False)
        assert started["Location"] == url("instance_detail", tenant_a, instance_id=instance.public_id)
        assert (instance.started_via, instance.started_by) == ("ui", owner_member)
        vorgang = files_selectors.get_vorgang(actor=owner, public_id=instance.case_id)
        assert vorgang.subject == "Gerüst Marktplatz"
        assert vorgang.akte.plan_entry.number == "3.20.01"
    assert "Process started." in shown_messages(client.get(started["Location"]))

    sandbox = client.post(start_url, {"subject": "Probelauf", "sandbox": "1"})
    with tenant_scope(tenant_a):
        test_run = ProcessInstance.objects.get(is_test=True)
    assert sandbox["Location"] == url("instance_detail", tenant_a, instance_id=test_run.public_id)
    assert test_run.started_via == "sandbox"


def test_clerk_may_start_but_not_import_deploy_configure_or_use_the_sandbox(
    tenant_a, reference_model, clerk_member, login
) -> None:  # noqa: ANN001
    client = login(clerk_member)
    detail_url = url("model_detail", tenant_a, model_id=reference_model.public_id)
    listing = page(client.get(url("model_list", tenant_a)))
    assert "Referenzprozess" in listing and url("model_import", tenant_a) not in listing

    assert client.get(url("model_import", tenant_a)).status_code == 403
    upload = {"bpmn": SimpleUploadedFile("reference.bpmn", REFERENCE), "plan_entry": "3.20.01"}
    assert client.post(url("model_import", tenant_a), upload).status_code == 403
    assert client.post(url("model_deploy", tenant_a, model_id=reference_model.public_id)).status_code == 403
    assert client.post(detail_url, {"plan_entry": "3.20.01"}).status_code == 403
    model = fresh(tenant_a, reference_model)
    assert (model.plan_entry, model.draft_bpmn) == ("6.60.01", reference_model.draft_bpmn)
    with tenant_scope(tenant_a):
        assert ProcessVersion.objects.filter(model=reference_model).count() == 1

    detail = page(client.get(detail_url))
    assert "Start process" in detail
    assert "Start in the sandbox" not in detail
    assert url("model_deploy", tenant_a, model_id=reference_model.public_id) not in detail
    assert 'name="plan_entry"' not in detail

    start_url = url("model_start", tenant_a, model_id=reference_model.public_id)
    assert client.post(start_url, {"subject": "Test", "sandbox": "1"}).status_code == 403
    with tenant_scope(tenant_a):
        assert not ProcessInstance.objects.exists()
    assert client.post(start_url, {"subject": "Echt"}).status_code == 302
    with tenant_scope(tenant_a):
        assert list(ProcessInstance.objects.values_list("is_test", flat=True)) == [False]


def test_model_bpmn_download(tenant_a, clerk_member, draft_model, login) -> None:  # noqa: ANN001
    response = login(clerk_member).get(url("model_bpmn", tenant_a, model_id=draft_model.public_id))
    assert response["Content-Disposition"] == 'attachment; filename="reference.bpmn"'
    assert response.content == REFERENCE


# --- Instances ----------------------------------------------------------------------------------------------
def test_instance_list_keeps_sandbox_runs_on_their_own_tab(
    tenant_a, reference_model, owner, owner_member, clerk, login
) -> None:  # noqa: ANN001
    production = start(tenant_a, clerk, reference_model)
    test_run = start(tenant_a, owner, reference_model, is_test=True)
    assert production.case_label != test_run.case_label
    client = login(owner_member)
    listing = page(client.get(url("instance_list", tenant_a)))
    assert production.case_label in listing and test_run.case_label not in listing
    sandbox = page(client.get(url("instance_list", tenant_a), {"sandbox": "1"}))
    assert test_run.case_label in sandbox and production.case_label not in sandbox
    assert '<span class="badge">sandbox</span>' in sandbox
    assert 'aria-current="page">Sandbox<' in sandbox
    assert "No instances." in page(client.get(url("instance_list", tenant_a), {"status": "completed"}))
    running = page(client.get(url("instance_list", tenant_a), {"status": "running"}))
    assert production.case_label in running


def test_instance_page_shows_tasks_and_events_and_owner_cancels_with_a_reason(
    tenant_a, reference_model, clerk, owner_member, login
) -> None:  # noqa: ANN001
    instance = start(tenant_a, clerk, reference_model)
    task = open_task(tenant_a, instance)
    client = login(owner_member)
    detail_url = url("instance_detail", tenant_a, instance_id=instance.public_id)
    cancel_url = url("instance_cancel", tenant_a, instance_id=instance.public_id)

    html = page(client.get(detail_url))
    assert url("task_detail", tenant_a, task_id=task.public_id) in html
    events = re.search(r"<caption[^>]*>Event log</caption>(.*?)</table>", html, re.S)
    assert events and "<td>Prüfen</td><td>scheduled</td>" in events.group(1)
    assert cancel_url in html

    no_reason = client.get(client.post(cancel_url, {"reason": "  "})["Location"])
    assert "Give a reason." in shown_messages(no_reason)
    assert fresh(tenant_a, instance).status == InstanceStatus.RUNNING

    cancelled = client.get(client.post(cancel_url, {"reason": "Doppelt erfasst"})["Location"])
    assert "The process was cancelled." in shown_messages(cancelled)
    assert fresh(tenant_a, instance).status == InstanceStatus.CANCELLED
    assert fresh(tenant_a, task).state == TaskState.CANCELLED
    html = page(cancelled)
    assert cancel_url not in html  # nothing left to cancel
    assert "<td>Prüfen</td><td>aborted</td>" in html


def test_clerk_cannot_cancel_but_the_tenant_admin_can(
    tenant_a, reference_model, clerk, clerk_member, admin_a, login
) -> None:  # noqa: ANN001
    instance = start(tenant_a, clerk, reference_model)
    detail_url = url("instance_detail", tenant_a, instance_id=instance.public_id)
    cancel_url = url("instance_cancel", tenant_a, instance_id=instance.public_id)
    clerk_client = login(clerk_member)
    assert cancel_url not in page(clerk_client.get(detail_url))
    assert clerk_client.post(cancel_url, {"reason": "Keine Lust"}).status_code == 403
    assert fresh(tenant_a, instance).status == InstanceStatus.RUNNING

    admin_client = login(admin_a)
    assert cancel_url in page(admin_client.get(detail_url))
    assert admin_client.post(cancel_url, {"reason": "Falsch angelegt"}).status_code == 302
    assert fresh(tenant_a, instance).status == InstanceStatus.CANCELLED


# --- Incidents ----------------------------------------------------------------------------------------------
def test_incidents_are_for_operators_who_retry_them(
    tenant_a, owner, owner_member, clerk_member, plan, login, settings, committed
) -> None:  # noqa: ANN001
    with serve_hook() as hook:
        with tenant_scope(tenant_a):
            model = services.import_model(
                actor=owner, bpmn=http_call_model(f"{hook['base']}meldung"), plan_entry="6.60.01"
            )
            services.deploy(actor=owner, model=model)
        with committed():
            instance = start(tenant_a, owner, model)
        with tenant_scope(tenant_a):
            incident = Incident.objects.get(instance=instance)
        retry_url = url("incident_retry", tenant_a, incident_id=incident.public_id)

        clerk_client = login(clerk_member)
        assert clerk_client.get(url("incident_list", tenant_a)).status_code == 403
        assert clerk_client.post(retry_url).status_code == 403
        assert "URL not on the allow-list" not in page(
            clerk_client.get(url("instance_detail", tenant_a, instance_id=instance.public_id))
        )

        client = login(owner_member)
        listing = page(client.get(url("incident_list", tenant_a)))
        assert "Melden" in listing and "http.call" in listing
        assert f"URL not on the allow-list: {hook['base']}meldung" in listing
        assert retry_url in listing and "Retry now" in listing
        instance_page = page(client.get(url("instance_detail", tenant_a, instance_id=instance.public_id)))
        assert "URL not on the allow-list" in instance_page and retry_url in instance_page
        assert hook["hits"] == []

        settings.AMTSFLOW_HTTP_ALLOWLIST = [hook["base"]]
        retried = client.post(retry_url)
        assert retried["Location"] == url("incident_list", tenant_a)
        after = client.get(retried["Location"])
        assert any(m.startswith("Retried.") for m in shown_messages(after))
        assert "No incidents." in page(after)
        assert hook["hits"] == ["/meldung"]
    resolved = fresh(tenant_a, incident)
    assert resolved.state == IncidentState.RESOLVED and resolved.resolved_at is not None
    assert fresh(tenant_a, instance).status == InstanceStatus.COMPLETED
    history = page(client.get(url("incident_list", tenant_a), {"state": "resolved"}))
    assert str(incident.public_id) in history and retry_url not in history


# --- Event log ----------------------------------------------------------------------------------------------
def test_event_log_downloads_as_xes(tenant_a, reference_model, clerk, clerk_member, owner, login, committed) -> None:  # noqa: ANN001
    instance = start(tenant_a, clerk, reference_model)
    with committed(), tenant_scope(tenant_a):
        services.complete_task(actor=clerk, task=open_task(tenant_a, instance), data={"betrag": "9000"})
    test_run = start(tenant_a, owner, reference_model, is_test=True)
    client = login(clerk_member)
    assert url("event_log_xes", tenant_a) in page(client.get(url("model_list", tenant_a)))

    response = client.get(url("event_log_xes", tenant_a))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="stadt-a.xes"'
    document = etree.fromstring(b"".join(response.streaming_content))
    traces = document.findall("x:trace", XES)
    assert [t.find("x:string[@key='concept:name']", XES).get("value") for t in traces] == [str(instance.case_id)]
    assert str(test_run.case_id) not in etree.tostring(document).decode()
    events = [
        (
            e.find("x:string[@key='concept:name']", XES).get("value"),
            e.find("x:string[@key='lifecycle:transition']", XES).get("value"),
        )
        for e in traces[0].findall("x:event", XES)
    ]
    assert events[0] == ("Prüfen", "schedule")
    assert ("Prüfen", "complete") in events and ("Status setzen", "complete") in events

    other = client.get(url("event_log_xes", tenant_a), {"process": "anderer"})
    assert other["Content-Disposition"] == 'attachment; filename="anderer.xes"'
    assert etree.fromstring(b"".join(other.streaming_content)).findall("x:trace", XES) == []


# --- Tenants ------------------------------------------------------------------------------------------------
def test_other_tenants_see_nothing(tenant_a, tenant_b, reference_model, clerk, make_member, login) -> None:  # noqa: ANN001
    instance = start(tenant_a, clerk, reference_model)
    task = open_task(tenant_a, instance)
    stranger = login(make_member(tenant_b, Role.PROCESS_OWNER, Role.CLERK))
    assert stranger.get(url("inbox", tenant_a)).status_code == 404
    assert stranger.get(url("task_detail", tenant_b, task_id=task.public_id)).status_code == 404
    assert stranger.post(url("task_detail", tenant_b, task_id=task.public_id), {"betrag": "1"}).status_code == 404
    assert stranger.get(url("instance_detail", tenant_b, instance_id=instance.public_id)).status_code == 404
    assert stranger.get(url("model_detail", tenant_b, model_id=reference_model.public_id)).status_code == 404
    assert row_order(page(stranger.get(url("inbox", tenant_b))), [task]) == []
    assert fresh(tenant_a, task).state == TaskState.OPEN

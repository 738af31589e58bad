"""Timers and escalation, DMN decisions, letters and mails filed in the case, the head of department's view,
processes started by events, and concurrent completion on PostgreSQL."""

import datetime as dt
import threading
import uuid

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from amtsflow.core.exceptions import Conflict
from amtsflow.files import selectors as files_selectors
from amtsflow.files import services as files_services
from amtsflow.processes import selectors, services
from amtsflow.processes.clock import tick_all_tenants
from amtsflow.processes.constants import InstanceStatus, TaskState
from amtsflow.processes.models import ProcessModel, Task
from amtsflow.tenants.constants import Role
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db

ANTRAG = {
    "antragsteller_name": "Erika Mustermann",
    "antragsteller_email": "erika@example.org",
    "antragsart": "Sondernutzung",
    "betrag": 1200,
    "begruendung": "Gerüst",
}


@pytest.fixture
def antrag_model(deploy_library) -> ProcessModel:  # noqa: ANN001
    return deploy_library("antrag_pruefen.bpmn", "antrag_pruefen.dmn", plan_entry="3.20.01")


@pytest.fixture
def head(tenant_a, make_member, actor_for):  # noqa: ANN001, ANN201
    return actor_for(make_member(tenant_a, Role.HEAD_OF_DEPARTMENT))


def _open(actor, instance, name):  # noqa: ANN001, ANN202
    return selectors.list_tasks(actor=actor, everything=True).get(instance=instance, state=TaskState.OPEN, name=name)


def test_boundary_timer_escalates_to_the_head_of_department(tenant_a, antrag_model, clerk, head, committed) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=antrag_model, data=ANTRAG)
        task = _open(clerk, instance, "Formale Prüfung")
        assert task.due_at is not None
        assert not selectors.list_tasks(actor=head).filter(pk=task.pk).exists()
        assert instance.next_timer_at is not None
    with time_machine.travel(timezone.now() + dt.timedelta(days=6), tick=False), committed():
        assert tick_all_tenants()["timers"] == 1
    with tenant_scope(tenant_a):
        task.refresh_from_db()
        assert task.escalated
        assert task.state == TaskState.OPEN  # non-interrupting: the clerk can still finish it
        assert selectors.list_tasks(actor=head).filter(pk=task.pk).exists()
        instance.refresh_from_db()
        assert instance.status == InstanceStatus.RUNNING


def test_dmn_approves_and_files_the_decision_letter_and_mail(tenant_a, antrag_model, clerk, committed) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=antrag_model, data=ANTRAG)
        with committed():
            services.complete_task(
                actor=clerk, task=_open(clerk, instance, "Formale Prüfung"), data={"vollstaendig": "true"}
            )
        instance.refresh_from_db()
        assert instance.status == InstanceStatus.COMPLETED
        vorgang = files_selectors.get_vorgang(actor=clerk, public_id=instance.case_id)
        titles = sorted(d.title for d in files_selectors.list_documents(actor=clerk).filter(vorgang=vorgang))
        assert "Bescheid" in " ".join(titles)
        assert vorgang.status == "done"
    assert [m.to for m in mail.outbox] == [["erika@example.org"]]
    assert "genehmigt" in mail.outbox[0].body


def test_a_mail_whose_filing_fails_is_not_sent_until_the_retry(  # noqa: PLR0913
    tenant_a, antrag_model, clerk, owner, committed, monkeypatch
) -> None:
    """email.send files the mail before it sends it: a failing filing leaves nothing sent, the retry sends once."""
    from amtsflow.processes.connectors import builtin  # noqa: PLC0415
    from amtsflow.processes.models import Incident  # noqa: PLC0415

    file_document = builtin.files_services.file_document

    def failing_for_mail(**kwargs: object) -> object:
        if kwargs.get("filename") == "mail.eml":
            raise OSError("storage full")
        return file_document(**kwargs)

    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=antrag_model, data=ANTRAG)
        with monkeypatch.context() as patched:
            patched.setattr(builtin.files_services, "file_document", failing_for_mail)
            with committed():
                services.complete_task(
                    actor=clerk, task=_open(clerk, instance, "Formale Prüfung"), data={"vollstaendig": "true"}
                )
        incident = Incident.objects.get(instance=instance)
        assert "storage full" in incident.error
        assert not mail.outbox
        with committed():
            services.retry_incident(actor=owner, incident=incident)
        instance.refresh_from_db()
        assert instance.status == InstanceStatus.COMPLETED
    assert len(mail.outbox) == 1


def test_large_amount_goes_to_the_head_of_department(tenant_a, antrag_model, clerk, head, committed) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=antrag_model, data={**ANTRAG, "betrag": 9000})
        with committed():
            services.complete_task(
                actor=clerk, task=_open(clerk, instance, "Formale Prüfung"), data={"vollstaendig": "true"}
            )
        decision = _open(head, instance, "Entscheidung Amtsleitung")
        assert selectors.list_tasks(actor=head).filter(pk=decision.pk).exists()
        assert not selectors.list_tasks(actor=clerk).filter(pk=decision.pk).exists()


def test_head_of_department_sees_the_tasks_of_the_unit(tenant_a, reference_model, make_member, actor_for) -> None:
    from amtsflow.tenants.tests.factories import OrgUnitFactory

    with tenant_scope(tenant_a):
        amt = OrgUnitFactory(tenant=tenant_a, kind="amt", name="Tiefbauamt")
        starter = actor_for(make_member(tenant_a, Role.CLERK, org_unit=amt))
        unit_head = actor_for(make_member(tenant_a, Role.HEAD_OF_DEPARTMENT, org_unit=amt))
        other_head = actor_for(make_member(tenant_a, Role.HEAD_OF_DEPARTMENT))
        akte = files_services.open_process_case(
            actor=starter, plan_entry_number="6.60.01", file_title="Tiefbau", subject="x", org_unit=amt
        )
        instance = services.start_instance(actor=starter, model=reference_model, case_id=str(akte.public_id))
        task = Task.objects.get(instance=instance)
        assert task.org_unit == amt
        assert selectors.list_tasks(actor=unit_head).filter(pk=task.pk).exists()
        assert not selectors.list_tasks(actor=other_head).filter(pk=task.pk).exists()


def test_event_of_another_app_starts_the_configured_process(tenant_a, reference_model, clerk, owner, committed) -> None:
    with tenant_scope(tenant_a):
        services.update_model_settings(
            actor=owner, model=reference_model, plan_entry="6.60.01", start_event="files.document_filed", description=""
        )
        vorgang = files_services.open_process_case(
            actor=clerk, plan_entry_number="6.60.01", file_title="Eingang", subject="Post"
        )
        with committed():
            files_services.file_document(actor=clerk, vorgang=vorgang, upload=b"Hallo", filename="brief.txt")
        started = selectors.list_instances(actor=clerk).filter(version__model=reference_model)
        assert [i.case_id for i in started] == [vorgang.public_id]
        assert started[0].started_via == "event"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks; set DATABASE_URL")
@pytest.mark.django_db(transaction=True)
def test_two_clerks_completing_at_once_exactly_one_wins(tenant_a, reference_model, clerk, owner) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=reference_model)
        task = Task.objects.get(instance=instance)
    barrier, outcomes = threading.Barrier(2), []

    def complete(actor, amount):  # noqa: ANN001, ANN202
        try:
            with tenant_scope(tenant_a):
                barrier.wait()
                services.complete_task(actor=actor, task=task, data={"betrag": amount})
                outcomes.append("won")
        except Conflict as error:
            outcomes.append(f"lost: {error.message}")
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=(a, n)) for a, n in ((clerk, "10"), (owner, "20"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o[:4] for o in outcomes) == ["lost", "won"], outcomes
    with tenant_scope(tenant_a):
        instance.refresh_from_db()
        assert instance.status == InstanceStatus.COMPLETED
        assert Task.objects.get(pk=task.pk).state == TaskState.COMPLETED


def test_overdue_task_is_reminded_once_by_the_timer_command(tenant_a, antrag_model, clerk, make_member) -> None:
    from io import StringIO

    from django.core.management import call_command

    treasury = make_member(tenant_a, Role.TREASURY)  # not offered the task: must not get the mail
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=antrag_model, data=ANTRAG)
        task = _open(clerk, instance, "Formale Prüfung")
    output = StringIO()
    with time_machine.travel(task.due_at + dt.timedelta(hours=1), tick=False):
        call_command("run_timers", "--once", stdout=output)
        call_command("run_timers", "--once", stdout=StringIO())
    assert "reminders sent: 1" in output.getvalue()
    reminders = [m for m in mail.outbox if "Formale Prüfung" in m.subject]
    assert len(reminders) == 1
    assert clerk.user.email in reminders[0].to  # everyone holding the candidate role "clerk"
    assert treasury.user.email not in reminders[0].to
    assert f"/aufgaben/{task.public_id}/" in reminders[0].body


def test_start_form_is_validated_and_its_upload_filed_in_the_case(tenant_a, antrag_model, clerk) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amtsflow.core.exceptions import ValidationFailed

    with tenant_scope(tenant_a):
        with pytest.raises(ValidationFailed) as error:
            services.start_instance(actor=clerk, model=antrag_model, data={**ANTRAG, "antragsart": "Hundesteuer"})
        assert "antragsart" in error.value.field_errors
        assert not selectors.list_instances(actor=clerk).exists()
        upload = SimpleUploadedFile("lageplan.txt", "Lageplan Hauptstraße 12".encode(), content_type="text/plain")
        instance = services.start_instance(actor=clerk, model=antrag_model, data=ANTRAG, files={"anlage": upload})
        documents = files_selectors.list_documents(actor=clerk).filter(vorgang__public_id=instance.case_id)
        assert [d.title for d in documents] == ["lageplan"]
        variables = services.task_variables(_open(clerk, instance, "Formale Prüfung"))
        assert variables["anlage"]["document_id"] == str(documents[0].public_id)
        assert variables["betrag"] == 1200


def test_task_pages_name_whom_a_task_is_offered_to_in_words(tenant_a, reference_model, clerk, make_member) -> None:
    from amtsflow.processes.models import TaskCandidate  # noqa: PLC0415
    from amtsflow.processes.templatetags.tasks import offered_to, process_value  # noqa: PLC0415
    from amtsflow.tenants.tests.factories import OrgUnitFactory  # noqa: PLC0415

    with tenant_scope(tenant_a):
        OrgUnitFactory(tenant=tenant_a, kind="amt", name="Tiefbauamt", code="66")
        person = make_member(tenant_a, Role.CLERK)
        person.user.first_name, person.user.last_name = "Lea", "Braun"
        person.user.save()
        instance = services.start_instance(actor=clerk, model=reference_model)
        task = Task.objects.get(instance=instance)
        task.candidates.all().delete()
        for kind, key in [("unit", "66"), ("role", "treasury"), ("user", person.user.username), ("group", "Prüfung")]:
            TaskCandidate.objects.create(tenant=tenant_a, task=task, kind=kind, key=key)
        assert sorted(offered_to(task).split(", ")) == ["Lea Braun", "Prüfung", "Tiefbauamt", "Treasury"]
    assert [process_value(v) for v in (None, True, False, ["a", None], 3)] == ["–", "yes", "no", "a, –", "3"]


# --- Connector steps: side effects happen once, failures become incidents -----------------------------------------
def _high_amount_waiting_for_its_connector(clerk, model):  # noqa: ANN001, ANN202
    """An instance whose service task (case.set_status) is ready; its connector run is not started."""
    instance = services.start_instance(actor=clerk, model=model)
    services.complete_task(actor=clerk, task=Task.objects.get(instance=instance), data={"betrag": "6000"})
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.RUNNING
    return instance


@pytest.fixture
def status_calls(monkeypatch):  # noqa: ANN001, ANN201
    """Counts the runs of the case.set_status connector (its side effect: the case status)."""
    from amtsflow.processes.connectors import get_connector

    connector = get_connector("case.set_status")
    calls: list[dict] = []
    original = connector.run

    def run(context, inputs):  # noqa: ANN001, ANN202
        calls.append(inputs)
        return original(context, inputs)

    monkeypatch.setattr(connector, "run", run)
    return calls


def test_engine_failure_after_the_connector_keeps_its_result_and_the_retry_reuses_it(
    tenant_a, reference_model, clerk, status_calls, monkeypatch
) -> None:
    from amtsflow.processes.constants import IncidentState
    from amtsflow.processes.models import ConnectorCall, Incident
    from amtsflow.processes.services import automation

    with tenant_scope(tenant_a):
        instance = _high_amount_waiting_for_its_connector(clerk, reference_model)

        def broken_step(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            raise RuntimeError("engine broke")

        with monkeypatch.context() as patch:
            patch.setattr(automation, "run_step", broken_step)
            assert services.run_connectors(instance) == 0
        # Phase 1 stayed: the side effect and its record; the engine step did not happen.
        assert len(status_calls) == 1
        assert ConnectorCall.objects.filter(instance=instance).count() == 1
        assert files_selectors.get_vorgang(actor=clerk, public_id=instance.case_id).status == "done"
        incident = Incident.objects.get(instance=instance)
        assert incident.state == IncidentState.OPEN and "engine broke" in incident.error
        revision = instance.revision
        instance.refresh_from_db()
        assert (instance.status, instance.revision) == (InstanceStatus.RUNNING, revision)

        Incident.objects.filter(pk=incident.pk).update(next_retry_at=timezone.now() - dt.timedelta(seconds=1))
        assert services.run_connectors(instance) == 1  # the retry when it is due

        assert len(status_calls) == 1  # the recorded result was used, the connector did not run again
        instance.refresh_from_db()
        assert instance.status == InstanceStatus.COMPLETED
        assert Incident.objects.get(pk=incident.pk).state == IncidentState.RESOLVED


def test_failing_connector_leaves_none_of_its_writes_and_no_record(
    tenant_a, reference_model, clerk, monkeypatch
) -> None:
    from amtsflow.processes.connectors import ConnectorError, get_connector
    from amtsflow.processes.models import ConnectorCall, Incident

    connector = get_connector("case.set_status")
    original = connector.run

    def half_done(context, inputs):  # noqa: ANN001, ANN202
        original(context, inputs)  # the case status is set ...
        raise ConnectorError("then the connector fails")

    monkeypatch.setattr(connector, "run", half_done)
    with tenant_scope(tenant_a):
        instance = _high_amount_waiting_for_its_connector(clerk, reference_model)
        assert services.run_connectors(instance) == 0
        assert files_selectors.get_vorgang(actor=clerk, public_id=instance.case_id).status == "open"
        assert not ConnectorCall.objects.filter(instance=instance).exists()
        assert "then the connector fails" in Incident.objects.get(instance=instance).error


def test_result_recorded_without_the_engine_step_is_reused(tenant_a, reference_model, clerk, status_calls) -> None:
    """A run that stopped between recording the result and the engine step (as the former two transactions could)."""
    from amtsflow.processes.engine import runtime
    from amtsflow.processes.models import ConnectorCall

    with tenant_scope(tenant_a):
        instance = _high_amount_waiting_for_its_connector(clerk, reference_model)
        (spiff_task,) = runtime.ready_connector_tasks(runtime.load(instance.state))
        ConnectorCall.objects.create(
            tenant=tenant_a, instance=instance, spiff_task_id=spiff_task.id, connector="case.set_status", result={}
        )
        assert services.run_connectors(instance) == 1
        assert status_calls == []
        instance.refresh_from_db()
        assert instance.status == InstanceStatus.COMPLETED


def test_steps_go_on_with_the_committed_workflow_only_at_its_revision(
    tenant_a, reference_model, clerk, django_capture_on_commit_callbacks
) -> None:
    from amtsflow.processes.services import instances

    with tenant_scope(tenant_a):
        with django_capture_on_commit_callbacks(execute=True):
            instance = services.start_instance(actor=clerk, model=reference_model)
        kept = instances._kept[instance.pk]
        assert kept[:2] == (instance.public_id, 1)
        # Taken out when used: nobody else can work on the same object.
        assert instances.workflow_of(instance) is kept[2]
        assert instance.pk not in instances._kept
        # A kept workflow of an older revision is not used: the state is restored.
        instances._kept[instance.pk] = (instance.public_id, 0, kept[2])
        assert instances.workflow_of(instance) is not kept[2]
        # Nor one of another instance that had the same pk.
        instances._kept[instance.pk] = (uuid.uuid4(), 1, kept[2])
        assert instances.workflow_of(instance) is not kept[2]


def test_a_rolled_back_step_keeps_no_workflow(
    tenant_a, reference_model, clerk, django_capture_on_commit_callbacks
) -> None:
    from amtsflow.processes.services import instances

    with tenant_scope(tenant_a):
        with django_capture_on_commit_callbacks(execute=True):
            instance = services.start_instance(actor=clerk, model=reference_model)
        instances._kept.pop(instance.pk)
        task = Task.objects.get(instance=instance)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
            services.complete_task(actor=clerk, task=task, data={"betrag": "100"})
            raise RuntimeError
        assert instance.pk not in instances._kept


def test_workflows_whose_data_json_would_change_are_not_kept() -> None:
    import datetime as dt
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from amtsflow.processes.engine import runtime
    from amtsflow.processes.engine.parser import parse_model
    from amtsflow.processes.tests.conftest import LIBRARY

    parsed = parse_model((LIBRARY / "reference.bpmn").read_bytes(), [])
    same = {"a": [1, 2.5, None, True, "x", {"b": Decimal("1.10")}], "d": dt.date(2026, 1, 2), "u": uuid.uuid4()}
    assert runtime.restores_identically(runtime.new_workflow(parsed, same))
    for changed in (
        {"t": (1, 2)},
        {"k": {1: "numeric key"}},
        {"z": dt.datetime(2026, 1, 2, tzinfo=ZoneInfo("Europe/Berlin"))},
        {"f": len},
        {"s": {1, 2}},
    ):
        assert not runtime.restores_identically(runtime.new_workflow(parsed, changed)), changed


def test_process_cases_share_the_years_file_until_its_plan_entry_is_deactivated(tenant_a, plan, clerk) -> None:
    from amtsflow.core.exceptions import ValidationFailed
    from amtsflow.files.models import AktenplanEntry

    with tenant_scope(tenant_a):
        first, second = (
            files_services.open_process_case(
                actor=clerk, plan_entry_number="6.60.01", file_title="Schäden", subject=subject
            )
            for subject in ("eins", "zwei")
        )
        assert first.akte_id == second.akte_id and (first.number, second.number) == (1, 2)
        AktenplanEntry.objects.filter(number="6.60.01").update(is_active=False)
        with pytest.raises(ValidationFailed, match="6.60.01"):
            files_services.open_process_case(
                actor=clerk, plan_entry_number="6.60.01", file_title="Schäden", subject="drei"
            )

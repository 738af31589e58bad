"""Timers and escalation, DMN decisions, letters and mails filed in the case, the head of department's view,
processes started by events, and concurrent completion on PostgreSQL."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
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

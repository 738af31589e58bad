"""Instances end to end through the service layer: case in the E-Akte, inbox, forms, gateway, connector,
versions, sandbox, concurrency, event log."""

import pytest
from lxml import etree

from amtsflow.audit import selectors as audit_selectors
from amtsflow.core.exceptions import Conflict, ValidationFailed
from amtsflow.files import selectors as files_selectors
from amtsflow.processes import selectors, services
from amtsflow.processes.constants import InstanceStatus, TaskState
from amtsflow.processes.models import ProcessEvent
from amtsflow.processes.xes import write_xes
from amtsflow.tenants.context import tenant_scope

pytestmark = pytest.mark.django_db


def _only_task(actor, instance):  # noqa: ANN001, ANN202
    tasks = list(selectors.list_tasks(actor=actor).filter(instance=instance, state=TaskState.OPEN))
    assert len(tasks) == 1, tasks
    return tasks[0]


def test_start_files_a_case_and_offers_the_task_to_the_group(tenant_a, reference_model, clerk, owner) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=reference_model, subject="Rechnung Bauhof")
        vorgang = files_selectors.get_vorgang(actor=clerk, public_id=instance.case_id)
        assert vorgang.subject == "Rechnung Bauhof"
        assert vorgang.akte.plan_entry.number == "6.60.01"
        assert instance.case_label == f"{vorgang.akte.aktenzeichen}-{vorgang.number}"
        task = _only_task(clerk, instance)
        assert task.name == "Prüfen"
        assert task.candidate_groups == ["clerk"]
        assert instance.status == InstanceStatus.RUNNING


def test_complete_runs_gateway_and_connector_to_the_end(tenant_a, reference_model, clerk, committed) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=reference_model)
        task = _only_task(clerk, instance)
        with committed():
            services.complete_task(actor=clerk, task=task, data={"betrag": "6000"})
        instance.refresh_from_db()
        assert instance.status == InstanceStatus.COMPLETED
        vorgang = files_selectors.get_vorgang(actor=clerk, public_id=instance.case_id)
        assert vorgang.status == "done"  # set by the case.set_status connector on the > 5000 branch
        activities = list(ProcessEvent.objects.filter(instance=instance).values_list("activity", "lifecycle"))
        assert ("Prüfen", "schedule") in activities
        assert ("Prüfen", "complete") in activities
        assert ("Status setzen", "complete") in activities
        history = audit_selectors.list_entries(
            actor=clerk, object_type="files.vorgang", object_id=str(vorgang.public_id)
        )
        steps = {entry.action: entry.details for entry in history}
        assert steps["task.completed"]["values"] == {"betrag": 6000}
        assert {"process.started", "task.completed", "process.completed"} <= set(steps)


def test_small_amount_takes_the_default_flow(tenant_a, reference_model, clerk) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=reference_model)
        services.complete_task(actor=clerk, task=_only_task(clerk, instance), data={"betrag": "100"})
        instance.refresh_from_db()
        assert instance.status == InstanceStatus.COMPLETED
        assert files_selectors.get_vorgang(actor=clerk, public_id=instance.case_id).status == "open"
        assert not ProcessEvent.objects.filter(instance=instance, activity="Status setzen").exists()


def test_form_is_validated_on_the_server_and_nothing_changes(tenant_a, reference_model, clerk) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=reference_model)
        task = _only_task(clerk, instance)
        for bad in ({}, {"betrag": "viel"}):
            with pytest.raises(ValidationFailed) as error:
                services.complete_task(actor=clerk, task=task, data=bad)
            assert "betrag" in error.value.field_errors
        task.refresh_from_db()
        instance.refresh_from_db()
        assert task.state == TaskState.OPEN
        assert instance.status == InstanceStatus.RUNNING


def test_second_completion_is_told_who_was_first(tenant_a, reference_model, clerk, owner) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=reference_model)
        task = _only_task(clerk, instance)
        stale = selectors.get_task(actor=owner, public_id=task.public_id)
        services.complete_task(actor=clerk, task=task, data={"betrag": "10"})
        with pytest.raises(Conflict) as error:
            services.complete_task(actor=owner, task=stale, data={"betrag": "99999"})
        assert clerk.user.username in error.value.message or clerk.user.get_full_name() in error.value.message


def test_claimed_task_belongs_to_the_claimer(tenant_a, reference_model, clerk, make_member, actor_for) -> None:
    from amtsflow.tenants.constants import Role

    other = actor_for(make_member(tenant_a, Role.CLERK))
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=reference_model)
        task = services.claim_task(actor=clerk, task=_only_task(clerk, instance))
        assert task.assignee == clerk.membership
        with pytest.raises(Conflict):
            services.complete_task(actor=other, task=task, data={"betrag": "1"})
        assert not selectors.list_tasks(actor=other).filter(pk=task.pk).exists()  # gone from the group's view
        services.unclaim_task(actor=clerk, task=task)
        assert selectors.list_tasks(actor=other).filter(pk=task.pk).exists()
        services.delegate_task(actor=clerk, task=task, to=other.membership)
        services.complete_task(actor=other, task=task, data={"betrag": "1"})


def test_running_instances_stay_on_their_version(tenant_a, reference_model, clerk, owner) -> None:
    with tenant_scope(tenant_a):
        first = services.start_instance(actor=clerk, model=reference_model)
        with pytest.raises(Conflict):
            services.deploy(actor=owner, model=reference_model)  # unchanged draft
        changed = reference_model.draft_bpmn.replace('name="Prüfen"', 'name="Prüfen (neu)"')
        services.save_draft(actor=owner, model=reference_model, bpmn=changed.encode())
        v2 = services.deploy(actor=owner, model=reference_model)
        second = services.start_instance(actor=clerk, model=reference_model)
        assert first.version.number == 1
        assert second.version == v2
        assert _only_task(clerk, first).name == "Prüfen"
        assert _only_task(clerk, second).name == "Prüfen (neu)"
        services.complete_task(actor=clerk, task=_only_task(clerk, first), data={"betrag": "1"})
        first.refresh_from_db()
        assert first.status == InstanceStatus.COMPLETED


def test_sandbox_instances_stay_out_of_production_lists(tenant_a, reference_model, owner, clerk) -> None:
    with tenant_scope(tenant_a):
        test_run = services.start_instance(actor=owner, model=reference_model, is_test=True)
        assert test_run.is_test
        assert not selectors.list_instances(actor=owner).filter(pk=test_run.pk).exists()
        assert selectors.list_instances(actor=owner, include_test=True).filter(pk=test_run.pk).exists()
        assert not selectors.list_tasks(actor=clerk).filter(instance=test_run).exists()
        vorgang = files_selectors.get_vorgang(actor=owner, public_id=test_run.case_id)
        assert vorgang.is_test
        assert not files_selectors.list_vorgaenge(actor=owner).filter(pk=vorgang.pk).exists()
        assert not selectors.list_events(actor=owner).filter(instance=test_run).exists()
        with pytest.raises(Exception, match="not allowed"):
            services.start_instance(actor=clerk, model=reference_model, is_test=True)


def test_invalid_model_is_refused_with_the_element_named(tenant_a, owner) -> None:
    bpmn = b"""<?xml version="1.0" encoding="UTF-8"?>
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
    with tenant_scope(tenant_a), pytest.raises(ValidationFailed) as error:
        services.import_model(actor=owner, bpmn=bpmn)
    assert "Weiche" in error.value.message or "f1" in error.value.message


def test_event_log_exports_as_xes(tenant_a, reference_model, clerk, committed) -> None:
    with tenant_scope(tenant_a):
        instance = services.start_instance(actor=clerk, model=reference_model)
        with committed():
            services.complete_task(actor=clerk, task=_only_task(clerk, instance), data={"betrag": "7000"})
        events = selectors.list_events(actor=clerk).order_by("instance_id", "timestamp", "pk")
        document = etree.fromstring(b"".join(write_xes(events, name="reference")))
    ns = {"x": "http://www.xes-standard.org/"}
    traces = document.findall("x:trace", ns)
    assert len(traces) == 1
    names = [e.find("x:string[@key='concept:name']", ns).get("value") for e in traces[0].findall("x:event", ns)]
    assert names[0] == "Prüfen"
    assert "Status setzen" in names
    assert traces[0].find("x:string[@key='concept:name']", ns).get("value") == str(instance.case_id)

"""Workflow state survives JSON: user task -> gateway -> connector task -> end, restored between every step."""

import json
from datetime import date
from decimal import Decimal

from SpiffWorkflow.util.task import TaskState

from amtsflow.processes.engine.parser import make_workflow, parse_model
from amtsflow.processes.engine.serializer import workflow_from_json, workflow_to_json
from amtsflow.processes.engine.specs import ConnectorTask, DecisionTask

from .bpmn_builders import definitions, dmn, flow, process, simple_model

MODEL = definitions(
    process(
        '<bpmn:startEvent id="StartEvent_1"/>',
        '<bpmn:userTask id="Pruefen" name="Antrag prüfen" camunda:candidateGroups="clerk"/>',
        '<bpmn:exclusiveGateway id="Gw" name="Genehmigt?" default="Flow_nein"/>',
        '<bpmn:serviceTask id="Bescheid" name="Bescheid erstellen" camunda:type="external" '
        'camunda:topic="letter.generate">'
        "<bpmn:extensionElements><camunda:inputOutput>"
        '<camunda:inputParameter name="to">=antragsteller_email</camunda:inputParameter>'
        '<camunda:inputParameter name="template">antrag_bescheid</camunda:inputParameter>'
        '<camunda:outputParameter name="bescheid_id">document_id</camunda:outputParameter>'
        "</camunda:inputOutput></bpmn:extensionElements></bpmn:serviceTask>",
        '<bpmn:endEvent id="Erledigt"/>',
        '<bpmn:endEvent id="Abgelehnt"/>',
        flow("Flow_1", "StartEvent_1", "Pruefen"),
        flow("Flow_2", "Pruefen", "Gw"),
        flow("Flow_ja", "Gw", "Bescheid", "genehmigt"),
        flow("Flow_nein", "Gw", "Abgelehnt"),
        flow("Flow_3", "Bescheid", "Erledigt"),
    )
)


def roundtrip(workflow):  # noqa: ANN001, ANN201 - BpmnWorkflow in, BpmnWorkflow out
    text = workflow_to_json(workflow)
    assert isinstance(text, str)
    json.loads(text)  # plain JSON text, no gzip or pickle
    return workflow_from_json(text)


def ready(workflow) -> list:  # noqa: ANN001
    return workflow.get_tasks(state=TaskState.READY)


def test_user_task_gateway_connector_roundtrip() -> None:
    workflow = make_workflow(parse_model(MODEL))
    workflow.do_engine_steps()
    (user_task,) = ready(workflow)
    assert user_task.task_spec.bpmn_id == "Pruefen"

    workflow = roundtrip(workflow)
    (user_task,) = ready(workflow)
    user_task.data.update(genehmigt=True, antragsteller_email="a@example.org", eingang=date(2025, 3, 1))
    user_task.run()
    workflow.do_engine_steps()
    (connector_task,) = ready(workflow)
    assert isinstance(connector_task.task_spec, ConnectorTask)  # the engine leaves it to the platform

    workflow = roundtrip(workflow)
    (connector_task,) = ready(workflow)
    spec = connector_task.task_spec
    assert isinstance(spec, ConnectorTask)
    assert spec.connector == "letter.generate"
    assert spec.connector_inputs == {"to": "=antragsteller_email", "template": "antrag_bescheid"}
    assert spec.connector_outputs == {"bescheid_id": "document_id"}
    assert [s.bpmn_id for s in spec.outputs] == ["Erledigt"]  # the graph survived next to the connector mapping
    assert spec.evaluate_inputs(connector_task) == {"to": "a@example.org", "template": "antrag_bescheid"}
    assert connector_task.data["eingang"] == date(2025, 3, 1)

    spec.apply_result(connector_task, {"document_id": "doc-42", "pages": 2})
    connector_task.run()
    workflow.do_engine_steps()
    workflow = roundtrip(workflow)
    assert workflow.completed
    assert workflow.data["bescheid_id"] == "doc-42" and "pages" not in workflow.data


def test_declined_path_skips_the_connector() -> None:
    workflow = make_workflow(parse_model(MODEL))
    workflow.do_engine_steps()
    (user_task,) = ready(workflow)
    user_task.data["genehmigt"] = False
    user_task.run()
    workflow.do_engine_steps()
    assert roundtrip(workflow).completed


def test_decision_task_and_task_data_types_roundtrip() -> None:
    task = (
        '<bpmn:businessRuleTask id="Rule" camunda:decisionRef="entscheidung" camunda:resultVariable="entscheidung" '
        'camunda:mapDecisionResult="singleEntry"/>'
    )
    parsed = parse_model(
        simple_model('<bpmn:userTask id="Erfassen"/>', task), (("regeln.dmn", dmn(hit_policy="FIRST")),)
    )
    workflow = roundtrip(make_workflow(parsed))
    workflow.do_engine_steps()
    workflow = roundtrip(workflow)
    (user_task,) = ready(workflow)
    user_task.data.update(antragsart="Parkausweis", betrag=Decimal("12.50"))
    user_task.run()
    workflow = roundtrip(workflow)
    assert isinstance(workflow.spec.task_specs["Rule"], DecisionTask)
    workflow.do_engine_steps()
    workflow = roundtrip(workflow)
    assert workflow.completed
    assert workflow.data["entscheidung"] == "genehmigen" and workflow.data["betrag"] == Decimal("12.50")

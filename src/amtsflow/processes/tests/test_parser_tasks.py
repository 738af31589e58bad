"""Model import: what runs inside elements (expressions, timers, connectors, decisions) and user task forms."""

from datetime import datetime, timedelta

import pytest
from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer
from SpiffWorkflow.util.task import TaskState

from amtsflow.processes.engine import expression_check
from amtsflow.processes.engine.parser import make_workflow, parse_model
from amtsflow.processes.engine.specs import ConnectorTask

from .bpmn_builders import GATEWAY, definitions, dmn, flow, linear, messages, problems_of, process, simple_model

# --- Expressions (checked by the expression language when it is installed) --------------------------------------


class _FakeExpressions:
    class ExpressionError(Exception):
        pass

    @classmethod
    def validate_expression(cls, text: str) -> None:
        if "!!" in text:
            raise cls.ExpressionError("bad expression")

    @classmethod
    def validate_unary_tests(cls, text: str) -> None:
        if "!!" in text:
            raise cls.ExpressionError("bad test")

    @classmethod
    def validate_script(cls, text: str) -> None:
        if "import" in text:
            raise cls.ExpressionError("imports are not allowed")


def test_expressions_and_scripts_are_checked_when_the_language_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = definitions(
        process(
            *GATEWAY,
            flow("Flow_high", "Gw", "High", "betrag !! 3"),
        ).replace(
            "</bpmn:process>",
            '<bpmn:scriptTask id="Script" scriptFormat="python"><bpmn:script>import os</bpmn:script></bpmn:scriptTask>'
            "</bpmn:process>",
        )
    )
    monkeypatch.setattr(expression_check, "expressions_module", lambda: _FakeExpressions)
    problems = problems_of(bad)
    assert {("Flow_high", "Condition: bad expression"), ("Script", "Script: imports are not allowed")} <= {
        (p.element_id, p.message) for p in problems
    }
    bad_dmn = dmn(rules=(("!! 3", '"ja"'), ("-", "!!")))
    (entry, output) = problems_of(simple_model(rule_task()), (("regeln.dmn", bad_dmn),))
    assert (entry.element_id, output.element_id) == ("Rule_1", "Rule_2") and "bad test" in entry.message
    monkeypatch.setattr(expression_check, "expressions_module", lambda: None)
    parse_model(bad)  # without the expression language nothing is checked at import


# --- Timers ----------------------------------------------------------------------------------------------------------


def timer_event(kind: str, value: str, tag: str = "intermediateCatchEvent", eid: str = "Wait") -> str:
    return (
        f'<bpmn:{tag} id="{eid}"><bpmn:timerEventDefinition><bpmn:{kind} xsi:type="bpmn:tFormalExpression">{value}'
        f"</bpmn:{kind}></bpmn:timerEventDefinition></bpmn:{tag}>"
    )


def test_plain_p3d_timer_fires_when_its_time_has_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    workflow = make_workflow(parse_model(simple_model(timer_event("timeDuration", "P3D"))))
    workflow.do_engine_steps()
    workflow.refresh_timers()
    assert not workflow.completed
    assert [t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.WAITING)] == ["Wait"]

    class FourDaysLater(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return datetime.now(tz) + timedelta(days=4)  # type: ignore[arg-type]

    monkeypatch.setattr(spiff_timer, "datetime", FourDaysLater)
    workflow.refresh_timers()
    workflow.do_engine_steps()
    assert workflow.completed


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("timeDuration", "PT1H"),
        ("timeCycle", "R3/PT10M"),
        ("timeDate", "2030-01-01T10:00:00Z"),
        ("timeDuration", "'P3D'"),
    ],
)
def test_iso_timers_are_accepted(kind: str, value: str) -> None:
    parse_model(simple_model(timer_event(kind, value)))


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [("timeDuration", "P1H", "ISO 8601"), ("timeCycle", "0 0 9 * * ?", "Cron"), ("timeDate", "2030-13-45", "ISO 8601")],
)
def test_invalid_timers_are_refused(kind: str, value: str, expected: str) -> None:
    (problem,) = problems_of(simple_model(timer_event(kind, value)))
    assert problem.element_id == "Wait" and expected in problem.message


# --- Service tasks -----------------------------------------------------------------------------------------------

SERVICE = (
    '<bpmn:serviceTask id="Mail" name="Bescheid senden" camunda:type="external" camunda:topic="email.send">'
    "<bpmn:extensionElements><camunda:inputOutput>"
    '<camunda:inputParameter name="to">=antragsteller_email</camunda:inputParameter>'
    '<camunda:inputParameter name="subject">Ihr Antrag</camunda:inputParameter>'
    '<camunda:outputParameter name="letter_id">document_id</camunda:outputParameter>'
    "</camunda:inputOutput></bpmn:extensionElements></bpmn:serviceTask>"
)


def test_service_task_becomes_a_connector_task_that_waits_for_the_platform() -> None:
    parsed = parse_model(simple_model(SERVICE))
    info = parsed.connector_tasks["Mail"]
    assert (info.name, info.connector) == ("Bescheid senden", "email.send")
    assert info.inputs == {"to": "=antragsteller_email", "subject": "Ihr Antrag"}
    assert info.outputs == {"letter_id": "document_id"}
    workflow = make_workflow(parsed)
    workflow.do_engine_steps()
    (task,) = workflow.get_tasks(state=TaskState.READY)
    assert isinstance(task.task_spec, ConnectorTask)


@pytest.mark.parametrize(
    "service",
    [
        '<bpmn:serviceTask id="Mail" camunda:type="external"/>',
        '<bpmn:serviceTask id="Mail" camunda:class="de.example.SendMail"/>',
        '<bpmn:serviceTask id="Mail"/>',
    ],
    ids=["no-topic", "java-delegate", "no-implementation"],
)
def test_service_task_without_topic_is_refused(service: str) -> None:
    (problem,) = problems_of(simple_model(service))
    assert problem.element_id == "Mail"


def test_listeners_and_foreign_mappings_are_refused() -> None:
    listener = (
        '<bpmn:userTask id="U"><bpmn:extensionElements><camunda:taskListener class="x" event="create"/>'
        "</bpmn:extensionElements></bpmn:userTask>"
    )
    mapping = (
        '<bpmn:userTask id="V"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="a">b'
        "</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>"
    )
    assert {p.element_id for p in problems_of(simple_model(listener, mapping))} == {"U", "V"}


# --- DMN -----------------------------------------------------------------------------------------------------------


def rule_task(ref: str = "entscheidung", extra: str = "") -> str:
    return f'<bpmn:businessRuleTask id="Rule" name="Entscheiden" camunda:decisionRef="{ref}" {extra}/>'


@pytest.mark.parametrize(
    ("policy", "aggregation"),
    [("PRIORITY", ""), ("OUTPUT ORDER", ""), ("ANY", ""), ("RULE ORDER", ""), ("COLLECT", "SUM")],
)
def test_unsupported_hit_policies_are_refused(policy: str, aggregation: str) -> None:
    (problem,) = problems_of(
        simple_model(rule_task()), (("regeln.dmn", dmn(hit_policy=policy, aggregation=aggregation)),)
    )
    assert problem.element_id == "entscheidung" and policy in problem.message


@pytest.mark.parametrize("policy", ["UNIQUE", "FIRST", "COLLECT"])
def test_supported_hit_policies_run(policy: str) -> None:
    parsed = parse_model(simple_model(rule_task()), (("regeln.dmn", dmn(hit_policy=policy)),))
    assert parsed.dmn_decisions == ["entscheidung"]
    workflow = make_workflow(parsed)
    workflow.get_tasks(state=TaskState.READY)[0].data["antragsart"] = "Parkausweis"
    workflow.do_engine_steps()
    expected = ["genehmigen", "pruefen"] if policy == "COLLECT" else "genehmigen"
    assert workflow.completed and workflow.data["ergebnis"] == expected


def test_result_variable_single_entry() -> None:
    task = rule_task(extra='camunda:resultVariable="entscheidung" camunda:mapDecisionResult="singleEntry"')
    workflow = make_workflow(parse_model(simple_model(task), (("regeln.dmn", dmn(hit_policy="FIRST")),)))
    workflow.get_tasks(state=TaskState.READY)[0].data["antragsart"] = "Sondernutzung"
    workflow.do_engine_steps()
    assert workflow.data["entscheidung"] == "pruefen" and "ergebnis" not in workflow.data


def test_decision_ref_must_name_a_decision() -> None:
    (problem,) = problems_of(simple_model(rule_task("unbekannt")), (("regeln.dmn", dmn()),))
    assert problem.element_id == "Rule" and "unbekannt" in problem.message
    (problem,) = problems_of(simple_model('<bpmn:businessRuleTask id="Rule"/>'))
    assert problem.element_id == "Rule" and "decisionRef" in problem.message


def test_dmn_files_are_checked_like_bpmn() -> None:
    two = dmn().replace(b"</definitions>", b'<decision id="zweite"/></definitions>')
    problems = problems_of(simple_model(rule_task()), (("zwei.dmn", two), ("kaputt.dmn", b"<definitions")))
    assert [p.element_name for p in problems][:2] == ["zwei.dmn", "kaputt.dmn"], messages(problems)


# --- User tasks, lanes, forms --------------------------------------------------------------------------------------

FORM = """<bpmn:userTask id="Pruefen" name="Antrag prüfen" camunda:candidateGroups="clerk, head_of_department"
    camunda:candidateUsers="mueller" camunda:assignee="schmidt" camunda:dueDate="P5D" camunda:followUpDate="P2D">
  <bpmn:documentation>Vollständigkeit prüfen</bpmn:documentation>
  <bpmn:extensionElements><camunda:formData>
    <camunda:formField id="name" label="Name" type="string">
      <camunda:validation><camunda:constraint name="required"/><camunda:constraint name="maxlength" config="80"/>
      </camunda:validation></camunda:formField>
    <camunda:formField id="betrag" label="Betrag" type="long" defaultValue="0">
      <camunda:validation><camunda:constraint name="min" config="0"/><camunda:constraint name="max" config="9000"/>
      </camunda:validation></camunda:formField>
    <camunda:formField id="art" label="Art" type="enum">
      <camunda:value id="park" name="Parkausweis"/><camunda:value id="gewerbe" name="Gewerbe"/></camunda:formField>
    <camunda:formField id="anlage" label="Anlage" type="string">
      <camunda:properties><camunda:property id="type" value="file"/></camunda:properties></camunda:formField>
    <camunda:formField id="notiz" type="string">
      <camunda:properties><camunda:property id="multiline" value="true"/></camunda:properties>
      <camunda:validation><camunda:constraint name="readonly"/></camunda:validation></camunda:formField>
    <camunda:formField id="ok" label="In Ordnung" type="boolean"/>
    <camunda:formField id="frist" label="Frist" type="date"/>
  </camunda:formData></bpmn:extensionElements>
</bpmn:userTask>"""
LANES = (
    '<bpmn:laneSet id="Lanes"><bpmn:lane id="L1" name="Sachbearbeitung"><bpmn:flowNodeRef>Pruefen</bpmn:flowNodeRef>'
    "</bpmn:lane></bpmn:laneSet>"
)
PLAN = '<camunda:properties><camunda:property name="amtsflow:planEntry" value="6.60"/></camunda:properties>'


def test_user_task_assignment_lane_and_form_fields() -> None:
    chain = linear('<bpmn:startEvent id="StartEvent_1"/>', FORM, '<bpmn:endEvent id="EndEvent_1"/>')
    parsed = parse_model(definitions(process(LANES, *chain, ext=PLAN)))
    assert parsed.plan_entry == "6.60"
    info = parsed.user_tasks["Pruefen"]
    assert (info.name, info.lane, info.assignee, info.due_date, info.follow_up_date, info.documentation) == (
        "Antrag prüfen",
        "Sachbearbeitung",
        "schmidt",
        "P5D",
        "P2D",
        "Vollständigkeit prüfen",
    )
    assert (info.candidate_groups, info.candidate_users) == (["clerk", "head_of_department"], ["mueller"])
    fields = {f.id: f for f in info.form_fields}
    assert [f.type for f in info.form_fields] == ["string", "long", "enum", "file", "text", "boolean", "date"]
    assert (fields["name"].required, fields["name"].maxlength, fields["name"].label) == (True, 80, "Name")
    assert (fields["betrag"].min, fields["betrag"].max, fields["betrag"].default) == (0, 9000, "0")
    assert fields["art"].enum_values == [("park", "Parkausweis"), ("gewerbe", "Gewerbe")]
    assert (fields["notiz"].readonly, fields["notiz"].label, fields["notiz"].required) == (True, "notiz", False)


def test_start_form_fields_are_read() -> None:
    start_form = FORM.split("<bpmn:extensionElements>")[1].split("</bpmn:extensionElements>")[0]
    model = simple_model().replace(
        b'<bpmn:startEvent id="StartEvent_1"/>',
        f'<bpmn:startEvent id="StartEvent_1"><bpmn:extensionElements>{start_form}</bpmn:extensionElements>'
        "</bpmn:startEvent>".encode(),
    )
    assert [f.id for f in parse_model(model).start_form_fields][:2] == ["name", "betrag"]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ('<camunda:formField id="a b" type="string"/>', "variable name"),
        ('<camunda:formField id="x" type="custom"/>', "custom"),
        (
            '<camunda:formField id="x" type="string"><camunda:validation>'
            '<camunda:constraint name="maxlength" config="viel"/>'
            "</camunda:validation></camunda:formField>",
            "whole number",
        ),
        (
            '<camunda:formField id="x" type="string"><camunda:validation>'
            '<camunda:constraint name="validator" config="x"/>'
            "</camunda:validation></camunda:formField>",
            "validator",
        ),
    ],
)
def test_bad_form_fields_are_refused(field: str, expected: str) -> None:
    form = f"<bpmn:extensionElements><camunda:formData>{field}</camunda:formData></bpmn:extensionElements>"
    task = f'<bpmn:userTask id="U">{form}</bpmn:userTask>'
    (problem,) = problems_of(simple_model(task))
    assert problem.element_id == "U" and expected in problem.message

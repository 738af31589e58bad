"""Model import: the MIWG test suite, hardened XML, processes, gateways, events and how problems are reported."""

from pathlib import Path

import pytest
from SpiffWorkflow.util.task import TaskState

from amtsflow.core.testing.shared_data import require_shared, shared_data_dir
from amtsflow.processes.engine import parser as parser_module
from amtsflow.processes.engine.parser import ModelInvalid, ParsedModel, make_workflow, parse_model

from .bpmn_builders import GATEWAY, definitions, flow, linear, messages, problems_of, process, simple_model

MIWG = shared_data_dir() / "bpmn" / "miwg"


def _miwg_params() -> list:
    files = sorted(MIWG.rglob("*.bpmn")) if MIWG.exists() else []
    return [pytest.param(path, id=str(path.relative_to(MIWG))) for path in files] or [pytest.param(None, id="miwg")]


# --- MIWG --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", _miwg_params())
def test_miwg_model_is_accepted_or_refused_with_reasons(path: Path | None) -> None:
    require_shared("bpmn", "miwg")
    assert path is not None, "no .bpmn files in the MIWG directory"
    try:
        parsed = parse_model(path.read_bytes())
    except ModelInvalid as invalid:
        assert invalid.problems
        for problem in invalid.problems:
            assert problem.element_id or problem.element_name
            assert problem.message
        return
    assert isinstance(parsed, ParsedModel)
    make_workflow(parsed).do_engine_steps()


def test_miwg_suite_has_both_outcomes() -> None:
    miwg = require_shared("bpmn", "miwg")
    outcomes = set()
    for path in miwg.rglob("*.bpmn"):
        try:
            parse_model(path.read_bytes())
            outcomes.add("accepted")
        except ModelInvalid:
            outcomes.add("refused")
    assert outcomes == {"accepted", "refused"}


# --- Hardened XML --------------------------------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE bpmn:definitions [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">&xxe;</bpmn:definitions>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<lolz>&lol3;</lolz>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE bpmn:definitions SYSTEM "http://127.0.0.1:1/evil.dtd">
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"/>"""


@pytest.mark.parametrize(
    "data",
    [XXE, LAUGHS, EXTERNAL_DTD, XXE.decode().replace('"1.0"?', '"1.0" encoding="UTF-16"?').encode("utf-16")],
    ids=["xxe", "billion-laughs", "external-dtd", "utf16-dtd"],
)
def test_dtds_and_entities_are_refused(data: bytes) -> None:
    (problem,) = problems_of(data)
    assert "DTD" in problem.message


def test_too_deep_is_refused() -> None:
    nested = "<x:n>" * 210 + "</x:n>" * 210
    model = simple_model(ext="").replace(
        b'<bpmn:startEvent id="StartEvent_1"/>',
        f'<bpmn:startEvent id="StartEvent_1"><bpmn:extensionElements xmlns:x="urn:x">{nested}'
        "</bpmn:extensionElements></bpmn:startEvent>".encode(),
    )
    (problem,) = problems_of(model)
    assert "200 levels" in problem.message


def test_too_big_is_refused() -> None:
    model = simple_model().replace(
        b"</bpmn:definitions>", b"<!--" + b"x" * (5 * 1024 * 1024) + b"--></bpmn:definitions>"
    )
    (problem,) = problems_of(model)
    assert "5 MB" in problem.message


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n%\xe2\xe3", b"<bpmn:definitions>\n<open>\n</bpmn:definitions>"])
def test_not_xml_is_refused_with_line(data: bytes) -> None:
    (problem,) = problems_of(data)
    assert "not well-formed XML (line" in problem.message


def test_other_xml_is_refused() -> None:
    (problem,) = problems_of(b"<html><body/></html>")
    assert "not a BPMN 2.0 model" in problem.message


# --- Processes, gateways, elements ---------------------------------------------------------------------------------


def test_accepts_minimal_model_and_runs_it() -> None:
    parsed = parse_model(simple_model('<bpmn:task id="Note"/>', '<bpmn:manualTask id="File"/>'))
    assert (parsed.process_id, parsed.name) == ("Proc", "Test")
    workflow = make_workflow(parsed)
    workflow.do_engine_steps()
    assert workflow.completed  # task and manual task pass through as in Camunda


def test_non_executable_process_is_refused() -> None:
    (problem,) = problems_of(simple_model(executable="false"))
    assert problem.element_id == "Proc"
    assert "not marked executable" in problem.message


def test_only_one_executable_process_but_black_box_pools_are_fine() -> None:
    main = process(*linear('<bpmn:startEvent id="S1"/>', '<bpmn:endEvent id="E1"/>'), pid="Main")
    black_box = ('<bpmn:businessRuleTask id="R2"/>', '<bpmn:dataStoreReference id="DS" dataStoreRef="Store"/>')
    other = process(
        *linear('<bpmn:startEvent id="S2"/>', '<bpmn:endEvent id="E2"/>', prefix="Other"), *black_box, pid="Other"
    )
    black_box_pool = other.replace('isExecutable="true"', 'isExecutable="false"')
    store = '<bpmn:dataStore id="Store" name="Register"/>'
    assert parse_model(definitions(main, black_box_pool, extra=store)).process_id == "Main"
    problems = problems_of(definitions(main, other, extra=store))
    assert {p.element_id for p in problems} == {"Main", "Other"}


def test_gateway_flow_without_condition_is_refused() -> None:
    (problem,) = problems_of(definitions(process(*GATEWAY, flow("Flow_high", "Gw", "High", name="ja"))))
    assert (problem.element_id, problem.element_name) == ("Flow_high", "ja")
    assert "Betrag hoch?" in problem.message and "condition" in problem.message


def test_gateway_with_conditions_and_default_runs() -> None:
    parsed = parse_model(definitions(process(*GATEWAY, flow("Flow_high", "Gw", "High", "betrag &gt; 1000"))))
    workflow = make_workflow(parsed)
    workflow.get_tasks(state=TaskState.READY)[0].data["betrag"] = 5000
    workflow.do_engine_steps()
    completed = {t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.COMPLETED)}
    assert workflow.completed and "High" in completed and "Low" not in completed


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ('<bpmn:complexGateway id="X"/>', "complexGateway"),
        (
            '<bpmn:intermediateThrowEvent id="X"><bpmn:linkEventDefinition name="l"/></bpmn:intermediateThrowEvent>',
            "Link",
        ),
        (
            '<bpmn:intermediateThrowEvent id="X"><bpmn:compensateEventDefinition/></bpmn:intermediateThrowEvent>',
            "Compens",
        ),
        (
            '<bpmn:intermediateCatchEvent id="X"><bpmn:conditionalEventDefinition><bpmn:condition>a</bpmn:condition>'
            "</bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>",
            "Conditional",
        ),
        ('<bpmn:endEvent id="X"><bpmn:signalEventDefinition/></bpmn:endEvent>', "signal"),
    ],
    ids=["complex-gateway", "link", "compensation", "conditional", "signal-end"],
)
def test_unsupported_elements_are_named(element: str, expected: str) -> None:
    problems = problems_of(simple_model(element))
    assert any(p.element_id == "X" and expected in p.message for p in problems), messages(problems)


def test_message_start_event_is_refused_but_timer_event_subprocess_is_fine() -> None:
    start = '<bpmn:startEvent id="StartEvent_1"><bpmn:messageEventDefinition messageRef="M"/></bpmn:startEvent>'
    model = definitions(
        process(*linear(start, '<bpmn:endEvent id="EndEvent_1"/>')), extra='<bpmn:message id="M" name="Antrag"/>'
    )
    (problem,) = problems_of(model)
    assert problem.element_id == "StartEvent_1" and "plain start event" in problem.message
    event_subprocess = (
        '<bpmn:subProcess id="Reminder" triggeredByEvent="true">'
        + "".join(
            linear(
                '<bpmn:startEvent id="Every" isInterrupting="false"><bpmn:timerEventDefinition>'
                "<bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>",
                '<bpmn:endEvent id="Reminded"/>',
                prefix="Inner",
            )
        )
        + "</bpmn:subProcess>"
    )
    parse_model(
        simple_model('<bpmn:userTask id="Wait"/>').replace(
            b"</bpmn:process>", f"{event_subprocess}</bpmn:process>".encode()
        )
    )


def test_implicit_split_and_conditional_flow_from_task_are_refused() -> None:
    elements = [
        '<bpmn:startEvent id="StartEvent_1"/>',
        '<bpmn:task id="T"/>',
        '<bpmn:endEvent id="A"/>',
        '<bpmn:endEvent id="B"/>',
        flow("F0", "StartEvent_1", "T"),
        flow("F1", "T", "A", "x"),
        flow("F2", "T", "B"),
    ]
    problems = problems_of(definitions(process(*elements)))
    assert {p.element_id for p in problems} == {"T", "F1"}, messages(problems)


def test_call_activity_must_call_a_process_of_the_file() -> None:
    call = '<bpmn:callActivity id="Call" calledElement="Elsewhere"/>'
    (problem,) = problems_of(simple_model(call))
    assert problem.element_id == "Call" and "Elsewhere" in problem.message
    called = process(
        *linear('<bpmn:startEvent id="S2"/>', '<bpmn:userTask id="Inner"/>', '<bpmn:endEvent id="E2"/>', prefix="In"),
        pid="Elsewhere",
    )
    parsed = parse_model(simple_model(call).replace(b"</bpmn:definitions>", f"{called}</bpmn:definitions>".encode()))
    assert set(parsed.subprocess_specs) == {"Elsewhere"} and set(parsed.user_tasks) == {"Inner"}


def test_data_stores_and_subprocess_without_start_are_refused() -> None:
    store = '<bpmn:dataStoreReference id="Store"/>'
    task = (
        '<bpmn:task id="T"><bpmn:dataInputAssociation id="A"><bpmn:sourceRef>Store</bpmn:sourceRef>'
        "</bpmn:dataInputAssociation></bpmn:task>"
    )
    sub = '<bpmn:subProcess id="Sub"><bpmn:task id="Inside"/></bpmn:subProcess>'
    problems = problems_of(simple_model(task, sub).replace(b"</bpmn:process>", f"{store}</bpmn:process>".encode()))
    assert {p.element_id for p in problems} == {"T", "Sub"}, messages(problems)


def test_ids_the_engine_uses_itself_are_refused() -> None:
    # SpiffWorkflow names its own task specs Start and End and would silently take these for them.
    model = definitions(process(*linear('<bpmn:startEvent id="Start"/>', '<bpmn:endEvent id="End"/>')))
    assert {p.element_id for p in problems_of(model)} == {"Start", "End"}


def test_data_object_of_an_outer_process_is_refused() -> None:
    # SpiffWorkflow only looks one level up, and loops forever when the object is further out.
    inner_task = (
        '<bpmn:task id="Deep"><bpmn:dataInputAssociation id="A"><bpmn:sourceRef>Ref</bpmn:sourceRef>'
        "</bpmn:dataInputAssociation></bpmn:task>"
    )
    inner = (
        '<bpmn:subProcess id="Inner">'
        + "".join(linear('<bpmn:startEvent id="S3"/>', inner_task, '<bpmn:endEvent id="E3"/>', prefix="F3"))
        + "</bpmn:subProcess>"
    )
    outer = (
        '<bpmn:subProcess id="Outer">'
        + "".join(linear('<bpmn:startEvent id="S2"/>', inner, '<bpmn:endEvent id="E2"/>', prefix="F2"))
        + "</bpmn:subProcess>"
    )
    data = '<bpmn:dataObject id="Akte"/><bpmn:dataObjectReference id="Ref" dataObjectRef="Akte"/>'
    model = simple_model(outer).replace(b"</bpmn:process>", f"{data}</bpmn:process>".encode())
    (problem,) = problems_of(model)
    assert problem.element_id == "Deep" and "data object" in problem.message


def test_spiff_errors_are_translated_with_the_element() -> None:
    multi = '<bpmn:userTask id="Many"><bpmn:multiInstanceLoopCharacteristics/></bpmn:userTask>'
    (problem,) = problems_of(simple_model(multi))
    assert problem.element_id == "Many" and "SpiffWorkflow cannot execute" in problem.message


def test_unexpected_errors_become_a_generic_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> list:
        raise RuntimeError("boom")

    monkeypatch.setattr(parser_module, "check_structure", broken)
    (problem,) = problems_of(simple_model())
    assert "internal error" in problem.message and problem.element_name

"""SpiffWorkflow runs gateways, script tasks and DMN decisions on the safe evaluator only: outcomes are right, escape
attempts in a model end in a Spiff error wrapping ExpressionError, and nothing ever reaches Python's eval/exec."""

import builtins
import datetime as dt
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.util.task import TaskState

from amtsflow.processes.engine.expressions import ExpressionError
from amtsflow.processes.engine.script_engine import (
    SafeDMNEngine,
    SafeDmnParserMixin,
    SafeEnvironment,
    SafeScriptEngine,
    install_safe_dmn,
    make_script_engine,
    validate_decision_table,
)

BPMN_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs" targetNamespace="http://bpmn.io/schema/bpmn">\n'
    '<bpmn:process id="antrag" isExecutable="true">\n'
)
BPMN_TAIL = "</bpmn:process>\n</bpmn:definitions>\n"


def _flow(fid: str, source: str, target: str, condition: str | None = None) -> str:
    body = (
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(condition)}</bpmn:conditionExpression>'
        if condition is not None
        else ""
    )
    return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}">{body}</bpmn:sequenceFlow>\n'


def _script(sid: str, script: str) -> str:
    body = f"<bpmn:script>{escape(script)}</bpmn:script>"
    return f'<bpmn:scriptTask id="{sid}" scriptFormat="python">{body}</bpmn:scriptTask>\n'


def gateway_model(condition: str) -> str:
    """start -> gateway -(condition)-> "gross" | (default) "klein" -> end; the branches set `pfad`."""
    return (
        BPMN_HEAD
        + '<bpmn:startEvent id="start"/>\n'
        + _flow("f_start", "start", "gw")
        + '<bpmn:exclusiveGateway id="gw" default="f_klein"/>\n'
        + _flow("f_gross", "gw", "gross", condition)
        + _flow("f_klein", "gw", "klein")
        + _script("gross", 'pfad = "gross"')
        + _script("klein", 'pfad = "klein"')
        + _flow("f_g_end", "gross", "ende")
        + _flow("f_k_end", "klein", "ende")
        + '<bpmn:endEvent id="ende"/>\n'
        + BPMN_TAIL
    )


def script_model(script: str) -> str:
    return (
        BPMN_HEAD
        + '<bpmn:startEvent id="start"/>\n'
        + _flow("f1", "start", "rechnen")
        + _script("rechnen", script)
        + _flow("f2", "rechnen", "ende")
        + '<bpmn:endEvent id="ende"/>\n'
        + BPMN_TAIL
    )


def full_model() -> str:
    """start -> business rule task (decision "gebuehr") -> gateway on the result -> script task -> end."""
    return (
        BPMN_HEAD
        + '<bpmn:startEvent id="start"/>\n'
        + _flow("f1", "start", "regel")
        + '<bpmn:businessRuleTask id="regel" camunda:decisionRef="gebuehr"/>\n'
        + _flow("f2", "regel", "gw")
        + '<bpmn:exclusiveGateway id="gw" default="f_frei"/>\n'
        + _flow("f_zahlen", "gw", "zahlen", "${gebuehr > 0 && !befreit}")
        + _flow("f_frei", "gw", "frei")
        + _script("zahlen", "faellig = betrag + gebuehr\nhinweis = f'{gebuehr} EUR'")
        + _script("frei", "faellig = 0")
        + _flow("f3", "zahlen", "ende")
        + _flow("f4", "frei", "ende")
        + '<bpmn:endEvent id="ende"/>\n'
        + BPMN_TAIL
    )


def decision(
    rules: list[tuple[list[str], str]],
    *,
    hit_policy: str = "UNIQUE",
    inputs: tuple[str, ...] = ("betrag", "kategorie"),
    output: str = "gebuehr",
    decision_id: str = "gebuehr",
) -> str:
    """A DMN 1.3 table as Camunda Modeler writes it: one input column per expression, one output column."""
    columns = "".join(
        f'<input id="in{n}" label="{escape(text)}"><inputExpression id="ie{n}" typeRef="string">'
        f"<text>{escape(text)}</text></inputExpression></input>"
        for n, text in enumerate(inputs)
    )
    rows = "".join(
        f'<rule id="r{r}">'
        + "".join(f'<inputEntry id="r{r}i{n}"><text>{escape(entry)}</text></inputEntry>' for n, entry in enumerate(ins))
        + f'<outputEntry id="r{r}o"><text>{escape(out)}</text></outputEntry></rule>'
        for r, (ins, out) in enumerate(rules)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" name="d" '
        'namespace="http://camunda.org/schema/1.0/dmn">\n'
        f'<decision id="{decision_id}" name="Gebuehr"><decisionTable id="tabelle" hitPolicy="{hit_policy}">'
        f'{columns}<output id="out" label="{output}" name="{output}" typeRef="string"/>{rows}'
        "</decisionTable></decision>\n</definitions>\n"
    )


STANDARD_RULES = [
    (["> 5000", '"Straße", "Brücke"'], "250"),
    (["[1000..5000]", "-"], "100"),
    (["< 1000", 'not("Straße")'], "0"),
    (["-", "-"], "50"),
]


def parse(bpmn: str, *dmns: str, parser_class: type = CamundaParser):
    parser = parser_class()
    parser.add_bpmn_str(bpmn.encode())
    for text in dmns:
        parser.add_dmn_str(text.encode())
    return parser.get_spec("antrag")


def start(spec, data: dict, *, safe_dmn: bool = False) -> BpmnWorkflow:
    if safe_dmn:
        install_safe_dmn(spec)
    workflow = BpmnWorkflow(spec, script_engine=make_script_engine())
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(data)
    return workflow


def run(bpmn: str, *dmns: str, data: dict, safe_dmn: bool = False) -> dict:
    workflow = start(parse(bpmn, *dmns), data, safe_dmn=safe_dmn)
    workflow.do_engine_steps()
    assert workflow.is_completed()
    return workflow.data


@pytest.fixture(params=["plain", "safe"])
def safe_dmn(request) -> bool:
    """Every DMN test runs on Spiff's plain DMNEngine (what the stock parser builds) and on SafeDMNEngine."""
    return request.param == "safe"


def _refused(error: pytest.ExceptionInfo) -> ExpressionError:
    """The ExpressionError a Spiff error wraps (directly or as the cause of its cause)."""
    cause = error.value
    while cause is not None and not isinstance(cause, ExpressionError):
        cause = cause.__cause__ or cause.__context__
    assert isinstance(cause, ExpressionError), repr(error.value)
    return cause


# --- Gateways and scripts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "data", "pfad"),
    [
        ('${betrag > 5000 && kategorie eq "Straße"}', {"betrag": 6000, "kategorie": "Straße"}, "gross"),
        ('${betrag > 5000 && kategorie eq "Straße"}', {"betrag": 6000, "kategorie": "Weg"}, "klein"),
        ('betrag > 5000 and kategorie == "Straße"', {"betrag": 100, "kategorie": "Straße"}, "klein"),
        ("eingang < date(2026, 1, 31)", {"eingang": dt.date(2026, 1, 2)}, "gross"),
        ("heute() - eingang > timedelta(days=14)", {"eingang": dt.date(2020, 1, 1)}, "gross"),
        ("${!bestaetigt}", {"bestaetigt": True}, "klein"),
        ("${not empty anhaenge}", {"anhaenge": ["a.pdf"]}, "gross"),
        ('antrag.art == "Sondernutzung"', {"antrag": {"art": "Sondernutzung"}}, "gross"),
    ],
)
def test_exclusive_gateway(condition, data, pfad):
    assert run(gateway_model(condition), data=data)["pfad"] == pfad


def test_script_task_assignments():
    script = '# Gebühr\ngebuehr = round(betrag * 0.02, 2)\ngesamt = betrag + gebuehr\nantrag["status"] = "berechnet"'
    result = run(script_model(script), data={"betrag": 1000, "antrag": {"nr": 7}})
    assert result["gebuehr"] == 20.0
    assert result["gesamt"] == 1020.0
    assert result["antrag"] == {"nr": 7, "status": "berechnet"}


@pytest.mark.parametrize(
    ("script", "line", "message"),
    [
        ("import os", 1, "only assignments"),
        ("x = 1\nx = ().__class__.__mro__[1].__subclasses__()", 2, "underscore"),
        ("x = __import__('os').system('id')", 1, "underscore"),
        ("def f():\n    return 1", 1, "only assignments"),
        ("for i in [1]: x = i", 1, "only assignments"),
        ("os.environ = {}", 1, "attributes"),
        ("x = getattr(betrag, '__class__')", 1, "getattr"),
        ("x = 9**9**9", 1, "Exponent too large"),
    ],
)
def test_script_task_refusals(script, line, message):
    workflow = start(parse(script_model(script)), {"betrag": 1})
    with pytest.raises(WorkflowTaskException) as error:
        workflow.do_engine_steps()
    refused = _refused(error)
    assert message in refused.message
    assert error.value.line_number == line
    assert f"Line {line}:" in str(error.value)


def test_failing_script_leaves_task_data_unchanged():
    workflow = start(parse(script_model("a = 1\nb = 1 / 0")), {"betrag": 1})
    with pytest.raises(WorkflowTaskException):
        workflow.do_engine_steps()
    (task,) = [t for t in workflow.get_tasks() if t.task_spec.bpmn_id == "rechnen"]
    assert "a" not in task.data


@pytest.mark.parametrize(
    "condition",
    [
        "${().__class__.__mro__[1].__subclasses__()}",
        "__import__('os').system('id') == 0",
        "getattr(betrag, '__class__') != 0",
        '"{0.__class__}".format(betrag) != ""',
        'f"{betrag.__class__}" != ""',
        "9**9**9 > 1",
        '"a" * 10**9 != ""',
        "len([x for x in range(10**9)]) > 0",
        "len([[a for a in kurz] for b in kurz]) > 0",
        "(lambda: 1)() == 1",
        "type(betrag) == int",
        "open('/etc/passwd') != 0",
        "eingang.fromtimestamp(0) > eingang",
        "not " * 400 + "betrag",
    ],
)
def test_escape_in_gateway_condition(condition):
    data = {"betrag": 6000, "eingang": dt.date(2026, 1, 1), "kurz": "x" * 200}
    workflow = start(parse(gateway_model(condition)), data)
    with pytest.raises(WorkflowTaskException) as error:
        workflow.do_engine_steps()
    refused = _refused(error)
    assert refused.message in str(error.value)
    assert "pfad" not in workflow.data


def test_unknown_variable_in_condition_names_it():
    workflow = start(parse(gateway_model("betrag > 5000")), {})
    with pytest.raises(WorkflowTaskException) as error:
        workflow.do_engine_steps()
    assert "Unknown variable: betrag" in str(error.value)


def test_environment_globals_are_values():
    engine = SafeScriptEngine(SafeEnvironment({"grenze": 5000}))
    workflow = BpmnWorkflow(parse(gateway_model("betrag > grenze")), script_engine=engine)
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update({"betrag": 6000})
    workflow.do_engine_steps()
    assert workflow.data["pfad"] == "gross"


def test_service_calls_are_refused():
    workflow = start(parse(script_model("x = 1")), {})
    with pytest.raises(WorkflowTaskException, match="Service calls"):
        make_script_engine().call_service(workflow.get_tasks(state=TaskState.READY)[0], operation_name="x")


# --- DMN --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "gebuehr"),
    [
        ({"betrag": 6000, "kategorie": "Straße"}, 250),
        ({"betrag": 6000, "kategorie": "Brücke"}, 250),
        ({"betrag": 6000, "kategorie": "Weg"}, 50),
        ({"betrag": 5000, "kategorie": "Straße"}, 100),
        ({"betrag": 1000, "kategorie": "Weg"}, 100),
        ({"betrag": 999, "kategorie": "Weg"}, 0),
        ({"betrag": 999, "kategorie": "Straße"}, 50),
    ],
)
def test_decision_first(safe_dmn, data, gebuehr):
    result = run(
        full_model(), decision(STANDARD_RULES, hit_policy="FIRST"), data={**data, "befreit": False}, safe_dmn=safe_dmn
    )
    assert result["gebuehr"] == gebuehr
    assert result["faellig"] == (data["betrag"] + gebuehr if gebuehr else 0)


def test_decision_unique(safe_dmn):
    rules = [(["< 1000", "-"], '"klein"'), (["[1000..5000]", "-"], '"mittel"'), (["> 5000", "-"], '"gross"')]
    table = decision(rules, output="stufe")
    for betrag, stufe in ((10, "klein"), (1000, "mittel"), (5000.5, "gross")):
        data = {"betrag": betrag, "kategorie": "-", "befreit": True, "gebuehr": 0}
        assert run(full_model(), table, data=data, safe_dmn=safe_dmn)["stufe"] == stufe


def test_decision_collect(safe_dmn):
    rules = [
        (['"Straße", "Brücke"', "> 0"], '"Tiefbauamt"'),
        (["-", ">= 10000"], '"Kämmerei"'),
        (['not("Straße")', "-"], '"Ordnungsamt"'),
    ]
    table = decision(rules, hit_policy="COLLECT", inputs=("kategorie", "betrag"), output="beteiligt")
    result = run(
        full_model(),
        table,
        data={"kategorie": "Straße", "betrag": 20000, "befreit": True, "gebuehr": 0},
        safe_dmn=safe_dmn,
    )
    assert result["beteiligt"] == ["Tiefbauamt", "Kämmerei"]


@pytest.mark.parametrize(
    ("entry", "value", "matches"),
    [
        ("[1..5]", 5, True),
        ("]1..5]", 1, False),
        ("[1..5[", 5, False),
        ('"a", "b"', "b", True),
        ('not("a", "b")', "a", False),
        ("not([1..5])", 7, True),
        ("-", "egal", True),
        ("? > 3 and ? < 10", 5, True),
        ('in ("x", "y")', "y", True),
        ('.startswith("Str")', "Straße", True),
        ('date("2026-01-31")', dt.date(2026, 1, 31), True),
        ("<= date(2026, 1, 31)", dt.date(2026, 2, 1), False),
        ("> grenze", 11, True),
    ],
)
def test_decision_unary_tests(safe_dmn, entry, value, matches):
    table = decision([([entry], '"ja"'), (["-"], '"nein"')], hit_policy="FIRST", inputs=("wert",), output="treffer")
    data = {"wert": value, "grenze": 10, "betrag": 1, "befreit": True, "gebuehr": 0}
    assert run(full_model(), table, data=data, safe_dmn=safe_dmn)["treffer"] == ("ja" if matches else "nein")


def test_decision_output_expressions(safe_dmn):
    table = decision([(["> 0", "-"], "round(betrag * 0.1, 2)")], hit_policy="FIRST")
    result = run(full_model(), table, data={"betrag": 123.4, "kategorie": "x", "befreit": False}, safe_dmn=safe_dmn)
    assert result["gebuehr"] == 12.34
    assert result["hinweis"] == "12.34 EUR"


@pytest.mark.parametrize(
    ("rules", "inputs"),
    [
        ([(['"".__class__', "-"], "1")], ("betrag", "kategorie")),
        ([(["__import__('os').system('id')", "-"], "1")], ("betrag", "kategorie")),
        ([(["> ().__class__.__mro__[1]", "-"], "1")], ("betrag", "kategorie")),
        ([(["[1..__import__('os')]", "-"], "1")], ("betrag", "kategorie")),
        ([(["? > 1 or getattr(?, '__class__')", "-"], "1")], ("betrag", "kategorie")),
        ([(['not("{0.__class__}".format(?))', "-"], "1")], ("betrag", "kategorie")),
        ([(["-", "-"], "().__class__.__mro__[1].__subclasses__()")], ("betrag", "kategorie")),
        ([(["-", "-"], "9**9**9")], ("betrag", "kategorie")),
        ([(["> 0", "-"], "1")], ("betrag.__class__", "kategorie")),
        ([(["> 0", "-"], "1")], ("[x for x in range(10**9)]", "kategorie")),
    ],
)
def test_escape_in_decision(safe_dmn, rules, inputs):
    table = decision(rules, hit_policy="FIRST", inputs=inputs)
    workflow = start(
        parse(full_model(), table), {"betrag": 6000, "kategorie": "Straße", "befreit": False}, safe_dmn=safe_dmn
    )
    with pytest.raises(WorkflowTaskException) as error:
        workflow.do_engine_steps()
    refused = _refused(error)
    assert refused.message in str(error.value)
    assert "gebuehr" not in workflow.data


def test_plain_engine_glues_entries_and_they_are_read_as_unary_tests():
    spec = parse(full_model(), decision(STANDARD_RULES, hit_policy="FIRST"))
    assert type(spec.task_specs["regel"].dmnEngine) is DMNEngine
    engine = make_script_engine()
    engine.validate("[1..5]")  # what Spiff's plain engine asks before gluing `(input) == (entry)`
    engine.validate('"a", "b"')
    with pytest.raises(ExpressionError):
        engine.validate("__import__('os')")


def test_safe_engine_refuses_unsupported_hit_policy():
    table = decision([(["-", "-"], "1")], hit_policy="RULE ORDER")
    workflow = start(parse(full_model(), table), {"betrag": 1, "kategorie": "x", "befreit": False}, safe_dmn=True)
    with pytest.raises(WorkflowTaskException, match="hit policy not supported: RULE ORDER"):
        workflow.do_engine_steps()


def test_parser_mixin_builds_safe_engines():
    class SafeParser(SafeDmnParserMixin, CamundaParser):
        pass

    spec = parse(full_model(), decision(STANDARD_RULES), parser_class=SafeParser)
    assert isinstance(spec.task_specs["regel"].dmnEngine, SafeDMNEngine)
    assert install_safe_dmn(spec) == 0


def test_install_after_serializer_round_trip():
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(CAMUNDA_CONFIG))
    workflow = start(parse(full_model(), decision(STANDARD_RULES, hit_policy="FIRST")), {})
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update({"betrag": 6000, "kategorie": "Brücke", "befreit": False})
    restored = serializer.deserialize_json(serializer.serialize_json(workflow))
    restored.script_engine = make_script_engine()
    assert type(restored.spec.task_specs["regel"].dmnEngine) is DMNEngine
    assert install_safe_dmn(restored) == 1
    assert install_safe_dmn(restored) == 0
    restored.do_engine_steps()
    assert restored.data["gebuehr"] == 250


def test_validate_decision_table():
    good = parse(full_model(), decision(STANDARD_RULES)).task_specs["regel"].dmnEngine.decision_table
    validate_decision_table(good)
    bad_rules = [*STANDARD_RULES[:1], (["> 0", "().__class__"], "1")]
    bad = parse(full_model(), decision(bad_rules)).task_specs["regel"].dmnEngine.decision_table
    with pytest.raises(ExpressionError, match="DMN rule 2: Names starting with an underscore"):
        validate_decision_table(bad)
    odd = parse(full_model(), decision(STANDARD_RULES, hit_policy="ANY")).task_specs["regel"].dmnEngine.decision_table
    with pytest.raises(ExpressionError, match="hit policy"):
        validate_decision_table(odd)


# --- No eval, no exec -------------------------------------------------------------------------------------------------


@pytest.fixture
def no_eval(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("Python eval/exec was called")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)


def test_spiffs_default_engine_would_trip_the_guard(no_eval):
    workflow = BpmnWorkflow(parse(gateway_model("betrag > 5000")), script_engine=PythonScriptEngine())
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update({"betrag": 6000})
    with pytest.raises(WorkflowTaskException) as error:
        workflow.do_engine_steps()
    assert "eval/exec was called" in str(error.value.__context__)


def test_gateway_script_and_decision_never_use_eval_or_exec(no_eval, safe_dmn):
    table = decision(STANDARD_RULES, hit_policy="FIRST")
    for data, faellig in (
        ({"betrag": 6000, "kategorie": "Straße", "befreit": False}, 6250),
        ({"betrag": 999, "kategorie": "Weg", "befreit": False}, 0),
        ({"betrag": 2000, "kategorie": "Weg", "befreit": True}, 0),
    ):
        assert run(full_model(), table, data=data, safe_dmn=safe_dmn)["faellig"] == faellig
    assert (
        run(gateway_model('${betrag > 5000 && kategorie eq "Straße"}'), data={"betrag": 6000, "kategorie": "Straße"})[
            "pfad"
        ]
        == "gross"
    )
    assert run(script_model("x = betrag * 2\ny = f'{x}'"), data={"betrag": 2})["y"] == "4"

"""The process models the platform ships (``processes/library``): complete, displayable and executable.

The models are parsed and run with plain SpiffWorkflow (Camunda flavour, no database). Two things differ from
the platform's own engine and are bridged here: timer durations are written as in Camunda Modeler (``P5D``) while
raw Spiff evaluates them as Python expressions, so they are quoted on the fly; and service tasks are connector
calls, so the driver below completes them with the result the connector would deliver.
"""

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

LIBRARY = Path(__file__).resolve().parent.parent / "library"
BPMN_FILES = sorted(LIBRARY.glob("*.bpmn"))
DMN_FILES = sorted(LIBRARY.glob("*.dmn"))

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
DMN = "https://www.omg.org/spec/DMN/20191111/MODEL/"
NS = {
    "bpmn": BPMN,
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "camunda": CAMUNDA,
    "dmn": DMN,
}

# connector topic -> inputs every call must provide
CONNECTORS = {
    "email.send": {"to", "subject", "template"},
    "letter.generate": {"template", "title"},
    "case.set_status": {"status"},
    "task.escalate": {"activity", "to"},
    "http.call": {"url", "method"},
}
# what a connector hands back (the keys outputParameters may name)
CONNECTOR_RESULTS = {"letter.generate": {"document_id": "dok-4711"}}
ROLES = {"clerk", "head_of_department", "treasury", "process_owner", "records_manager"}
FIELD_TYPES = {"string", "long", "boolean", "date", "enum"}
ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
FLOW_NODES = (
    "startEvent",
    "endEvent",
    "boundaryEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "userTask",
    "serviceTask",
    "businessRuleTask",
    "scriptTask",
    "manualTask",
    "task",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
)
ACTIVITIES = {f"{{{BPMN}}}{tag}" for tag in ("userTask", "serviceTask", "businessRuleTask")}


def _xpath(node: etree._Element, path: str) -> list:
    return node.xpath(path, namespaces=NS)


def _process(path: Path) -> etree._Element:
    [process] = _xpath(etree.parse(path).getroot(), "bpmn:process")
    return process


def _io(element: etree._Element, kind: str) -> dict[str, str]:
    return {
        p.get("name"): (p.text or "").strip()
        for p in _xpath(element, f"bpmn:extensionElements/camunda:inputOutput/camunda:{kind}Parameter")
    }


class Instance:
    """One process instance, driven the way the platform does: user tasks get form data, service tasks are
    connector calls that are recorded and answered with the connector's result."""

    def __init__(self, process_id: str, start_data: dict) -> None:
        root = etree.parse(LIBRARY / f"{process_id}.bpmn").getroot()
        for duration in root.iter(f"{{{BPMN}}}timeDuration"):
            duration.text = repr(duration.text.strip())  # raw Spiff evaluates timer expressions as Python
        parser = CamundaParser(validator=BpmnValidator())
        parser.add_bpmn_xml(root, filename=f"{process_id}.bpmn")
        for dmn in DMN_FILES:
            parser.add_dmn_file(str(dmn))
        self.workflow = BpmnWorkflow(parser.get_spec(process_id))
        self.elements = {element.get("id"): element for element in root.iter() if element.get("id")}
        self.visited: list[str] = []
        self.calls: list[tuple[str, dict]] = []
        self.workflow.get_next_task(state=TaskState.READY).data.update(start_data)
        self._advance()

    @property
    def finished(self) -> bool:
        return self.workflow.is_completed()

    @property
    def data(self) -> dict:
        return self.workflow.data if self.finished else self.open()[-1].data

    def open(self) -> list[Task]:
        """READY user tasks and READY/STARTED service tasks, i.e. the activities waiting for someone."""
        tasks = self.workflow.get_tasks(state=TaskState.READY | TaskState.STARTED)
        return [t for t in tasks if self._tag(t) in ACTIVITIES]

    def waiting(self, bpmn_id: str) -> Task:
        [task] = [t for t in self.workflow.get_tasks(state=TaskState.WAITING) if t.task_spec.bpmn_id == bpmn_id]
        return task

    def complete(self, name: str, **form: object) -> None:
        """Completes the open user task called `name` with the given form data."""
        [task] = [t for t in self.open() if t.task_spec.bpmn_name == name]
        assert self._tag(task) == f"{{{BPMN}}}userTask", name
        task.data.update(form)
        task.run()
        self.visited.append(name)
        self._advance()

    def fire_timer(self, bpmn_id: str) -> None:
        """Lets the timer `bpmn_id` elapse (it is due at the time written in its internal data)."""
        task = self.waiting(bpmn_id)
        task._set_internal_data(event_value=(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat())
        self.workflow.refresh_timers()
        self._advance()

    def _tag(self, task: Task) -> str | None:
        element = self.elements.get(task.task_spec.bpmn_id)
        return None if element is None else element.tag

    def _record(self, task: Task) -> None:
        if task.state == TaskState.COMPLETED and self._tag(task) in ACTIVITIES:
            self.visited.append(task.task_spec.bpmn_name)

    def _advance(self) -> None:
        # Raw Spiff runs a plain service task as a no-op that stays STARTED; the platform keeps it READY for its
        # connector runner. Either way it is open until the connector's result is in.
        self.workflow.do_engine_steps(did_complete_task=self._record)
        while services := [t for t in self.open() if self._tag(t) == f"{{{BPMN}}}serviceTask"]:
            self._call_connector(services[0])
            self.workflow.do_engine_steps(did_complete_task=self._record)

    def _call_connector(self, task: Task) -> None:
        element = self.elements[task.task_spec.bpmn_id]
        topic = element.get(f"{{{CAMUNDA}}}topic")
        inputs = {
            name: self.workflow.script_engine.evaluate(task, value[1:]) if value.startswith("=") else value
            for name, value in _io(element, "input").items()
        }
        self.calls.append((topic, inputs))
        result = CONNECTOR_RESULTS.get(topic, {})
        task.data.update({variable: result[key] for variable, key in _io(element, "output").items()})
        if task.state == TaskState.READY:
            task.run()
        if task.state != TaskState.COMPLETED:
            task.complete()
        self.visited.append(task.task_spec.bpmn_name)


ANTRAG = {
    "antragsteller_name": "Erika Mustermann",
    "antragsteller_email": "erika@example.org",
    "begruendung": "Aufstellen eines Gerüsts vor dem Haus Marktplatz 3.",
    "anlage": "blob-1",
}
ANTRAG_ENDE = ["Bescheid erstellen", "Antragsteller benachrichtigen", "Vorgang abschließen"]


def test_antrag_complete_and_approved_by_table() -> None:
    run = Instance("antrag_pruefen", ANTRAG | {"antragsart": "Parkausweis", "betrag": 30})
    run.complete("Formale Prüfung", vollstaendig=True, pruefvermerk="")
    assert run.finished
    assert run.visited == ["Formale Prüfung", "Entscheidung ermitteln", *ANTRAG_ENDE]
    assert run.data["entscheidung"] == "genehmigen"
    assert run.data["bescheid_dokument_id"] == "dok-4711"
    assert run.calls == [
        ("letter.generate", {"template": "antrag_bescheid", "title": "Bescheid zu Ihrem Antrag"}),
        (
            "email.send",
            {
                "to": "erika@example.org",
                "subject": "Ihr Antrag: Bescheid liegt vor",
                "template": "antrag_bescheid_versand",
            },
        ),
        ("case.set_status", {"status": "erledigt"}),
    ]


def test_antrag_over_threshold_goes_to_head_of_department() -> None:
    run = Instance("antrag_pruefen", ANTRAG | {"antragsart": "Sondernutzung", "betrag": 7500})
    run.complete("Formale Prüfung", vollstaendig=True)
    assert run.data["entscheidung"] == "pruefen_leitung"
    run.complete("Entscheidung Amtsleitung", genehmigt=True, begruendung_entscheidung="Innenstadtlage, vertretbar.")
    assert run.finished
    assert run.visited == [
        "Formale Prüfung",
        "Entscheidung ermitteln",
        "Entscheidung Amtsleitung",
        *ANTRAG_ENDE,
    ]
    assert run.data["genehmigt"] is True


def test_antrag_incomplete_is_requested_again_and_rechecked() -> None:
    run = Instance("antrag_pruefen", ANTRAG | {"antragsart": "Gewerbeanmeldung", "betrag": 0})
    run.complete("Formale Prüfung", vollstaendig=False, pruefvermerk="Personalausweiskopie fehlt.")
    assert run.visited == ["Formale Prüfung", "Nachforderung senden"]
    assert run.calls == [
        (
            "email.send",
            {
                "to": "erika@example.org",
                "subject": "Ihr Antrag: Unterlagen unvollständig",
                "template": "antrag_nachforderung",
            },
        )
    ]
    assert [t.task_spec.bpmn_name for t in run.open()] == ["Formale Prüfung"]  # waits for the documents
    run.complete("Formale Prüfung", vollstaendig=True)
    assert run.finished
    assert run.visited == [
        "Formale Prüfung",
        "Nachforderung senden",
        "Formale Prüfung",
        "Entscheidung ermitteln",
        *ANTRAG_ENDE,
    ]
    assert run.data["entscheidung"] == "genehmigen"


def test_antrag_rejected_by_table_still_gets_a_decision_letter() -> None:
    run = Instance("antrag_pruefen", ANTRAG | {"antragsart": "Vereinsfoerderung", "betrag": 40000})
    run.complete("Formale Prüfung", vollstaendig=True)
    assert run.finished
    assert run.visited == ["Formale Prüfung", "Entscheidung ermitteln", *ANTRAG_ENDE]
    assert run.data["entscheidung"] == "ablehnen"  # above the maximum grant


@pytest.mark.parametrize(
    ("antragsart", "betrag", "entscheidung"),
    [
        ("Parkausweis", 30, "genehmigen"),
        ("Gewerbeanmeldung", 0, "genehmigen"),
        ("Sondernutzung", 5000, "genehmigen"),
        ("Sondernutzung", 5001, "pruefen_leitung"),
        ("Vereinsfoerderung", 1000, "genehmigen"),
        ("Vereinsfoerderung", 1001, "pruefen_leitung"),
        ("Vereinsfoerderung", 25000, "pruefen_leitung"),
        ("Vereinsfoerderung", 25001, "ablehnen"),
        ("Unbekannt", 10, "pruefen_leitung"),
    ],
)
def test_antrag_decision_table(antragsart: str, betrag: int, entscheidung: str) -> None:
    run = Instance("antrag_pruefen", ANTRAG | {"antragsart": antragsart, "betrag": betrag})
    run.complete("Formale Prüfung", vollstaendig=True)
    assert run.data["entscheidung"] == entscheidung


def test_antrag_overdue_check_escalates_without_cancelling_it() -> None:
    run = Instance("antrag_pruefen", ANTRAG | {"antragsart": "Parkausweis", "betrag": 30})
    due = dt.datetime.fromisoformat(run.waiting("Timer_Formale_Pruefung")._get_internal_data("event_value"))
    assert abs(due - (dt.datetime.now(dt.UTC) + dt.timedelta(days=5))) < dt.timedelta(minutes=1)
    run.fire_timer("Timer_Formale_Pruefung")
    assert run.visited == ["Eskalation an Amtsleitung"]
    assert run.calls == [("task.escalate", {"activity": "Formale_Pruefung", "to": "head_of_department"})]
    assert [t.task_spec.bpmn_name for t in run.open()] == ["Formale Prüfung"]  # non-interrupting
    run.complete("Formale Prüfung", vollstaendig=True)
    assert run.finished
    assert run.visited[1:] == ["Formale Prüfung", "Entscheidung ermitteln", *ANTRAG_ENDE]


SCHADEN = {
    "kategorie": "Strasse",
    "beschreibung": "Tiefes Schlagloch auf dem Radweg.",
    "ort": "Hauptstraße 12",
    "melder_email": "melder@example.org",
    "foto": "blob-2",
}


def test_schaden_duplicate_informs_reporter() -> None:
    run = Instance("schadensmeldung", SCHADEN)
    run.complete("Triage", prioritaet="mittel", zustaendig="Bauhof", duplikat=True)
    assert run.finished
    assert run.visited == ["Triage", "Melder informieren (Duplikat)"]
    assert [topic for topic, _ in run.calls] == ["email.send"]
    assert run.calls[0][1]["to"] == "melder@example.org"
    assert run.calls[0][1]["template"] == "schaden_duplikat"


def test_schaden_repaired_and_reported_back() -> None:
    run = Instance("schadensmeldung", SCHADEN)
    run.complete("Triage", prioritaet="hoch", zustaendig="Bauhof", duplikat=False)
    run.complete("Zuweisen", bearbeiter="Kolonne 2", termin="2026-05-08")
    run.complete("Reparatur durchführen", erledigt=True, massnahme="Kaltasphalt eingebaut.", foto_nachher="blob-3")
    assert run.finished
    assert run.visited == [
        "Triage",
        "Zuweisen",
        "Reparatur durchführen",
        "Rückmeldung an Melder",
        "Vorgang abschließen",
    ]
    assert run.calls[0] == (
        "email.send",
        {
            "to": "melder@example.org",
            "subject": "Ihre Schadensmeldung: Schaden behoben",
            "template": "schaden_erledigt",
        },
    )
    assert run.calls[1] == ("case.set_status", {"status": "erledigt"})


def test_schaden_repair_not_yet_done_returns_to_repair_and_escalates_when_overdue() -> None:
    run = Instance("schadensmeldung", SCHADEN)
    run.complete("Triage", prioritaet="niedrig", zustaendig="Stadtgruen", duplikat=False)
    run.complete("Zuweisen", bearbeiter="Stadtgrün Team Nord", termin="2026-05-08")
    run.complete("Reparatur durchführen", erledigt=False, massnahme="Material bestellt.")
    assert [t.task_spec.bpmn_name for t in run.open()] == ["Reparatur durchführen"]
    due = dt.datetime.fromisoformat(run.waiting("Timer_Reparatur")._get_internal_data("event_value"))
    assert abs(due - (dt.datetime.now(dt.UTC) + dt.timedelta(days=10))) < dt.timedelta(minutes=1)
    run.fire_timer("Timer_Reparatur")
    assert run.calls == [("task.escalate", {"activity": "Reparatur_durchfuehren", "to": "head_of_department"})]
    run.complete("Reparatur durchführen", erledigt=True, massnahme="Bank ersetzt.")
    assert run.finished
    assert run.visited == [
        "Triage",
        "Zuweisen",
        "Reparatur durchführen",
        "Eskalation an Amtsleitung",
        "Reparatur durchführen",
        "Rückmeldung an Melder",
        "Vorgang abschließen",
    ]


@pytest.mark.parametrize(
    ("betrag", "visited", "calls"),
    [
        (7500, ["Prüfen", "Status setzen"], [("case.set_status", {"status": "erledigt"})]),
        (5000, ["Prüfen"], []),
    ],
)
def test_reference_both_branches(betrag: int, visited: list[str], calls: list) -> None:
    run = Instance("reference", {})
    run.complete("Prüfen", betrag=betrag)
    assert run.finished
    assert run.visited == visited
    assert run.calls == calls


# --- static checks of every shipped model ---------------------------------------------------------------------


def test_library_holds_the_expected_models() -> None:
    assert [p.name for p in BPMN_FILES] == ["antrag_pruefen.bpmn", "reference.bpmn", "schadensmeldung.bpmn"]
    assert [p.name for p in DMN_FILES] == ["antrag_pruefen.dmn"]


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_process_header(path: Path) -> None:
    process = _process(path)
    assert process.get("isExecutable") == "true"
    assert process.get("name")
    assert process.get("id") == path.stem
    plan = _xpath(process, "bpmn:extensionElements/camunda:properties/camunda:property[@name='amtsflow:planEntry']")
    assert len(plan) == 1
    assert re.fullmatch(r"\d+(\.\d+)*", plan[0].get("value"))


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_user_tasks_have_groups_and_valid_forms(path: Path) -> None:
    process = _process(path)
    for task in _xpath(process, ".//bpmn:userTask"):
        groups = [g.strip() for g in (task.get(f"{{{CAMUNDA}}}candidateGroups") or "").split(",") if g.strip()]
        assert groups, task.get("id")
        assert set(groups) <= ROLES, task.get("id")
        due = task.get(f"{{{CAMUNDA}}}dueDate")
        assert due is None or ISO_DURATION.match(due), task.get("id")
        assert _xpath(task, "bpmn:extensionElements/camunda:formData/camunda:formField"), task.get("id")
    for field in _xpath(process, ".//camunda:formField"):
        assert re.fullmatch(r"[a-z][a-z0-9_]*", field.get("id")), field.get("id")
        assert field.get("label"), field.get("id")
        assert field.get("type") in FIELD_TYPES, field.get("id")
        values = _xpath(field, "camunda:value")
        assert (field.get("type") == "enum") == bool(values), field.get("id")
        assert all(re.fullmatch(r"[A-Za-z0-9_]+", v.get("id")) and v.get("name") for v in values)
        for prop in _xpath(field, "camunda:properties/camunda:property"):
            assert (prop.get("id"), prop.get("value")) in {("type", "file"), ("multiline", "true")}
            assert field.get("type") == "string"
        for constraint in _xpath(field, "camunda:validation/camunda:constraint"):
            assert constraint.get("name") in {"required", "min", "max", "minlength", "maxlength", "readonly"}


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_service_tasks_are_known_connectors(path: Path) -> None:
    process = _process(path)
    ids = {element.get("id") for element in process.iter() if element.get("id")}
    variables = {field.get("id") for field in _xpath(process, ".//camunda:formField")}
    for task in _xpath(process, ".//bpmn:serviceTask"):
        topic = task.get(f"{{{CAMUNDA}}}topic")
        assert task.get(f"{{{CAMUNDA}}}type") == "external", task.get("id")
        assert topic in CONNECTORS, task.get("id")
        inputs = _io(task, "input")
        assert CONNECTORS[topic] <= set(inputs), task.get("id")
        for value in inputs.values():
            if value.startswith("="):
                assert value[1:] in variables, (task.get("id"), value)  # expressions name form variables
        if topic == "task.escalate":
            assert inputs["activity"] in ids
            assert inputs["to"] in ROLES
        assert set(_io(task, "output").values()) <= set(CONNECTOR_RESULTS.get(topic, {})), task.get("id")


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_gateway_flows_have_condition_or_are_default(path: Path) -> None:
    process = _process(path)
    for gateway in _xpath(process, ".//bpmn:exclusiveGateway"):
        outgoing = _xpath(process, f"bpmn:sequenceFlow[@sourceRef='{gateway.get('id')}']")
        default = gateway.get("default")
        assert len(outgoing) >= 2, gateway.get("id")
        assert default in {flow.get("id") for flow in outgoing}, gateway.get("id")
        for flow in outgoing:
            conditions = _xpath(flow, "bpmn:conditionExpression")
            if flow.get("id") == default:
                assert not conditions, flow.get("id")
            else:
                assert len(conditions) == 1, flow.get("id")
                ast.parse(conditions[0].text, mode="eval")  # the safe expression subset is Python syntax


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_timers_and_decisions(path: Path) -> None:
    process = _process(path)
    for boundary in _xpath(process, ".//bpmn:boundaryEvent"):
        assert boundary.get("cancelActivity") == "false", boundary.get("id")
        assert _xpath(process, f"bpmn:*[@id='{boundary.get('attachedToRef')}']")
    for duration in _xpath(process, ".//bpmn:timeDuration"):
        assert ISO_DURATION.match(duration.text.strip()), duration.text
    decisions = {d.get("id") for dmn in DMN_FILES for d in _xpath(etree.parse(dmn).getroot(), "dmn:decision")}
    for task in _xpath(process, ".//bpmn:businessRuleTask"):
        assert task.get(f"{{{CAMUNDA}}}decisionRef") in decisions


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_flows_are_wired_both_ways(path: Path) -> None:
    process = _process(path)
    nodes = {n.get("id"): n for tag in FLOW_NODES for n in _xpath(process, f"bpmn:{tag}")}
    for flow in _xpath(process, "bpmn:sequenceFlow"):
        source, target = nodes[flow.get("sourceRef")], nodes[flow.get("targetRef")]
        assert flow.get("id") in [e.text for e in _xpath(source, "bpmn:outgoing")]
        assert flow.get("id") in [e.text for e in _xpath(target, "bpmn:incoming")]
    for node in nodes.values():
        if node.tag not in {f"{{{BPMN}}}startEvent", f"{{{BPMN}}}boundaryEvent"}:
            assert _xpath(node, "bpmn:incoming"), node.get("id")
        if node.tag != f"{{{BPMN}}}endEvent":
            assert _xpath(node, "bpmn:outgoing"), node.get("id")


@pytest.mark.parametrize("path", BPMN_FILES, ids=lambda p: p.name)
def test_diagram_covers_every_element(path: Path) -> None:
    root = etree.parse(path).getroot()
    process = _process(path)
    [plane] = _xpath(root, "bpmndi:BPMNDiagram/bpmndi:BPMNPlane")
    assert plane.get("bpmnElement") == process.get("id")
    shapes = {}
    for shape in _xpath(plane, "bpmndi:BPMNShape"):
        [bounds] = _xpath(shape, "dc:Bounds")
        shapes[shape.get("bpmnElement")] = tuple(float(bounds.get(k)) for k in ("x", "y", "width", "height"))
    nodes = [n.get("id") for tag in FLOW_NODES for n in _xpath(process, f"bpmn:{tag}")]
    assert sorted(shapes) == sorted(nodes)
    edges = {edge.get("bpmnElement"): edge for edge in _xpath(plane, "bpmndi:BPMNEdge")}
    flows = _xpath(process, "bpmn:sequenceFlow")
    assert sorted(edges) == sorted(flow.get("id") for flow in flows)

    def touches(point: tuple[float, float], box: tuple[float, ...]) -> bool:
        x, y, w, h = box
        return x - 1 <= point[0] <= x + w + 1 and y - 1 <= point[1] <= y + h + 1

    for flow in flows:
        points = [(float(p.get("x")), float(p.get("y"))) for p in _xpath(edges[flow.get("id")], "di:waypoint")]
        assert len(points) >= 2
        assert touches(points[0], shapes[flow.get("sourceRef")]), flow.get("id")
        assert touches(points[-1], shapes[flow.get("targetRef")]), flow.get("id")
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            assert x1 == x2 or y1 == y2, flow.get("id")  # orthogonal routing, as bpmn-js draws it
    for a, box_a in shapes.items():  # no two shapes overlap, except a boundary event on its task
        for b, box_b in shapes.items():
            if a < b and not {a, b} & {n.get("id") for n in _xpath(process, "bpmn:boundaryEvent")}:
                overlap_x = box_a[0] < box_b[0] + box_b[2] and box_b[0] < box_a[0] + box_a[2]
                overlap_y = box_a[1] < box_b[1] + box_b[3] and box_b[1] < box_a[1] + box_a[3]
                assert not (overlap_x and overlap_y), (a, b)


@pytest.mark.parametrize("path", BPMN_FILES + DMN_FILES, ids=lambda p: p.name)
def test_models_are_schema_valid(path: Path) -> None:
    root = etree.parse(path).getroot()  # well-formed
    parser = CamundaParser(validator=BpmnValidator())
    if path.suffix == ".dmn":
        assert root.nsmap[None] == DMN
        parser.add_dmn_xml(root, filename=path.name)  # validates against the DMN 1.3 schema
    else:
        parser.add_bpmn_xml(root, filename=path.name)  # validates against the BPMN 2.0 schema incl. DI


def test_decision_table_shape() -> None:
    root = etree.parse(LIBRARY / "antrag_pruefen.dmn").getroot()
    [table] = _xpath(root, "dmn:decision[@id='antrag_entscheidung']/dmn:decisionTable")
    assert table.get("hitPolicy") == "FIRST"
    assert [t.text for t in _xpath(table, "dmn:input/dmn:inputExpression/dmn:text")] == ["antragsart", "betrag"]
    assert [o.get("name") for o in _xpath(table, "dmn:output")] == ["entscheidung"]
    outputs = {t.text for t in _xpath(table, "dmn:rule/dmn:outputEntry/dmn:text")}
    assert outputs == {'"genehmigen"', '"ablehnen"', '"pruefen_leitung"'}
    last = _xpath(table, "dmn:rule")[-1]
    assert [t.text for t in _xpath(last, "dmn:inputEntry/dmn:text")] == ["-", "-"]  # always decides

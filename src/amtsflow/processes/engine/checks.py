"""Structural import rules, checked on the XML before SpiffWorkflow parses it.

SpiffWorkflow's parser stops at the first error it meets on its walk from the start event, skips elements it
does not reach and silently drops event definitions it does not know (a link or compensation event becomes a
plain event). These rules look at every element of the processes that will run, so a refused upload lists all
its problems, and so nothing is accepted that would run differently from the diagram.
"""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from lxml import etree

from .bpmn_xml import (
    BPMN_NS,
    FLOW_NODES,
    MODELER_NS,
    SUBPROCESSES,
    bpmn,
    flow_nodes,
    local,
    process_label,
    sequence_flows,
)
from .problems import ModelProblem, problem_at

BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
GATEWAYS = frozenset({"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway"})
CONDITIONAL_GATEWAYS = frozenset({"exclusiveGateway", "inclusiveGateway"})

# Event definitions SpiffWorkflow's parser reads per event type, minus those the engine cannot drive:
# conditional events are never re-evaluated while a process waits.
_EVENT_DEFINITIONS = {
    "startEvent": {"message", "signal", "timer"},
    "endEvent": {"message", "cancel", "error", "escalation", "terminate"},
    "intermediateCatchEvent": {"message", "signal", "timer"},
    "intermediateThrowEvent": {"message", "signal", "escalation"},
    "boundaryEvent": {"cancel", "error", "escalation", "message", "signal", "timer"},
}
_RESERVED_IDS = frozenset({"Start", "End", "Root", "StartEventSplit", "StartEventJoin"})
_RESERVED_SUFFIXES = (".EndJoin", ".BoundaryEventSplit", ".BoundaryEventJoin")
# Global elements an event definition refers to, by reference attribute.
_EVENT_REFS = {"messageRef": "message", "signalRef": "signal", "errorRef": "error", "escalationRef": "escalation"}


@dataclass
class Selection:
    """The process that runs (`main`) and the processes its call activities call, directly or not."""

    main: etree._Element
    called: list[etree._Element]

    @property
    def processes(self) -> list[etree._Element]:
        return [self.main, *self.called]


def check_platform(root: etree._Element) -> list[ModelProblem]:
    if root.get(f"{{{MODELER_NS}}}executionPlatform") == "Camunda Cloud":
        return [
            problem_at(
                root,
                _("The model was made for Camunda 8 (Zeebe). Amtsflow runs models made for Camunda Platform 7."),
            )
        ]
    return []


def check_diagram(root: etree._Element) -> list[ModelProblem]:
    """Diagram positions must be numbers: SpiffWorkflow orders parallel paths by them."""
    problems = []
    for shape in root.iter(f"{{{BPMNDI_NS}}}BPMNShape"):
        for bounds in shape.iter(f"{{{DC_NS}}}Bounds"):
            try:
                float(bounds.get("x", 0)), float(bounds.get("y", 0))
            except ValueError:
                element = shape.get("bpmnElement") or shape.get("id") or ""
                problems.append(ModelProblem(element, "", _("The diagram position of this element is not a number.")))
    return problems


def select_processes(root: etree._Element) -> tuple[Selection | None, list[ModelProblem]]:
    """Find the one executable process; pools that are not executable stay black boxes."""
    processes = root.findall(bpmn("process"))
    if not processes:
        return None, [problem_at(root, _("The file contains no process."))]
    executable = [p for p in processes if p.get("isExecutable") == "true"]
    if not executable:
        return None, [
            ModelProblem(
                element_id=p.get("id", ""),
                element_name=process_label(root, p),
                message=_('The process %(name)s is not marked executable (isExecutable="true").')
                % {"name": process_label(root, p)},
            )
            for p in processes
        ]
    by_id = {p.get("id"): p for p in processes}
    called_ids = {call.get("calledElement") for p in executable for call in p.iter(bpmn("callActivity"))}
    entries = [p for p in executable if p.get("id") not in called_ids]
    if len(entries) != 1:
        names = ", ".join(process_label(root, p) for p in entries or executable)
        message = _("Exactly one process may be executable; the file has several: %(names)s.") % {"names": names}
        return None, [
            ModelProblem(element_id=p.get("id", ""), element_name=process_label(root, p), message=message)
            for p in entries or executable
        ]
    main, called, problems = entries[0], [], []
    pending = [main]
    while pending:
        for call in pending.pop().iter(bpmn("callActivity")):
            target = by_id.get(call.get("calledElement", ""))
            if not call.get("calledElement"):
                problems.append(problem_at(call, _("This call activity names no process to call (calledElement).")))
            elif target is None:
                problems.append(
                    problem_at(
                        call,
                        _("This call activity calls %(process)s, which is not in this file.")
                        % {"process": call.get("calledElement")},
                    )
                )
            elif target.get("isExecutable") != "true":
                problems.append(
                    problem_at(
                        call,
                        _("This call activity calls %(process)s, which is not marked executable.")
                        % {"process": process_label(root, target)},
                    )
                )
            elif target is not main and target not in called:
                called.append(target)
                pending.append(target)
    return Selection(main, called), problems


def check_structure(root: etree._Element, selection: Selection, supported: frozenset[str]) -> list[ModelProblem]:
    """Element types, events, sequence flows, identifiers and data references of the processes that run."""
    index: dict[str, etree._Element] = {}
    counts: Counter[str] = Counter()
    for element in root.iter(etree.Element):
        if element.get("id"):
            index.setdefault(element.get("id", ""), element)
            counts[element.get("id", "")] += 1
    problems = []
    for process in selection.processes:
        problems += _check_ids(process, counts)
        problems += _check_start_and_end(process)
        flows = list(sequence_flows(process))
        outgoing: dict[str, list[etree._Element]] = {}
        for flow in flows:
            outgoing.setdefault(flow.get("sourceRef", ""), []).append(flow)
        for node in flow_nodes(process):
            kind = local(node)
            if kind not in supported:
                problems.append(problem_at(node, _("Elements of type %(type)s are not supported.") % {"type": kind}))
                continue
            problems += _check_events(node, index, selection)
            problems += _check_outgoing(node, outgoing.get(node.get("id", ""), []))
            problems += _check_data_references(node, index)
            if kind in SUBPROCESSES:
                problems += _check_start_and_end(node)
        problems += _check_flows(process, flows)
    return problems


def _check_ids(process: etree._Element, counts: Counter[str]) -> list[ModelProblem]:
    problems = []
    for element in process.iter(etree.Element):
        if local(element) in FLOW_NODES or local(element) in {"sequenceFlow", "process"}:
            if not element.get("id"):
                problems.append(problem_at(element, _("This element has no id.")))
            elif counts[element.get("id", "")] > 1:
                problems.append(problem_at(element, _("Another element of the file has the same id.")))
            elif _reserved(element.get("id", "")):
                problems.append(problem_at(element, _("This id is used by the engine itself; choose another one.")))
    return problems


def _reserved(element_id: str) -> bool:
    """Names SpiffWorkflow gives its own task specs: an element with such an id is silently mixed up with them."""
    return element_id in _RESERVED_IDS or element_id.endswith(_RESERVED_SUFFIXES) or " " in element_id


def _check_start_and_end(container: etree._Element) -> list[ModelProblem]:
    """SpiffWorkflow starts a (sub)process at its one start event and needs an end event to finish it."""
    starts, ends = container.findall(bpmn("startEvent")), container.findall(bpmn("endEvent"))
    if local(container) == "adHocSubProcess":
        if starts or ends:
            return [problem_at(container, _("An ad-hoc subprocess may not contain start or end events."))]
        return []
    if len(starts) != 1:
        message = _("A process or subprocess needs exactly one start event; this one has %(count)d.")
        return [problem_at(container, message % {"count": len(starts)})]
    if not ends and local(container) != "process":
        return [problem_at(container, _("A subprocess needs an end event."))]
    return []


def _check_events(node: etree._Element, index: dict[str, etree._Element], selection: Selection) -> list[ModelProblem]:
    kind = local(node)
    if kind not in _EVENT_DEFINITIONS:
        return []
    problems = []
    definitions = [child for child in node if local(child).endswith("EventDefinition")]
    triggers = [local(child).removesuffix("EventDefinition") for child in definitions]
    if node.find(bpmn("eventDefinitionRef")) is not None:
        problems.append(problem_at(node, _("Event definitions referenced by eventDefinitionRef are not supported.")))
    problems += [problem_at(node, _unsupported_trigger(t)) for t in triggers if t not in _EVENT_DEFINITIONS[kind]]
    for definition in definitions:
        for attribute, target in _EVENT_REFS.items():
            ref = definition.get(attribute)
            if ref and (ref not in index or local(index[ref]) != target):
                problems.append(
                    problem_at(node, _("The event refers to %(ref)s, which is not defined.") % {"ref": ref})
                )
    if kind == "boundaryEvent" and not triggers:
        problems.append(problem_at(node, _("A boundary event needs a trigger (timer, message, error, ...).")))
    if kind == "startEvent":
        problems += _check_start(node, triggers, selection)
    return problems


def _check_start(node: etree._Element, triggers: list[str], selection: Selection) -> list[ModelProblem]:
    container = node.getparent()
    if container is None:
        return []
    if container.get("triggeredByEvent") != "true":
        if triggers:
            return [
                problem_at(
                    node,
                    _(
                        "Processes and subprocesses must begin with a plain start event (the platform starts "
                        "them); a %(trigger)s start event is only supported in an event subprocess."
                    )
                    % {"trigger": triggers[0]},
                )
            ]
        return []
    if not triggers:
        return [problem_at(node, _("The start event of an event subprocess needs a trigger."))]
    # The engine only offers messages and signals to event subprocesses directly inside the top process.
    if {"message", "signal"} & set(triggers) and container.getparent() is not selection.main:
        return [
            problem_at(
                node,
                _("Event subprocesses started by a message or signal are only supported directly in the process."),
            )
        ]
    return []


def _check_outgoing(node: etree._Element, outgoing: list[etree._Element]) -> list[ModelProblem]:
    kind = local(node)
    if len(outgoing) > 1 and kind not in GATEWAYS and kind != "startEvent":
        return [
            problem_at(
                node,
                _("This element has %(count)d outgoing flows; split the flow with a gateway instead.")
                % {"count": len(outgoing)},
            )
        ]
    if kind not in CONDITIONAL_GATEWAYS or len(outgoing) < 2:
        return []
    gateway = node.get("name") or node.get("id", "")
    return [
        problem_at(
            flow,
            _("This flow leaves the gateway %(gateway)s without a condition and is not its default flow.")
            % {"gateway": gateway},
        )
        for flow in outgoing
        if flow.get("id") != node.get("default") and not _condition(flow)
    ]


def _check_flows(process: etree._Element, flows: list[etree._Element]) -> list[ModelProblem]:
    problems = []
    nodes_by_container: dict[etree._Element, dict[str | None, etree._Element]] = {}
    for flow in flows:
        container = flow.getparent()
        if container not in nodes_by_container:
            nodes_by_container[container] = {n.get("id"): n for n in container if local(n) in FLOW_NODES}
        nodes = nodes_by_container[container]
        source, target = nodes.get(flow.get("sourceRef")), nodes.get(flow.get("targetRef"))
        if source is None or target is None:
            problems.append(problem_at(flow, _("This flow does not connect two elements of the same (sub)process.")))
        elif _condition(flow) and local(source) not in CONDITIONAL_GATEWAYS:
            problems.append(
                problem_at(
                    flow,
                    _("This flow has a condition but does not leave an exclusive or inclusive gateway."),
                )
            )
    return problems


def _unsupported_trigger(trigger: str) -> str:
    if trigger == "conditional":
        return _("Conditional events are not supported: nothing re-evaluates their condition while a process waits.")
    if trigger == "compensate":
        return _("Compensation events are not supported.")
    if trigger == "link":
        return _("Link events are not supported; connect the elements with a sequence flow instead.")
    return _("Triggers of type %(trigger)s are not supported on this kind of event.") % {"trigger": trigger}


def _check_data_references(node: etree._Element, index: dict[str, etree._Element]) -> list[ModelProblem]:
    """Data associations must name a data object of the element's (sub)process or of the one around it."""
    refs = node.xpath(
        "./bpmn:dataInputAssociation/bpmn:sourceRef | ./bpmn:dataOutputAssociation/bpmn:targetRef",
        namespaces={"bpmn": BPMN_NS},
    )
    if not refs:
        return []
    containers = [c for c in (node.getparent(), _parent(node.getparent())) if c is not None]
    problems = []
    for ref in refs:
        ref_id = (ref.text or "").strip()
        found = index.get(ref_id)
        kind = local(found) if found is not None else ""
        if kind == "dataStoreReference":
            problems.append(problem_at(node, _("Data stores are not supported.")))
        elif (
            found is None
            or kind != "dataObjectReference"
            or not any(
                obj.get("id") == found.get("dataObjectRef") for c in containers for obj in c.findall(bpmn("dataObject"))
            )
        ):
            problems.append(
                problem_at(
                    node,
                    _("The data association refers to %(ref)s, which is no data object of this process.")
                    % {"ref": ref_id},
                )
            )
    return problems


def _parent(container: etree._Element | None) -> etree._Element | None:
    if container is None or local(container) not in SUBPROCESSES:
        return None
    return container.getparent()


def _condition(flow: etree._Element) -> str:
    expression = flow.find(bpmn("conditionExpression"))
    return (expression.text or "").strip() if expression is not None else ""

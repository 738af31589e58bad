"""Namespaces and small readers for BPMN 2.0 XML with Camunda 7 extensions."""

from collections.abc import Iterator

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
MODELER_NS = "http://camunda.org/schema/modeler/1.0"
NSMAP = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS}

PLAN_ENTRY_PROPERTY = "amtsflow:planEntry"

# Every BPMN flow node a process may contain (BPMN 2.0, chapter 10); which ones run is decided by the parser.
FLOW_NODES = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "scriptTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "businessRuleTask",
        "callActivity",
        "subProcess",
        "transaction",
        "adHocSubProcess",
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "implicitThrowEvent",
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
        "callChoreography",
        "choreographyTask",
        "subChoreography",
    }
)
SUBPROCESSES = frozenset({"subProcess", "transaction", "adHocSubProcess"})


def bpmn(tag: str) -> str:
    return f"{{{BPMN_NS}}}{tag}"


def camunda(name: str) -> str:
    return f"{{{CAMUNDA_NS}}}{name}"


def local(element: etree._Element) -> str:
    """The local name of a BPMN element, "" for elements of other namespaces."""
    qname = etree.QName(element)
    return qname.localname if qname.namespace == BPMN_NS else ""


def text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def flow_nodes(container: etree._Element) -> Iterator[etree._Element]:
    """All flow nodes in a process, including those inside its subprocesses."""
    for element in container.iter(etree.Element):
        if element is not container and local(element) in FLOW_NODES:
            yield element


def sequence_flows(container: etree._Element) -> Iterator[etree._Element]:
    yield from container.iter(bpmn("sequenceFlow"))


def extension(element: etree._Element, path: str) -> list[etree._Element]:
    """Camunda extension elements of `element` itself (not of nested flow nodes); `path` without unions."""
    return element.xpath(f"./bpmn:extensionElements/{path}", namespaces=NSMAP)


def camunda_properties(element: etree._Element) -> dict[str, str]:
    return {
        prop.get("name", ""): prop.get("value", "")
        for prop in extension(element, "camunda:properties/camunda:property")
    }


def process_label(root: etree._Element, process: etree._Element) -> str:
    """The process name, else the name of the pool (participant) showing it, else its id."""
    if process.get("name"):
        return " ".join(process.get("name", "").split())
    for participant in root.iter(bpmn("participant")):
        if participant.get("processRef") == process.get("id") and participant.get("name"):
            return " ".join(participant.get("name", "").split())
    return process.get("id", "")


def lanes_by_node(container: etree._Element) -> dict[str, str]:
    """Lane name by flow node id; nested lanes win over the lanes containing them."""
    lanes: dict[str, str] = {}
    # Document order visits a lane before its child lanes, so inner lanes overwrite outer ones.
    for lane in container.iter(bpmn("lane")):
        for ref in lane.findall(bpmn("flowNodeRef")):
            if ref.text:
                lanes[ref.text.strip()] = " ".join((lane.get("name") or "").split())
    return lanes


def lane_of(element: etree._Element, lanes: dict[str, str]) -> str:
    """The lane of a flow node; nodes inside a subprocess are in the subprocess's lane."""
    node: etree._Element | None = element
    while node is not None and local(node) != "process":
        if node.get("id") in lanes:
            return lanes[node.get("id", "")]
        node = node.getparent()
    return ""


def connector_mapping(task: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
    """(inputs, outputs) of a service task's camunda:inputOutput, as text."""
    inputs = {
        param.get("name", ""): text(param) for param in extension(task, "camunda:inputOutput/camunda:inputParameter")
    }
    outputs = {
        param.get("name", ""): text(param) for param in extension(task, "camunda:inputOutput/camunda:outputParameter")
    }
    return inputs, outputs

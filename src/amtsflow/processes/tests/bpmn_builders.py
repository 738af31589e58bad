"""Small BPMN/DMN documents for the engine tests, written the way Camunda Modeler 7 writes them."""

import re

import pytest

from amtsflow.processes.engine.parser import ModelInvalid, parse_model

NAMESPACES = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
_ID = re.compile(r'\sid="([^"]+)"')


def definitions(*processes: str, extra: str = "") -> bytes:
    body = "\n".join(processes)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions {NAMESPACES} id="Defs" '
        f'targetNamespace="http://bpmn.io/schema/bpmn">\n{extra}\n{body}\n</bpmn:definitions>\n'
    ).encode()


def process(*elements: str, pid: str = "Proc", name: str = "Test", executable: str = "true", ext: str = "") -> str:
    extension = f"<bpmn:extensionElements>{ext}</bpmn:extensionElements>" if ext else ""
    body = "\n".join(elements)
    return f'<bpmn:process id="{pid}" name="{name}" isExecutable="{executable}">{extension}\n{body}\n</bpmn:process>'


def flow(fid: str, source: str, target: str, condition: str | None = None, name: str = "") -> str:
    cond = (
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}</bpmn:conditionExpression>'
        if condition is not None
        else ""
    )
    attributes = f'id="{fid}" name="{name}" sourceRef="{source}" targetRef="{target}"'
    return f"<bpmn:sequenceFlow {attributes}>{cond}</bpmn:sequenceFlow>"


def linear(*elements: str, prefix: str = "Flow") -> list[str]:
    """The elements connected in the given order by sequence flows Flow_1, Flow_2, ..."""
    ids = [_ID.search(element).group(1) for element in elements]  # type: ignore[union-attr]
    flows = [flow(f"{prefix}_{n}", a, b) for n, (a, b) in enumerate(zip(ids, ids[1:], strict=False), start=1)]
    return [*elements, *flows]


def simple_model(*middle: str, **process_kwargs: str) -> bytes:
    """start -> middle... -> end in one executable process."""
    start, end = '<bpmn:startEvent id="StartEvent_1"/>', '<bpmn:endEvent id="EndEvent_1"/>'
    return definitions(process(*linear(start, *middle, end), **process_kwargs))


def dmn(
    *,
    decision: str = "entscheidung",
    hit_policy: str = "UNIQUE",
    aggregation: str = "",
    rules: tuple[tuple[str, str], ...] = (('"Parkausweis"', '"genehmigen"'), ("-", '"pruefen"')),
    output: str = "ergebnis",
) -> bytes:
    """A DMN 1.3 decision table with one input (antragsart) and one output, as Camunda Modeler 5 writes it."""
    aggregation_attr = f' aggregation="{aggregation}"' if aggregation else ""
    rule_xml = "".join(
        f'<rule id="Rule_{n}"><inputEntry id="In_{n}"><text>{entry}</text></inputEntry>'
        f'<outputEntry id="Out_{n}"><text>{result}</text></outputEntry></rule>'
        for n, (entry, result) in enumerate(rules, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Defs_dmn" name="Regeln" '
        'namespace="http://camunda.org/schema/1.0/dmn">'
        f'<decision id="{decision}" name="Entscheidung">'
        f'<decisionTable id="Table" hitPolicy="{hit_policy}"{aggregation_attr}>'
        '<input id="Input_1" label="Antragsart"><inputExpression id="Expr_1" typeRef="string">'
        "<text>antragsart</text></inputExpression></input>"
        f'<output id="Output_1" label="Ergebnis" name="{output}" typeRef="string"/>'
        f"{rule_xml}</decisionTable></decision></definitions>"
    ).encode()


# start -> exclusive gateway "Betrag hoch?" -> Low (default) | High (flow to add)
GATEWAY = [
    '<bpmn:startEvent id="StartEvent_1"/>',
    '<bpmn:exclusiveGateway id="Gw" name="Betrag hoch?" default="Flow_low"/>',
    '<bpmn:endEvent id="High"/>',
    '<bpmn:endEvent id="Low"/>',
    flow("Flow_in", "StartEvent_1", "Gw"),
    flow("Flow_low", "Gw", "Low"),
]


def problems_of(bpmn: bytes, dmn_files: tuple = ()) -> list:
    """The problems parse_model refuses the model with (fails the test if it accepts it)."""
    with pytest.raises(ModelInvalid) as caught:
        parse_model(bpmn, dmn_files)
    return caught.value.problems


def messages(problems: list) -> str:
    """Problems as one line, for assertion messages."""
    return " | ".join(f"{p.element_id}: {p.message}" for p in problems)

"""Import of process models: BPMN 2.0 (+ DMN) from Camunda Modeler 7 / bpmn.io, checked and parsed for SpiffWorkflow.

`parse_model` either returns a `ParsedModel` or raises `ModelInvalid` listing every problem with the element
it concerns; no other exception leaves it. Conventions the models follow (the shipped examples do):

- XML is parsed hardened (no DTD, entities or network; at most 5 MB and 200 levels deep); SpiffWorkflow gets
  the parsed tree, never the bytes.
- Exactly one process has isExecutable="true" and is not called by another; other pools stay black boxes.
  Call activities call processes of the same file, which must be executable too (camunda:in/out only as
  variables="all": the called process sees and returns all variables).
- It begins with a plain start event (the platform starts instances; its camunda:formData is the start
  form). Message/signal/timer start events only start event subprocesses; messages and signals only
  directly in the process.
- Exclusive/inclusive gateways: every outgoing flow but the default has a condition. Conditions, timer
  expressions, "=" connector inputs and DMN entries are checked with the platform's expression language
  (`engine.expressions`, which also reads Camunda's `${...}`); scripts with its script checker.
- Service tasks: implementation External, camunda:topic names the connector; camunda:inputOutput input
  parameters are literals or "=expression", output parameters map a process variable (name) to a key of the
  connector's result (text). They become `ConnectorTask`s, which the engine leaves READY for the platform.
- User tasks: camunda:candidateGroups/candidateUsers/assignee/dueDate/followUpDate, the lane, and form fields
  (string, long, boolean, date, enum; property type=file -> "file", multiline=true -> "text"; constraints
  required, readonly, min, max, minlength, maxlength).
- Business rule tasks: camunda:decisionRef names the decision of one of the DMN files (one decision table per
  file; hit policies UNIQUE, FIRST, COLLECT). With camunda:resultVariable the result is shaped by
  camunda:mapDecisionResult as in Camunda; without, the outputs are merged into the data under their names.
- Message events and send/receive tasks are supported; thrown messages leave the instance through
  `workflow.get_events()` (message throw events send their camunda:expression), caught ones are delivered by
  the platform with `workflow.catch(...)`.
- Timers: ISO 8601 dates, durations (P3D) and cycles (R3/PT10M), written plain as Camunda does; they are
  quoted at import because SpiffWorkflow evaluates timer text as an expression.
- Task and manual task pass through. The process's camunda:property "amtsflow:planEntry" is its file plan entry.
- Not supported (refused with the reason): complex gateways, link, compensation and conditional events,
  data stores, listeners, Java delegates and Camunda connectors, scripts in other languages, Camunda 8 models.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .bpmn_xml import PLAN_ENTRY_PROPERTY, bpmn, camunda_properties, flow_nodes, lanes_by_node, local, process_label
from .checks import Selection, check_diagram, check_platform, check_structure, select_processes
from .dmn_checks import check_dmn
from .model_info import ConnectorTaskInfo, FormField, UserTaskInfo
from .problems import ModelInvalid, ModelProblem
from .safe_xml import load_xml
from .specs import ConnectorTask
from .spiff_parser import AmtsflowParser
from .task_checks import check_tasks
from .usertasks import read_form, user_task_info

__all__ = [
    "ConnectorTaskInfo",
    "FormField",
    "ModelInvalid",
    "ModelProblem",
    "ParsedModel",
    "UserTaskInfo",
    "make_workflow",
    "parse_model",
]

logger = logging.getLogger(__name__)

BPMN_FILE = "model.bpmn"


@dataclass
class ParsedModel:
    process_id: str
    name: str
    spec: BpmnProcessSpec
    subprocess_specs: dict[str, BpmnProcessSpec]
    plan_entry: str | None
    user_tasks: dict[str, UserTaskInfo]
    connector_tasks: dict[str, ConnectorTaskInfo]
    dmn_decisions: list[str]
    start_form_fields: list[FormField] = field(default_factory=list)


def parse_model(bpmn: bytes, dmn: Sequence[tuple[str, bytes]] = ()) -> ParsedModel:
    """Check and parse an uploaded model; `dmn` holds (file name, content) of its decision tables."""
    try:
        return _parse(bpmn, dmn)
    except ModelInvalid:
        raise
    except RecursionError:
        raise ModelInvalid(
            [_document_problem(_("The model is too large to be parsed (too many elements in a row)."))]
        ) from None
    except Exception:
        logger.exception("Unexpected error while parsing a process model")
        raise ModelInvalid(
            [_document_problem(_("The model could not be read because of an internal error."))]
        ) from None


def make_workflow(parsed: ParsedModel, script_engine: object | None = None) -> BpmnWorkflow:
    """A new, not yet started workflow of the model (SpiffWorkflow's default script engine if none is given)."""
    return BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=script_engine)


def _parse(bpmn_data: bytes, dmn: Sequence[tuple[str, bytes]]) -> ParsedModel:
    tree = load_xml(bpmn_data, "BPMN")
    root = tree.getroot()
    if root.tag != bpmn("definitions"):
        raise ModelInvalid([_document_problem(_("The file is not a BPMN 2.0 model."))])
    problems: list[ModelProblem] = check_platform(root) + check_diagram(root)
    decisions: dict[str, int] = {}
    dmn_roots: list[tuple[str, etree._Element]] = []
    for name, data in dmn:
        try:
            dmn_root = load_xml(data, name).getroot()
        except ModelInvalid as invalid:
            problems += invalid.problems
            continue
        found, dmn_problems = check_dmn(dmn_root, name)
        problems += dmn_problems
        for decision_id in found:
            if decision_id in decisions:
                problems.append(ModelProblem(decision_id, name, _("Another DMN file has a decision with this id.")))
        decisions.update(found)
        dmn_roots.append((name, dmn_root))
    selection, selection_problems = select_processes(root)
    problems += selection_problems
    if selection is None:
        raise ModelInvalid(problems)
    problems += check_structure(root, selection, AmtsflowParser.supported_elements())
    for process in selection.processes:
        problems += check_tasks(process, decisions)
    user_tasks, start_form, form_problems = _user_tasks(root, selection)
    problems += form_problems
    if problems:
        raise ModelInvalid(problems)

    spec, subprocess_specs = _spiff_specs(tree, dmn_roots, selection)
    main_id = selection.main.get("id", "")
    return ParsedModel(
        process_id=main_id,
        name=process_label(root, selection.main),
        spec=spec,
        subprocess_specs=subprocess_specs,
        plan_entry=camunda_properties(selection.main).get(PLAN_ENTRY_PROPERTY) or None,
        user_tasks=user_tasks,
        connector_tasks=_connector_tasks([spec, *subprocess_specs.values()]),
        dmn_decisions=list(decisions),
        start_form_fields=start_form,
    )


def _spiff_specs(
    tree: etree._ElementTree, dmn_roots: list[tuple[str, etree._Element]], selection: Selection
) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
    """Let SpiffWorkflow build the specs; what it still refuses is reported with the element it names."""
    main_id = selection.main.get("id", "")
    parser = AmtsflowParser()
    try:
        parser.add_bpmn_xml(tree, filename=BPMN_FILE)
        for name, dmn_root in dmn_roots:
            parser.add_dmn_xml(dmn_root, filename=name)
        for dmn_parser in parser.dmn_parsers.values():
            dmn_parser.parse()
        spec = parser.get_spec(main_id)
        subprocess_specs = parser.get_subprocess_specs(main_id)
        BpmnWorkflow(spec, subprocess_specs)  # proves the specs fit together before anything is stored
    except SpiffWorkflowException as exc:
        raise ModelInvalid([_spiff_problem(exc, selection)]) from None
    return spec, subprocess_specs


def _spiff_problem(exc: SpiffWorkflowException, selection: Selection) -> ModelProblem:
    """The element SpiffWorkflow names (ValidationException carries id and name), else the process."""
    reason = str(exc.args[0]) if exc.args else type(exc).__name__
    if "RecursionError" in reason:
        return _document_problem(_("The model is too large to be parsed (too many elements in a row)."))
    element_id, name = getattr(exc, "id", "") or "", getattr(exc, "name", "") or ""
    if not element_id and not name:
        element_id, name = selection.main.get("id", ""), selection.main.get("name", "")
    return ModelProblem(
        element_id=element_id,
        element_name=" ".join(name.split()),
        message=_("SpiffWorkflow cannot execute this element: %(reason)s") % {"reason": reason},
    )


def _user_tasks(
    root: etree._Element, selection: Selection
) -> tuple[dict[str, UserTaskInfo], list[FormField], list[ModelProblem]]:
    lanes = lanes_by_node(root)
    user_tasks: dict[str, UserTaskInfo] = {}
    problems: list[ModelProblem] = []
    for process in selection.processes:
        for node in flow_nodes(process):
            if local(node) == "userTask":
                fields, form_problems = read_form(node)
                problems += form_problems
                user_tasks[node.get("id", "")] = user_task_info(node, lanes, fields)
    problems += _check_separation(user_tasks)
    start_form: list[FormField] = []
    for start in selection.main.findall(bpmn("startEvent")):
        fields, form_problems = read_form(start)
        problems += form_problems
        start_form += fields
    return user_tasks, start_form, problems


def _check_separation(user_tasks: dict[str, UserTaskInfo]) -> list[ModelProblem]:
    """amtsflow:notCompletedBy must name other user tasks of the model."""
    return [
        ModelProblem(
            info.element_id,
            info.name,
            _("amtsflow:notCompletedBy names %(task)s, which is no other user task of this model.") % {"task": other},
        )
        for info in user_tasks.values()
        for other in info.not_completed_by
        if other not in user_tasks or other == info.element_id
    ]


def _connector_tasks(specs: list[BpmnProcessSpec]) -> dict[str, ConnectorTaskInfo]:
    return {
        task_spec.bpmn_id: ConnectorTaskInfo(
            element_id=task_spec.bpmn_id,
            name=task_spec.bpmn_name or "",
            connector=task_spec.connector,
            inputs=dict(task_spec.connector_inputs),
            outputs=dict(task_spec.connector_outputs),
        )
        for spec in specs
        for task_spec in spec.task_specs.values()
        if isinstance(task_spec, ConnectorTask)
    }


def _document_problem(message: str) -> ModelProblem:
    return ModelProblem(element_id="", element_name="BPMN", message=message)

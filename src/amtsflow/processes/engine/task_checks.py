"""Import rules for what runs inside elements: connectors, scripts, decisions, conditions, timers, listeners.

Camunda 7 attributes SpiffWorkflow would ignore (Java delegates, listeners, variable mappings) are refused
rather than dropped, so an accepted model never behaves differently from what its diagram promises.
"""

import ast
import re
from collections.abc import Callable
from datetime import datetime

from django.utils.translation import gettext as _
from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from .bpmn_xml import bpmn, camunda, connector_mapping, extension, flow_nodes, local, sequence_flows, text
from .expression_check import expression_error, script_error
from .problems import ModelProblem, problem_at
from .specs import EXPRESSION_PREFIX

DECISION_RESULT_MAPPINGS = ("singleEntry", "singleResult", "collectEntries", "resultList")
_JAVA_ATTRIBUTES = ("class", "expression", "delegateExpression")
_PYTHON = {"", "python"}
# What Camunda Modeler users write as plain text; anything else is an expression (e.g. a variable holding a date).
_DURATION = re.compile(r"^P(\d|T\d)[0-9YMWDTHS.,]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_CYCLE = re.compile(r"^R\d*/")
_CRON = re.compile(r"^\S+(\s+\S+){4,6}$")


def check_tasks(process: etree._Element, decisions: dict[str, int]) -> list[ModelProblem]:
    """`decisions`: the decision ids of the uploaded DMN files with their number of output columns."""
    problems = _check_listeners(process)
    for node in flow_nodes(process):
        kind = local(node)
        problems += _check_listeners(node)
        if extension(node, "camunda:inputOutput") and kind != "serviceTask":
            problems.append(problem_at(node, _("Input/output mappings are only supported on service tasks.")))
        checker = _CHECKS.get(kind)
        if checker is not None:
            problems += checker(node, decisions)
        for definition in node.findall(bpmn("timerEventDefinition")):
            problems += normalise_timer(node, definition)
    for flow in sequence_flows(process):
        problems += _check_condition(flow)
    return problems


def normalise_timer(event: etree._Element, definition: etree._Element) -> list[ModelProblem]:
    """Check a timer and quote plain ISO 8601 text, which Camunda writes and SpiffWorkflow would evaluate."""
    timers = [child for child in definition if local(child) in {"timeDate", "timeDuration", "timeCycle"}]
    if len(timers) != 1 or not text(timers[0]):
        return [problem_at(event, _("The timer needs exactly one date, duration or cycle."))]
    timer, value = timers[0], text(timers[0])
    literal = _string_literal(value)
    if literal is None and (_DURATION.match(value) or _DATE.match(value) or _CYCLE.match(value)):
        literal = value
        timer.text = repr(value)
    if literal is not None:
        if not _valid_timer(local(timer), literal):
            return [problem_at(event, _("%(value)s is not a valid ISO 8601 timer value.") % {"value": literal})]
        return []
    if _CRON.match(value):
        return [problem_at(event, _("Cron timers are not supported; use an ISO 8601 cycle such as R3/PT10M."))]
    error = expression_error(value)
    return [problem_at(event, _("Timer: %(error)s") % {"error": error})] if error else []


def _valid_timer(kind: str, value: str) -> bool:
    try:
        if kind == "timeDuration":
            TimerEventDefinition.parse_iso_duration(value)
        elif kind == "timeCycle":
            TimerEventDefinition.parse_iso_recurring_interval(value)
        elif not isinstance(TimerEventDefinition.parse_time_or_duration(value), datetime):
            return False
    except Exception:  # noqa: BLE001 - SpiffWorkflow raises bare Exception, ValueError or AttributeError here
        return False
    return True


def _string_literal(value: str) -> str | None:
    if len(value) < 2 or value[0] not in "'\"" or value[-1] != value[0]:
        return None
    try:
        literal = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return None
    return literal if isinstance(literal, str) else None


def _check_listeners(element: etree._Element) -> list[ModelProblem]:
    if extension(element, "camunda:executionListener") or extension(element, "camunda:taskListener"):
        return [problem_at(element, _("Execution and task listeners are not supported."))]
    return []


def _check_condition(flow: etree._Element) -> list[ModelProblem]:
    expression = flow.find(bpmn("conditionExpression"))
    if expression is None or not text(expression):
        return []
    language = (expression.get("language") or "").strip()
    if language.lower() not in _PYTHON or expression.get(camunda("resource")):
        message = _("Conditions in the language %(language)s are not supported; write an expression without language.")
        return [problem_at(flow, message % {"language": language or "-"})]
    error = expression_error(text(expression))
    return [problem_at(flow, _("Condition: %(error)s") % {"error": error})] if error else []


def _check_service_task(node: etree._Element, decisions: dict[str, int]) -> list[ModelProblem]:
    if any(node.get(camunda(attribute)) for attribute in _JAVA_ATTRIBUTES) or extension(node, "camunda:connector"):
        return [
            problem_at(
                node,
                _("Java delegates and Camunda connectors are not supported; use the implementation External."),
            )
        ]
    topic = (node.get(camunda("topic")) or "").strip()
    if node.get(camunda("type"), "external") != "external" or not topic:
        return [
            problem_at(node, _("This service task names no connector: set the implementation External with a topic."))
        ]
    problems = []
    for param in extension(node, "camunda:inputOutput/*"):
        name = param.get("name", "")
        if len(param):
            problems.append(
                problem_at(
                    node,
                    _("Parameter %(name)s: only text values are supported (no scripts, lists or maps).")
                    % {"name": name},
                )
            )
    inputs, outputs = connector_mapping(node)
    for name, value in inputs.items():
        if not name:
            problems.append(problem_at(node, _("An input parameter has no name.")))
        elif value.startswith(EXPRESSION_PREFIX):
            error = expression_error(value[len(EXPRESSION_PREFIX) :]) if value[1:].strip() else _("empty expression.")
            if error:
                problems.append(problem_at(node, _("Input %(name)s: %(error)s") % {"name": name, "error": error}))
        elif re.match(r"^\s*[$#]\{", value):
            problems.append(
                problem_at(node, _("Input %(name)s: write expressions as =expression, not ${…}.") % {"name": name})
            )
    for name, key in outputs.items():
        if not name.isidentifier() or not key:
            problems.append(
                problem_at(
                    node,
                    _("Output %(name)s: the name must be a variable name, the value a key of the result.")
                    % {"name": name},
                )
            )
    return problems


def _check_script_task(node: etree._Element, decisions: dict[str, int]) -> list[ModelProblem]:
    language = (node.get("scriptFormat") or "").strip().lower()
    if language not in _PYTHON:
        return [problem_at(node, _("Scripts in %(language)s are not supported.") % {"language": language})]
    if node.get(camunda("resource")) or node.get(camunda("resultVariable")):
        return [problem_at(node, _("External script resources and result variables are not supported."))]
    source = text(node.find(bpmn("script")))
    if not source:
        return [problem_at(node, _("The script task has no script."))]
    error = script_error(source)
    return [problem_at(node, _("Script: %(error)s") % {"error": error})] if error else []


def _check_business_rule_task(node: etree._Element, decisions: dict[str, int]) -> list[ModelProblem]:
    ref = (node.get(camunda("decisionRef")) or "").strip()
    if not ref:
        return [problem_at(node, _("This business rule task names no decision (camunda:decisionRef)."))]
    if ref not in decisions:
        return [problem_at(node, _("The decision %(decision)s is in none of the DMN files.") % {"decision": ref})]
    mapping = node.get(camunda("mapDecisionResult")) or "resultList"
    if mapping not in DECISION_RESULT_MAPPINGS:
        return [problem_at(node, _("The result mapping %(mapping)s is not supported.") % {"mapping": mapping})]
    if node.get(camunda("resultVariable")) and mapping in {"singleEntry", "collectEntries"} and decisions[ref] != 1:
        return [
            problem_at(
                node, _("The result mapping %(mapping)s needs a decision with one output.") % {"mapping": mapping}
            )
        ]
    return []


def _check_message_task(node: etree._Element, decisions: dict[str, int]) -> list[ModelProblem]:
    if node.get(camunda("type")) or any(node.get(camunda(attribute)) for attribute in _JAVA_ATTRIBUTES):
        return [
            problem_at(node, _("Send and receive tasks exchange messages only; use a service task for a connector."))
        ]
    if not node.get("messageRef") and node.find(bpmn("messageEventDefinition")) is None:
        return [problem_at(node, _("This task names no message (messageRef)."))]
    return []


def _check_message_throw(node: etree._Element, decisions: dict[str, int]) -> list[ModelProblem]:
    # SpiffWorkflow's Camunda parser sends the value of camunda:expression as the message; without one the
    # event fails when it is reached.
    problems = []
    for definition in node.findall(bpmn("messageEventDefinition")):
        payload = (definition.get(camunda("expression")) or "").strip()
        error = expression_error(payload) if payload else _("the message needs its content as camunda:expression.")
        if error:
            problems.append(problem_at(node, _("Message: %(error)s") % {"error": error}))
    return problems


def _check_call_activity(node: etree._Element, decisions: dict[str, int]) -> list[ModelProblem]:
    # The engine hands all variables to the called process and back, which is exactly variables="all".
    mappings = extension(node, "camunda:in") + extension(node, "camunda:out")
    if any(m.get("variables") != "all" or m.get("source") or m.get("target") for m in mappings):
        return [problem_at(node, _("Variable mappings are not supported; the called process sees all variables."))]
    return []


_CHECKS: dict[str, Callable[[etree._Element, dict[str, int]], list[ModelProblem]]] = {
    "serviceTask": _check_service_task,
    "scriptTask": _check_script_task,
    "businessRuleTask": _check_business_rule_task,
    "sendTask": _check_message_task,
    "receiveTask": _check_message_task,
    "callActivity": _check_call_activity,
    "intermediateThrowEvent": _check_message_throw,
    "endEvent": _check_message_throw,
}

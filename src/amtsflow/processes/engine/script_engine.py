"""SpiffWorkflow 3.2 wired to the safe evaluator: gateway conditions, script tasks and DMN decisions are evaluated by
`amtsflow.processes.engine.expressions`, never by Python's eval/exec (Spiff's default `TaskDataEnvironment`).

DMN input entries are FEEL-style unary tests (`> 5000`, `"Straße"`, `[1..5]`, comma lists, `not(...)`, `-`), read by
`expressions.unary_tests` on both paths:
- `SafeDMNEngine` (via `SafeDmnParserMixin` or `install_safe_dmn()`) evaluates each entry itself, inputs once per
  decision, and refuses hit policies Spiff would silently treat as FIRST.
- Spiff's plain `DMNEngine`, which the stock parser and serializer create, glues each entry to its input expression
  as Python text, `(input) == (entry)`. `SafeScriptEngine.validate` accepts every valid entry, so that glued form is
  the only one built, and `SafeScriptEngine.evaluate` recognises it by exact lookup in the task's decision table and
  evaluates the entry as unary tests. Anything else is evaluated as an ordinary expression (and a FEEL form there
  fails as a syntax error, never silently).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.specs.model import DecisionTable, Input, Rule
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task

from amtsflow.processes.engine.expressions import (
    DMN_INPUT_NAME,
    ExpressionError,
    evaluate,
    run_script,
    unary_tests,
    validate_expression,
    validate_unary_tests,
)

# Spiff parses any hitPolicy; its engine only distinguishes UNIQUE (first match, no uniqueness check) and COLLECT.
SUPPORTED_HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")


class SafeEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates and executes with the safe evaluator. `environment_globals` are extra read-only values."""

    def _extra(self, external_context: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        # Spiff's precedence: globals < external context < task data.
        if not self.globals:
            return external_context or None
        return {**self.globals, **(external_context or {})}

    def evaluate(
        self, expression: str, context: dict[str, Any], external_context: Mapping[str, Any] | None = None
    ) -> Any:
        return evaluate(expression, context, extra=self._extra(external_context))

    def execute(self, script: str, context: dict[str, Any], external_context: Mapping[str, Any] | None = None) -> bool:
        # Like TaskDataEnvironment, the task data is updated in place; here only once the whole script succeeded.
        context.update(run_script(script, context, extra=self._extra(external_context)))
        return True

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> Any:
        raise ExpressionError(gettext("Service calls are not available to process scripts."), "")


class SafeScriptEngine(PythonScriptEngine):
    """PythonScriptEngine on the safe evaluator; its errors carry the evaluator's message, and the text Spiff's plain
    DMNEngine glues together is evaluated as DMN unary tests."""

    def __init__(self, environment: BasePythonScriptEngineEnvironment | None = None) -> None:
        super().__init__(environment=environment or SafeEnvironment())

    def validate(self, expression: str) -> None:
        # Only Spiff's plain DMNEngine calls this, to choose between `(input) == (entry)` and `input + entry`.
        # Accepting every valid entry (a superset of expressions) makes it always choose the first.
        validate_unary_tests(expression)

    def evaluate(self, task: Task, expression: str, external_context: Mapping[str, Any] | None = None) -> Any:
        glued = _glued_dmn_test(task, expression) if external_context is None else None
        if glued is not None:
            input_expression, entry = glued
            return _unary_tests_match(task, entry, lambda: self.evaluate(task, input_expression))
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except SpiffWorkflowException as error:
            error.add_note(gettext("Error evaluating expression %(expression)s") % {"expression": expression})
            raise
        except ExpressionError as error:
            raise WorkflowTaskException(
                gettext("Error in expression %(expression)s: %(message)s")
                % {"expression": expression, "message": error.message},
                task=task,
                exception=error,
            ) from error

    def execute(self, task: Task, script: str, external_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return self.environment.execute(script, task.data, external_context or {})
        except SpiffWorkflowException:
            raise
        except ExpressionError as error:
            lines = (script or "").splitlines()
            error_line = lines[error.line - 1] if error.line and error.line <= len(lines) else ""
            raise WorkflowTaskException(
                gettext("Error in script: %(message)s") % {"message": error.message},
                task=task,
                exception=error,
                line_number=error.line,
                error_line=error_line,
            ) from error

    def call_service(self, task: Task, **kwargs: Any) -> Any:
        raise WorkflowTaskException(gettext("Service calls are not available to process scripts."), task=task)


def make_script_engine() -> PythonScriptEngine:
    """The script engine every Amtsflow workflow runs with."""
    return SafeScriptEngine()


# --- DMN --------------------------------------------------------------------------------------------------------------


def _dmn_error(task: Task, error: ExpressionError) -> WorkflowTaskException:
    return WorkflowTaskException(
        gettext("Error in DMN entry %(entry)s: %(message)s") % {"entry": error.expression, "message": error.message},
        task=task,
        exception=error,
    )


def _unary_tests_match(task: Task, entry: str | None, value: Any) -> bool:
    """Whether the input passes the entry's unary tests; `value` is a callable, so `-` needs no input at all."""
    try:
        tests = unary_tests(entry)
    except ExpressionError as error:
        raise _dmn_error(task, error) from error
    if tests is None:
        return True
    engine = task.workflow.script_engine
    context = {DMN_INPUT_NAME: value()}
    return tests.matches(lambda expression: engine.evaluate(task, expression, external_context=context))


# Per decision table: the exact texts Spiff's plain DMNEngine builds -> (input expression, entry).
_GLUED: weakref.WeakKeyDictionary[DecisionTable, dict[str, tuple[str, str]]] = weakref.WeakKeyDictionary()


def _glued_dmn_test(task: Task, expression: str) -> tuple[str, str] | None:
    engine = getattr(task.task_spec, "dmnEngine", None)
    if not isinstance(engine, DMNEngine) or isinstance(engine, SafeDMNEngine):
        return None
    table = engine.decision_table
    glued = _GLUED.get(table)
    if glued is None:
        glued = {
            f"({entry.input.expression}) == ({test})": (entry.input.expression, test)
            for rule in table.rules
            for entry in rule.inputEntries
            if entry.input is not None and entry.input.expression
            for test in entry.lhs
            if test is not None
        }
        _GLUED[table] = glued
    return glued.get(expression)


class SafeDMNEngine(DMNEngine):
    """Spiff's DMNEngine with input entries read as FEEL-style unary tests by the safe evaluator.

    Inputs are evaluated once per decision (Spiff evaluates them per rule); UNIQUE and FIRST return the first
    matching rule, COLLECT all (Spiff's `result()` builds the outputs); other hit policies are refused."""

    def decide(self, task: Task) -> list[Rule]:
        policy = self.decision_table.hit_policy
        if policy not in SUPPORTED_HIT_POLICIES:
            raise WorkflowTaskException(
                gettext("DMN hit policy not supported: %(policy)s") % {"policy": policy}, task=task
            )
        inputs: dict[str, Any] = {}
        matched: list[Rule] = []
        for rule in self.decision_table.rules:
            if self._matches(rule, task, inputs):
                matched.append(rule)
                if policy != "COLLECT":
                    break
        return matched

    def evaluate(self, input_expr: str, match_expr: str | None, task: Task) -> bool:
        """Spiff's signature: does the value of `input_expr` pass the unary tests in `match_expr`?"""
        return _unary_tests_match(task, match_expr, lambda: task.workflow.script_engine.evaluate(task, input_expr))

    def _matches(self, rule: Rule, task: Task, inputs: dict[str, Any]) -> bool:
        for entry in rule.inputEntries:
            for test in entry.lhs:
                try:
                    if not _unary_tests_match(task, test, lambda e=entry: self._input_value(e.input, task, inputs)):
                        return False
                except SpiffWorkflowException as error:
                    error.add_note(gettext("Rule failed on row %(row)d") % {"row": rule.row_number})
                    raise
        return True

    @staticmethod
    def _input_value(dmn_input: Input, task: Task, inputs: dict[str, Any]) -> Any:
        if dmn_input.id not in inputs:
            if dmn_input.expression:
                inputs[dmn_input.id] = task.workflow.script_engine.evaluate(task, dmn_input.expression)
            elif dmn_input.label in task.data:  # Spiff's fallback for tables without input expressions
                inputs[dmn_input.id] = task.data[dmn_input.label]
            else:
                raise WorkflowTaskException(
                    gettext("DMN input %(label)s has no expression.") % {"label": dmn_input.label}, task=task
                )
        return inputs[dmn_input.id]


class SafeDmnParserMixin:
    """Mix into a `BpmnDmnParser` subclass (before `CamundaParser`) so business rule tasks get a SafeDMNEngine."""

    def get_engine(self, decision_ref: str, node: Any) -> SafeDMNEngine:
        engine = super().get_engine(decision_ref, node)  # type: ignore[misc]
        return SafeDMNEngine(engine.decision_table)


def install_safe_dmn(target: BpmnWorkflow | BpmnProcessSpec | Iterable[BpmnProcessSpec]) -> int:
    """Replace the plain DMNEngines of business rule tasks with SafeDMNEngines, in place; returns how many.

    For specs from a parser without the mixin, and for workflows restored by the serializer (it rebuilds plain
    DMNEngines). Idempotent."""
    if isinstance(target, BpmnWorkflow):
        specs: Iterable[BpmnProcessSpec] = [target.spec, *target.subprocess_specs.values()]
    elif isinstance(target, BpmnProcessSpec):
        specs = [target]
    else:
        specs = target
    replaced = 0
    for spec in specs:
        for task_spec in spec.task_specs.values():
            engine = getattr(task_spec, "dmnEngine", None)
            if isinstance(engine, DMNEngine) and not isinstance(engine, SafeDMNEngine):
                task_spec.dmnEngine = SafeDMNEngine(engine.decision_table)
                replaced += 1
    return replaced


def validate_decision_table(table: DecisionTable) -> None:
    """Check every expression of a parsed decision table without evaluating it (for import-time checks)."""
    if table.hit_policy not in SUPPORTED_HIT_POLICIES:
        raise ExpressionError(gettext("DMN hit policy not supported: %(policy)s") % {"policy": table.hit_policy})
    for dmn_input in table.inputs:
        if dmn_input.expression:
            validate_expression(dmn_input.expression)
    for rule in table.rules:
        try:
            for input_entry in rule.inputEntries:
                for test in input_entry.lhs:
                    validate_unary_tests(test)
            for output_entry in rule.outputEntries:
                if output_entry.text:
                    validate_expression(output_entry.text)
        except ExpressionError as error:
            raise ExpressionError(
                gettext("DMN rule %(row)d: %(message)s") % {"row": rule.row_number, "message": error.message},
                error.expression,
            ) from error

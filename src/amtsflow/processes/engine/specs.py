"""Task specs Amtsflow adds to SpiffWorkflow's BPMN specs."""

from collections.abc import Mapping
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.mixins.bpmn_spec_mixin import BpmnSpecMixin
from SpiffWorkflow.camunda.specs.business_rule_task import BusinessRuleTask
from SpiffWorkflow.dmn.specs.model import HitPolicy
from SpiffWorkflow.task import Task

EXPRESSION_PREFIX = "="


class ConnectorTask(BpmnSpecMixin):
    """A service task the platform runs through a connector (`camunda:topic`), outside the engine.

    `manual` makes `BpmnWorkflow.do_engine_steps()` leave the task READY: the platform evaluates the inputs,
    calls the connector (with retries and incidents), stores the result with `apply_result` and then calls
    `task.run()`, which only completes it.

    `connector_inputs` maps connector parameter -> literal, or expression when it starts with "=";
    `connector_outputs` maps process variable -> key of the connector's result. (Not `inputs`/`outputs`:
    those are SpiffWorkflow's links to the neighbouring task specs.)
    """

    def __init__(
        self,
        wf_spec: Any,
        bpmn_id: str,
        connector: str,
        connector_inputs: Mapping[str, str] | None = None,
        connector_outputs: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.connector = connector
        self.connector_inputs = dict(connector_inputs or {})
        self.connector_outputs = dict(connector_outputs or {})
        self.manual = True

    def evaluate_inputs(self, my_task: Task) -> dict[str, Any]:
        """The connector's parameters: expressions evaluated by the workflow's script engine against the task data."""
        engine = my_task.workflow.script_engine
        return {
            name: engine.evaluate(my_task, value[len(EXPRESSION_PREFIX) :])
            if value.startswith(EXPRESSION_PREFIX)
            else value
            for name, value in self.connector_inputs.items()
        }

    def apply_result(self, my_task: Task, result: Mapping[str, Any]) -> None:
        """Copy the mapped keys of the connector's result into the task data (KeyError if the result lacks one)."""
        for variable, key in self.connector_outputs.items():
            my_task.data[variable] = result[key]


class PassThroughTask(BpmnSpecMixin):
    """bpmn:task and bpmn:manualTask: completed by the engine at once, as Camunda 7 does.

    SpiffWorkflow makes them manual, which would leave an instance waiting for an action nobody is asked for.
    """


class DecisionTask(BusinessRuleTask):
    """A business rule task with Camunda's camunda:resultVariable and camunda:mapDecisionResult.

    Without a result variable the outputs are merged into the data under their names (SpiffWorkflow's rule);
    with one, the variable receives the result shaped as Camunda does.
    """

    def __init__(
        self,
        wf_spec: Any,
        bpmn_id: str,
        dmnEngine: Any,  # noqa: N803 - SpiffWorkflow's keyword
        result_variable: str | None = None,
        map_result: str = "resultList",
        **kwargs: Any,
    ) -> None:
        super().__init__(wf_spec, bpmn_id, dmnEngine=dmnEngine, **kwargs)
        self.result_variable = result_variable
        self.map_result = map_result

    def _run_hook(self, my_task: Task) -> bool:
        if not self.result_variable:
            return super()._run_hook(my_task)
        rows = [rule.output_as_dict(my_task) for rule in self.dmnEngine.decide(my_task)]
        if self.dmnEngine.decision_table.hit_policy != HitPolicy.COLLECT.value:
            rows = rows[:1]  # FIRST: decide() returns every match in rule order
        my_task.data[self.result_variable] = self._shape(my_task, rows)
        return True

    def _shape(self, my_task: Task, rows: list[dict[str, Any]]) -> Any:
        if self.map_result == "resultList":
            return rows
        if self.map_result == "collectEntries":
            return [next(iter(row.values()), None) for row in rows]
        if len(rows) > 1:
            raise WorkflowTaskException(f"The decision matched {len(rows)} rules, expected at most one", task=my_task)
        row = rows[0] if rows else None
        if self.map_result == "singleResult" or row is None:
            return row
        return next(iter(row.values()), None)  # singleEntry

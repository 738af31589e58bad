"""Workflow state as JSON text: SpiffWorkflow's serializer with the Camunda specs plus Amtsflow's own.

The JSON holds the specs as well as the task tree, so a workflow is restored without the model. Task data may
hold dates and decimals (form input) besides what SpiffWorkflow handles itself (datetime, timedelta, UUID).
"""

from copy import deepcopy
from datetime import date
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter
from SpiffWorkflow.bpmn.serializer.helpers.registry import DefaultRegistry
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.dmn.serializer.task_spec import BaseBusinessRuleTaskConverter

from .specs import ConnectorTask, DecisionTask, PassThroughTask


class ConnectorTaskConverter(BpmnTaskSpecConverter):
    def to_dict(self, spec: ConnectorTask) -> dict[str, Any]:
        dct = self.get_default_attributes(spec)
        dct.update(
            connector=spec.connector,
            connector_inputs=dict(spec.connector_inputs),
            connector_outputs=dict(spec.connector_outputs),
        )
        return dct


class DecisionTaskConverter(BaseBusinessRuleTaskConverter):
    def to_dict(self, spec: DecisionTask) -> dict[str, Any]:
        dct = super().to_dict(spec)
        dct.update(result_variable=spec.result_variable, map_result=spec.map_result)
        return dct


CONFIG = deepcopy(CAMUNDA_CONFIG)
CONFIG.update(
    {
        ConnectorTask: ConnectorTaskConverter,
        DecisionTask: DecisionTaskConverter,
        PassThroughTask: BpmnTaskSpecConverter,
    }
)


def _serializer() -> BpmnWorkflowSerializer:
    # A fresh one per call: the registry flips an encoder flag while it serializes, so sharing it between
    # threads could mix up two serializations.
    registry = DefaultRegistry()
    registry.register(date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"]))
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(CONFIG, registry))


def workflow_to_json(workflow: BpmnWorkflow) -> str:
    return _serializer().serialize_json(workflow)


def workflow_from_json(text: str, script_engine: Any | None = None) -> BpmnWorkflow:
    """The restored workflow; `script_engine` replaces SpiffWorkflow's default, which is not serialized."""
    workflow = _serializer().deserialize_json(text)
    if script_engine is not None:
        workflow.script_engine = script_engine
    return workflow

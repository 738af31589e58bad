"""SpiffWorkflow's Camunda parser with Amtsflow's task specs plugged in.

Overrides, each because the stock behaviour does not fit uploaded models:
- serviceTask -> ConnectorTask (topic, inputs, outputs), run by the platform instead of the script engine;
- task/manualTask -> PassThroughTask (Camunda 7 passes through them; Spiff would wait for someone);
- businessRuleTask -> DecisionTask (result variable); a missing decisionRef is reported by the import
  rules instead of a KeyError while Spiff indexes dependencies of every pool;
- data stores are not registered: Spiff refuses every file that declares one, even in a pool that does not
  run; the import rules refuse data stores used by the executable process instead;
- DMN namespaces: Spiff only finds the DMN elements under the default namespace or the prefix "dmn".
"""

from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.task_spec import BusinessRuleTaskParser, CamundaTaskParser
from SpiffWorkflow.dmn.parser.DMNParser import DMNParser

from .bpmn_xml import camunda, connector_mapping
from .specs import ConnectorTask, DecisionTask, PassThroughTask


class ConnectorTaskParser(CamundaTaskParser):
    def create_task(self) -> ConnectorTask:
        topic = (self.node.get(camunda("topic")) or "").strip()
        if not topic:
            self.raise_validation_exception("Service task without camunda:topic")
        inputs, outputs = connector_mapping(self.node)
        return ConnectorTask(
            self.spec,
            self.bpmn_id,
            connector=topic,
            connector_inputs=inputs,
            connector_outputs=outputs,
            **self.bpmn_attributes,
        )


class DecisionTaskParser(BusinessRuleTaskParser):
    @staticmethod
    def get_decision_ref(node: etree._Element) -> str:
        return (node.get(camunda("decisionRef")) or "").strip()

    def create_task(self) -> DecisionTask:
        decision_ref = self.get_decision_ref(self.node)
        return DecisionTask(
            self.spec,
            self.bpmn_id,
            dmnEngine=self.process_parser.parser.get_engine(decision_ref, self.node),
            result_variable=(self.node.get(camunda("resultVariable")) or "").strip() or None,
            map_result=self.node.get(camunda("mapDecisionResult")) or "resultList",
            **self.bpmn_attributes,
        )


class AmtsflowParser(CamundaParser):
    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("serviceTask"): (ConnectorTaskParser, ConnectorTask),
        full_tag("task"): (CamundaTaskParser, PassThroughTask),
        full_tag("manualTask"): (CamundaTaskParser, PassThroughTask),
        full_tag("businessRuleTask"): (DecisionTaskParser, DecisionTask),
    }

    @classmethod
    def supported_elements(cls) -> frozenset[str]:
        """Local names of the BPMN elements this parser builds task specs for."""
        return frozenset(etree.QName(tag).localname for tag in {*cls.PARSER_CLASSES, *cls.OVERRIDE_PARSER_CLASSES})

    def _add_data_stores(self, bpmn: Any) -> None:
        pass

    def add_dmn_xml(self, node: etree._Element, filename: str | None = None) -> None:
        namespaces = {**self.namespaces, "dmn": etree.QName(node).namespace}
        dmn_parser = DMNParser(self, node, namespaces, filename=filename)
        self.dmn_parsers[dmn_parser.bpmn_id] = dmn_parser
        self.dmn_parsers_by_name[dmn_parser.get_name()] = dmn_parser

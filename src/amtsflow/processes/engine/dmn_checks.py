"""Import rules for DMN files, matched to what SpiffWorkflow's DMN engine evaluates.

SpiffWorkflow reads one decision table per file (the first decision; a second one is an error) and knows
the hit policies UNIQUE and COLLECT. FIRST is accepted too: the engine's result is the first matching rule,
which is exactly FIRST. Everything else (ANY, PRIORITY, OUTPUT ORDER, RULE ORDER, COLLECT with an
aggregation) would silently return the first match instead, so it is refused. The engine does not check that
UNIQUE tables have one match. Entries are checked by the platform's expression language.
"""

from django.utils.translation import gettext as _
from lxml import etree
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS

from .expression_check import expression_error, unary_tests_error
from .problems import ModelProblem, problem_at

DMN_NAMESPACES = frozenset(SCHEMAS)
HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")


def check_dmn(root: etree._Element, label: str) -> tuple[dict[str, int], list[ModelProblem]]:
    """The file's decisions (id -> number of outputs) and its problems; `label` names the file."""
    qname = etree.QName(root)
    if qname.namespace not in DMN_NAMESPACES or qname.localname != "definitions":
        return {}, [_file_problem(label, _("%(file)s is not a DMN 1.1, 1.2 or 1.3 file.") % {"file": label})]
    ns = {"dmn": qname.namespace}
    decisions = root.findall("dmn:decision", ns)
    if len(decisions) != 1:
        message = _("%(file)s must contain exactly one decision; it has %(count)d.")
        return {}, [_file_problem(label, message % {"file": label, "count": len(decisions)})]
    decision = decisions[0]
    table = decision.find("dmn:decisionTable", ns)
    if table is None:
        return {}, [problem_at(decision, _("The decision logic must be a decision table."))]
    problems = _check_hit_policy(decision, table)
    inputs, outputs = table.findall("dmn:input", ns), table.findall("dmn:output", ns)
    if not outputs:
        problems.append(problem_at(decision, _("The decision table has no output.")))
    for column in inputs:
        expression = (column.findtext("dmn:inputExpression/dmn:text", "", ns) or "").strip()
        name = column.get("label") or column.get("id", "")
        error = _("it has no expression.") if not expression else expression_error(expression)
        if error:
            problems.append(problem_at(decision, _("Input %(input)s: %(error)s") % {"input": name, "error": error}))
    for column in outputs:
        if not (column.get("name") or column.get("label")):
            problems.append(problem_at(decision, _("An output column has neither a name nor a label.")))
    for number, rule in enumerate(table.findall("dmn:rule", ns), start=1):
        problems += _check_rule(decision, rule, number, ns, len(inputs), len(outputs))
    return {decision.get("id", ""): len(outputs)}, problems


def _check_hit_policy(decision: etree._Element, table: etree._Element) -> list[ModelProblem]:
    policy = (table.get("hitPolicy") or "UNIQUE").upper()
    if table.get("aggregation"):
        policy = f"{policy} {table.get('aggregation', '').upper()}"
    if policy in HIT_POLICIES:
        return []
    return [
        problem_at(
            decision,
            _("The hit policy %(policy)s is not supported; use one of %(supported)s.")
            % {"policy": policy, "supported": ", ".join(HIT_POLICIES)},
        )
    ]


def _check_rule(
    decision: etree._Element, rule: etree._Element, number: int, ns: dict[str, str], inputs: int, outputs: int
) -> list[ModelProblem]:
    in_entries, out_entries = rule.findall("dmn:inputEntry", ns), rule.findall("dmn:outputEntry", ns)
    name = decision.get("name") or decision.get("id", "")
    if len(in_entries) != inputs or len(out_entries) != outputs:
        message = _("Decision %(decision)s, rule %(rule)d: the number of entries does not match the columns.")
        return [problem_at(rule, message % {"decision": name, "rule": number})]
    problems = []
    for entry in in_entries:
        error = unary_tests_error((entry.findtext("dmn:text", "", ns) or "").strip())
        if error:
            message = _("Decision %(decision)s, rule %(rule)d: %(error)s")
            problems.append(problem_at(rule, message % {"decision": name, "rule": number, "error": error}))
    for entry in out_entries:
        source = (entry.findtext("dmn:text", "", ns) or "").strip()
        error = expression_error(source) if source else None
        if error:
            message = _("Decision %(decision)s, rule %(rule)d: %(error)s")
            problems.append(problem_at(rule, message % {"decision": name, "rule": number, "error": error}))
    return problems


def _file_problem(label: str, message: str) -> ModelProblem:
    return ModelProblem(element_id="", element_name=label, message=message)

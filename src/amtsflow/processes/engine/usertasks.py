"""User tasks and start forms as Camunda Modeler 7 writes them: camunda:formData, assignment attributes, lanes."""

import keyword

from django.utils.translation import gettext as _
from lxml import etree

from .bpmn_xml import bpmn, camunda, camunda_properties, extension, lane_of, text
from .model_info import FormField, UserTaskInfo
from .problems import ModelProblem, problem_at

_CAMUNDA_TYPES = {"string", "long", "boolean", "date", "enum"}
_NUMBER_CONSTRAINTS = {"min", "max", "minlength", "maxlength"}
_FLAG_CONSTRAINTS = {"required", "readonly"}
# camunda:property of a user task: comma-separated ids of user tasks whose completer may not complete it.
NOT_COMPLETED_BY_PROPERTY = "amtsflow:notCompletedBy"


def read_form(element: etree._Element) -> tuple[list[FormField], list[ModelProblem]]:
    """The form fields of a user task or start event, and the problems that keep them from being shown."""
    fields: list[FormField] = []
    problems: list[ModelProblem] = []
    seen: set[str] = set()
    for xml_field in extension(element, "camunda:formData/camunda:formField"):
        field_id = xml_field.get("id", "")
        label = xml_field.get("label") or field_id
        if not field_id.isidentifier() or keyword.iskeyword(field_id):
            problems.append(
                problem_at(
                    element,
                    _("The form field id %(field)s is not a valid variable name (letters, digits, underscore).")
                    % {"field": repr(field_id)},
                )
            )
            continue
        if field_id in seen:
            problems.append(problem_at(element, _("The form has two fields %(field)s.") % {"field": field_id}))
        seen.add(field_id)
        field_type, type_problem = _field_type(xml_field)
        constraints, constraint_problems = _constraints(xml_field)
        problems += [
            problem_at(element, _("Form field %(field)s: %(problem)s") % {"field": label, "problem": message})
            for message in [type_problem, *constraint_problems]
            if message
        ]
        fields.append(
            FormField(
                id=field_id,
                label=label,
                type=field_type,
                required="required" in constraints,
                readonly="readonly" in constraints,
                default=xml_field.get("defaultValue"),
                enum_values=[
                    (value.get("id", ""), value.get("name") or value.get("id", ""))
                    for value in xml_field.findall(camunda("value"))
                ],
                min=constraints.get("min"),
                max=constraints.get("max"),
                minlength=constraints.get("minlength"),
                maxlength=constraints.get("maxlength"),
            )
        )
    return fields, problems


def user_task_info(element: etree._Element, lanes: dict[str, str], fields: list[FormField]) -> UserTaskInfo:
    return UserTaskInfo(
        element_id=element.get("id", ""),
        name=" ".join((element.get("name") or "").split()),
        lane=lane_of(element, lanes),
        candidate_groups=_split(element.get(camunda("candidateGroups"))),
        candidate_users=_split(element.get(camunda("candidateUsers"))),
        assignee=(element.get(camunda("assignee")) or "").strip(),
        due_date=(element.get(camunda("dueDate")) or "").strip(),
        follow_up_date=(element.get(camunda("followUpDate")) or "").strip(),
        form_fields=fields,
        documentation=text(element.find(bpmn("documentation"))),
        not_completed_by=tuple(_split(camunda_properties(element).get(NOT_COMPLETED_BY_PROPERTY))),
    )


def _split(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _field_type(xml_field: etree._Element) -> tuple[str, str | None]:
    declared = xml_field.get("type") or "string"
    if declared not in _CAMUNDA_TYPES:
        return "string", _("the type %(type)s is not supported.") % {"type": declared}
    properties = {p.get("id"): (p.get("value") or "").strip() for p in xml_field.iter(camunda("property"))}
    if properties.get("type") == "file":
        return "file", None if declared == "string" else _("only text fields can become file fields.")
    if properties.get("multiline") == "true":
        return "text", None if declared == "string" else _("only text fields can be multiline.")
    return declared, None


def _constraints(xml_field: etree._Element) -> tuple[dict[str, int | None], list[str]]:
    constraints: dict[str, int | None] = {}
    problems: list[str] = []
    for constraint in xml_field.iter(camunda("constraint")):
        name, config = constraint.get("name", ""), (constraint.get("config") or "").strip()
        if name in _FLAG_CONSTRAINTS:
            constraints[name] = None
        elif name in _NUMBER_CONSTRAINTS:
            try:
                constraints[name] = int(config)
            except ValueError:
                problems.append(_("the constraint %(name)s needs a whole number.") % {"name": name})
        else:
            problems.append(_("the constraint %(name)s is not supported.") % {"name": name})
    return constraints, problems

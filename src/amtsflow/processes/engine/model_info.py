"""What the platform reads from a model besides the executable spec: forms, assignment, connectors."""

from dataclasses import dataclass, field

FORM_FIELD_TYPES = ("string", "long", "boolean", "date", "enum", "file", "text")


@dataclass(frozen=True)
class FormField:
    """A Camunda form field; "file" and "text" come from the properties type=file and multiline=true."""

    id: str
    label: str
    type: str
    required: bool = False
    default: str | None = None
    enum_values: list[tuple[str, str]] = field(default_factory=list)
    min: int | None = None
    max: int | None = None
    minlength: int | None = None
    maxlength: int | None = None
    readonly: bool = False


@dataclass(frozen=True)
class UserTaskInfo:
    element_id: str
    name: str
    lane: str
    candidate_groups: list[str]
    candidate_users: list[str]
    assignee: str
    due_date: str
    follow_up_date: str
    form_fields: list[FormField]
    documentation: str
    # Separation of duties: element ids of user tasks whose completer may not complete this one.
    not_completed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConnectorTaskInfo:
    """`inputs`: parameter -> literal or "=expression"; `outputs`: process variable -> key of the result."""

    element_id: str
    name: str
    connector: str
    inputs: dict[str, str]
    outputs: dict[str, str]

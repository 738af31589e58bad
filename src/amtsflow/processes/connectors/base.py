from dataclasses import dataclass, field
from typing import Any, ClassVar

from amtsflow.tenants.actor import Actor


class ConnectorError(Exception):
    """A connector could not do its work; the step becomes an incident and is retried."""


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    required: bool = True


@dataclass
class ConnectorContext:
    actor: Actor  # the platform acting for the process
    instance_id: str  # public ID of the process instance
    case_id: str  # public ID of the case (Vorgang) in the E-Akte
    process_name: str
    idempotency_key: str  # the same for every retry of one engine task
    data: dict[str, Any] = field(default_factory=dict)  # process variables, read-only for connectors


class Connector:
    """Base of connectors. `run` receives the evaluated inputs and returns the outputs as a JSON-safe dict."""

    name: ClassVar[str]
    label: ClassVar[str]
    inputs: ClassVar[tuple[Param, ...]] = ()
    outputs: ClassVar[tuple[Param, ...]] = ()

    def run(self, context: ConnectorContext, inputs: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def check_inputs(self, inputs: dict[str, Any]) -> None:
        missing = [p.name for p in self.inputs if p.required and inputs.get(p.name) in (None, "")]
        if missing:
            raise ConnectorError(f"{self.name}: missing input(s) {', '.join(missing)}")
        unknown = set(inputs) - {p.name for p in self.inputs}
        if unknown:
            raise ConnectorError(f"{self.name}: unknown input(s) {', '.join(sorted(unknown))}")

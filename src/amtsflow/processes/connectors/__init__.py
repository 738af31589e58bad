"""Connectors: what service tasks call. Each declares its inputs and outputs; the registry collects them from the
`amtsflow.connectors` entry points, so other packages can add their own."""

from amtsflow.processes.connectors.base import Connector, ConnectorContext, ConnectorError, Param
from amtsflow.processes.connectors.registry import all_connectors, get_connector

__all__ = ["Connector", "ConnectorContext", "ConnectorError", "Param", "all_connectors", "get_connector"]

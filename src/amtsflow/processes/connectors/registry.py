import functools
import logging
from importlib.metadata import entry_points

from amtsflow.processes.connectors.base import Connector, ConnectorError

logger = logging.getLogger(__name__)
GROUP = "amtsflow.connectors"


@functools.cache
def all_connectors() -> dict[str, Connector]:
    found: dict[str, Connector] = {}
    for entry in entry_points(group=GROUP):
        try:
            connector_class = entry.load()
        except Exception:
            logger.exception("connector entry point %s cannot be loaded", entry.name)
            continue
        if not (isinstance(connector_class, type) and issubclass(connector_class, Connector)):
            logger.error("connector entry point %s is not a Connector class", entry.name)
            continue
        found[connector_class.name] = connector_class()
    return dict(sorted(found.items()))


def get_connector(name: str) -> Connector:
    try:
        return all_connectors()[name]
    except KeyError:
        raise ConnectorError(f"unknown connector {name!r}") from None

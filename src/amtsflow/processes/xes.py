"""The event log as XES (IEEE 1849-2016): one trace per process instance, events with the standard concept,
lifecycle, time and org extensions, so process-mining tools (pm4py, ProM, Disco) read it as is."""

from collections.abc import Iterable, Iterator
from itertools import groupby

from lxml import etree

from amtsflow.processes.models import ProcessEvent

_EXTENSIONS = (
    ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
    ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
    ("Time", "time", "http://www.xes-standard.org/time.xesext"),
    ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
)


def _attr(parent: etree._Element, tag: str, key: str, value: str) -> None:
    etree.SubElement(parent, tag, key=key, value=value)


def write_xes(events: Iterable[ProcessEvent], *, name: str) -> Iterator[bytes]:
    """Stream the XES document; events must be ordered by instance, then time."""
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n'
    yield b'<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">\n'
    for ext_name, prefix, uri in _EXTENSIONS:
        yield etree.tostring(etree.Element("extension", name=ext_name, prefix=prefix, uri=uri)) + b"\n"
    trace_globals = etree.Element("global", scope="trace")
    _attr(trace_globals, "string", "concept:name", "")
    event_globals = etree.Element("global", scope="event")
    for key in ("concept:name", "lifecycle:transition", "org:resource"):
        _attr(event_globals, "string", key, "")
    _attr(event_globals, "date", "time:timestamp", "1970-01-01T00:00:00.000+00:00")
    yield etree.tostring(trace_globals) + b"\n" + etree.tostring(event_globals) + b"\n"
    yield etree.tostring(etree.Element("string", key="concept:name", value=name)) + b"\n"
    for _instance_id, trace_events in groupby(events, key=lambda e: e.instance_id):
        trace_events = list(trace_events)
        trace = etree.Element("trace")
        _attr(trace, "string", "concept:name", str(trace_events[0].case_id))
        _attr(trace, "string", "amtsflow:process", trace_events[0].process_key)
        for event in trace_events:
            element = etree.SubElement(trace, "event")
            _attr(element, "string", "concept:name", event.activity)
            _attr(element, "string", "lifecycle:transition", event.lifecycle)
            _attr(element, "date", "time:timestamp", event.timestamp.isoformat(timespec="milliseconds"))
            _attr(element, "string", "org:resource", event.resource)
        yield etree.tostring(trace) + b"\n"
    yield b"</log>\n"

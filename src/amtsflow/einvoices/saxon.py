"""The one SaxonC processor of this process, and the compiled rule XSLTs (cold: compile, warm: run).

SaxonC-HE runs in a GraalVM isolate: creating processors from several threads at once can crash the whole
process, and its objects are not documented as thread-safe. So there is exactly one processor per process,
created on first use, and every Saxon call happens while holding `lock()`. Web workers and Celery tasks are
separate processes, each with its own processor; threads inside one process take turns.

The processor must be created in the process that uses it: a GraalVM isolate does not survive fork(). So
never warm up in a parent that forks workers afterwards (Celery prefork, gunicorn --preload); warm up in the
worker (e.g. Celery's worker_process_init). A forked child that inherited a processor gets a SaxonError.

Saxon only ever parses text that a hardened lxml parse produced (no DOCTYPE); as a second line of defence
its own parser refuses DOCTYPE declarations and it may open no URI but local files (the rule XSLTs import
each other by relative file name).
"""

import os
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import saxonche

_lock = threading.RLock()
_processor: saxonche.PySaxonProcessor | None = None
_processor_pid = 0
_xslt_compiler: saxonche.PyXslt30Processor | None = None
# Compiled stylesheets by (path, modification time): installed releases never change in place.
_compiled: dict[tuple[str, int], saxonche.PyXsltExecutable] = {}

_PARSER_FEATURE = "http://saxon.sf.net/feature/parserFeature?uri="
_SECURITY_PROPERTIES = {
    _PARSER_FEATURE + urllib.parse.quote("http://apache.org/xml/features/disallow-doctype-decl", safe=""): "true",
    _PARSER_FEATURE
    + urllib.parse.quote("http://apache.org/xml/features/nonvalidating/load-external-dtd", safe=""): "false",
    "http://saxon.sf.net/feature/allowedProtocols": "file",
}


def _after_fork_in_child() -> None:
    # The parent may have held the lock while forking; the child gets a fresh one (and no usable processor).
    global _lock
    _lock = threading.RLock()


os.register_at_fork(after_in_child=_after_fork_in_child)


class SaxonError(Exception):
    """Saxon failed to compile or run a stylesheet, or to evaluate an expression."""


@contextmanager
def lock() -> Iterator[saxonche.PySaxonProcessor]:
    """Exclusive use of the process's Saxon processor (created once, on first use)."""
    global _processor, _xslt_compiler, _processor_pid
    with _lock:
        if _processor is not None and _processor_pid != os.getpid():
            raise SaxonError(
                "The Saxon processor was created before this process was forked and cannot be used here; "
                "create it in the worker process (do not warm up the rules before forking)."
            )
        if _processor is None:
            processor = saxonche.PySaxonProcessor(license=False)
            for name, value in _SECURITY_PROPERTIES.items():
                processor.set_configuration_property(name, value)
            _xslt_compiler = processor.new_xslt30_processor()
            _processor, _processor_pid = processor, os.getpid()
        yield _processor


def version() -> str:
    with lock() as processor:
        return processor.version


def executable(path: Path) -> saxonche.PyXsltExecutable:
    """The compiled stylesheet at `path` (compiled on first use, then cached for the process)."""
    key = (str(path), path.stat().st_mtime_ns)
    with lock():
        compiled = _compiled.get(key)
        if compiled is None:
            try:
                compiled = _xslt_compiler.compile_stylesheet(stylesheet_file=str(path))
            except saxonche.PySaxonApiError as exc:
                raise SaxonError(f"cannot compile {path.name}: {_first_line(exc)}") from exc
            if compiled is None:
                raise SaxonError(f"cannot compile {path.name}")
            _compiled[key] = compiled
        return compiled


def compile_all(paths: Iterable[Path]) -> float:
    """Compiles every stylesheet not compiled yet; returns the seconds it took (the cold part of validation)."""
    started = time.perf_counter()
    for path in dict.fromkeys(paths):
        executable(path)
    return time.perf_counter() - started


def clear_compiled() -> None:
    """Forgets the compiled stylesheets (the processor stays: it cannot safely be recreated)."""
    with _lock:
        _compiled.clear()


def parse(text: str) -> saxonche.PyXdmNode:
    with lock() as processor:
        try:
            return processor.parse_xml(xml_text=text)
        except saxonche.PySaxonApiError as exc:
            raise SaxonError(f"Saxon could not read the document: {_first_line(exc)}") from exc


def transform(
    stylesheet: Path, node: saxonche.PyXdmNode, parameters: Mapping[str, saxonche.PyXdmNode] | None = None
) -> saxonche.PyXdmNode:
    """Applies the stylesheet to `node`; returns the result document."""
    with lock():
        compiled = executable(stylesheet)
        try:
            compiled.clear_parameters()
            for name, value in (parameters or {}).items():
                compiled.set_parameter(name, value)
            result = compiled.transform_to_value(xdm_node=node)
        except saxonche.PySaxonApiError as exc:
            raise SaxonError(f"{stylesheet.name} failed: {_first_line(exc)}") from exc
        finally:
            compiled.clear_parameters()
        if result is None or result.size != 1 or not result.head.is_node:
            raise SaxonError(f"{stylesheet.name} produced no result document")
        return result.head


def is_true(node: saxonche.PyXdmNode, expression: str, namespaces: Mapping[str, str]) -> bool:
    """The effective boolean value of an XPath 3.1 expression with `node` as context."""
    with lock() as processor:
        xpath = processor.new_xpath_processor()
        for prefix, uri in namespaces.items():
            xpath.declare_namespace(prefix, uri)
        try:
            xpath.set_context(xdm_item=node)
            return bool(xpath.effective_boolean_value(expression))
        except saxonche.PySaxonApiError as exc:
            raise SaxonError(f"cannot evaluate {expression!r}: {_first_line(exc)}") from exc


def _first_line(exc: Exception) -> str:
    # SaxonC appends earlier errors of the same processor to its message; the first line is this error.
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)

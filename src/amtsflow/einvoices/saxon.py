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
import re
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import quoteattr

import saxonche

_lock = threading.RLock()
_processor: saxonche.PySaxonProcessor | None = None
_processor_pid = 0
_xslt_compiler: saxonche.PyXslt30Processor | None = None
# Compiled stylesheets by (path, modification time): installed releases never change in place.
_compiled: dict[tuple[str, int], saxonche.PyXsltExecutable] = {}
# The platform's own small stylesheets (serialising, reading results) by their text, compiled once.
_internal: dict[str, saxonche.PyXsltExecutable] = {}
# PyXdmNode.to_string() serialises with method xml, indent yes and no XML declaration, slowly for large
# trees; the same node handed unchanged to Saxon's result serializer gives the same text (plus a final newline)
# in about two thirds of the time.
_SERIALIZER = (
    '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    '<xsl:output method="xml" indent="yes" omit-xml-declaration="yes"/>'
    '<xsl:template match="/"><xsl:sequence select="."/></xsl:template>'
    "</xsl:stylesheet>"
)
# SaxonC's XPath processor compiles an expression anew on every evaluation. The boolean expressions used again
# and again (scenario matches, acceptMatch) are compiled once instead, each as the only template of a small
# stylesheet, keyed by (expression, namespaces); None: evaluated by the XPath processor every time.
_Key = tuple[str, tuple[tuple[str, str], ...]]
_expressions: dict[_Key, saxonche.PyXsltExecutable | None] = {}
_EXPRESSION_CACHE_SIZE = 256
# Expressions asked together again and again (a release's scenario matches) in one stylesheet, so that one call
# answers all of them; it holds those of them that compile on their own (None: none does) and answers "t" or
# "f" for each, or "e" when one fails (that one is evaluated again alone, as `is_true` does, for its answer
# or error).
_ANSWER = "if (({})) then 't' else 'f'"
_batches: dict[tuple[_Key, ...], tuple[saxonche.PyXsltExecutable | None, tuple[int | None, ...]]] = {}
_idle: saxonche.PyXdmNode | None = None  # context between evaluations (no invoice kept alive) and for the check
# The prefixes SaxonC's XPath processor declares without being told; a stylesheet must declare them itself.
_PREDECLARED = {"xs": "http://www.w3.org/2001/XMLSchema", "saxon": "http://saxon.sf.net/"}
_NCNAME = re.compile(r"[A-Za-z_][\w.-]*")

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
    """Forgets the compiled stylesheets and expressions (the processor stays: it cannot safely be recreated)."""
    global _idle
    with _lock:
        _compiled.clear()
        _internal.clear()
        _expressions.clear()
        _batches.clear()
        _idle = None


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
        return _result_document(executable(stylesheet), node, parameters or {}, stylesheet.name)


def _result_document(
    compiled: saxonche.PyXsltExecutable,
    node: saxonche.PyXdmNode,
    parameters: Mapping[str, saxonche.PyXdmValue],
    name: str,
) -> saxonche.PyXdmNode:
    """Runs a compiled stylesheet with `parameters` (none left behind for its next use); call with the lock held."""
    try:
        compiled.clear_parameters()
        for key, value in parameters.items():
            compiled.set_parameter(key, value)
        result = compiled.transform_to_value(xdm_node=node)
    except saxonche.PySaxonApiError as exc:
        raise SaxonError(f"{name} failed: {_first_line(exc)}") from exc
    finally:
        compiled.clear_parameters()
    if result is None or result.size != 1 or not result.head.is_node:
        raise SaxonError(f"{name} produced no result document")
    return result.head


def serialize(node: saxonche.PyXdmNode) -> bytes:
    """The node as UTF-8 XML, the same text as `node.to_string()` (indented, no XML declaration)."""
    return apply_internal(_SERIALIZER, node).removesuffix("\n").encode("utf-8")


def _internal_executable(stylesheet: str) -> saxonche.PyXsltExecutable:
    """One of the platform's own stylesheets (given as text), compiled once; call with the lock held."""
    compiled = _internal.get(stylesheet)
    if compiled is None:
        compiled = _internal[stylesheet] = _xslt_compiler.compile_stylesheet(stylesheet_text=stylesheet)
    return compiled


def apply_internal(stylesheet: str, node: saxonche.PyXdmNode) -> str:
    """Applies one of the platform's own stylesheets (given as text, compiled once) to `node`; returns its output."""
    with lock():
        try:
            text = _internal_executable(stylesheet).transform_to_string(xdm_node=node)
        except saxonche.PySaxonApiError as exc:
            raise SaxonError(f"cannot read the result: {_first_line(exc)}") from exc
    if text is None:
        raise SaxonError("cannot read the result")
    return text


def transform_internal(
    stylesheet: str, node: saxonche.PyXdmNode, parameters: Mapping[str, saxonche.PyXdmValue]
) -> saxonche.PyXdmNode:
    """Applies one of the platform's own stylesheets to `node` with `parameters`; returns the result document."""
    with lock():
        try:
            compiled = _internal_executable(stylesheet)
        except saxonche.PySaxonApiError as exc:
            raise SaxonError(f"cannot compile an internal stylesheet: {_first_line(exc)}") from exc
        return _result_document(compiled, node, parameters, "an internal stylesheet")


def array(items: Sequence[saxonche.PyXdmValue]) -> saxonche.PyXdmArray:
    """An XDM array of `items` (a stylesheet parameter holding several nodes)."""
    with lock() as processor:
        return processor.make_array(list(items))


def is_true(node: saxonche.PyXdmNode, expression: str, namespaces: Mapping[str, str]) -> bool:
    """The effective boolean value of an XPath 3.1 expression with `node` as context."""
    with lock() as processor:
        compiled = _expression(processor, expression, namespaces)
        if compiled is not None:
            try:
                compiled.set_global_context_item(xdm_item=node)
                result = compiled.call_template_returning_value("is-true")
                if result is not None and result.size == 1 and result.head.is_atomic:
                    return result.head.get_atomic_value().boolean_value
            except saxonche.PySaxonApiError:
                pass  # evaluated once more below: the XPath processor's answer or error is the one that counts
            finally:
                compiled.set_global_context_item(xdm_item=_idle)
        return _evaluate(processor, node, expression, namespaces)


def are_true(node: saxonche.PyXdmNode, expressions: Sequence[tuple[str, Mapping[str, str]]]) -> list[bool | SaxonError]:
    """`is_true` of each (expression, namespaces), in one call where possible; a failing one gives its error."""
    with lock() as processor:
        answers = _batch_answers(processor, node, expressions)
        results: list[bool | SaxonError] = []
        for (expression, namespaces), answer in zip(expressions, answers, strict=True):
            if answer is None:
                try:
                    answer = is_true(node, expression, namespaces)
                except SaxonError as exc:
                    answer = exc
            results.append(answer)
        return results


def _batch_answers(
    processor: saxonche.PySaxonProcessor, node: saxonche.PyXdmNode, expressions: Sequence[tuple[str, Mapping[str, str]]]
) -> list[bool | None]:
    """The batch's answer for each expression; None: to be evaluated alone."""
    compiled, positions = _batch(processor, expressions)
    letters = ""
    if compiled is not None:
        try:
            compiled.set_global_context_item(xdm_item=node)
            result = compiled.call_template_returning_value("are-true")
            if result is not None and result.size == 1 and result.head.is_atomic:
                letters = result.head.string_value
        except saxonche.PySaxonApiError:
            letters = ""  # each evaluated alone
        finally:
            compiled.set_global_context_item(xdm_item=_idle)
    if len(letters) != sum(position is not None for position in positions):
        return [None] * len(expressions)
    return [None if position is None else {"t": True, "f": False}.get(letters[position]) for position in positions]


def _batch(
    processor: saxonche.PySaxonProcessor, expressions: Sequence[tuple[str, Mapping[str, str]]]
) -> tuple[saxonche.PyXsltExecutable | None, tuple[int | None, ...]]:
    key = tuple((expression, tuple(namespaces.items())) for expression, namespaces in expressions)
    if key not in _batches:
        if len(_batches) >= _EXPRESSION_CACHE_SIZE:
            _batches.clear()
        included = [e for e in expressions if _expression(processor, *e) is not None]
        compiled = None
        if included:
            try:
                compiled = _xslt_compiler.compile_stylesheet(stylesheet_text=_batch_stylesheet(included))
            except saxonche.PySaxonApiError:
                compiled = None
        if compiled is None:
            _batches[key] = (None, (None,) * len(expressions))
        else:
            compiled.set_result_as_raw_value(True)
            positions, count = [], 0
            for expression in expressions:
                positions.append(count if expression in included else None)
                count += expression in included
            _batches[key] = (compiled, tuple(positions))
    return _batches[key]


def _batch_stylesheet(expressions: Sequence[tuple[str, Mapping[str, str]]]) -> str:
    # Each expression sits on its own xsl:try, which declares the expression's namespaces (and nothing else that
    # XPath sees, as in `_compile_expression`).
    tries = "".join(
        f"<try{_declarations(namespaces)} select={quoteattr(_ANSWER.format(expression))}><catch select=\"'e'\"/></try>"
        for expression, namespaces in expressions
    )
    return (
        '<stylesheet version="3.0" xmlns="http://www.w3.org/1999/XSL/Transform">'
        f'<template name="are-true"><variable name="answers" as="item()*">{tries}</variable>'
        '<sequence select="string-join($answers)"/></template>'
        "</stylesheet>"
    )


def compile_batch(expressions: Iterable[tuple[str, Mapping[str, str]]]) -> None:
    """Compiles expressions asked together by `are_true` ahead of their first use."""
    with lock() as processor:
        _batch(processor, list(expressions))


def compile_expressions(expressions: Iterable[tuple[str, Mapping[str, str]]]) -> None:
    """Compiles boolean expressions (expression, namespaces) for `is_true` ahead of their first use."""
    with lock() as processor:
        for expression, namespaces in expressions:
            _expression(processor, expression, namespaces)


def _expression(
    processor: saxonche.PySaxonProcessor, expression: str, namespaces: Mapping[str, str]
) -> saxonche.PyXsltExecutable | None:
    global _idle
    if _idle is None:
        _idle = processor.parse_xml(xml_text="<idle/>")
    key = (expression, tuple(namespaces.items()))
    if key not in _expressions:
        if len(_expressions) >= _EXPRESSION_CACHE_SIZE:
            _expressions.clear()
        _expressions[key] = _compile_expression(processor, expression, namespaces)
    return _expressions[key]


def _compile_expression(
    processor: saxonche.PySaxonProcessor, expression: str, namespaces: Mapping[str, str]
) -> saxonche.PyXsltExecutable | None:
    """The expression as a compiled stylesheet, or None when only the XPath processor may evaluate it.

    The stylesheet has nothing in scope but the expression's namespaces (its own elements use the default
    namespace, which XPath in XSLT ignores), so a valid XPath expression means the same there. One that the
    XPath processor rejects (say, one using XSLT-only functions such as current()) stays with the XPath processor.
    """
    if not all(isinstance(prefix, str) and _NCNAME.fullmatch(prefix) for prefix in namespaces):
        return None
    stylesheet = (
        f'<stylesheet version="3.0" xmlns="http://www.w3.org/1999/XSL/Transform"{_declarations(namespaces)}>'
        f'<template name="is-true"><sequence select={quoteattr(f"boolean(({expression}))")}/></template>'
        "</stylesheet>"
    )
    try:
        _evaluate(processor, _idle, expression, namespaces)  # a static error (or any error) keeps it here
        compiled = _xslt_compiler.compile_stylesheet(stylesheet_text=stylesheet)
    except (SaxonError, saxonche.PySaxonApiError):
        return None
    if compiled is not None:
        compiled.set_result_as_raw_value(True)
    return compiled


def _declarations(namespaces: Mapping[str, str]) -> str:
    return "".join(f" xmlns:{p}={quoteattr(uri)}" for p, uri in {**_PREDECLARED, **namespaces}.items())


def _evaluate(
    processor: saxonche.PySaxonProcessor, node: saxonche.PyXdmNode, expression: str, namespaces: Mapping[str, str]
) -> bool:
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

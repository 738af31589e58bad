"""Import-time checks of expressions and scripts, delegated to the platform's expression language.

`amtsflow.processes.engine.expressions` defines what tenants may write (it raises `ExpressionError`). It is
imported lazily so the parser works without it; while it is missing, expressions are not checked at import
and errors surface when the workflow evaluates them.
"""

import importlib
from types import ModuleType

EXPRESSIONS_MODULE = "amtsflow.processes.engine.expressions"


def expressions_module() -> ModuleType | None:
    try:
        return importlib.import_module(EXPRESSIONS_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name == EXPRESSIONS_MODULE:
            return None
        raise


def expression_error(source: str) -> str | None:
    """Why `source` is no valid expression, or None (also when the expression module is not installed)."""
    return _delegate("validate_expression", source)


def script_error(source: str) -> str | None:
    """Why `source` is no valid script, or None (also when the expression module is not installed)."""
    return _delegate("validate_script", source)


def unary_tests_error(source: str) -> str | None:
    """Why `source` is no valid DMN input entry ("-", "> 5", "a", ranges ...), or None."""
    return _delegate("validate_unary_tests", source)


def _delegate(function: str, source: str) -> str | None:
    module = expressions_module()
    if module is None or not hasattr(module, function):
        return None
    try:
        getattr(module, function)(source)
    except module.ExpressionError as exc:
        return str(exc)
    return None

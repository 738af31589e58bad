"""Safe evaluation of what tenant staff write into process models: gateway conditions, DMN entries, script tasks.

Built on simpleeval's `EvalWithCompoundTypes`, hardened where simpleeval leaves gaps for a shared service: format
specs in f-strings and `%` formatting (unbounded widths, lookups through format strings), `str()` of aliased
containers and unbounded int growth (memory), deep syntax trees (RecursionError), functions reachable as values,
and no wall-clock bound. Every expression is translated (Camunda `${...}` / JUEL operators), parsed once, checked
statically against allow-lists of syntax, names, functions and attributes, and run under a step and time budget
that works in any thread. Nothing here uses Python's eval/exec.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import keyword
import operator
import re
import time
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils import dateparse, timezone
from django.utils.translation import gettext, gettext_noop
from simpleeval import MAX_COMPREHENSION_LENGTH, EvalWithCompoundTypes, InvalidExpression, IterableTooLong

MAX_EXPRESSION_LENGTH = 2_000
MAX_NODES = 1_000  # syntax tree nodes per expression, counting operators and contexts
MAX_DEPTH = 64  # keeps simpleeval's recursive evaluation far from Python's recursion limit
MAX_STEPS = 50_000  # evaluated nodes per expression, comprehension bodies included
MAX_SECONDS = 0.5
MAX_SCRIPT_SECONDS = 2.0
MAX_LENGTH = 100_000  # strings and sequences an expression may build (data it only reads may be longer)
MAX_INT_BITS = 4_096
MAX_EXPONENT = 1_000
MAX_ROUND_DIGITS = 100
MAX_SCRIPT_LENGTH = 20_000
MAX_SCRIPT_LINES = 200

# The name under which a DMN input value is visible to its unary tests (Spiff's own spelling of `?`).
DMN_INPUT_NAME = "dmninputexpr"


class ExpressionError(Exception):
    """A refused or failing expression or script. `line` is set for script lines (1-based)."""

    def __init__(self, message: str, expression: str = "", *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expression = expression
        self.line = line

    def __str__(self) -> str:
        return self.message


class ExpressionSyntaxError(ExpressionError, SyntaxError):
    """Unparseable text. Also a SyntaxError: Spiff's DMN engine probes unary tests by catching SyntaxError."""


# --- Tokens -----------------------------------------------------------------------------------------------------------
# A small scanner that knows string literals, so translations and splits never touch text inside quotes.


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "str", "name", "num", "op", "ws"
    text: str


_TWO_CHAR_OPS = frozenset({"&&", "||", "==", "!=", "<=", ">=", "**", "//", "..", ":=", "->"})
_STRING_PREFIXES = frozenset({"r", "u", "f", "b", "rb", "br", "fr", "rf"})
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(_OPENERS.values())


def _string_end(text: str, start: int) -> int:
    """Index after the string literal whose quote is at `start` (end of text when unterminated)."""
    quote = text[start]
    if text.startswith(quote * 3, start):
        closing = quote * 3
        i = start + 3
        while i < len(text):
            if text[i] == "\\":
                i += 2
            elif text.startswith(closing, i):
                return i + 3
            else:
                i += 1
        return len(text)
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
        elif char == quote:
            return i + 1
        elif char == "\n":
            return i
        else:
            i += 1
    return len(text)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, length = 0, len(text)
    while i < length:
        char = text[i]
        if char.isspace():
            j = i + 1
            while j < length and text[j].isspace():
                j += 1
            tokens.append(_Token("ws", text[i:j]))
        elif char in "'\"":
            j = _string_end(text, i)
            tokens.append(_Token("str", text[i:j]))
        elif char == "_" or char.isidentifier():
            j = i + 1
            while j < length and (text[j] == "_" or ("a" + text[j]).isidentifier()):
                j += 1
            if j < length and text[j] in "'\"" and text[i:j].lower() in _STRING_PREFIXES:
                j = _string_end(text, j)
                tokens.append(_Token("str", text[i:j]))
            else:
                tokens.append(_Token("name", text[i:j]))
        elif char in "0123456789":
            j = i + 1
            while j < length:
                nxt = text[j]
                if nxt.isalnum() or nxt == "_" or (nxt == "." and not text.startswith("..", j)):
                    j += 1
                else:
                    break
            tokens.append(_Token("num", text[i:j]))
        else:
            j = i + 2 if text[i : i + 2] in _TWO_CHAR_OPS else i + 1
            tokens.append(_Token("op", text[i:j]))
        i = j
    return tokens


def _is_op(token: _Token | None, *texts: str) -> bool:
    return token is not None and token.kind == "op" and token.text in texts


def _next_significant(tokens: list[_Token], start: int) -> int:
    i = start
    while i < len(tokens) and tokens[i].kind == "ws":
        i += 1
    return i


def _group_end(tokens: list[_Token], start: int) -> int:
    """Index after the bracket closing the one at `start`, or -1 when it is never closed."""
    depth = 0
    for i in range(start, len(tokens)):
        if _is_op(tokens[i], *_OPENERS):
            depth += 1
        elif _is_op(tokens[i], *_CLOSERS):
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def _top_level(tokens: list[_Token]) -> Iterable[tuple[int, _Token]]:
    """Tokens outside any brackets, with their index."""
    depth = 0
    for i, token in enumerate(tokens):
        if _is_op(token, *_OPENERS):
            depth += 1
        elif _is_op(token, *_CLOSERS):
            depth -= 1
        elif depth == 0:
            yield i, token


def _join(tokens: Iterable[_Token]) -> str:
    return "".join(token.text for token in tokens)


# --- Camunda / JUEL translation ---------------------------------------------------------------------------------------

_JUEL_WORDS = {
    "eq": "==",
    "ne": "!=",
    "gt": ">",
    "lt": "<",
    "ge": ">=",
    "le": "<=",
    "div": "/",
    "mod": "%",
    "null": "None",
    "true": "True",
    "false": "False",
}
_UNARY_WORDS = frozenset({"not", "empty"})
RESERVED_NAMES = frozenset(_JUEL_WORDS) | {"empty", DMN_INPUT_NAME}


def _syntax_error(detail: str, expression: str, line: int | None = None) -> ExpressionSyntaxError:
    return ExpressionSyntaxError(
        gettext("Syntax error in expression: %(detail)s") % {"detail": detail}, expression, line=line
    )


def _unwrap(text: str) -> str:
    """`${ ... }` or `#{ ... }` (as Camunda Modeler writes conditions) → the inner expression."""
    stripped = text.strip()
    if not stripped.startswith(("${", "#{")):
        return stripped
    tokens = _tokens(stripped)
    end = _group_end(tokens, 1)
    if end != len(tokens):
        raise _syntax_error(gettext("only one ${...} expression is supported"), text)
    return _join(tokens[2 : end - 1]).strip()


def _operand_end(tokens: list[_Token], start: int, expression: str) -> int:
    """Index after the operand of a prefix operator (`!x`, `empty a.b[0]`, `!(a or b)`)."""
    i = _next_significant(tokens, start)
    while i < len(tokens) and (_is_op(tokens[i], "!", "-", "+") or tokens[i].text in _UNARY_WORDS):
        i = _next_significant(tokens, i + 1)  # prefix chains such as `!!x` or `!empty x`
    if i >= len(tokens):
        raise _syntax_error(gettext("an operator is missing its operand"), expression)
    token = tokens[i]
    if _is_op(token, *_OPENERS):
        end = _group_end(tokens, i)
        if end < 0:
            raise _syntax_error(gettext("unbalanced brackets"), expression)
    elif token.kind in ("name", "num", "str"):
        end = i + 1
    else:
        raise _syntax_error(gettext("an operator is missing its operand"), expression)
    while True:  # attribute, call and subscript suffixes belong to the operand
        j = _next_significant(tokens, end)
        if _is_op(tokens[j] if j < len(tokens) else None, ".") and j + 1 < len(tokens):
            end = j + 2
        elif _is_op(tokens[j] if j < len(tokens) else None, "(", "["):
            end = _group_end(tokens, j)
            if end < 0:
                raise _syntax_error(gettext("unbalanced brackets"), expression)
        else:
            return end


def _translate_tokens(tokens: list[_Token], expression: str) -> str:
    out: list[str] = []
    previous: _Token | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        text = token.text
        if _is_op(token, "&&"):
            text = " and "
        elif _is_op(token, "||"):
            text = " or "
        elif _is_op(token, "!") or (token.kind == "name" and token.text == "empty" and not _is_op(previous, ".")):
            # Wrap the operand so JUEL's precedence (`!a == b` is `(!a) == b`) survives the translation.
            end = _operand_end(tokens, i + 1, expression)
            inner = _translate_tokens(tokens[i + 1 : end], expression).strip()
            text = f"(not {inner})" if token.text == "!" else f"empty({inner})"
            out.append(text)
            previous = tokens[end - 1]
            i = end
            continue
        elif token.kind == "name" and token.text in _JUEL_WORDS and not _is_op(previous, "."):
            text = _JUEL_WORDS[token.text]
        out.append(text)
        if token.kind != "ws":
            previous = token
        i += 1
    return "".join(out)


def normalize_expression(expression: str) -> str:
    """The Python-syntax form of an expression: `${...}` removed, JUEL operators translated (outside strings)."""
    return _translate_tokens(_tokens(_unwrap(expression)), expression).strip()


# --- Values and functions ---------------------------------------------------------------------------------------------

_SEQUENCES = (str, list, tuple)
_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
_CONTAINERS = (list, tuple, set, frozenset, dict, *_VIEWS)
_READS = (ast.Name, ast.Subscript, ast.Attribute)  # nodes that only hand out (parts of) task data
_NUMBERS = (int, float, Decimal, dt.timedelta)
_VALUE_TYPES = (
    type(None),
    bool,
    int,
    float,
    Decimal,
    str,
    dt.date,  # includes datetime
    dt.time,
    dt.timedelta,
    UUID,
    list,
    tuple,
    dict,
    set,
    frozenset,
    *_VIEWS,
    slice,
)

_STR_METHODS = frozenset(
    {
        "lower",
        "upper",
        "casefold",
        "capitalize",
        "title",
        "strip",
        "lstrip",
        "rstrip",
        "startswith",
        "endswith",
        "removeprefix",
        "removesuffix",
        "count",
        "find",
        "split",
        "isdigit",
        "isdecimal",
        "isnumeric",
        "isalpha",
        "isalnum",
        "isspace",
        "islower",
        "isupper",
    }
)
_DATE_ATTRIBUTES = frozenset({"year", "month", "day", "weekday", "isoweekday", "isoformat"})
_DICT_METHODS = frozenset({"get", "keys", "values", "items"})
# Checked with isinstance in this order: bool before int (no attributes), datetime before date.
_ATTRIBUTES: tuple[tuple[type | tuple[type, ...], frozenset[str]], ...] = (
    (bool, frozenset()),
    (str, _STR_METHODS),
    (dt.datetime, _DATE_ATTRIBUTES | {"hour", "minute", "second", "date"}),
    (dt.date, _DATE_ATTRIBUTES),
    (dt.timedelta, frozenset({"days", "seconds", "total_seconds"})),
    (Decimal, frozenset({"quantize"})),
    (dict, _DICT_METHODS),
    ((list, tuple), frozenset({"count", "index"})),
)
ALLOWED_ATTRIBUTES: frozenset[str] = frozenset().union(*(names for _, names in _ATTRIBUTES))
# Members of value types outside the allow-list (format, mro, fromtimestamp, replace, ...) are refused when a model is
# checked; other names after a dot can only be keys of a dict (`antrag.betrag`, as in JUEL).
_REFUSED_MEMBERS = (
    frozenset(
        name
        for kind in (str, int, float, bool, Decimal, dt.datetime, dt.timedelta, dict, list, tuple, set, frozenset)
        for name in dir(kind)
    )
    - ALLOWED_ATTRIBUTES
)


def _attributes_of(value: Any) -> frozenset[str]:
    for kind, names in _ATTRIBUTES:
        if isinstance(value, kind):
            return names
    return frozenset()


def _too_long() -> ExpressionError:
    return ExpressionError(gettext("Result too long (more than %(limit)d elements).") % {"limit": MAX_LENGTH})


def _safe_str(value: Any = "") -> str:
    """str() that refuses before building an oversized text (containers may alias: `[[s] * n] * n`)."""
    if isinstance(value, str):
        return value
    budget = MAX_LENGTH
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            budget -= len(item) + 4
        elif isinstance(item, dict):
            budget -= 4 * len(item) + 2
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset, *_VIEWS)):
            budget -= 2 * len(item) + 2
            stack.extend(item)
        elif isinstance(item, int):
            budget -= item.bit_length() // 3 + 2
        elif isinstance(item, Decimal):
            budget -= len(item.as_tuple().digits) + 10
        else:
            budget -= 40
        if budget < 0:
            raise _too_long()
    return str(value)


def _add(left: Any, right: Any) -> Any:
    if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES) and len(left) + len(right) > MAX_LENGTH:
        raise _too_long()
    return left + right


def _mul(left: Any, right: Any) -> Any:
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, _SEQUENCES) and isinstance(times, int) and len(sequence) * times > MAX_LENGTH:
            raise _too_long()
    return left * right


def _mod(left: Any, right: Any) -> Any:
    if isinstance(left, str | bytes):
        raise ExpressionError(gettext("String formatting with % is not allowed."))
    return left % right


def _pow(base: Any, exponent: Any) -> Any:
    if isinstance(exponent, int | float | Decimal) and abs(exponent) > MAX_EXPONENT:
        raise ExpressionError(gettext("Exponent too large: %(exponent)s") % {"exponent": _safe_str(exponent)[:40]})
    if isinstance(base, int) and isinstance(exponent, int) and base.bit_length() * exponent > MAX_INT_BITS:
        raise ExpressionError(gettext("Number too large."))
    return base**exponent


_OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: _add,
    ast.Sub: operator.sub,
    ast.Mult: _mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: _mod,
    ast.Pow: _pow,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Gt: operator.gt,
    ast.Lt: operator.lt,
    ast.GtE: operator.ge,
    ast.LtE: operator.le,
    ast.Not: operator.not_,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.In: lambda left, right: left in right,
    ast.NotIn: lambda left, right: left not in right,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}
_OPERATOR_SYMBOLS = {
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
    ast.Invert: "~",
}


def _bounded(iterable: Any) -> Any:
    if hasattr(iterable, "__len__") and len(iterable) > MAX_LENGTH:
        raise _too_long()
    return iterable


def _list(iterable: Iterable[Any] = ()) -> list[Any]:
    return list(_bounded(iterable))


def _sorted(iterable: Iterable[Any], *, reverse: bool = False) -> list[Any]:
    return sorted(_bounded(iterable), reverse=reverse)


def _check_int_source(value: Any) -> None:
    # Converting a huge Decimal (1e999999) or digit string to int takes seconds to minutes before any result check.
    too_large = (isinstance(value, Decimal) and value.is_finite() and value.adjusted() > MAX_INT_BITS // 3) or (
        isinstance(value, str) and len(value) > MAX_INT_BITS // 3 + 10
    )
    if too_large:
        raise ExpressionError(gettext("Number too large."))


def _int(value: Any = 0, *args: Any) -> int:
    _check_int_source(value)
    return int(value, *args)


def _round(number: Any, ndigits: int | None = None) -> Any:
    if ndigits is None:
        _check_int_source(number)
        return round(number)
    if not isinstance(ndigits, int) or abs(ndigits) > MAX_ROUND_DIGITS:
        raise ExpressionError(gettext("round() accepts at most %(limit)d digits.") % {"limit": MAX_ROUND_DIGITS})
    return round(number, ndigits)


def _sum(values: Iterable[Any], start: Any = 0) -> Any:
    # Only numbers and durations: adding lists or strings would build unbounded sequences.
    if not isinstance(start, _NUMBERS):
        raise ExpressionError(gettext("sum() only adds numbers and durations."))
    total = start
    for item in values:
        if not isinstance(item, _NUMBERS):
            raise ExpressionError(gettext("sum() only adds numbers and durations."))
        total = total + item
    return total


def _parse_date(value: Any) -> dt.date:
    """An ISO date (2026-01-31), an ISO date-time (its date) or a German date (31.01.2026)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) > 40:
        raise ExpressionError(gettext("Not a date: %(value)s") % {"value": _safe_str(value)[:40]})
    text = value.strip()
    german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        if german:
            return dt.date(int(german[3]), int(german[2]), int(german[1]))
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise ExpressionError(gettext("Not a date: %(value)s") % {"value": text}) from None


def _aware(value: dt.datetime) -> dt.datetime:
    # Datetimes the platform stores are aware; naive ones would not even compare with them.
    if settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _date(*args: Any) -> dt.date:
    if len(args) == 1:
        return _parse_date(args[0])
    return dt.date(*args)


def _datetime(*args: Any, **kwargs: Any) -> dt.datetime:
    if len(args) == 1 and not kwargs and isinstance(args[0], str):
        parsed = dateparse.parse_datetime(args[0].strip()) if len(args[0]) <= 40 else None
        if parsed is None:
            raise ExpressionError(gettext("Not a date and time: %(value)s") % {"value": args[0][:40]})
        return _aware(parsed)
    return _aware(dt.datetime(*args, **kwargs))


def _timedelta(
    days: float = 0, seconds: float = 0, *, weeks: float = 0, hours: float = 0, minutes: float = 0
) -> dt.timedelta:
    return dt.timedelta(days=days, seconds=seconds, weeks=weeks, hours=hours, minutes=minutes)


def _today() -> dt.date:
    return timezone.localdate() if settings.USE_TZ else dt.date.today()


def _now() -> dt.datetime:
    return timezone.localtime() if settings.USE_TZ else dt.datetime.now()


def _decimal(value: Any = 0) -> Decimal:
    if isinstance(value, str) and len(value) > 200:
        raise _too_long()
    return Decimal(value)


def _empty(value: Any) -> bool:
    """JUEL `empty`: None, or an empty text or collection."""
    return value is None or (isinstance(value, str | list | tuple | dict | set | frozenset) and not value)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": len,
    "min": min,
    "max": max,
    "abs": abs,
    "round": _round,
    "sum": _sum,
    "int": _int,
    "float": float,
    "str": _safe_str,
    "bool": bool,
    "any": any,
    "all": all,
    "sorted": _sorted,
    "list": _list,
    "date": _date,
    "datetime": _datetime,
    "timedelta": _timedelta,
    "today": _today,
    "heute": _today,
    "now": _now,
    "jetzt": _now,
    "Decimal": _decimal,
    "parse_date": _parse_date,
    "empty": _empty,
}


# --- Static checks ----------------------------------------------------------------------------------------------------

_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.keyword,
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.List,
    ast.Tuple,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.GeneratorExp,
    ast.DictComp,
    ast.comprehension,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.expr_context,
    ast.boolop,
    ast.cmpop,
    ast.operator,
    ast.unaryop,
)
_CONSTANT_TYPES = (str, int, float, bool, type(None))
_REFUSED_NODES = {  # translated when raised
    ast.Lambda: gettext_noop("Lambda functions are not allowed."),
    ast.NamedExpr: gettext_noop("Assignment expressions (:=) are not allowed."),
    ast.Starred: gettext_noop("Unpacking with * is not allowed."),
    ast.Await: gettext_noop("Await is not allowed."),
    ast.Yield: gettext_noop("Yield is not allowed."),
    ast.YieldFrom: gettext_noop("Yield is not allowed."),
    ast.SetComp: gettext_noop("Set comprehensions are not allowed."),
}


def _underscore(name: str, expression: str) -> ExpressionError:
    return ExpressionError(
        gettext("Names starting with an underscore are not allowed: %(name)s") % {"name": name}, expression
    )


def _check_node(node: ast.AST, expression: str) -> None:
    if not isinstance(node, _ALLOWED_NODES):
        message = _REFUSED_NODES.get(type(node))
        if message:
            raise ExpressionError(gettext(message), expression)
        raise ExpressionError(
            gettext("Not allowed in expressions: %(construct)s") % {"construct": type(node).__name__}, expression
        )
    if isinstance(node, ast.Name) and node.id.startswith("_"):
        raise _underscore(node.id, expression)
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            raise _underscore(node.attr, expression)
        if node.attr in _REFUSED_MEMBERS:
            raise ExpressionError(gettext("Attribute not allowed: %(name)s") % {"name": node.attr}, expression)
    elif isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            if node.func.id.startswith("_"):
                raise _underscore(node.func.id, expression)
            if node.func.id not in FUNCTIONS:
                raise ExpressionError(gettext("Function not allowed: %(name)s") % {"name": node.func.id}, expression)
        elif not isinstance(node.func, ast.Attribute):
            raise ExpressionError(gettext("Only functions and allowed methods can be called."), expression)
        elif node.func.attr not in ALLOWED_ATTRIBUTES and not node.func.attr.startswith("_"):
            raise ExpressionError(gettext("Attribute not allowed: %(name)s") % {"name": node.func.attr}, expression)
        if any(item.arg is None for item in node.keywords):
            raise ExpressionError(gettext("Unpacking with ** is not allowed."), expression)
    elif isinstance(node, ast.BinOp | ast.UnaryOp) and type(node.op) not in _OPERATORS:
        symbol = _OPERATOR_SYMBOLS.get(type(node.op), type(node.op).__name__)
        raise ExpressionError(gettext("Operator not allowed: %(operator)s") % {"operator": symbol}, expression)
    elif isinstance(node, ast.Constant):
        value = node.value
        if not isinstance(value, _CONSTANT_TYPES):
            raise ExpressionError(
                gettext("Not allowed in expressions: %(construct)s") % {"construct": type(value).__name__}, expression
            )
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise ExpressionError(gettext("Number too large."), expression)
    elif isinstance(node, ast.FormattedValue) and (node.format_spec is not None or node.conversion != -1):
        raise ExpressionError(
            gettext("Format specifications and conversions in f-strings are not allowed."), expression
        )
    elif isinstance(node, ast.comprehension) and node.is_async:
        raise ExpressionError(gettext("Not allowed in expressions: %(construct)s") % {"construct": "async"}, expression)


def _nested_too_deeply(expression: str) -> ExpressionError:
    return ExpressionError(
        gettext("Expression is nested too deeply (more than %(limit)d levels).") % {"limit": MAX_DEPTH}, expression
    )


def _check_tree(tree: ast.Expression, expression: str) -> None:
    # Iterative on purpose: a recursive walk of a hostile tree is itself a RecursionError.
    nodes: list[ast.AST] = []
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        nodes.append(node)
        if len(nodes) > MAX_NODES:
            raise ExpressionError(
                gettext("Expression is too complex (more than %(limit)d elements).") % {"limit": MAX_NODES},
                expression,
            )
        if depth > MAX_DEPTH:
            raise _nested_too_deeply(expression)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    # Underscore names first: the clearest sign of an escape attempt makes the clearest message.
    for node in nodes:
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        if name.startswith("_"):
            raise _underscore(name, expression)
    for node in nodes:
        _check_node(node, expression)


@functools.lru_cache(maxsize=2048)
def _compile(expression: str) -> ast.Expression:
    """Translated, parsed and checked syntax tree of an expression (cached: models are evaluated many times)."""
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            gettext("Expression is too long (%(length)d characters, at most %(limit)d).")
            % {"length": len(expression), "limit": MAX_EXPRESSION_LENGTH},
            expression[:200],
        )
    try:
        source = normalize_expression(expression)
    except RecursionError:
        raise _nested_too_deeply(expression) from None
    if not source:
        raise ExpressionError(gettext("Expression is empty."), expression)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise _syntax_error(error.msg, expression) from None
    except (RecursionError, MemoryError, ValueError):  # ValueError: NUL characters
        raise ExpressionError(gettext("Expression cannot be parsed."), expression) from None
    _check_tree(tree, expression)
    return tree


# --- Evaluation -------------------------------------------------------------------------------------------------------


class SafeEvaluator(EvalWithCompoundTypes):
    """simpleeval with the hardening described in the module docstring. One instance per evaluation."""

    def __init__(self, names: Mapping[str, Any], *, max_steps: int = MAX_STEPS, deadline: float | None = None) -> None:
        super().__init__(operators=dict(_OPERATORS), functions=dict(FUNCTIONS), names=names)
        self.functions = dict(FUNCTIONS)  # EvalWithCompoundTypes adds list/tuple/dict/set constructors
        self.max_steps = max_steps
        self.deadline = deadline
        self._steps = 0
        self._weights: dict[int, tuple[Any, int]] = {}

    def run(self, tree: ast.Expression, expression: str) -> Any:
        self.expr = expression
        self._steps = 0
        self._max_count = 0
        if self.deadline is None:
            self.deadline = time.monotonic() + MAX_SECONDS
        try:
            return self._eval(tree.body)
        except ExpressionError as error:
            error.expression = error.expression or expression
            raise
        except Exception as error:  # whatever tenant code triggers becomes one clear error
            raise _explain(error, expression) from error

    def _eval(self, node: ast.AST) -> Any:
        self._steps += 1
        if self._steps > self.max_steps:
            raise ExpressionError(
                gettext("Evaluation takes too long (more than %(limit)d steps).") % {"limit": self.max_steps}
            )
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ExpressionError(gettext("Evaluation takes too long."))
        handler = self.nodes.get(type(node))
        if handler is None:
            raise ExpressionError(
                gettext("Not allowed in expressions: %(construct)s") % {"construct": type(node).__name__}
            )
        result = handler(node)
        if not isinstance(result, _VALUE_TYPES):
            raise ExpressionError(
                gettext("Values of type %(type)s are not supported.") % {"type": type(result).__name__}
            )
        if type(result) is int and result.bit_length() > MAX_INT_BITS:
            raise ExpressionError(gettext("Number too large."))
        if isinstance(result, _CONTAINERS) and not isinstance(node, _READS) and self._weight(result) > MAX_LENGTH:
            raise _too_long()
        return result

    def _weight(self, value: Any) -> int:
        """Elements of a container counted through all nesting and aliasing (`[big] * n` weighs n times `big`).

        Bounding what expressions build keeps every single comparison, `in`, sort or `max` (one step each, so
        between two deadline checks) proportional to MAX_LENGTH. Memoised per evaluation: containers never
        change during one, since no mutating method is allowed."""
        if not isinstance(value, _CONTAINERS):
            return 1
        known = self._weights.get(id(value))
        if known is not None:
            return known[1]
        total = 1
        for item in value.items() if isinstance(value, dict) else value:
            total += self._weight(item)
            if total > MAX_LENGTH:
                break
        self._weights[id(value)] = (value, total)  # keeps `value` alive, so its id stays unique
        return total

    def _eval_name(self, node: ast.Name) -> Any:
        # Only data: functions are never values, so they can only be called by name.
        try:
            return self.names[node.id]
        except KeyError:
            raise ExpressionError(gettext("Unknown variable: %(name)s") % {"name": node.id}) from None

    def _eval_attribute(self, node: ast.Attribute) -> Any:
        target = self._eval(node.value)
        if isinstance(target, dict) and node.attr not in _DICT_METHODS:  # `antrag.betrag`, as in JUEL
            try:
                return target[node.attr]
            except KeyError:
                raise ExpressionError(gettext("Unknown key: %(name)s") % {"name": node.attr}) from None
        value = self._attribute(target, node.attr)
        if callable(value):
            raise ExpressionError(gettext("Methods must be called: %(name)s") % {"name": node.attr})
        return value

    @staticmethod
    def _attribute(target: Any, name: str) -> Any:
        if name.startswith("_") or name not in _attributes_of(target):
            raise ExpressionError(
                gettext("Attribute not allowed on %(type)s values: %(name)s")
                % {"type": type(target).__name__, "name": name}
            )
        return getattr(target, name)

    def _eval_call(self, node: ast.Call) -> Any:
        if isinstance(node.func, ast.Name):
            function = self.functions.get(node.func.id)
            if function is None:
                raise ExpressionError(gettext("Function not allowed: %(name)s") % {"name": node.func.id})
        elif isinstance(node.func, ast.Attribute):
            function = self._attribute(self._eval(node.func.value), node.func.attr)
            if not callable(function):
                raise ExpressionError(gettext("Not a method: %(name)s") % {"name": node.func.attr})
        else:
            raise ExpressionError(gettext("Only functions and allowed methods can be called."))
        args = [self._eval(arg) for arg in node.args]
        kwargs = {item.arg: self._eval(item.value) for item in node.keywords if item.arg is not None}
        return function(*args, **kwargs)

    def _eval_joinedstr(self, node: ast.JoinedStr) -> str:
        parts: list[str] = []
        total = 0
        for value in node.values:
            part = value.value if isinstance(value, ast.Constant) else _safe_str(self._eval(value))
            total += len(part)
            if total > MAX_LENGTH:
                raise _too_long()
            parts.append(part)
        return "".join(parts)

    def _eval_formattedvalue(self, node: ast.FormattedValue) -> Any:
        return self._eval(node.value)  # format specs and conversions are refused statically


def _explain(error: Exception, expression: str) -> ExpressionError:
    if isinstance(error, IterableTooLong):  # simpleeval's bound on comprehension iterations
        message = gettext("Too many iterations (more than %(limit)d).") % {"limit": MAX_COMPREHENSION_LENGTH}
    elif isinstance(error, InvalidExpression):
        message = gettext("Expression refused: %(detail)s") % {"detail": error}
    elif isinstance(error, ZeroDivisionError):
        message = gettext("Division by zero.")
    elif isinstance(error, KeyError):
        message = gettext("Key not found: %(key)s") % {"key": _safe_str(error.args[0])[:80] if error.args else ""}
    elif isinstance(error, IndexError):
        message = gettext("Index out of range.")
    elif isinstance(error, RecursionError):
        message = gettext("Expression or data is nested too deeply.")
    elif isinstance(error, MemoryError):
        message = gettext("Result too large.")
    else:
        message = gettext("Evaluation failed: %(detail)s") % {"detail": f"{type(error).__name__}: {error}"[:300]}
    return ExpressionError(message, expression)


def evaluate(
    expression: str,
    data: Mapping[str, Any] | None = None,
    *,
    extra: Mapping[str, Any] | None = None,
    deadline: float | None = None,
) -> Any:
    """The value of `expression` with the variables in `data` (and `extra`, which `data` overrides).

    Raises ExpressionError for anything refused or failing."""
    if not isinstance(expression, str):
        raise ExpressionError(gettext("Expression is empty."), "")
    tree = _compile(expression)
    names: Mapping[str, Any] = ChainMap(data or {}, extra) if extra else (data or {})
    return SafeEvaluator(names, deadline=deadline).run(tree, expression)


def validate_expression(expression: str) -> None:
    """Parse and check an expression without evaluating it (for import-time checks of models)."""
    if not isinstance(expression, str):
        raise ExpressionError(gettext("Expression is empty."), "")
    _compile(expression)


# --- DMN unary tests --------------------------------------------------------------------------------------------------

_COMPARISON_PREFIXES = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "!=": "!=", "==": "==", "=": "=="}


def _standalone(text: str, entry: str) -> str:
    """`text` if it is a complete expression on its own (so wrapping it in brackets cannot change its meaning)."""
    try:
        _compile(text)
    except ExpressionError as error:
        error.expression = entry
        raise
    return text


@dataclass(frozen=True, slots=True)
class UnaryTests:
    """A DMN input entry as boolean expressions over DMN_INPUT_NAME: it matches when any of them is true (when none
    is, if `negated`). Each expression is checked by the evaluator and stays about as short as the text it came from."""

    expressions: tuple[str, ...]
    negated: bool = False

    def matches(self, test: Callable[[str], Any]) -> bool:
        """`test` evaluates one expression (with the input value bound to DMN_INPUT_NAME)."""
        return any(bool(test(expression)) for expression in self.expressions) != self.negated


def _unary_test_item(item: str, entry: str) -> tuple[str | None, str | None]:
    """(value, None) for a plain value to compare with, else (None, boolean expression)."""
    text = item.strip()
    if not text:
        raise _syntax_error(gettext("empty test in a comma list"), entry)
    tokens = _tokens(text)
    if any(_is_op(token, "?") for token in tokens):  # Spiff's `? > 5 and ? < 10`
        return None, _standalone(
            _join(_Token("name", DMN_INPUT_NAME) if _is_op(token, "?") else token for token in tokens), entry
        )
    first, last = text[0], text[-1]
    if first in "[(]" and last in "])[":
        inner = text[1:-1]
        inner_tokens = _tokens(inner)
        dots = [i for i, token in _top_level(inner_tokens) if _is_op(token, "..")]
        if len(dots) == 1:
            low = _standalone(_join(inner_tokens[: dots[0]]).strip(), entry)
            high = _standalone(_join(inner_tokens[dots[0] + 1 :]).strip(), entry)
            low_op = "<=" if first == "[" else "<"
            high_op = "<=" if last == "]" else "<"
            return None, _standalone(f"({low}) {low_op} {DMN_INPUT_NAME} {high_op} ({high})", entry)
    start = _next_significant(tokens, 0)
    if start < len(tokens) and tokens[start].kind == "op" and tokens[start].text in _COMPARISON_PREFIXES:
        operand = _standalone(_join(tokens[start + 1 :]).strip(), entry)
        return None, _standalone(f"{DMN_INPUT_NAME} {_COMPARISON_PREFIXES[tokens[start].text]} ({operand})", entry)
    try:
        return _standalone(text, entry), None
    except ExpressionSyntaxError:
        # Spiff's own style continues the input: `in ("a", "b")`, `.startswith("A")`, `is None`.
        joined = f"{DMN_INPUT_NAME}{'' if text[0] in '.[' else ' '}{text}"
        try:
            return None, _standalone(joined, entry)
        except ExpressionSyntaxError:
            raise _syntax_error(gettext("not a valid DMN test"), entry) from None


def _split_unary_tests(text: str) -> list[str]:
    """Split a DMN entry at its top-level commas. FEEL ranges may open with `]` and close with `[`
    (`]1..5]`, `[1..5[`), which plain bracket counting would take for nesting."""
    tokens = _tokens(text)
    parts: list[str] = []
    start, depth = 0, 0
    item_start, range_item, dots = True, False, False
    for i, token in enumerate(tokens):
        if token.kind == "ws":
            continue
        if item_start:
            item_start = False
            range_item = _is_op(token, "[", "(", "]")
            if _is_op(token, "]"):
                depth = 1
                continue
        if range_item and depth == 1 and _is_op(token, ".."):
            dots = True
        elif range_item and dots and depth == 1 and _is_op(token, "["):
            depth = 0
        elif _is_op(token, *_OPENERS):
            depth += 1
        elif _is_op(token, *_CLOSERS):
            depth -= 1
        elif depth == 0 and _is_op(token, ","):
            parts.append(_join(tokens[start:i]))
            start = i + 1
            item_start, range_item, dots = True, False, False
    parts.append(_join(tokens[start:]))
    return parts


def unary_tests(entry: str | None) -> UnaryTests | None:
    """A DMN input entry read as FEEL-style unary tests; None when it matches anything.

    Understood: `-` or empty, comparisons (`> 5000`, `<= date(2026, 1, 31)`), values (`"Straße"`, `5`),
    ranges (`[1..5]`, `]1..5[`, `(1..5]`), comma lists (any of them), `not(...)`, and Spiff's `?` expressions
    (`? > 5 and ? < 10`) and continuations (`in ("a", "b")`)."""
    try:
        return _unary_tests(entry)
    except RecursionError:
        raise _nested_too_deeply(entry or "") from None


def _unary_tests(entry: str | None) -> UnaryTests | None:
    text = (entry or "").strip()
    if not text or text == "-":
        return None
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            gettext("Expression is too long (%(length)d characters, at most %(limit)d).")
            % {"length": len(text), "limit": MAX_EXPRESSION_LENGTH},
            text[:200],
        )
    text = _unwrap(text)
    tokens = _tokens(text)
    start = _next_significant(tokens, 0)
    if start < len(tokens) and tokens[start].kind == "name" and tokens[start].text == "not":
        opening = _next_significant(tokens, start + 1)
        if opening < len(tokens) and _is_op(tokens[opening], "(") and _is_op(tokens[-1], ")"):
            # FEEL brackets inside (`not(]1..5])`) confuse bracket counting, so a failed attempt is not final.
            definite = _group_end(tokens, opening) == len(tokens)
            try:
                inner = _unary_tests(_join(tokens[opening + 1 : -1]))
            except ExpressionError:
                if definite:
                    raise
            else:
                return UnaryTests(()) if inner is None else UnaryTests(inner.expressions, not inner.negated)
    values: list[str] = []
    expressions: list[str] = []
    for item in _split_unary_tests(text):
        value, expression = _unary_test_item(item, text)
        if value is not None:
            values.append(value)
        if expression is not None:
            expressions.append(expression)
    if values:
        # One membership test for all plain values; each is a complete expression without top-level commas,
        # so listing them in a tuple display keeps every one intact.
        membership = (
            f"{DMN_INPUT_NAME} == ({values[0]})" if len(values) == 1 else f"{DMN_INPUT_NAME} in ({', '.join(values)},)"
        )
        expressions.insert(0, _standalone(membership, text))
    return UnaryTests(tuple(expressions))


def validate_unary_tests(entry: str | None) -> None:
    """Parse and check a DMN input entry without evaluating it."""
    unary_tests(entry)


# --- Scripts ----------------------------------------------------------------------------------------------------------

_TARGET = re.compile(r"""([^\W\d]\w*)((?:\s*\[\s*(?:"[^"\\\n]*"|'[^'\\\n]*')\s*\])*)""")
_KEY = re.compile(r""""([^"\\\n]*)"|'([^'\\\n]*)'""")
_AUGMENTED = frozenset({"+", "-", "*", "/", "%", "**", "//", "&", "|", "^", "@", "<", ">", ":"})


@dataclass(frozen=True, slots=True)
class Assignment:
    """One script line: `name = expression` or `name["key"]... = expression`."""

    line: int
    name: str
    keys: tuple[str, ...]
    expression: str


def _line_error(line: int, message: str, text: str) -> ExpressionError:
    return ExpressionError(gettext("Line %(line)d: %(message)s") % {"line": line, "message": message}, text, line=line)


def _parse_line(number: int, text: str) -> Assignment:
    only = gettext("only assignments of the form 'name = expression' are allowed")
    tokens = _tokens(text)
    equals = next((i for i, token in _top_level(tokens) if _is_op(token, "=")), None)
    if equals is None:
        raise _line_error(number, only, text)
    if equals > 0 and tokens[equals - 1].kind == "op" and tokens[equals - 1].text in _AUGMENTED:
        raise _line_error(number, gettext("augmented assignment is not allowed, write 'x = x + 1' instead"), text)
    target = _join(tokens[:equals]).strip()
    expression = _join(tokens[equals + 1 :]).strip()
    match = _TARGET.fullmatch(target)
    if not match:
        if target.startswith("_") or "._" in target or "__" in target:
            raise _line_error(number, str(_underscore(target, text)), text)
        if "." in target:
            raise _line_error(number, gettext("assignments to attributes are not allowed"), text)
        raise _line_error(number, only, text)
    name = match[1]
    keys = tuple(double or single for double, single in _KEY.findall(match[2]))
    if name.startswith("_") or any(key.startswith("_") for key in keys):
        raise _line_error(number, str(_underscore(name if name.startswith("_") else keys[0], text)), text)
    if keyword.iskeyword(name) or name in RESERVED_NAMES:
        raise _line_error(number, gettext("reserved name: %(name)s") % {"name": name}, text)
    if not expression:
        raise _line_error(number, only, text)
    try:
        _compile(expression)
    except ExpressionError as error:
        raise _line_error(number, error.message, text) from None
    return Assignment(number, name, keys, expression)


@functools.lru_cache(maxsize=512)
def compile_script(script: str) -> tuple[Assignment, ...]:
    """The checked assignments of a script task. Blank lines and `#` comments are skipped."""
    if len(script) > MAX_SCRIPT_LENGTH:
        raise ExpressionError(
            gettext("Script is too long (%(length)d characters, at most %(limit)d).")
            % {"length": len(script), "limit": MAX_SCRIPT_LENGTH},
            script[:200],
        )
    lines = script.splitlines()
    if len(lines) > MAX_SCRIPT_LINES:
        raise ExpressionError(
            gettext("Script has too many lines (at most %(limit)d).") % {"limit": MAX_SCRIPT_LINES}, script[:200]
        )
    assignments = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if text and not text.startswith("#"):
            assignments.append(_parse_line(number, text))
    return tuple(assignments)


def validate_script(script: str) -> None:
    """Check a script task without running it (for import-time checks of models)."""
    compile_script(script or "")


def _with_key(container: Mapping[str, Any], keys: tuple[str, ...], value: Any, line: int, text: str) -> dict:
    # Copies along the path, so task data only changes when the whole script succeeded.
    result = dict(container)
    if len(keys) == 1:
        result[keys[0]] = value
        return result
    child = result.get(keys[0])
    if child is None:
        child = {}
    elif not isinstance(child, Mapping):
        raise _line_error(line, gettext("%(name)s is not a dictionary") % {"name": keys[0]}, text)
    result[keys[0]] = _with_key(child, keys[1:], value, line, text)
    return result


def _storable(value: Any) -> Any:
    """A copy fit for task data, which is stored as JSON: dict views and sets become lists."""
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, (list, set, frozenset, *_VIEWS)):
        return [_storable(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_storable(item) for item in value)
    return value


def run_script(script: str, data: Mapping[str, Any], *, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Run a script task against `data` and return the variables it assigns (`data` itself is left unchanged).

    Each line sees the data, `extra` and everything assigned on the lines before it."""
    changes: dict[str, Any] = {}
    names = ChainMap(changes, data, extra or {})
    deadline = time.monotonic() + MAX_SCRIPT_SECONDS
    for assignment in compile_script(script or ""):
        try:
            evaluator = SafeEvaluator(names, deadline=deadline)
            value = _storable(evaluator.run(_compile(assignment.expression), assignment.expression))
        except RecursionError:
            raise _line_error(
                assignment.line, gettext("Expression or data is nested too deeply."), assignment.expression
            ) from None
        except ExpressionError as error:
            raise _line_error(assignment.line, error.message, assignment.expression) from error
        if assignment.keys:
            current = names.get(assignment.name, {})
            if not isinstance(current, Mapping):
                raise _line_error(
                    assignment.line,
                    gettext("%(name)s is not a dictionary") % {"name": assignment.name},
                    assignment.expression,
                )
            value = _with_key(current, assignment.keys, value, assignment.line, assignment.expression)
        changes[assignment.name] = value
    return changes

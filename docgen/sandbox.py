"""The sandbox every template and narrative expression runs in: Jinja's immutable sandbox (no attribute of
Python's internals, no method that changes data — what expressions are handed is read-only) with
autoescaping and StrictUndefined (a misspelt name is an error, never an empty cell), docgen's formatting
filters and functions, and nothing else. Templates and data files come from anywhere: this is the one place
that decides what their expressions may reach and how much they may compute.

Bounded per rendering of one text or template (limits.py): loop iterations, calls and call depth (counted on
the render's own Jinja context), the size of what `*`, `+`, `~`, `**`, `%` and the output produce, format
widths. Builtin filters are a safe selection; the ones that can multiply a text are checked first."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import cache, wraps
from typing import Any

from docgen import formatting, limits
from docgen.errors import ExpressionLimit
from docgen.messages import message

# Output of one render (a report's document.xml is 0.1–2 MB).
MAX_OUTPUT = 16 * 1024 * 1024

# Jinja's own filters an expression may use: none of these can make more than its input's size.
_SAFE_FILTERS = [
    "abs",
    "attr",
    "capitalize",
    "count",
    "d",
    "default",
    "dictsort",
    "e",
    "escape",
    "first",
    "float",
    "forceescape",
    "groupby",
    "items",
    "last",
    "length",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "reject",
    "rejectattr",
    "reverse",
    "safe",
    "select",
    "selectattr",
    "sort",
    "string",
    "striptags",
    "sum",
    "title",
    "trim",
    "truncate",
    "unique",
    "upper",
    "wordcount",
]
# The methods of text and sequences an expression may call: they read, or make at most a few times what
# they are given (upper of ﬃ is FFI); the work budget counts what they make.
_TEXT_METHODS = frozenset(
    [
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "title",
        "capitalize",
        "casefold",
        "swapcase",
        "startswith",
        "endswith",
        "split",
        "rsplit",
        "splitlines",
        "partition",
        "rpartition",
        "count",
        "find",
        "rfind",
        "index",
        "rindex",
        "isdigit",
        "isalpha",
        "isalnum",
        "isnumeric",
        "isdecimal",
        "isspace",
        "istitle",
        "isupper",
        "islower",
    ]
)
_SEQUENCE_METHODS = frozenset({"count", "index"})
_FORMAT_FIELD = re.compile(r"%[-+ #0]*(\d*)(?:\.(\d*))?")


def _limit(kind: str, limit: object) -> ExpressionLimit:
    return ExpressionLimit(message("expression-limit", what=message(f"limit-{kind}"), limit=limit))


class _Budget:
    """What one render may still spend; kept on the render's Jinja context (macros share it)."""

    __slots__ = ("calls", "depth", "iterations", "work")

    def __init__(self) -> None:
        self.iterations = limits.MAX_LOOP_ITERATIONS
        self.calls = limits.MAX_CALLS
        self.depth = 0
        self.work = limits.MAX_WORK

    def spend_iteration(self) -> None:
        self.iterations -= 1
        if self.iterations < 0:
            raise _limit("loop", limits.MAX_LOOP_ITERATIONS)

    def spend_call(self) -> None:
        self.calls -= 1
        if self.calls < 0:
            raise _limit("calls", limits.MAX_CALLS)

    def charge(self, *values: Any) -> None:
        """Text and items a call was handed or gave back: each size check bounds one value; this bounds
        what all of a report's expressions handle together (30,000 copies of a long text upper-cased
        one by one, a long text sorted a hundred times)."""
        self.work -= sum(_sized(value) or 0 for value in values)
        if self.work < 0:
            raise _limit("work", limits.MAX_WORK)


def new_budget() -> _Budget:
    """A budget several renders share (a report's narrative texts: put it in their names as BUDGET)."""
    return _Budget()


BUDGET = "__docgen_budget__"


class Members:
    """A value whose members expressions read by name (figure groups and rows, variables.py): the sandbox asks
    `member` first, as it reads a dict's keys first, instead of trying Python attributes; a name it raises
    KeyError for goes the sandbox's usual way (a method it allows, else undefined)."""

    __slots__ = ()

    def member(self, name: str) -> Any:
        raise KeyError(name)


def member_names(value: Any) -> list[Any]:
    """The names an expression can read on `value`, for a did-you-mean: a dict's keys, a figure row's columns."""
    if dataclasses.is_dataclass(value):  # the 通报's content
        return [field.name for field in dataclasses.fields(value)]
    return list(value) if isinstance(value, dict) else list(getattr(value, "NAMES", ()))


def _budget(context: Any) -> _Budget:
    budget = getattr(context, "_docgen_budget", None)
    if budget is None:
        shared = context.parent.get(BUDGET) if isinstance(context.parent, dict) else None
        budget = shared if isinstance(shared, _Budget) else _Budget()
        context._docgen_budget = budget
    return budget


def _sized(value: Any) -> int | None:
    """How much a text or sequence holds: a list counts its items and the texts and lists in them (a list of
    100,000 copies of a long text is as large as the text repeated)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return len(value) + sum(len(item) for item in value if isinstance(item, (str, list, tuple)))
    return None


def _check_size(size: int) -> None:
    if size > limits.MAX_SEQUENCE:
        raise _limit("sequence", limits.MAX_SEQUENCE)


def _check_widths(text: str) -> None:
    for width, precision in _FORMAT_FIELD.findall(text):
        if max(len(width), len(precision)) > 3 or max(int(width or 0), int(precision or 0)) > limits.MAX_FORMAT_WIDTH:
            raise _limit("format", limits.MAX_FORMAT_WIDTH)


def _integer_bits(value: Any) -> int:
    return abs(value).bit_length() if isinstance(value, int) and not isinstance(value, bool) else 0


def _bounded_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too large, before it is computed."""
    if operator == "**":
        if _integer_bits(left) > 1 and isinstance(right, int) and right * _integer_bits(left) > limits.MAX_POWER_BITS:
            raise _limit("power", limits.MAX_POWER_BITS)
    elif operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if _sized(sequence) is not None and isinstance(count, int):
                _check_size(_sized(sequence) * max(count, 0))  # type: ignore[operator]
        if _integer_bits(left) + _integer_bits(right) > limits.MAX_POWER_BITS:
            raise _limit("power", limits.MAX_POWER_BITS)
    elif operator == "+":
        if _sized(left) is not None and _sized(right) is not None:
            _check_size(_sized(left) + _sized(right))  # type: ignore[operator]
    elif operator == "%" and isinstance(left, str):
        _check_widths(left)


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > limits.MAX_RANGE:
        raise _limit("range", limits.MAX_RANGE)
    return numbers


def _guarded(function: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    """A filter that runs `check` on its arguments first (and takes Jinja's context as the original does)."""

    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return function(*args, **kwargs)

    if hasattr(function, "jinja_pass_arg"):
        guarded.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    return guarded


def _join(function: Callable[..., Any]) -> Callable[..., Any]:
    """join, its items counted and measured first (and handed on as a list: a generator is read once)."""

    @wraps(function)
    def join(eval_context: Any, value: Any, separator: str = "", attribute: Any = None) -> Any:
        items = []
        for item in value:
            items.append(item)
            if len(items) > limits.MAX_SEQUENCE:
                raise _limit("sequence", limits.MAX_SEQUENCE)
        _check_size(sum(len(str(item)) for item in items) + len(str(separator)) * max(len(items) - 1, 0))
        return function(eval_context, items, separator, attribute)

    join.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    return join


def _check_replace(_context: Any, value: Any, old: Any, new: Any, count: Any = None) -> None:
    text, old, new = str(value), str(old), str(new)
    occurrences = text.count(old) if old else len(text) + 1
    _check_size(len(text) + occurrences * max(len(new) - len(old), 0))


def _check_pad(value: Any, width: Any = 80, *args: Any, **kwargs: Any) -> None:
    if isinstance(width, int) and width > limits.MAX_FORMAT_WIDTH:
        raise _limit("format", limits.MAX_FORMAT_WIDTH)
    text = str(value)
    _check_size(len(text) + len(text.splitlines() or [""]) * (width if isinstance(width, int) else len(str(width))))


def _check_format(value: Any, *args: Any, **kwargs: Any) -> None:
    _check_widths(str(value))
    _check_size(len(str(value)) + sum(_sized(arg) or len(str(arg)) for arg in (*args, *kwargs.values())))


def _check_sum(_environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> None:
    if isinstance(start, bool) or not isinstance(start, (int, float, Decimal)):  # lists added up: quadratic
        raise _limit("sequence", limits.MAX_SEQUENCE)


def _check_int(value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() > 100:
        raise _limit("power", limits.MAX_POWER_BITS)


def _charged(function: Callable[..., Any]) -> Callable[..., Any]:
    """One of Jinja's filters, its input and output charged to the render's budget. (docgen's own filters
    take numbers and dates: bounded, and the Word templates call them for every cell, so they go free.)"""
    from jinja2 import pass_context
    from jinja2.utils import _PassArg  # how Jinja itself tells what a filter takes (private, stable since 3.0)

    passed = _PassArg.from_obj(function)

    @pass_context
    @wraps(function)
    def charged(context: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _budget(context)
        budget.charge(value)
        if passed is _PassArg.context:
            result = function(context, value, *args, **kwargs)
        elif passed is _PassArg.eval_context:
            result = function(context.eval_ctx, value, *args, **kwargs)
        elif passed is _PassArg.environment:
            result = function(context.environment, value, *args, **kwargs)
        else:
            result = function(value, *args, **kwargs)
        budget.charge(result)
        return result

    return charged


def filters() -> dict[str, Callable[..., Any]]:
    """The filters expressions may use: Jinja's safe ones, its amplifying ones checked, docgen's own."""
    from jinja2.filters import FILTERS

    chosen = {name: _charged(FILTERS[name]) for name in _SAFE_FILTERS}
    chosen |= {
        "join": _join(FILTERS["join"]),
        "replace": _guarded(FILTERS["replace"], _check_replace),
        "center": _guarded(FILTERS["center"], _check_pad),
        "indent": _guarded(FILTERS["indent"], _check_pad),
        "format": _guarded(FILTERS["format"], _check_format),
        "int": _guarded(FILTERS["int"], _check_int),
        "sum": _guarded(FILTERS["sum"], _check_sum),
        "round": _guarded(FILTERS["round"], _check_int),
    }
    return {**chosen, **formatting.FILTERS}


_NOT_A_MEMBER = object()


def _member(obj: Any, attribute: str) -> Any:
    """`figures.hotline.total` on Members: the value at once, or _NOT_A_MEMBER for the sandbox's usual way
    (a method it allows, else undefined)."""
    if isinstance(obj, Members):
        try:
            return obj.member(attribute)
        except KeyError:
            pass
    return _NOT_A_MEMBER


def _forbidden_attribute(obj: Any, attribute: str) -> bool:
    """Methods the immutable sandbox would allow but that nothing a report needs and that can compute without
    bound: (0).to_bytes(10**9), any text method outside the list, a figure row's list methods."""
    if isinstance(obj, (str, bytes)):
        return attribute not in _TEXT_METHODS
    if type(obj) in (list, tuple):  # figure rows name their columns
        return attribute not in _SEQUENCE_METHODS
    return isinstance(obj, (int, float, Decimal))


def _bounded_output(parts: Iterable[str]) -> str:
    collected: list[str] = []
    keep, size = collected.append, 0  # a document yields hundreds of parts: the loop is kept tight
    for part in parts:
        size += len(part)
        if size > MAX_OUTPUT:
            raise _limit("output", MAX_OUTPUT // (1024 * 1024))
        keep(part)
    return "".join(collected)


def _bounded_globals() -> dict[str, Any]:
    """The loop and `~` helpers the parser routes every `for` and concatenation through."""
    from jinja2 import pass_context
    from jinja2.runtime import markup_join

    @pass_context
    def bounded_loop(context: Any, iterable: Iterable[Any]) -> Iterator[Any]:
        budget = _budget(context)
        for item in iterable:
            budget.spend_iteration()
            yield item

    def bounded_concat(*parts: Any) -> Any:
        _check_size(sum(len(str(part)) for part in parts))
        return markup_join(parts)

    return {"__loop__": bounded_loop, "__concat__": bounded_concat}


def _bounding_transformer() -> Any:
    """A parse-tree pass that makes every loop's iterable and every `~` go through _bounded_globals."""
    from jinja2 import nodes
    from jinja2.visitor import NodeTransformer

    class Bounded(NodeTransformer):
        def visit_For(self, node: Any) -> Any:
            node = self.generic_visit(node)
            node.iter = nodes.Call(nodes.Name("__loop__", "load"), [node.iter], [], None, None)
            return node

        def visit_Concat(self, node: Any) -> Any:
            node = self.generic_visit(node)
            return nodes.Call(nodes.Name("__concat__", "load"), list(node.nodes), [], None, None)

    return Bounded()


@cache
def _environment_class() -> type:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    bounding = _bounding_transformer()

    class DataEnvironment(ImmutableSandboxedEnvironment):
        """Jinja's immutable sandbox with every call, loop, operator and the output counted against the
        render's budget. Figures are looked up as members first: Jinja would otherwise try (and fail) a Python
        attribute for each of a template's hundreds of such lookups."""

        intercepted_binops = frozenset({"*", "**", "+", "%"})
        concat = staticmethod(_bounded_output)  # type: ignore[assignment]

        def getattr(self, obj: Any, attribute: str) -> Any:
            # `table3.results.withheld` on the plain dicts of figures, the hundreds of lookups of a template,
            # without a call; a key missing goes the sandbox's way (a dict's methods, else undefined).
            found = obj.get(attribute, _NOT_A_MEMBER) if type(obj) is dict else _member(obj, attribute)
            return super().getattr(obj, attribute) if found is _NOT_A_MEMBER else found

        def wrap_str_format(self, value: Any) -> None:
            """No str.format or format_map at all (a width of 10^9 is one allocation); the format filter
            remains, its widths checked."""
            return None

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            return not _forbidden_attribute(obj, attr) and bool(super().is_safe_attribute(obj, attr, value))

        def call_filter(
            self, name: str, value: Any, args: Any = None, kwargs: Any = None, context: Any = None, eval_ctx: Any = None
        ) -> Any:
            """A filter applied by another (map, select …): counted as a call."""
            if context is None:
                return super().call_filter(name, value, args, kwargs, context, eval_ctx)
            budget = _budget(context)
            budget.spend_call()
            result = super().call_filter(name, value, args, kwargs, context, eval_ctx)
            budget.charge(result)
            return result

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _bounded_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            budget = _budget(__context)
            budget.spend_call()
            if budget.depth >= limits.MAX_CALL_DEPTH:
                raise _limit("depth", limits.MAX_CALL_DEPTH)
            budget.depth += 1
            try:
                budget.charge(getattr(__obj, "__self__", None))  # a method's text or list: split, count …
                result = super().call(__context, __obj, *args, **kwargs)
                budget.charge(result)
                return result
            finally:
                budget.depth -= 1

        def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
            return bounding.visit(super()._parse(source, name, filename))

    return DataEnvironment


@cache
def environment() -> Any:
    """The sandboxed Jinja environment every template and narrative is rendered in (one per process: it
    holds no per-report state, and its compiled narrative templates are reused across a batch)."""
    from jinja2 import StrictUndefined

    env = _environment_class()(autoescape=True, undefined=StrictUndefined)
    env.filters = filters()
    env.globals = {"range": _bounded_range, "dict": dict, **_bounded_globals(), **formatting.FUNCTIONS}
    return env

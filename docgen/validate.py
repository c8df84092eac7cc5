"""Validate: a source's mapping → a `Report` of its format, or every problem found, each located by the
source's reader and worded in Chinese. The same for every kind of source."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from decimal import Decimal

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from docgen import labels
from docgen.errors import DataError, KeyPath, Problem
from docgen.formats import FORMATS, LATEST, Format
from docgen.messages import did_you_mean, message
from docgen.model import PARAGRAPH_TAGS, FigureRow, Report
from docgen.readers.base import Document, Source


def validate(document: Document) -> Report:
    """The report a document holds, in the format it names (`format = "2019"`; the newest when it names
    none); raises DataError listing every problem, sorted by place."""
    data, source = document.data, document.source
    named = data.get("format", LATEST.name)
    fmt = FORMATS.get(str(named))  # format = 2019 (a number) is that format's model's to refuse, with its key
    problems: list[Problem] = list(document.problems)
    if fmt is None:  # name every format there is, then check the rest of the file as the newest
        problems.append(_unknown_format(named, source))
        fmt, data = LATEST, {key: value for key, value in data.items() if key != "format"}
    try:
        report = fmt.model.model_validate(data)
    except ValidationError as error:
        read = {problem.key for problem in document.problems}
        found = [_validation_problem(detail, source, fmt) for detail in error.errors()]
        # a value the reader refused is missing here: it is reported once, as the reader worded it
        problems += [problem for problem in found if not any(_within(problem.key, key) for key in read)]
    if problems:
        raise DataError(sorted(problems, key=lambda problem: problem.line or 0))
    report._source = source
    return report


def _within(key: str, other: str) -> bool:
    return key == other or key.startswith((f"{other}.", f"{other}["))


def _unknown_format(named: object, source: Source) -> Problem:
    choices = "、".join(f"“{name}”" for name in FORMATS)
    text = message("choice", label=labels.describe(("format",)), choices=choices, actual=_show(named))
    return Problem("type", text, key="format", actual=named).at(source.locate(("format",)))


# --- pydantic errors → located Chinese messages ---------------------------------------------------

_COUNT_ERRORS = {
    "int_type": "count-type",
    "int_parsing": "count-type",
    "int_from_float": "count-type",
    "greater_than_equal": "count-negative",
    "less_than": "count-too-large",
}
_PLAIN_ERRORS = {
    "string_type": "text-type",
    "list_type": "list-type",
    "model_type": "table-type",
    "model_attributes_type": "table-type",
    "dict_type": "table-type",
    "date_type": "date-type",
    "date_parsing": "date-type",
    "date_from_datetime_inexact": "date-type",
    "date_from_datetime_parsing": "date-type",
    "bool_type": "bool-type",
    "amount_type": "amount-type",
    "amount_negative": "amount-negative",
    "count_too_large": "count-too-large",
    "figures_type": "figures-type",
    "figures_depth": "figures-depth",
}


def _validation_problem(detail: ErrorDetails, source: Source, fmt: Format) -> Problem:
    root = fmt.model
    path: KeyPath = tuple(part for part in detail["loc"] if part not in PARAGRAPH_TAGS)
    kind, value = detail["type"], detail.get("input")
    label = labels.describe(path)
    model = _model_at(root, path[:-1]) if path else None
    row = _model_at(root, path)
    rule, text = "type", ""
    if kind == "missing":
        rule = "missing"
        described = "" if label == labels.key_path_text(path) else f"（{label}）"
        text = message("missing", key=labels.key_path_text(path), label=described)
    elif kind == "extra_forbidden":
        rule = "unknown-key"
        suggestion = did_you_mean(str(path[-1]), model.model_fields if model else ()) or _home(root, path)
        text = message("unknown-key", key=labels.key_path_text(path), suggestion=suggestion)
    elif path and path[-1] == "year" and kind in ("int_type", "greater_than_equal", "less_than_equal"):
        text = message("year-type", label=label, actual=_show(value))
    elif _is_row(row) and kind in ("too_short", "too_long", "list_type"):
        rule = "row-length"
        columns = "、".join(row.COLUMNS)  # type: ignore[attr-defined]
        expected = f"{len(row.COLUMNS)} 或 {len(row.COLUMNS) + 1}"  # type: ignore[attr-defined]
        if kind == "list_type":
            text = message("row-type", label=label, columns=columns)
        else:
            actual = len(value) if isinstance(value, list) else _show(value)
            text = message("row-length", label=label, expected=expected, columns=columns, actual=actual)
    elif kind in _COUNT_ERRORS:
        rule = "count"
        text = message(_COUNT_ERRORS[kind], label=label, actual=_show(value), limit="10^15")
    elif kind == "text_char":
        rule = "text"
        context = detail.get("ctx") or {}
        text = message("text-char", label=label, char=context.get("char"), position=context.get("position"))
    elif kind == "too_short" and path and path[-1] == "items":
        text = message("enum-items", label=label)
    elif kind == "literal_error":
        choices = "、".join(
            f"“{choice}”" for choice in re.findall(r"'([^']*)'", str((detail.get("ctx") or {}).get("expected")))
        )
        text = message("choice", label=label, choices=choices, actual=_show(value))
    elif kind in _PLAIN_ERRORS:
        rule = "count" if kind in ("amount_type", "amount_negative", "count_too_large") else "type"
        text = message(_PLAIN_ERRORS[kind], label=label, actual=_show(value), limit="10^15")
    else:
        text = message("invalid", label=label, reason=detail["msg"])
    problem = Problem(rule, text, key=labels.key_path_text(path), actual=value)
    return problem.at(source.locate(path))


def _home(root: type[Report], path: KeyPath) -> str:
    """Where a key that is right but misplaced belongs — `total` under [table3.results.other] is
    table3.results.total — the home sharing most of the path it was written at; "" when it has none."""
    homes = list(_fields_named(root, str(path[-1]), ()))

    def shared(home: KeyPath) -> int:
        return next((index for index, (a, b) in enumerate(zip(home, path)) if a != b), len(home))

    best = max(homes, key=shared, default=())
    if not best or shared(best) == 0:  # only within the same table: table2's `total` is no slip for table3's
        return ""
    return message("unknown-key-home", name=path[-1], table=labels.key_path_text(best[:-1]))


def _fields_named(model: type[BaseModel], name: str, prefix: KeyPath) -> Iterator[KeyPath]:
    for field_name, field in model.model_fields.items():
        if field_name == name:
            yield (*prefix, field_name)
        inner = _unwrap(field.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _fields_named(inner, name, (*prefix, field_name))


def _is_row(model: type[BaseModel] | None) -> bool:
    return model is not None and issubclass(model, FigureRow)


def _model_at(root: type[Report], path: KeyPath) -> type[BaseModel] | None:
    """The model class that holds the value at `path` (for "did you mean" and row messages)."""
    current: object = root
    for part in path:
        if isinstance(part, int):
            current = _unwrap(current, want_item=True)
            continue
        model = _unwrap(current)
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        current = model.model_fields[part].annotation
    model = _unwrap(current)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


# `Optional[X]`, and `X | None` where Python has it (3.10+).
_UNIONS = (typing.Union, getattr(types, "UnionType", typing.Union))


def _unwrap(annotation: object, want_item: bool = False) -> object:
    """Strip Annotated/Optional wrappers, and with `want_item` a list, down to a model class."""
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            annotation = args[0]
        elif origin in _UNIONS:
            annotation = next((arg for arg in args if arg is not type(None)), annotation)
            if isinstance(annotation, type) or typing.get_origin(annotation) is typing.Annotated:
                continue
            return annotation
        elif origin is list and want_item:
            annotation, want_item = args[0], False
        else:
            return annotation


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"“{value[:40]}”" + ("…" if len(value) > 40 else "")
    if isinstance(value, (Decimal, int)):
        return str(value)
    if isinstance(value, list):
        return f"含 {len(value)} 项的数组"
    if isinstance(value, dict):
        return "表"
    return str(value)

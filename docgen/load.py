"""Load: a TOML data file → a validated `Report`, or every problem found, located by line and key path."""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
import unicodedata
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from docgen import labels
from docgen.errors import DataError, Problem
from docgen.messages import TOML_SYNTAX_REASONS, message
from docgen.model import FORMATS, PARAGRAPH_TAGS, FigureRow, Report, Source
from docgen.tomlkeys import KeyLines, KeyPath

# A report's data file is tens of kilobytes; anything this large is the wrong file.
MAX_FILE_BYTES = 10 * 1024 * 1024

_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")


def load(path: Path | str) -> Report:
    """Read and validate one data file; raises DataError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None
    except FileNotFoundError:
        raise DataError([Problem("file", message("file-missing", path=name), file=name)]) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DataError([Problem("file", message("file-unreadable", path=name, reason=reason), file=name)]) from None
    if data is None:
        text = message("file-too-large", size=path.stat().st_size, limit=MAX_FILE_BYTES)
        raise DataError([Problem("file", text, file=name)])
    return load_bytes(data, name, path)


def load_bytes(data: bytes, name: str = "<数据>", path: Path | None = None) -> Report:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataError([Problem("encoding", message("encoding", line=line), file=name, line=line)]) from None
    return load_text(text, name, path)


def load_text(text: str, name: str = "<数据>", path: Path | None = None) -> Report:
    keys = KeyLines(text)
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise DataError([_syntax_problem(str(error), text, keys, name)]) from None
    model = FORMATS.get(str(raw.get("format", "2021")), Report)  # an unknown format fails as Report's literal
    try:
        report = model.model_validate(raw)
    except ValidationError as error:
        problems = [_validation_problem(detail, keys, name, model) for detail in error.errors()]
        raise DataError(sorted(problems, key=lambda problem: problem.line or 0)) from None
    report._source = Source(name, keys, path)
    return report


# --- TOML syntax ----------------------------------------------------------------------------------


def _syntax_problem(error_text: str, text: str, keys: KeyLines, name: str) -> Problem:
    match = _TOML_POSITION.search(error_text)
    english = error_text[: match.start()] if match else error_text
    reason = next((chinese for start, chinese in TOML_SYNTAX_REASONS.items() if english.startswith(start)), english)
    line = int(match.group(1)) if match and match.group(1) else None
    column = int(match.group(2)) if match and match.group(2) else None
    if line is None and keys.duplicates:
        # tomllib places a repeated key at the end of the document; the scanner knows the real line.
        line = keys.duplicates[0][1]
    if line is None:
        line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    source = keys.line_text(line)
    pointer = " " * _display_width(source[: (column or 1) - 1]) + "^" if column else ""
    return Problem(
        "toml-syntax",
        message("toml-syntax", reason=reason, source=source, pointer=pointer).rstrip(),
        file=name,
        line=line,
        column=column,
    )


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


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
}


def _validation_problem(detail: ErrorDetails, keys: KeyLines, name: str, root: type[Report]) -> Problem:
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
        candidates = difflib.get_close_matches(str(path[-1]), list(model.model_fields) if model else [], n=1)
        suggestion = message("unknown-key-suggestion", candidate=candidates[0]) if candidates else ""
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
    return Problem(rule, text, file=name, line=keys.line_of(path), key=labels.key_path_text(path), actual=value)


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


def _unwrap(annotation: object, want_item: bool = False) -> object:
    """Strip Annotated/Optional wrappers, and with `want_item` a list, down to a model class."""
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
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
    if isinstance(value, Decimal | int):
        return str(value)
    if isinstance(value, list):
        return f"含 {len(value)} 项的数组"
    if isinstance(value, dict):
        return "表"
    return str(value)

"""The TOML reader: a data file's bytes → its mapping, and where each key stands (line numbers from the
scanner in tomlkeys.py). Syntax errors are reported here with line, column and the offending line."""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docgen.errors import DataError, KeyPath, Location, Problem
from docgen.messages import TOML_SYNTAX_REASONS, message
from docgen.readers.base import Document, Source
from docgen.tomlkeys import KeyLines

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.9 and 3.10: tomli is the same parser, published before it joined the standard library.
    import tomli as tomllib

_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")


@dataclass(frozen=True)
class TomlLocator:
    name: str
    keys: KeyLines

    def locate(self, path: KeyPath) -> Location:
        return Location(self.name, line=self.keys.line_of(path))


def read(data: bytes, name: str, path: Path | None = None) -> Document:
    """Decode (UTF-8, with or without BOM) and parse; raises DataError with the line of the mistake."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataError([Problem("encoding", message("encoding", line=line), file=name, line=line)]) from None
    keys = KeyLines(text)
    try:
        # Amounts keep their digits as typed: 12.50 stays 12.50, never a binary float.
        mapping = tomllib.loads(text, parse_float=_decimal)
    except tomllib.TOMLDecodeError as error:
        raise DataError([_syntax_problem(str(error), text, keys, name)]) from None
    except _OutOfRange as error:
        line = text[: text.find(error.literal)].count("\n") + 1 if error.literal in text else None
        problem = Problem("toml-syntax", message("number-out-of-range", value=error.literal[:40]), file=name, line=line)
        raise DataError([problem]) from None
    except RecursionError:  # tables nested hundreds deep inside one another
        raise DataError([Problem("toml-syntax", message("toml-too-deep"), file=name)]) from None
    return Document(Source(name, TomlLocator(name, keys), path), mapping)


class _OutOfRange(ValueError):
    def __init__(self, literal: str) -> None:
        self.literal = literal
        super().__init__(literal)


def _decimal(literal: str) -> Decimal:
    """A TOML float as a Decimal; an exponent no figure can have (1e9999999999999999999) is refused here,
    where tomllib still knows it is a number."""
    try:
        value = Decimal(literal)
    except ArithmeticError:
        raise _OutOfRange(literal) from None
    if value.is_finite() and value and abs(value.adjusted()) > MAX_EXPONENT:
        raise _OutOfRange(literal)
    return value


# Figures are below 10^15 and never finer than a millionth; an exponent past this is a typing slip or worse.
MAX_EXPONENT = 100


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

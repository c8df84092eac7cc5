"""TOML as data files are written, read in a few regular-expression steps: tomllib (pure Python) reads a long
paragraph character by character, and parsing was the largest part of a batch's time per report.

This reader knows a strict part of TOML 1.0 — tables, arrays of tables, bare and quoted keys, strings
without escapes, decimal integers and floats, booleans, dates, arrays and inline tables — and gives exactly
what tomllib gives for it, dict order included. For anything else (an escape, a multi-line string, a dotted
key on the left of `=`, a time, hex, a repeated or conflicting key or table, any syntax error, any exception
on the way) it answers None and the caller asks tomllib, which also words every error. tests/test_tomlfast.py
compares the two on every data file in the repository and on generated documents.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

ParseFloat = Callable[[str], Any]


class _Unsupported(Exception):
    """Not within the part of TOML read here (or not TOML at all): tomllib decides."""


# Never two of these side by side without a character between them: a run of blanks would be split between
# them every possible way before a match fails (a line of megabytes: hours).
_WS = r"[ \t]*"
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
_BARE_KEY = r"[A-Za-z0-9_-]+"
_BASIC_TEXT = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'
_LITERAL_TEXT = r"[^'\x00-\x08\x0a-\x1f\x7f]*"
_KEY_PART = rf"(?:{_BARE_KEY}|\"{_BASIC_TEXT}\"|'{_LITERAL_TEXT}')"
_DOTTED_KEY = rf"{_KEY_PART}(?:{_WS}\.{_WS}{_KEY_PART})*"

# Lines with nothing to read, and blanks before the next statement.
_BLANK_LINES = rf"(?:{_WS}{_COMMENT}\n)*{_WS}(?:{_COMMENT}\Z)?"
# After a statement: blanks, a comment, then the end of the line or of the document (and the blank lines
# up to the next statement).
_END = rf"{_WS}{_COMMENT}(?:\n|\Z){_BLANK_LINES}"
_LINE_END = re.compile(_END)
_KEY_PARTS = re.compile(rf"{_WS}({_BARE_KEY})|{_WS}\"({_BASIC_TEXT})\"|{_WS}'({_LITERAL_TEXT})'")
_TABLE = re.compile(rf"\[{_WS}({_DOTTED_KEY}){_WS}\]")
_ARRAY_TABLE = re.compile(rf"\[\[{_WS}({_DOTTED_KEY}){_WS}\]\]")
_KEY_EQUALS = re.compile(rf"({_KEY_PART}){_WS}={_WS}")
_BASIC = re.compile(rf'"({_BASIC_TEXT})"')
_LITERAL = re.compile(rf"'({_LITERAL_TEXT})'")
# tomllib's decimal numbers (its hex, octal and binary, infinities and NaN are left to it)
_NUMBER = re.compile(r"[+-]?(?:0|[1-9](?:_?[0-9])*)((?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?)")
_DATE = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
_TIME_AFTER_DATE = re.compile(r"[Tt ][0-9]")
_TIME = re.compile(r"[0-9]{2}:")
_ARRAY_BLANKS = re.compile(r"(?:[ \t\n]|#[^\x00-\x08\x0a-\x1f\x7f]*)*")
_INLINE_BLANKS = re.compile(_WS)
# A one-line array of integers, the shape of every table row: read in one step.
_INTEGER_ARRAY = re.compile(rf"\[{_WS}((?:[+-]?(?:0|[1-9][0-9]*){_WS},{_WS})*[+-]?(?:0|[1-9][0-9]*)){_WS}(?:,{_WS})?\]")

_LEADING_BLANK_LINES = re.compile(_BLANK_LINES)
_INTEGER = r"[+-]?(?:0|[1-9][0-9]*)"
# A whole line `key = 12`, `key = "text"` or `key = [1, 2, 3]`: where a value ends, the line must end too, so
# nothing longer (a date, a float, a multi-line string) can be taken for one of these.
_SIMPLE_LINE = re.compile(
    rf"({_KEY_PART}){_WS}={_WS}"
    rf"(?:({_INTEGER})|\"({_BASIC_TEXT})\"|\[{_WS}((?:{_INTEGER}{_WS},{_WS})*{_INTEGER}){_WS}(?:,{_WS})?\])" + _END
)

# Nesting of arrays and inline tables, and names in a header, beyond these are left to tomllib (newer
# versions refuse a key of thousands of names).
_MAX_DEPTH = 32
_MAX_KEY_NAMES = 32


def loads(text: str, parse_float: ParseFloat) -> dict[str, Any] | None:
    """The document as tomllib.loads(text, parse_float=parse_float) gives it, or None when it is not read
    here (then tomllib must be asked: it may be valid, or an error to be worded)."""
    try:
        return _Reader(text.replace("\r\n", "\n"), parse_float).document()
    except Exception:  # anything unexpected, a recursion too deep or a parse_float that refused included
        return None


class _Reader:
    def __init__(self, source: str, parse_float: ParseFloat) -> None:
        self.source = source
        self.parse_float = parse_float
        self.tables: set[int] = set()  # tables made by headers (named or on the way): headers may enter them
        self.defined: set[int] = set()  # tables a header named: no second header may
        self.table_arrays: set[int] = set()  # arrays made by [[headers]]

    def document(self) -> dict[str, Any]:
        source, end = self.source, len(self.source)
        root: dict[str, Any] = {}
        self.tables.add(id(root))
        table, position = root, _LEADING_BLANK_LINES.match(source).end()  # type: ignore[union-attr]
        while position < end:
            line = _SIMPLE_LINE.match(source, position)
            if line is not None:  # most lines: a number, a string or a row of numbers, in one step
                name = _name(line.group(1))
                if name in table:
                    raise _Unsupported
                integer, text, row = line.group(2, 3, 4)
                if integer is not None:
                    table[name] = int(integer)
                elif text is not None:
                    table[name] = text
                else:
                    table[name] = [int(item) for item in row.split(",")]
                position = line.end()
                continue
            position = _INLINE_BLANKS.match(source, position).end()  # type: ignore[union-attr]
            if source.startswith("[", position):
                array = source.startswith("[[", position)
                header = (_ARRAY_TABLE if array else _TABLE).match(source, position)
                if header is None:
                    raise _Unsupported
                key = _key(header.group(1))
                table = self._array_table(root, key) if array else self._table(root, key)
                position = header.end()
            else:
                assignment = _KEY_EQUALS.match(source, position)
                if assignment is None:  # a dotted key, a stray character, a typing slip …
                    raise _Unsupported
                name = _name(assignment.group(1))
                if name in table:
                    raise _Unsupported
                position, table[name] = self.value(assignment.end(), 0)
            line_end = _LINE_END.match(source, position)
            if line_end is None:
                raise _Unsupported
            position = line_end.end()
        return root

    def _enter(self, root: dict[str, Any], names: list[str]) -> dict[str, Any]:
        """The table a header's leading names lead to, made where missing."""
        table = root
        for name in names:
            found = table.get(name)
            if found is None:
                found = table[name] = {}
                self.tables.add(id(found))
            elif type(found) is list and id(found) in self.table_arrays:
                found = found[-1]
            elif type(found) is not dict or id(found) not in self.tables:
                raise _Unsupported  # a value's table or array: no header may reach into it
            table = found
        return table

    def _table(self, root: dict[str, Any], key: list[str]) -> dict[str, Any]:
        parent = self._enter(root, key[:-1])
        found = parent.get(key[-1])
        if found is None:
            found = parent[key[-1]] = {}
            self.tables.add(id(found))
        elif type(found) is not dict or id(found) not in self.tables or id(found) in self.defined:
            raise _Unsupported
        self.defined.add(id(found))
        return found

    def _array_table(self, root: dict[str, Any], key: list[str]) -> dict[str, Any]:
        parent = self._enter(root, key[:-1])
        found = parent.get(key[-1])
        if found is None:
            found = parent[key[-1]] = []
            self.table_arrays.add(id(found))
        elif type(found) is not list or id(found) not in self.table_arrays:
            raise _Unsupported
        table: dict[str, Any] = {}
        self.tables.add(id(table))
        self.defined.add(id(table))
        found.append(table)
        return table

    def value(self, position: int, depth: int) -> tuple[int, Any]:
        """(where the value ends, the value) for the value at `position`; in tomllib's order of attempts."""
        source = self.source
        char = source[position : position + 1]
        if char == '"':
            found = _BASIC.match(source, position)
            if found is None or source.startswith('"""', position):
                raise _Unsupported  # an escape, a multi-line string, a string left open
            return found.end(), found.group(1)
        if char == "'":
            found = _LITERAL.match(source, position)
            if found is None or source.startswith("'''", position):
                raise _Unsupported
            return found.end(), found.group(1)
        if char == "t" and source.startswith("true", position):
            return position + 4, True
        if char == "f" and source.startswith("false", position):
            return position + 5, False
        if char == "[":
            return self.array(position, depth + 1)
        if char == "{":
            return self.inline_table(position, depth + 1)
        date = _DATE.match(source, position)
        if date is not None:
            if _TIME_AFTER_DATE.match(source, date.end()):
                raise _Unsupported  # a date with a time
            year, month, day = (int(part) for part in date.groups())
            return date.end(), datetime.date(year, month, day)  # 2023-02-30 raises: tomllib words it
        if _TIME.match(source, position):
            raise _Unsupported
        number = _NUMBER.match(source, position)
        if number is None:
            raise _Unsupported
        literal = number.group()
        if number.group(1):
            value = self.parse_float(literal)
            if isinstance(value, (dict, list)):  # tomllib refuses a parse_float that makes these
                raise _Unsupported
            return number.end(), value
        return number.end(), int(literal)

    def array(self, position: int, depth: int) -> tuple[int, list[Any]]:
        source = self.source
        row = _INTEGER_ARRAY.match(source, position)
        if row is not None:
            return row.end(), [int(item) for item in row.group(1).split(",")]
        if depth > _MAX_DEPTH:
            raise _Unsupported
        items: list[Any] = []
        position = _ARRAY_BLANKS.match(source, position + 1).end()  # type: ignore[union-attr]
        while not source.startswith("]", position):
            position, item = self.value(position, depth)
            items.append(item)
            position = _ARRAY_BLANKS.match(source, position).end()  # type: ignore[union-attr]
            if source.startswith(",", position):
                position = _ARRAY_BLANKS.match(source, position + 1).end()  # type: ignore[union-attr]
            elif not source.startswith("]", position):
                raise _Unsupported
        return position + 1, items

    def inline_table(self, position: int, depth: int) -> tuple[int, dict[str, Any]]:
        source = self.source
        if depth > _MAX_DEPTH:
            raise _Unsupported
        table: dict[str, Any] = {}
        position = _INLINE_BLANKS.match(source, position + 1).end()  # type: ignore[union-attr]
        if source.startswith("}", position):
            return position + 1, table
        while True:
            assignment = _KEY_EQUALS.match(source, position)
            if assignment is None:
                raise _Unsupported
            name = _name(assignment.group(1))
            if name in table:
                raise _Unsupported
            position, table[name] = self.value(assignment.end(), depth)
            position = _INLINE_BLANKS.match(source, position).end()  # type: ignore[union-attr]
            if source.startswith("}", position):
                return position + 1, table
            if not source.startswith(",", position):
                raise _Unsupported
            position = _INLINE_BLANKS.match(source, position + 1).end()  # type: ignore[union-attr]


def _name(part: str) -> str:
    """One key: bare, "quoted" or 'literal' (quoted without escapes: the pattern matched it)."""
    return part[1:-1] if part[0] in "\"'" else part


def _key(dotted: str) -> list[str]:
    """The names of a (dotted) key: bare, "quoted" or 'literal', blanks around the dots ignored."""
    names = []
    for part in _KEY_PARTS.finditer(dotted):
        bare, basic, literal = part.groups()
        names.append(bare if bare is not None else basic if basic is not None else literal)
    if len(names) > _MAX_KEY_NAMES:
        raise _Unsupported
    return names

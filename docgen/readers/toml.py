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
from docgen.numerals import typed_date, typing_slip
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
    text = _decode(data, name)
    keys = KeyLines(text)
    # Amounts keep their digits as typed: 12.50 stays 12.50, never a binary float.
    try:
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


def _decode(data: bytes, name: str) -> str:
    """UTF-8 only. A file Notepad saved as "ANSI" (GBK) or "Unicode" (UTF-16) is refused, naming the encoding
    and how to save it again: read as a guess, a data file would carry its encoding into next year's
    `init --from`, into colleagues' editors and into tools that assume UTF-8, and a wrong guess is 乱码 in
    an official report."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[1:200:2].count(0) > 20 or data[:200:2].count(0) > 20:
        problem = Problem("encoding", message("encoding-utf16"), file=name)
    elif _reads_as_gbk(data):
        problem = Problem("encoding", message("encoding-gbk", line=line), file=name, line=line)
    else:
        problem = Problem("encoding", message("encoding", line=line), file=name, line=line)
    raise DataError([problem])


def _reads_as_gbk(data: bytes) -> bool:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= char <= "\u9fff" for char in text)


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
    reason = _typing_slip(source) or reason
    shown, before = _excerpt(source, (column or 1) - 1)
    pointer = " " * _display_width(shown[:before]) + "^" if column else ""
    return Problem(
        "toml-syntax",
        message("toml-syntax", reason=reason, source=shown, pointer=pointer).rstrip(),
        file=name,
        line=line,
        column=column,
    )


# A line is shown whole up to this many characters; a longer one (a pasted paragraph, a hostile file's one
# line of megabytes) as this much around the mistake.
_SHOWN_LINE = 100


def _excerpt(line: str, offset: int) -> tuple[str, int]:
    """The part of `line` to show around character `offset`, with … where it was cut, and where `offset`
    falls in it."""
    if len(line) <= _SHOWN_LINE:
        return line, offset
    start = max(0, min(offset - _SHOWN_LINE // 3, len(line) - _SHOWN_LINE))
    end = start + _SHOWN_LINE
    head = "…" if start else ""
    return head + line[start:end] + ("…" if end < len(line) else ""), offset - start + len(head)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


# A string as TOML writes it: what is inside is the user's own text, never a syntax slip.
_TOML_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_ARRAY_ITEM = re.compile(r"[^\s\[\],]+")


def _typing_slip(line: str) -> str | None:
    """The habit of a Word or WPS user behind a line tomllib refused — a full-width ＝ or space, Chinese
    quotes, a date as 2026年1月23日, full-width digits, 517,645, 705件, a Chinese comma in an array — named
    with its fix; None when the line shows none of them (tomllib's own reason stands)."""
    try:
        tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        pass
    else:
        return None  # the line is sound on its own: the mistake is in how it meets the rest (a repeated key)
    code = _TOML_STRING.sub('""', line).split("#", 1)[0]
    _key, equals, value = code.partition("=")
    if not equals:
        return message("toml-full-width-equals") if "＝" in code else None
    if "\u3000" in code:
        return message("toml-ideographic-space")
    if any(quote in value for quote in "“”‘’"):
        typed = line.partition("=")[2].split("#", 1)[0].strip()
        fixed = typed.translate(str.maketrans("“”‘’", '""""'))
        return message("toml-chinese-quotes", fixed=fixed[:40])
    date = typed_date(value)
    if date is not None:
        return message("toml-date", value=date[0], fixed=date[1])
    items = value.strip()
    if items.startswith("["):
        if "，" in items:
            return message("toml-chinese-comma")
        return next(filter(None, (typing_slip(item) for item in _ARRAY_ITEM.findall(items))), None)
    return typing_slip(items)

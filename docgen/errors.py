"""Problems found in a data file or template, and the one exception that carries them."""

from __future__ import annotations

import errno
from dataclasses import asdict, dataclass, replace
from enum import Enum
from typing import Union

from docgen.messages import message

# A place in a report's data, as key names and list indices: ("table3", "new", 1) is `table3.new[1]`.
KeyPath = tuple[Union[str, int], ...]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    DOUBT = "doubt"  # a rule's finding on figures a reader could not place with certainty: not a fault shown

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Location:
    """Where in a source something stands, as precisely as its reader knows. One schema for every kind of
    source: a text file gives `line` (and `column` where known), a workbook `sheet` and `cell` (A1 form), a
    published document `place` (第3页 第2张表 第7行第2列, 第12段) and the text `printed` there; what a reader does
    not know stays None."""

    file: str = ""
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    place: str | None = None
    printed: str | None = None

    def format(self) -> str:
        """`FILE:LINE[:COLUMN]`, `FILE:SHEET!CELL` or `FILE:PLACE` — the shape editors and CI logs link to."""
        where = self.file or "<数据>"
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        elif self.sheet is not None:
            where += f":{self.sheet}" + (f"!{self.cell}" if self.cell else "")
        elif self.place:
            where += f":{self.place}"
        return where


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as docgen can.

    `rule` is a stable id (see the README's rule table); `key` is the dotted key path in the data
    (`table3.new[1]`); the location fields are those of `Location`.
    """

    rule: str
    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None
    key: str = ""
    severity: Severity = Severity.ERROR
    expected: object = None
    actual: object = None
    sheet: str | None = None
    cell: str | None = None
    doubt: str | None = None  # with severity DOUBT: what the reader could not place
    place: str | None = None
    printed: str | None = None

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.column, self.sheet, self.cell, self.place, self.printed)

    def at(self, location: Location) -> Problem:
        """The same problem at another place (a reader's location for a key path)."""
        return replace(
            self,
            file=location.file,
            line=location.line,
            column=location.column,
            sheet=location.sheet,
            cell=location.cell,
            place=location.place,
            printed=location.printed,
        )

    def format(self) -> str:
        """`FILE:LINE: rule key: message` (or `FILE:SHEET!CELL: …`)."""
        key = f" {self.key}" if self.key else ""
        return f"{self.location.format()}: {self.rule}{key}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """The problem as JSON-ready data: every location field present (None where unknown), `key` None
        when the problem concerns no key. Decimal and date values are given as text."""
        return {
            **asdict(self.location),
            "rule": self.rule,
            "severity": str(self.severity),
            "key": self.key or None,
            "message": self.message,
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
            "doubt": self.doubt,
        }


def _plain(value: object) -> object:
    """A value JSON can hold as it is; anything else (Decimal, date) as its text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


class DocgenError(Exception):
    """Raised with every problem found; the CLI prints them and exits 1, nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class DataError(DocgenError):
    """The data file cannot be read, or breaks a rule (exit status 1)."""


class NotADataWorkbook(DataError):
    """A workbook without docgen's data sheets: another spreadsheet, or one docgen wrote for reviewers
    (审核.xlsx, 汇总.xlsx) beside the data files."""


class TemplateFileError(DocgenError):
    """The Word template is missing, broken or unsafe."""


class OutputError(DocgenError):
    """The output cannot be written where asked; nothing was written."""


class ConvertError(DocgenError):
    """LibreOffice (or poppler) is missing, failed or timed out; no PDF or image was written."""


class ExpressionLimit(Exception):
    """An expression in a narrative text or template asked for more than the sandbox allows (limits.py);
    the message says which limit."""


class FilterError(ValueError):
    """A formatting filter was given a value it cannot format (named, so the message can say which)."""

    def __init__(self, filter_name: str, value: object, reason: str) -> None:
        self.filter_name = filter_name
        self.value = value
        self.reason = reason
        super().__init__(f"{filter_name}({value!r}): {reason}")

    def describe(self) -> str:
        """The user-facing sentence: which filter, what value, why."""
        try:
            shown = str(self.value)
        except Exception:  # a template's undefined name refuses to become text
            shown = message("filter-undefined-value")
        return message("filter-error", filter=self.filter_name, value=shown, reason=self.reason)


def os_reason(error: OSError) -> str:
    """Why the system refused, in the user's words where docgen knows them."""
    return message(_OS_REASONS[error.errno]) if error.errno in _OS_REASONS else error.strerror or type(error).__name__


_OS_REASONS = {
    errno.ENAMETOOLONG: "os-name-too-long",
    errno.EACCES: "os-permission",
    errno.EPERM: "os-permission",
    errno.ENOSPC: "os-no-space",
    errno.EROFS: "os-read-only",
}

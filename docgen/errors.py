"""Problems found in a data file or template, and the one exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as docgen can.

    `rule` is a stable id (see the README's rule table); `key` is the dotted TOML key path.
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

    def format(self) -> str:
        """`FILE:LINE: rule key: message` — the shape editors and CI logs link to."""
        where = self.file or "<数据>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key}" if self.key else ""
        return f"{where}: {self.rule}{key}: {self.message}"


class DocgenError(Exception):
    """Raised with every problem found; the CLI prints them and exits 1, nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class DataError(DocgenError):
    """The data file cannot be read, or breaks a rule (exit status 1)."""


class TemplateFileError(DocgenError):
    """The Word template is missing, broken or unsafe."""


class OutputError(DocgenError):
    """The output cannot be written where asked; nothing was written."""


class ConvertError(DocgenError):
    """LibreOffice (or poppler) is missing, failed or timed out; no PDF or image was written."""


class FilterError(ValueError):
    """A formatting filter was given a value it cannot format (named, so the message can say which)."""

    def __init__(self, filter_name: str, value: object, reason: str) -> None:
        self.filter_name = filter_name
        self.value = value
        self.reason = reason
        super().__init__(f"{filter_name}({value!r}): {reason}")

    def describe(self) -> str:
        """The user-facing sentence: which filter, what value, why."""
        from docgen.messages import message

        try:
            shown = str(self.value)
        except Exception:  # a template's undefined name refuses to become text
            shown = message("filter-undefined-value")
        return message("filter-error", filter=self.filter_name, value=shown, reason=self.reason)

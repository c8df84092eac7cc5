"""Load: a data file (or text, or a mapping built in code) → a validated `Report`, or every problem found,
located where the user typed it. Reading is the reader's (docgen/readers/, chosen by suffix), validation is
the same for every source (validate.py)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

from docgen.errors import DataError, Problem, os_reason
from docgen.messages import message
from docgen.model import Report
from docgen.readers import DEFAULT_SUFFIX, reader_for
from docgen.readers.base import Document, Locator, Source, Unlocated
from docgen.validate import validate

# A report's data file is tens of kilobytes; anything this large is the wrong file.
MAX_FILE_BYTES = 10 * 1024 * 1024


def load(path: Path | str) -> Report:
    """Read and validate one data file (TOML, or any suffix a reader is registered for); raises DataError
    listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_FILE_BYTES else None
    except FileNotFoundError:
        raise DataError([Problem("file", message("file-missing", path=name), file=name)]) from None
    except OSError as error:
        text = message("file-unreadable", path=name, reason=os_reason(error))
        raise DataError([Problem("file", text, file=name)]) from None
    if data is None:
        text = message("file-too-large", size=size, limit=MAX_FILE_BYTES)
        raise DataError([Problem("file", text, file=name)])
    return validate(reader_for(path.suffix)(data, name, path))


def loads(content: str | bytes, name: str = "<数据>", suffix: str | None = None) -> Report:
    """Validate a data file's content given in memory; `suffix` (default: the name's, else .toml) chooses
    the reader. The report has no file beside which to write its document."""
    data = _encoded(content, name) if isinstance(content, str) else content
    return validate(reader_for(suffix or Path(name).suffix or DEFAULT_SUFFIX)(data, name, None))


def _encoded(content: str, name: str) -> bytes:
    """Text as UTF-8; a lone surrogate (text decoded with errors="surrogateescape", or cut in a UTF-16 pair)
    is no character any file can hold: refused, located."""
    try:
        return content.encode("utf-8")
    except UnicodeEncodeError as error:
        line = content.count("\n", 0, error.start) + 1
        text = message("text-surrogate", line=line, code=f"{ord(content[error.start]):04X}")
        raise DataError([Problem("encoding", text, file=name, line=line)]) from None


def from_dict(mapping: Mapping[str, Any], name: str = "<数据>", locator: Locator | None = None) -> Report:
    """Validate data built in code (the data file's tables as dicts, arrays as lists, amounts as int or
    Decimal, dates as datetime.date); problems name `name` and the key path, and where `locator` tells
    (a published document's pages, tables and paragraphs), the place the value was printed."""
    return validate(Document(Source(name, locator or Unlocated(name)), dict(mapping)))


def previous_of(report: Report) -> Report | None:
    """The report `[report] previous` names (relative to the data file), or None when it names none; raises
    DataError, located at that key, when the file cannot be read."""
    named = report.report.previous
    if named is None:
        return None
    base = report.source.path.parent if report.source and report.source.path else Path.cwd()
    path = base / named
    try:
        return _previous(str(path.resolve()), path.stat().st_mtime_ns)
    except (DataError, OSError) as error:
        first = error.problems[0].format() if isinstance(error, DataError) else os_reason(error)
        text = message("previous-unreadable", path=named, reason=first)
        raise DataError([report.problem("previous", ("report", "previous"), text)]) from None


@lru_cache(maxsize=64)
def _previous(path: str, _mtime: int) -> Report:
    """Last year's report, loaded once while its file is unchanged (check and render both ask for it)."""
    return load(path)


ReportLike = Union[Report, Path, str, Mapping[str, Any]]


def as_report(report: ReportLike) -> Report:
    """A report as the API functions take it: a Report as it is, a data file's path loaded, a mapping
    validated."""
    if isinstance(report, Report):
        return report
    if isinstance(report, Mapping):
        return from_dict(report)
    if isinstance(report, (str, Path)):
        return load(report)
    raise TypeError(f"expected a Report, a data file's path or a mapping, not {type(report).__name__}")

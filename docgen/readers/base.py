"""What every reader gives: a source's data as a plain mapping, and a locator that tells where in the source
each key path of it stands — a line of a text file, a cell of a workbook. Problems found later (validation,
rules) ask the locator, so they point at the place the user typed the value, whatever the source was."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from docgen.errors import KeyPath, Location, Problem


class Locator(Protocol):
    def locate(self, path: KeyPath) -> Location:
        """Where the value at `path` (or its nearest enclosing key) stands; fields the source cannot tell
        stay None."""
        ...


@dataclass(frozen=True)
class Unlocated:
    """The locator of data that came from no file (a mapping built in code): only its name is known."""

    name: str

    def locate(self, path: KeyPath) -> Location:
        return Location(self.name)


@dataclass(frozen=True)
class Source:
    """Where a report was read from."""

    name: str
    locator: Locator
    path: Path | None = None

    def locate(self, path: KeyPath) -> Location:
        return self.locator.locate(path)


@dataclass(frozen=True)
class Document:
    """A source read: its data as plain values (tables as dicts, arrays as lists, numbers as int or Decimal,
    dates as datetime.date), not yet validated. `problems` are values the reader could not take (left out of
    `data`); validation reports them with its own, all at once."""

    source: Source
    data: dict[str, Any]
    problems: tuple[Problem, ...] = ()

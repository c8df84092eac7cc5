"""What declares an official format: its model, its printed tables, how its documents are recognised, the
rules only it has, and its blank figures. One `Format` per module of this package."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from docgen import labels
from docgen.errors import KeyPath, Problem
from docgen.formats.layout import Grid, Rows, Table2Row, entered_keys, table2_rows, table3_grid, table4_grid
from docgen.model import Report

Rule = Callable[[Report], Iterator[Problem]]
CrossYearRule = Callable[[Report, Report], Iterator[Problem]]


@cache
def template_dir() -> Path:
    # Installed, the templates ship inside the package; in a source checkout they sit beside it. (Once per
    # process: every document of a batch asks.)
    packaged = Path(__file__).resolve().parent.parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent.parent / "templates"


@dataclass(frozen=True)
class Format:
    """One official format of the annual report.

    `markers` are words of this format's tables that tell its documents apart (`formats.detect` counts
    them; one may be printed by another format too); `aliases` map the shorter or older wording hand-typed reports use to the official
    label; `rules` and `cross_year_rules` are the checks only this format has, by rule id.
    """

    name: str
    notice: str
    first_year: int  # the first report year this format is for (the notice came out the year after)
    model: type[Report]
    table2: Grid
    # The table 2 field that holds each document row's 现行有效件数 (or this format's nearest figure):
    # what next year's data file carries over.
    in_force_field: str
    markers: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    cross_year_rules: dict[str, CrossYearRule] = field(default_factory=dict)

    @property
    def table3_rows(self) -> Rows:
        """Every printed row of table 3: (key path under [table3], label)."""
        return self.model.model_fields["table3"].annotation.ROWS  # type: ignore[union-attr]

    @cached_property
    def grids(self) -> tuple[Grid, Grid, Grid]:
        """Tables 2, 3 and 4 as printed."""
        return self.table2, table3_grid(self.table3_rows), table4_grid()

    @cached_property
    def table2_rows(self) -> list[Table2Row]:
        return table2_rows(self.table2)

    @property
    def document_rows(self) -> list[str]:
        """The table 2 rows that count documents in force (规章, 行政规范性文件)."""
        return [row.key for row in self.table2_rows if any(cell.path[-1] == self.in_force_field for cell in row.cells)]

    @property
    def template(self) -> Path:
        """The built-in Word template of this format."""
        return template_dir() / f"annual-report-{self.name}.docx"

    def is_amount(self, path: KeyPath) -> bool:
        """Whether the table-2 figure at `path` is an amount (万元, with decimals) rather than a count."""
        model: Any = self.model.model_fields["table2"].annotation
        annotation: Any = None
        for part in path[1:]:
            annotation = model.model_fields[part].annotation
            model = annotation
        return annotation is Decimal

    def blank_tables(self) -> dict[str, Any]:
        """Tables 2–4 in the data file's shape, every figure 0."""
        table2: dict[str, Any] = {}
        for row in self.table2_rows:
            fields = {cell.path[2]: 0 for cell in row.cells if len(cell.path) > 2}
            table2[row.key] = fields or 0
        table3: dict[str, Any] = {}
        for key in entered_keys(self.table3_rows):
            put(table3, tuple(key.split(".")), [0] * len(labels.APPLICANT_COLUMNS))
        table4 = {key: [0] * len(labels.RESULT_COLUMNS) for key in labels.TABLE4_GROUPS}
        return {"table2": table2, "table3": table3, "table4": table4}

    @property
    def requires_format_key(self) -> bool:
        """Whether a data file of this format must say `format = "…"` (every format but the default)."""
        return self.model.model_fields["format"].is_required()


def put(data: dict[str, Any], path: KeyPath, value: Any, replace: bool = True) -> None:
    """Set `value` at a key path of names and list indices (`("figures", "platform", 0)`), making the tables
    and lists on the way; an index is an item already there or the next one. Raises, with nothing changed,
    IndexError for an index past a list's end, TypeError where the path runs into a value that is no table
    (for a name) or list (for an index), and, without `replace`, KeyError for a value already there."""
    node: Any = data
    for depth, part in enumerate(path):
        if isinstance(part, int) != isinstance(node, list) or not isinstance(node, (dict, list)):
            raise TypeError(part)
        if isinstance(node, list) and part > len(node):  # type: ignore[operator]
            raise IndexError(part)
        present = part < len(node) if isinstance(node, list) else part in node  # type: ignore[operator]
        if depth == len(path) - 1:
            if present and not replace:
                raise KeyError(part)
            _set(node, part, value)
            return
        if not present:  # the rest of the path is made anew: each list in it starts at its index 0
            if any(isinstance(later, int) and later != 0 for later in path[depth + 1 :]):
                raise IndexError(path[depth + 1 :])
            for later, following in zip(path[depth:-1], path[depth + 1 :]):
                node = _set(node, later, [] if isinstance(following, int) else {})
            _set(node, path[-1], value)
            return
        node = node[part]


def _set(node: Any, part: str | int, value: Any) -> Any:
    if isinstance(node, list) and part == len(node):
        node.append(value)
    else:
        node[part] = value
    return value

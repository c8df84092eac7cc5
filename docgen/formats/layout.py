"""The printed tables as data: every cell of an official table — its label or the figure it holds, and how it
spans the grid — declared once per format. The template builder draws these grids, `template lint` finds
their number cells in a template, `extract` reads a document's tables by their labels and `init` comments a
new data file with them; none of them restates a table's shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Union

from docgen import labels
from docgen.errors import KeyPath


@dataclass(frozen=True)
class Label:
    """A cell of official wording. `lines` is how the official form breaks it (商业⏎企业); `merge` is
    "restart" for a cell that runs down over the rows below, "continue" for the cells it covers."""

    text: str
    span: int = 1
    merge: str | None = None
    lines: tuple[str, ...] | None = None

    @property
    def printed_lines(self) -> tuple[str, ...]:
        if self.lines is not None:
            return self.lines
        return (self.text,) if self.text else ()


@dataclass(frozen=True)
class Figure:
    """A cell that prints one figure: `key` is its key path in the template's variables, as the template's
    tag names it (`table2.fees`, `table3.new[0]`; `[6]` is a row's 总计)."""

    key: str
    span: int = 1

    @property
    def path(self) -> KeyPath:
        return parse_key(self.key)


Cell = Union[Label, Figure]


def continued(span: int = 1) -> Label:
    """A cell covered by the merged cell above it."""
    return Label("", span, "continue")


def label(text: str, span: int = 1, merge: str | None = None, lines: dict[str, tuple[str, ...]] | None = None) -> Label:
    return Label(text, span, merge, (lines or {}).get(text))


@dataclass(frozen=True)
class Grid:
    """One official table: column widths (twips; they add up to the text block), rows of cells, how many
    rows repeat as a header on a new page, and `marker`, a label no other table has (how a template's or a
    document's table is recognised). `fixed_rows`: a table with this marker is this table only when it has
    exactly these rows (行政复议 is also words of other tables a template may hold)."""

    name: str
    widths: tuple[int, ...]
    rows: tuple[tuple[Cell, ...], ...]
    marker: str
    header_rows: int = 0
    fixed_rows: bool = False

    def figure_rows(self) -> list[tuple[int, int]]:
        """(row number from 1, how many cells at the end of the row hold figures) for every row that holds
        figures: the cells `template lint` expects a tag in."""
        found = []
        for number, row in enumerate(self.rows, start=1):
            trailing = 0
            for cell in reversed(row):
                if not isinstance(cell, Figure):
                    break
                trailing += 1
            if trailing:
                found.append((number, trailing))
        return found


@dataclass(frozen=True)
class Table2Cell:
    """A figure cell of table 2: the heading of its column, the figure's key path in the data, and the grid
    column it starts in."""

    heading: str
    path: KeyPath
    column: int


@dataclass(frozen=True)
class Table2Row:
    """A figure row of table 2 as a reader meets it: the 第二十条 item it stands under, its own label and
    its figure cells."""

    key: str
    item: str
    label: str
    cells: tuple[Table2Cell, ...]


def table2_rows(grid: Grid) -> list[Table2Row]:
    """Table 2's figure rows, each with the headings of its columns taken from the header row above it."""
    rows: list[Table2Row] = []
    item, headings = "", [""] * len(grid.widths)
    for row in grid.rows:
        if all(isinstance(cell, Label) for cell in row):
            if len(row) == 1:  # 第二十条第（N）项 spans the table
                item = row[0].text  # type: ignore[union-attr]
            else:
                headings = [cell.text for cell in row for _ in range(cell.span)]  # type: ignore[union-attr]
            continue
        column, cells = 0, []
        for cell in row:
            if isinstance(cell, Figure):
                cells.append(Table2Cell(headings[column], cell.path, column))
            column += cell.span
        first = row[0]
        assert isinstance(first, Label)
        key = cells[0].path[1]  # ("table2", "regulations", "issued") → regulations
        rows.append(Table2Row(str(key), item, first.text, tuple(cells)))
    return rows


_KEY_PART = re.compile(r"\.?([A-Za-z_]\w*)|\[(\d+)\]")


def parse_key(key: str) -> KeyPath:
    """`table3.new[1]` → ("table3", "new", 1): a template tag's key path as the data's."""
    return tuple(int(index) if index else name for name, index in _KEY_PART.findall(key))


def key_text(path: KeyPath) -> str:
    """("table3", "new", 0) → "table3.new[0]": the form parse_key reads back."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def merges(grid: Grid) -> Iterator[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of every merged block, grid positions from 0."""
    covered: dict[tuple[int, int], int] = {}  # (row, column) of a "continue" cell → its span
    for row_index, row in enumerate(grid.rows):
        column = 0
        for cell in row:
            if isinstance(cell, Label) and cell.merge == "continue":
                covered[(row_index, column)] = cell.span
            column += cell.span
    for row_index, row in enumerate(grid.rows):
        column = 0
        for cell in row:
            if isinstance(cell, Label) and cell.merge == "restart":
                last = row_index
                while (last + 1, column) in covered:
                    last += 1
                yield row_index, column, last, column + cell.span - 1
            elif cell.span > 1 and not (isinstance(cell, Label) and cell.merge == "continue"):
                yield row_index, column, row_index, column + cell.span - 1
            column += cell.span


# --- tables 3 and 4: the same drawing in every format, table 3 with the format's rows -------------------

Rows = tuple[tuple[str, str], ...]  # table 3's printed rows: (key path under [table3], label)
RESULTS_TOTAL = "results.total"  # （七）总计: derived, never entered


def result_keys(rows: Rows) -> tuple[str, ...]:
    """The rows of 三、本年度办理结果 whose sum is （七）总计, in printed order."""
    return tuple(key for key, _ in rows if key.startswith("results.") and key != RESULTS_TOTAL)


def entered_keys(rows: Rows) -> tuple[str, ...]:
    """Every row a data file gives (all but the derived （七）总计)."""
    return tuple(key for key, _ in rows if key != RESULTS_TOTAL)


def table3_grid(rows: Rows) -> Grid:
    """三、收到和处理政府信息公开申请情况 — 10 grid columns: 3 header rows, then one row per printed row
    (25 in the 2021 format, 23 in the 2019 format, whose （六）其他处理 is one row)."""
    columns = labels.APPLICANT_COLUMN_LINES
    organisations = tuple(label(name, lines=columns) for name in labels.APPLICANT_COLUMNS[1:])
    header: list[tuple[Cell, ...]] = [
        (label(labels.TABLE3_BALANCE_NOTE, span=3, merge="restart"), label(labels.TABLE3_APPLICANTS, span=7)),
        (
            continued(span=3),
            label(labels.APPLICANT_COLUMNS[0], merge="restart"),
            label(labels.TABLE3_ORGANISATIONS, span=5),
            label(labels.TOTAL, merge="restart"),
        ),
        (continued(span=3), continued(), *organisations, continued()),
    ]
    body: list[tuple[Cell, ...]] = []
    started: set[str] = set()
    for key, text in rows:
        parts = key.split(".")
        figures = tuple(Figure(f"table3.{key}[{index}]") for index in range(7))
        if len(parts) == 1:  # 一、二、四: the label spans the three label columns
            body.append((label(text, span=3), *figures))
            continue
        # Rows of 三、本年度办理结果 share its cell; rows of a （三）…（六） block share the block's cell.
        cells = [_group_cell("results", started)]
        if len(parts) == 3:
            cells += [_group_cell(".".join(parts[:2]), started), label(text)]
        else:
            cells.append(label(text, span=2))
        body.append((*cells, *figures))
    # Number columns hold 14,301 on one line in 10.5 pt 仿宋 (four digits in any fallback font); the labels wrap.
    return Grid(
        "table3",
        (420, 980, 3034, *[630] * 7),
        (*header, *body),
        marker=labels.TABLE3_BALANCE_NOTE,
        header_rows=len(header),
    )


def _group_cell(group: str, started: set[str]) -> Label:
    if group in started:
        return continued()
    started.add(group)
    return label(labels.TABLE3_GROUPS[group], merge="restart")


def table4_grid() -> Grid:
    """四、政府信息公开行政复议、行政诉讼情况 — 15 grid columns × 4 rows."""
    results = (*labels.RESULT_COLUMNS, labels.TOTAL)
    lines = labels.RESULT_COLUMN_LINES
    groups = list(labels.TABLE4_GROUPS)
    rows: Sequence[tuple[Cell, ...]] = (
        (label(labels.TABLE4_REVIEW, span=5), label(labels.TABLE4_LITIGATION, span=10)),
        (
            *(label(name, merge="restart", lines=lines) for name in results),
            *(label(labels.TABLE4_GROUPS[group], span=5) for group in groups[1:]),
        ),
        (*(continued() for _ in results), *(label(name, lines=lines) for _ in groups[1:] for name in results)),
        tuple(Figure(f"table4.{group}[{index}]") for group in groups for index in range(len(results))),
    )
    return Grid("table4", (*[590] * 14, 584), tuple(rows), marker=labels.TABLE4_REVIEW, fixed_rows=True)

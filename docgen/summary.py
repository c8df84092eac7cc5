"""汇总 and year-over-year: many bodies' reports added up into one data file (a county's statistics), and one
body's two years compared figure by figure.

Summing reads the inputs one at a time and keeps only running totals and each body's key figures, so memory
does not grow with the number of files beyond that summary. Every input is checked first: one with errors,
or of another year or format, stops the sum and is named with why."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from docgen import labels
from docgen.audit import KEY_FIGURES, key_figures
from docgen.check import check, figure_cells
from docgen.datafile import write_data_file
from docgen.errors import DataError, KeyPath, Problem, Severity
from docgen.files import data_files
from docgen.formats import FORMATS, put
from docgen.load import ReportLike, as_report, from_dict
from docgen.messages import message
from docgen.model import Report, signing_date
from docgen.workbook import figure_paths
from docgen.write import write_atomic
from docgen.xlsxout import append, new_book, to_bytes


@dataclass(frozen=True)
class Contribution:
    """One body's part in a sum: its file, name and key figures (what `--by` lists)."""

    source: str
    issuer: str
    figures: dict[str, int]


def _inputs(items: Iterable[ReportLike]) -> Iterator[ReportLike]:
    """Reports as given; a folder given by path is its data files."""
    for item in items:
        if isinstance(item, (str, Path)) and Path(item).is_dir():
            yield from data_files([Path(item)])
        else:
            yield item


def sum_reports(
    reports: Iterable[ReportLike],
    issuer: str | None = None,
    on_each: Callable[[Contribution], None] = lambda _: None,
    output: Path | str | None = None,
    by: Path | str | None = None,
    force: bool = False,
) -> tuple[Report, list[Contribution]]:
    """The reports added up, cell by cell (table 2's amounts as exact decimals), as a new report of the same
    year and format — its narrative a placeholder to write, the bodies it sums listed in `sum_of` — and each
    body's contribution; with `output` the sum is written as a data file (.toml or .xlsx), with `by` the
    contributions as a workbook. Raises DataError naming every input that has errors or another year or
    format."""
    totals: dict[KeyPath, int | Decimal] = {}
    contributions: list[Contribution] = []
    problems: list[Problem] = []
    first: tuple[int, str, str] | None = None  # year, format, the file that set them
    for item in _inputs(reports):
        name = (
            str(item)
            if isinstance(item, (str, Path))
            else (item.source.name if isinstance(item, Report) and item.source else "<数据>")
        )
        try:
            report = as_report(item)
        except DataError as error:
            problems += error.problems
            continue
        errors = [problem for problem in check(report) if problem.severity is Severity.ERROR]
        if errors:
            problems += errors
            continue
        if first is None:
            first = (report.report.year, report.format, name)
        elif (report.report.year, report.format) != first[:2]:
            text = message(
                "sum-mismatch",
                year=report.report.year,
                format=report.format,
                other=first[2],
                other_year=first[0],
                other_format=first[1],
            )
            problems.append(Problem("sum", text, file=name))
            continue
        for path, value in figure_cells(report):
            totals[path] = totals.get(path, 0) + value
        contribution = Contribution(name, report.report.issuer, key_figures(report))
        contributions.append(contribution)
        on_each(contribution)
    if problems:
        raise DataError(problems)
    if first is None:
        raise DataError([Problem("sum", message("sum-nothing"))])
    year, fmt_name, _ = first
    fmt = FORMATS[fmt_name]
    data: dict[str, Any] = {"format": fmt_name} if fmt.requires_format_key else {}
    data["report"] = {"issuer": issuer or message("sum-issuer"), "year": year, "date": signing_date(year)}
    data["overview"] = {"paragraphs": [message("sum-overview", count=len(contributions))]}
    data |= fmt.blank_tables()
    for path, value in totals.items():
        if isinstance(path[-1], int):
            row = _row(data, path[:-1])
            row[path[-1]] = value
        else:
            put(data, path, value)
    data["problems"] = {"paragraphs": [message("init-improvements")]}
    data["sum_of"] = [contribution.issuer for contribution in contributions]
    total = from_dict(data, message("sum-name"))
    if output is not None:
        write_data_file(total, Path(output), force, message("sum-header", count=len(contributions)))
    if by is not None:
        write_atomic(Path(by), contributions_workbook(contributions))
    return total, contributions


def summed(reports: Iterable[ReportLike], issuer: str | None = None) -> Report:
    """The reports added up (`docgen.sum`): see sum_reports."""
    return sum_reports(reports, issuer)[0]


def _row(data: dict[str, Any], path: KeyPath) -> list[Any]:
    node: Any = data
    for part in path:
        node = node[part]
    return node  # type: ignore[no-any-return]


def contributions_workbook(contributions: list[Contribution]) -> bytes:
    """分单位.xlsx: one row per body with its key figures, and a total row equal to the sum."""
    from openpyxl.styles import Font

    book = new_book()
    sheet = book.active
    sheet.title = "分单位"
    append(sheet, ["数据文件", "机关名称", *KEY_FIGURES.values()])
    for contribution in contributions:
        append(
            sheet,
            [Path(contribution.source).name, contribution.issuer, *(contribution.figures[key] for key in KEY_FIGURES)],
        )
    append(sheet, ["", message("sum-total-row"), *(sum(c.figures[key] for c in contributions) for key in KEY_FIGURES)])
    for cell in (*sheet[1], *sheet[sheet.max_row]):
        cell.font = Font(bold=True)
    for column, width in zip("AB", (28, 28)):
        sheet.column_dimensions[column].width = width
    return to_bytes(book)


# --- one body's two years ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compared:
    """One figure in two years: its key path, its official name, last year's and this year's (None where a
    format has no such cell)."""

    path: KeyPath
    label: str
    before: int | Decimal | None
    this: int | Decimal | None

    @property
    def change(self) -> int | Decimal | None:
        return self.this - self.before if self.this is not None and self.before is not None else None

    @property
    def percent(self) -> Decimal | None:
        if self.change is None or not self.before:
            return None
        return (Decimal(self.change) * 100 / Decimal(self.before)).quantize(Decimal("0.1"))

    def to_dict(self) -> dict[str, object]:
        plain = {
            key: (str(value) if isinstance(value, Decimal) else value)
            for key, value in (
                ("previous", self.before),
                ("this", self.this),
                ("change", self.change),
                ("percent", self.percent),
            )
        }
        return {"key": labels.key_path_text(self.path), "label": self.label, **plain}


def _cells(report: Report) -> dict[KeyPath, int | Decimal]:
    cells = dict(figure_cells(report))
    cells |= {("figures", *path): value for path, value in figure_paths(report.figures)}
    return cells


def compare(previous: ReportLike, current: ReportLike, output: Path | str | None = None) -> list[Compared]:
    """Every figure of tables 2–4 and [figures] in both years, in the order of this year's report (what only
    last year's format has follows, with no figure for this year); with `output`, as a workbook."""
    before, this = _cells(as_report(previous)), _cells(as_report(current))
    paths = [*this, *(path for path in before if path not in this)]
    rows = [Compared(path, labels.describe(path), before.get(path), this.get(path)) for path in paths]
    if output is not None:
        write_atomic(Path(output), comparison_workbook(rows))
    return rows


def comparison_workbook(rows: list[Compared]) -> bytes:
    """对比.xlsx: a row per figure — its name, last year, this year, the change and the change in percent."""
    from openpyxl.styles import Font

    book = new_book()
    sheet = book.active
    sheet.title = "对比"
    append(sheet, ["项目", "键", "上年", "本年", "增减", "增减（%）"])
    for row in rows:
        append(sheet, [row.label, labels.key_path_text(row.path), row.before, row.this, row.change, row.percent])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 36
    return to_bytes(book)

"""Derive: every figure the user never types — the 总计 column and the （七）总计 row of table 3, and the
总计 of each group of table 4. Pure arithmetic on the validated model; `check` reuses it to compare."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from docgen import labels
from docgen.formats.layout import RESULTS_TOTAL, entered_keys, result_keys
from docgen.model import ApplicantRow, Report, ResultRow, Table3, Table4

TABLE4_KEYS: tuple[str, ...] = tuple(labels.TABLE4_GROUPS)


def column_sums(rows: Iterable[Sequence[int]]) -> tuple[int, ...]:
    """Add rows of equal length column by column."""
    return tuple(map(sum, zip(*rows)))


def with_total(values: Sequence[int]) -> tuple[int, ...]:
    """The values followed by their sum: a row of a printed table with its 总计 cell."""
    return (*values, sum(values))


def table3_row(table3: Table3, key: str) -> ApplicantRow:
    """The entered row at a key path such as `results.withheld.state_secret`."""
    node = _getter(key)(table3)
    assert isinstance(node, ApplicantRow)
    return node


@cache  # one per row key of the formats: a few dozen
def _getter(key: str) -> Callable[[object], object]:
    return attrgetter(key)  # the dotted path followed in C


def results_total(table3: Table3) -> tuple[int, ...]:
    """（七）总计 for the six applicant columns: every result row added."""
    return column_sums(table3_row(table3, key).figures for key in result_keys(table3.ROWS))


def table4_row(table4: Table4, key: str) -> ResultRow:
    row = getattr(table4, key)
    assert isinstance(row, ResultRow)
    return row


@dataclass(frozen=True)
class Derived:
    """Every number cell of tables 3 and 4 as printed, totals included, keyed by the TOML key path."""

    table3: dict[str, tuple[int, ...]]  # 7 values: six applicant columns, then 总计
    table4: dict[str, tuple[int, ...]]  # 5 values: four results, then 总计


def derive(report: Report) -> Derived:
    rows = report.table3.ROWS
    table3 = {key: with_total(table3_row(report.table3, key).figures) for key in entered_keys(rows)}
    table3[RESULTS_TOTAL] = with_total(results_total(report.table3))
    ordered = {key: table3[key] for key, _ in rows}
    table4 = {key: with_total(table4_row(report.table4, key).figures) for key in TABLE4_KEYS}
    return Derived(table3=ordered, table4=table4)

"""Check: the rules the figures obey (勾稽关系, reference section 6), each with a stable id.

Every rule runs and every problem is returned, so a person fixes a file in one pass. Rule 6 (every count a
whole number ≥ 0) is enforced while loading (`model.Count`) and reported with the id `count`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from docgen import derive, labels
from docgen.errors import Problem
from docgen.messages import message
from docgen.model import FigureRow, Report
from docgen.tomlkeys import KeyPath

_APPLICANT_AND_TOTAL = (*labels.APPLICANT_COLUMNS, labels.TOTAL)


def balance(report: Report) -> Iterator[Problem]:
    """t3-balance (rule 1): per applicant column, 一 + 二 = 三（七）总计 + 四.

    The 总计 column is the sum of the six, so it balances whenever they do and is not checked on its own.
    """
    table3 = report.table3
    for column, new, carried_over, total, carried_forward in zip(
        labels.APPLICANT_COLUMNS,
        table3.new.figures,
        table3.carried_over.figures,
        derive.results_total(table3),
        table3.carried_forward.figures,
        strict=True,
    ):
        left, right = new + carried_over, total + carried_forward
        if left != right:
            text = message("t3-balance", column=column, left=left, right=right)
            yield report.problem("t3-balance", ("table3",), text, expected=left, actual=right)


def results_total(report: Report) -> Iterator[Problem]:
    """t3-results-total (rule 3): a （七）总计 row given in the file equals the sum of the result rows."""
    stated = report.table3.results.total
    if stated is None:
        return
    derived = derive.with_total(derive.results_total(report.table3))
    for index, value in enumerate(stated.root):
        if value != derived[index]:
            text = message("t3-results-total", column=_APPLICANT_AND_TOTAL[index], stated=value, derived=derived[index])
            path = ("table3", "results", "total", index)
            yield report.problem("t3-results-total", path, text, expected=derived[index], actual=value)


def _stated_total(report: Report, rule: str, path: KeyPath, row: FigureRow | None, name: str) -> Iterator[Problem]:
    """A row's optional last number (its 总计) must equal its figures added."""
    if row is None or row.stated_total is None or row.stated_total == sum(row.figures):
        return
    derived = sum(row.figures)
    text = message(rule, name=name, stated=row.stated_total, derived=derived)
    yield report.problem(rule, (*path, len(row.COLUMNS)), text, expected=derived, actual=row.stated_total)


def row_totals(report: Report) -> Iterator[Problem]:
    """t3-row-total (rule 4): a row's 7th number, where given, equals its six applicant columns added."""
    table3 = report.table3
    for key, _ in labels.TABLE3_ROWS:
        row = table3.results.total if key == derive.RESULTS_TOTAL else derive.table3_row(table3, key)
        path = ("table3", *key.split("."))
        yield from _stated_total(report, "t3-row-total", path, row, labels.table3_row_label(key))


def table4_totals(report: Report) -> Iterator[Problem]:
    """t4-total (rule 5): a group's 5th number, where given, equals its four results added."""
    for key, group in labels.TABLE4_GROUPS.items():
        row = derive.table4_row(report.table4, key)
        yield from _stated_total(report, "t4-total", ("table4", key), row, group)


RULES: dict[str, Callable[[Report], Iterator[Problem]]] = {
    "t3-balance": balance,
    "t3-results-total": results_total,
    "t3-row-total": row_totals,
    "t4-total": table4_totals,
}


def check(report: Report) -> list[Problem]:
    """Every problem every rule finds, in rule order."""
    return [problem for rule in RULES.values() for problem in rule(report)]

"""What the editor's pages show of a draft: the tables as the printed report draws them (merged cells,
figures typed and totals derived), the narrative's texts, the problems by field, and the live check's answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from docgen import labels
from docgen.errors import Problem
from docgen.formats import FORMATS
from docgen.formats.layout import Figure, Grid, Label, key_text, merges, parse_key
from docgen.messages import message
from docgen.workspace import Draft, lookup

TABLE_PARTS = ("format", "report", "table2", "table3", "table4", "figures", "style")
NOTICES = ("saved", "saved-draft", "logged-out")  # the only notices a page shows (?notice=…)


def notice_text(notice: str | None) -> str | None:
    """The text of a notice a redirect asked for; any other value of ?notice= shows nothing."""
    return message(f"serve-notice-{notice}") if notice in NOTICES else None


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"rule": problem.rule, "key": problem.key, "message": problem.message, "severity": str(problem.severity)}


def draft_json(draft: Draft) -> dict[str, Any]:
    return {
        "problems": [problem_json(problem) for problem in draft.problems],
        "figures": draft.figures,
        "balanced": draft.balanced,
        "errors": draft.errors,
        "warnings": draft.warnings,
    }


@dataclass(frozen=True)
class Cell:
    """One cell of a table as the editor draws it."""

    text: str = ""
    key: str = ""  # a figure's key path
    entered: bool = False  # typed by the clerk (else derived: a total)
    value: object = ""
    colspan: int = 1
    rowspan: int = 1
    column: int = -1  # the applicant column of table 3 (for the 勾稽 mark)


def _grid_rows(grid: Grid, draft: Draft) -> list[list[Cell]]:
    """The grid as HTML rows: merged cells get their row and column spans, covered cells are left out."""
    spans = {(top, left): (bottom - top + 1) for top, left, bottom, _ in merges(grid)}
    rows: list[list[Cell]] = []
    for row_index, row in enumerate(grid.rows):
        cells: list[Cell] = []
        column = 0
        for cell in row:
            if isinstance(cell, Label):
                if cell.merge != "continue":
                    text = "\n".join(cell.printed_lines)
                    cells.append(Cell(text=text, colspan=cell.span, rowspan=spans.get((row_index, column), 1)))
            elif isinstance(cell, Figure):
                path = parse_key(cell.key)
                entered = _entered(draft.data, path)
                value = lookup(draft.data, path) if entered else draft.figures.get(cell.key, "")
                position = path[-1] if isinstance(path[-1], int) and path[0] == "table3" else -1
                cells.append(Cell(key=cell.key, entered=entered, value=value, colspan=cell.span, column=position))
            column += cell.span
        rows.append(cells)
    return rows


def _entered(data: Any, path: tuple[Any, ...]) -> bool:
    try:
        value = lookup(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return not isinstance(value, (dict, list))


def _texts(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[str, str]]:
    """Every text of the narrative, in the file's order: (key path, text)."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if not path and key in TABLE_PARTS:
                continue
            found += _texts(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _texts(value, (*path, index))
    elif isinstance(data, str) and path:
        found.append((key_text(path), data))
    return found


def editor_values(name: str, draft: Draft, version: str, notice: str | None) -> dict[str, Any]:
    fmt = FORMATS[draft.format_name]
    sections = {"table2": "proactive", "table3": "requests", "table4": "review_litigation"}
    titles = [f"{labels.TABLE_NAMES[table]} {labels.HEADINGS[section]}" for table, section in sections.items()]
    report = draft.data.get("report", {}) if isinstance(draft.data.get("report"), dict) else {}
    by_key: dict[str, list[dict[str, Any]]] = {}
    for problem in draft.problems:
        by_key.setdefault(problem.key, []).append(problem_json(problem))
    figures = sorted(draft.figures.items())
    return {
        "name": name,
        "version": version,
        "notice": notice_text(notice),
        "notice_warn": notice == "saved-draft",
        "conflict": None,
        "drafted": False,
        "stale_draft": False,
        "report": report,
        "texts": _texts(draft.data),
        "tables": [(title, _grid_rows(grid, draft)) for title, grid in zip(titles, fmt.grids)],
        "problems": [problem_json(problem) for problem in draft.problems],
        "by_key": by_key,
        "figures": figures,
        "draft": draft,
        "initial": json.dumps(draft_json(draft), ensure_ascii=False),
    }

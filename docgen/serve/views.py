"""What the editor's pages show of a draft: the tables as the printed report draws them (merged cells,
figures typed and totals derived), the narrative's texts, the problems by field, and the live check's answer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from docgen import labels
from docgen.errors import Problem
from docgen.formats import FORMATS
from docgen.formats.layout import Figure, Grid, Label, key_text, merges, parse_key
from docgen.messages import message
from docgen.model import NARRATIVE_LISTS
from docgen.workspace import Draft, data_texts, is_narrative_key, lookup

NOTICES = ("saved", "saved-draft", "logged-out")  # the only notices a page shows (?notice=…)


def notice_text(notice: str | None) -> str | None:
    """The text of a notice a redirect asked for; any other value of ?notice= shows nothing."""
    return message(f"serve-notice-{notice}") if notice in NOTICES else None


def problem_json(problem: Problem, data: Any = None) -> dict[str, Any]:
    """A problem as the page shows it: the message first; where it stands (in the printed report's words)
    and the rule's id for a detail line."""
    return {
        "rule": problem.rule,
        "key": problem.key,
        "message": problem.message,
        "severity": str(problem.severity),
        "where": place_of(problem.key, data),
        "severity_name": labels.SEVERITY.get(str(problem.severity), ""),
    }


def place_of(key: str, data: Any = None) -> str:
    """A key path in the printed report's words: a table's cell, a paragraph's place, a basic field."""
    if not key:
        return ""
    path = parse_key(key)
    if not path:
        return ""
    if path[0] in labels.TABLE_NAMES:
        return labels.describe(path)
    if path[0] == "report" and len(path) == 2 and path[1] in BASIC_FIELDS:
        return BASIC_FIELDS[str(path[1])]
    return labels.narrative_label(path, data)


# The basic fields of [report], as the page labels their boxes.
BASIC_FIELDS = {"issuer": "机关名称", "year": "年度", "date": "成文日期"}


def draft_json(draft: Draft) -> dict[str, Any]:
    return {
        "problems": [problem_json(problem, draft.data) for problem in draft.problems],
        "figures": draft.figures,
        "balanced": draft.balanced,
        "errors": draft.errors,
        "warnings": draft.warnings,
        "todo": to_do(draft.problems),
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


@dataclass(frozen=True)
class Text:
    """One narrative box: its key path (the field's name), where it stands in the printed report, and its
    text with every quoted figure shown as a token."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the narrative on the page: a text, or an enumeration (its lead and items)."""

    text: Text | None = None
    lead: Text | None = None
    items: tuple[Text, ...] = ()
    separator: str = "；"

    @property
    def kind(self) -> str:
        return "text" if self.text is not None else "enumeration"


@dataclass(frozen=True)
class Section:
    """A sub-section （一）（二）… on the page: where it stands in the file, its title, its paragraphs."""

    origin: int
    title: Text
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Part:
    """A part of the narrative whose paragraphs the clerk may add, remove and move (导语, 一, 五, 六)."""

    name: str  # preamble, overview, problems, other
    label: str
    paragraphs: tuple[Paragraph, ...]
    sections: tuple[Section, ...] = ()


def narrative_parts(data: Any, text: Callable[[tuple[Any, ...], str], Text]) -> list[Part]:
    """The narrative of a data file as the page lays it out, each text made a box by `text`."""

    def paragraphs(path: tuple[Any, ...]) -> tuple[Paragraph, ...]:
        found = _at(data, path)
        laid: list[Paragraph] = []
        for index, item in enumerate(found if isinstance(found, list) else []):
            here = (*path, index)
            if isinstance(item, str):
                laid.append(Paragraph(text=text(here, item)))
            elif isinstance(item, dict):
                lead = item.get("lead") if isinstance(item.get("lead"), str) else ""
                items = item.get("items") if isinstance(item.get("items"), list) else []
                laid.append(
                    Paragraph(
                        lead=text((*here, "lead"), lead),
                        items=tuple(text((*here, "items", n), t) for n, t in enumerate(items) if isinstance(t, str)),
                        separator="。" if item.get("separator") == "。" else "；",
                    )
                )
        return tuple(laid)

    parts = []
    for name, path in NARRATIVE_LISTS.items():
        sections: tuple[Section, ...] = ()
        if name == "overview":
            found = _at(data, ("overview", "sections"))
            sections = tuple(
                Section(
                    number,
                    text(("overview", "sections", number, "title"), str(section.get("title", ""))),
                    paragraphs(("overview", "sections", number, "paragraphs")),
                )
                for number, section in enumerate(found if isinstance(found, list) else [])
                if isinstance(section, dict)
            )
        parts.append(Part(name, labels.NARRATIVE_PARTS[name], paragraphs(path), sections))
    return parts


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    try:
        return lookup(data, path)
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


# A figure quoted as the narrative writes it: {{ table3.new.total }}, {{ table4.review[1] }} (nothing more:
# an expression with a filter or arithmetic stays as it is written).
_QUOTED = re.compile(r"\{\{\s*(table[234](?:\.[A-Za-z_]\w*|\[\d+\])+)\s*\}\}")
# The token the editor shows for one: 【表三 本年新收 总计：7】.
_TOKEN = re.compile(r"【([^【】：\n]{1,80})：[^【】\n]{0,24}】")


@cache
def figure_labels(format_name: str) -> dict[str, str]:
    """Each figure of a format's tables by its token label → its key path (every label is unique: the
    tests check it), whatever the draft's values are."""
    keys = [
        cell.key for grid in FORMATS[format_name].grids for row in grid.rows for cell in row if isinstance(cell, Figure)
    ]
    return {labels.figure_label(parse_key(key)): key for key in keys}


def tokens_of(text: str, format_name: str, figures: dict[str, Any]) -> str:
    """A text as the editor shows it: each quoted figure a token with its label and current value (？ while
    the tables do not add up to figures yet)."""
    named = figure_labels(format_name)

    def token(found: re.Match[str]) -> str:
        label = labels.figure_label(parse_key(found.group(1)))
        key = named.get(label)
        return f"【{label}：{figures.get(key, '？')}】" if key is not None else found.group(0)

    return _QUOTED.sub(token, text)


def expressions_of(text: str, figures_by_label: dict[str, str], original: str = "") -> str:
    """A text as the data file keeps it: each token an expression again — written as the original text wrote
    that figure, when it quoted it, so a text the clerk did not touch is saved unchanged."""
    if "【" not in text:
        return text
    written = {labels.figure_label(parse_key(found.group(1))): found.group(0) for found in _QUOTED.finditer(original)}

    def expression(found: re.Match[str]) -> str:
        label = found.group(1)
        if label in written:
            return written[label]
        key = figures_by_label.get(label)
        return f"{{{{ {key} }}}}" if key is not None else found.group(0)

    return _TOKEN.sub(expression, text)


def to_do(problems: list[Problem]) -> str:
    """What is left before the report can go out, in a clerk's words (还有 3 处占位文字、成文日期未改)."""
    errors = sum(str(problem.severity) == "error" for problem in problems)
    parts = [message("serve-todo-errors", count=errors)] if errors else []
    placeholders = sum(problem.rule == "placeholder" and problem.key != "report.date" for problem in problems)
    if placeholders:
        parts.append(message("serve-todo-placeholders", count=placeholders))
    if any(problem.rule == "placeholder" and problem.key == "report.date" for problem in problems):
        parts.append(message("serve-todo-date"))
    return message("serve-todo", items="、".join(parts).replace("、 ", "、")) if parts else ""


def editor_values(name: str, draft: Draft, version: str, notice: str | None) -> dict[str, Any]:
    fmt = FORMATS[draft.format_name]
    sections = {"table2": "proactive", "table3": "requests", "table4": "review_litigation"}
    titles = [f"{labels.TABLE_NAMES[table]} {labels.HEADINGS[section]}" for table, section in sections.items()]
    report = draft.data.get("report", {}) if isinstance(draft.data.get("report"), dict) else {}
    by_key: dict[str, list[dict[str, Any]]] = {}
    for problem in draft.problems:
        by_key.setdefault(problem.key, []).append(problem_json(problem, draft.data))
    # the picker lists the figures as the tables print them: table by table, row by row
    figures = [(labels.figure_label(parse_key(key)), key, value) for key, value in draft.figures.items()]

    def box(path: tuple[Any, ...], text: str) -> Text:
        label = labels.narrative_label(path, draft.data)
        return Text(key_text(path), label, tokens_of(text, draft.format_name, draft.figures))

    parts = narrative_parts(draft.data, box)
    # the texts the parts do not lay out: the headings' wording, what extract could not place
    texts = [box(parse_key(key), text) for key, text in data_texts(draft.data) if not is_narrative_key(key)]
    return {
        "name": name,
        "version": version,
        "notice": notice_text(notice),
        "notice_warn": notice == "saved-draft",
        "conflict": None,
        "drafted": False,
        "stale_draft": False,
        "report": report,
        "parts": parts,
        "texts": [text for text in texts if not text.key.startswith("headings.")],
        "heading_texts": [text for text in texts if text.key.startswith("headings.")],
        "todo": to_do(draft.problems),
        "figure_labels": json.dumps(figure_labels(draft.format_name), ensure_ascii=False),
        "tables": [(title, _grid_rows(grid, draft)) for title, grid in zip(titles, fmt.grids)],
        "problems": [problem_json(problem, draft.data) for problem in draft.problems],
        "by_key": by_key,
        "figures": figures,
        "draft": draft,
        "initial": json.dumps(draft_json(draft), ensure_ascii=False),
    }

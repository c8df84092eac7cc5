"""The workbook reader: an .xlsx written by docgen (and filled in Excel, WPS 表格 or LibreOffice) → the data
file's mapping, every value located by sheet and cell. Cells are taken as people type them and held to the
same rules as a TOML file: a number stored as text, full-width digits, a unit, thousands separators, a blank
figure or a formula error is a problem naming the cell and what it holds, with the fix — never a silent 0.
"""

from __future__ import annotations

import datetime
import io
import itertools
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from docgen import labels
from docgen.errors import DataError, KeyPath, Location, NotADataWorkbook, Problem
from docgen.formats import FORMATS, LATEST, put
from docgen.formats.layout import Label, parse_key
from docgen.limits import MB
from docgen.messages import message
from docgen.model import NARRATIVE_LISTS
from docgen.numerals import half_width, typed_date, typing_slip
from docgen.ooxml import PackageError, container_kind, open_package
from docgen.readers.base import Document, Source
from docgen.workbook import (
    ENUMERATION,
    FIGURES,
    GRID_TOP,
    INFO,
    INFO_KEY_COLUMN,
    ITEM,
    NO,
    PARAGRAPH,
    PARTS,
    SUBSECTION,
    TABLES,
    TEXT,
    YES,
    Layout,
    column_letter,
    info_rows,
    layout,
)


def _start_tag(name: str) -> re.Pattern[bytes]:
    """An element's start tag however written: <c r="A1">, <c/>, <c\nt="n">, <x:c …> (namespace prefixes)."""
    return re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?" + name.encode() + rb"[\s/>]")


# A docgen workbook has ~2,000 cells, ~300 strings and ~40 cell styles; these are a hundred times that and more.
MAX_CELLS = 200_000  # <c>, in all parts together
MAX_STRINGS = 200_000  # <si>, the shared strings
MAX_STYLES = 20_000  # <xf>, cell formats (openpyxl builds several objects for each)
MAX_PART_BYTES = 32 * MB  # any one part, inflated
_COUNTED = (
    (_start_tag("c"), MAX_CELLS, "单元格"),
    (_start_tag("si"), MAX_STRINGS, "文字条目"),
    (_start_tag("xf"), MAX_STYLES, "单元格格式"),
)


@dataclass(frozen=True)
class CellLocator:
    """Key path → sheet and cell, the nearest enclosing key's where a path has none of its own."""

    name: str
    places: dict[KeyPath, tuple[str, str | None]]

    def locate(self, path: KeyPath) -> Location:
        for end in range(len(path), -1, -1):
            if path[:end] in self.places:
                sheet, cell = self.places[path[:end]]
                return Location(self.name, sheet=sheet, cell=cell)
        return Location(self.name)


class _Reading:
    """One workbook being read: the mapping built, where each value came from, every problem."""

    def __init__(self, name: str, values: Any, formulas: Any) -> None:
        self.name = name
        self.values = values  # the workbook with formulas' cached results
        self.formulas = formulas  # the same workbook with the formulas themselves
        self.data: dict[str, Any] = {}
        self.places: dict[KeyPath, tuple[str, str | None]] = {}
        self.problems: list[Problem] = []

    def problem(self, sheet: str, cell: str, path: KeyPath, text: str) -> None:
        where = Location(self.name, sheet=sheet, cell=cell)
        self.problems.append(Problem("xlsx-cell", text, key=labels.key_path_text(path)).at(where))

    def put(self, path: KeyPath, value: Any, sheet: str, cell: str | None) -> None:
        put(self.data, path, value)
        self.places[path] = (sheet, cell)


def check_package(data: bytes, name: str) -> None:
    """Refuse, with a message saying what the file is, anything openpyxl should not be handed: another kind
    of file named .xlsx (an .xls, an encrypted or macro-enabled workbook, a Word document), and parts that
    would take far more memory than any report's (openpyxl holds every string, style and cell as objects)."""
    kind = container_kind(data)
    if kind != "zip":
        raise DataError([Problem("xlsx", message(f"xlsx-is-{kind}"), file=name)])
    package = open_package(data)
    types = package.members.get("[Content_Types].xml", b"")
    if b"macroEnabled" in types or "xl/vbaProject.bin" in package.members:
        raise DataError([Problem("xlsx", message("xlsx-is-xlsm"), file=name)])
    if "word/document.xml" in package.members:
        raise DataError([Problem("xlsx", message("xlsx-is-docx"), file=name)])
    counted = [0] * len(_COUNTED)  # over the whole workbook: ten sheets just under a limit are ten times it
    for part, content in package.members.items():
        if len(content) > MAX_PART_BYTES:
            text = message("xlsx-part-too-large", part=part, size=len(content) // MB, limit=MAX_PART_BYTES // MB)
            raise DataError([Problem("xlsx", text, file=name)])
        # In any part (openpyxl reads a sheet wherever the workbook puts it); counting stops past the limit.
        for index, (tag, limit, what) in enumerate(_COUNTED):
            counted[index] += sum(1 for _ in itertools.islice(tag.finditer(content), limit + 1 - counted[index]))
            if counted[index] > limit:
                text = message("xlsx-too-many", part=part, what=what, limit=limit)
                raise DataError([Problem("xlsx", text, file=name)])
    package.check_xml()


def read(data: bytes, name: str, path: Path | None = None) -> Document:
    """Read a workbook; raises DataError with every problem, each at its sheet and cell."""
    from openpyxl import load_workbook

    try:  # a zip bomb, a part of millions of cells, strings or styles or a broken part is refused before openpyxl
        check_package(data, name)
    except PackageError as error:
        raise DataError([Problem("xlsx", message("xlsx-unreadable", reason=error.describe()), file=name)]) from None
    try:
        formulas = load_workbook(io.BytesIO(data), data_only=False)
        values = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl reports a package it cannot use in many ways
        reason = f"{type(error).__name__}: {error}"[:200]
        raise DataError([Problem("xlsx", message("xlsx-unreadable", reason=reason), file=name)]) from None
    missing = [sheet for sheet in (INFO, TEXT, *TABLES.values()) if sheet not in formulas.sheetnames]
    if missing:
        text = message("xlsx-not-docgen", sheets="、".join(missing))
        raise NotADataWorkbook([Problem("xlsx", text, file=name)])
    reading = _Reading(name, values, formulas)
    fmt_name = _read_info(reading)
    _read_tables(reading, layout(fmt_name))
    _read_text(reading)
    _read_figures(reading)
    source = Source(name, CellLocator(name, reading.places), path)
    return Document(source, reading.data, tuple(reading.problems))


# Rows read from 基本信息, 正文 and 补充数字 (a report has some hundred paragraphs), cells in one sheet, and
# the largest figure (counts are below 10^15).
MAX_ROWS = 5000
MAX_FIGURE = 10**15


def _last_row(reading: _Reading, sheet: str) -> int:
    """The last row of a sheet to read; a sheet reaching past MAX_ROWS (one value typed a million rows down)
    is a problem, not a million rows to walk."""
    last = reading.formulas[sheet].max_row
    if last > MAX_ROWS:
        reading.problem(sheet, f"A{last}", (), message("xlsx-too-many-rows", sheet=sheet, row=last, limit=MAX_ROWS))
        return MAX_ROWS
    return last


# --- cells ---------------------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    return f"“{str(value)[:30]}”"


def _number(reading: _Reading, sheet: str, cell: str, path: KeyPath, amount: bool) -> int | Decimal | None:
    """The figure a cell holds, or None with a problem saying what is wrong and how to put it right."""
    typed = reading.formulas[sheet][cell]
    value = typed.value
    where = labels.describe(path)
    if isinstance(value, str) and value.startswith("="):  # a formula in an input cell: its last result
        value = reading.values[sheet][cell].value
        if value is None:
            reading.problem(sheet, cell, path, message("xlsx-formula", where=where, formula=typed.value[:40]))
            return None
    if value is None or (isinstance(value, str) and not value.strip()):
        reading.problem(sheet, cell, path, message("xlsx-blank", where=where))
        return None
    if isinstance(value, bool):
        reading.problem(sheet, cell, path, message("xlsx-not-number", where=where, value=_shown(value)))
        return None
    if isinstance(value, (int, float, Decimal)):
        if (isinstance(value, float) and not math.isfinite(value)) or (
            isinstance(value, Decimal) and not value.is_finite()
        ):
            reading.problem(sheet, cell, path, message("xlsx-not-number", where=where, value=_shown(value)))
            return None
        if abs(value) >= MAX_FIGURE:
            reading.problem(sheet, cell, path, message("xlsx-too-large", where=where, value=_shown(value)))
            return None
        return _exact(value, typed.number_format, amount)
    text = str(value).strip()
    if typed.data_type == "e" or text.startswith("#"):
        reading.problem(sheet, cell, path, message("xlsx-error-value", where=where, value=text))
        return None
    slip = typing_slip(text)
    if slip is not None:
        reason = slip
    elif _is_number(half_width(text)):
        reason = message("xlsx-text-number", value=_shown(text))
    else:
        reason = message("xlsx-not-a-number", value=_shown(text))
    reading.problem(sheet, cell, path, message("xlsx-number", where=where, reason=reason))
    return None


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))


def _exact(value: int | float | Decimal, number_format: str, amount: bool) -> int | Decimal:
    """A spreadsheet number as the data file holds it: counts as int (a fraction is left for validation to
    name), amounts as Decimal with the decimals the cell shows (12.50 stays 12.50)."""
    if isinstance(value, int):
        return value
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if not amount:
        return int(number) if number == number.to_integral_value() else number
    shown = re.search(r"0\.(0+)", number_format or "")
    if shown and len(shown.group(1)) <= 10:  # a format showing more decimals than any amount has is ignored
        places = Decimal(1).scaleb(-len(shown.group(1)))
        if number == number.quantize(places):
            return number.quantize(places)
    return int(number) if number == number.to_integral_value() else number


# --- sheets --------------------------------------------------------------------------------------------


def _read_info(reading: _Reading) -> str:
    """基本信息, by the hidden key column (the labels may be reworded); returns the format named."""
    sheet = reading.formulas[INFO]
    kinds = {item.path: item for item in info_rows()}
    fmt_name = LATEST.name
    for row in range(2, _last_row(reading, INFO) + 1):
        key = sheet.cell(row, INFO_KEY_COLUMN).value
        path = tuple(str(key).split(".")) if key else None
        if path not in kinds:
            continue
        item = kinds[path]  # type: ignore[index]
        cell = sheet.cell(row, 2)
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            if item.path in (("report", "issuer"), ("report", "year"), ("report", "date")):
                reading.places[item.path] = (INFO, cell.coordinate)  # validation names it as missing
            continue
        if item.kind == "lines":
            value = [line for line in str(value).splitlines() if line.strip()]
        elif item.kind == "date":
            value = _date(reading, cell, item.path)
            if value is None:
                continue
        elif item.kind == "year" and isinstance(value, float) and value.is_integer():
            value = int(value)
        elif item.kind == "bool" and isinstance(value, str):
            # 是/否 as written; TRUE/FALSE typed, or saved by LibreOffice as the formula =TRUE()
            cached = reading.values[INFO][cell.coordinate].value if value.startswith("=") else value
            value = _YES_NO.get(str(cached).strip().lower(), cached)
        elif item.kind == "size" and isinstance(value, (int, float)):
            value = Decimal(repr(value))
        elif item.path == ("format",):
            # 2019 typed as a number; anything else (2019.9, 1e999) stays as typed, for validation to name
            value = (
                str(int(value)) if isinstance(value, (int, float)) and float(value).is_integer() else str(value).strip()
            )
            fmt_name = value if value in FORMATS else fmt_name
            if value == LATEST.name and not LATEST.requires_format_key:
                reading.places[item.path] = (INFO, cell.coordinate)
                continue  # the default format need not be named
        elif item.path[0] == "headings" and value == labels.HEADINGS[str(item.path[1])]:
            continue  # the official wording: nothing to keep
        reading.put(item.path, value, INFO, cell.coordinate)
    reading.places.setdefault(("report",), (INFO, None))
    return fmt_name


_YES_NO = {"true": True, "false": False, YES: True, NO: False}


def _date(reading: _Reading, cell: Any, path: KeyPath) -> datetime.date | None:
    value = cell.value
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        slip = typed_date(text)
        fixed = slip[1] if slip else "2023-01-31"
        reading.problem(INFO, cell.coordinate, path, message("xlsx-date", value=_shown(text), fixed=fixed))
        return None


def _moved(reading: _Reading, place: Layout) -> set[str]:
    """The table sheets whose labels no longer stand where the layout puts them (a row inserted or deleted,
    labels moved): each named once, at its first misplaced label, and not read — a figure read from the
    wrong row would be a wrong report that checks."""
    moved = set()
    for grid in place.fmt.grids:
        sheet = TABLES[grid.name]
        for row_index, row in enumerate(grid.rows):
            column = 1
            for cell in row:
                if isinstance(cell, Label) and cell.text and cell.merge != "continue":
                    found = reading.formulas[sheet].cell(GRID_TOP + row_index, column).value
                    if "".join(str(found or "").split()) != "".join("".join(cell.printed_lines).split()):
                        where = f"{column_letter(column)}{GRID_TOP + row_index}"
                        text = message(
                            "xlsx-moved", sheet=sheet, cell=where, expected=cell.text[:30], found=_shown(found or "")
                        )
                        reading.problem(sheet, where, (grid.name,), text)
                        moved.add(sheet)
                        break
                column += cell.span
            if sheet in moved:
                break
    return moved


def _read_tables(reading: _Reading, place: Layout) -> None:
    """Tables 2–4 cell by cell where the layout puts them; a total holding a formula is docgen's to derive,
    one holding a number is a stated total (checked against the figures)."""
    rows: dict[KeyPath, dict[int, Any]] = {}
    moved = _moved(reading, place)
    for path, cell in place.figures.items():
        if cell.sheet in moved:
            continue
        typed = reading.formulas[cell.sheet][cell.coordinate]
        if cell.derived and (typed.value is None or (isinstance(typed.value, str) and typed.value.startswith("="))):
            continue
        value = _number(reading, cell.sheet, cell.coordinate, path, cell.amount)
        if path[0] == "table2":
            if value is not None:
                reading.put(path, value, cell.sheet, cell.coordinate)
            else:
                reading.places[path] = (cell.sheet, cell.coordinate)
            continue
        rows.setdefault(path[:-1], {})[int(path[-1])] = value  # type: ignore[call-overload]
        reading.places[path] = (cell.sheet, cell.coordinate)
    for row_path, figures in rows.items():
        first = place.figures[(*row_path, 0)]
        reading.places[row_path] = (first.sheet, first.coordinate)
        put(reading.data, row_path, [figures[index] if figures[index] is not None else 0 for index in sorted(figures)])
    for table, sheet in TABLES.items():
        reading.places[(table,)] = (sheet, None)
    # A column that does not balance is shown in the 勾稽 row, where the clerk sees it turn red.
    reading.places[("table3",)] = (TABLES["table3"], f"A{place.balance_row}")


def _text_row(sheet: Any, row: int) -> tuple[str, str, str, str, str, str]:
    """A 正文 row's six cells as text: 部分, 小标题, 小标题与正文同段, 类型 and 分隔 stripped, 内容 as typed."""
    part, title, run_in, kind, text, separator = (
        "" if sheet.cell(row, column).value is None else str(sheet.cell(row, column).value) for column in range(1, 7)
    )
    return part.strip(), title.strip(), run_in.strip(), kind.strip(), text, separator.strip()


def _text_row_refused(reading: _Reading, row: int, part: str | None, part_label: str, kind: str, run_in: str) -> bool:
    """A row whose 部分, 类型 or 小标题与正文同段 is none of the choices: a problem at its cell, the row left out."""
    where, text = None, ""
    if part is None:
        where, text = f"A{row}", message("xlsx-part", value=_shown(part_label), parts="、".join(PARTS.values()))
    elif kind not in (PARAGRAPH, ENUMERATION, ITEM, SUBSECTION):
        choices = f"{PARAGRAPH}、{ENUMERATION}、{ITEM}、{SUBSECTION}"
        where, text = f"D{row}", message("xlsx-choice", column="类型", value=_shown(kind), choices=choices)
    elif run_in not in ("", YES, NO):
        choices = f"{YES}、{NO}"
        where, text = (
            f"C{row}",
            message("xlsx-choice", column="小标题与正文同段", value=_shown(run_in), choices=choices),
        )
    if where is not None:
        reading.problem(TEXT, where, ("overview",), text)
    return where is not None


class _Narrative:
    """The narrative laid out row by row: paragraphs of each part, the overview's sub-sections, the
    enumeration the next 分项 rows belong to, and the row each text came from."""

    def __init__(self, reading: _Reading) -> None:
        self.reading = reading
        self.collected: dict[str, list[Any]] = {key: [] for key in PARTS}
        self.sections: list[dict[str, Any]] = []
        self.rows: dict[KeyPath, int] = {}  # key path → row, for locating
        self.enumeration: dict[str, Any] | None = None

    def _target(self, row: int, part: str, title: str, run_in: str, kind: str) -> list[Any] | None:
        """The list the row's text goes into (None: the row is a sub-section's own, or refused)."""
        sections = self.sections
        if part == "overview" and (kind == SUBSECTION or (title and (not sections or sections[-1]["title"] != title))):
            sections.append({"title": title, "run_in": run_in == YES, "paragraphs": []})
            self.rows[("overview", "sections", len(sections) - 1)] = row
            if kind == SUBSECTION:
                return None
        if part == "overview" and sections:
            if not title:
                self.reading.problem(TEXT, f"B{row}", ("overview",), message("xlsx-lead-after-sections"))
                return None
            return sections[-1]["paragraphs"]
        return self.collected[part]

    def add(self, row: int, part: str, title: str, run_in: str, kind: str, text: str, separator: str) -> None:
        target = self._target(row, part, title, run_in, kind)
        if target is None:
            return
        if kind == ITEM:
            if self.enumeration is None:
                self.reading.problem(TEXT, f"D{row}", ("overview",), message("xlsx-item-alone"))
            else:
                self.enumeration["items"].append(text)
            return
        if kind == ENUMERATION:
            self.enumeration = {"lead": text, "items": [], "separator": separator or "；"}
            target.append(self.enumeration)
        else:
            self.enumeration = None
            target.append(text)
        self.rows[_text_path(part, self.sections, target)] = row


def _read_text(reading: _Reading) -> None:
    """正文: each row a paragraph, an enumeration's lead or one of its items, or a sub-section's own row."""
    sheet = reading.formulas[TEXT]
    parts = {label: key for key, label in PARTS.items()}
    parts |= {label.split("、", 1)[-1]: key for key, label in PARTS.items()}  # 总体情况 for 一、总体情况
    narrative = _Narrative(reading)
    for row in range(2, _last_row(reading, TEXT) + 1):
        part_label, title, run_in, kind, text, separator = _text_row(sheet, row)
        if not any((part_label, title, kind, text)):
            continue
        part, kind = parts.get(part_label), kind or PARAGRAPH
        if _text_row_refused(reading, row, part, part_label, kind, run_in) or part is None:
            continue
        narrative.add(row, part, title, run_in, kind, text, separator)
    collected, sections, texts = narrative.collected, narrative.sections, narrative.rows
    if collected["preamble"]:
        put(reading.data, ("report", "preamble"), collected["preamble"])
    reading.data["overview"] = {"paragraphs": collected["overview"], "sections": sections}
    reading.data["problems"] = {"paragraphs": collected["problems"]}
    if collected["other"]:
        reading.data["other"] = {"paragraphs": collected["other"]}
    if collected["unplaced"]:
        reading.data["unplaced"] = collected["unplaced"]
    for path, row in texts.items():
        reading.places[path] = (TEXT, f"E{row}")
    reading.places.setdefault(("overview",), (TEXT, None))
    reading.places.setdefault(("problems",), (TEXT, None))


def _text_path(part: str, sections: list[dict[str, Any]], target: list[Any]) -> KeyPath:
    """Where the text just added to `target` stands in the data."""
    index = len(target) - 1
    if part == "overview" and sections and target is sections[-1]["paragraphs"]:
        return ("overview", "sections", len(sections) - 1, "paragraphs", index)
    return (*NARRATIVE_LISTS.get(part, (part,)), index)  # unplaced: a list of its own at the top


def _read_figures(reading: _Reading) -> None:
    """补充数字: a name (hotline.consulting, platform[0]) and a number per row."""
    if FIGURES not in reading.formulas.sheetnames:
        return
    sheet = reading.formulas[FIGURES]
    figures: dict[str, Any] = {}
    for row in range(2, _last_row(reading, FIGURES) + 1):
        name = sheet.cell(row, 1).value
        if name is None or not str(name).strip():
            if sheet.cell(row, 2).value not in (None, ""):
                reading.problem(FIGURES, f"A{row}", ("figures",), message("xlsx-figure-unnamed", cell=f"B{row}"))
            continue
        path = parse_key(str(name).strip())
        if not path or not isinstance(path[0], str) or "".join(map(str, path)) == "":
            reading.problem(FIGURES, f"A{row}", ("figures",), message("xlsx-figure-name", value=_shown(name)))
            continue
        value = _number(reading, FIGURES, f"B{row}", ("figures", *path), amount=True)
        if value is None:
            continue
        try:
            put(figures, path, value, replace=False)  # a name given twice is a mistake
        except (TypeError, IndexError, KeyError):
            reading.problem(FIGURES, f"A{row}", ("figures",), message("xlsx-figure-name", value=_shown(name)))
            continue
        reading.places[("figures", *path)] = (FIGURES, f"B{row}")
    if figures:
        reading.data["figures"] = figures
    reading.places.setdefault(("figures",), (FIGURES, None))

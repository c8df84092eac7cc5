"""Extract: a published report (.docx, made by docgen or typed in Word or WPS) → its data, as a data file.

The reverse of render: the title, 导语, six sections and 一、总体情况's sub-sections are found by their
wording, and every figure of tables 2–4 by the official row and column labels (merged cells, labels
broken across lines, header rows split differently and extra empty paragraphs all read the same). What
cannot be read cleanly is not dropped: a cell gives the number it holds with a warning ("22（其中修订16件）"
→ 22), and a paragraph or table that belongs nowhere is kept under `unplaced`, with a warning.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from docgen import labels, limits
from docgen.check import check as run_checks
from docgen.datafile import toml_text, write_data_file
from docgen.errors import DataError, DocgenError, KeyPath, Location, Problem, Severity
from docgen.fetch import FOLDER, download_all, is_address
from docgen.files import documents
from docgen.formats import FORMATS, LATEST, detect, put
from docgen.formats.base import Format
from docgen.formats.layout import RESULTS_TOTAL, Table2Cell, Table2Row
from docgen.load import load, loads
from docgen.messages import message
from docgen.numerals import counting_numeral, digit_string, half_width
from docgen.ooxml import PackageError
from docgen.published import Block, Published
from docgen.published import read as read_published
from docgen.published.blocks import unquoted
from docgen.write import write_new

_HEADING_NUMBERS = "一二三四五六七"
_HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "overview": ("总体情况", "概述", "基本情况"),
    "proactive": ("主动公开",),
    "requests": ("申请",),
    "review_litigation": ("复议", "诉讼"),
    "problems": ("问题", "改进"),
    "other": ("其他",),
}
_SENTENCE_END = "。！？；："
# What a site prints under an article's title (来源：… 发布时间：…): never the report's title.
_BYLINE = re.compile(r"^(?:来源|信息来源|发布时间|发布日期|日期|浏览次数|点击数|字号|作者|编辑|责任编辑)\s*[:：]")
_SUBSECTION = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$", re.DOTALL)
_ARABIC_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CHINESE_DATE = re.compile(
    r"^([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$"
)
_NUMBER = re.compile(r"[-−－]?\d+(?:\.\d+)?")


@dataclass
class Extraction:
    """What a report yields: the data (as the data file's tables), the format, and every warning."""

    source: str
    data: dict[str, Any] = field(default_factory=dict)
    format: str = LATEST.name
    warnings: list[Problem] = field(default_factory=list)
    # key path (as in the data file) → notes for the comment written beside it
    notes: dict[tuple[str | int, ...], list[str]] = field(default_factory=dict)

    # table → the blank cells read as 0, warned about once per table
    blanks: dict[str, list[KeyPath]] = field(default_factory=dict)
    published_on: datetime.date | None = None  # the date the site says the report went up, where it says so
    created_on: datetime.date | None = None  # the day the file was made (a PDF's CreationDate)
    # key path → where its figure (or row) was printed and the text printed there
    origins: dict[KeyPath, tuple[str, str]] = field(default_factory=dict)
    # every paragraph of the document: its text and where it stands
    paragraphs: list[tuple[str, str]] = field(default_factory=list)

    def warn(
        self,
        rule: str,
        path: KeyPath,
        text: str,
        note: str | None = None,
        actual: object = None,
        expected: object = None,
    ) -> None:
        problem = Problem(rule, text, file=self.source, key=labels.key_path_text(path), severity=Severity.WARNING)
        problem = replace(problem.at(self.locator().locate(path)), actual=actual, expected=expected)
        self.warnings.append(problem)
        self.note(path, note or text)

    def printed(self, path: KeyPath, place: str, row: int, cells: list[str], column: int | None = None) -> None:
        """Where the figure at `path` was read: row `row` (and column `column`) of the table at `place`, whose
        row printed `cells`; a whole row's path is given the row's text."""
        if column is None:
            self.origins[path] = (f"{place} 第{row + 1}行", _row_text(cells))
        else:
            text = cells[column] if column < len(cells) else ""
            self.origins[path] = (f"{place} 第{row + 1}行第{column + 1}列", text)

    def locator(self) -> PrintedPlaces:
        return PrintedPlaces(self.source, self.origins, self.data, self.paragraphs)

    def note(self, path: KeyPath, text: str) -> None:
        key = path[:-1] if path and isinstance(path[-1], int) else path
        self.notes.setdefault(key, []).append(text)

    def cell(self, path: KeyPath, reason: str, where: str, note: str) -> None:
        """A cell that needs a look: a blank one is counted for its table's one warning, any other warned."""
        if reason == message("extract-blank"):
            self.blanks.setdefault(str(path[0]), []).append(path)
            self.note(path, note)
        else:
            self.warn("extract-cell", path, f"{where}：{reason}", note)

    def summarise_blanks(self) -> None:
        for table, paths in self.blanks.items():
            text = message("extract-blanks", table=labels.TABLE_NAMES[table], count=len(paths))
            cells = [labels.describe(path) for path in paths]
            problem = Problem("extract-blank", text, file=self.source, key=table, severity=Severity.WARNING)
            self.warnings.append(replace(problem, actual=cells))


@dataclass(frozen=True)
class PrintedPlaces:
    """Where in a published document each key path of its data was printed: a figure's table, row and
    column (and page) with the cell's text, a paragraph's number with its opening words."""

    name: str
    figures: dict[KeyPath, tuple[str, str]]
    data: dict[str, Any]
    paragraphs: list[tuple[str, str]]

    def locate(self, path: KeyPath) -> Location:
        for end in range(len(path), 0, -1):
            if found := self.figures.get(path[:end]):
                return Location(self.name, place=found[0], printed=found[1] or None)
            text = _value_at(self.data, path[:end])
            if isinstance(text, str) and len(text) >= 4 and (place := self._paragraph(text)):
                return Location(self.name, place=place, printed=text if len(text) <= 60 else text[:60] + "…")
        return Location(self.name)

    def _paragraph(self, text: str) -> str | None:
        """The place of the paragraph `text` was read from (a run-in sub-section's body is part of one)."""
        own = text.replace('{{ "{" }}', "{")
        return next((place for printed, place in self.paragraphs if own in printed), None)


def _value_at(data: Any, path: KeyPath) -> Any:
    for key in path:
        held = isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data)
        if not (held or (isinstance(data, dict) and key in data)):
            return None
        data = data[key]
    return data


def numbered(blocks: list[Block]) -> list[Block]:
    """The blocks with their places: paragraphs and tables counted apart, each from 1, with the page."""
    counts = {"段": 0, "张表": 0}
    placed = []
    for block in blocks:
        kind = "张表" if block.grid is not None else "段"
        counts[kind] += 1
        place = f"第{counts[kind]}{kind}"
        placed.append(replace(block, place=f"{block.pages} {place}" if block.pages else place))
    return placed


# --- reading the document ----------------------------------------------------------------------------


# --- numbers and labels ------------------------------------------------------------------------------


# 、 between words where the label prints ， (OCR reads one for the other; typists swap them)
_ENUMERATION_COMMA = re.compile(r"(?<=[^\d一二三四五六七八九十、，,\s])、")


def _normal(text: str) -> str:
    """A label as compared: no spaces or quotes, half-width digits and dots, （） for brackets, ， for a 、
    between words."""
    text = "".join(text.split())
    # 丶 (U+4E36) is what OCR reads a 、 as at times
    text = half_width(text).translate(str.maketrans("()丶", "（）、", "“”\"'‘’"))
    text = _ENUMERATION_COMMA.sub(",", text)
    return re.sub(r"^(\d+)[、，,]", r"\1.", re.sub(r"(?<=[）])(\d+)[、，,]", r"\1.", text))


def read_number(text: str, decimal: bool = False) -> tuple[int | Decimal, str | None]:
    """The number a cell holds and, when it is not simply that number, why it needs a look. `decimal`: an
    amount in 万元, which a figure given in 元 (or 亿元) is converted to, with a warning."""
    squeezed = half_width("".join(text.split()))
    plain = re.sub(r"(?<=\d)[,，](?=\d{3})", "", squeezed)
    if not plain:
        return 0, message("extract-blank")
    found = _NUMBER.search(plain)
    if found is None or len(found.group().split(".")[0].lstrip("-−－")) > 15:  # no figure has 16 digits
        return 0, message("extract-not-number", text=text[:40])
    try:
        value = Decimal(found.group())
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        return 0, message("extract-not-number", text=text)
    unit = plain[found.end() :]
    if decimal and unit in _TO_WAN:  # an amount in 元 where the table asks 万元: 250000元 is 25
        converted = (value * _TO_WAN[unit]).normalize()
        converted = converted.quantize(Decimal(1)) if converted == converted.to_integral_value() else converted
        return converted, message("extract-unit-converted", text=text, value=converted)
    if unit and unit in _UNITS and (unit in _AMOUNT_UNITS) != decimal:  # 万元 under a count, 件 under an amount
        reason = message("extract-unit-mismatch", text=text, unit=unit, asked="万元" if decimal else "件")
        return (value if decimal else int(value)), reason
    reason = None if found.group() == plain else message("extract-annotated", text=text, value=found.group())
    if not decimal and value != value.to_integral_value():
        return int(value), message("extract-annotated", text=text, value=int(value))
    return (value if decimal else int(value)), reason


# Amounts are asked in 万元; these units say the figure is in another.
_TO_WAN = {"元": Decimal("0.0001"), "亿元": Decimal(10000), "千元": Decimal("0.1")}
_AMOUNT_UNITS = {"万元", *_TO_WAN}
_UNITS = {*_AMOUNT_UNITS, "件", "个", "项", "次", "人", "条"}


def _number_cell(text: str) -> bool:
    return bool(re.fullmatch(r"[-−－]?[\d,，.]+", "".join(text.split())))


def _dedupe(texts: list[str]) -> list[str]:
    """Cell texts along a row or down a column with a merged cell's repeats removed."""
    kept: list[str] = []
    for text in texts:
        if text and (not kept or kept[-1] != text):
            kept.append(text)
    return kept


def _row_text(cells: list[str]) -> str:
    """A row as printed: a merged label cell once, every figure."""
    kept: list[str] = []
    for text in cells:
        if text and (_number_cell(text) or not kept or kept[-1] != text):
            kept.append(text)
    return " | ".join(kept)


def _column_labels(header: list[list[str]]) -> list[str]:
    width = max((len(row) for row in header), default=0)
    return [
        _normal("".join(_dedupe([row[column] if column < len(row) else "" for row in header])))
        for column in range(width)
    ]


def _match_suffix(text: str, names: dict[str, Any]) -> Any:
    """The value of the longest name `text` ends with."""
    for name in sorted(names, key=len, reverse=True):
        if name and text.endswith(name):
            return names[name]
    return None


# --- tables -----------------------------------------------------------------------------------------


def _table_kind(grid: list[list[str]]) -> str | None:
    text = _normal("".join("".join(row) for row in grid))
    if "申请人情况" in text or "本年新收" in text:
        return "table3"
    if "行政复议" in text and "行政诉讼" in text:
        return "table4"
    if "第二十条" in text or ("信息内容" in text and ("规章" in text or "行政许可" in text)):
        return "table2"
    return None


def _row_label_forms(label: str) -> list[str]:
    """A row label and the shorter forms hand-made tables use: without a trailing （…） note, without 1."""
    own = _normal(label)
    forms = [own, re.sub(r"（[^（）]*）$", "", own)]
    forms += [re.sub(r"^\d+\.", "", form) for form in forms]
    return list(dict.fromkeys(form for form in forms if form))


def _read_table3(grid: list[list[str]], result: Extraction, place: str) -> None:
    rows = FORMATS[result.format].table3_rows
    forms = {form: key for key, label in rows for form in _row_label_forms(label)}
    # The header ends where the first row with figures, or with an official row label, begins.
    full_forms = tuple(_normal(label) for _key, label in rows)

    def starts_data(row: list[str]) -> bool:
        labelled = any(_normal(cell).endswith(full_forms) for cell in row if cell)
        return labelled or sum(_number_cell(cell) for cell in row) >= 3

    first_data = next((index for index, row in enumerate(grid) if starts_data(row)), len(grid))
    header = grid[:first_data]
    printed = (*labels.APPLICANT_COLUMNS, labels.TOTAL)
    names = {_normal(name): index for index, name in enumerate(printed)}
    columns: dict[int, int] = {}  # field index → grid column
    for column, text in enumerate(_column_labels(header)):
        found = _match_suffix(text, names)
        if found is not None and found not in columns:
            columns[found] = column
    width = max((len(row) for row in grid), default=0)
    if len(columns) < len(printed):  # no recognisable header: the last columns, in official order
        result.warn("extract-layout", ("table3",), message("extract-columns", table=labels.TABLE_NAMES["table3"]))
        columns = {index: width - len(printed) + index for index in range(len(printed))}
    label_columns = [column for column in range(width) if column not in columns.values()]
    seen: set[str] = set()
    for number, row in enumerate(grid[first_data:], start=first_data):
        label = _normal("".join(_dedupe([row[column] for column in label_columns if column < len(row)])))
        key = _match_suffix(label, forms)
        if key is None:
            if any(cell for cell in row):
                text = " | ".join(_dedupe(row))
                result.warn(
                    "extract-unplaced",
                    ("table3",),
                    message("extract-row-unplaced", table=labels.TABLE_NAMES["table3"], text=text),
                )
            continue
        if key in seen:
            continue
        seen.add(key)
        path = ("table3", *key.split("."))
        cells = [columns[index] for index in range(len(printed))]
        result.printed(path, place, number, row)
        for index, column in enumerate(cells):
            result.printed((*path, index), place, number, row, column)
        figures = _row_figures(result, path, row, cells, [f"{name}列" for name in printed])
        put(result.data, path, figures)
    for key, _label in rows:
        if key not in seen and key != RESULTS_TOTAL:
            path = ("table3", *key.split("."))
            result.warn("extract-missing", path, message("extract-row-missing", where=labels.describe(path)))
            put(result.data, path, [0] * len(labels.APPLICANT_COLUMNS))


def _row_figures(
    result: Extraction, path: tuple[str, ...], row: list[str], columns: list[int], names: list[str]
) -> list[int]:
    """One table row's figures, read from `columns` (one per column name); each cell needing a look is warned."""
    figures = []
    for index, (column, name) in enumerate(zip(columns, names)):
        value, reason = read_number(row[column] if column < len(row) else "")
        if reason:
            where = labels.describe((*path, index))
            result.cell((*path, index), reason, where, f"{name}{reason}")
        figures.append(int(value))
    return figures


def _read_table4(grid: list[list[str]], result: Extraction, place: str) -> None:
    data_index = next((index for index, row in enumerate(grid) if sum(_number_cell(cell) for cell in row) >= 10), None)
    if data_index is None:
        data_index = len(grid) - 1
        result.warn("extract-layout", ("table4",), message("extract-columns", table="表四"))
    groups = {"复议后起诉": "litigation_after_review", "直接起诉": "litigation_direct", "未经复议": "litigation_direct"}
    results = {_normal(name): index for index, name in enumerate((*labels.RESULT_COLUMNS, labels.TOTAL))}
    results |= {"维持": 0, "纠正": 1, "其他": 2, "审结": 3}
    found: dict[tuple[str, int], int] = {}
    for column, text in enumerate(_column_labels(grid[:data_index])):
        group = next((name for word, name in groups.items() if word in text), "review" if "复议" in text else None)
        index = _match_suffix(text, results)
        if group is not None and index is not None and (group, index) not in found:
            found[(group, index)] = column
    row = grid[data_index] if grid else []
    for position, group in enumerate(labels.TABLE4_GROUPS):
        path = ("table4", group)
        width = len(labels.RESULT_COLUMNS) + 1  # the results and their 总计
        columns = [found.get((group, index), width * position + index) for index in range(width)]
        for index, column in enumerate(columns):
            result.printed((*path, index), place, data_index, row, column)
        put(result.data, path, _row_figures(result, path, row, columns, [*labels.RESULT_COLUMNS, labels.TOTAL]))


def _table2_vocabulary(fmt: Format) -> tuple[dict[str, str], dict[str, Table2Row]]:
    """Table 2's column headings and row labels as they may be printed (normalised, the format's aliases
    included) → the official heading and the declared row."""
    headings = {_normal(cell.heading): cell.heading for row in fmt.table2_rows for cell in row.cells}
    rows = {_normal(row.label): row for row in fmt.table2_rows}
    for alias, official in fmt.aliases.items():
        if _normal(official) in headings:
            headings[_normal(alias)] = official
        if _normal(official) in rows:
            rows[_normal(alias)] = rows[_normal(official)]
    return headings, rows


def _placed_cells(declared: Table2Row, header: dict[int, str], width: int) -> list[tuple[int, Table2Cell]]:
    """Where each of a row's figures stands: in the order of the document's columns; a figure whose heading
    the table lacks is read where the official grid has it (or nowhere, `width`, when that column is taken)."""
    by_heading = {cell.heading: cell for cell in declared.cells}
    found = [(column, by_heading[heading]) for column, heading in header.items() if heading in by_heading]
    used = {column for column, _ in found}
    for cell in declared.cells:
        if all(cell is not other for _, other in found):
            found.append((cell.column if cell.column not in used else width, cell))
            used.add(cell.column)
    return found


def _warn_unplaced_table2_row(row: list[str], label: str, result: Extraction) -> None:
    if label and not label.startswith("第二十条") and not all(_number_cell(cell) for cell in row):
        text = " | ".join(_dedupe(row))
        result.warn(
            "extract-unplaced",
            ("table2",),
            message("extract-row-unplaced", table=labels.TABLE_NAMES["table2"], text=text),
        )


def _read_table2(grid: list[list[str]], result: Extraction, place: str) -> None:
    """Table 2 by its labels: a row of column headings (as the format's grid declares them, or a shorter
    hand-typed form) says which figure each column below holds, until the next such row."""
    fmt = FORMATS[result.format]
    headings, rows = _table2_vocabulary(fmt)
    header: dict[int, str] = {}  # grid column → official heading
    seen: set[str] = set()
    for number, row in enumerate(grid):
        texts = [_normal(cell) for cell in row]
        heads = {column: headings[text] for column, text in enumerate(texts) if text in headings}
        if heads:
            header = {}
            for column, heading in heads.items():
                if heading not in header.values():
                    header[column] = heading
            continue
        label = texts[0] if texts else ""
        declared = rows.get(label)
        if declared is None or declared.key in seen:
            _warn_unplaced_table2_row(row, label, result)
            continue
        seen.add(declared.key)
        for column, cell in _placed_cells(declared, header, len(row)):
            heading, path = cell.heading, cell.path
            result.printed(path, place, number, row, column)
            value, reason = read_number(row[column] if column < len(row) else "", decimal=fmt.is_amount(path))
            if reason:
                where = labels.describe(path) + (f"“{heading}”" if len(path) == 2 else "")
                result.cell(path, reason, where, f"{heading}{reason}")
            put(result.data, path, value)
    for key, zero in fmt.blank_tables()["table2"].items():
        if key not in seen:
            path = ("table2", key)
            result.warn("extract-missing", path, message("extract-row-missing", where=labels.describe(path)))
            put(result.data, path, zero)


# --- text -------------------------------------------------------------------------------------------


def _literal(text: str) -> str:
    """Narrative as the data file holds it: a {{, {% or {# of the report's own stays text, not a tag."""
    return re.sub(r"\{(?=[{%#])", '{{ "{" }}', text)


def _heading(text: str, expected: int) -> tuple[str, int] | None:
    """A numbered heading (一、总体情况 …) of one of the six parts from position `expected` on: its key, known by
    its words, and the number printed (from 0) — one off the part's own where a report left a heading out or
    printed a number twice; else None."""
    if len(text) > 40 or "。" in text or len(text) < 3 or text[1] != "、":
        return None
    number = _HEADING_NUMBERS.find(text[0])
    keys = list(labels.HEADINGS)
    for index in range(expected, len(keys)) if number >= 0 else ():
        if abs(index - number) <= 1 and any(word in text for word in _HEADING_WORDS[keys[index]]):
            return keys[index], number
    return None


def _date(text: str) -> tuple[datetime.date, str] | None:
    squeezed = "".join(text.split())
    if match := _ARABIC_DATE.match(squeezed):
        form = "arabic"
        year, month, day = (int(group) for group in match.groups())
    elif match := _CHINESE_DATE.match(squeezed):
        form = "chinese"
        year = digit_string(match.group(1)) or 0  # the pattern admits numerals only: never None
        month, day = (counting_numeral(group) or 0 for group in match.groups()[1:])
    else:
        return None
    try:
        return datetime.date(year, month, day), form
    except ValueError:
        return None


def _sections(paragraphs: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
    """一、总体情况: the lead paragraphs, then （一）（二）… sub-sections, run-in or on their own line."""
    lead: list[str] = []
    sections: list[dict[str, Any]] = []
    for text in paragraphs:
        match = _SUBSECTION.match(text)
        expected = len(sections) + 1
        if match and counting_numeral(match.group(1)) == expected:
            rest = match.group(2).strip()
            end = next((i for i, char in enumerate(rest) if char in _SENTENCE_END), None)
            if end is None or (end == len(rest) - 1 and len(rest) <= 40 and rest[end] != "。"):
                sections.append({"title": rest, "run_in": False, "paragraphs": []})
                continue
            title = rest[: end + 1] if rest[end] != "。" else rest[:end]
            body = rest[end + 1 :].strip()
            sections.append({"title": title, "run_in": True, "paragraphs": [_literal(body)] if body else []})
            continue
        (sections[-1]["paragraphs"] if sections else lead).append(_literal(text))
    return lead, sections


def extract(document: Path | str | bytes, name: str | None = None) -> Extraction:
    """Read one published report: a .docx by its path, or its bytes (`name` is what messages call it).
    Raises DataError when it cannot be read, is not a Word document or holds no report at all."""
    if isinstance(document, bytes):
        return _extract(document, name or "")
    path = Path(document)
    try:
        size = path.stat().st_size
        if size > limits.max_package_bytes():
            text = message(
                "extract-not-docx", reason=message("package-too-large", limit=limits.max_package_bytes() // limits.MB)
            )
            raise DataError([Problem("extract", text, file=str(path))])
        data = path.read_bytes()
    except OSError as error:
        raise DataError([unreadable(path, error)]) from None
    return _extract(data, name or str(path))


def unreadable(path: Path, error: OSError) -> Problem:
    return Problem("extract", message("extract-not-docx", reason=error.strerror or error), file=str(path))


_YEAR = re.compile(r"(\d{4})\s*年")
# 本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止
_PERIOD = re.compile(r"统计期限[^。]{0,12}?(\d{4})\s*年\s*1\s*月\s*1\s*日")


def _identity(
    title: list[str],
    texts: list[str],
    published: Any,
    signed: tuple[datetime.date, str] | None,
    signature: str | None,
    result: Extraction,
) -> tuple[str, int | None]:
    """The report's issuer and year from the document itself, weighed together: its title lines (what it
    quotes in 《》 left out), the page's title, the 统计期限 sentence, the signature and its date. Where they
    disagree, or a value had to be taken from a weaker source, a warning names what was found where; a year
    found nowhere is left out (the data file then fails to load, naming report.year) — never today's."""
    own_title = unquoted("".join(title))
    page_title = unquoted(published.title or "")
    title_year = _YEAR.search(own_title) or _YEAR.search(page_title)
    period = next((found for text in texts if (found := _PERIOD.search(text))), None)
    year: int | None = int(title_year.group(1)) if title_year else None
    if period is not None and year is not None and int(period.group(1)) != year:
        text = message("extract-year-disagrees", title=year, period=int(period.group(1)))
        result.warn("extract-identity", ("report", "year"), text)
    elif year is None and period is not None:
        year = int(period.group(1))
    elif year is None and signed is not None:
        year = signed[0].year - 1
        result.warn("extract-identity", ("report", "year"), message("extract-year-from-date", year=year))
    elif year is None:
        result.warn("extract-identity", ("report", "year"), message("extract-year-missing"))
    issuer = _issuer_in_title(title, own_title) or _issuer_in_title([page_title], page_title)
    if not issuer:
        issuer = published.publisher or signature or "（机关名称）"
        guessed = (
            message("extract-issuer-guessed", issuer=issuer)
            if issuer != "（机关名称）"
            else message("extract-issuer-missing")
        )
        result.warn("extract-missing", ("report", "issuer"), guessed)
    return issuer, year


def _issuer_in_title(title: list[str], joined: str) -> str:
    """The body a title names: its first line when the year is on the next, else what precedes the year
    (or, as in 2019年某市人民政府办公厅政府信息公开工作年度报告, what follows it)."""
    if len(title) >= 2 and not _YEAR.search(title[0]) and "《" not in title[0]:
        return title[0]
    found = _YEAR.search(joined)
    issuer = joined[: found.start()].strip() if found else joined
    if not issuer and found:
        issuer = re.sub(r"^度", "", joined[found.end() :].split("政府信息公开")[0]).strip()
    return issuer


def _published(data: bytes, source: str) -> Published:
    try:
        return read_published(data)
    except PackageError as error:
        raise DataError(
            [Problem("extract", message("extract-not-docx", reason=error.describe()), file=source)]
        ) from None


def _split_at_headings(blocks: list[Block], result: Extraction) -> tuple[dict[str, list[Block]], dict[str, str]]:
    """The body's blocks under each of the six headings found ("front" before the first), and each heading's
    text as printed. A heading left out or numbered otherwise than the official format numbers it is the
    report's fault (rule `headings`), found only here: the data file has no numbers, docgen prints them."""
    parts: dict[str, list[Block]] = {"front": []}
    headings: dict[str, str] = {}
    current, position = "front", 0
    keys = list(labels.HEADINGS)
    for block in blocks:
        found = _heading(block.text, position) if block.grid is None else None
        if found is None:
            parts.setdefault(current, []).append(block)
            continue
        current, number = found
        position = keys.index(current) + 1
        headings[current] = block.text[2:].strip()
        result.origins[(current,)] = result.origins[("headings", current)] = (block.place, block.text)
        parts[current] = []
        if number != position - 1:
            official = f"{_HEADING_NUMBERS[position - 1]}、"
            text = message("headings-renumbered", printed=block.text, official=official)
            result.warn("headings", ("headings", current), text, actual=block.text[:2], expected=official)
    for key in keys:
        if key not in headings:
            official = f"{_HEADING_NUMBERS[keys.index(key)]}、{labels.HEADINGS[key]}"
            result.warn("headings", ("headings", key), message("headings-missing", heading=official))
    return parts, headings


_TABLE_READERS: dict[str, Callable[[list[list[str]], Extraction, str], None]] = {
    "table2": _read_table2,
    "table3": _read_table3,
    "table4": _read_table4,
}


def _read_tables(tables: dict[str, Block], read_by: str, result: Extraction) -> None:
    """The three statistical tables into result.data; a table not found is blank and a warning."""
    for kind in ("table2", "table3", "table4"):
        if kind in tables:
            result.origins[(kind,)] = (tables[kind].place, "")
            _TABLE_READERS[kind](tables[kind].grid or [], result, tables[kind].place)
            if read_by == "ocr":
                result.warn("extract-ocr", (kind,), message("extract-ocr", table=labels.TABLE_NAMES[kind]))
        else:
            result.warn("extract-missing", (kind,), message("extract-table-missing", table=labels.TABLE_NAMES[kind]))
            result.data[kind] = FORMATS[result.format].blank_tables()[kind]


_UNIT_CAPTION = re.compile(r"^[（(]?\s*单位\s*[:：]\s*[件个条项万元亿人次宗]{1,3}\s*[)）]?$")


def _unplaced(parts: dict[str, list[Block]]) -> list[str]:
    """What the data file has no place for: tables that are none of the three, text inside the table sections."""
    unplaced: list[str] = []
    for key, part in parts.items():
        for block in part:
            if block.grid is not None and _table_kind(block.grid) is None:
                unplaced.append("\n".join(" | ".join(_dedupe(row)) for row in block.grid))
            elif (
                block.grid is None
                and key in ("proactive", "requests", "review_litigation")
                and not _UNIT_CAPTION.match(block.text)  # （单位：件） above a table is the table's own
            ):
                unplaced.append(block.text)
    return unplaced


def _title_and_preamble(front_blocks: list[Block]) -> tuple[list[str], list[str]]:
    """Front matter: title lines (short, no sentence), then the 导语."""
    front = [block.text for block in front_blocks if block.grid is None and not _BYLINE.match(block.text)]
    title = []
    while front and len(front[0]) <= 40 and not any(char in front[0] for char in "。，；"):
        title.append(front.pop(0))
    return title, front


def _take_signature(closing: list[str]) -> tuple[tuple[datetime.date, str] | None, str | None]:
    """The date and signature that close the last section, taken off its paragraphs."""
    signed = _date(closing[-1]) if closing else None
    if signed is None:
        return None, None
    closing.pop()
    if closing and len(closing[-1]) <= 30 and "。" not in closing[-1]:
        return signed, closing.pop()
    return signed, None


def _report_table(
    identity: tuple[str, int | None],
    title: list[str],
    front: list[str],
    signed: tuple[datetime.date, str] | None,
    signature: str | None,
    result: Extraction,
) -> dict[str, Any]:
    issuer, year = identity
    report: dict[str, Any] = {"issuer": issuer} if year is None else {"issuer": issuer, "year": year}
    if signed is None:
        result.warn("extract-missing", ("report", "date"), message("extract-date-missing"))
        if year is not None:
            report["date"] = datetime.date(year + 1, 1, 31)
    else:
        report["date"] = signed[0]
    if title != [issuer, f"{year}{labels.REPORT_TITLE_SUFFIX}"]:
        report["title"] = title
    if front:
        report["preamble"] = [_literal(text) for text in front]
    if signature is not None and signature != issuer:
        report["signature"] = signature
    return report


def _body_tables(texts: dict[str, list[str]], headings: dict[str, str], tables: dict[str, Any]) -> dict[str, Any]:
    """The data file's tables after [report], in the order the report prints them: headings printed otherwise
    than the official ones, 一's narrative, the statistical `tables` read, 五 and 六."""
    data: dict[str, Any] = {}
    overrides = {key: text for key, text in headings.items() if text != labels.HEADINGS[key]}
    if overrides:
        data["headings"] = overrides
    lead, sections = _sections(texts["overview"])
    data["overview"] = {"paragraphs": lead, "sections": sections}
    data |= {key: tables[key] for key in ("table2", "table3", "table4") if key in tables}
    data["problems"] = {"paragraphs": [_literal(text) for text in texts["problems"]]}
    if texts["other"] != [labels.NOTHING_ELSE_TO_REPORT]:
        data["other"] = {"paragraphs": [_literal(text) for text in texts["other"]]}
    return data


def _extract(data: bytes, source: str) -> Extraction:
    result = Extraction(source)
    published = _published(data, source)
    result.published_on, result.created_on = published.published_on, published.created_on
    blocks = numbered(published.blocks)
    if published.title:  # a page whose article does not start with the report's title
        blocks = [Block(text=published.title, place=message("extract-page-title")), *blocks]
    result.paragraphs = [(block.text, block.place) for block in blocks if block.grid is None]
    tables = {kind: block for block in blocks if block.grid and (kind := _table_kind(block.grid))}
    if not tables and not any(_heading(block.text, 0) for block in blocks if block.grid is None):
        raise DataError([Problem("extract", message("extract-no-report"), file=source)])
    grids = [table.grid or [] for table in tables.values()]
    result.format = detect(_normal("".join("".join(row) for grid in grids for row in grid))).name

    parts, headings = _split_at_headings(blocks, result)
    _read_tables(tables, published.read_by, result)
    unplaced = _unplaced(parts)
    title, front = _title_and_preamble(parts["front"])
    texts = {key: [block.text for block in parts.get(key, []) if block.grid is None] for key in labels.HEADINGS}
    signed, signature = _take_signature(texts["other"] or texts["problems"])
    identity = _identity(title, front + texts["overview"], published, signed, signature, result)

    data: dict[str, Any] = {}
    if FORMATS[result.format].requires_format_key:
        data["format"] = result.format
    data["report"] = _report_table(identity, title, front, signed, signature, result)
    if signed is not None and signed[1] == "chinese":
        data["style"] = {"date": "chinese"}
    data |= _body_tables(texts, headings, result.data)
    for text in unplaced:
        shown = text if len(text) <= 40 else text[:40] + "…"
        result.warn("extract-unplaced", ("unplaced",), message("extract-unplaced", text=shown))
    if unplaced:
        data["unplaced"] = unplaced
    result.data = data
    result.summarise_blanks()
    return result


# --- the data file -----------------------------------------------------------------------------------


def to_toml(result: Extraction) -> str:
    """The data file read: in the order of the report, table rows labelled as in the official tables,
    each cell that needs a look marked 注意."""
    return toml_text(result.data, message("extract-header", source=Path(result.source).name), result.notes)


# --- many documents → data files ----------------------------------------------------------------------


@dataclass(frozen=True)
class Extracted:
    """What became of one document: the data file written (None when none could be), the reading's
    warnings, and the problems that made it fail (`failed`) or, when asked to check, what `check` found."""

    source: Path
    target: Path | None
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: bool = False


def extract_target(source: Path, output: Path | None, many: bool) -> Path:
    """The data file a document is read into: beside it, or in (or as) `output` (.toml, or .xlsx for a
    workbook)."""
    if output is None:
        return source.with_suffix(".toml")
    return output / source.with_suffix(".toml").name if many or output.is_dir() else output


def extract_files(
    paths: Iterable[Path | str],
    output: Path | str | None = None,
    force: bool = False,
    check: bool = False,
    on_done: Callable[[Extracted], None] = lambda _: None,
) -> list[Extracted]:
    """`docgen extract`: read every document named (folders searched for .docx) into a data file each —
    beside it, or into the folder `output` (a file name when one document is read). With `check`, each
    data file is checked as `docgen check` does. One unreadable document never stops the others. http(s)
    addresses are downloaded first into 下载/ beside the output (or here) and read from there; their data
    files go to `output`, or here."""
    given = list(paths)
    addresses = [str(path).strip() for path in given if is_address(path)]
    named = [Path(path) for path in given if not is_address(path)]
    sources = documents(named) if named else []
    output = Path(output) if output is not None else None
    outcomes: list[Extracted] = []
    fetched: set[Path] = set()
    if addresses:
        base = Path.cwd() if output is None else output.parent if output.suffix else output
        downloaded, unfetched = download_all(addresses, base / FOLDER)
        sources += [item.path for item in downloaded]
        fetched = {item.path for item in downloaded}
        outcomes += [Extracted(Path(address), None, problems=[problem], failed=True) for address, problem in unfetched]
    many = len(sources) > 1 or any(path.is_dir() for path in named)
    if output is not None and many:
        output.mkdir(parents=True, exist_ok=True)
    for outcome in outcomes:
        on_done(outcome)
    for source in sources:
        # a downloaded report's data file goes where the user is, not among the downloads
        where = Path.cwd() if output is None and source in fetched else output
        outcome = _extract_one(source, extract_target(source, where, many), force, check)
        outcomes.append(outcome)
        on_done(outcome)
    return outcomes


def _extract_one(source: Path, target: Path, force: bool, check: bool) -> Extracted:
    """One document into its data file: TOML as read (注意 comments and all, written even when it needs
    mending), or a workbook of what loads."""
    try:
        result = extract(source)
    except DocgenError as error:
        return Extracted(source, None, problems=error.problems, failed=True)
    text = to_toml(result)
    try:
        if target.suffix.lower() == ".xlsx":  # a workbook holds what loads
            write_data_file(
                loads(text, str(target), suffix=".toml"), target, force, message("extract-header", source=source.name)
            )
        else:
            write_new(target, text, force)
    except DocgenError as error:
        return Extracted(source, None, result.warnings, error.problems, failed=True)
    try:  # a data file docgen cannot load again is a failed reading
        report = load(target)
    except DataError as error:
        return Extracted(source, target, result.warnings, error.problems, failed=True)
    return Extracted(source, target, result.warnings, run_checks(report) if check else [])

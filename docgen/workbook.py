"""Workbooks: a report's data as an .xlsx that a clerk fills in Excel or WPS 表格.

The table sheets are the format's printed tables (docgen/formats/): the official labels and merged headers
where the notice has them, one input cell per figure (a whole number ≥ 0, or an amount in 万元), every total
a live formula, and under 表三 a 勾稽 row that turns red while a column does not balance. Labels are locked
(sheet protection without a password); input cells carry data validation and an input message. 基本信息,
正文 (one row per paragraph) and 补充数字 hold the rest of the data file, so nothing is lost either way.

`layout(fmt)` says where every value stands; the writer here and the reader (readers/xlsx.py) both follow it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from docgen import labels
from docgen.errors import KeyPath
from docgen.formats import FORMATS, LATEST, Format
from docgen.formats.layout import RESULTS_TOTAL, Figure, Grid, Label, key_text, merges, result_keys
from docgen.model import Enumeration, Report, narrative_lists
from docgen.xlsxout import Formula, new_book, put, to_bytes

INFO = "基本信息"
TEXT = "正文"
FIGURES = "补充数字"
HELP = "填写说明"
TABLES = labels.TABLE_NAMES  # the sheets of tables 2–4
TABLE_TITLES = {
    "table2": f"二、{labels.HEADINGS['proactive']}",
    "table3": f"三、{labels.HEADINGS['requests']}",
    "table4": f"四、{labels.HEADINGS['review_litigation']}",
}
GRID_TOP = 3  # row 1: the table's title; row 2: how to fill it in; the grid from row 3
BALANCED, UNBALANCED = "相符", "不符"

# 正文's columns
TEXT_COLUMNS = ("部分", "小标题", "小标题与正文同段", "类型", "文字", "列举分隔符")
PARTS = labels.NARRATIVE_PARTS
PARAGRAPH, ENUMERATION, ITEM, SUBSECTION = "段落", "列举", "列举项", "小标题"
YES, NO = "是", "否"


def column_letter(number: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def coordinate(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


# --- 基本信息 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InfoRow:
    """A row of 基本信息: the value's key path, its label and a note on how to fill it in."""

    path: KeyPath
    label: str
    note: str
    kind: str = "text"  # text | lines | year | date | choice | size | bool


def info_rows() -> list[InfoRow]:
    rows = [
        InfoRow(("format",), "报告格式", "2021：国办公开办函〔2021〕30号；2019：2019、2020年度的报告", "choice"),
        InfoRow(("report", "issuer"), "机关名称", "印在标题第一行和落款"),
        InfoRow(("report", "year"), "报告年度", "四位数字，如 2022", "year"),
        InfoRow(("report", "date"), "成文日期", "日期单元格，或写作 2023-01-31", "date"),
        InfoRow(
            ("report", "title"),
            "标题（可不填）",
            "不填时为“机关名称”和“某年政府信息公开工作年度报告”两行；每行一行（Alt+回车换行）",
            "lines",
        ),
        InfoRow(("report", "signature"), "落款署名（可不填）", "不填时为机关名称"),
        InfoRow(("report", "title_date"), "标题下印日期", "是：标题下一行印“（成文日期）”；否：不印（默认）", "bool"),
        InfoRow(("template",), "自制模板（可不填）", "Word 模板的文件名，相对于本文件所在的文件夹"),
        InfoRow(
            ("report", "previous"),
            "上年的数据文件（可不填）",
            "相对于本文件所在的文件夹；正文可写 {{ previous.table3.new.total }}",
        ),
        InfoRow(("sum_of",), "汇总的单位（可不填）", "由 docgen sum 填写：本报告相加的各单位，每行一个", "lines"),
    ]
    for number, (key, heading) in zip("一二三四五六", labels.HEADINGS.items()):
        rows.append(InfoRow(("headings", key), f"一级标题{number}", f"序号“{number}、”自动生成；官方文字：{heading}"))
    rows += [
        InfoRow(("style", "title_font"), "标题字体（可不填）", "默认 方正小标宋简体"),
        InfoRow(("style", "heading1_font"), "一级标题字体（可不填）", "默认 黑体"),
        InfoRow(("style", "heading2_font"), "二级标题字体（可不填）", "默认 楷体_GB2312"),
        InfoRow(("style", "body_font"), "正文字体（可不填）", "默认 仿宋_GB2312"),
        InfoRow(("style", "table_size"), "表格字号（磅，可不填）", "10.5 至 12", "size"),
        InfoRow(("style", "date"), "成文日期写法", "arabic：2022年2月18日；chinese：二〇二二年二月十八日", "choice"),
        InfoRow(
            ("style", "group_digits"),
            "数字加千分位逗号",
            "否：517645（默认，与多数已发布的报告相同）；是：517,645",
            "bool",
        ),
    ]
    return rows


INFO_CHOICES = {
    ("format",): tuple(FORMATS),
    ("style", "date"): ("arabic", "chinese"),
    # a yes-or-no row is written 是/否 (the reader also takes TRUE/FALSE, as Excel or LibreOffice may save it)
    **{row.path: (YES, NO) for row in info_rows() if row.kind == "bool"},
}
INFO_KEY_COLUMN = 4  # D: the key path, hidden; what the reader goes by


# --- the table sheets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureCell:
    """Where one figure of tables 2–4 stands in its sheet, and what it holds."""

    sheet: str
    row: int
    column: int
    path: KeyPath  # in the data (table3.new[6] is the row's 总计)
    derived: bool  # a total: a formula, unless the data file states it
    amount: bool  # 万元 with decimals, not a count
    negative: bool  # may be below 0 (本年增/减 of the 2019 format)

    @property
    def coordinate(self) -> str:
        return coordinate(self.row, self.column)


@dataclass(frozen=True)
class Layout:
    """Every value's place in a workbook of one format."""

    fmt: Format
    figures: dict[KeyPath, FigureCell]
    balance_row: int  # 表三's 勾稽 row


def _table3_derived(path: KeyPath) -> bool:
    return path[-1] == len(labels.APPLICANT_COLUMNS) or ".".join(map(str, path[1:-1])) == RESULTS_TOTAL


def _table4_derived(path: KeyPath) -> bool:
    return path[-1] == len(labels.RESULT_COLUMNS)


@cache
def layout(name: str = LATEST.name) -> Layout:
    fmt = FORMATS[name]
    figures: dict[KeyPath, FigureCell] = {}
    for grid in fmt.grids:
        sheet = TABLES[grid.name]
        for row_index, row in enumerate(grid.rows):
            column = 1
            for cell in row:
                if isinstance(cell, Figure):
                    path = cell.path
                    derived = (
                        (_table3_derived if grid.name == "table3" else _table4_derived)(path)
                        if grid.name != "table2"
                        else False
                    )
                    figures[path] = FigureCell(
                        sheet,
                        GRID_TOP + row_index,
                        column,
                        path,
                        derived,
                        amount=grid.name == "table2" and fmt.is_amount(path),
                        negative=grid.name == "table2" and path[-1] == "change",
                    )
                column += cell.span
    table3 = fmt.grids[1]
    return Layout(fmt, figures, GRID_TOP + len(table3.rows))


def _formula(cell: FigureCell, place: Layout) -> Formula:
    """The formula of a total cell."""
    path = cell.path
    if path[0] == "table4" or path[-1] == len(labels.APPLICANT_COLUMNS):  # a row's 总计: its figures added
        count = path[-1]
        first = place.figures[(*path[:-1], 0)]
        last = place.figures[(*path[:-1], count - 1)]  # type: ignore[operator]
        return Formula(f"=SUM({first.coordinate}:{last.coordinate})")
    keys = result_keys(place.fmt.table3_rows)  # （七）总计: every result row added, column by column
    top = place.figures[("table3", *keys[0].split("."), path[-1])]
    bottom = place.figures[("table3", *keys[-1].split("."), path[-1])]
    return Formula(f"=SUM({top.coordinate}:{bottom.coordinate})")


# --- writing --------------------------------------------------------------------------------------------


def _value_at(report: Report, path: KeyPath) -> Any:
    node: Any = report
    for part in path:
        if isinstance(part, int):
            root = node.root if hasattr(node, "root") else node
            node = root[part] if part < len(root) else None
        else:
            node = getattr(node, part, None)
        if node is None:
            return None
    return node


def workbook_bytes(report: Report) -> bytes:
    """The report's data as a workbook (no cached formula results: Excel, WPS and LibreOffice compute them
    on opening; docgen derives the totals itself)."""
    place = layout(report.format)
    book = new_book()
    info = book.active
    info.title = INFO
    _write_info(info, report)
    _write_text(book.create_sheet(TEXT), report)
    for grid in place.fmt.grids:
        _write_table(book.create_sheet(TABLES[grid.name]), grid, report, place)
    _write_figures(book.create_sheet(FIGURES), report)
    _write_help(book.create_sheet(HELP), place.fmt)
    return to_bytes(book)


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    return {
        "font": Font(name="宋体", size=10.5),
        "bold": Font(name="黑体", size=12),
        "note": Font(name="宋体", size=9, color="666666"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "input": PatternFill("solid", fgColor="FFF2CC"),
        "green": PatternFill("solid", fgColor="C6EFCE"),
        "red": PatternFill("solid", fgColor="FFC7CE"),
    }


def _print_wide(sheet: Any, landscape: bool = False) -> None:
    """A4, as many pages down as it needs but one page across."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _protect(sheet: Any) -> None:
    """Labels and formulas locked, no password (a clerk who must change a label can lift it)."""
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _unlocked(cell: Any) -> None:
    from openpyxl.styles import Protection

    cell.protection = Protection(locked=False)


def _write_info(sheet: Any, report: Report) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    style = _styles()
    for column, (title, width) in enumerate((("项目", 24), ("内容", 48), ("说明", 60), ("键", 24)), start=1):
        put(sheet, 1, column, title).font = style["bold"]
        sheet.column_dimensions[column_letter(column)].width = width
    sheet.column_dimensions[column_letter(INFO_KEY_COLUMN)].hidden = True
    for row, item in enumerate(info_rows(), start=2):
        put(sheet, row, 1, item.label).font = style["font"]
        note = put(sheet, row, 3, item.note)
        note.font = style["note"]
        note.alignment = style["left"]
        put(sheet, row, INFO_KEY_COLUMN, ".".join(map(str, item.path)))
        cell = sheet.cell(row, 2)
        cell.font = style["font"]
        cell.alignment = style["left"]
        cell.fill = style["input"]
        _unlocked(cell)
        value = _value_at(report, item.path)
        if item.path == ("format",):
            value = report.format
        if value is None:
            continue
        if item.kind == "lines":
            put(sheet, row, 2, "\n".join(value))
        elif item.kind == "bool":
            put(sheet, row, 2, YES if value else NO)
        else:
            put(sheet, row, 2, value)
            if item.kind == "date":
                cell.number_format = "yyyy-mm-dd"
        if item.path in INFO_CHOICES:
            choices = DataValidation(type="list", formula1='"' + ",".join(INFO_CHOICES[item.path]) + '"')
            choices.add(cell.coordinate)
            sheet.add_data_validation(choices)
    _print_wide(sheet, landscape=True)
    _protect(sheet)


def _write_text(sheet: Any, report: Report) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    style = _styles()
    widths = (24, 24, 10, 8, 90, 8)
    for column, (title, width) in enumerate(zip(TEXT_COLUMNS, widths), start=1):
        put(sheet, 1, column, title).font = style["bold"]
        sheet.column_dimensions[column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    rows = list(text_rows(report))
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value or None)
            cell.font = style["font"]
            cell.alignment = style["left"]
    last = len(rows) + 200  # room to add paragraphs
    kinds = DataValidation(type="list", formula1=f'"{PARAGRAPH},{ENUMERATION},{ITEM},{SUBSECTION}"', allow_blank=True)
    kinds.add(f"D2:D{last}")
    parts = DataValidation(type="list", formula1='"' + ",".join(PARTS.values()) + '"', allow_blank=True)
    parts.add(f"A2:A{last}")
    run_in = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
    run_in.add(f"C2:C{last}")
    for validation in (kinds, parts, run_in):
        sheet.add_data_validation(validation)
    _print_wide(sheet, landscape=True)


def text_rows(report: Report) -> Iterator[tuple[str, ...]]:
    """正文's rows: (part, sub-section title, run-in, kind, text, separator)."""
    previous = None
    for listed in narrative_lists(report):
        part, title, run_in = PARTS[listed.part], "", ""
        if listed.section is not None:
            title, run_in = listed.section.title, YES if listed.section.run_in else NO
            # A sub-section with no paragraphs, or named like the one before, starts with a row of its own.
            if not listed.paragraphs or title == previous:
                yield (part, title, run_in, SUBSECTION, "", "")
            previous = title
        for paragraph in listed.paragraphs:
            if isinstance(paragraph, Enumeration):
                yield (part, title, run_in, ENUMERATION, paragraph.lead, paragraph.separator)
                yield from ((part, title, run_in, ITEM, item, "") for item in paragraph.items)
            else:
                yield (part, title, run_in, PARAGRAPH, paragraph, "")
    for text in report.unplaced:
        yield (PARTS["unplaced"], "", "", PARAGRAPH, text, "")


def _write_table(sheet: Any, grid: Grid, report: Report, place: Layout) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.worksheet.datavalidation import DataValidation

    style = _styles()
    width = len(grid.widths)
    put(sheet, 1, 1, TABLE_TITLES[grid.name]).font = style["bold"]
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    note = put(sheet, 2, 1, "黄色格子填写数字（没有的填 0）；“总计”由公式计算，不必填写。")
    note.font = style["note"]
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for index, twips in enumerate(grid.widths, start=1):
        sheet.column_dimensions[column_letter(index)].width = max(6, round(twips / 120, 1))
    for row_index, row in enumerate(grid.rows):
        column = 1
        for cell in row:
            if isinstance(cell, Label) and cell.text:
                put(sheet, GRID_TOP + row_index, column, "\n".join(cell.printed_lines) if cell.lines else cell.text)
            for offset in range(cell.span):
                border = sheet.cell(GRID_TOP + row_index, column + offset)
                border.border = style["border"]
                border.font = style["font"]
                border.alignment = style["center"]
            column += cell.span
    _fit_rows(sheet, grid)
    for first_row, first_column, last_row, last_column in merges(grid):
        if (first_row, first_column) != (last_row, last_column):
            sheet.merge_cells(
                start_row=GRID_TOP + first_row,
                start_column=first_column + 1,
                end_row=GRID_TOP + last_row,
                end_column=last_column + 1,
            )
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=False)
    changes = DataValidation(
        type="whole", allow_blank=False, operator="between", formula1="-999999999999", formula2="999999999999"
    )
    amounts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=False)
    for validation, words in (
        (counts, "填写件数：0 或正整数"),
        (changes, "填写增减数：整数，减少时为负数"),
        (amounts, "填写金额（万元）：0 或正数，可带小数"),
    ):
        validation.promptTitle = "填写说明"
        validation.prompt = words
        validation.errorTitle = "填写有误"
        validation.error = words
        validation.showInputMessage = validation.showErrorMessage = True
        sheet.add_data_validation(validation)
    for cell in place.figures.values():
        if cell.sheet != TABLES[grid.name]:
            continue
        value = _value_at(report, cell.path)
        if cell.derived:
            stated = _stated(report, cell.path)
            target = put(sheet, cell.row, cell.column, stated if stated is not None else _formula(cell, place))
            target.number_format = "0"
            continue
        target = put(sheet, cell.row, cell.column, value)
        target.fill = style["input"]
        _unlocked(target)
        if cell.amount:
            exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
            target.number_format = "0." + "0" * -exponent if isinstance(exponent, int) and exponent < 0 else "0"
            amounts.add(target.coordinate)
        else:
            target.number_format = "0"
            (changes if cell.negative else counts).add(target.coordinate)
    if grid.name == "table3":
        _balance_row(sheet, place, style)
        rule_ok = CellIsRule(operator="equal", formula=[f'"{BALANCED}"'], fill=style["green"])
        rule_bad = CellIsRule(operator="equal", formula=[f'"{UNBALANCED}"'], fill=style["red"])
        span = f"D{place.balance_row}:{column_letter(width)}{place.balance_row}"
        sheet.conditional_formatting.add(span, rule_ok)
        sheet.conditional_formatting.add(span, rule_bad)
    sheet.freeze_panes = sheet.cell(GRID_TOP + grid.header_rows, 1)
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if grid.name == "table4" else "portrait"
    sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(sheet)


# Points per line of 10.5 pt text, and how many width units one Chinese character takes.
_LINE_HEIGHT = 14
_CHARACTER_WIDTH = 2.1


def _fit_rows(sheet: Any, grid: Grid) -> None:
    """Tall enough rows for the labels that wrap (spreadsheets do not grow a row for merged cells)."""
    widths = [sheet.column_dimensions[column_letter(index)].width for index in range(1, len(grid.widths) + 1)]
    merged_down = {(first, column) for first, column, last, _ in merges(grid) if last > first}
    for row_index, row in enumerate(grid.rows):
        lines, column = 1, 0
        for cell in row:
            if isinstance(cell, Label) and cell.text and (row_index, column) not in merged_down:
                room = sum(widths[column : column + cell.span]) / _CHARACTER_WIDTH
                wanted = sum(-(-len(line) // max(1, int(room))) for line in cell.printed_lines)
                lines = max(lines, wanted)
            column += cell.span
        sheet.row_dimensions[GRID_TOP + row_index].height = _LINE_HEIGHT * lines + 2


def _stated(report: Report, path: KeyPath) -> int | None:
    """A total the data file states (checked, not trusted), else None."""
    if ".".join(map(str, path[1:-1])) == RESULTS_TOTAL:
        total = report.table3.results.total
        return total.root[path[-1]] if total is not None else None  # type: ignore[index]
    return _value_at(report, path)


def _balance_row(sheet: Any, place: Layout, style: dict[str, Any]) -> None:
    """勾稽关系: per column, 一 + 二 = 三（七）总计 + 四 — shown while the clerk types."""
    row = place.balance_row
    put(sheet, row, 1, "勾稽关系（一+二＝三（七）总计+四）").font = style["font"]
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    for index in range(len(labels.APPLICANT_COLUMNS) + 1):
        new, carried, total, forward = (
            place.figures[("table3", *key.split("."), index)].coordinate
            for key in ("new", "carried_over", RESULTS_TOTAL, "carried_forward")
        )
        cell = place.figures[("table3", "new", index)]
        balance = Formula(f'=IF({new}+{carried}={total}+{forward},"{BALANCED}","{UNBALANCED}")')
        target = put(sheet, row, cell.column, balance)
        target.alignment = style["center"]
        target.border = style["border"]


def _write_figures(sheet: Any, report: Report) -> None:
    style = _styles()
    for column, (title, width) in enumerate((("名称", 36), ("数值", 16), ("说明", 60)), start=1):
        put(sheet, 1, column, title).font = style["bold"]
        sheet.column_dimensions[column_letter(column)].width = width
    note = "正文中写 {{ figures.名称 }} 引用；名称如 hotline.consulting（表中的一项）或 platform[0]（数组中的一项）"
    put(sheet, 1, 3, note).font = style["note"]
    for row, (name, value) in enumerate(flatten_figures(report.figures), start=2):
        put(sheet, row, 1, name)
        figure = put(sheet, row, 2, value)
        if isinstance(value, Decimal) and isinstance(value.as_tuple().exponent, int) and value.as_tuple().exponent < 0:
            figure.number_format = "0." + "0" * -value.as_tuple().exponent  # type: ignore[operator]


def flatten_figures(figures: Any) -> Iterator[tuple[str, Any]]:
    """[figures] as (name, number) rows: `hotline.consulting`, `platform[0]`."""
    for path, value in figure_paths(figures):
        yield key_text(path), value


def figure_paths(figures: Any, prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """[figures] as (key path, number): ("hotline", "consulting"), ("platform", 0)."""
    if isinstance(figures, dict):
        for key, value in figures.items():
            yield from figure_paths(value, (*prefix, key))
    elif isinstance(figures, list):
        for index, value in enumerate(figures):
            yield from figure_paths(value, (*prefix, index))
    else:
        yield prefix, figures


def _write_help(sheet: Any, fmt: Format) -> None:
    style = _styles()
    sheet.column_dimensions["A"].width = 110
    lines = [
        f"政府信息公开工作年度报告数据（{fmt.notice}）",
        "1. 在“基本信息”中填写机关名称、报告年度、成文日期；“正文”中每行一段，“部分”说明属于报告的哪一部分。",
        "2. 在“表二”“表三”“表四”的黄色格子中填写数字，没有的填 0；总计由公式计算。表三下方的“勾稽关系”一行变红时，说明该列的数字不平衡。",
        "3. 正文中可用 {{ table3.new.total }} 等引用表中的数字，生成报告时自动换成数值；“补充数字”中的数字用 {{ figures.名称 }} 引用。",
        "4. 填好后运行：docgen check 本文件.xlsx（只核对），docgen render 本文件.xlsx（生成 Word 报告）。",
        "5. 标签和公式已锁定（没有密码）；如确需修改，可在“审阅”中撤销工作表保护。",
    ]
    for row, line in enumerate(lines, start=1):
        cell = put(sheet, row, 1, line)
        cell.font = style["bold"] if row == 1 else style["font"]
        cell.alignment = style["left"]

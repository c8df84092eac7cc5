"""docgen extract: published reports (made by docgen, or typed by hand in Word) read back into data files —
round trips for every example, the ways Word users lay reports out, cells that need a look, and auditing a
folder of reports with --check."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import docx_units
from docx import Document
from test_cli import docgen

from docgen.api import render_bytes
from docgen.extract import extract, read_number, to_toml
from docgen.load import loads

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))
APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_examples_round_trip(example: Path) -> None:
    first = render_bytes(example)
    extracted = extract(first, "report.docx")
    assert extracted.warnings == []
    data_file = to_toml(extracted)
    second = render_bytes(loads(data_file, "report.toml"))
    assert docx_units(second) == docx_units(first), "render → extract → render: the same text and numbers"
    assert to_toml(extract(second, "report.docx")) == data_file, "extract → render → extract: the same data file"


# --- a report typed by hand in Word ---------------------------------------------------------------------


def _table(document: Any, rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> Any:
    """A table as Word users make it: texts (\\n = a second paragraph in the cell), then merged ranges."""
    table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            first, *more = text.split("\n")
            cell = table.cell(r, c)
            cell.text = first
            for line in more:
                cell.add_paragraph(line)
    for top, left, bottom, right in merges:
        table.cell(top, left).merge(table.cell(bottom, right))
    return table


def _table2(document: Any) -> None:
    rows = [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "2（其中修订1件）", "0", "5"],
        ["行政规范性文件", "3", "1", "20"],
        ["第二十条第（五）项", "", "", ""],
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政许可", "1,234", "", ""],
        ["第二十条第（六）项", "", "", ""],
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政处罚", "7", "", ""],
        ["行政强制", "", "", ""],
        ["第二十条第（八）项", "", "", ""],
        ["信息内容", "本年收费金额（单位：万元）", "", ""],
        ["行政事业性收费", "12.50", "", ""],
    ]
    merges = [(r, 0, r, 3) for r in (0, 4, 7, 11)] + [(r, 1, r, 3) for r in (5, 6, 8, 9, 10, 12, 13)]
    _table(document, rows, merges)


# Table 3 rows under the header: (label columns, figures). Columns 3…9 hold the figures in the order of
# HAND_COLUMNS — 商业企业 and 科研机构 swapped, so only their header labels say which is which.
HAND_COLUMNS = ["自然人", "科研机构", "商业企业", "社会公益组织", "法律服务机构", "其他", "总计"]
RESULT_ROWS = [
    ("（一）予以公开", None, [3, 1, 0, 0, 0, 0, 4]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, [0] * 7),
    *(("（三）不予公开", f"{n}.{label}", [0] * 7) for n, label in enumerate(
        ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益", "属于三类内部事务信息",
         "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"], start=1)),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", [2, 0, 0, 0, 0, 0, 2]),
    ("（四）无法提供", "2.没有现成信息需要另行制作", [0] * 7),
    ("（四）无法提供", "3.补正后申请内容仍不明确", [0] * 7),
    *(("（五）不予处理", f"{n}.{label}", [0] * 7) for n, label in enumerate(
        ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息"],
        start=1)),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("（六）其他处理", "3.其他", [0] * 7),
    ("（七）总计", None, [5, 1, 0, 0, 0, 0, 6]),
]  # fmt: skip


# The 2019 format: （六）其他处理 is one row.
RESULT_ROWS_2019 = [
    *(row for row in RESULT_ROWS if row[0] not in ("（六）其他处理", "（七）总计")),
    ("（六）其他处理", None, [0] * 7),
    RESULT_ROWS[-1],
]


def _table2_2019(document: Any) -> None:
    rows = [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "1", "1", "9"],
        ["规范性文件", "6", "6", "48"],
        ["第二十条第（五）项", "", "", ""],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "412", "-8", "15,328"],
        ["其他对外管理服务事项", "96", "3", "2106"],
        ["第二十条第（六）项", "", "", ""],
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政处罚", "1020", "12", "637"],
        ["行政强制", "45", "0", "21"],
        ["第二十条第（八）项", "", "", ""],
        ["信息内容", "上一年项目数量", "本年增/减", ""],
        ["行政事业性收费", "28", "-2", ""],
        ["第二十条第（九）项", "", "", ""],
        ["信息内容", "采购项目数量", "采购总金额", ""],
        ["政府集中采购", "131", "4068.208", ""],
    ]
    merges = [(r, 0, r, 3) for r in (0, 4, 8, 12, 15)] + [(r, 2, r, 3) for r in (13, 14, 16, 17)]
    _table(document, rows, merges)


def _table3(document: Any, new: list[int], result_rows: list[tuple[str, str | None, list[int]]]) -> None:
    # natural, business, research… in official order → the hand-made column order
    def hand(figures: list[int]) -> list[str]:
        return [str(figures[APPLICANTS.index(name)]) for name in HAND_COLUMNS]

    header = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况", *[""] * 6],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "科研机构", "商业", "社会公益组织", "法律服务机构", "其他", ""],  # 商业⏎企业 split over
        ["", "", "", "", "", "企业", "", "", "", ""],  # two header rows
    ]
    body = [["一、本年新收政府信息\n公开申请数量", "", "", *hand(new)]]
    body[0][4] += "\n"  # an extra empty paragraph in a figure cell
    body.append(["二、上年结转政府信息公开申请数量", "", "", *hand([0] * 7)])
    for group, item, figures in result_rows:
        body.append(["三、本年度办理结果" if not body[2:] else "", group, item or "", *hand(figures)])
    body.append(["四、结转下年度继续办理", "", "", *hand([0] * 7)])
    rows = header + body
    merges = [(0, 0, 3, 2), (0, 3, 0, 9), (1, 3, 3, 3), (1, 4, 1, 8), (1, 9, 3, 9)]
    merges += [(2, c, 3, c) for c in (4, 6, 7, 8)]
    merges += [(4, 0, 4, 2), (5, 0, 5, 2), (len(rows) - 1, 0, len(rows) - 1, 2), (6, 0, len(rows) - 2, 0)]
    first = 6
    for index, (_group, item, _figures) in enumerate(result_rows):
        if item is None:
            merges.append((first + index, 1, first + index, 2))
    for group in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"):
        indices = [first + i for i, row in enumerate(result_rows) if row[0] == group and row[1] is not None]
        if indices:
            merges.append((indices[0], 1, indices[-1], 1))
    _table(document, rows, merges)


def _table4(document: Any) -> None:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        [*results, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        ["", "", "", "", "", *results, *results],
        ["1", "0", "0", "1", "2", "0", "0", "0", "0", "0", "0", "1", "0", "0", "1"],
    ]
    merges = [(0, 0, 0, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)] + [(1, c, 2, c) for c in range(5)]
    _table(document, rows, merges)


def hand_made(
    new: list[int] | None = None, date: str = "2022年1月20日", fmt: str = "2021", headings: dict[str, str] | None = None
) -> bytes:
    """A report typed in Word: one-line title, a variant heading, run-in and own-line sub-sections, tables
    merged by hand with labels broken over lines, a note nobody asked for, 签名 and date. `headings`: headings
    typed otherwise (by their official text; "" leaves one out)."""
    document = _Typed(headings or {})
    document.add_paragraph("某县人民政府2021年政府信息公开工作年度报告")
    document.add_paragraph("")
    document.add_paragraph("本报告根据《中华人民共和国政府信息公开条例》编制。")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("2021年，我县认真贯彻落实条例。")
    document.add_paragraph("（一）主动公开")
    document.add_paragraph("全年主动公开政府信息1841条。")
    document.add_paragraph("（二）依申请公开。本年度受理申请6件，均已办结。")
    document.add_paragraph("二、主动公开政府信息情况")
    (_table2_2019 if fmt == "2019" else _table2)(document)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    document.add_paragraph("（单位：件）")
    _table3(document, new or [5, 1, 0, 0, 0, 0, 6], RESULT_ROWS_2019 if fmt == "2019" else RESULT_ROWS)
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _table4(document)
    document.add_paragraph("五、政府信息公开工作存在的主要问题及改进情况")
    document.add_paragraph("一是公开时效有待提高。")
    document.add_paragraph("六、其他需要报告的事项")
    document.add_paragraph("无其他需报告的事项。")
    _table(document, [["联系人", "张三"], ["电话", "0350-1234567"]], [])  # a table of no official kind
    document.add_paragraph("某县人民政府")
    document.add_paragraph(date)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Typed:
    """A Word document in which some headings are typed otherwise, or left out."""

    def __init__(self, headings: dict[str, str]) -> None:
        self.document, self.headings = Document(), headings

    def add_paragraph(self, text: str) -> Any:
        if self.headings.get(text) == "":
            return None
        return self.document.add_paragraph(self.headings.get(text, text))

    def add_table(self, rows: int, cols: int) -> Any:
        return self.document.add_table(rows=rows, cols=cols)

    def save(self, buffer: io.BytesIO) -> None:
        self.document.save(buffer)


def test_a_hand_made_report_is_read_by_its_labels() -> None:
    result = extract(hand_made(), "hand.docx")
    data = result.data
    assert data["report"]["issuer"] == "某县人民政府" and data["report"]["year"] == 2021
    assert str(data["report"]["date"]) == "2022-01-20"
    assert data["report"]["title"] == ["某县人民政府2021年政府信息公开工作年度报告"]
    assert data["report"]["preamble"] == ["本报告根据《中华人民共和国政府信息公开条例》编制。"]
    assert data["headings"] == {"problems": "政府信息公开工作存在的主要问题及改进情况"}
    assert data["overview"]["paragraphs"] == ["2021年，我县认真贯彻落实条例。"]
    assert data["overview"]["sections"] == [
        {"title": "主动公开", "run_in": False, "paragraphs": ["全年主动公开政府信息1841条。"]},
        {"title": "依申请公开", "run_in": True, "paragraphs": ["本年度受理申请6件，均已办结。"]},
    ]
    table2 = data["table2"]
    assert table2["regulations"] == {"issued": 2, "repealed": 0, "in_force": 5}
    assert table2["licensing"] == 1234 and table2["punishment"] == 7 and table2["enforcement"] == 0
    assert table2["fees"] == Decimal("12.50")
    table3 = data["table3"]
    # 商业企业 is read from the column its (split) header names, not from its position
    assert table3["new"] == [5, 1, 0, 0, 0, 0, 6]
    assert table3["results"]["granted"] == [3, 1, 0, 0, 0, 0, 4]
    assert table3["results"]["unable_to_provide"]["not_held"] == [2, 0, 0, 0, 0, 0, 2]
    assert table3["results"]["total"] == [5, 1, 0, 0, 0, 0, 6]
    assert data["table4"] == {
        "review": [1, 0, 0, 1, 2],
        "litigation_direct": [0, 0, 0, 0, 0],
        "litigation_after_review": [0, 1, 0, 0, 1],
    }
    # the table's unit caption is the table's own; a table of no official kind is kept, with a warning
    assert data["unplaced"] == ["联系人 | 张三\n电话 | 0350-1234567"]
    assert "other" not in data and "signature" not in data["report"]
    warned = {(problem.rule, problem.key) for problem in result.warnings}
    assert warned == {
        ("extract-cell", "table2.regulations.issued"),
        ("extract-blank", "table2"),
        ("extract-unplaced", "unplaced"),
    }


def test_cells_that_need_a_look_are_marked_in_the_data_file() -> None:
    result = extract(hand_made(), "hand.docx")
    text = to_toml(result)
    line = next(line for line in text.splitlines() if line.startswith("regulations ="))
    assert "注意" in line and "2（其中修订1件）" in line and "读作 2" in line
    assert "注意：本年处理决定数量空白，按 0 读入" in next(
        line for line in text.splitlines() if line.startswith("enforcement =")
    )
    report = loads(text, "hand.toml")
    assert report.unplaced == ["联系人 | 张三\n电话 | 0350-1234567"]


def test_a_hand_made_report_round_trips() -> None:
    first = loads(to_toml(extract(hand_made(), "hand.docx")), "hand.toml")
    again = loads(to_toml(extract(render_bytes(first), "again.docx")), "again.toml")
    assert again.model_dump(exclude={"unplaced"}) == first.model_dump(exclude={"unplaced"})


def test_chinese_date_and_next_year_from_an_extracted_report(tmp_path: Path) -> None:
    result = extract(hand_made(date="二〇二二年一月二十日"), "hand.docx")
    assert str(result.data["report"]["date"]) == "2022-01-20" and result.data["style"] == {"date": "chinese"}
    (tmp_path / "2021.toml").write_text(to_toml(result), encoding="utf-8")
    started = docgen("init", "-o", tmp_path / "2022.toml", "--from", tmp_path / "2021.toml")
    assert started.returncode == 0, started.stderr
    next_year = loads((tmp_path / "2022.toml").read_text(encoding="utf-8"), "2022.toml")
    assert next_year.report.year == 2022 and next_year.unplaced == [], "last year's leftovers stay behind"
    assert next_year.table2.regulations.in_force == 5


def test_a_hand_made_2019_format_report() -> None:
    result = extract(hand_made(fmt="2019"), "2020.docx")
    assert result.format == "2019" and result.data["format"] == "2019"
    table2 = result.data["table2"]
    assert table2["licensing"] == {"previous": 412, "change": -8, "decisions": 15328}
    assert table2["fees"] == {"previous": 28, "change": -2}
    assert table2["procurement"] == {"projects": 131, "amount": Decimal("4068.208")}
    assert result.data["table3"]["results"]["other"] == [0] * 7
    assert result.data["table3"]["results"]["granted"] == [3, 1, 0, 0, 0, 0, 4]
    first = loads(to_toml(result), "2020.toml")
    again = loads(to_toml(extract(render_bytes(first), "again.docx")), "again.toml")
    assert again.format == "2019"
    assert again.model_dump(exclude={"unplaced"}) == first.model_dump(exclude={"unplaced"})


@pytest.mark.parametrize(
    ("cell", "number", "needs_look"),
    [
        ("12", 12, False),
        ("1,234", 1234, False),
        ("１２", 12, False),
        ("", 0, True),
        ("22（其中修订16件）", 22, True),
        ("—", 0, True),
        ("无", 0, True),
        ("-8", -8, False),
    ],
)
def test_reading_a_cell(cell: str, number: int, needs_look: bool) -> None:
    value, reason = read_number(cell)
    assert value == number and (reason is not None) == needs_look


def test_auditing_a_folder_names_the_broken_rule_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "各县"
    folder.mkdir()
    (folder / "甲县.docx").write_bytes(hand_made())
    (folder / "乙县.docx").write_bytes(hand_made(new=[5, 2, 0, 0, 0, 0, 7]))  # 商业企业: 一+二 = 2, 三+四 = 1
    result = docgen("extract", folder, "--check", "--json")
    assert result.returncode == 1, result.stderr
    problems = [problem for checked in json.loads(result.stdout)["files"] for problem in checked["problems"]]
    errors = [problem for problem in problems if problem["severity"] == "error"]
    assert {problem["file"] for problem in errors} == {str(folder / "乙县.toml")}
    balance = next(problem for problem in errors if problem["rule"] == "t3-balance")
    assert "商业企业" in balance["message"] and balance["line"] is not None
    assert (folder / "甲县.toml").is_file() and (folder / "乙县.toml").is_file()
    again = docgen("extract", folder)
    assert again.returncode == 1 and "已存在" in again.stderr, "existing data files are kept without --force"


def test_extract_cli_single_file_and_bad_input(tmp_path: Path) -> None:
    (tmp_path / "report.docx").write_bytes(render_bytes(EXAMPLES[1]))
    result = docgen("extract", tmp_path / "report.docx", "-o", tmp_path / "data.toml")
    assert result.returncode == 0, result.stderr
    assert f"已读出：{tmp_path / 'data.toml'}" in result.stderr
    assert loads((tmp_path / "data.toml").read_text(encoding="utf-8"), "data.toml").report.issuer
    (tmp_path / "broken.docx").write_text("not a zip", encoding="utf-8")
    broken = docgen("extract", tmp_path / "broken.docx")
    assert broken.returncode == 1 and "无法读取这份报告" in broken.stderr and "Traceback" not in broken.stderr
    assert not (tmp_path / "broken.toml").exists()


def test_headings_left_out_or_numbered_wrong_are_the_reports_fault() -> None:
    # 二 left out, the rest numbered on from it, as typists do: each part still gets its own content
    shifted = {
        "二、主动公开政府信息情况": "",
        "三、收到和处理政府信息公开申请情况": "二、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况": "三、政府信息公开行政复议、行政诉讼情况",
        "五、政府信息公开工作存在的主要问题及改进情况": "四、政府信息公开工作存在的主要问题及改进情况",
        "六、其他需要报告的事项": "五、其他需要报告的事项",
    }
    result = extract(hand_made(headings=shifted), "hand.docx")
    found = [(problem.rule, problem.key, problem.severity.value) for problem in result.warnings]
    assert ("headings", "headings.proactive", "warning") in found
    renumbered = [problem for problem in result.warnings if problem.rule == "headings" and problem.expected]
    assert [(problem.actual, problem.expected) for problem in renumbered] == [
        ("二、", "三、"),
        ("三、", "四、"),
        ("四、", "五、"),
        ("五、", "六、"),
    ]
    assert renumbered[0].place == "第8段" and renumbered[0].printed == "二、收到和处理政府信息公开申请情况"
    assert "编号不对" in renumbered[0].message and "应为“三、”" in renumbered[0].message
    assert result.data["table3"]["new"] == [5, 1, 0, 0, 0, 0, 6]
    assert result.data["problems"]["paragraphs"] == ["一是公开时效有待提高。"]
    # a number printed twice: only the heading numbered wrong is named
    twice = extract(
        hand_made(headings={"三、收到和处理政府信息公开申请情况": "二、收到和处理政府信息公开申请情况"}), "x.docx"
    )
    assert [(p.rule, p.key, p.actual) for p in twice.warnings if p.rule == "headings"] == [
        ("headings", "headings.requests", "二、")
    ]
    # the report as typed otherwise names no heading: no finding
    assert not [problem for problem in extract(hand_made(), "hand.docx").warnings if problem.rule == "headings"]

"""Workbooks (issue 15): a report's data as an .xlsx a clerk fills in Excel, WPS or LibreOffice — lossless both
ways, laid out like the printed tables, problems located by sheet and cell, cells taken as people type them,
and totals LibreOffice computes equal to docgen's."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import hostile
import pytest
from conftest import EXAMPLE, ROOT, GeneratedReport, docx_tables, libreoffice_convert, valid_reports
from hypothesis import given, settings
from openpyxl import load_workbook
from test_cli import docgen as run

import docgen
from docgen.derive import derive
from docgen.workbook import BALANCED, UNBALANCED, info_rows, layout, workbook_bytes

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _book(path: Path) -> bytes:
    return workbook_bytes(docgen.load(path))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_survives_toml_to_xlsx_to_toml(example: Path, tmp_path: Path) -> None:
    report = docgen.load(example)
    book = tmp_path / f"{example.stem}.xlsx"
    book.write_bytes(workbook_bytes(report))
    from_book = docgen.load(book)
    assert from_book.model_dump() == report.model_dump()
    assert docgen.render_bytes(from_book) == docgen.render_bytes(report)  # the same document, byte for byte
    back = docgen.convert(book, tmp_path / "back.toml")
    assert docgen.load(back).model_dump() == report.model_dump()
    assert docgen.convert(back, tmp_path / "again.xlsx").read_bytes()  # and round again
    assert docgen.load(tmp_path / "again.xlsx").model_dump() == report.model_dump()


@settings(max_examples=20, deadline=None)
@given(generated=valid_reports())
def test_any_valid_report_survives_a_workbook(generated: GeneratedReport) -> None:
    report = docgen.loads(generated.source, "generated.toml")
    from_book = docgen.loads(workbook_bytes(report), "generated.xlsx")
    assert from_book.model_dump() == report.model_dump()


def test_every_part_of_a_data_file_survives(tmp_path: Path) -> None:
    """What the examples leave out: a template, [style], a title, a signature, stated totals, 12.50 万元,
    a sub-section without paragraphs and two of one name, enumerations, a line starting with =, unplaced."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        "[report]",
        'template = "mine.docx"\nunplaced = ["（单位：件）"]\n\n'
        '[style]\nbody_font = "方正仿宋_GBK"\ntable_size = 11.5\ndate = "chinese"\n\n[report]',
        1,
    )
    text = text.replace(
        'issuer = "保德县人民政府"',
        'issuer = "保德县人民政府"\ntitle = ["保德县人民政府", "2021年度报告"]\nsignature = "保德县政务公开办"',
        1,
    )
    text = text.replace("fees = 0 ", "fees = 12.50 ", 1)
    text = text.replace("new =             [4, 0, 0, 0, 0, 0]", "new = [4, 0, 0, 0, 0, 0, 4]", 1)
    text += '\n[[overview.sections]]\ntitle = "空的小标题"\n\n[[overview.sections]]\ntitle = "空的小标题"\nrun_in = true\nparagraphs = ["=SUM(A1)", { lead = "做法：", items = ["一是", "二是"], separator = "。" }]\n'
    source = tmp_path / "full.toml"
    source.write_text(text, encoding="utf-8")
    report = docgen.load(source)
    assert report.template == "mine.docx" and report.table2.fees == Decimal("12.50") and report.unplaced
    assert report.table3.new.stated_total == 4
    book = tmp_path / "full.xlsx"
    book.write_bytes(workbook_bytes(report))
    assert docgen.load(book).model_dump() == report.model_dump()
    assert docgen.load(book).table2.fees.as_tuple().exponent == -2  # 12.50 printed as 12.50


def test_the_table_sheets_look_like_the_printed_tables() -> None:
    book = load_workbook(io.BytesIO(_book(EXAMPLE)))
    assert book.sheetnames == ["基本信息", "正文", "表二", "表三", "表四", "补充数字", "填写说明"]
    table3 = book["表三"]
    place = layout("2021")
    new = place.figures[("table3", "new", 0)]
    assert table3.cell(new.row, 1).value == "一、本年新收政府信息公开申请数量"
    assert table3[new.coordinate].value == 4 and not table3[new.coordinate].protection.locked
    assert table3["A3"].protection.locked and table3.protection.sheet and not table3.protection.password
    total = place.figures[("table3", "new", 6)]
    assert table3[total.coordinate].value == f"=SUM({new.coordinate}:{place.figures[('table3', 'new', 5)].coordinate})"
    merged = {str(block) for block in table3.merged_cells.ranges}
    assert "A3:C5" in merged and "E4:I4" in merged  # the note over three header rows, 法人或其他组织 over five
    validations = [validation for validation in table3.data_validations.dataValidation if validation.type == "whole"]
    assert validations and new.coordinate in str(validations[0].sqref) and validations[0].prompt
    assert table3.page_setup.fitToWidth == 1 and table3.sheet_properties.pageSetUpPr.fitToPage
    balance = table3.cell(place.balance_row, new.column).value
    assert balance.startswith("=IF(") and BALANCED in balance and UNBALANCED in balance
    assert len(table3.conditional_formatting) == 1
    table2 = book["表二"]
    fees = place.figures[("table2", "fees")]
    assert table2.cell(fees.row, 1).value == "行政事业性收费"
    assert any(validation.type == "decimal" for validation in table2.data_validations.dataValidation)


def test_a_2019_format_workbook(tmp_path: Path) -> None:
    report = docgen.load(ROOT / "examples" / "2020-county-2019-format.toml")
    book = load_workbook(io.BytesIO(workbook_bytes(report)))
    assert book["表二"]["A3"].value == "第二十条第（一）项"
    cell = layout("2019").figures[("table2", "licensing", "change")]
    assert book["表二"][cell.coordinate].value == -8  # 本年增/减 may be negative
    assert any(
        validation.type == "whole" and validation.operator == "between"
        for validation in book["表二"].data_validations.dataValidation
    )


# --- problems located by sheet and cell -------------------------------------------------------------------


def _edited(tmp_path: Path, edits: dict[tuple[str, str], object], name: str = "2022.xlsx") -> Path:
    book = load_workbook(io.BytesIO(_book(EXAMPLE)))
    for (sheet, cell), value in edits.items():
        book[sheet][cell] = value
    path = tmp_path / name
    book.save(path)
    return path


def test_a_rule_names_the_sheet(tmp_path: Path) -> None:
    new = layout("2021").figures[("table3", "new", 1)]
    path = _edited(tmp_path, {("表三", new.coordinate): 2})
    result = run("check", path)
    assert result.returncode == 1
    assert f"{path}:表三!A{layout('2021').balance_row}: t3-balance table3: 勾稽关系不符（商业企业列）" in result.stderr
    json_result = run("check", path, "--json")
    import json

    (problem,) = [problem for checked in json.loads(json_result.stdout)["files"] for problem in checked["problems"]]
    assert (problem["sheet"], problem["cell"], problem["line"]) == ("表三", f"A{layout('2021').balance_row}", None)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("12", "以文本形式保存的数字"),
        ("１２", "全角数字，请改为半角 12"),
        ("12件", "带了单位“件”，请只填数字 12"),
        ("1,234", "千分位逗号，请写作 1234"),
        (None, "空白；没有的请填 0"),
        ("#VALUE!", "公式出错（#VALUE!）"),
        ("无", "不是数字"),
    ],
)
def test_cells_as_people_type_them(typed: object, words: str, tmp_path: Path) -> None:
    cell = layout("2021").figures[("table3", "carried_over", 2)]
    path = _edited(tmp_path, {("表三", cell.coordinate): typed})
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(path)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.cell, problem.key) == ("表三", cell.coordinate, "table3.carried_over[2]")
    assert words in problem.message and "科研机构" in problem.message, problem.message
    assert problem.format().startswith(f"{path}:表三!{cell.coordinate}: xlsx-cell table3.carried_over[2]: ")


def test_validation_problems_are_located_in_the_workbook(tmp_path: Path) -> None:
    licensing = layout("2021").figures[("table2", "licensing")]
    rows = {item.path: f"B{row}" for row, item in enumerate(info_rows(), start=2)}
    issuer, date = rows[("report", "issuer")], rows[("report", "date")]
    path = _edited(
        tmp_path, {("表二", licensing.coordinate): 2.5, ("基本信息", issuer): None, ("基本信息", date): "2022年1月31日"}
    )
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(path)
    found = {(problem.sheet, problem.cell, problem.key) for problem in caught.value.problems}
    assert ("表二", licensing.coordinate, "table2.licensing") in found  # 2.5 is no count
    assert ("基本信息", date, "report.date") in found  # the date, with its fix
    assert ("基本信息", issuer, "report.issuer") in found  # missing
    date = next(problem for problem in caught.value.problems if problem.key == "report.date")
    assert "2022-01-31" in date.message


def test_a_hostile_workbook_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(hostile.inflating(_book(EXAMPLE), "xl/worksheets/sheet1.xml", 100 * 1024 * 1024))
    result = run("check", bomb)
    assert result.returncode == 1 and "压缩炸弹" in result.stderr and "Traceback" not in result.stderr
    other = tmp_path / "other.xlsx"
    from openpyxl import Workbook

    Workbook().save(other)
    result = run("check", other)
    assert result.returncode == 1 and "缺少工作表" in result.stderr


# --- LibreOffice computes the formulas; what it saves loads and renders the same ---------------------------


def test_libreoffice_computes_the_totals_docgen_derives(soffice: str, tmp_path: Path) -> None:
    if not Path("/usr/lib/libreoffice/program/libsclo.so").exists():
        pytest.fail("LibreOffice Calc is needed: scripts/system-deps.sh installs libreoffice-calc-nogui")
    report = docgen.load(EXAMPLE)
    source = tmp_path / "docgen.xlsx"
    source.write_bytes(workbook_bytes(report))
    resaved = libreoffice_convert(soffice, source, "xlsx", tmp_path / "saved", tmp_path)
    values = load_workbook(resaved, data_only=True)
    derived = derive(report)
    place = layout("2021")
    for path, cell in place.figures.items():
        if cell.derived:
            figures = derived.table3 if path[0] == "table3" else derived.table4
            key = ".".join(map(str, path[1:-1]))
            assert values[cell.sheet][cell.coordinate].value == figures[key][path[-1]], path  # type: ignore[index]
    balance = [values["表三"].cell(place.balance_row, column).value for column in range(4, 11)]
    assert balance == [BALANCED] * 7
    pdf = libreoffice_convert(soffice, source, "pdf", tmp_path / "pdf", tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    for title, last in (
        ("二、主动公开", "行政事业性收费"),
        ("三、收到和处理", "勾稽关系"),
        ("四、政府信息公开行政复议", "总计"),
    ):
        (page,) = [page for page in pages if title in page]  # each table sheet prints on one page, whole
        assert last in page
    from_libreoffice = docgen.load(resaved)
    assert from_libreoffice.model_dump() == report.model_dump()
    assert docx_tables(docgen.render_bytes(from_libreoffice)) == docx_tables(docgen.render_bytes(report))


# --- the commands --------------------------------------------------------------------------------------------


def test_init_convert_render_and_a_mixed_folder(tmp_path: Path) -> None:
    blank = tmp_path / "2022.xlsx"
    assert run("init", "--xlsx", "-o", tmp_path / "2022", "--issuer", "某县人民政府", "--year", "2022").returncode == 0
    assert docgen.load(blank).report.issuer == "某县人民政府" and {problem.rule for problem in docgen.check(blank)} == {
        "placeholder"
    }
    following = tmp_path / "2022-from.xlsx"
    assert run("init", "-o", following, "--from", EXAMPLE).returncode == 0
    assert docgen.load(following).table3.carried_over.figures == docgen.load(EXAMPLE).table3.carried_forward.figures
    assert run("init", "-o", tmp_path / "2023.xlsx", "--from", following).returncode == 0  # a workbook's next year
    assert docgen.load(tmp_path / "2023.xlsx").report.year == 2023
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "甲.toml")
    (folder / "乙.xlsx").write_bytes(_book(EXAMPLE))
    (folder / "~$乙.xlsx").write_bytes(b"an Excel lock file")
    result = run("render", folder, "-o", tmp_path / "报告", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in (tmp_path / "报告").iterdir()) == ["乙.docx", "甲.docx"]
    checked = run("check", folder / "乙.xlsx", "--previous", following)
    assert "乙.xlsx:基本信息!B4: previous-year report.year" in checked.stderr  # 2022 is not the year before 2021
    converted = tmp_path / "乙.toml"
    assert run("convert", folder / "乙.xlsx", converted).returncode == 0
    assert "# docgen 数据文件，由 docgen convert 从 乙.xlsx 转换" in converted.read_text(encoding="utf-8")
    refused = run("convert", converted, tmp_path / "x.txt")
    assert refused.returncode == 1 and ".toml、.xlsx" in refused.stderr


def test_extract_writes_a_workbook(tmp_path: Path) -> None:
    document = tmp_path / "保德.docx"
    document.write_bytes(docgen.render_bytes(EXAMPLE))
    result = run("extract", document, "-o", tmp_path / "保德.xlsx")
    assert result.returncode == 0, result.stderr
    read = docgen.loads(docgen.to_toml(docgen.extract(document)), "read.toml")  # extract keeps the printed 总计
    assert docgen.load(tmp_path / "保德.xlsx").model_dump() == read.model_dump()
    started = run("init", "-o", tmp_path / "2022.toml", "--from", document)
    assert started.returncode == 0 and docgen.load(tmp_path / "2022.toml").report.year == 2022


def test_a_deleted_table_row_is_refused_not_misread(tmp_path: Path) -> None:
    book = load_workbook(io.BytesIO(_book(EXAMPLE)))
    regulations = layout("2021").figures[("table2", "regulations", "issued")]
    book["表二"].delete_rows(regulations.row)
    path = tmp_path / "deleted.xlsx"
    book.save(path)
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(path)
    (moved,) = [problem for problem in caught.value.problems if problem.sheet == "表二"]
    assert "不能插入、删除或移动" in moved.message and moved.cell == f"A{regulations.row}"


def test_what_a_clerk_types_wrongly_in_the_other_sheets(tmp_path: Path) -> None:
    path = _edited(
        tmp_path, {("正文", "D2"): "列举项目", ("正文", "C3"): "Y", ("补充数字", "A2"): None, ("正文", "A1048576"): "x"}
    )
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(path)
    found = {(problem.sheet, problem.cell) for problem in caught.value.problems}
    assert {("正文", "D2"), ("正文", "C3"), ("补充数字", "A2"), ("正文", "A1048576")} <= found


@pytest.mark.parametrize("tag", [b"<c/>", b'<c\nt="n"/>', b"<x:c/>"])
def test_cells_are_counted_however_their_tags_are_written(tag: bytes, tmp_path: Path) -> None:
    # 3,000,000 cells in 36 KB once took 30 s and 2.4 GB: counted (all of them) before openpyxl sees any.
    members = hostile.members(_book(EXAMPLE))
    name = next(name for name in members if name.startswith("xl/worksheets/"))
    members[name] = members[name].replace(b"<sheetData>", b'<sheetData><row r="1">' + tag * 200_001 + b"</row>", 1)
    path = tmp_path / "many.xlsx"
    path.write_bytes(hostile.pack(members))
    result = run("check", path)
    assert result.returncode == 1 and "单元格合计超过上限 200000 个" in result.stdout + result.stderr


def test_numbers_no_report_has(tmp_path: Path) -> None:
    cell = layout("2021").figures[("table2", "fees")]
    path = _edited(tmp_path, {("表二", cell.coordinate): 1e300})
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(path)
    assert "过大" in caught.value.problems[0].message

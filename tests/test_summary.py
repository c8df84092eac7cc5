"""汇总 and year-over-year (issue 17): many bodies' reports added up into a data file that checks and renders,
two years compared figure by figure, and changes quoted in the narrative from last year's data."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, docx_units
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from test_cli import docgen as run

import docgen
from docgen.check import figure_cells
from docgen.formatting import change, num

EXAMPLES_2021 = [EXAMPLE, ROOT / "examples" / "2021-department.toml", ROOT / "examples" / "2021-township.toml"]
EXAMPLE_2020 = ROOT / "examples" / "2020-county-2019-format.toml"


def test_reports_are_added_cell_by_cell_into_a_report_that_checks_and_renders(tmp_path: Path) -> None:
    folder = tmp_path / "各单位"
    folder.mkdir()
    for path in EXAMPLES_2021:
        shutil.copy(path, folder)
    fees = EXAMPLES_2021[1].read_text(encoding="utf-8")
    (folder / "2021-department.toml").write_text(
        re.sub(r"^fees = [\d.]+", "fees = 0.25", fees, flags=re.M), encoding="utf-8"
    )
    result = run(
        "sum", folder, "-o", tmp_path / "全县汇总.toml", "--issuer", "某县人民政府", "--by", tmp_path / "分单位.xlsx"
    )
    assert result.returncode == 0, result.stderr
    total = docgen.load(tmp_path / "全县汇总.toml")
    reports = [docgen.load(path) for path in sorted(folder.iterdir())]
    expected: dict[object, object] = {}
    for report in reports:
        for path, value in figure_cells(report):
            expected[path] = expected.get(path, 0) + value
    assert dict(figure_cells(total)) == expected
    assert total.table2.fees == sum((report.table2.fees for report in reports), Decimal(0))  # exact decimals
    assert sorted(total.sum_of) == sorted(report.report.issuer for report in reports)
    assert (total.report.issuer, total.report.year) == ("某县人民政府", 2021)
    assert [p for p in docgen.check(total) if p.severity.value == "error"] == []
    # the narrative is the author's to write, section 六 included (it must then say what the fees were)
    assert {p.rule for p in docgen.check(total)} == {"placeholder", "fees-unexplained"}
    assert "某县人民政府" in docx_units(docgen.render_bytes(total))
    by = list(load_workbook(tmp_path / "分单位.xlsx")["分单位"].values)
    head, rows, last = by[0], by[1:-1], by[-1]
    assert len(rows) == 3 and last[1] == "合计"
    for column in range(2, len(head)):
        assert last[column] == sum(row[column] for row in rows), head[column]
    assert (dict(zip(head, last))["新收申请"] == total.table3.new.figures and False) or True
    assert dict(zip(head, last))["新收申请"] == sum(total.table3.new.figures)


def test_a_workbook_sum_and_the_api(tmp_path: Path) -> None:
    total = docgen.sum(EXAMPLES_2021, issuer="某县人民政府")
    assert sum(total.table3.new.figures) == sum(sum(docgen.load(path).table3.new.figures) for path in EXAMPLES_2021)
    report, contributions = docgen.sum_reports(EXAMPLES_2021, output=tmp_path / "汇总.xlsx")
    assert [c.issuer for c in contributions] == [docgen.load(path).report.issuer for path in EXAMPLES_2021]
    assert docgen.load(tmp_path / "汇总.xlsx").model_dump() == report.model_dump()


def test_inputs_with_errors_or_of_another_year_stop_the_sum(tmp_path: Path) -> None:
    broken = tmp_path / "坏.toml"
    broken.write_text(
        re.sub(r"^new = .*$", "new = [9, 0, 0, 0, 0, 0]", EXAMPLE.read_text(encoding="utf-8"), count=1, flags=re.M),
        encoding="utf-8",
    )
    with pytest.raises(docgen.DataError) as caught:
        docgen.sum([EXAMPLE, broken, EXAMPLE_2020])
    problems = {(Path(p.file).name, p.rule) for p in caught.value.problems}
    assert ("坏.toml", "t3-balance") in problems and ("2020-county-2019-format.toml", "sum") in problems
    mismatch = next(p for p in caught.value.problems if p.rule == "sum")
    assert (
        "2020 年度" in mismatch.message and "2019 年格式" in mismatch.message and "2021-baode.toml" in mismatch.message
    )
    result = run("sum", EXAMPLE, broken, "-o", tmp_path / "x.toml")
    assert result.returncode == 1 and not (tmp_path / "x.toml").exists()


def test_two_years_compared_figure_by_figure(tmp_path: Path) -> None:
    this = tmp_path / "2022.toml"
    text = EXAMPLE.read_text(encoding="utf-8").replace("year = 2021", "year = 2022")
    this.write_text(re.sub(r"^licensing = 0", "licensing = 5", text, flags=re.M), encoding="utf-8")
    rows = {row.label: row for row in docgen.compare(EXAMPLE, this)}
    licensing = rows["表二“行政许可”"]
    assert (licensing.before, licensing.this, licensing.change, licensing.percent) == (0, 5, 5, None)
    result = run("compare", EXAMPLE, this, "--json", "-o", tmp_path / "对比.xlsx")
    rows_json = json.loads(result.stdout)
    assert {
        "key": "table2.licensing",
        "label": "表二“行政许可”",
        "previous": 0,
        "this": 5,
        "change": 5,
        "percent": None,
    } in rows_json
    assert load_workbook(tmp_path / "对比.xlsx")["对比"]["A1"].value == "项目"
    text_out = run("compare", EXAMPLE, this).stdout
    assert "表二“行政许可”：0 → 5（+5）" in text_out
    across = {row.label: row for row in docgen.compare(EXAMPLE_2020, EXAMPLE)}  # 2019 → 2021 format
    new = across["表三“一、本年新收政府信息公开申请数量”行“自然人”列"]
    assert new.before is not None and new.this is not None  # table 3 maps
    assert across["表二“行政许可”"].before is None  # 2021's table 2 row has no 2019 counterpart cell
    assert any(row.this is None and row.path[0] == "table2" for row in across.values())  # and the 2019 ones no 2021 one


def test_changes_quoted_from_last_year(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "2021.toml")
    assert run("init", "-o", tmp_path / "2022.toml", "--from", tmp_path / "2021.toml").returncode == 0
    text = (tmp_path / "2022.toml").read_text(encoding="utf-8")
    assert 'previous = "2021.toml"' in text
    text = text.replace(
        '  "依据《中华人民共和国政府信息公开条例》',
        '  "新收申请{{ table3.new.total|change(previous.table3.new.total) }}。依据《中华人民共和国政府信息公开条例》',
        1,
    )
    text = re.sub(r"^new = .*$", "new = [6, 0, 0, 0, 0, 0]", text, count=1, flags=re.M)
    text = re.sub(r"^granted = .*$", "granted = [6, 0, 0, 0, 0, 0]", text, count=1, flags=re.M)
    (tmp_path / "2022.toml").write_text(text, encoding="utf-8")
    report = docgen.load(tmp_path / "2022.toml")
    assert [p.rule for p in docgen.check(report) if p.severity.value == "error"] == []
    assert "新收申请增加2件，增长50.0%。" in "".join(docx_units(docgen.render_bytes(report)))
    (tmp_path / "2021.toml").unlink()
    problems = docgen.check(tmp_path / "2022.toml")
    missing = next(p for p in problems if p.rule == "previous")
    assert missing.key == "report.previous" and missing.line is not None and "2021.toml" in missing.message
    other = tmp_path / "2021.toml"
    other.write_text(EXAMPLE.read_text(encoding="utf-8").replace("保德县人民政府", "某乡人民政府"), encoding="utf-8")
    assert "previous-issuer" in {p.rule for p in docgen.check(tmp_path / "2022.toml")}


@given(this=st.integers(0, 10**9), before=st.integers(0, 10**9))
def test_change_words_follow_the_difference(this: int, before: int) -> None:
    words = change(this, before)
    if this == before:
        assert words == "与上年持平"
    else:
        assert words.startswith("增加" if this > before else "减少")
        assert num(abs(this - before)) + "件" in words
        assert ("上年为 0" in words) == (before == 0)


def test_change_wording() -> None:
    assert change(107, 95) == "增加12件，增长12.6%"
    assert change(37, 40) == "减少3件，下降7.5%"
    assert change(Decimal("12.5"), 10, "万元", 0) == "增加2.5万元，增长25%"

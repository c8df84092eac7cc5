"""The committed Word template is what tools/build_template.py builds, and has the official grids."""

from __future__ import annotations

import importlib.util
import re
import sys
import zipfile

import pytest
from conftest import ROOT, W
from lxml import etree

from docgen import docxzip, labels
from docgen.derive import derive
from docgen.formats import FORMATS
from docgen.load import load
from docgen.render import builtin_template
from docgen.sandbox import environment
from docgen.variables import context

BUILDER = ROOT / "tools" / "build_template.py"
TAG = re.compile(r"\{\{\s*(.*?)\s*\}\}")


def _builder():
    spec = importlib.util.spec_from_file_location("build_template", BUILDER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


def _tables(fmt: str = "2021") -> list[etree._Element]:
    document = etree.fromstring(zipfile.ZipFile(builtin_template(fmt)).read("word/document.xml"))
    return list(document.iter(f"{W}tbl"))


def _grid(table: etree._Element) -> tuple[int, list[list[tuple[int, str | None, str]]]]:
    """Grid column count, and per row the (span, vMerge, text) of each cell."""
    columns = len(table.find(f"{W}tblGrid"))
    rows = []
    for row in table.iter(f"{W}tr"):
        cells = []
        for cell in row.iter(f"{W}tc"):
            span = cell.find(f"{W}tcPr/{W}gridSpan")
            merge = cell.find(f"{W}tcPr/{W}vMerge")
            text = "".join(t.text or "" for t in cell.iter(f"{W}t"))
            cells.append(
                (
                    int(span.get(f"{W}val")) if span is not None else 1,
                    None if merge is None else (merge.get(f"{W}val") or "continue"),
                    text,
                )
            )
        rows.append(cells)
    return columns, rows


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_committed_template_matches_the_builder(fmt: str) -> None:
    built = _builder().build(_builder().parts(FORMATS[fmt]))
    assert docxzip.members(builtin_template(fmt).read_bytes()) == docxzip.members(built), (
        f"templates/annual-report-{fmt}.docx is stale: run python tools/build_template.py"
    )


@pytest.mark.parametrize(
    ("fmt", "index", "columns", "rows"),
    [
        ("2021", 0, 4, 14),
        ("2021", 1, 10, 28),
        ("2021", 2, 15, 4),
        ("2019", 0, 4, 18),
        ("2019", 1, 10, 26),
        ("2019", 2, 15, 4),
    ],
)
def test_tables_have_the_official_grids(fmt: str, index: int, columns: int, rows: int) -> None:
    grid_columns, grid_rows = _grid(_tables(fmt)[index])
    assert grid_columns == columns
    assert len(grid_rows) == rows
    for cells in grid_rows:
        assert sum(span for span, _, _ in cells) == columns


def test_table3_merged_cells_follow_the_reference() -> None:
    _, rows = _grid(_tables()[1])
    assert rows[0][0] == (3, "restart", labels.TABLE3_BALANCE_NOTE)
    assert rows[0][1] == (7, None, labels.TABLE3_APPLICANTS)
    assert [cell[:2] for cell in rows[1]] == [(3, "continue"), (1, "restart"), (5, None), (1, "restart")]
    assert [cell[2] for cell in rows[2][2:7]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # 三、本年度办理结果 spans the 22 result rows (rows 6–27 of the printed table).
    first_column = [row[0] for row in rows[5:27]]
    assert first_column[0] == (1, "restart", labels.TABLE3_GROUPS["results"])
    assert all(cell[:2] == (1, "continue") for cell in first_column[1:])
    assert rows[27][0] == (3, None, "四、结转下年度继续办理")
    withheld = [row[1] for row in rows[7:15]]
    assert withheld[0] == (1, "restart", "（三）不予公开")
    assert all(cell[:2] == (1, "continue") for cell in withheld[1:])


def test_2019_format_has_one_other_handling_row_and_its_own_table2() -> None:
    _, rows = _grid(_tables("2019")[1])
    other = [row for row in rows if any(text == "（六）其他处理" for _, _, text in row)]
    assert len(other) == 1 and other[0][1] == (2, None, "（六）其他处理")
    assert rows[5][0] == (1, "restart", labels.TABLE3_GROUPS["results"])
    assert all(row[0][:2] == (1, "continue") for row in rows[6:25])  # 三、本年度办理结果 spans 20 rows
    _, table2 = _grid(_tables("2019")[0])
    assert [text for _, _, text in table2[1]] == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    assert [text for _, _, text in table2[16]] == ["信息内容", "采购项目数量", "采购总金额"]


def test_table4_headers_follow_the_reference() -> None:
    _, rows = _grid(_tables()[2])
    assert [(span, text) for span, _, text in rows[0]] == [(5, "行政复议"), (10, "行政诉讼")]
    assert [cell[1] for cell in rows[1][:5]] == ["restart"] * 5
    assert [text for _, _, text in rows[1][5:]] == ["未经复议直接起诉", "复议后起诉"]


def test_every_number_cell_holds_exactly_one_tag_that_the_context_fills() -> None:
    report = load(ROOT / "examples" / "2021-baode.toml")
    variables = context(report, derive(report))
    env = environment()
    tags = 0
    for table in _tables():
        _, rows = _grid(table)
        for cells in rows:
            for _, _, text in cells:
                found = TAG.findall(text)
                if not found:
                    assert "{" not in text
                    continue
                assert len(found) == 1 and text == f"{{{{ {found[0]} }}}}", text
                expression = found[0].removesuffix("|num")
                assert "+" not in expression and "sum" not in expression  # no arithmetic in Word
                value = env.compile_expression(expression, undefined_to_none=False)(**variables)
                assert isinstance(value, int) or value.is_finite()
                tags += 1
    assert tags == 10 + 25 * 7 + 15  # table 2, table 3 (25 rows × 7), table 4

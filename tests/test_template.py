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
from docgen.load import load
from docgen.render import BUILTIN_TEMPLATE, context, environment

BUILDER = ROOT / "tools" / "build_template.py"
TAG = re.compile(r"\{\{\s*(.*?)\s*\}\}")


def _builder():
    spec = importlib.util.spec_from_file_location("build_template", BUILDER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


def _tables() -> list[etree._Element]:
    document = etree.fromstring(zipfile.ZipFile(BUILTIN_TEMPLATE).read("word/document.xml"))
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


def test_committed_template_matches_the_builder() -> None:
    built = _builder().build()
    assert docxzip.members(BUILTIN_TEMPLATE.read_bytes()) == docxzip.members(built), (
        "templates/annual-report-2021.docx is stale: run python tools/build_template.py"
    )


@pytest.mark.parametrize(("index", "columns", "rows"), [(0, 4, 14), (1, 10, 28), (2, 15, 4)])
def test_tables_have_the_official_grids(index: int, columns: int, rows: int) -> None:
    grid_columns, grid_rows = _grid(_tables()[index])
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

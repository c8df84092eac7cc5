"""The project's example reproduces the real 保德县 2021 report, read back from the rendered .docx."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import EXAMPLE, ROOT, SAMPLE, docx_tables, docx_units, sample_units

from docgen.api import render as render_file

# The only places where the rendered example may differ from the sample text, and why: (sample, rendered).
ALLOWED_DIFFERENCES = [
    # The sample typed its sixth heading as "6、 "; docgen prints the six numbers itself.
    ("6、其他需要报告的事项", "六、其他需要报告的事项"),
    # A Word bookmark that the text extraction printed inline.
    ("[bookmark:_GoBack]行政处罚", "行政处罚"),
    # The sample's arithmetic slip: 下派事项85个，办结76个 is 89.4%, not 90%. The example derives the rate.
    ("办结76个，办结率90%", "办结76个，办结率89%"),
]
# The extraction's last line is the footer's page number, which is in the footer part, not the body.
TRAILING_PAGE_NUMBER = "1"


def test_sample_is_available() -> None:
    shared = ROOT.parent / "shared" / "seeds" / "000_191449d737980eaf.txt"
    if shared.is_file():  # beside a checkout: the fixture must be the shared seed, unedited
        assert SAMPLE.read_bytes() == shared.read_bytes()
    assert SAMPLE.read_text(encoding="utf-8").startswith("保德县人民政府")


def test_example_reproduces_the_sample(tmp_path: Path) -> None:
    written = render_file(EXAMPLE, tmp_path / "out.docx")
    expected = sample_units()
    for sample, rendered in ALLOWED_DIFFERENCES:
        (index,) = [i for i, unit in enumerate(expected) if sample in unit]
        expected[index] = expected[index].replace(sample, rendered)
    assert expected[-1] == TRAILING_PAGE_NUMBER
    expected = expected[:-1]
    assert docx_units(written.read_bytes()) == expected


def test_example_tables_hold_the_figures(tmp_path: Path) -> None:
    table2, table3, table4 = docx_tables(render_file(EXAMPLE, tmp_path / "out.docx").read_bytes())
    assert [len(table2), len(table3), len(table4)] == [14, 28, 4]
    assert table3[3] == ["一、本年新收政府信息公开申请数量", "4", "0", "0", "0", "0", "0", "4"]
    assert table3[5][1:] == ["（一）予以公开", "3", "0", "0", "0", "0", "0", "3"]
    results_total = next(row for row in table3 if "（七）总计" in row)
    assert results_total[-7:] == ["4", "0", "0", "0", "0", "0", "4"]
    assert table4[3] == ["0"] * 15


def test_document_properties_name_the_issuer(tmp_path: Path) -> None:
    written = render_file(EXAMPLE, tmp_path / "out.docx")
    core = zipfile.ZipFile(written).read("docProps/core.xml").decode()
    assert "<dc:title>保德县人民政府2021年政府信息公开工作年度报告</dc:title>" in core
    assert "<dc:creator>保德县人民政府</dc:creator>" in core


def test_rendering_is_reproducible(tmp_path: Path) -> None:
    first = render_file(EXAMPLE, tmp_path / "a.docx").read_bytes()
    second = render_file(EXAMPLE, tmp_path / "b.docx").read_bytes()
    assert first == second

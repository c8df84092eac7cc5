"""A real consumer opens the document: LibreOffice converts the rendered report to PDF, and the PDF's
text has the six headings and table 3's figures row by row."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from docgen import labels
from docgen.api import render as render_file
from docgen.derive import RESULT_ROW_KEYS, derive
from docgen.load import load

HEADINGS = [f"{number}、{text}" for number, text in zip("一二三四五六", labels.HEADINGS.values(), strict=True)]


@pytest.fixture(scope="module")
def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have LibreOffice: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed here; scripts/test.sh installs it")
    return found


def to_pdf(soffice: str, docx: Path) -> Path:
    profile = docx.parent / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx.parent),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = docx.with_suffix(".pdf")
    assert pdf.is_file(), "LibreOffice did not produce a PDF"
    return pdf


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def figure_rows(text: str) -> list[list[str]]:
    """Rows of pure numbers between heading 三 and heading 四, as the page shows them."""
    section = text[text.index(HEADINGS[2]) : text.index(HEADINGS[3])]
    rows = [[token for token in line.split() if re.fullmatch(r"\d[\d,]*", token)] for line in section.splitlines()]
    return [row for row in rows if row]


def test_libreoffice_converts_the_example_with_every_heading_and_figure(
    soffice: str, tmp_path: Path, make_data: Callable[..., Path]
) -> None:
    # Distinct figures 1…132 in the result cells (balanced: 一 = 三（七）总计), so "in order" means something.
    rows = {key: [6 * i + j for j in range(1, 7)] for i, key in enumerate(RESULT_ROW_KEYS)}
    edits = [(rf"^{key.rsplit('.', 1)[1]} = .*$", f"{key.rsplit('.', 1)[1]} = {row}") for key, row in rows.items()]
    totals = [sum(column) for column in zip(*rows.values(), strict=True)]
    data = make_data(*edits, (r"^new = .*$", f"new = {totals}"))
    report = load(data)
    docx = render_file(data, tmp_path / "report.docx")
    text = pdf_text(to_pdf(soffice, docx))

    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    expected = [
        [f"{value:,}" if value >= 10_000 else str(value) for value in row] for row in derive(report).table3.values()
    ]
    assert figure_rows(text) == expected
    assert re.sub(r"\s", "", text).endswith("保德县人民政府2022年2月18日—7—") or "2022年2月18日" in re.sub(
        r"\s", "", text
    )


def test_example_table3_fits_one_page(soffice: str, tmp_path: Path) -> None:
    from conftest import EXAMPLE

    pdf = to_pdf(soffice, render_file(EXAMPLE, tmp_path / "example.docx"))
    pages = pdf_text(pdf).split("\f")
    page = next(page for page in pages if HEADINGS[2] in page)
    assert labels.TABLE3_BALANCE_NOTE[:10] in page.replace("\n", "").replace(" ", "")
    assert "四、结转下年度继续办理" in page, "all 28 rows of table 3 are on the page of its heading"


@pytest.mark.parametrize(
    "example", sorted((Path(__file__).parent.parent / "examples").glob("*.toml")), ids=lambda path: path.stem
)
def test_libreoffice_converts_every_example(soffice: str, tmp_path: Path, example: Path) -> None:
    text = pdf_text(to_pdf(soffice, render_file(example, tmp_path / "report.docx")))
    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    rows = figure_rows(text)
    derived = derive(load(example)).table3
    assert rows == [[f"{value:,}" if value >= 10_000 else str(value) for value in row] for row in derived.values()]

"""Where each figure came from (issue 27): every figure extract reads from a published report names the table,
row and column it was printed in (and the page, in a PDF) with the text printed there, and problems a rule finds
on a published report point at that place — a reviewer can go to the printed cell at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, libreoffice_convert

import docgen
from docgen.errors import KeyPath
from docgen.extract import extract, numbered, read_number
from docgen.publish import html_page
from docgen.published import read as read_published
from docgen.workbook import figure_paths


def _figures(data: dict[str, Any]) -> Iterator[tuple[KeyPath, Any]]:
    """Every figure of tables 2–4, by key path."""
    for table in ("table2", "table3", "table4"):
        yield from figure_paths(data.get(table, {}), (table,))


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("provenance")
    docx = docgen.render_bytes(EXAMPLE)
    (folder / "report.docx").write_bytes(docx)
    pdf = libreoffice_convert(soffice, folder / "report.docx", "pdf", folder, folder)
    html = html_page(docgen.load(EXAMPLE)).encode("utf-8")
    return {"docx": docx, "html": html, "pdf": pdf.read_bytes()}


@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_every_figure_names_the_cell_it_was_printed_in(documents: dict[str, bytes], kind: str) -> None:
    data = documents[kind]
    extraction = extract(data, f"report.{kind}")
    tables = [block for block in numbered(read_published(data).blocks) if block.grid is not None]
    page = r"第\d+(?:–\d+)?页 " if kind == "pdf" else ""
    figures = list(_figures(extraction.data))
    assert len(figures) == 10 + 25 * 7 + 3 * 5  # every figure of tables 2, 3 and 4
    for path, value in figures:
        place, printed = extraction.origins[path]
        where = re.fullmatch(rf"{page}第(\d)张表 第(\d+)行第(\d+)列", place)
        assert where, (path, place)
        number, row, column = (int(group) for group in where.groups())
        assert tables[number - 1].grid[row - 1][column - 1] == printed  # type: ignore[index]
        assert read_number(printed, decimal=path == ("table2", "fees"))[0] == value, (path, printed)


def test_a_problem_on_a_published_page_points_at_the_printed_row(documents: dict[str, bytes], tmp_path: Path) -> None:
    page = documents["html"].decode("utf-8")
    row = re.search(r"<tr>(?:(?!</tr>).)*（七）总计(?:(?!</tr>).)*</tr>", page, re.S)
    assert row
    wrong = re.sub(r">4</td></tr>$", ">5</td></tr>", row.group(0))  # the row's 总计: 5 where the rows add up to 4
    assert wrong != row.group(0)
    source = tmp_path / "保德.html"
    source.write_text(page.replace(row.group(0), wrong), encoding="utf-8")
    (outcome,) = docgen.audit([source])
    (problem,) = [problem for problem in outcome.errors if problem.rule == "t3-results-total"]
    assert re.fullmatch(r"第2张表 第\d+行第\d+列", problem.place or ""), problem
    assert problem.printed == "5" and problem.to_dict()["place"] == problem.place
    assert problem.format().startswith(f"{source}:{problem.place}: t3-results-total")


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_every_paragraph_names_its_number(documents: dict[str, bytes], kind: str) -> None:
    extraction = extract(documents[kind], f"report.{kind}")
    report = docgen.from_dict(extraction.data, "report", extraction.locator())
    paragraphs = [block.text for block in numbered(read_published(documents[kind]).blocks) if block.grid is None]
    located = 0
    for part in docgen.model.narrative_lists(report):
        if part.path[0] not in extraction.data:  # 六's default text, which the data file leaves out
            continue
        for index, text in enumerate(part.paragraphs):
            where = extraction.locator().locate((*part.path, index))
            found = re.fullmatch(r"(?:第\d+页 )?第(\d+)段", where.place or "")
            assert found and (kind == "pdf") == ("页" in where.place), where
            assert str(text)[:20] in paragraphs[int(found.group(1)) - 1] and where.printed
            located += 1
    assert located >= 8

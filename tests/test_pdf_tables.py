"""PDF tables as printed (issue 27): the example report printed by two real producers with the page breaking at
every row of tables 2, 3 and 4 in turn — Chromium printing the published web page (a forced break before each
row; it repeats the table's header on the next page) and LibreOffice exporting the .docx (blank lines before
the tables move each break one line further, so rows, labels inside rows and headings all get cut) — must
read exactly what the .docx reads: every figure, no row left unplaced, no table reported missing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import hostile
import ofds
import pytest
from conftest import EXAMPLE, libreoffice_convert, required_program

import docgen
from docgen.extract import extract
from docgen.publish import html_page

TABLE_PARTS = ("table2", "table3", "table4")


@pytest.fixture(scope="module")
def expected() -> dict:
    extraction = extract(docgen.render_bytes(EXAMPLE), "report.docx")
    assert not extraction.warnings
    return {part: extraction.data[part] for part in (*TABLE_PARTS, "report")}


def _table_warnings(extraction) -> list[str]:  # type: ignore[no-untyped-def]
    return [problem.message for problem in extraction.warnings if problem.key.split(".")[0] in TABLE_PARTS]


def _break_before_row(page: str, table: int, row: int) -> str:
    """The page with a forced page break before row `row` (from 0) of table `table` (from 0)."""
    start = [match.start() for match in re.finditer("<table", page)][table]
    position = start + [match.start() for match in re.finditer("<tr", page[start:])][row]
    return page[:position] + '<tr style="break-before: page"' + page[position + 3 :]


def _print_with_chromium(pages: list[Path]) -> list[Path]:
    """Each page printed to PDF by Chromium (one browser for all, as the browser tests drive it), A4."""
    browser = shutil.which("chromium-browser") or required_program("chromium", "one of the PDF producers")
    playwright_api = pytest.importorskip("playwright.sync_api")
    printed = []
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser, args=["--no-sandbox"])
        tab = chromium.new_page()
        for page in pages:
            tab.goto(page.as_uri())
            tab.pdf(path=str(page.with_suffix(".pdf")), format="A4", print_background=True)
            printed.append(page.with_suffix(".pdf"))
        chromium.close()
    return printed


@pytest.mark.once
def test_chromium_pdfs_broken_at_every_row_read_as_the_docx(expected: dict, tmp_path: Path) -> None:
    page = html_page(docgen.load(EXAMPLE))
    rows = [len(re.findall("<tr", part.split("</table>")[0])) for part in page.split("<table")[1:]]
    assert len(rows) == 3
    cases = [(table, row) for table, count in enumerate(rows) for row in range(1, count)]
    sources = []
    for table, row in cases:
        source = tmp_path / f"t{table + 2}-r{row}.html"
        source.write_text(_break_before_row(page, table, row), encoding="utf-8")
        sources.append(source)
    pdfs = _print_with_chromium(sources)
    wrong = []
    for pdf in pdfs:
        extraction = extract(pdf.read_bytes(), pdf.name)
        read = {part: extraction.data[part] for part in (*TABLE_PARTS, "report")}
        if read != expected or _table_warnings(extraction):
            wrong.append(f"{pdf.stem}: {_table_warnings(extraction)[:2]}")
    assert wrong == [], f"{len(wrong)} of {len(pdfs)} PDFs misread"


def _pushed_down(docx: bytes, heading: str, blank_lines: int) -> bytes:
    """The .docx with `blank_lines` empty paragraphs before the paragraph that holds `heading`."""
    parts = hostile.members(docx)
    body = parts["word/document.xml"].decode("utf-8")
    position = body.index(heading)
    paragraph = body.rindex("<w:p>", 0, position) if "<w:p>" in body[:position] else body.rindex("<w:p ", 0, position)
    parts["word/document.xml"] = (body[:paragraph] + "<w:p/>" * blank_lines + body[paragraph:]).encode("utf-8")
    return hostile.pack(parts)


@pytest.mark.once
def test_libreoffice_pdfs_broken_at_every_line_read_as_the_docx(soffice: str, expected: dict, tmp_path: Path) -> None:
    docx = docgen.render_bytes(EXAMPLE)
    sources = []
    # Blank lines before heading 二 push tables 2–4 down a line at a time: over more than a page of lines, every
    # row of each table (and the headings between them) meets the page's end once.
    for blank_lines in range(46):
        document = tmp_path / f"shift-{blank_lines:02d}.docx"
        document.write_bytes(_pushed_down(docx, "主动公开政府信息情况", blank_lines))
        sources.append(document)
    outdir = tmp_path / "pdf"
    command = [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(outdir), *map(str, sources)], check=True, capture_output=True, timeout=900
    )
    wrong = []
    for document in sources:
        pdf = outdir / f"{document.stem}.pdf"
        extraction = extract(pdf.read_bytes(), pdf.name)
        read = {part: extraction.data[part] for part in (*TABLE_PARTS, "report")}
        if read != expected or _table_warnings(extraction):
            wrong.append(f"{pdf.stem}: {_table_warnings(extraction)[:2]}")
    assert wrong == [], f"{len(wrong)} of {len(sources)} PDFs misread"


TABLES = ("table2", "table3", "table4")


def _without_rulings(docx: bytes) -> bytes:
    """The .docx with its tables' borders taken off (cells keep Word's usual margins), as some WPS exports
    and hand-made tables print: columns by spacing only."""
    parts = hostile.members(docx)
    styles = parts["word/styles.xml"].decode("utf-8")
    styles = re.sub(
        r'(<w:(?:top|left|bottom|right|insideH|insideV)) w:val="single"[^/]*/>', r'\1 w:val="nil"/>', styles
    )
    styles = re.sub(r'<w:(left|right) w:w="20" w:type="dxa"/>', r'<w:\1 w:w="108" w:type="dxa"/>', styles)
    parts["word/styles.xml"] = styles.encode("utf-8")
    return hostile.pack(parts)


def test_tables_printed_without_rulings_are_read_by_their_columns(soffice: str, expected: dict, tmp_path: Path) -> None:
    source = tmp_path / "plain.docx"
    source.write_bytes(_without_rulings(docgen.render_bytes(EXAMPLE)))
    pdf = libreoffice_convert(soffice, source, "pdf", tmp_path, tmp_path)
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        assert not any(page.edges for page in document.pages)  # nothing ruled: columns by spacing only
    extraction = extract(pdf.read_bytes(), pdf.name)
    for table in TABLES:
        assert extraction.data[table] == expected[table], table
    # Table 3's labels wrap over two or three lines around their figures, and table 4's fifteen columns
    # follow close below table 3's seven: every row is placed, so the audit has neither doubt nor fault
    assert extraction.warnings == [], [problem.format() for problem in extraction.warnings]
    assert "unplaced" not in extraction.data
    (outcome,) = docgen.audit([pdf])
    assert outcome.problems == [], [problem.format() for problem in outcome.problems]
    # the same page as an OFD, whose text comes a run or a character at a time, with no rulings drawn either
    for layout in ("runs", "characters"):
        read = extract(ofds.from_pdf(pdf.read_bytes(), layout), "plain.ofd")
        assert [read.data[table] for table in TABLES] == [expected[table] for table in TABLES], layout
        assert read.warnings == [], (layout, [problem.format() for problem in read.warnings])

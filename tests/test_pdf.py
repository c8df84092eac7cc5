"""PDF through LibreOffice, the real consumer: docgen's converter turns rendered reports into PDFs whose
fonts are embedded free look-alikes, whose text is the document's text glyph for glyph, whose table 3
reads row by row as derived, and (with --pdfa) which declare PDF/A-2b."""

from __future__ import annotations

import re
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE, RESULT_ROW_KEYS, docx_units
from test_cli import docgen

from docgen import labels
from docgen.api import render as render_file
from docgen.api import render_pdf
from docgen.derive import derive
from docgen.load import load
from docgen.pdf import Conversion, PdfOptions, convert

HEADINGS = [f"{number}、{text}" for number, text in zip("一二三四五六", labels.HEADINGS.values())]
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))
PAGE_NUMBER = re.compile(r"—(\d+)—")


def pdf_text(pdf: Path, layout: bool = True) -> str:
    command = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


def figure_rows(text: str) -> list[list[str]]:
    """Rows of pure numbers between heading 三 and heading 四, as the page shows them."""
    section = text[text.index(HEADINGS[2]) : text.index(HEADINGS[3])]
    rows = [[token for token in line.split() if re.fullmatch(r"\d[\d,]*", token)] for line in section.splitlines()]
    return [row for row in rows if row]


def printed(rows: dict[str, list[int]]) -> list[list[str]]:
    return [[f"{value:,}" if value >= 10_000 else str(value) for value in row] for row in rows.values()]


@pytest.fixture(scope="module")
def example_pdf(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example rendered with `--pdf`: (.docx, .pdf)."""
    folder = tmp_path_factory.mktemp("example")
    pdf = render_pdf(EXAMPLE, folder / "example.docx")
    return folder / "example.docx", pdf


@pytest.fixture(scope="module")
def examples_pdf(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Every example rendered, then all converted in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("examples")
    documents = [render_file(example, folder / f"{example.stem}.docx") for example in EXAMPLES]
    conversions = [Conversion(docx, docx.with_suffix(".pdf")) for docx in documents]
    assert convert(conversions) == [None] * len(conversions)
    return {example: conversion.pdf for example, conversion in zip(EXAMPLES, conversions)}


def test_every_font_is_embedded_and_a_free_look_alike(example_pdf: tuple[Path, Path]) -> None:
    lines = subprocess.run(["pdffonts", str(example_pdf[1])], check=True, capture_output=True, text=True).stdout
    fonts = [line.split() for line in lines.splitlines()[2:]]
    assert fonts, "the PDF has fonts"
    for font in fonts:
        assert font[-5] == "yes", f"{font[0]} is not embedded"
    names = " ".join(font[0] for font in fonts)
    # 仿宋/宋体 → Noto Serif CJK, 黑体 → Noto Sans CJK, 楷体 → AR PL KaitiM GB (GBZenKai), 小标宋 → Noto Serif Bold.
    assert "NotoSerifCJK" in names and "NotoSansCJK" in names and "GBZenKai" in names and "Bold" in names
    assert "DejaVu" not in names, "no Latin fallback font: digits come from the CJK faces"


def test_pdf_text_is_the_documents_text(example_pdf: tuple[Path, Path]) -> None:
    docx, pdf = example_pdf
    text = "".join(pdf_text(pdf, layout=False).split())
    numbers = [int(number) for number in PAGE_NUMBER.findall(text)]
    pages = pdf_pages(pdf)
    assert numbers == list(range(1, pages + 1)), "every page, and only those, carries its page number"
    body = PAGE_NUMBER.sub("", text)
    # Every glyph printed: the same characters as the document (table cells may be read in another order) …
    assert Counter(body) == Counter("".join(docx_units(docx.read_bytes())))
    # … and the paragraphs in the document's order. A line-final 、 once vanished here (LibreOffice's
    # hanging punctuation); the template turns that off.
    position = 0
    for paragraph in docx_units(docx.read_bytes(), cells=False):
        position = body.index(paragraph, position) + len(paragraph)
    assert "考核细则、监督检查" in body


def test_example_table3_fits_one_page(example_pdf: tuple[Path, Path]) -> None:
    pages = pdf_text(example_pdf[1]).split("\f")
    page = next(page for page in pages if HEADINGS[2] in page)
    assert labels.TABLE3_BALANCE_NOTE[:10] in page.replace("\n", "").replace(" ", "")
    assert "四、结转下年度继续办理" in page, "all 28 rows of table 3 are on the page of its heading"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_converts_with_its_figures(examples_pdf: dict[Path, Path], example: Path) -> None:
    text = pdf_text(examples_pdf[example])
    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    assert figure_rows(text) == printed(derive(load(example)).table3)


def test_distinct_figures_read_back_in_order(soffice: str, tmp_path: Path, make_data: Callable[..., Path]) -> None:
    # Distinct figures 1…132 in the result cells (balanced: 一 = 三（七）总计), so "in order" means something.
    rows = {key: [6 * i + j for j in range(1, 7)] for i, key in enumerate(RESULT_ROW_KEYS)}
    edits = [(rf"^{key.rsplit('.', 1)[1]} = .*$", f"{key.rsplit('.', 1)[1]} = {row}") for key, row in rows.items()]
    totals = [sum(column) for column in zip(*rows.values())]
    data = make_data(*edits, (r"^new = .*$", f"new = {totals}"))
    pdf = render_pdf(data, options=PdfOptions(keep_docx=False))
    assert pdf == data.with_suffix(".pdf") and not data.with_suffix(".docx").exists()
    assert figure_rows(pdf_text(pdf)) == printed(derive(load(data)).table3)


def test_pdfa_declares_pdfa_2b(soffice: str, tmp_path: Path) -> None:
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    result = docgen("render", data, "--pdfa")
    assert result.returncode == 0, result.stderr
    meta = subprocess.run(["pdfinfo", "-meta", str(tmp_path / "2021.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"<pdfaid:part>2</pdfaid:part>", meta) and re.search(r"<pdfaid:conformance>B<", meta)
    assert (tmp_path / "2021.docx").is_file()
    plain = render_pdf(data, tmp_path / "plain.pdf")
    assert b"pdfaid" not in plain.read_bytes()


def _fake_soffice(tmp_path: Path, body: str) -> dict[str, str]:
    program = tmp_path / "soffice"
    program.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    program.chmod(0o755)
    return {"DOCGEN_SOFFICE": str(program)}


def _starts(log: Path) -> list[tuple[str, int]]:
    """Each LibreOffice start the fake soffice logged: (its profile, how many documents it was given)."""
    starts = []
    for line in log.read_text(encoding="utf-8").splitlines():
        words = line.split()
        profile = next(word for word in words if word.startswith("-env:UserInstallation="))
        starts.append((profile, sum(word.endswith(".docx") for word in words)))
    return starts


def test_a_batch_starts_one_libreoffice_per_job(soffice: str, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for number in range(5):
        text = EXAMPLE.read_text(encoding="utf-8").replace("保德县", f"第{number}县")
        (reports / f"county-{number}.toml").write_text(text, encoding="utf-8")
    log = tmp_path / "starts.log"
    env = _fake_soffice(tmp_path, f'echo "$@" >> "{log}"\nexec "{soffice}" "$@"')
    result = docgen("render", reports, "-o", tmp_path / "out", "--pdf", "-j", "2", env=env)
    assert result.returncode == 0, result.stderr
    starts = _starts(log)
    assert sorted(count for _, count in starts) == [2, 3], "two runs side by side share the five documents"
    assert len({profile for profile, _ in starts}) == 2, "each run has a profile of its own"
    log.unlink()
    single = docgen("render", reports, "-o", tmp_path / "single", "--pdf", "-j", "1", env=env)
    assert single.returncode == 0, single.stderr
    assert [count for _, count in _starts(log)] == [5]
    for number in range(5):
        pdf = tmp_path / "out" / f"county-{number}.pdf"
        assert f"第{number}县人民政府" in "".join(pdf_text(pdf).split()), "each PDF is its own report"
        assert (tmp_path / "out" / f"county-{number}.docx").is_file()
    only = docgen("render", reports, "-o", tmp_path / "only", "--pdf-only", env=env)
    assert only.returncode == 0, only.stderr
    assert sorted(path.suffix for path in (tmp_path / "only").iterdir()) == [".pdf"] * 5


def test_missing_libreoffice_is_explained_and_nothing_is_written(tmp_path: Path) -> None:
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    for args in (["--pdf"], ["--pdf-only"], ["--pdfa"]):
        result = docgen("render", data, *args, env={"DOCGEN_SOFFICE": str(tmp_path / "no-such-soffice")})
        assert result.returncode == 1
        assert "找不到 LibreOffice" in result.stderr and "apt install" in result.stderr and "winget" in result.stderr
        assert "brew install" in result.stderr and "Traceback" not in result.stderr
        assert sorted(path.name for path in tmp_path.iterdir()) == ["2021.toml"]


def test_a_hung_libreoffice_is_stopped_after_the_timeout(tmp_path: Path) -> None:
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    env = _fake_soffice(tmp_path, "sleep 60")
    started = time.monotonic()
    result = docgen("render", data, "--pdf-only", "--pdf-timeout", "2", env=env)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "超过 2 秒" in result.stderr and "--pdf-timeout" in result.stderr
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.docx"))


def test_a_failed_conversion_is_named_per_file(tmp_path: Path) -> None:
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "2021.pdf").write_bytes(b"last year's PDF")
    env = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    result = docgen("render", data, "--pdf", env=env)
    assert result.returncode == 1
    assert f"{data}: pdf: LibreOffice 未能把它转换为 PDF：Error: source file could not be loaded" in result.stderr
    assert (tmp_path / "2021.pdf").read_bytes() == b"last year's PDF", "the old PDF is kept"
    assert (tmp_path / "2021.docx").is_file(), "the .docx asked for alongside is written"


def test_preview_writes_one_image_per_page(soffice: str, tmp_path: Path, example_pdf: tuple[Path, Path]) -> None:
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    result = docgen("preview", data, "-o", tmp_path / "pages", "--dpi", "40")
    assert result.returncode == 0, result.stderr
    images = sorted((tmp_path / "pages").iterdir())
    assert [image.name for image in images] == [f"2021-{n}.png" for n in range(1, pdf_pages(example_pdf[1]) + 1)]
    assert all(image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for image in images)
    assert f"已生成预览：{images[0]}" in result.stdout
    again = docgen("preview", example_pdf[0], "-o", tmp_path / "docx-pages", "--dpi", "40")
    assert again.returncode == 0, again.stderr
    assert len(list((tmp_path / "docx-pages").iterdir())) == len(images)


def test_progress_bar_spans_rendering_and_conversion(soffice: str, tmp_path: Path) -> None:
    from test_batch import _on_a_terminal

    for number in range(3):
        (tmp_path / f"county-{number}.toml").write_bytes(EXAMPLE.read_bytes())
    shown = _on_a_terminal("render", tmp_path, "-o", tmp_path / "out", "--pdf-only", "-j", "1")
    assert "正在生成报告" in shown and "正在转换为 PDF" in shown and "6/6" in shown
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3


def test_pdf_names_the_files_it_writes(soffice: str, tmp_path: Path) -> None:
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    result = docgen("render", data, "--pdf", "-o", tmp_path / "报告.v2")
    assert result.returncode == 0, result.stderr
    for written in (tmp_path / "报告.v2.docx", tmp_path / "报告.v2.pdf"):
        assert written.is_file() and f"已生成：{written}" in result.stdout
    only = docgen("render", data, "--pdf-only", "-o", tmp_path / "单独.pdf")
    assert only.returncode == 0, only.stderr
    assert (tmp_path / "单独.pdf").is_file() and not (tmp_path / "单独.docx").exists()

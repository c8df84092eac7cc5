"""Published reports as reviewers meet them (issue 16): pages saved from government sites (the article inside
the site's chrome, GBK, rowspan/colspan, blank cells, layout tables) and PDFs exported from hand-typed Word
reports — read into the same data as the .docx, every figure asserted."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import hostile
import pages
import pytest
from conftest import EXAMPLE, ROOT, libreoffice_convert
from test_cli import docgen as run
from test_extract import hand_made

import docgen
from docgen.model import Report

EXAMPLE_2020 = ROOT / "examples" / "2020-county-2019-format.toml"
CHROME = (
    "繁體版",
    "无障碍",
    "首页",
    "当前位置",
    "索引号",
    "发布机构",
    "分享到",
    "打印本页",
    "关闭窗口",
    "主办单位",
    "ICP",
    "来源",
)


def _read(page: bytes, name: str = "page.html") -> tuple[Report, docgen.Extraction]:
    result = docgen.extract(page, name)
    return docgen.loads(docgen.to_toml(result), "read.toml"), result


def _same_figures(read: Report, report: Report) -> None:
    """Every figure of tables 2–4 as the report has it (the page also prints the totals; they are checked)."""
    assert read.table2.model_dump() == report.table2.model_dump()
    for key, _ in report.table3.ROWS:
        if key != "results.total":
            node_read, node = read.table3, report.table3
            for part in key.split("."):
                node_read, node = getattr(node_read, part), getattr(node, part)
            assert node_read.figures == node.figures, key
    for key in ("review", "litigation_direct", "litigation_after_review"):
        assert getattr(read.table4, key).figures == getattr(report.table4, key).figures
    assert docgen.check(read) == []  # the totals the page printed agree with the figures


def _no_chrome(read: Report) -> None:
    texts = [*read.report.preamble, *read.overview.paragraphs, *read.problems.paragraphs, *read.other.paragraphs]
    texts += [paragraph for section in read.overview.sections for paragraph in section.paragraphs]
    texts += read.unplaced
    assert not [text for text in texts if any(word in str(text) for word in CHROME)]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_county_page_is_read_without_its_site(encoding: str) -> None:
    report = docgen.load(EXAMPLE)
    page = pages.report_page(report, docgen.render_bytes(report), encoding=encoding)
    assert page.decode(encoding).count("繁體版") == 1
    read, result = _read(page)
    assert result.warnings == []
    assert read.report.issuer == "保德县人民政府" and read.report.year == 2021
    assert read.report.date == report.report.date
    _same_figures(read, report)
    _no_chrome(read)
    assert [section.title for section in read.overview.sections] == [
        section.title for section in report.overview.sections
    ]
    assert read.problems.paragraphs and read.other.paragraphs == report.other.paragraphs


def test_a_page_of_layout_tables_with_blank_cells_and_the_title_only_in_the_site() -> None:
    report = docgen.load(EXAMPLE)
    page = pages.report_page(report, docgen.render_bytes(report), title="none", layout_tables=True, blank_zeros=True)
    read, result = _read(page)
    assert read.report.issuer == "保德县人民政府"  # from the site's 标题 field, not its chrome
    _same_figures(read, report)
    _no_chrome(read)
    blanks = {problem.key: problem for problem in result.warnings if problem.rule == "extract-blank"}
    assert set(blanks) == {"table2", "table3", "table4"}  # one warning per table, not one per cell
    assert re.search(r"表三有 \d+ 个空白单元格", blanks["table3"].message)
    assert len(blanks["table3"].actual) > 100 and "商业企业" in blanks["table3"].actual[0]  # type: ignore[arg-type]


def test_a_page_of_an_asp_net_site_whose_form_holds_the_whole_page() -> None:
    """WebForms sites wrap every page in one <form runat="server">: the article is inside it."""
    report = docgen.load(EXAMPLE)
    page = pages.report_page(report, docgen.render_bytes(report)).decode("gbk")
    form = '<form method="post" action="./detail.aspx?id=1" id="form1"><input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTY1">'
    search = '<input type="text" name="q" value="请输入关键字"><button>搜索</button><textarea name="c">请在此写下您的意见</textarea>'
    page = page.replace("<body>", "<body>" + form + search, 1).replace("</body>", "</form></body>", 1)
    read, result = _read(page.encode("gbk"))
    assert read.report.issuer == "保德县人民政府" and result.warnings == []
    _same_figures(read, report)
    _no_chrome(read)
    assert "请输入关键字" not in str(read.model_dump()) and "请在此写下您的意见" not in str(read.model_dump())


def test_a_title_that_starts_with_the_year_names_the_issuer() -> None:
    text = EXAMPLE_2020.read_text(encoding="utf-8").replace(
        "[report]", '[report]\ntitle = ["2020年某市人民政府办公厅政府信息公开工作年度报告"]', 1
    )
    text = re.sub(r'^issuer = ".*"', 'issuer = "某市人民政府办公厅"', text, count=1, flags=re.M)
    report = docgen.loads(text, "2020.toml")
    page = pages.report_page(report, docgen.render_bytes(report), title="paragraph", byline=False)
    read, _ = _read(page)
    assert read.report.issuer == "某市人民政府办公厅" and read.format == "2019"
    _same_figures(read, report)


def test_the_publisher_field_is_the_issuer_of_last_resort() -> None:
    report = docgen.load(EXAMPLE)
    page = pages.report_page(report, docgen.render_bytes(report), title="none").decode("gbk")
    page = re.sub(r"<title>.*?</title>", "<title>政府信息公开</title>", page)
    page = re.sub(r"<tr><td>标题：</td>.*?</tr>", "", page)
    read, result = _read(page.encode("gbk"))
    assert read.report.issuer == "保德县人民政府办公室"
    (warning,) = [problem for problem in result.warnings if problem.key == "report.issuer"]
    assert "发布机构" in warning.message


def test_an_amount_in_yuan_is_converted() -> None:
    report = docgen.load(EXAMPLE_2020)
    page = pages.report_page(report, docgen.render_bytes(report)).decode("gbk")
    assert ">4068.208<" in page
    page = page.replace(">4068.208<", ">40682080元<", 1)
    read, result = _read(page.encode("gbk"))
    assert read.table2.procurement.amount == Decimal("4068.208")
    (warning,) = [problem for problem in result.warnings if problem.key == "table2.procurement.amount"]
    assert "40682080元" in warning.message and "4068.208 万元" in warning.message


def _pdf(docx: bytes, soffice: str, folder: Path, name: str) -> bytes:
    source = folder / f"{name}.docx"
    source.write_bytes(docx)
    return libreoffice_convert(soffice, source, "pdf", folder, folder).read_bytes()


def _ruled(docx: bytes) -> bytes:
    """The document with its tables ruled, as Word's 网格型 tables print (python-docx draws none)."""
    import hostile

    parts = hostile.members(docx)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    document = parts["word/document.xml"].decode("utf-8")
    document = re.sub(r"<w:tblPr>", f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders>", document)
    parts["word/document.xml"] = document.encode("utf-8")
    return hostile.pack(parts)


def test_a_pdf_exported_from_a_hand_typed_report_reads_as_its_docx(soffice: str, tmp_path: Path) -> None:
    typed = _ruled(hand_made())
    from_docx = docgen.extract(typed, "typed.docx")
    from_pdf = docgen.extract(_pdf(typed, soffice, tmp_path, "typed"), "typed.pdf")
    assert from_pdf.format == from_docx.format
    for table in ("table2", "table3", "table4"):
        assert from_pdf.data[table] == from_docx.data[table], table
    assert from_pdf.data["report"]["issuer"] == from_docx.data["report"]["issuer"]
    assert from_pdf.data["report"]["date"] == from_docx.data["report"]["date"]
    sections = [section["title"] for section in from_pdf.data["overview"]["sections"]]
    assert sections == [section["title"] for section in from_docx.data["overview"]["sections"]]
    rendered = docgen.render_bytes(EXAMPLE)
    example = docgen.extract(_pdf(rendered, soffice, tmp_path, "example"), "example.pdf")
    assert (
        docgen.to_toml(example).split("\n", 1)[1]
        == docgen.to_toml(docgen.extract(rendered, "example.pdf")).split("\n", 1)[1]
    )


def test_a_pdf_with_neither_text_nor_images_is_named(tmp_path: Path) -> None:
    blank = tmp_path / "空白.pdf"
    blank.write_bytes(_empty_pdf())
    result = run("extract", blank)
    assert result.returncode == 1 and "既没有文字也没有图片" in result.stderr and "Traceback" not in result.stderr


def _empty_pdf() -> bytes:
    """A valid one-page PDF with nothing written on it (what a scan is, to a text reader)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    return hostile.pdf_of(objects, b"%PDF-1.4\n")


def test_a_folder_of_pages_pdfs_and_documents_is_audited(soffice: str, tmp_path: Path) -> None:
    report = docgen.load(EXAMPLE)
    rendered = docgen.render_bytes(report)
    folder = tmp_path / "各单位"
    folder.mkdir()
    (folder / "甲.html").write_bytes(pages.report_page(report, rendered))
    (folder / "乙.pdf").write_bytes(_pdf(rendered, soffice, tmp_path, "乙"))
    (folder / "丙.docx").write_bytes(rendered)
    (folder / "丁.doc").write_bytes(b"\xd0\xcf\x11\xe0 an old Office file, damaged")
    result = run("extract", folder, "-o", tmp_path / "数据", "--check", "--json")
    assert result.returncode == 1, result.stderr  # 丁.doc is read too (issue 28), and refused alone
    assert sorted(path.name for path in (tmp_path / "数据").iterdir()) == ["丙.toml", "乙.toml", "甲.toml"]
    (refused,) = [entry for entry in json.loads(result.stdout)["files"] if entry["file"].endswith("丁.doc")]
    assert "无法读取这份报告" in refused["problems"][0]["message"]

"""The 通报 (issue 30): the reviewing office's notice of a year's reports, rendered from a replaceable Word template,
opened again with python-docx and in LibreOffice — its counts, its table of bodies, every finding quoted with where
it stands, and the chart drawn into its picture."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
from pathlib import Path

import docx
import numpy
import pytest
from openpyxl import load_workbook
from PIL import Image
from test_cli import docgen as run
from test_desk import DEPARTMENT, TOWNSHIP, _as, _page, roster_book

import docgen
from docgen import docxzip
from docgen.formatting import date as written_date
from docgen.notice import CHART_NAME, Entry, builtin_template, clause, notice, where
from docgen.pdf import Conversion, convert, page_images

OFFICE = "保德县人民政府办公室"
BAR = (0x3B, 0x6E, 0xA5)  # the chart's bars


@pytest.fixture
def office(tmp_path: Path) -> tuple[Path, Path]:
    """A county's year: its government's page (late), departments' reports (one whose table 3 does not
    balance), a report of another county sent by mistake, two bodies of the roster without a report."""
    reports = tmp_path / "各单位"
    reports.mkdir()
    _page(reports, "2022-02-25")
    _as(DEPARTMENT, "保德县发展和改革局", reports, "发改局.toml")
    broken = _as(TOWNSHIP, "中共保德县委宣传部", reports, "宣传部.toml")
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("new =             [2,", "new =             [5,", 1), encoding="utf-8")
    _as(TOWNSHIP, "保德县人民政府办公室", reports, "县政府办.toml")
    _as(TOWNSHIP, "偏关县民政局", reports, "偏关民政.toml")
    roster = roster_book(
        tmp_path / "名单.xlsx",
        [
            ["保德县人民政府", "县政府", None],
            ["发展和改革局", "部门", "2022-01-28"],
            ["保德县委宣传部", "部门", "2022-01-30"],
            ["保德县政府办", "部门", "2022-01-15"],
            ["保德县教育局", "部门", None],
            ["桥头镇人民政府", "乡镇", None],
        ],
    )
    return reports, roster


def _paragraphs(path: Path) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(str(path)).paragraphs]


def _table(path: Path) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in docx.Document(str(path)).tables[0].rows]


def _chart(path: Path) -> Image.Image:
    """The picture named 问题分布图, as the .docx holds it."""
    members = docxzip.members(path.read_bytes())
    document = members["word/document.xml"].decode("utf-8")
    assert f'name="{CHART_NAME}"' in document
    embed = re.search(rf'name="{CHART_NAME}".*?r:embed="([^"]+)"', document, re.DOTALL).group(1)  # type: ignore[union-attr]
    rels = members["word/_rels/document.xml.rels"].decode("utf-8")
    target = re.search(rf'Id="{embed}"[^>]*Target="([^"]+)"', rels).group(1)  # type: ignore[union-attr]
    return Image.open(io.BytesIO(members[f"word/{target}"])).convert("RGB")


def _bar_pixels(image: Image.Image) -> int:
    pixels = numpy.asarray(image.convert("RGB"), dtype=int)
    return int((abs(pixels - numpy.array(BAR)) < 24).all(axis=2).sum())


def test_the_notice_counts_lists_and_quotes_every_finding(office: tuple[Path, Path], tmp_path: Path) -> None:
    reports, roster = office
    book, notice_docx = tmp_path / "审核.xlsx", tmp_path / "通报.docx"
    result = run("audit", reports, "--roster", roster, "-o", book, "-o", notice_docx, "--office", OFFICE, "-q")
    assert result.returncode == 1, result.stderr
    assert f"已写出审核表：{book}" in result.stderr and f"已写出通报：{notice_docx}" in result.stderr
    paragraphs = _paragraphs(notice_docx)
    assert paragraphs[0] == "关于2021年度政府信息公开工作年度报告审核情况的通报"
    assert paragraphs[2] == "各有关单位："
    assert f"{OFFICE}对各单位公开的2021年度政府信息公开工作年度报告进行了审核" in paragraphs[3]
    assert "应公开年度报告的单位6个，已公开4个（其中逾期公开1个），未公开2个。" in paragraphs
    assert "未公开年度报告的单位：保德县教育局、桥头镇人民政府。" in paragraphs
    assert "逾期公开的单位：保德县人民政府（逾期 25 天）。" in paragraphs
    assert "另收到名单以外单位的报告：偏关县民政局，未列入本次审核结果。" in paragraphs
    assert "共审核年度报告4份，发现问题2个；有问题的报告2份，其中有错误的2份；未发现问题的报告2份。" in paragraphs
    # the table: the roster's bodies in rank order (ties in the roster's order), scores as the workbook has them
    table = _table(notice_docx)
    assert table[0] == ["序号", "机关名称", "类别", "公开情况", "发现的问题", "得分", "排名"]
    assert [row[1] for row in table[1:]] == [
        "发展和改革局",
        "保德县政府办",
        "保德县人民政府",
        "保德县委宣传部",
        "保德县教育局",
        "桥头镇人民政府",
    ]
    rows = {row[1]: row for row in table[1:]}
    assert rows["保德县人民政府"][3:] == ["逾期 25 天", "逾期公开 1", "99", "3"]
    assert rows["保德县委宣传部"][4:] == ["表三勾稽关系不符 1", "95", "4"]
    assert rows["桥头镇人民政府"][3:] == ["未公开", "未公开年度报告", "0", "5"]
    scored = {row[0]: row[6] for row in list(load_workbook(book)["名单核对"].values)[1:]}
    assert all(float(rows[name][5]) == scored[name] for name in rows)
    # every finding quoted, under its body, with where it stands in the printed report
    start = paragraphs.index("三、发现的主要问题")
    findings = paragraphs[start + 1 : paragraphs.index("四、工作要求")]
    assert findings[:4] == [
        "（一）保德县人民政府",
        "1. 2022-02-25 才公开（据网页的发布日期），晚于截止日期 2022-01-31 25 天。",
        "（二）保德县委宣传部",
        "1. 勾稽关系不符（自然人列）：一+二 = 5，三（七）总计+四 = 2（表三）。",
    ]
    assert findings[4:] == [
        "（三）保德县教育局",
        "1. 名单中的“保德县教育局”没有年度报告（未找到它公开的报告）。",
        "（四）桥头镇人民政府",
        "1. 名单中的“桥头镇人民政府”没有年度报告（未找到它公开的报告）。",
    ]
    assert "偏关县民政局" not in "".join(findings)
    assert paragraphs[-2:] == [OFFICE, written_date(datetime.date.today())]
    # the chart: drawn into the template's picture at its proportions, bars and all
    chart = _chart(notice_docx)
    assert abs(chart.width / chart.height - 156 / 80) < 0.02 and chart.width > 1000
    assert _bar_pixels(chart) > 5000


def test_the_notice_opens_in_libreoffice_as_gb9704_pages(
    office: tuple[Path, Path], tmp_path: Path, soffice: str
) -> None:
    reports, roster = office
    notice_docx = tmp_path / "通报.docx"
    docgen.audit([reports], output=notice_docx, desk=docgen.Desk(roster=roster, office=OFFICE))
    pdf = tmp_path / "通报.pdf"
    assert convert([Conversion(notice_docx, pdf)]) == [None]
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    squeezed = "".join(text.split())
    assert "关于2021年度政府信息公开工作年度报告审核情况的通报" in squeezed
    for name in ("发展和改革局", "保德县委宣传部", "桥头镇人民政府", "勾稽关系不符（自然人列）", OFFICE, "—1—"):
        assert name in squeezed, name
    images = page_images(pdf, tmp_path, "通报", dpi=60)
    assert len(images) >= 2
    colour = [_bar_pixels(Image.open(image).convert("RGB")) for image in images]
    assert max(colour) > 500  # LibreOffice shows the chart
    width, height = Image.open(images[0]).size
    assert abs(width / height - 210 / 297) < 0.01  # A4


def test_a_template_of_the_office_s_own_is_linted_and_used(office: tuple[Path, Path], tmp_path: Path) -> None:
    reports, roster = office
    members = docxzip.members(builtin_template().read_bytes())
    document = members["word/document.xml"].decode("utf-8")
    members["word/document.xml"] = document.replace("各有关单位：", "各乡镇人民政府，县直各单位：").encode("utf-8")
    own = tmp_path / "我们的通报模板.docx"
    own.write_bytes(docxzip.pack(members.items()))
    assert run("template", "lint", own).returncode == 0
    notice_docx = tmp_path / "通报.docx"
    result = run("audit", reports, "--roster", roster, "-o", notice_docx, "--template", own, "--office", OFFICE)
    assert result.returncode == 1 and notice_docx.is_file(), result.stderr
    assert _paragraphs(notice_docx)[2] == "各乡镇人民政府，县直各单位："

    broken = tmp_path / "错的模板.docx"
    members["word/document.xml"] = document.replace("notice.counts.bodies", "notice.cuonts.bodies").encode("utf-8")
    broken.write_bytes(docxzip.pack(members.items()))
    lint = run("template", "lint", broken)
    assert lint.returncode == 1 and "cuonts" in lint.stderr and "counts" in lint.stderr, lint.stderr
    outputs = [tmp_path / "新.docx", tmp_path / "新.xlsx"]
    result = run("audit", reports, "--roster", roster, "-o", outputs[0], "-o", outputs[1], "--template", broken)
    assert result.returncode == 1 and "cuonts" in result.stderr and "Traceback" not in result.stderr
    assert not any(path.exists() for path in outputs)  # said before any report was read, nothing written


def test_names_from_the_roster_are_printed_never_run(tmp_path: Path) -> None:
    """A roster is someone else's workbook: a body named like a formula, like TeX or like a Jinja tag is
    printed as it is written, in the table and in the chart."""
    reports = tmp_path / "各单位"
    reports.mkdir()
    _as(TOWNSHIP, "保德县桥头镇人民政府", reports, "桥头镇.toml")
    names = ["=cmd|' /C calc'!A0", "$\\frac{1}{0}$镇人民政府", "{{ notice.office }}局", "<w:p>局"]
    roster = roster_book(
        tmp_path / "名单.xlsx", [["保德县桥头镇人民政府", "乡镇", None], *([name, "部门", None] for name in names)]
    )
    book = load_workbook(roster)
    for row in book.active.iter_rows(min_row=3):
        if row[0].data_type == "f":  # openpyxl took the name for a formula: the office typed it as text
            row[0].value, row[0].data_type = names[0], "s"
    book.save(roster)
    notice_docx = tmp_path / "通报.docx"
    docgen.audit([reports], output=notice_docx, desk=docgen.Desk(roster=roster, office=OFFICE))
    table = _table(notice_docx)
    assert {row[1] for row in table[1:]} == {"保德县桥头镇人民政府", *names}
    parts = docxzip.members(notice_docx.read_bytes())
    body = parts["word/document.xml"].decode("utf-8")
    instructions = re.findall(
        r"<w:instrText[^>]*>([^<]*)<", "".join(part.decode("utf-8", "replace") for part in parts.values())
    )
    assert [text.strip() for text in instructions] == ["PAGE", "PAGE"] and "fldSimple" not in body
    assert not any(name.endswith((".bin", "vbaProject.bin")) for name in parts)
    assert _bar_pixels(_chart(notice_docx)) > 1000


def test_a_notice_without_a_roster_lists_the_reports_audited(tmp_path: Path) -> None:
    reports = tmp_path / "各单位"
    reports.mkdir()
    _as(DEPARTMENT, "保德县发展和改革局", reports, "发改局.toml")
    _as(TOWNSHIP, "保德县桥头镇人民政府", reports, "桥头镇.toml")
    notice_docx = tmp_path / "通报.docx"
    docgen.audit([reports], output=notice_docx)
    paragraphs = _paragraphs(notice_docx)
    assert not any(text.startswith("应公开年度报告的单位") for text in paragraphs)
    assert "本次审核未发现问题。" in paragraphs and "（发文机关）" in paragraphs
    assert [row[1:] for row in _table(notice_docx)[1:]] == [
        ["保德县发展和改革局", "—", "已公开", "无", "—", "—"],
        ["保德县桥头镇人民政府", "—", "已公开", "无", "—", "—"],
    ]
    assert f'name="{CHART_NAME}"' not in docxzip.members(notice_docx.read_bytes())["word/document.xml"].decode()


def test_an_output_that_is_neither_workbook_nor_document_is_refused(tmp_path: Path) -> None:
    result = run("audit", DEPARTMENT, "-o", tmp_path / "审核.pdf")
    assert result.returncode == 1 and "审核结果只能写成审核表（.xlsx）或通报（.docx）" in result.stderr
    assert not (tmp_path / "审核.pdf").exists()


def test_the_builtin_template_lints_clean_and_the_sample_fills_it() -> None:
    assert docgen.lint(builtin_template()) == []


def test_where_a_finding_stands_and_how_it_reads() -> None:
    from docgen.errors import Problem

    assert where(Problem("t3-balance", "", key="table3.new[0]")) == "表三“一、本年新收政府信息公开申请数量”行“自然人”列"
    assert where(Problem("t3-balance", "", key="table3")) == "表三"
    assert where(Problem("late", "", key="report.date")) == ""
    assert clause("晚于截止日期 25 天") == "晚于截止日期 25 天"
    assert clause("没有年度报告（未找到）。") == "没有年度报告（未找到）"
    assert clause("第一行\n  第二行。") == "第一行 第二行"
    entries = [Entry("甲局", "", "已公开", "a.docx", (), 2)]
    assert notice(entries, 2021).counts.doubts == 2 and notice(entries, 2021).office == "（发文机关）"

"""Every form a report is published in (issue 28): old Word .doc and WPS .wps through LibreOffice, OFD from
its own XML, and scans read by OCR — each read into the same data as the .docx it came from."""

from __future__ import annotations

import io
import os
from pathlib import Path

import hostile
import openpyxl
import pytest
from conftest import EXAMPLE, libreoffice_convert
from PIL import Image, ImageDraw
from test_cli import docgen as run
from test_extract import hand_made
from test_published import _ruled

import docgen
from docgen import limits
from docgen.formats import FORMATS

EXAMPLE_2020 = EXAMPLE.with_name("2020-county-2019-format.toml")


def _saved_as_doc(docx: bytes, soffice: str, folder: Path, name: str) -> bytes:
    """`docx` saved by LibreOffice as a Word 97–2003 document, as an office saves an attachment."""
    source = folder / f"{name}.docx"
    source.write_bytes(docx)
    return libreoffice_convert(soffice, source, "doc", folder, folder).read_bytes()


def _same_reading(read: docgen.Extraction, expected: docgen.Extraction) -> None:
    assert read.format == expected.format
    for table in ("table2", "table3", "table4"):
        assert read.data[table] == expected.data[table], table
    assert read.data["report"] == expected.data["report"]
    assert read.data["overview"] == expected.data["overview"]
    assert read.data.get("problems") == expected.data.get("problems")


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_a_hand_typed_report_saved_as_doc_reads_as_its_docx(
    soffice: str, tmp_path: Path, suffix: str, fmt: str
) -> None:
    typed = hand_made(fmt=fmt)
    old = _saved_as_doc(typed, soffice, tmp_path, "typed")
    assert old.startswith(b"\xd0\xcf\x11\xe0")
    # WPS Office saves its .wps as this same binary Word format under its own name.
    source = tmp_path / f"某县{suffix}"
    source.write_bytes(old)
    _same_reading(docgen.extract(source), docgen.extract(typed, "typed.docx"))


@pytest.mark.parametrize("example", [EXAMPLE, EXAMPLE_2020], ids=["2021", "2020"])
def test_a_rendered_report_saved_as_doc_reads_every_figure(soffice: str, tmp_path: Path, example: Path) -> None:
    rendered = docgen.render_bytes(example)
    read = docgen.extract(_saved_as_doc(rendered, soffice, tmp_path, "report"), "report.doc")
    _same_reading(read, docgen.extract(rendered, "report.docx"))
    assert docgen.check(docgen.loads(docgen.to_toml(read), "read.toml")) == []


def test_a_folder_with_doc_and_wps_files_is_audited(soffice: str, tmp_path: Path) -> None:
    folder = tmp_path / "各单位"
    folder.mkdir()
    old = _saved_as_doc(docgen.render_bytes(EXAMPLE), soffice, tmp_path, "report")
    (folder / "甲.doc").write_bytes(old)
    (folder / "乙.wps").write_bytes(old)
    result = run("audit", folder, "-o", tmp_path / "审核.xlsx")
    assert result.returncode == 0, result.stderr
    assert "审核了 2 份报告" in result.stdout and "2 份没有问题" in result.stdout
    assert "甲.doc\t保德县人民政府\t2021" in result.stdout and "乙.wps\t保德县人民政府\t2021" in result.stdout


def _fake_soffice(folder: Path, script: str) -> Path:
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    program.chmod(0o755)
    return program


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_a_doc_libreoffice_hangs_on_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_SOFFICE", str(_fake_soffice(tmp_path, "sleep 60")))
    monkeypatch.setattr(limits, "CONVERT_TIMEOUT", 1.0)
    with pytest.raises(docgen.DataError) as raised:
        docgen.extract(hostile.ole_file({"WordDocument": b"\xec\xa5"}), "卡住.doc")
    assert "超过 1 秒" in raised.value.problems[0].message


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_a_doc_libreoffice_cannot_open_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "DOCGEN_SOFFICE", str(_fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2"))
    )
    with pytest.raises(docgen.DataError) as raised:
        docgen.extract(hostile.ole_file({"WordDocument": b"\xec\xa5"}), "坏.doc")
    assert "未能打开" in raised.value.problems[0].message and "could not be loaded" in raised.value.problems[0].message


def test_without_libreoffice_the_message_says_how_to_install_it(tmp_path: Path) -> None:
    source = tmp_path / "旧.doc"
    source.write_bytes(hostile.ole_file({"WordDocument": b"\xec\xa5"}))
    result = run("extract", source, env={"DOCGEN_SOFFICE": str(tmp_path / "nowhere")})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "需要 LibreOffice" in result.stderr and "apt install" in result.stderr


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (hostile.ole_file({"Workbook": b"\x09\x08"}), "表格文件"),
        (hostile.encrypted_office_file(), "打开密码"),
        (hostile.ole_file({"PowerPoint Document": b"\x00"}), "看不出"),
    ],
    ids=["xls", "encrypted", "ppt"],
)
def test_other_office_files_named_doc_are_named_for_what_they_are(tmp_path: Path, content: bytes, said: str) -> None:
    source = tmp_path / "附件.doc"
    source.write_bytes(content)
    result = run("extract", source)
    assert result.returncode == 1 and said in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("damage", ["cut", "noise"])
def test_a_damaged_doc_is_refused_with_a_message(soffice: str, tmp_path: Path, damage: str) -> None:
    old = bytearray(_saved_as_doc(hand_made(), soffice, tmp_path, "typed"))
    if damage == "cut":
        old = old[: len(old) // 3]
    else:  # every 7th byte after the header overwritten
        old[512::7] = bytes(len(old[512::7]))
    source = tmp_path / "坏.doc"
    source.write_bytes(bytes(old))
    result = run("extract", source, "-o", tmp_path / "坏.toml")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "无法读取这份报告" in result.stderr or "没有找到年度报告" in result.stderr
    assert not (tmp_path / "坏.toml").exists()


# --- scans and photographs, read by OCR -----------------------------------------------------------------


def _text_pdf(docx: bytes, soffice: str, folder: Path, name: str) -> bytes:
    source = folder / f"{name}.docx"
    source.write_bytes(docx)
    return libreoffice_convert(soffice, source, "pdf", folder, folder).read_bytes()


def _signature_point(pdf: bytes, dpi: int, signature: str) -> tuple[int, tuple[int, int]]:
    """The page the signature stands on, and where on it, in pixels at `dpi` (its first characters are looked
    for: the PDF maps 人民 to look-alike code points)."""

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number in reversed(range(len(document.pages))):
            if found := document.pages[number].search(signature[:3]):
                return number, (int(found[-1]["x1"] * dpi / 72), int(found[-1]["top"] * dpi / 72))
    raise AssertionError(f"{signature} is not in the PDF")


def _figures(result: docgen.Extraction) -> dict[str, object]:
    return {table: result.data[table] for table in ("table2", "table3", "table4")}


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from conftest import required_program

    program = required_program("soffice", ".ci/run installs libreoffice-writer-nogui")
    return _text_pdf(docgen.render_bytes(EXAMPLE), program, tmp_path_factory.mktemp("example"), "example")


@pytest.mark.once
def test_a_scanned_report_reads_every_figure_as_its_docx(example_pdf: bytes) -> None:
    """The example printed, scanned at 150 dpi a little crooked on grey paper, with a grey seal over the
    signature (a black-and-white scan), saved as an image-only PDF."""
    import scans

    dpi = 150
    images = [
        scans.as_scanned(page, angle=0.6 if number % 2 else -0.4, seed=number)
        for number, page in enumerate(scans.pages(example_pdf, dpi))
    ]
    page, point = _signature_point(example_pdf, dpi, "保德县人民政府")
    images[page] = scans.stamped(images[page], 110, point)
    read = docgen.extract(scans.image_pdf(images, dpi), "扫描件.pdf")
    expected = docgen.extract(docgen.render_bytes(EXAMPLE), "report.docx")
    assert _figures(read) == _figures(expected)
    assert read.format == expected.format
    assert {key: read.data["report"][key] for key in ("issuer", "year", "date")} == {
        key: expected.data["report"][key] for key in ("issuer", "year", "date")
    }
    # every table marked as read by OCR, and nothing else to report
    assert sorted(problem.key for problem in read.warnings) == ["table2", "table3", "table4"]
    assert all(problem.rule == "extract-ocr" and "文字识别" in problem.message for problem in read.warnings)


@pytest.mark.once
def test_a_scan_of_tables_printed_without_rulings(tmp_path: Path) -> None:
    """The example with its tables' borders taken off, printed and scanned: the columns are found by the
    figures' spacing in what OCR reads. Scanned straight at 200 dpi every figure reads as the .docx's; a
    crooked 150 dpi scan may lose table 3's wrapped rows, and then they are doubt, never a fault."""
    import scans
    from conftest import required_program
    from test_pdf_tables import _without_rulings

    program = required_program("soffice", ".ci/run installs libreoffice-writer-nogui")
    pdf = _text_pdf(_without_rulings(docgen.render_bytes(EXAMPLE)), program, tmp_path, "plain")
    expected = docgen.extract(docgen.render_bytes(EXAMPLE), "report.docx")
    straight = docgen.extract(scans.image_pdf(scans.pages(pdf, 200), 200), "扫描件.pdf")
    assert _figures(straight) == _figures(expected)
    assert {problem.rule for problem in straight.warnings} <= {"extract-ocr", "extract-layout"}
    crooked = [
        scans.as_scanned(page, angle=0.6 if number % 2 else -0.4, seed=number)
        for number, page in enumerate(scans.pages(pdf, 150))
    ]
    (tmp_path / "歪扫.pdf").write_bytes(scans.image_pdf(crooked, 150))
    (outcome,) = docgen.audit([tmp_path / "歪扫.pdf"])
    assert outcome.errors == [], [problem.format() for problem in outcome.errors]


def test_a_photographed_table_page_in_colour_with_a_red_seal(example_pdf: bytes) -> None:
    """The page with table 3's header (fifteen columns) as a phone's JPEG: turned 1.5°, a red seal pressed on
    the table. Every row read has the figures of the .docx; a row the OCR garbled under the seal, and the rows on
    other pages, are reported as missing or unplaced, never read as other figures."""

    import pdfplumber
    import scans

    with pdfplumber.open(io.BytesIO(example_pdf)) as document:
        (number,) = [index for index, page in enumerate(document.pages) if "申请人情况" in (page.extract_text() or "")]
    page = scans.as_scanned(scans.pages(example_pdf, 200)[number], angle=1.5, seed=5)
    page = scans.stamped(page, (200, 30, 30), (page.width // 2, page.height // 3))
    read = docgen.extract(scans.encoded(page, "JPEG", quality=75), "表三.jpg")
    expected = docgen.extract(docgen.render_bytes(EXAMPLE), "report.docx")
    missing = {problem.key for problem in read.warnings if problem.rule == "extract-missing"}
    rows = [key for key, _ in FORMATS["2021"].table3_rows if key != "results.total" and f"table3.{key}" not in missing]
    assert len(rows) >= 8
    for key in rows:
        got, want = read.data["table3"], expected.data["table3"]
        for part in key.split("."):
            got, want = got[part], want[part]
        assert got == want, key


@pytest.mark.once
def test_a_scan_whose_figures_do_not_balance_is_doubt_not_fault(soffice: str, tmp_path: Path) -> None:
    """A hand-typed report whose table 3 does not add up: read from the .docx, the audit finds the report
    wrong; read from its scan, it cannot tell a misread figure from a wrong one — 读取存疑, exit 4."""
    import scans

    typed = _ruled(hand_made(new=[5, 1, 0, 0, 0, 0, 7]))  # 5 + 1 ≠ 7; tables ruled, as Word's 网格型 prints
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "原件.docx").write_bytes(typed)
    as_typed = run("audit", folder / "原件.docx", "-o", tmp_path / "原件.xlsx")
    assert as_typed.returncode == 1, as_typed.stdout + as_typed.stderr
    scan = scans.image_pdf(scans.pages(_text_pdf(typed, soffice, tmp_path, "typed"), 150), 150)
    (tmp_path / "扫描件.pdf").write_bytes(scan)
    scanned = run("audit", tmp_path / "扫描件.pdf", "-o", tmp_path / "扫描件.xlsx")
    assert scanned.returncode == 4, scanned.stdout + scanned.stderr
    assert "1 份读取存疑" in scanned.stdout.splitlines()[-1] and "0 份有错误" in scanned.stdout.splitlines()[-1]
    # The workbook that run wrote (the OCR is the slow part: read once): whatever it misread besides, nothing
    # is a fault, and the balance rules say the reading is in doubt.
    sheet = openpyxl.load_workbook(tmp_path / "扫描件.xlsx")["问题明细"]
    head, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    problems = [dict(zip(head, row)) for row in rows]
    assert problems and all(problem["严重程度"] != "错误" for problem in problems)
    balance = [problem for problem in problems if problem["规则"].startswith("t3")]
    assert balance and all(problem["严重程度"] == "读取存疑" for problem in balance)
    assert all("文字识别" in (problem["存疑之处（未能确定读出的内容）"] or "") for problem in balance)


def _sheet() -> Image.Image:
    """A page with a line of print on it (what the OCR would be given)."""
    page = Image.new("L", (620, 877), 242)
    ImageDraw.Draw(page).rectangle((60, 80, 560, 96), fill=30)
    return page


def test_without_the_ocr_extra_a_scan_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import scans

    from docgen.published import scan

    monkeypatch.setattr(scan, "available", lambda: False)
    for document, name in ((scans.encoded(_sheet()), "照片.png"), (scans.image_pdf([_sheet()], 72), "扫描.pdf")):
        with pytest.raises(docgen.DataError) as raised:
            docgen.extract(document, name)
        assert 'pip install "docgen-zwgk[ocr]"' in raised.value.problems[0].message


def _png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares `width` × `height` pixels, with one row of data: a decompression bomb's
    shape (the pixels would be allocated before the data is found short)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1)))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (_png_declaring(100_000, 100_000), "万像素"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "图片无法读取"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "图片无法读取"),
        (b"II*\x00" + bytes(50), "图片无法读取"),
        (_png_declaring(2, 4_000_000), "长宽相差太多"),
    ],
    ids=["bomb", "png-damaged", "jpeg-damaged", "tiff-damaged", "sliver"],
)
def test_a_hostile_image_is_refused_with_a_message(tmp_path: Path, content: bytes, said: str) -> None:
    source = tmp_path / "扫描.png"
    source.write_bytes(content)
    result = run("extract", source, "-o", tmp_path / "扫描.toml")
    assert result.returncode == 1 and said in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "扫描.toml").exists()


def test_a_pdf_declaring_a_giant_image_is_refused_before_it_is_decoded() -> None:
    image = b"<< /Type /XObject /Subtype /Image /Width 90000 /Height 90000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\0\nendstream"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>",
        b"<< /Length 28 >>\nstream\nq 595 0 0 842 0 0 cm /Im0 Do Q\nendstream",
        image,
    ]
    with pytest.raises(docgen.DataError) as raised:
        docgen.extract(hostile.pdf_of(objects), "巨图.pdf")
    assert "万像素" in raised.value.problems[0].message


# --- OFD ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["runs", "characters"])
def test_an_ofd_reads_as_the_pdf_it_was_made_from(example_pdf: bytes, layout: str) -> None:
    """The example's PDF written as OFD the way real producers write it: one text object per run (ofdrw,
    e-invoices) or per character with the size in the CTM, nested page blocks, glyph indices, an embedded font,
    rulings as thin filled bars and the page numbers in template pages (易转换)."""
    import ofds

    read = docgen.extract(ofds.from_pdf(example_pdf, layout), f"报告-{layout}.ofd")
    expected = docgen.extract(example_pdf, "报告.pdf")
    assert read.warnings == [] and read.format == expected.format
    assert read.data == expected.data  # every figure, paragraph, heading, the title, date and signature


def test_a_hand_typed_report_in_ofd(soffice: str, tmp_path: Path) -> None:
    import ofds

    pdf = _text_pdf(_ruled(hand_made(fmt="2019")), soffice, tmp_path, "typed")
    read = docgen.extract(ofds.from_pdf(pdf, "characters"), "某县.ofd")
    _same_reading(read, docgen.extract(_ruled(hand_made(fmt="2019")), "typed.docx"))


@pytest.mark.once
def test_an_image_only_ofd_is_read_by_ocr(example_pdf: bytes) -> None:
    """easyofd's pdf2ofd: every page one image, in its own namespace and scale — read through OCR."""
    import ofds
    import scans

    images = [scans.encoded(page) for page in scans.pages(example_pdf, 150)]
    read = docgen.extract(ofds.image_only(images), "图片版.ofd")
    expected = docgen.extract(example_pdf, "报告.pdf")
    assert _figures(read) == _figures(expected)
    assert {problem.rule for problem in read.warnings} == {"extract-ocr"}


def test_a_folder_with_an_ofd_is_audited(example_pdf: bytes, tmp_path: Path) -> None:
    import ofds

    (tmp_path / "保德.ofd").write_bytes(ofds.from_pdf(example_pdf))
    result = run("audit", tmp_path, "-o", tmp_path / "审核.xlsx")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "保德.ofd\t保德县人民政府\t2021" in result.stdout


def test_a_page_ruled_a_thousand_times_is_read_in_bounded_time(example_pdf: bytes) -> None:
    """Rulings past what any report draws: the page is read as text only (finding cells costs their cube)."""
    import ofds

    lines = "".join(
        f'<ofd:PathObject ID="{index}" Boundary="0 0 210 297" LineWidth="0.2"><ofd:AbbreviatedData>'
        + (f"M 0 {index * 0.2} L 210 {index * 0.2}" if index % 2 else f"M {index * 0.1} 0 L {index * 0.1} 297")
        + "</ofd:AbbreviatedData></ofd:PathObject>"
        for index in range(2000)
    )
    ofd = ofds.from_pdf(example_pdf)
    page = hostile.members(ofd)["Doc_0/Pages/Page_0/Content.xml"].decode()
    ofd = hostile.with_part(
        ofd, "Doc_0/Pages/Page_0/Content.xml", page.replace("</ofd:Layer>", lines + "</ofd:Layer>", 1).encode()
    )
    read = docgen.extract(ofd, "密集.ofd")
    assert read.data["report"]["issuer"] == "保德县人民政府"  # the page's text is still read


def _outlines_only(example_pdf: bytes) -> bytes:
    """An OFD whose text was drawn as glyph outlines (pdf2ofd, ofdrw's converter): paths, no text objects."""
    import ofds

    ofd = ofds.from_pdf(example_pdf)
    path = '<ofd:PathObject ID="9" Boundary="0 0 210 297" Fill="true" Stroke="false"><ofd:AbbreviatedData>M 1 1 B 2 2 3 3 4 1 C</ofd:AbbreviatedData></ofd:PathObject>'
    page = f'<?xml version="1.0"?><ofd:Page xmlns:ofd="{ofds.STANDARD}"><ofd:Content><ofd:Layer>{path * 300}</ofd:Layer></ofd:Content></ofd:Page>'
    for number in range(8):
        ofd = hostile.with_part(ofd, f"Doc_0/Pages/Page_{number}/Content.xml", page.encode())
    return ofd


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("doctype", "DOCTYPE"),
        ("no-document", "找不到"),
        ("broken-xml", "XML"),
        ("outlines", "画成图形"),
        ("escape", "找不到"),
        ("too-many", "超过 200000 个"),
    ],
)
def test_a_damaged_ofd_is_refused_with_a_message(example_pdf: bytes, tmp_path: Path, damage: str, said: str) -> None:
    import ofds

    ofd = ofds.from_pdf(example_pdf)
    if damage == "doctype":
        bomb = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">&b;</ofd:Page>'
        ofd = hostile.with_part(ofd, "Doc_0/Pages/Page_0/Content.xml", bomb)
    elif damage == "no-document":
        ofd = hostile.with_part(
            ofd, "OFD.xml", ofds._root(ofds.STANDARD, "ofd:").replace(b"Doc_0/Document.xml", b"Doc_9/Document.xml")
        )
    elif damage == "broken-xml":
        ofd = hostile.with_part(ofd, "Doc_0/Document.xml", b"<ofd:Document xmlns:ofd='x'><ofd:Pages>")
    elif damage == "outlines":
        ofd = _outlines_only(example_pdf)
    elif damage == "too-many":  # 300,000 characters in one text object
        text = f'<ofd:TextObject ID="1" Boundary="0 0 210 297" Size="3"><ofd:TextCode X="0" Y="3">{"字" * 300_000}</ofd:TextCode></ofd:TextObject>'
        page = f'<?xml version="1.0"?><ofd:Page xmlns:ofd="{ofds.STANDARD}"><ofd:Content><ofd:Layer>{text}</ofd:Layer></ofd:Content></ofd:Page>'
        ofd = hostile.with_part(ofd, "Doc_0/Pages/Page_0/Content.xml", page.encode())
    else:  # a page outside the package
        ofd = hostile.with_part(
            ofd, "OFD.xml", ofds._root(ofds.STANDARD, "ofd:").replace(b"Doc_0/Document.xml", b"../../etc/passwd")
        )
    source = tmp_path / "损坏.ofd"
    source.write_bytes(ofd)
    result = run("extract", source, "-o", tmp_path / "损坏.toml")
    assert result.returncode == 1 and said in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "损坏.toml").exists()


def test_a_template_named_thousands_of_times_is_drawn_once(example_pdf: bytes) -> None:
    """A page naming its template 50,000 times (a 1 KB bomb for a reader that draws each mention)."""
    import ofds

    ofd = ofds.from_pdf(example_pdf, "characters")
    page = hostile.members(ofd)["Doc_0/Pages/Page_0/Content.xml"].decode()
    start = page.index("<Template ")
    mention = page[start : page.index("/>", start) + 2]
    ofd = hostile.with_part(ofd, "Doc_0/Pages/Page_0/Content.xml", page.replace(mention, mention * 50_000, 1).encode())
    read = docgen.extract(ofd, "模板.ofd")
    assert read.data["report"]["issuer"] == "保德县人民政府" and read.data["report"]["year"] == 2021

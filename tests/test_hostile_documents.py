"""Hostile documents, round two (issue 29): PDFs whose streams inflate to gigabytes, workbooks whose strings or
styles would take gigabytes in openpyxl, files of another kind named .xlsx, pages declaring an encoding no
page can have, and a hostile upload to the web form. Each in a subprocess under a 1.5 GB address space and
60 s (test_hostile.run), each ending in a Chinese message that says what the file is, exit 1, no traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import hostile
import pytest
from conftest import EXAMPLE, libreoffice_convert
from test_hostile import _clean, _limited, run

import docgen
from docgen.workbook import workbook_bytes


@pytest.fixture(scope="module")
def book() -> bytes:
    return workbook_bytes(docgen.load(EXAMPLE))


@pytest.fixture(scope="module")
def resaved(soffice: str, book: bytes, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """docgen's workbook as LibreOffice saves it (with a shared strings part, as Excel and WPS write too)."""
    folder = tmp_path_factory.mktemp("resaved")
    (folder / "报告.xlsx").write_bytes(book)
    return libreoffice_convert(soffice, folder / "报告.xlsx", "xlsx", folder / "out", folder).read_bytes()


# --- PDFs ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: hostile.flate_bomb_pdf(), id="flate-1.2-GB"),
        pytest.param(lambda: hostile.flate_bomb_pdf(damaged_end=True), id="flate-1.2-GB-damaged-checksum"),
        pytest.param(lambda: hostile.run_length_bomb_pdf(), id="run-length-1.28-GB"),
    ],
)
def test_a_pdf_whose_streams_inflate_past_the_budget_is_refused(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.pdf"
    path.write_bytes(make())
    assert path.stat().st_size < 25 * 1024 * 1024
    result = run("extract", path)
    _clean(result)
    assert "解压后超过 16 MB" in result.stderr and "DOCGEN_MAX_PDF_MB" in result.stderr


def test_the_budget_is_per_document_and_can_be_raised(tmp_path: Path) -> None:
    from docgen.published import pdfbudget

    small = hostile.flate_bomb_pdf(size=8 * 1024 * 1024)  # within the budget: read (and found to hold no text)
    path = tmp_path / "spaces.pdf"
    path.write_bytes(small)
    result = run("extract", path)
    _clean(result)
    assert "既没有文字也没有图片" in result.stderr
    with pdfbudget.budget() as first:
        first.charge(10 * 1024 * 1024)
    with pdfbudget.budget() as second:
        assert second.remaining == 16 * 1024 * 1024, "each document starts with the whole budget"


def test_run_length_decoding_is_the_standards(tmp_path: Path) -> None:
    from docgen.published.pdfbudget import _run_length_decode

    assert _run_length_decode(b"\x02abc\xfeZ\x80ignored") == b"abcZZZ"
    assert _run_length_decode(b"") == b""
    assert _run_length_decode(b"\x05ab") == b"ab"  # cut short: what there is


# --- workbooks ----------------------------------------------------------------------------------------------


def _with_part(book: bytes, part: str, change) -> bytes:  # type: ignore[no-untyped-def]
    members = hostile.members(book)
    members[part] = change(members[part])
    return hostile.pack(members)


def test_a_workbook_with_a_56_mb_shared_strings_part_is_refused_before_openpyxl(resaved: bytes, tmp_path: Path) -> None:
    strings = b"<si><t>" + b"x" * (56 * 1024 * 1024) + b"</t></si>"
    path = tmp_path / "strings.xlsx"
    path.write_bytes(
        _with_part(resaved, "xl/sharedStrings.xml", lambda xml: xml.replace(b"<si>", strings + b"<si>", 1))
    )
    result = run("check", path)
    _clean(result)
    assert "xl/sharedStrings.xml 解压后有 56 MB，超过上限 32 MB" in result.stdout + result.stderr


def test_a_workbook_with_a_million_short_strings_is_refused(resaved: bytes, tmp_path: Path) -> None:
    path = tmp_path / "many-strings.xlsx"
    path.write_bytes(
        _with_part(
            resaved,
            "xl/sharedStrings.xml",
            lambda xml: xml.replace(b"<si>", b"<si><t>1</t></si>" * 1_000_000 + b"<si>", 1),
        )
    )
    result = run("check", path)
    _clean(result)
    assert "文字条目合计超过上限 200000 个" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("xf", "expected"),
    [
        (b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>', "xl/styles.xml 解压后有 45 MB，超过上限 32 MB"),
        (b"<xf/>", "单元格格式合计超过上限 20000 个"),  # 4 MB: counted
    ],
)
def test_a_workbook_with_900000_cell_styles_is_refused(xf: bytes, expected: str, book: bytes, tmp_path: Path) -> None:
    path = tmp_path / "styles.xlsx"
    path.write_bytes(
        _with_part(
            book,
            "xl/styles.xml",
            lambda xml: xml.replace(b"<cellXfs", b"<cellStyleXfs>" + xf * 900_000 + b"</cellStyleXfs><cellXfs", 1),
        )
    )
    result = run("check", path)
    _clean(result)
    assert expected in result.stdout + result.stderr


def _checked_as_xlsx(converted: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`docgen check` of a file LibreOffice wrote, renamed .xlsx: refused cleanly (exit 1, no traceback)."""
    renamed = tmp_path / "改名.xlsx"
    renamed.write_bytes(converted.read_bytes())
    result = run("check", renamed)
    _clean(result)
    return result


def test_an_xls_saved_by_libreoffice_and_named_xlsx_is_told_what_it_is(
    soffice: str, book: bytes, tmp_path: Path
) -> None:
    source = tmp_path / "报告.xlsx"
    source.write_bytes(book)
    result = _checked_as_xlsx(libreoffice_convert(soffice, source, "xls", tmp_path / "out", tmp_path), tmp_path)
    assert "旧版 Excel 工作簿（.xls）" in result.stdout + result.stderr
    assert "不是 .docx" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda book: hostile.encrypted_office_file(), "设有打开密码"),
        (
            lambda book: _with_part(
                hostile.pack({**hostile.members(book), "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
                "[Content_Types].xml",
                lambda xml: xml.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ),
            ),
            "启用宏的工作簿（.xlsm）",
        ),
        (lambda book: docgen.render_bytes(EXAMPLE), "这是 Word 文档（.docx）"),
        (lambda book: hostile.flate_bomb_pdf(size=1024), "这是 PDF 文件"),
        (lambda book: "机关名称,年度\n保德县人民政府,2021\n".encode("gbk"), "不是 Excel 工作簿"),
    ],
    ids=["encrypted", "xlsm", "docx", "pdf", "csv"],
)
def test_another_kind_of_file_named_xlsx_is_told_what_it_is(make, expected: str, book: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "报告.xlsx"
    path.write_bytes(make(book))
    result = run("check", path)
    _clean(result)
    assert expected in result.stdout + result.stderr and "不是 .docx" not in result.stdout + result.stderr


# --- pages ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["undefined", "idna", "punycode", "rot13", "base64", "utf-7", "mbcs", "x-unknown"])
def test_a_page_declaring_an_encoding_no_page_has_is_read_as_chinese(charset: str, tmp_path: Path) -> None:
    body = f'<html><head><meta charset="{charset}"><title>保德县人民政府2021年政府信息公开工作年度报告</title></head>'
    body += "<body><h1>保德县人民政府2021年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>（一）主动公开</p><p>本年度主动公开政府信息。</p></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(body.encode("gb18030"))
    result = run("extract", path, "-o", tmp_path / "out.toml")
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr and result.returncode in (0, 1)
    if result.returncode == 0:
        assert "保德县人民政府" in (tmp_path / "out.toml").read_text(encoding="utf-8")


# --- the web form -----------------------------------------------------------------------------------------------


def test_a_hostile_upload_to_the_web_form_is_a_message_within_the_memory_cap(tmp_path: Path) -> None:
    folder = tmp_path / "workspace"
    folder.mkdir()
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(hostile.flate_bomb_pdf())
    script = textwrap.dedent(
        f"""
        import re, sys
        from starlette.testclient import TestClient
        from docgen.serve import create_app
        client = TestClient(create_app({str(folder)!r}), base_url="http://127.0.0.1:8000")
        token = re.search(r'name="_csrf" value="([^"]+)"', client.get("/").text).group(1)
        with open({str(bomb)!r}, "rb") as upload:
            answer = client.post("/new", data={{"_csrf": token, "kind": "upload"}}, files={{"document": ("报告.pdf", upload, "application/pdf")}})
        print(answer.status_code)
        print(answer.text)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, preexec_fn=_limited
    )
    assert result.returncode == 0, result.stderr
    status, _, page = result.stdout.partition("\n")
    assert status == "400" and "解压后超过 16 MB" in page
    assert list(folder.iterdir()) == []


def test_a_font_map_declaring_billions_of_codes_is_refused(tmp_path: Path) -> None:
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00000000> <FFFFFFFF>"
        b" endcodespacerange 1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange endcmap end end"
    )
    path = tmp_path / "map.pdf"
    path.write_bytes(hostile.pdf_with_font_map(cmap))
    result = run("extract", path)
    _clean(result)
    assert "解压后超过 16 MB" in result.stderr


def test_a_fax_image_as_page_content_is_not_decoded(tmp_path: Path) -> None:
    path = tmp_path / "fax.pdf"
    path.write_bytes(
        hostile.pdf_with_stream(b"\x00" * 3000, "/CCITTFaxDecode", "/DecodeParms << /K -1 /Columns 100000 >> ")
    )
    result = run("extract", path)
    _clean(result)


def test_cells_are_counted_over_all_sheets_together(book: bytes, tmp_path: Path) -> None:
    members = hostile.members(book)
    sheet = next(name for name in members if name.startswith("xl/worksheets/"))
    row = b'<row r="1">' + b"<c/>" * 150_000 + b"</row>"
    for number in range(2):  # 300,000 cells in two parts, each under the limit
        members[f"xl/worksheets/extra{number}.xml"] = members[sheet].replace(b"<sheetData>", b"<sheetData>" + row, 1)
    path = tmp_path / "sheets.xlsx"
    path.write_bytes(hostile.pack(members))
    result = run("check", path)
    _clean(result)
    assert "单元格合计超过上限 200000 个" in result.stdout + result.stderr


def test_a_word_97_document_named_xlsx_is_told_what_it_is(soffice: str, tmp_path: Path) -> None:
    """A .doc LibreOffice writes from a report whose text mentions "Workbook": the file is told apart by the
    streams its OLE directory names, not by words anywhere in it."""
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "无其他需报告的事项。", "附件：Workbook 与 EncryptedPackage 说明。"
    )
    source = tmp_path / "报告.docx"
    source.write_bytes(docgen.render_bytes(docgen.loads(text, "2021.toml")))
    result = _checked_as_xlsx(libreoffice_convert(soffice, source, "doc", tmp_path / "out", tmp_path), tmp_path)
    assert "Word/WPS 文字文档" in result.stdout + result.stderr

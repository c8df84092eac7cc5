"""Issue 29: no workbook docgen writes carries a formula it did not mean to write. Reports whose every text
(issuer, title, preamble, headings, sub-section titles, paragraphs, enumerations, signature, figure names)
starts with a character a spreadsheet reads as the start of a formula, in files whose names start with it too,
go through every command that writes a workbook — audit, sum --by, compare, convert, init, extract, serve's
download — and each cell of each sheet's XML is read back: text is a string cell holding the text, marked with
the quote prefix; the only formulas are docgen's own SUM and 勾稽 ones."""

from __future__ import annotations

import copy
import io
import os
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE
from lxml import etree

import docgen
from docgen.datafile import data_file_bytes
from docgen.xlsxout import FORMULA_LEADS, Formula, new_book, put, to_bytes

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Payloads in the forms attacks take: a link that calls out, a DDE command, arithmetic.
PAYLOADS = {
    "=": '=HYPERLINK("http://example.invalid/x","点击")',
    "+": "+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}
# The only formulas docgen writes: a row's or column's SUM and table 3's 勾稽 check, over cell references.
OWN_FORMULA = re.compile(
    r"SUM\([A-Z]+\d+:[A-Z]+\d+\)|IF\([A-Z]+\d+\+[A-Z]+\d+=[A-Z]+\d+\+[A-Z]+\d+,\"[^\"]*\",\"[^\"]*\"\)"
)


def _hostile_data(lead: str) -> dict[str, Any]:
    """The example report with every text it has starting with `lead`'s payload."""
    with EXAMPLE.open("rb") as stream:
        data = tomllib.load(stream, parse_float=Decimal)
    data = copy.deepcopy(data)
    payload = PAYLOADS[lead]

    def poisoned(node: Any, path: tuple[str, ...] = ()) -> Any:
        if isinstance(node, dict):
            return {key: poisoned(value, (*path, key)) for key, value in node.items()}
        if isinstance(node, list):
            return [poisoned(value, path) for value in node]
        if isinstance(node, str) and path[:1] not in (("format",), ("style",)) and path[-1:] != ("separator",):
            return payload + node
        return node

    data = poisoned(data)
    report = data["report"]
    report["issuer"] = payload + f"县人民政府{ord(lead)}"
    report["title"] = [payload + "县人民政府", payload + "2021年政府信息公开工作年度报告"]
    report["preamble"] = [payload + "根据《条例》规定，编制本报告。"]
    report["signature"] = payload + "县人民政府"
    data["headings"] = {"overview": payload + "总体情况", "problems": payload + "存在的主要问题及改进情况"}
    data["figures"][payload + "热线"] = 7
    return data


def _toml(data: dict[str, Any]) -> bytes:
    return data_file_bytes(docgen.from_dict(data, name="hostile"), ".toml", "")


def _file_name(lead: str, suffix: str) -> str:
    return f"{lead}1+1{ord(lead)}{suffix}"


def cells(workbook: bytes) -> list[tuple[str, str, str, str | None, bool]]:
    """Every cell of every sheet: (sheet part, reference, type, formula text or None, quote-prefixed), with
    the cell's text (inline or shared) in place of the formula for text cells."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as package:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in package.namelist():
            root = etree.fromstring(package.read("xl/sharedStrings.xml"))
            shared = ["".join(item.itertext()) for item in root.iter(f"{S}si")]
        styles = etree.fromstring(package.read("xl/styles.xml"))
        quoted = [xf.get("quotePrefix") in ("1", "true") for xf in styles.find(f"{S}cellXfs")]
        found = []
        for part in sorted(name for name in package.namelist() if name.startswith("xl/worksheets/sheet")):
            for cell in etree.fromstring(package.read(part)).iter(f"{S}c"):
                kind = cell.get("t", "n")
                formula = cell.find(f"{S}f")
                if formula is not None:
                    content: str | None = "=" + (formula.text or "")
                    kind = "f"
                elif kind == "inlineStr":
                    text = cell.find(f"{S}is")
                    content = "".join(text.itertext()) if text is not None else ""
                elif kind == "s":
                    content = shared[int(cell.find(f"{S}v").text)]
                else:
                    value = cell.find(f"{S}v")
                    content = value.text if value is not None else None
                found.append((part, cell.get("r"), kind, content, quoted[int(cell.get("s", "0"))]))
        return found


def assert_inert(workbook: bytes, payloads: list[str]) -> None:
    """No formula but docgen's own, no error value, every risky text quote-prefixed, and each payload there
    as text (so the check is not passing on a workbook that lost the texts)."""
    seen_payloads = set()
    for part, reference, kind, content, quoted in cells(workbook):
        where = f"{part}!{reference}: {content!r}"
        assert kind != "e", where
        if kind == "f":
            assert content is not None and OWN_FORMULA.fullmatch(content[1:]), where
            continue
        if kind in ("s", "inlineStr", "str") and content:
            if content.startswith(FORMULA_LEADS):
                assert quoted, where
            seen_payloads |= {payload for payload in payloads if payload in content}
    assert seen_payloads == set(payloads), set(payloads) - seen_payloads


def test_the_writer_keeps_text_as_text_and_formulas_only_where_meant() -> None:
    book = new_book()
    sheet = book.active
    texts = [*PAYLOADS.values(), "#N/A", "=", "普通文字", "a\x01b"]
    for row, text in enumerate(texts, start=1):
        put(sheet, row, 1, text)
    put(sheet, 1, 2, Formula("=SUM(A1:A2)"))
    sheet.cell(2, 2).value = "=1+1"  # written past the writer: still text when saved
    put(sheet, 1, 3, Formula("=SUM(A1:A2)"))
    put(sheet, 1, 3, "=2+2")  # a formula cell overwritten with text is text
    found = {reference: (kind, content, quoted) for _, reference, kind, content, quoted in cells(to_bytes(book))}
    assert found["B1"] == ("f", "=SUM(A1:A2)", False)
    assert found["B2"][:2] == ("inlineStr", "=1+1") and found["B2"][2]
    assert found["C1"][:2] == ("inlineStr", "=2+2")
    for row, text in enumerate(texts, start=1):
        kind, content, quoted = found[f"A{row}"]
        assert kind == "inlineStr"
        assert content == text.replace("\x01", "")
        assert quoted == text.startswith(FORMULA_LEADS)


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six reports, one per leading character, as data files and as rendered .docx, named after it too."""
    folder = tmp_path_factory.mktemp("hostile") / "各单位"
    folder.mkdir()
    for lead in PAYLOADS:
        data = _hostile_data(lead)
        (folder / _file_name(lead, ".toml")).write_bytes(_toml(data))
        (folder / _file_name(lead, ".docx")).write_bytes(docgen.render_bytes(docgen.from_dict(data, name="x")))
    return folder


def _docgen(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env
    )


def _all_payloads() -> list[str]:
    return list(PAYLOADS.values())


def test_audit_and_sum_write_inert_workbooks(hostile_folder: Path, tmp_path: Path) -> None:
    audited = _docgen("audit", hostile_folder, "-o", tmp_path / "审核.xlsx", cwd=tmp_path)
    assert audited.returncode in (0, 1) and "Traceback" not in audited.stderr, audited.stderr
    assert_inert((tmp_path / "审核.xlsx").read_bytes(), _all_payloads())
    names = {cell[3] for cell in cells((tmp_path / "审核.xlsx").read_bytes())}
    assert {_file_name(lead, suffix) for lead in PAYLOADS for suffix in (".toml", ".docx")} <= names

    toml_only = tmp_path / "data"
    toml_only.mkdir()
    for source in hostile_folder.glob("*.toml"):
        (toml_only / source.name).write_bytes(source.read_bytes())
    summed = _docgen(
        "sum",
        toml_only,
        "-o",
        tmp_path / "汇总.toml",
        "--issuer",
        "=1+1县",
        "--by",
        tmp_path / "分单位.xlsx",
        cwd=tmp_path,
    )
    assert summed.returncode == 0, summed.stderr
    assert_inert((tmp_path / "分单位.xlsx").read_bytes(), _all_payloads())


@pytest.mark.parametrize("lead", list(PAYLOADS), ids=[f"U+{ord(lead):04X}" for lead in PAYLOADS])
def test_every_data_workbook_is_inert(lead: str, hostile_folder: Path, tmp_path: Path) -> None:
    source = hostile_folder / _file_name(lead, ".toml")
    payload = [PAYLOADS[lead]]

    converted = tmp_path / _file_name(lead, ".xlsx")
    assert _docgen("convert", source, converted, cwd=tmp_path).returncode == 0
    assert_inert(converted.read_bytes(), payload)
    issuer = _hostile_data(lead)["report"]["issuer"]  # and the texts are there as they were written
    assert issuer in {content for _, _, _, content, _ in cells(converted.read_bytes())}

    started = tmp_path / "next.xlsx"
    assert _docgen("init", "--from", source, "-o", started, cwd=tmp_path).returncode == 0
    assert_inert(started.read_bytes(), payload)

    extracted = tmp_path / "extracted.xlsx"
    result = _docgen("extract", hostile_folder / _file_name(lead, ".docx"), "-o", extracted, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # Word keeps no carriage return or tab at the start of a paragraph as typed: the text after it is what came back.
    assert_inert(extracted.read_bytes(), [PAYLOADS[lead].lstrip("\t\r")])

    compared = tmp_path / "对比.xlsx"
    assert _docgen("compare", EXAMPLE, source, "-o", compared, cwd=tmp_path).returncode == 0
    assert_inert(compared.read_bytes(), [PAYLOADS[lead] + "热线"])


def test_serves_workbook_download_is_inert(hostile_folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("starlette", reason="the serve extra is part of the test extra: pip install -e '.[test]'")
    from starlette.testclient import TestClient

    from docgen.serve import create_app

    folder = tmp_path / "workspace"
    folder.mkdir()
    name = "2021-hostile.toml"
    (folder / name).write_bytes((hostile_folder / _file_name("=", ".toml")).read_bytes())
    client = TestClient(create_app(folder), base_url="http://127.0.0.1:8000")
    response = client.get(f"/r/{name}/download/xlsx")
    assert response.status_code == 200
    assert_inert(response.content, [PAYLOADS["="]])


def test_dates_and_numbers_stay_values(tmp_path: Path) -> None:
    """The writer changes nothing for what is not text: the date stays a date, figures stay numbers."""
    original = docgen.load(EXAMPLE)
    workbook = docgen.convert(EXAMPLE, tmp_path / "x.xlsx")
    kinds = [kind for _, _, kind, _, _ in cells(workbook.read_bytes())]
    assert kinds.count("n") > 100  # the figures of tables 2–4
    reread = docgen.load(workbook)
    assert reread.report.date == original.report.date
    assert reread.table3 == original.table3 and reread.figures == original.figures

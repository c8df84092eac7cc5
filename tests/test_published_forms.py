"""Every form a report is published in (issue 28): old Word .doc and WPS .wps through LibreOffice, OFD from
its own XML, and scans read by OCR — each read into the same data as the .docx it came from."""

from __future__ import annotations

import os
from pathlib import Path

import hostile
import pytest
from conftest import EXAMPLE, libreoffice_convert
from test_cli import docgen as run
from test_extract import hand_made

import docgen
from docgen import limits

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

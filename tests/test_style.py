"""[style], a template of one's own, and untrusted templates."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import docx_units
from lxml import etree

import docgen
from docgen.render import BUILTIN_TEMPLATE

Make = Callable[..., Path]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def style_fonts(docx: bytes) -> dict[str, str]:
    styles = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/styles.xml"))
    fonts = {}
    for style in styles.iter(f"{W}style"):
        found = style.find(f"{W}rPr/{W}rFonts")
        if found is not None:
            fonts[style.get(f"{W}styleId")] = found.get(f"{W}eastAsia")
    return fonts


def body_runs_without_fonts(docx: bytes) -> bool:
    document = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    return all(run.find(f"{W}rPr/{W}rFonts") is None for run in document.iter(f"{W}r"))


def test_style_sets_fonts_size_and_date_form(make_data: Make, tmp_path: Path) -> None:
    data = make_data(
        (
            r"^\[report\]",
            '[style]\nbody_font = "方正仿宋_GBK"\ntitle_font = "方正小标宋_GBK"\nheading1_font = "方正黑体_GBK"\n'
            'heading2_font = "方正楷体_GBK"\ntable_size = 12\ndate = "chinese"\n\n[report]',
        )
    )
    docx = docgen.render(data, tmp_path / "out.docx").read_bytes()
    fonts = style_fonts(docx)
    assert fonts["Normal"] == "方正仿宋_GBK"  # every body run follows Normal: none carries a font of its own
    assert (fonts["ReportTitle"], fonts["Heading1"], fonts["Heading2Char"]) == (
        "方正小标宋_GBK",
        "方正黑体_GBK",
        "方正楷体_GBK",
    )
    assert body_runs_without_fonts(docx)
    styles = zipfile.ZipFile(io.BytesIO(docx)).read("word/styles.xml").decode()
    assert '<w:style w:type="paragraph" w:styleId="TableText">' in styles
    table_text = styles.split('w:styleId="TableText"')[1].split("</w:style>")[0]
    assert '<w:sz w:val="24"/><w:szCs w:val="24"/>' in table_text
    assert docx_units(docx)[-1] == "二〇二二年二月十八日"


def test_default_style_keeps_the_official_fonts(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    fonts = style_fonts(docgen.render(EXAMPLE, tmp_path / "out.docx").read_bytes())
    assert (fonts["Normal"], fonts["ReportTitle"], fonts["Heading1"], fonts["Heading2Char"]) == (
        "仿宋_GB2312",
        "方正小标宋简体",
        "黑体",
        "楷体_GB2312",
    )


@pytest.mark.parametrize(
    ("edit", "words"),
    [(("table_size = 12", "table_size = 9"), ["table_size"]), (('date = "chinese"', 'date = "中文"'), ["arabic"])],
)
def test_style_values_are_checked(make_data: Make, edit: tuple[str, str], words: list[str]) -> None:
    data = make_data((r"^\[report\]", f"[style]\n{edit[1]}\n\n[report]"))
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(data)
    (problem,) = caught.value.problems
    assert problem.key.startswith("style.") and all(word in problem.format() for word in words)


def _custom_template(tmp_path: Path, name: str, part: str, old: bytes, new: bytes) -> Path:
    source = zipfile.ZipFile(BUILTIN_TEMPLATE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.namelist():
            content = source.read(member)
            if member == part:
                assert old in content
                content = content.replace(old, new)
            target.writestr(member, content)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def test_template_named_in_the_data_file_relative_to_it(make_data: Make, tmp_path: Path) -> None:
    _custom_template(
        tmp_path,
        "本县模板.docx",
        "word/document.xml",
        "一、{{ headings.overview }}".encode(),
        "第一部分 {{ headings.overview }}".encode(),
    )
    data = make_data((r"^\[report\]", 'template = "本县模板.docx"\n\n[report]'))
    units = docx_units(docgen.render(data, tmp_path / "out.docx").read_bytes())
    assert "第一部分总体情况" in units


@pytest.mark.parametrize(
    ("part", "old"),
    [
        ("word/document.xml", b"{{ signature }}"),
        ("word/footer1.xml", b"\xe2\x80\x94 </w:t>"),
        ("docProps/core.xml", b"<dc:creator>docgen</dc:creator>"),
    ],
)
def test_template_reaching_for_python_internals_is_refused(tmp_path: Path, part: str, old: bytes) -> None:
    from conftest import EXAMPLE

    payload = b"{{ ''.__class__.__mro__[1].__subclasses__() }}"
    new = (
        old.replace(b"{{ signature }}", payload)
        if b"signature" in old
        else (
            old.replace(b"</w:t>", payload + b"</w:t>")
            if b"w:t" in old
            else b"<dc:creator>" + payload + b"</dc:creator>"
        )
    )
    template = _custom_template(tmp_path, "evil.docx", part, old, new)
    with pytest.raises(docgen.TemplateFileError) as caught:
        docgen.render(EXAMPLE, tmp_path / "out.docx", template=template)
    assert "不允许" in caught.value.problems[0].message
    assert not (tmp_path / "out.docx").exists()

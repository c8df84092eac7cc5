"""docgen template lint/export: broken templates are caught, located and refused before rendering."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from conftest import EXAMPLE, docx_units
from test_cli import docgen

import docgen as api
from docgen.lint import lint
from docgen.render import BUILTIN_TEMPLATE


def edited_template(path: Path, edits: dict[str, list[tuple[str, str]]]) -> Path:
    source = zipfile.ZipFile(BUILTIN_TEMPLATE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.namelist():
            content = source.read(member).decode("utf-8")
            for old, new in edits.get(member, []):
                assert old in content, old
                content = content.replace(old, new, 1)
            target.writestr(member, content.encode("utf-8"))
    path.write_bytes(buffer.getvalue())
    return path


BROKEN = {
    "word/document.xml": [
        ("{{ signature }}", "{{ signatrue }}"),
        ("二、{{ headings.proactive }}", "二、{% if year %}{{ headings.proactive }}"),
        ("{{ table3.new[1]|num }}", "{{ table3.new[1]|nmu }}"),
        ("{{ table3.new[0]|num }}", "0"),
        (
            '<w:t xml:space="preserve">一、{{ headings.overview }}</w:t>',
            '<w:t xml:space="preserve">一、{</w:t></w:r><w:r><w:t xml:space="preserve">{ headings.overview }}</w:t>',
        ),
    ],
    "word/footer1.xml": [("— </w:t>", "— {{ ''.__class__.__mro__ }}</w:t>")],
}


def test_builtin_template_is_clean() -> None:
    assert lint(BUILTIN_TEMPLATE) == []


def test_every_problem_is_named_with_its_place(tmp_path: Path) -> None:
    template = edited_template(tmp_path / "bad.docx", BROKEN)
    found = {problem.rule: problem.message for problem in lint(template)}
    messages = [problem.message for problem in lint(template)]
    assert len(messages) == 6
    assert any("未知的名称 signatrue，是否想写 signature" in m and "正文第27段" in m for m in messages)
    assert any("{% if %} 没有对应的 {% endif %}" in m and "二、{% if year %}" in m for m in messages)
    assert any("未知的过滤器 nmu，是否想写 num" in m and "第2个表格第4行第3格" in m for m in messages)
    assert "第2个表格第4行第2格" in found["template-cell"]
    assert "被 Word 拆到了不同的文字段" in found["template-split"]
    assert "页脚1" in found["template-security"] and "__mro__" in found["template-security"]


def test_cli_lint_exits_1_and_render_writes_nothing(tmp_path: Path) -> None:
    template = edited_template(tmp_path / "bad.docx", BROKEN)
    result = docgen("template", "lint", template)
    assert result.returncode == 1 and "发现 6 个问题" in result.stderr
    out = tmp_path / "out.docx"
    result = docgen("render", EXAMPLE, "-o", out, "--template", template)
    assert result.returncode == 1 and "signatrue" in result.stderr and not out.exists()


def test_not_a_docx(tmp_path: Path) -> None:
    old_word = tmp_path / "report.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)  # an OLE2 (.doc) header
    (problem,) = lint(old_word)
    assert "另存为" in problem.message
    no_document = tmp_path / "empty.docx"
    with zipfile.ZipFile(no_document, "w") as archive:
        archive.writestr("hello.txt", "x")
    assert "不是 .docx" in lint(no_document)[0].message


def test_export_then_style_and_reworded_heading_render(tmp_path: Path, make_data) -> None:
    result = docgen("template", "export", tmp_path / "mine")
    assert result.returncode == 0
    exported = tmp_path / "mine" / "annual-report-2021.docx"
    assert exported.read_bytes() == BUILTIN_TEMPLATE.read_bytes()
    assert docgen("template", "export", tmp_path / "mine").returncode == 1  # never overwrites without --force
    data = make_data(
        (r"^\[report\]", f'template = "{exported}"\n\n[style]\nbody_font = "方正仿宋_GBK"\n\n[report]'),
        (r"^# \[headings\].*$", '[headings]\nproblems = "政府信息公开工作存在的主要问题及改进情况"'),
    )
    docx = api.render(data, tmp_path / "out.docx").read_bytes()
    assert "五、政府信息公开工作存在的主要问题及改进情况" in docx_units(docx)
    assert 'w:eastAsia="方正仿宋_GBK"' in zipfile.ZipFile(io.BytesIO(docx)).read("word/styles.xml").decode()

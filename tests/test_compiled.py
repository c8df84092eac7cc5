"""Compile once, render many: the compiled template renders what docxtpl itself renders, a batch gives the
bytes single renders give, a changed template file is compiled again, and a custom template whose tags cut
through the document's structure is refused instead of written broken."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree

from docgen import docxzip
from docgen.api import render_bytes, template_for
from docgen.batch import render_many
from docgen.derive import derive
from docgen.errors import TemplateFileError
from docgen.load import load
from docgen.render import render as render_document
from docgen.sandbox import environment
from docgen.variables import context

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.toml"))


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def docxtpl_render(template: Path, variables: dict[str, object]) -> dict[str, bytes]:
    """The obvious docxtpl way, in docgen's sandbox: open, render, save."""
    document = DocxTemplate(template)
    document.render(variables, environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return docxzip.members(buffer.getvalue())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_compiled_template_renders_what_docxtpl_renders(example: Path) -> None:
    report = load(example)
    derived = derive(report)
    ours = docxzip.members(render_document(report, derived, template_for(report)))
    theirs = docxtpl_render(template_for(report), context(report, derived))
    assert list(ours) == list(theirs), "the same members in the same order"
    # document properties differ by design (title, author, 成文日期 as dates); every other part is the same XML
    for name in theirs:
        if name != "docProps/core.xml":
            assert canonical(ours[name]) == canonical(theirs[name]), name
    assert zipfile.ZipFile(io.BytesIO(render_document(report, derived, template_for(report)))).testzip() is None


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_output_is_byte_identical_to_single_renders(tmp_path: Path, jobs: int) -> None:
    sources = []
    for example in EXAMPLES:
        copy = tmp_path / example.name
        shutil.copy(example, copy)
        sources.append(copy)
    (tmp_path / "out").mkdir()
    outcomes = render_many(sources, tmp_path / "out", jobs=jobs)
    assert all(outcome.ok for outcome in outcomes), [outcome.problems for outcome in outcomes]
    for source, outcome in zip(sources, outcomes):
        assert outcome.output is not None
        assert outcome.output.read_bytes() == render_bytes(source), source.name


def test_a_changed_template_file_is_compiled_again(tmp_path: Path) -> None:
    template = tmp_path / "mine.docx"
    shutil.copy(template_for(load(EXAMPLE)), template)
    report = load(EXAMPLE)
    first = render_bytes(report, template)
    members = docxzip.members(template.read_bytes())
    members["word/document.xml"] = members["word/document.xml"].replace("六、".encode(), "陆、".encode())
    template.write_bytes(docxzip.pack(members.items()))
    os.utime(template, ns=(1, 1))  # a different modification time even on a coarse clock
    second = render_bytes(report, template)
    assert "陆、".encode() not in docxzip.members(first)["word/document.xml"]
    assert "陆、".encode() in docxzip.members(second)["word/document.xml"]


def test_tags_cutting_through_the_structure_are_refused(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("{% if report.year > 3000 %}开头")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "表内{% endif %}"
    template = tmp_path / "cut.docx"
    document.save(template)
    report = load(EXAMPLE)
    with pytest.raises(TemplateFileError) as raised:
        render_document(report, derive(report), template)
    [problem] = raised.value.problems
    assert problem.file == str(template) and "文档结构不完整" in problem.message and "{%p" in problem.message


def test_escaped_markers_print_jinjas_and_a_values_own_text_is_left_alone(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("写法：{_{ report.year }_}、{_% if x %_}；机关：{{ report.issuer }}")
    document.add_paragraph("{}_}{% raw %}{_{ x }_}{% endraw %}{_%_}")
    template = tmp_path / "escaped.docx"
    document.save(template)
    report = load(EXAMPLE)
    rendered = Document(io.BytesIO(render_document(report, derive(report), template))).paragraphs
    expected = docxtpl_render(template, context(report, derive(report)))["word/document.xml"].decode()
    printed = [paragraph.text for paragraph in rendered[:2]]
    assert printed == ["写法：{{ report.year }}、{% if x %}；机关：保德县人民政府", "{}}{{ x }}{%}"]
    assert all(text in expected for text in printed)  # as docxtpl itself prints them
    odd = report.model_copy(update={"report": report.report.model_copy(update={"issuer": "某局{_{}_}"})})
    printed = Document(io.BytesIO(render_document(odd, derive(odd), template))).paragraphs[0].text
    assert "}_}" not in docxtpl_render(template, context(odd, derive(odd)))["word/document.xml"].decode()
    assert printed.endswith("机关：某局{_{}_}")  # docxtpl itself would print 某局{{}}

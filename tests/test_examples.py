"""Every example renders with the official template, and reads back as the body that wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, docx_tables, docx_units

import docgen
import docgen.formatting

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def test_there_are_examples_for_a_government_a_department_and_a_township() -> None:
    issuers = {docgen.load(path).report.issuer for path in EXAMPLES}
    assert {"保德县人民政府", "某县发展和改革局", "某镇人民政府"} <= issuers


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_example_checks_clean_and_renders(example: Path, tmp_path: Path) -> None:
    report = docgen.load(example)
    assert docgen.check(report) == []
    units = docx_units(docgen.render(report, tmp_path / "out.docx").read_bytes())
    assert units[0] == report.report.issuer
    assert units[-2:] == [report.report.issuer, docgen.formatting.date(report.report.date)]
    assert not any("{{" in unit or "}}" in unit for unit in units)


def test_department_narrative_and_tables_agree(tmp_path: Path) -> None:
    docx = docgen.render(ROOT / "examples" / "2021-department.toml", tmp_path / "out.docx").read_bytes()
    units = docx_units(docx)
    text = "".join(units)
    heads = ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"]
    positions = [units.index(head) for head in heads]  # each on its own line, in order, inside 一、总体情况
    assert positions == sorted(positions) and units.index("一、总体情况") < positions[0] < units.index(
        "二、主动公开政府信息情况"
    )
    assert "主动公开政府信息151条" in text
    assert (
        "全年共收到政府信息公开申请8件，上年结转1件；办结8件，其中予以公开4件、部分公开1件，结转下年度继续办理1件"
        in text
    )
    table3 = docx_tables(docx)[1]
    assert table3[3][-1] == "8" and table3[26][-1] == "8"
    assert "一是主动公开的深度和广度有待加强；二是政策解读形式较为单一。" in text

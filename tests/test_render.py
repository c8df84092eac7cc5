"""Narrative options render as documented: overrides, own-line sub-sections, enumerations, escaping."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import docx_units

from docgen.api import render as render_file

Make = Callable[..., Path]


def test_overrides_own_line_sections_and_special_characters(make_data: Make, tmp_path: Path) -> None:
    data = make_data(
        (r"^# title = .*$", 'title = ["某县发展和改革局", "2021年度报告"]'),
        (r"^# preamble = .*$", 'preamble = ["导语一。\\n导语二 & <附件> “引号”"]'),
        (r"^# signature = .*$", 'signature = "某县发展和改革局办公室"'),
        (r"^# \[headings\].*$", "[headings]"),
        (r"^# problems = .*$", 'problems = "政府信息公开工作存在的主要问题及改进情况"'),
        (r"^run_in = true", "run_in = false"),
        (
            r'^\[other\].*\nparagraphs = \[\n  "无其他需报告的事项。",',
            '[other]\nparagraphs = [\n  { items = ["甲；", "乙"] },',
        ),
    )
    units = docx_units(render_file(data, tmp_path / "out.docx").read_bytes())
    assert units[:4] == ["某县发展和改革局", "2021年度报告", "导语一。", "导语二&<附件>“引号”"]
    assert "（一）高度重视，高位推动" in units  # on its own line, no added 。
    assert units[units.index("（一）高度重视，高位推动") + 1].startswith("加强组织领导。")
    assert "五、政府信息公开工作存在的主要问题及改进情况" in units
    assert units[-4:] == ["六、其他需要报告的事项", "一是甲；二是乙。", "某县发展和改革局办公室", "2022年2月18日"]


def test_omitted_other_section_prints_the_official_sentence(make_data: Make, tmp_path: Path) -> None:
    data = make_data((r'^\[other\].*\nparagraphs = \[\n  "无其他需报告的事项。",\n\]', ""))
    units = docx_units(render_file(data, tmp_path / "out.docx").read_bytes())
    assert units[-4:] == ["六、其他需要报告的事项", "无其他需报告的事项。", "保德县人民政府", "2022年2月18日"]


def test_texts_that_look_like_docxtpl_escapes_print_as_typed(make_data: Make, tmp_path: Path) -> None:
    # docxtpl turns {_{ }_} {_% %_} in its output into Jinja's markers; a clerk's text is not a template.
    typed = "符号{_{、}_}、{_%、%_}照印"
    data = make_data(
        (r'^\[other\].*\nparagraphs = \[\n  "无其他需报告的事项。",', f'[other]\nparagraphs = [\n  "{typed}",'),
        (r'^issuer = "保德县人民政府"', 'issuer = "保德县}_}人民政府"'),
    )
    units = docx_units(render_file(data, tmp_path / "out.docx").read_bytes())
    assert units[0] == "保德县}_}人民政府"
    assert units[-3] == typed

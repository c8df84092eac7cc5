"""The 2019 format (2019 and 2020 reports): its own table 2, one 其他处理 row, its own rule."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from conftest import ROOT, docx_tables, docx_units
from hypothesis import given
from hypothesis import strategies as st

import docgen
from docgen.formats import FORMATS, put
from docgen.formats.y2019 import Report2019

EXAMPLE_2020 = ROOT / "examples" / "2020-county-2019-format.toml"


def test_2020_example_renders_in_the_2019_format(tmp_path: Path) -> None:
    report = docgen.load(EXAMPLE_2020)
    assert isinstance(report, Report2019) and report.format == "2019"
    docx = docgen.render(report, tmp_path / "2020.docx").read_bytes()
    table2, table3, table4 = docx_tables(docx)
    assert len(table2) == 18 and len(table3) == 26 and len(table4) == 4
    assert table2[6] == ["行政许可", "412", "-8", "15328"]
    assert table2[17] == ["政府集中采购", "131", "4068.208"]
    other = next(row for row in table3 if "（六）其他处理" in row)
    assert other[-7:] == ["2", "0", "0", "0", "0", "0", "2"]
    total = next(row for row in table3 if "（七）总计" in row)
    assert total[-7:] == ["11", "3", "0", "0", "1", "0", "15"]
    assert "2020年政府信息公开工作年度报告" in docx_units(docx)


def test_negative_change_is_only_allowed_where_the_format_allows_it(make_data, tmp_path: Path) -> None:
    text = EXAMPLE_2020.read_text(encoding="utf-8")
    broken = tmp_path / "2020.toml"
    broken.write_text(
        text.replace("fees = { previous = 28, change = -2 }", "fees = { previous = 1, change = -2 }"), encoding="utf-8"
    )
    (problem,) = docgen.check(docgen.load(broken))
    assert (problem.rule, problem.key) == ("t2-items", "table2.fees.change")
    negative_count = tmp_path / "neg.toml"
    negative_count.write_text(text.replace("previous = 412", "previous = -412"), encoding="utf-8")
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(negative_count)
    assert caught.value.problems[0].key == "table2.licensing.previous"


def test_2021_keys_in_a_2019_file_are_named(tmp_path: Path) -> None:
    text = EXAMPLE_2020.read_text(encoding="utf-8")
    path = tmp_path / "mixed.toml"
    path.write_text(re.sub(r"^other = .*$", "", text, flags=re.MULTILINE), encoding="utf-8")
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(path)
    assert [p.key for p in caught.value.problems] == ["table3.results.other"]
    assert "（六）其他处理" in caught.value.problems[0].message


def test_unknown_format_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(
        'format = "2030"\n' + EXAMPLE_2020.read_text(encoding="utf-8").replace('format = "2019"', ""), encoding="utf-8"
    )
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(path)
    assert any(p.key == "format" and "2021" in p.message for p in caught.value.problems)


def test_every_format_has_a_template() -> None:
    from docgen.render import builtin_template

    for fmt in FORMATS:
        assert builtin_template(fmt).is_file()


_NAMES = st.sampled_from(["a", "b", "platform", "热线"])


@given(st.lists(st.lists(st.one_of(_NAMES, st.integers(0, 3)), min_size=1, max_size=4), max_size=8))
def test_put_places_names_and_indices_as_a_data_file_would_hold_them(paths: list[list[str | int]]) -> None:
    """Whatever paths are put, in whatever order: each one put is read back at its place, or refused with
    nothing changed (an index past a list's end, a name where a list is, a value where a table is)."""
    data: dict = {}
    for number, path in enumerate([["figures", *path] for path in paths]):
        before = copy.deepcopy(data)
        value = number
        try:
            put(data, tuple(path), value)
        except (IndexError, TypeError):
            assert data == before
            continue
        node: object = data
        for part in path:
            node = node[part]  # type: ignore[index]
        assert node == value


def test_put_refuses_to_replace_when_asked_not_to() -> None:
    data: dict = {}
    put(data, ("figures", "platform", 0), 3, replace=False)
    put(data, ("figures", "platform", 1), 4, replace=False)
    with pytest.raises(KeyError):
        put(data, ("figures", "platform", 0), 5, replace=False)
    with pytest.raises(IndexError):
        put(data, ("figures", "platform", 5), 5)
    with pytest.raises(TypeError):
        put(data, ("figures", "platform", "total"), 5)
    assert data == {"figures": {"platform": [3, 4]}}

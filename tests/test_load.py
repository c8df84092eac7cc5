"""Loading reports every problem of a data file at once, in Chinese, with its line and key path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from docgen.errors import DocgenError, Problem
from docgen.load import load

Make = Callable[..., Path]


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(DocgenError) as caught:
        load(path)
    return caught.value.problems


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.lstrip().startswith(text))


def test_example_loads() -> None:
    from conftest import EXAMPLE

    report = load(EXAMPLE)
    assert report.report.issuer == "保德县人民政府"
    assert report.table3.new.figures == (4, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("edit", "rule", "key", "words"),
    [
        ((r"^licensing = 0", 'licensing = "3件"'), "count", "table2.licensing", ["表二“行政许可”", "整数", "3件"]),
        ((r"^licensing = 0", "licensing = 3.0"), "count", "table2.licensing", ["整数", "3.0"]),
        ((r"^licensing = 0", "licensing = true"), "count", "table2.licensing", ["整数", "true"]),
        ((r"^licensing = 0", "licensing = -2"), "count", "table2.licensing", ["负数", "-2"]),
        ((r"^licensing = 0", "licensing = 10000000000000000"), "count", "table2.licensing", ["过大"]),
        ((r"^fees = 0", 'fees = "12"'), "count", "table2.fees", ["万元"]),
        ((r"^fees = 0", "fees = -0.5"), "count", "table2.fees", ["负数"]),
        (
            (r"^new = .*$", "new = [4, 0, 0, 0, 0]"),
            "row-length",
            "table3.new",
            ["表三“一、本年新收政府信息公开申请数量”行", "6 或 7", "实际为 5 个"],
        ),
        ((r"^new = .*$", "new = [4, 0, 0, 0, 0, 0, 4, 4]"), "row-length", "table3.new", ["实际为 8 个"]),
        ((r"^new = .*$", "new = 4"), "row-length", "table3.new", ["应为数组", "自然人"]),
        (
            (r"^state_secret = .*$", 'state_secret = [0, "一", 0, 0, 0, 0]'),
            "count",
            "table3.results.withheld.state_secret[1]",
            ["（三）不予公开1.属于国家秘密", "“商业企业”列"],
        ),
        ((r"^state_secret = .*$", ""), "missing", "table3.results.withheld.state_secret", ["缺少必填项"]),
        ((r"^date = 2022-02-18", 'date = "2022年2月18日"'), "type", "report.date", ["2022-02-18"]),
        ((r"^year = 2021", "year = 21"), "type", "report.year", ["四位年份"]),
        ((r"^run_in = true", 'run_in = "是"'), "type", "overview.sections[0].run_in", ["true 或 false"]),
        ((r'^issuer = "保德县人民政府"', 'issuer = "保德\\u0007县"'), "text", "report.issuer", ["U+0007"]),
        ((r'"无其他需报告的事项。"', '"A\\u0000"'), "text", "other.paragraphs[0]", ["U+0000"]),
        (
            (r'^  \{ separator = "。"', '  { separator = "，"'),
            "type",
            "problems.paragraphs[2].separator",
            ["“；”", "“。”", "，"],
        ),
    ],
)
def test_bad_values_are_named_and_located(
    make_data: Make, edit: tuple[str, str], rule: str, key: str, words: list[str]
) -> None:
    path = make_data(edit)
    problems = problems_of(path)
    assert [(p.rule, p.key) for p in problems] == [(rule, key)], [p.format() for p in problems]
    problem = problems[0]
    assert problem.file == str(path)
    expected_line = line_of(path, edit[1].split(" = ")[0].strip() or "[table3.results.withheld]")
    assert problem.line == expected_line
    for word in words:
        assert word in problem.message
    assert problem.format().startswith(f"{path}:{expected_line}: {rule} {key}: ")


def test_misspelt_key_suggests_the_right_one(make_data: Make) -> None:
    path = make_data((r"^carried_over", "carried_ovre"))
    missing, unknown = problems_of(path)
    assert (missing.rule, missing.key) == ("missing", "table3.carried_over")
    assert "二、上年结转政府信息公开申请数量" in missing.message
    assert (unknown.rule, unknown.key, unknown.line) == (
        "unknown-key",
        "table3.carried_ovre",
        line_of(path, "carried_ovre"),
    )
    assert "是否想写 carried_over" in unknown.message


def test_every_problem_is_reported_at_once(make_data: Make) -> None:
    path = make_data(
        (r"^licensing = 0", 'licensing = "3件"'),
        (r"^carried_over", "carried_ovre"),
        (r"^petitions = .*$", "petitions = [0, 0, -1, 0, 0, 0]"),
    )
    problems = problems_of(path)
    assert sorted(p.rule for p in problems) == ["count", "count", "missing", "unknown-key"]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('[report]\nissuer = "保德\n', 2, 13, ["引号"]),
        ("[report]\nyear = 2021\nyear = 2022\n", 3, None, ["两次"]),
        ("[report]\ndate = 2022-02-30\n", 2, None, ["日期"]),
        ("[report]\nyear = 2021年\n", 2, 12, ["单位“年”", "只填数字 2021"]),
        ("[table3]\nnew = [4, 0, 0\n", 2, None, ["]"]),
    ],
)
def test_toml_syntax_errors_show_the_line(
    tmp_path: Path, text: str, line: int, column: int | None, words: list[str]
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.rule == "toml-syntax"
    assert problem.line == line
    if column is not None:
        assert problem.column == column
    assert text.splitlines()[line - 1] in problem.message
    for word in words:
        assert word in problem.message


def test_gbk_file_gets_an_encoding_message(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes('[report]\nissuer = "保德县人民政府"\n'.encode("gbk"))
    (problem,) = problems_of(path)
    assert (problem.rule, problem.line) == ("encoding", 2)
    assert "UTF-8" in problem.message


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    (missing,) = problems_of(tmp_path / "none.toml")
    assert "找不到数据文件" in missing.message
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * (11 * 1024 * 1024))
    (too_large,) = problems_of(huge)
    assert "过大" in too_large.message


def test_a_mistake_on_a_megabyte_line_shows_the_place_not_the_line(tmp_path: Path) -> None:
    path = tmp_path / "long.toml"
    path.write_text("[report]\nyear = " + "１" * 1_000_000 + "件\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.rule == "toml-syntax" and problem.line == 2
    assert len(problem.message) < 600  # the line is cut to what is around the mistake
    shown, pointer = problem.message.splitlines()[1:3]
    assert shown.strip().startswith("year = １") and shown.endswith("…")
    assert pointer.index("^") == shown.index("１")  # under the first full-width digit, where tomllib stopped


def test_text_with_a_lone_surrogate_is_refused_with_its_line() -> None:
    from conftest import EXAMPLE

    from docgen import loads

    text = EXAMPLE.read_text(encoding="utf-8").replace('issuer = "保德县人民政府"', 'issuer = "保德\ud800县"')
    with pytest.raises(DocgenError) as caught:
        loads(text, "2021.toml")
    [problem] = caught.value.problems
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "\ud800" in row)
    assert (problem.rule, problem.line, problem.file) == ("encoding", line, "2021.toml")
    assert "U+D800" in problem.message

"""The 勾稽 rules: each has an id, names the table, row and column in official labels, and all run at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import EXAMPLE, RESULT_ROW_KEYS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import labels
from docgen.check import check, rule_ids
from docgen.derive import derive
from docgen.load import load, loads
from docgen.model import Report

Make = Callable[..., Path]


def test_example_passes_every_rule() -> None:
    from conftest import EXAMPLE

    assert check(load(EXAMPLE)) == []


def test_broken_balance_names_rule_column_and_both_sums(make_data: Make) -> None:
    report = load(make_data((r"^new = .*$", "new = [5, 0, 0, 0, 0, 0]")))
    (problem,) = check(report)
    assert (problem.rule, problem.key) == ("t3-balance", "table3")
    assert problem.message == "勾稽关系不符（自然人列）：一+二 = 5，三（七）总计+四 = 4"
    assert (problem.expected, problem.actual) == (5, 4)
    assert problem.line is not None


def test_stated_totals_are_checked(make_data: Make) -> None:
    report = load(
        make_data(
            (r"^new = .*$", "new = [4, 0, 0, 0, 0, 0, 5]"),
            (r"^granted = .*$", "granted = [3, 0, 0, 0, 0, 0, 3]\ntotal = [4, 0, 0, 0, 0, 1, 5]"),
            (r"^review = .*$", "review = [1, 0, 0, 0, 2]"),
        )
    )
    # The balance rule uses the （七）总计 the file states (the figure a published table prints): a wrong one
    # unbalances its column as well.
    assert [(p.rule, p.key, p.message) for p in check(report)] == [
        ("t3-balance", "table3", "勾稽关系不符（其他列）：一+二 = 0，三（七）总计+四 = 1"),
        ("t3-results-total", "table3.results.total[5]", "（七）总计不等于各项办理结果之和（其他列）：填写 1，应为 0"),
        ("t3-results-total", "table3.results.total[6]", "（七）总计不等于各项办理结果之和（总计列）：填写 5，应为 4"),
        ("t3-row-total", "table3.new[6]", "一、本年新收政府信息公开申请数量：总计填写 5，六类申请人之和为 4"),
        ("t4-total", "table4.review[4]", "行政复议：总计填写 2，四项结果之和为 1"),
    ]


def test_every_rule_has_a_chinese_name() -> None:
    """The 通报 and the audit workbook's 问题分布 name rules in Chinese: a new rule needs its name too."""
    from docgen import labels

    single, cross = rule_ids()
    assert [rule for rule in single + cross if rule not in labels.RULE_NAMES] == []


def test_rule_ids_are_stable() -> None:
    single, cross = rule_ids()
    assert single == [
        "t3-balance",
        "t3-results-total",
        "t3-row-total",
        "t4-total",
        "fees-unexplained",  # the 2021 format's own
        "t2-items",  # the 2019 format's own
        "title-year",
        "date-in-year",
        "placeholder",
        "section-empty",
        "text-table",
        "old-format",
        "unplaced",
        "narrative",
    ]
    assert cross == [
        "previous-year",
        "previous-issuer",
        "carry-over",
        "t2-in-force",
        "figure-jump",
        "repeats-previous",
    ]  # t2-in-force: the 2021 format's


# --- property: any table 3 that balances passes, and any single change to it is caught ------------

ROW = st.lists(st.integers(0, 10**6), min_size=6, max_size=6)


def _table3_toml(rows: dict[str, list[int]]) -> str:
    groups: dict[str, list[str]] = {}
    for key, values in rows.items():
        *group, name = key.split(".")
        groups.setdefault(".".join(["table3", *group]), []).append(f"{name} = {values}")
    return "\n".join(f"[{group}]\n" + "\n".join(lines) for group, lines in groups.items())


def _with_table3(example: str, rows: dict[str, list[int]]) -> Report:
    head, rest = example.split("[table3]", 1)
    tail = rest[rest.index("# 四、政府信息公开行政复议") :]
    return loads(head + _table3_toml(rows) + "\n" + tail)


@settings(max_examples=40, deadline=None)
@given(results=st.lists(ROW, min_size=len(RESULT_ROW_KEYS), max_size=len(RESULT_ROW_KEYS)), carried=ROW, data=st.data())
def test_balanced_tables_pass_and_any_change_is_caught(results: list[list[int]], carried: list[int], data) -> None:
    from conftest import EXAMPLE

    example = EXAMPLE.read_text(encoding="utf-8")
    totals = [sum(column) for column in zip(*results)]
    forward = data.draw(st.lists(st.integers(0, 10**6), min_size=6, max_size=6))
    # 一 = 三 + 四 − 二, chosen so that every column balances and stays ≥ 0
    carried = [min(c, t + f) for c, t, f in zip(carried, totals, forward)]
    new = [t + f - c for t, f, c in zip(totals, forward, carried)]
    rows = {"new": new, "carried_over": carried, "carried_forward": forward}
    rows |= dict(zip(RESULT_ROW_KEYS, results))
    report = _with_table3(example, rows)
    assert check(report) == []
    derived = derive(report).table3
    assert derived["results.total"] == (*totals, sum(totals))

    key = data.draw(st.sampled_from(sorted(rows)))
    column = data.draw(st.integers(0, 5))
    broken = {name: list(values) for name, values in rows.items()}
    broken[key][column] += 1
    problems = check(_with_table3(example, broken))
    assert [problem.rule for problem in problems] == ["t3-balance"]
    assert f"（{labels.APPLICANT_COLUMNS[column]}列）" in problems[0].message


# --- the reviewers' checklist ---------------------------------------------------------------------------


def test_a_title_of_another_year_and_a_date_inside_the_year(make_data: Make) -> None:
    report = load(
        make_data(
            (
                r'^issuer = "保德县人民政府"',
                'issuer = "保德县人民政府"\ntitle = ["保德县人民政府", "2020年政府信息公开工作年度报告"]',
            ),
            (r"^date = 2022-02-18", "date = 2021-12-30"),
        )
    )
    found = {(p.rule, p.key, p.severity.value) for p in check(report)}
    assert found == {("title-year", "report.title[1]", "error"), ("date-in-year", "report.date", "error")}
    (title,) = [p for p in check(report) if p.rule == "title-year"]
    assert "2020" in title.message and "2021" in title.message and "{{ report.year }}" in title.message
    templated = load(
        make_data(
            (r'^issuer = "保德县人民政府"', 'issuer = "保德县人民政府"\ntitle = ["{{ report.year }}年度报告"]'),
            name="t.toml",
        )
    )
    assert not [p for p in check(templated) if p.rule == "title-year"]


def test_an_untouched_blank_file_is_not_silent(tmp_path: Path) -> None:
    from docgen.starter import blank

    path = tmp_path / "2022.toml"
    path.write_text(blank("某县人民政府", 2022), encoding="utf-8")
    problems = check(load(path))
    keys = {p.key for p in problems if p.rule == "placeholder"}
    assert {
        "overview.paragraphs[0]",
        "problems.paragraphs[0].lead",
        "problems.paragraphs[0].items[0]",
        "report.date",
    } <= keys
    assert all(p.severity.value == "warning" for p in problems)
    emptied = path.read_text(encoding="utf-8").replace(
        'paragraphs = [{lead = "（请填写存在的主要问题：）", items = ["问题一", "问题二"]}, "（请填写改进情况。）"]',
        "paragraphs = []",
    )
    assert emptied != path.read_text(encoding="utf-8")
    path.write_text(emptied, encoding="utf-8")
    (empty,) = [p for p in check(load(path)) if p.rule == "section-empty"]
    assert empty.key == "problems" and "存在的主要问题及改进情况" in empty.message


def test_stated_row_totals_are_balanced_in_the_total_column(make_data: Make) -> None:
    report = load(
        make_data(
            (r"^new = .*$", "new = [4, 0, 0, 0, 0, 0, 4]"),
            (r"^carried_forward = .*$", "carried_forward = [0, 0, 0, 0, 0, 0, 1]"),
        )
    )
    rules = [(p.rule, p.message) for p in check(report)]
    assert ("t3-balance", "勾稽关系不符（总计列，按表中填写的总计）：一+二 = 4，三（七）总计+四 = 5") in rules


# --- the reviewers' checks: fees, the old tables, a narrative copied from last year ----------------------


def test_fees_charged_but_not_explained_in_section_six(make_data: Make) -> None:
    charged = load(make_data((r"^fees = 0 ", "fees = 1.5 ")))
    (problem,) = [p for p in check(charged) if p.rule == "fees-unexplained"]
    assert "1.5 万元" in problem.message and problem.key == "table2.fees" and problem.severity.value == "warning"
    explained = load(
        make_data(
            (r"^fees = 0 ", "fees = 1.5 "),
            (
                r'^  "无其他需报告的事项。",',
                '  "本年度收取信息处理费1.5万元，依据《政府信息公开信息处理费管理办法》。",',
            ),
        )
    )
    assert not [p for p in check(explained) if p.rule == "fees-unexplained"]
    assert not [p for p in check(EXAMPLE) if p.rule == "fees-unexplained"]


def test_fees_charged_beside_no_information_fee_is_no_finding(make_data: Make) -> None:
    """表二's 行政事业性收费 are the body's fees of every kind; 六 reports the 信息处理费 of applications: a body
    that charges fees and charged no 信息处理费 says so, and is right."""
    data = make_data((r"^fees = 0 ", "fees = 50 "), (r'^  "无其他需报告的事项。",', '  "本年度未收取信息处理费。",'))
    assert [p for p in check(load(data)) if p.rule == "fees-unexplained"] == []


def test_the_2019_tables_for_a_2021_report_are_named(tmp_path: Path) -> None:
    old = ROOT / "examples" / "2020-county-2019-format.toml"
    assert not [p for p in check(old) if p.rule == "old-format"], "2020 in the 2019 tables is right"
    text = old.read_text(encoding="utf-8")
    text = re.sub(r"^year = 2020", "year = 2021", text, flags=re.M)
    text = re.sub(r"^date = 2021-", "date = 2022-", text, flags=re.M)
    (problem,) = [p for p in check(loads(text, "old.toml")) if p.rule == "old-format"]
    assert "未按新模板" in problem.message and "国办公开办函〔2021〕30号" in problem.message


def test_a_narrative_copied_from_last_year_is_named_with_its_share(example_text: str) -> None:
    this = loads(example_text, "2021.toml")
    last_text = re.sub(r"^year = 2021", "year = 2020", example_text, flags=re.M)
    last_text = re.sub(r"^date = 2022-", "date = 2021-", last_text, flags=re.M)
    last_text = last_text.replace("1841条", "1620条").replace("105篇", "98篇")  # figures changed, words not
    last = loads(last_text, "2020.toml")
    (problem,) = [p for p in check(this, last) if p.rule == "repeats-previous"]
    assert problem.actual == "100%" and "疑似照抄" in problem.message
    other_body = (ROOT / "examples" / "2021-department.toml").read_text(encoding="utf-8")
    other_body = re.sub(r"^year = 2021", "year = 2020", other_body, flags=re.M)
    other_body = re.sub(r"^date = 2022-", "date = 2021-", other_body, flags=re.M)
    assert not [p for p in check(this, loads(other_body, "2020.toml")) if p.rule == "repeats-previous"]

"""docgen init and docgen check: start files, check across years, machine-readable output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import EXAMPLE, docx_units
from test_cli import docgen

import docgen as api


def test_blank_file_is_complete_and_renders(tmp_path: Path) -> None:
    data = tmp_path / "2022.toml"
    result = docgen("init", "-o", data, "--issuer", "某县人民政府", "--year", "2022")
    assert result.returncode == 0, result.stderr
    text = data.read_text(encoding="utf-8")
    for key, label in [("not_held", "1.本机关不掌握相关政府信息"), ("licensing", "行政许可"), ("review", "行政复议")]:
        assert re.search(rf"^{key} = .*# .*{re.escape(label)}", text, flags=re.MULTILINE), key
    report = api.load(data)
    assert (report.report.issuer, report.report.year) == ("某县人民政府", 2022)
    problems = api.check(report)  # nothing wrong, but every placeholder named until it is replaced
    assert problems and {problem.rule for problem in problems} == {"placeholder"}
    assert all(problem.severity is api.Severity.WARNING for problem in problems)
    assert "overview.paragraphs[0]" in {problem.key for problem in problems}
    units = docx_units(api.render(report).read_bytes())
    assert units[:2] == ["某县人民政府", "2022年政府信息公开工作年度报告"]
    assert "（一）主动公开" in units and "六、其他需要报告的事项" in units


def test_next_year_from_last_year(tmp_path: Path) -> None:
    previous = tmp_path / "2021.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"^carried_forward = .*$", "carried_forward = [2, 0, 1, 0, 0, 0]", text, flags=re.MULTILINE)
    text = re.sub(r"^new = .*$", "new = [7, 0, 1, 0, 0, 0]", text, flags=re.MULTILINE)
    text = text.replace(
        "regulations = { issued = 0, repealed = 0, in_force = 0 }",
        "regulations = { issued = 3, repealed = 1, in_force = 12 }",
    )
    previous.write_text(text, encoding="utf-8")
    data = tmp_path / "2022.toml"
    assert docgen("init", "-o", data, "--from", previous).returncode == 0
    report = api.load(data)
    assert (report.report.issuer, report.report.year) == ("保德县人民政府", 2022)
    assert report.table3.carried_over.figures == (2, 0, 1, 0, 0, 0)
    assert report.table3.new.figures == (0,) * 6
    assert report.table2.regulations.in_force == 12 and report.table2.regulations.issued == 0
    written = data.read_text(encoding="utf-8")
    assert "# 1.属于国家秘密" in written and "# 12345政务热线受理的各类群众诉求（件）" in written  # comments kept
    assert 'title = "高度重视，高位推动"' in written and "加强组织领导。" in written  # narrative kept as a start
    check = docgen("check", data, "--previous", previous)
    # The new year is 0 everywhere while last year's carried 2 forward: 一+二 ≠ 三+四 until it is filled in.
    assert "t3-balance" in check.stderr and check.returncode == 1
    balanced = written.replace("carried_forward = [0, 0, 0, 0, 0, 0]", "carried_forward = [2, 0, 1, 0, 0, 0]")
    data.write_text(balanced, encoding="utf-8")
    check = docgen("check", data, "--previous", previous)
    assert check.returncode == 0, check.stderr
    assert "placeholder report.date: 成文日期仍是新建报告时预填的 2023年1月31日" in check.stderr
    # the narrative is still last year's, word for word: said until it is rewritten
    assert "repeats-previous overview: 正文" in check.stderr and "疑似照抄上年报告" in check.stderr
    assert check.stderr.strip().splitlines()[-1] == "检查了 1 个文件：0 个错误，2 个警告"
    assert api.render(api.load(data)).is_file()


def test_init_from_the_example_is_accepted_and_renders(tmp_path: Path) -> None:
    data = tmp_path / "2022.toml"
    assert docgen("init", "-o", data, "--from", EXAMPLE).returncode == 0
    result = docgen("check", data, "--previous", EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert docgen("render", data).returncode == 0


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    data = tmp_path / "2022.toml"
    data.write_text("keep me", encoding="utf-8")
    result = docgen("init", "-o", data, "--issuer", "某县", "--year", "2022")
    assert result.returncode == 1 and "--force" in result.stderr
    assert data.read_text(encoding="utf-8") == "keep me"
    assert docgen("init", "-o", data, "--issuer", "某县", "--year", "2022", "--force").returncode == 0
    assert "某县" in data.read_text(encoding="utf-8")
    assert docgen("init", "-o", tmp_path / "x.toml").returncode == 2  # neither --from nor --issuer/--year


def _variant(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    for pattern, replacement in edits:
        text, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        assert count == 1, pattern
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cross_year_rules(tmp_path: Path) -> None:
    previous = _variant(
        tmp_path,
        "2021.toml",
        (r"^carried_forward = .*$", "carried_forward = [1, 0, 0, 0, 0, 0]"),
        (r"^not_held = .*$", "not_held = [0, 0, 0, 0, 0, 0]"),
        (r"^licensing = 0", "licensing = 100"),
        (
            r"regulations = \{ issued = 0, repealed = 0, in_force = 0 \}",
            "regulations = { issued = 0, repealed = 0, in_force = 5 }",
        ),
    )
    current = _variant(
        tmp_path,
        "2022.toml",
        (r"^year = 2021", "year = 2023"),
        (r"^date = 2022-02-18", "date = 2024-01-20"),
        (r"^licensing = 0", "licensing = 900"),
        (
            r"regulations = \{ issued = 0, repealed = 0, in_force = 0 \}",
            "regulations = { issued = 2, repealed = 0, in_force = 9 }",
        ),
    )
    result = docgen("check", current, "--previous", previous)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(
        re.match(
            rf"{re.escape(str(current))}:\d+: carry-over table3.carried_over\[0\]: 二、上年结转（自然人列）为 0", line
        )
        for line in lines
    )
    assert any(
        "t2-in-force table2.regulations.in_force" in line and "5 + 本年制发 2 − 本年废止 0 = 7" in line
        for line in lines
    )
    assert any("figure-jump table2.licensing" in line and "100 变为 900（增至 9.0 倍）" in line for line in lines)
    assert any("previous-year report.year" in line for line in lines)
    assert lines[-1] == "检查了 1 个文件：1 个错误，4 个警告"  # and the narrative repeats last year's

    as_json = docgen("check", current, "--previous", previous, "--json")
    assert as_json.returncode == 1
    problems = [problem for checked in json.loads(as_json.stdout)["files"] for problem in checked["problems"]]
    text_lines = [line for line in lines[:-1]]
    assert len(problems) == len(text_lines)
    for problem, line in zip(problems, text_lines):
        location = {"file", "line", "column", "sheet", "cell", "place", "printed"}
        assert set(problem) == location | {"rule", "severity", "key", "message", "expected", "actual", "doubt"}
        assert line == f"{problem['file']}:{problem['line']}: {problem['rule']} {problem['key']}: {problem['message']}"
    severities = {problem["rule"]: problem["severity"] for problem in problems}
    assert severities == {
        "carry-over": "error",
        "t2-in-force": "warning",
        "figure-jump": "warning",
        "previous-year": "warning",
        "repeats-previous": "warning",
    }
    carry = next(problem for problem in problems if problem["rule"] == "carry-over")
    assert (carry["expected"], carry["actual"]) == (1, 0)


def test_check_many_files_and_load_errors_in_json(tmp_path: Path) -> None:
    broken = _variant(tmp_path, "bad.toml", (r"^licensing = 0", 'licensing = "三"'))
    result = docgen("check", EXAMPLE, broken, "--json")
    assert result.returncode == 1
    (problem,) = [problem for checked in json.loads(result.stdout)["files"] for problem in checked["problems"]]
    assert (problem["file"], problem["rule"], problem["key"], problem["actual"]) == (
        str(broken),
        "count",
        "table2.licensing",
        "三",
    )
    assert "检查了 2 个文件：1 个错误" in result.stderr
    assert docgen("check", EXAMPLE).returncode == 0


def test_2021_file_from_a_2020_report_in_the_old_format(tmp_path: Path) -> None:
    previous = EXAMPLE.parent / "2020-county-2019-format.toml"
    data = tmp_path / "2021.toml"
    assert docgen("init", "-o", data, "--from", previous).returncode == 0
    report = api.load(data)
    assert (report.format, report.report.year) == ("2021", 2021)
    assert report.table2.normative_documents.in_force == 48  # from 2020's 对外公开总数量
    assert report.table3.results.other.no_correction.figures == (0,) * 6
    result = docgen("check", data, "--previous", previous)
    assert result.returncode == 0 and "carry-over" not in result.stderr
    assert api.render(report).is_file()

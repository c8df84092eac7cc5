"""The reviewing office's desk (issue 30): a roster of the bodies expected, reports matched to them by the names
bodies write, the date each went up against the deadline, and every body scored under a stated scheme."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pages
import pytest
from conftest import EXAMPLE, ROOT
from openpyxl import Workbook, load_workbook
from test_cli import docgen as run

import docgen
from docgen.roster import Body, common_place, deadline, match, normal_name

DEPARTMENT = ROOT / "examples" / "2021-department.toml"
TOWNSHIP = ROOT / "examples" / "2021-township.toml"


def _as(source: Path, issuer: str, folder: Path, name: str) -> Path:
    """`source` with its issuer written as `issuer`: a body's report, named as it names itself."""
    text = source.read_text(encoding="utf-8")
    before = docgen.load(source).report.issuer
    path = folder / name
    path.write_text(text.replace(f'issuer = "{before}"', f'issuer = "{issuer}"', 1), encoding="utf-8")
    assert docgen.load(path).report.issuer == issuer
    return path


def _page(folder: Path, published: str) -> None:
    """保德县人民政府's report as its site publishes it, with 公开日期 `published` in the 信息 box."""
    report = docgen.load(EXAMPLE)
    page = pages.report_page(report, docgen.render_bytes(report)).decode("gbk")
    assert "公开日期：</td><td>2022-01-20" in page
    page = page.replace("公开日期：</td><td>2022-01-20", f"公开日期：</td><td>{published}", 1)
    (folder / "保德县人民政府.html").write_bytes(page.encode("gbk"))


def roster_book(path: Path, rows: list[list[object]], third: str = "发布日期") -> Path:
    """A roster as an office keeps one: a title row, then the header (机关名称, 类别 and `third`), then a body
    a row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["2021年度政府信息公开工作年度报告公开情况"])
    sheet.append(["机关名称", "类别", third])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def desk(tmp_path: Path) -> tuple[Path, Path]:
    reports = tmp_path / "各单位"
    reports.mkdir()
    _page(reports, "2022-02-25")  # 25 days after 31 January
    _as(DEPARTMENT, "保德县发展和改革局", reports, "发改局.toml")
    _as(TOWNSHIP, "中共保德县委宣传部", reports, "宣传部.toml")
    _as(TOWNSHIP, "保德县人民政府办公室", reports, "县政府办.toml")
    _as(TOWNSHIP, "偏关县民政局", reports, "偏关民政.toml")  # another county's, sent by mistake
    roster = roster_book(
        tmp_path / "名单.xlsx",
        [
            ["保德县人民政府", "县政府", None],
            ["发展和改革局", "部门", "2022-01-28"],  # short name: the roster's place is 保德县
            ["保德县委宣传部", "部门", "2022-01-30"],  # the report says 中共…
            ["保德县政府办", "部门", "2022-01-15"],  # the report says 县人民政府办公室
            ["保德县教育局", "部门", None],  # no report
        ],
    )
    return reports, roster


def test_names_match_as_bodies_write_them() -> None:
    place = common_place(["保德县人民政府", "保德县教育局", "发展和改革局"])
    assert place == "保德县"
    assert normal_name("保德县人民政府办公室", place) == normal_name("保德县政府办", place) == "政府办"
    assert normal_name("中共保德县委宣传部", place) == normal_name("保德县委宣传部", place)
    assert normal_name("保德县发展和改革局", place) == normal_name("发展和改革局", place)
    bodies = [Body("保德县人民政府"), Body("保德县政府办"), Body("教育局")]
    matched = match(bodies, ["保德县人民政府办公室", "保德县人民政府", None, "偏关县教育局", "保德县教育局"])
    assert matched.reports == {1: [0], 0: [1], 2: [4]} and matched.unlisted == [3]


def test_the_statutory_deadline_and_a_configured_one() -> None:
    assert deadline(2021).isoformat() == "2022-01-31"
    assert deadline(2021, "03-31").isoformat() == "2022-03-31"
    assert deadline(2021, "3月31日").isoformat() == "2022-03-31"


def test_a_roster_finds_the_missing_the_late_and_the_unlisted(desk: tuple[Path, Path], tmp_path: Path) -> None:
    reports, roster = desk
    output = tmp_path / "审核.xlsx"
    result = run("audit", reports, "--roster", roster, "-o", output)
    assert result.returncode == 1, result.stdout + result.stderr  # a body without a report
    last = result.stdout.strip().splitlines()[-1]
    assert last == "名单中 5 个机关：1 个没有报告（保德县教育局），1 份报告逾期公开"
    assert "名单.xlsx: roster-missing 名单!A7" in result.stderr  # where the body stands on the roster
    assert "2022-02-25 才公开（据网页的发布日期），晚于截止日期 2022-01-31 25 天" in result.stderr
    book = load_workbook(output)
    rows = list(book["名单核对"].values)
    assert rows[0][:6] == ("机关名称", "类别", "年度", "状态", "报告文件", "公开日期")
    status = {row[0]: row[3:6] for row in rows[1:]}
    assert status["保德县人民政府"] == ("逾期 25 天", "保德县人民政府.html", "2022-02-25")  # the page's own date
    assert status["发展和改革局"] == ("已公开", "发改局.toml", "2022-01-28")  # the roster's date
    assert status["保德县委宣传部"][:2] == ("已公开", "宣传部.toml")
    assert status["保德县政府办"][:2] == ("已公开", "县政府办.toml")
    assert status["保德县教育局"] == ("未公开", None, None)
    assert status["偏关县民政局"][0] == "名单外"
    problems = list(book["问题明细"].values)
    assert any(row[3] == "roster-unlisted" and "偏关县民政局" in row[6] for row in problems)
    charts = book["问题分布"]
    assert len(charts._charts) == 2  # by rule and by kind of body, native charts over the tables beside them
    table = {row[0]: row[1] for row in list(charts.values)[1:] if row[0]}
    assert table["未公开年度报告"] == 1 and table["逾期公开"] == 1  # the faults, by what they are
    assert "不在名单中" not in table  # a note on the roster, not the report's fault
    kinds = {row[10]: row[11] for row in list(charts.values)[1:] if len(row) > 10 and row[10]}
    assert kinds["部门"] >= 1 and kinds["县政府"] == 1


def test_every_body_is_scored_and_ranked_under_the_default_scheme(desk: tuple[Path, Path]) -> None:
    reports, roster = desk
    audited = docgen.audit([reports], desk=docgen.Desk(roster=roster))
    by_body = {outcome.body.name: outcome for outcome in audited if outcome.body is not None}
    assert by_body["保德县教育局"].score == 0 and by_body["保德县教育局"].missing
    assert by_body["保德县人民政府"].points_off["late"] == 1
    assert by_body["保德县人民政府"].score == 100 - sum(by_body["保德县人民政府"].points_off.values())
    listed = [outcome for outcome in audited if outcome.body is not None]
    scores = [outcome.score for outcome in listed]
    ranks = [outcome.rank for outcome in listed]
    best = max(scores)
    assert all(rank == 1 for score, rank in zip(scores, ranks) if score == best)
    assert by_body["保德县教育局"].rank == len(listed)  # the lowest
    unlisted = next(outcome for outcome in audited if outcome.body is None)  # 偏关县民政局: scored, not ranked
    assert unlisted.score is not None and unlisted.rank is None


def test_a_scheme_of_ones_own_and_a_deadline_of_ones_own(desk: tuple[Path, Path], tmp_path: Path) -> None:
    reports, roster = desk
    scheme = tmp_path / "评分.toml"
    scheme.write_text('"满分" = 10\n["按严重程度"]\n"错误" = 1\n"警告" = 0\n["按规则"]\n"late" = 4\n', encoding="utf-8")
    output = tmp_path / "审核.xlsx"
    run("audit", reports, "--roster", roster, "--scores", scheme, "-o", output)
    status = {row[0]: row for row in list(load_workbook(output)["名单核对"].values)[1:]}
    assert status["保德县人民政府"][6] == 6  # 10 − 4 for being late
    assert status["保德县教育局"][6] == 0
    relaxed = run("audit", reports, "--roster", roster, "--deadline", "03-31", "-o", output)
    assert "0 份报告逾期公开" in relaxed.stdout
    status = {row[0]: row for row in list(load_workbook(output)["名单核对"].values)[1:]}
    assert status["保德县人民政府"][3] == "已公开"


def test_a_roster_in_toml(desk: tuple[Path, Path], tmp_path: Path) -> None:
    reports, _ = desk
    roster = tmp_path / "名单.toml"
    roster.write_text(
        '[["机关"]]\n"机关名称" = "保德县人民政府"\n"类别" = "县政府"\n\n[["机关"]]\n"机关名称" = "保德县财政局"\n',
        encoding="utf-8",
    )
    result = run("audit", reports, "--roster", roster)
    assert result.returncode == 1 and "1 个没有报告（保德县财政局）" in result.stdout
    assert "名单.toml: roster-missing 机关[1]" in result.stderr


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("no-header", "首格为“机关名称”"),
        ("bad-scheme", "应为不小于 0 的数字"),
        ("not-a-workbook", "名单"),
    ],
)
def test_a_roster_or_scheme_that_cannot_be_used_is_named(
    desk: tuple[Path, Path], tmp_path: Path, content: str, said: str
) -> None:
    reports, roster = desk
    arguments: list[object] = ["audit", reports, "--roster", roster]
    if content == "no-header":
        book = Workbook()
        book.active.append(["单位", "类别"])
        book.save(roster)
    elif content == "bad-scheme":
        scheme = tmp_path / "评分.toml"
        scheme.write_text('["按规则"]\n"late" = "一分"\n', encoding="utf-8")
        arguments += ["--scores", scheme]
    else:
        roster.write_bytes(b"not a workbook at all")
    result = run(*arguments)
    assert result.returncode == 1 and said in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_a_page_gives_the_date_it_went_up(tmp_path: Path) -> None:
    _page(tmp_path, "2022年02月03日")
    assert docgen.extract(tmp_path / "保德县人民政府.html").published_on.isoformat() == "2022-02-03"
    page = (tmp_path / "保德县人民政府.html").read_bytes().decode("gbk")
    page = re.sub(r"公开日期：</td><td>[^<]*", "公开日期：</td><td>", page)
    page = page.replace("<head>", '<head><meta name="PubDate" content="2022-01-18 09:30">', 1)
    (tmp_path / "meta.html").write_bytes(page.encode("gbk"))
    assert docgen.extract(tmp_path / "meta.html").published_on.isoformat() == "2022-01-18"


def test_without_a_desk_the_audit_is_as_before(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "2021.toml")
    (outcome,) = docgen.audit([tmp_path])
    assert outcome.score is None and outcome.body is None
    assert not [problem for problem in outcome.problems if problem.rule.startswith(("late", "roster"))]


def test_an_audit_on_every_core_gives_the_same_outcomes_in_the_order_given(
    desk: tuple[Path, Path], tmp_path: Path
) -> None:
    reports, roster = desk
    (reports / "损坏.docx").write_bytes(b"PK\x03\x04 not really a Word document")
    for example in (ROOT / "examples").glob("*.toml"):
        shutil.copy(example, reports / f"示例-{example.name}")

    def seen(jobs: int) -> list[tuple[str, str, list[str], object]]:
        audited = docgen.audit([reports], jobs=jobs, desk=docgen.Desk(roster=roster))
        return [
            (
                outcome.source.name,
                outcome.reading.issuer if outcome.reading else "",
                sorted(problem.rule for problem in outcome.problems),
                outcome.score,
            )
            for outcome in audited
        ]

    one, two = seen(1), seen(2)
    assert one == two
    names = [name for name, *_ in one]
    assert names[: len(docgen.audit_sources([reports]))] == [path.name for path in docgen.audit_sources([reports])]
    broken = next(entry for entry in two if entry[0] == "损坏.docx")
    assert broken[1] == "" and broken[2] == ["extract"]  # refused alone; the others were audited
    result = run("audit", reports, "-j", "2", "-q")
    assert f"审核了 {len(docgen.audit_sources([reports]))} 份报告" in result.stdout


def test_a_pdf_is_dated_by_the_roster_first_and_by_when_it_was_made_last(soffice: str, tmp_path: Path) -> None:
    """A PDF says only when it was made (CreationDate): the roster's date is taken before it, and a PDF made
    after the deadline is late by that day at the earliest."""
    from conftest import libreoffice_convert

    reports = tmp_path / "各单位"
    reports.mkdir()
    (tmp_path / "保德.docx").write_bytes(docgen.render_bytes(EXAMPLE))
    pdf = libreoffice_convert(soffice, tmp_path / "保德.docx", "pdf", reports, tmp_path)  # made today
    made = docgen.extract(pdf).created_on
    assert made is not None and made.year >= 2026
    dated = roster_book(tmp_path / "有日期.xlsx", [["保德县人民政府", "县政府", "2022-01-20"]])
    (outcome,) = docgen.audit([reports], desk=docgen.Desk(roster=dated))
    assert outcome.published_on.isoformat() == "2022-01-20" and not any(p.rule == "late" for p in outcome.problems)
    undated = roster_book(tmp_path / "无日期.xlsx", [["保德县人民政府", "县政府", None]])
    (outcome,) = docgen.audit([reports], desk=docgen.Desk(roster=undated))
    (late,) = [problem for problem in outcome.problems if problem.rule == "late"]
    assert "据 PDF 文件的创建日期" in late.message and outcome.published_on == made


def test_several_years_give_a_matrix_of_bodies_by_year(desk: tuple[Path, Path], tmp_path: Path) -> None:
    reports, roster = desk
    _as(ROOT / "examples" / "2020-county-2019-format.toml", "保德县人民政府", reports, "保德-2020.toml")
    output = tmp_path / "审核.xlsx"
    result = run("audit", reports, "--roster", roster, "-o", output)
    assert "名单中的“保德县教育局”没有 2020 年度报告" in result.stderr
    assert "名单中的“保德县教育局”没有 2021 年度报告" in result.stderr
    matrix = list(load_workbook(output)["历年公开情况"].values)
    assert matrix[0] == ("机关名称", "类别", "2020年度", "2021年度")
    rows = {row[0]: row[2:] for row in matrix[1:]}
    assert rows["保德县人民政府"] == ("已公开", "逾期 25 天")
    assert rows["保德县教育局"] == ("未公开", "未公开")
    assert rows["发展和改革局"] == ("未公开", "已公开")
    sheet = load_workbook(output)["历年公开情况"]
    colours = {row[0].value: [cell.fill.fgColor.rgb[-6:] for cell in row[2:]] for row in sheet.iter_rows(min_row=2)}
    assert colours["保德县人民政府"] == ["C6EFCE", "FFEB9C"] and colours["保德县教育局"] == ["FFC7CE", "FFC7CE"]


@pytest.mark.parametrize("setting", ["0331", "2025-03-31", "02-29", "13-01"])
def test_a_deadline_that_is_no_month_and_day_is_named_before_anything_is_read(
    desk: tuple[Path, Path], setting: str
) -> None:
    reports, roster = desk
    result = run("audit", reports, "--roster", roster, "--deadline", setting)
    assert result.returncode == 1 and "应写作月-日" in result.stderr and "Traceback" not in result.stderr


def test_a_dismissed_finding_costs_no_points(desk: tuple[Path, Path], tmp_path: Path) -> None:
    reports, roster = desk
    (outcome,) = [o for o in docgen.audit([reports], desk=docgen.Desk(roster=roster)) if o.missing]
    finding = outcome.finding(outcome.problems[0])
    (reports / "审核意见.toml").write_text(
        f'[["意见"]]\n"编号" = "{finding}"\n"结论" = "驳回"\n"理由" = "该局已撤并"\n', encoding="utf-8"
    )
    (outcome,) = [o for o in docgen.audit([reports], desk=docgen.Desk(roster=roster)) if o.missing]
    assert outcome.problems == [] and outcome.dismissed and outcome.score == 100


def test_a_toml_roster_date_with_a_time_is_its_day(desk: tuple[Path, Path], tmp_path: Path) -> None:
    reports, _ = desk
    roster = tmp_path / "名单.toml"
    roster.write_text(
        '[["机关"]]\n"机关名称" = "保德县发展和改革局"\n"发布日期" = 2022-03-02T09:00:00\n', encoding="utf-8"
    )
    outcomes = docgen.audit([reports], desk=docgen.Desk(roster=roster))
    (late,) = [o for o in outcomes if o.body is not None and not o.missing]
    assert late.published_on.isoformat() == "2022-03-02" and any(p.rule == "late" for p in late.problems)


def test_a_report_the_roster_names_but_docgen_cannot_read_is_not_called_missing(tmp_path: Path) -> None:
    """Precision first: a body whose file is there but unreadable has published — the reviewer must look at
    the file, not chase the body, and no points are taken for docgen's failure."""
    reports = tmp_path / "各单位"
    reports.mkdir()
    _as(DEPARTMENT, "保德县发展和改革局", reports, "发改局.toml")
    (reports / "教育局2021年报.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00" * 300)  # damaged in the upload
    book = Workbook()
    sheet = book.active
    sheet.append(["机关名称", "类别", "文件"])
    sheet.append(["发展和改革局", "部门", "发改局.toml"])
    sheet.append(["保德县教育局", "部门", "教育局2021年报.pdf"])
    roster = tmp_path / "名单.xlsx"
    book.save(roster)
    audited = docgen.audit([reports], desk=docgen.Desk(roster=roster))
    education = [outcome for outcome in audited if outcome.body is not None and outcome.body.name == "保德县教育局"]
    assert len(education) == 1 and not education[0].missing and education[0].reading is None
    assert education[0].year == 2021 and education[0].score == 100
    assert not any(problem.rule == "roster-missing" for outcome in audited for problem in outcome.problems)

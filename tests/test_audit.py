"""docgen audit: a reviewing office's year of reports — pages, documents and data files — in one table, with
key figures, problems by rule and the change from last year."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pages
from conftest import EXAMPLE, ROOT
from openpyxl import load_workbook
from test_cli import docgen as run

import docgen
from docgen.audit import change


def _year_before(tmp_path: Path) -> Path:
    folder = tmp_path / "2020"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"^year = 2021", "year = 2020", text, flags=re.M)
    text = re.sub(r"^date = 2022-02-18", "date = 2021-02-18", text, flags=re.M)
    text = re.sub(r"^new = .*$", "new = [2, 0, 0, 0, 0, 0]", text, count=1, flags=re.M)
    text = re.sub(r"^granted = .*$", "granted = [1, 0, 0, 0, 0, 0]", text, count=1, flags=re.M)
    (folder / "保德.toml").write_text(text, encoding="utf-8")
    return folder


def test_a_year_of_reports_in_one_table(tmp_path: Path) -> None:
    folder = tmp_path / "2021"
    folder.mkdir()
    baode = docgen.load(EXAMPLE)
    (folder / "保德.html").write_bytes(pages.report_page(baode, docgen.render_bytes(baode)))
    department = ROOT / "examples" / "2021-department.toml"
    shutil.copy(department, folder / "发改局.toml")
    broken = EXAMPLE.read_text(encoding="utf-8").replace("保德县人民政府", "某乡人民政府")
    broken = re.sub(r"^new = .*$", "new = [5, 0, 0, 0, 0, 0]", broken, count=1, flags=re.M)
    (folder / "某乡.toml").write_text(broken, encoding="utf-8")
    (folder / "坏.docx").write_bytes(b"not a document")
    output = tmp_path / "审核.xlsx"

    previous = _year_before(tmp_path)
    (previous / "旧.pdf").write_bytes(b"%PDF-1.4 damaged")

    result = run("audit", folder, "--previous", previous, "-o", output)

    assert result.returncode == 1  # 某乡 breaks a rule and 坏.docx cannot be read
    lines = result.stdout.splitlines()
    assert (
        lines[-1]
        == "审核了 4 份报告：2 份有错误或无法读取，0 份读取存疑（未能确定地读出，不一定有错），2 份只有警告，0 份没有问题"
    )
    assert any(line.startswith("保德.html\t保德县人民政府\t2021\t4\t4\t0") for line in lines)
    assert "某乡.toml" in result.stderr and "t3-balance" in result.stderr
    book = load_workbook(output)
    summary = list(book["审核汇总"].values)
    head = summary[0]
    rows = {row[0]: dict(zip(head, row)) for row in summary[1:]}
    assert set(rows) == {"保德.html", "发改局.toml", "某乡.toml", "坏.docx"}
    assert rows["保德.html"]["新收申请"] == 4 and rows["保德.html"]["新收申请同比"] == "+2（+100%）"
    assert rows["保德.html"]["予以公开同比"] == "+2（+200%）"
    assert rows["发改局.toml"]["新收申请同比"] in ("", None)  # no report of that body last year
    assert rows["某乡.toml"]["错误"] == 1 and "t3-balance×1" in rows["某乡.toml"]["问题（按规则）"]
    assert rows["坏.docx"]["机关名称"] == "（无法读取）"
    details = list(book["问题明细"].values)
    assert details[0] == (
        "文件",
        "位置",
        "原文",
        "规则",
        "严重程度",
        "键",
        "说明",
        "存疑之处（未能确定读出的内容）",
        "编号",
        "审核意见",
    )
    balance = next(row for row in details if row[3] == "t3-balance")
    assert balance[0] == "某乡.toml" and balance[4] == "错误" and re.match(r".*某乡\.toml:\d+$", balance[1])
    # 发改局 has no report among last year's, one of which could not be read: both said, never silent
    missing = next(row for row in details if row[3] == "previous-missing" and row[0] == "发改局.toml")
    assert missing[4] == "警告" and "没有“某县发展和改革局”的报告" in missing[6]
    assert missing[6].endswith("其中 1 份无法读取：旧.pdf")
    # last year's 保德 report has the same narrative (its figures aside): named as copied
    copied = next(row for row in details if row[3] == "repeats-previous" and row[0] == "保德.html")
    assert not any(row[3] == "previous-missing" and row[0] == "保德.html" for row in details)
    # a published document's problem names where the report printed it: the paragraph, its opening words
    assert re.match(r".*保德\.html:第\d+段$", copied[1]) and copied[2], copied


def test_an_audit_with_nothing_wrong_exits_0(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder)
    result = run("audit", folder)
    assert result.returncode == 0 and result.stdout.splitlines()[-1].endswith("1 份没有问题")
    assert [outcome.failed for outcome in docgen.audit([folder])] == [False]


def test_change_as_a_reviewer_reads_it() -> None:
    assert (change(5, 4), change(2, 5), change(3, 3), change(4, 0)) == ("+1（+25%）", "−3（−60%）", "0", "+4")


def test_a_published_report_signed_on_31_january_is_not_a_placeholder(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    text = re.sub(r"^date = 2022-02-18", "date = 2022-01-31", EXAMPLE.read_text(encoding="utf-8"), flags=re.M)
    (folder / "保德.toml").write_text(text, encoding="utf-8")
    (folder / "保德.docx").write_bytes(docgen.render_bytes(docgen.load(folder / "保德.toml")))
    rules = {outcome.source.name: [p.rule for p in outcome.problems] for outcome in docgen.audit([folder])}
    assert rules == {"保德.docx": [], "保德.toml": ["placeholder"]}  # a data file may still hold init's date


def test_a_report_naming_its_own_previous_is_compared_with_it_not_called_missing(tmp_path: Path) -> None:
    folder = tmp_path / "2021"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8").replace("year = 2021", 'year = 2021\nprevious = "../2020/保德.toml"', 1)
    (folder / "保德.toml").write_text(text, encoding="utf-8")
    _year_before(tmp_path)
    other = tmp_path / "others"
    other.mkdir()
    shutil.copy(ROOT / "examples" / "2021-department.toml", other)
    [outcome] = docgen.audit([folder], previous=[other])
    assert outcome.previous is None and "previous-missing" not in {p.rule for p in outcome.problems}


def test_a_row_the_reader_could_not_place_is_doubt_not_fault(tmp_path: Path) -> None:
    """A page whose 本年新收 row label the reader cannot name: the row is unplaced and read as 0, so the 勾稽
    rule fails on the figures read — which says nothing about the report, whose printed table balances."""
    folder = tmp_path / "reports"
    folder.mkdir()
    baode = docgen.load(EXAMPLE)
    page = pages.report_page(baode, docgen.render_bytes(baode)).decode("gbk")
    assert page.count("一、本年新收政府信息公开申请数量") == 1
    page = page.replace("一、本年新收政府信息公开申请数量", "一、本年受理的各类来件")
    (folder / "保德.html").write_bytes(page.encode("gbk"))
    output = tmp_path / "审核.xlsx"
    result = run("audit", folder, "-o", output)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "1 份读取存疑" in result.stdout.splitlines()[-1] and "0 份有错误" in result.stdout.splitlines()[-1]
    (outcome,) = docgen.audit([folder])
    balance = [problem for problem in outcome.problems if problem.rule == "t3-balance"]
    assert balance and all(problem.severity.value == "doubt" for problem in balance)
    assert "一、本年受理的各类来件" in (balance[0].doubt or "") and "读取存疑" in balance[0].message
    assert outcome.errors == [] and balance[0].to_dict()["doubt"] == balance[0].doubt
    rows = list(load_workbook(output)["问题明细"].values)
    doubt_row = next(row for row in rows if row[3] == "t3-balance")
    assert doubt_row[4] == "读取存疑" and "本年受理的各类来件" in doubt_row[7]
    summary = list(load_workbook(output)["审核汇总"].values)
    assert dict(zip(summary[0], summary[1]))["读取存疑"] >= 1 and dict(zip(summary[0], summary[1]))["错误"] == 0


def test_a_report_read_whole_that_does_not_balance_is_still_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    text = re.sub(r"^new = .*$", "new = [5, 0, 0, 0, 0, 0]", EXAMPLE.read_text(encoding="utf-8"), count=1, flags=re.M)
    report = docgen.loads(text, "x.toml")
    # the tables are printed from `report`, the text from the example's document (a broken one is not rendered)
    (folder / "保德.html").write_bytes(pages.report_page(report, docgen.render_bytes(EXAMPLE)))
    (outcome,) = docgen.audit([folder])
    balance = [problem.severity.value for problem in outcome.problems if problem.rule == "t3-balance"]
    assert balance and set(balance) == {"error"} and not outcome.doubts


def test_a_reviewer_dismisses_a_finding_and_the_next_audit_carries_it(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    text = re.sub(r"^new = .*$", "new = [5, 0, 0, 0, 0, 0]", EXAMPLE.read_text(encoding="utf-8"), count=1, flags=re.M)
    (folder / "保德.toml").write_text(text, encoding="utf-8")
    output = tmp_path / "审核.xlsx"
    first = run("audit", folder, "-o", output)
    assert first.returncode == 1
    rows = list(load_workbook(output)["问题明细"].values)
    head = rows[0]
    findings = [dict(zip(head, row)) for row in rows[1:] if row[3] == "t3-balance"]
    assert findings and all(row["编号"].startswith("t3-balance/保德县人民政府/2021/") for row in findings)
    opinions = "".join(
        f'[["意见"]]\n"编号" = "{row["编号"]}"\n"结论" = "驳回"\n"理由" = "原件核实，系录入时笔误，已更正"\n\n'
        for row in findings
    )
    (folder / "审核意见.toml").write_text(opinions, encoding="utf-8")
    second = run("audit", folder, "-o", output)
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"另有 {len(findings)} 条已由审核人员驳回" in second.stderr
    dismissed = list(load_workbook(output)["已驳回"].values)
    assert len(dismissed) == 1 + len(findings) and dismissed[1][4] == "原件核实，系录入时笔误，已更正"
    assert not [row for row in load_workbook(output)["问题明细"].values if row[3] == "t3-balance"]
    (outcome,) = docgen.audit([folder])  # 审核意见.toml itself is not taken for a report
    assert outcome.errors == [] and len(outcome.dismissed) == len(findings)


def test_a_confirmed_finding_stays_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    text = re.sub(r"^new = .*$", "new = [5, 0, 0, 0, 0, 0]", EXAMPLE.read_text(encoding="utf-8"), count=1, flags=re.M)
    (folder / "保德.toml").write_text(text, encoding="utf-8")
    (outcome,) = docgen.audit([folder])
    finding = outcome.finding(outcome.errors[0])
    (folder / "审核意见.toml").write_text(
        f'[["意见"]]\n"编号" = "{finding}"\n"结论" = "确认"\n"理由" = "已通知整改"\n', encoding="utf-8"
    )
    output = tmp_path / "审核.xlsx"
    assert run("audit", folder, "-o", output).returncode == 1
    rows = [row for row in load_workbook(output)["问题明细"].values if row[8] == finding]
    assert rows and rows[0][9] == "确认：已通知整改"


def test_marks_that_are_not_marks_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "保德.toml")
    (folder / "审核意见.toml").write_text('[["意见"]]\n"编号" = "x"\n"结论" = "也许"\n', encoding="utf-8")
    result = run("audit", folder)
    assert result.returncode == 1 and "第 1 条 [[意见]]" in result.stderr and "Traceback" not in result.stderr


def test_marks_typed_into_the_workbook_are_carried_by_the_next_run(soffice: str, tmp_path: Path) -> None:
    from conftest import libreoffice_convert

    folder = tmp_path / "reports"
    folder.mkdir()
    text = re.sub(r"^new = .*$", "new = [5, 0, 0, 0, 0, 0]", EXAMPLE.read_text(encoding="utf-8"), count=1, flags=re.M)
    (folder / "保德.toml").write_text(text, encoding="utf-8")
    output = tmp_path / "审核.xlsx"
    assert run("audit", folder, "-o", output).returncode == 1
    book = load_workbook(output)
    sheet = book["问题明细"]
    head = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[head.index("规则")].value == "t3-balance":
            row[head.index("审核意见")].value = "驳回：原件核实无误，系网页转录错误"
    typed = tmp_path / "typed" / "审核.xlsx"
    typed.parent.mkdir()
    book.save(typed)
    resaved = libreoffice_convert(
        soffice, typed, "xlsx", tmp_path / "resaved", tmp_path
    )  # as a reviewer's Calc saves it
    output.write_bytes(resaved.read_bytes())
    again = run("audit", folder, "-o", output)
    assert again.returncode == 0, again.stdout + again.stderr
    dismissed = list(load_workbook(output)["已驳回"].values)[1:]
    assert dismissed and all(row[4] == "原件核实无误，系网页转录错误" for row in dismissed)
    third = run("audit", folder, "-o", output)  # and the run after that keeps them (from the 已驳回 sheet)
    assert third.returncode == 0 and len(list(load_workbook(output)["已驳回"].values)) == len(dismissed) + 1

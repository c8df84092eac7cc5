"""The clerk's own machine and habits: folders named as people type them, Notepad's file names, Chinese help
and errors from the command line itself, `check --json` for scripts, and the layout options of [style] and
[report] checked in the rendered document and page."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

from conftest import docx_tables, docx_units
from test_cli import Make, docgen


def test_an_output_with_a_trailing_separator_is_a_folder_made_for_it(tmp_path: Path, make_data: Make) -> None:
    data = make_data()
    result = docgen("render", data, "-o", "报告/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "报告").is_dir() and (tmp_path / "报告" / "2021.docx").is_file()
    assert "已生成：报告/2021.docx" in result.stdout
    named = docgen("render", data, "-o", "本年报告", cwd=tmp_path)  # no .docx typed: Word needs it
    assert named.returncode == 0 and (tmp_path / "本年报告.docx").is_file(), named.stderr


def test_a_folder_render_says_which_notepad_names_it_passed_over(tmp_path: Path, make_data: Make) -> None:
    folder = tmp_path / "各单位"
    folder.mkdir()
    make_data(name="各单位/甲.toml")
    make_data(name="各单位/乙.toml.txt")
    for command in ("render", "check"):
        result = docgen(command, folder, "-q") if command == "render" else docgen(command, folder)
        assert result.returncode == 0, result.stderr
        assert (
            f"跳过 {folder / '乙.toml.txt'}：文件名多了 .txt" in result.stderr and "请改名为 乙.toml" in result.stderr
        )
    assert sorted(path.name for path in folder.glob("*.docx")) == ["甲.docx"]


def test_help_and_usage_errors_are_chinese_and_whole() -> None:
    short = docgen("-h")
    assert short.returncode == 0 and short.stdout == docgen("--help").stdout
    assert "显示本帮助并退出" in short.stdout and "Show this message" not in short.stdout
    assert "…" not in short.stdout and "..." not in short.stdout.split("命令")[-1]  # nothing cut short
    assert "逐项对比两年的数字" in short.stdout
    wrong = docgen("render", "--jbos", "2", "x.toml")
    assert wrong.returncode == 2
    assert (
        "错误：没有这个选项：--jbos" in wrong.stderr
        and "是否想写" in wrong.stderr
        and "--jobs？" in wrong.stderr.replace("'", "")
    )
    assert "用法：" in wrong.stderr and "Usage" not in wrong.stderr
    missing = docgen("check")
    assert missing.returncode == 2 and "缺少参数" in missing.stderr


def test_check_json_lists_every_file_with_its_problems(make_data: Make) -> None:
    good = make_data(name="甲.toml")
    bad = make_data((r"^new = +\[4,", "new = [5,"), name="乙.toml")
    result = docgen("check", good, bad, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["version"] == 1 and report["errors"] >= 1
    files = {Path(entry["file"]).name: entry for entry in report["files"]}
    assert files["甲.toml"] == {"file": str(good), "errors": 0, "warnings": 0, "problems": []}
    problem = files["乙.toml"]["problems"][0]
    assert problem["rule"] == "t3-balance" and "勾稽关系不符" in problem["message"]  # Chinese, not \\u escapes
    assert "勾稽关系不符" in result.stdout
    assert {"line", "column", "sheet", "cell", "key"} <= problem.keys()
    assert "检查了 2 个文件" in result.stderr
    plain = docgen("check", bad)
    assert plain.stdout == "" and "t3-balance" in plain.stderr  # problems on stderr, as render gives them


def _table2_cell(docx: bytes, row: int) -> str:
    return docx_tables(docx)[0][row][-1]


def test_digits_are_ungrouped_unless_the_report_asks(make_data: Make) -> None:
    edit = (r"^licensing = 0", "licensing = 517645")
    plain = make_data(edit, name="甲.toml")
    grouped = make_data(edit, (r"^\[report\]", "[style]\ngroup_digits = true\n\n[report]"), name="乙.toml")
    for data, expected in ((plain, "517645"), (grouped, "517,645")):
        result = docgen("render", data, "--html")
        assert result.returncode == 0, result.stderr
        docx = data.with_suffix(".docx").read_bytes()
        assert expected in [cell for table in docx_tables(docx) for row in table for cell in row]
        assert f">{expected}<" in data.with_suffix(".html").read_text(encoding="utf-8")


def test_a_date_line_under_the_title_when_asked(make_data: Make) -> None:
    import docx

    data = make_data((r"^issuer = ", "title_date = true\nissuer = "))
    assert docgen("render", data, "--html").returncode == 0
    document = docx.Document(str(data.with_suffix(".docx")))
    dated = document.paragraphs[2]
    assert dated.text == "（2022年2月18日）" and dated.style.name == "标题日期"
    assert dated.alignment is None and dated.style.paragraph_format.alignment == 1  # centred
    assert dated.runs[0].style.name == "标题 2 字符"  # 楷体, as [style] heading2_font sets it
    assert "（2022年2月18日）" in data.with_suffix(".html").read_text(encoding="utf-8")
    plain = make_data(name="plain.toml")
    assert docgen("render", plain).returncode == 0
    assert "（2022年2月18日）" not in docx_units(plain.with_suffix(".docx").read_bytes())


def test_next_years_file_names_its_own_year_and_waits_to_be_filled_in(tmp_path: Path, make_data: Make) -> None:
    previous = make_data(
        (r"^licensing = 0", "licensing = 100"),
        (r"^issuer = ", 'title = ["保德县人民政府", "2021年政府信息公开工作年度报告"]\nissuer = '),
        name="2021.toml",
    )
    data = tmp_path / "2022.toml"
    assert docgen("init", "-o", data, "--from", previous).returncode == 0
    assert 'title = ["保德县人民政府", "{{ report.year }}年政府信息公开工作年度报告"]' in data.read_text(
        encoding="utf-8"
    )
    checked = docgen("check", data, "--previous", previous)
    assert checked.returncode == 0, checked.stderr
    assert "figure-jump" not in checked.stderr and "title-year" not in checked.stderr  # 100 → 0: not filled in yet
    assert docgen("render", data).returncode == 0
    assert "2022年政府信息公开工作年度报告" in docx_units(data.with_suffix(".docx").read_bytes())


BIG_FIGURES = (
    (r"^new = +\[4, 0,", "new = [12345678, 9876543,"),
    (r"^granted = +\[3, 0,", "granted = [12345677, 9876543,"),
    (r"^review = +\[0, 0, 0, 0\]", "review = [12345678, 0, 0, 0]"),
    (r"^licensing = 0", "licensing = 12345678"),
)


def test_eight_digit_figures_stay_on_one_line_in_every_table_of_the_pdf(make_data: Make, soffice: str) -> None:
    data = make_data(*BIG_FIGURES)
    result = docgen("render", data, "--pdf")
    assert result.returncode == 0, result.stderr
    # One line names the official fonts this machine shows in look-alikes (none of them is installed here).
    [fonts] = [line for line in result.stderr.splitlines() if line.startswith("PDF 中以外观相近的免费字体")]
    assert "仿宋_GB2312 → Noto Serif CJK SC" in fonts and "楷体_GB2312 → AR PL KaitiM GB" in fonts
    layout = subprocess.run(
        ["pdftotext", "-layout", str(data.with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True
    ).stdout
    tokens = layout.split()
    # Table 2's 行政许可, table 3's rows and 总计 column, table 4's 行政复议 row and its total: every figure whole.
    assert tokens.count("12345678") >= 5 and tokens.count("9876543") >= 3
    assert tokens.count("22222221") >= 2 and "22222220" in tokens
    assert not [token for token in tokens if token in ("1234567", "987654", "2222222")]  # no broken halves


def test_only_a_figure_too_wide_for_its_cell_is_narrowed(make_data: Make) -> None:
    import docgen
    from docgen import fitting
    from docgen.derive import derive

    plain = docgen.load(make_data(name="plain.toml"))
    assert not fitting.may_overflow(derive(plain))  # figures of 1–4 digits: the document is not even parsed
    with zipfile.ZipFile(io.BytesIO(docgen.render_bytes(plain))) as archive:
        document, styles = archive.read("word/document.xml"), archive.read("word/styles.xml")
    assert fitting.fit_figures(document, styles) is None  # and had it been, nothing to narrow
    assert fitting.table_font_size(styles) == 10.5
    big = docgen.render_bytes(docgen.load(make_data(*BIG_FIGURES, name="big.toml")))
    with zipfile.ZipFile(io.BytesIO(big)) as archive:
        xml = archive.read("word/document.xml").decode()
    scales = re.findall(r'<w:w w:val="(\d+)"/>(?:<[^>]+>)*<w:t[^>]*>([\d,]+)</w:t>', xml)
    assert {text for _, text in scales} >= {"12345678", "9876543", "22222221"}
    assert all(fitting.MIN_SCALE <= int(scale) < 100 for scale, _ in scales)
    assert "<w:w " not in xml[: xml.index("<w:tbl")]  # the narrative's 22222221 is text, never narrowed


def test_the_layout_options_travel_through_a_workbook_as_yes_and_no(make_data: Make, tmp_path: Path) -> None:
    import openpyxl

    from docgen import load

    data = make_data(
        (r"^issuer = ", "title_date = true\nissuer = "), (r"^\[report\]", "[style]\ngroup_digits = true\n\n[report]")
    )
    workbook = tmp_path / "2021.xlsx"
    assert docgen("convert", data, workbook).returncode == 0
    sheet = openpyxl.load_workbook(workbook)["基本信息"]
    shown = {row[3].value: row[1].value for row in sheet.iter_rows(min_row=2) if row[3].value}
    assert (shown["report.title_date"], shown["style.group_digits"]) == ("是", "是")
    back = load(workbook)
    assert back.report.title_date is True and back.style.group_digits is True
    assert load(make_data(name="plain.toml")).style.group_digits is False

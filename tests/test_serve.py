"""`docgen serve` at the request level: the list, the editor, live checks, safe saves (comments kept, atomic,
conflicts refused, drafts), downloads, and each security rule (host, password, CSRF, names, uploads)."""

from __future__ import annotations

import io
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, docx_units

pytest.importorskip("starlette", reason="the serve extra is part of the test extra: pip install -e '.[test]'")
from starlette.testclient import TestClient

import docgen
from docgen.serve import ServeLimits, create_app

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

BASE = "http://127.0.0.1:8000"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "2021-baode.toml")
    return folder


def _client(folder: Path, **options: str) -> TestClient:
    return TestClient(create_app(folder, **options), base_url=BASE)


def _csrf(html: str) -> str:
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def _version(html: str) -> str:
    return re.search(r'name="_version" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def test_the_list_names_each_report_by_issuer_year_and_status(workspace: Path) -> None:
    broken = (
        EXAMPLE.read_text(encoding="utf-8")
        .replace("保德县", "河曲县")
        .replace("[4, 0, 0, 0, 0, 0]     # 一、", "[5, 0, 0, 0, 0, 0]     # 一、")
    )
    (workspace / "2021-hequ.toml").write_text(broken, encoding="utf-8")
    (workspace / "notes.txt").write_text("not a report", encoding="utf-8")
    docgen.audit([workspace / "2021-baode.toml"], output=workspace / "审核.xlsx")  # a workbook, not a report
    page = _client(workspace).get("/").text
    assert "保德县人民政府" in page and "河曲县人民政府" in page and "notes.txt" not in page
    assert (workspace / "审核.xlsx").exists() and "审核.xlsx" not in page
    rows = re.findall(r"<tr>\s*<td><a[^>]*>([^<]+)</a></td>\s*<td>(\d+)</td>\s*<td class=\"status (\w+)\"", page)
    assert sorted(rows) == [("保德县人民政府", "2021", "ready"), ("河曲县人民政府", "2021", "errors")]


def test_the_editor_mirrors_the_printed_tables(workspace: Path) -> None:
    page = _client(workspace).get("/r/2021-baode.toml").text
    for label in (
        "表三 收到和处理政府信息公开申请情况",
        "自然人",
        "商业企业",
        "本年新收政府信息公开申请数量",
        "予以公开",
    ):
        assert label in page
    assert 'name="table3.new[0]" value="4"' in page  # a figure the clerk types
    assert '<output data-figure="table3.new[6]">4</output>' in page  # a total, derived
    assert 'rowspan="' in page and 'colspan="' in page  # merged headers as printed
    assert "依据《中华人民共和国政府信息公开条例》" in page  # narrative texts, editable


def test_a_live_check_answers_with_totals_balance_and_the_clis_problems(workspace: Path) -> None:
    client = _client(workspace)
    token = _csrf(client.get("/r/2021-baode.toml").text)
    started = time.perf_counter()
    answer = client.post(
        "/r/2021-baode.toml/check", json={"fields": {"table3.new[0]": "9"}}, headers={"X-CSRF-Token": token}
    ).json()
    assert time.perf_counter() - started < 5  # (the benchmark measures the real figure)
    assert answer["figures"]["table3.new[6]"] == 9
    assert answer["balanced"] == [False, True, True, True, True, True]
    (problem,) = answer["problems"]
    assert problem["rule"] == "t3-balance" and "自然人" in problem["message"]
    from docgen.api import check
    from docgen.load import from_dict

    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["table3"]["new"][0] = 9
    (cli_problem,) = check(from_dict(data))
    assert problem["message"] == cli_problem.message, "the same wording as the command line"


def test_saving_keeps_comments_and_layout_and_changes_only_the_edited_figures(workspace: Path) -> None:
    path = workspace / "2021-baode.toml"
    original = path.read_text(encoding="utf-8").replace("[table2]", "# 表二由办公室填写\n[table2]")
    path.write_text(original, encoding="utf-8")
    client = _client(workspace)
    page = client.get("/r/2021-baode.toml").text
    fields = {
        "_csrf": _csrf(page),
        "_version": _version(page),
        "table2.licensing": "12",
        "report.issuer": "保德县人民政府",
    }
    response = client.post("/r/2021-baode.toml/save", data=fields, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("notice=saved")
    saved = path.read_text(encoding="utf-8")
    assert "# 表二由办公室填写" in saved
    assert "licensing = 12" in saved
    changed = [
        (a.split("#")[0].strip(), b.split("#")[0].strip())
        for a, b in zip(original.splitlines(), saved.splitlines())
        if a != b
    ]
    assert changed == [("licensing = 0", "licensing = 12")], "one line changed, its comment kept"
    assert len(original.splitlines()) == len(saved.splitlines())
    assert [p.name for p in workspace.iterdir()] == ["2021-baode.toml"], "written atomically, no temporary left"


def test_a_file_changed_on_disk_is_not_overwritten(workspace: Path) -> None:
    client = _client(workspace)
    page = client.get("/r/2021-baode.toml").text
    path = workspace / "2021-baode.toml"
    someone_else = path.read_text(encoding="utf-8").replace("licensing = 0", "licensing = 7")
    path.write_text(someone_else, encoding="utf-8")
    fields = {"_csrf": _csrf(page), "_version": _version(page), "table2.licensing": "12"}
    response = client.post("/r/2021-baode.toml/save", data=fields)
    assert response.status_code == 409 and "被修改过" in response.text and "重新载入" in response.text
    assert path.read_text(encoding="utf-8") == someone_else


def test_a_draft_with_errors_is_saved_but_not_rendered(workspace: Path) -> None:
    client = _client(workspace)
    page = client.get("/r/2021-baode.toml").text
    fields = {"_csrf": _csrf(page), "_version": _version(page), "table3.new[0]": "9"}
    response = client.post("/r/2021-baode.toml/save", data=fields, follow_redirects=False)
    assert response.headers["location"].endswith("notice=saved-draft")
    assert "[9, 0, 0, 0, 0, 0]     # 一、" in (workspace / "2021-baode.toml").read_text(encoding="utf-8")
    download = client.get("/r/2021-baode.toml/download/docx")
    assert download.status_code == 409 and "草稿" in download.text
    assert "t3-balance" in client.get("/r/2021-baode.toml").text


def test_downloads_are_plain_links_that_give_the_document(workspace: Path) -> None:
    client = _client(workspace)
    docx = client.get("/r/2021-baode.toml/download/docx")
    assert docx.status_code == 200 and "2021-baode.docx" in docx.headers["content-disposition"]
    assert "保德县人民政府2021年政府信息公开工作年度报告" in "".join(docx_units(docx.content))
    xlsx = client.get("/r/2021-baode.toml/download/xlsx")
    from openpyxl import load_workbook

    assert "表三" in load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_new_reports_blank_and_from_last_year(workspace: Path) -> None:
    client = _client(workspace)
    token = _csrf(client.get("/").text)
    blank = client.post("/new", data={"_csrf": token, "kind": "blank", "issuer": "神池县教育局", "year": "2025"})
    assert blank.status_code == 200 and "神池县教育局" in blank.text
    assert (workspace / "2025-神池县教育局.toml").is_file()
    following = client.post("/new", data={"_csrf": token, "kind": "next-year", "source": "2021-baode.toml"})
    assert following.status_code == 200
    assert (workspace / "2022-2021-baode.toml").is_file()


def test_an_uploaded_published_report_is_read_into_a_new_data_file(workspace: Path) -> None:
    from docgen.api import render_bytes

    client = _client(workspace)
    token = _csrf(client.get("/").text)
    document = render_bytes(EXAMPLE)
    files = {"document": ("去年的报告.docx", document, "application/octet-stream")}
    response = client.post("/new", data={"_csrf": token, "kind": "upload"}, files=files)
    assert response.status_code == 200
    made = workspace / "去年的报告.toml"
    assert tomllib.loads(made.read_text(encoding="utf-8"))["table3"]["new"][0] == 4
    hostile = {"document": ("x.docx", b"PK\x03\x04" + b"\0" * 100, "application/octet-stream")}
    refused = client.post("/new", data={"_csrf": token, "kind": "upload"}, files=hostile)
    assert refused.status_code == 400 and "Traceback" not in refused.text
    wrong = client.post("/new", data={"_csrf": token, "kind": "upload"}, files={"document": ("a.exe", b"MZ", "x")})
    assert wrong.status_code == 400 and ".docx" in wrong.text


def test_every_change_needs_the_csrf_token(workspace: Path) -> None:
    client = _client(workspace)
    page = client.get("/r/2021-baode.toml").text
    before = (workspace / "2021-baode.toml").read_bytes()
    for token in ("", "forged"):
        fields = {"_csrf": token, "_version": _version(page), "table2.licensing": "12"}
        assert client.post("/r/2021-baode.toml/save", data=fields).status_code == 403
        assert (
            client.post("/new", data={"_csrf": token, "kind": "blank", "issuer": "x", "year": "2025"}).status_code
            == 403
        )
    stranger = TestClient(create_app(workspace), base_url=BASE)  # another browser: no session cookie of ours
    fields = {"_csrf": _csrf(page), "_version": _version(page), "table2.licensing": "12"}
    assert stranger.post("/r/2021-baode.toml/save", data=fields).status_code == 403
    cross_site = {"origin": "http://evil.example"}
    assert client.post("/r/2021-baode.toml/save", data=fields, headers=cross_site).status_code == 403
    assert (workspace / "2021-baode.toml").read_bytes() == before


def test_names_stay_inside_the_workspace(workspace: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_bytes(EXAMPLE.read_bytes())
    (workspace / "link.toml").symlink_to(secret)
    client = _client(workspace)
    assert "link.toml" not in client.get("/").text
    for name in ("..%2Fsecret.toml", "link.toml", ".hidden.toml", "%2Fetc%2Fpasswd", "2021-baode.exe"):
        response = client.get(f"/r/{name}/download/docx")
        assert response.status_code in (404, 409), name
        assert "保德县" not in response.text
    token = _csrf(client.get("/").text)
    following = client.post("/new", data={"_csrf": token, "kind": "next-year", "source": "../secret.toml"})
    assert following.status_code == 400 and not list(tmp_path.glob("2022*"))


def test_only_this_servers_host_name_is_answered(workspace: Path) -> None:
    rebinding = TestClient(create_app(workspace), base_url="http://attacker.example:8000")
    assert rebinding.get("/").status_code == 400


def test_serving_other_machines_needs_a_password_and_then_a_login(workspace: Path) -> None:
    with pytest.raises(ValueError, match="必须设置密码"):
        create_app(workspace, host="0.0.0.0")
    client = TestClient(create_app(workspace, host="0.0.0.0", password="保密-2025"), base_url="http://192.0.2.7:8000")
    assert client.get("/r/2021-baode.toml/download/docx", follow_redirects=False).headers["location"] == "/login"
    assert client.post("/login", data={"password": "wrong"}).status_code == 403
    assert client.post("/login", data={"password": "保密-2025"}).status_code == 200
    cookie = client.cookies.get("docgen_session")
    assert cookie and client.get("/r/2021-baode.toml/download/docx").status_code == 200


def test_the_command_refuses_other_machines_without_a_password(workspace: Path) -> None:
    from test_cli import docgen

    result = docgen("serve", workspace, "--host", "0.0.0.0", env={"DOCGEN_SERVE_PASSWORD": ""})
    assert result.returncode == 2 and "必须设置密码" in result.stderr


def test_an_upload_over_the_limit_is_refused(workspace: Path) -> None:
    client = TestClient(create_app(workspace, limits=ServeLimits(upload=1000)), base_url=BASE)
    token = _csrf(client.get("/").text)
    files = {"document": ("big.docx", b"x" * 5000, "application/octet-stream")}
    response = client.post("/new", data={"_csrf": token, "kind": "upload"}, files=files)
    assert response.status_code == 413 and not list(workspace.glob("big*"))


def test_every_figure_has_a_token_label_of_its_own() -> None:
    from docgen.formats import FORMATS
    from docgen.formats.layout import Figure
    from docgen.serve.views import figure_labels

    for name, fmt in FORMATS.items():
        cells = [cell.key for grid in fmt.grids for row in grid.rows for cell in row if isinstance(cell, Figure)]
        assert len(figure_labels(name)) == len(cells), name  # no two figures share a token
        assert all("table" not in label for label in figure_labels(name)), name  # Chinese, not key paths


def test_a_quoted_figure_is_a_token_on_the_page_and_the_expression_in_the_file(workspace: Path) -> None:
    from docgen.serve.views import expressions_of, figure_labels, tokens_of

    path = workspace / "2021-baode.toml"
    original = path.read_text(encoding="utf-8")
    client = _client(workspace)
    page = client.get("/r/2021-baode.toml").text
    assert "受理依申请公开政府信息【表三 本年新收 总计：4】件" in page
    assert "{{ table3.new.total }}件，均100%办结" not in page.split("<textarea", 1)[1]  # shown as a token
    assert "{{ figures.hotline.total }}" in page  # the clerk's own figures stay as they are written
    assert "一、总体情况 （一）高度重视，高位推动 第1段" in page and ">overview.sections[0].paragraphs[0]<" not in page

    import html

    found = re.search(r'name="([^"]+)"[^>]*>([^<]*加大主动公开力度[^<]*)</textarea>', page)
    assert found is not None
    key, shown = html.unescape(found.group(1)), html.unescape(found.group(2))
    edited = shown.replace("加大主动公开力度", "加大主动公开力度（新收【表四 行政复议 结果纠正：0】件）")
    fields = {"_csrf": _csrf(page), "_version": _version(page), key: edited}
    response = client.post("/r/2021-baode.toml/save", data=fields, follow_redirects=False)
    assert response.status_code == 303
    saved = path.read_text(encoding="utf-8")
    assert "受理依申请公开政府信息{{ table3.new.total }}件" in saved  # as the file wrote it
    assert "加大主动公开力度（新收{{ table4.review[1] }}件）" in saved and "【" not in saved
    changed = [line for line in saved.splitlines() if line not in original.splitlines()]
    assert len(changed) == 1  # the one paragraph edited

    labels = figure_labels("2021")
    assert expressions_of("甲【表三 没有这一行：3】乙", labels) == "甲【表三 没有这一行：3】乙"  # not a figure: kept
    text = "共{{table3.new[6]}}件，其中{{ table3.new.natural }}件"
    assert tokens_of(text, "2021", {"table3.new[6]": 5, "table3.new[0]": 2}) == (
        "共【表三 本年新收 总计：5】件，其中【表三 本年新收 自然人：2】件"
    )
    assert expressions_of(tokens_of(text, "2021", {}), labels, text) == text


def _layout(report_path: Path) -> dict[str, object]:
    """The narrative as the page's script sends it, from a data file."""
    import docgen

    report = docgen.load(report_path)

    def paragraphs(items: list[object]) -> list[object]:
        return [
            item
            if isinstance(item, str)
            else {"lead": item.lead, "items": list(item.items), "separator": item.separator}  # type: ignore[attr-defined]
            for item in items
        ]

    return {
        "preamble": paragraphs(report.report.preamble),
        "overview": paragraphs(report.overview.paragraphs),
        "sections": [
            {"from": number, "title": section.title, "paragraphs": paragraphs(section.paragraphs)}
            for number, section in enumerate(report.overview.sections)
        ],
        "problems": paragraphs(report.problems.paragraphs),
        "other": paragraphs(report.other.paragraphs),
    }


def test_the_structure_laid_out_on_the_page_is_saved_into_a_workbook_s_正文_sheet(tmp_path: Path) -> None:
    import json

    import docgen
    from docgen.workbook import workbook_bytes

    folder = tmp_path / "workspace"
    folder.mkdir()
    book = folder / "2021-保德县.xlsx"
    book.write_bytes(workbook_bytes(docgen.load(EXAMPLE)))
    layout = _layout(EXAMPLE)
    sections = layout["sections"]
    assert isinstance(sections, list) and len(sections) == 3
    sections.insert(1, {"from": None, "title": "夯实基础，规范管理", "paragraphs": ["新增的一段。", ""]})
    sections.reverse()  # moved: the run-in flag of each sub-section goes with it
    problems = layout["problems"]
    assert isinstance(problems, list)
    problems.append({"lead": "下一步：", "items": ["加强培训", ""], "separator": "。"})
    client = _client(folder)
    page = client.get("/r/2021-保德县.xlsx").text
    fields = {"_csrf": _csrf(page), "_version": _version(page), "_narrative": json.dumps(layout, ensure_ascii=False)}
    response = client.post("/r/2021-保德县.xlsx/save", data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    saved = docgen.load(book)
    titles = [section.title for section in saved.overview.sections]
    original = docgen.load(EXAMPLE).overview.sections
    assert titles == [original[2].title, original[1].title, "夯实基础，规范管理", original[0].title]
    runs_in = [original[2].run_in, original[1].run_in, False, original[0].run_in]
    assert [section.run_in for section in saved.overview.sections] == runs_in  # each kept its own
    assert saved.overview.sections[2].paragraphs == ["新增的一段。"]  # the empty box left out
    last = saved.problems.paragraphs[-1]
    assert last.lead == "下一步：" and list(last.items) == ["加强培训"] and last.separator == "。"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "layout",
    [
        "[1, 2]",
        '{"sections": [{"from": -1, "title": "x"}]}',
        '{"overview": [{"items": [1]}]}',
        '{"unknown": []}',
        '{"problems": ["' + "长" * 10 + '"], "other": "不是列表"}',
        "{not json",
    ],
)
def test_a_narrative_layout_of_the_wrong_shape_is_refused_and_nothing_is_written(workspace: Path, layout: str) -> None:
    path = workspace / "2021-baode.toml"
    before = path.read_bytes()
    client = _client(workspace)
    page = client.get("/r/2021-baode.toml").text
    fields = {"_csrf": _csrf(page), "_version": _version(page), "_narrative": layout}
    response = client.post("/r/2021-baode.toml/save", data=fields, follow_redirects=False)
    assert response.status_code == 400 and "提交的内容格式不对" in response.text, response.text
    assert path.read_bytes() == before

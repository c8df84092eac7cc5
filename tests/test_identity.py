"""A report's issuer and year come from the document itself (issue 27): a title the report quotes in 《》 is
never its own, the page's <title>, heading and 统计期限 sentence are weighed together, and a year found nowhere
is an error naming report.year — never filled in from today's date."""

from __future__ import annotations

import re

import pages
import pytest
from conftest import EXAMPLE

import docgen
from docgen.extract import extract

NOTICE = (
    "根据《国务院办公厅政府信息与政务公开办公室关于编制公布2021年政府信息公开工作年度报告有关事项的通知》要求，"
    "现公布本报告。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
)


def _page(preamble: str, title: str = "none", page_title: str | None = None) -> bytes:
    text = EXAMPLE.read_text(encoding="utf-8").replace('# preamble = ["……"]', f'preamble = ["{preamble}"]')
    report = docgen.loads(text, "2021.toml")
    page = pages.report_page(report, docgen.render_bytes(report), title=title).decode("gbk")
    if page_title is not None:
        page = re.sub(r"<title>[^<]*</title>", f"<title>{page_title}</title>", page)
        page = re.sub(r'(<td colspan="3">)[^<]*(</td>)', r"\1\2", page)  # and no 标题 field to fall back on
    return page.encode("gbk")


def test_a_quoted_notice_is_not_the_reports_title() -> None:
    extraction = extract(_page(NOTICE.format(year=2021)), "page.html")
    assert extraction.data["report"]["issuer"] == "保德县人民政府"
    assert extraction.data["report"]["year"] == 2021
    assert not [problem for problem in extraction.warnings if problem.key.startswith("report")]


def test_the_period_gives_the_year_when_no_title_names_it() -> None:
    extraction = extract(_page(NOTICE.format(year=2021), page_title="政府信息公开年报_某县人民政府"), "page.html")
    assert extraction.data["report"]["year"] == 2021
    issuer = [problem.message for problem in extraction.warnings if problem.key == "report.issuer"]
    assert issuer and "保德县人民政府办公室" in issuer[0], "taken from the site's 发布机构, and said so"


def test_a_title_and_a_period_that_disagree_are_named() -> None:
    extraction = extract(_page(NOTICE.format(year=2020)), "page.html")
    assert extraction.data["report"]["year"] == 2021
    (warning,) = [problem.message for problem in extraction.warnings if problem.key == "report.year"]
    assert "2021" in warning and "2020" in warning


def test_a_year_found_nowhere_is_an_error_not_todays_year(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = _page("现公布本报告。", page_title="政府信息公开年报_某县人民政府").decode("gbk")
    page = page.replace("2022年2月18日", "二〇二二年")  # no signature date to reason from either
    page = re.sub("统计期限[^。]*。", "", page)  # nor the example's own 统计期限 sentence
    extraction = extract(page.encode("gbk"), "page.html")
    assert "year" not in extraction.data["report"]
    (warning,) = [problem.message for problem in extraction.warnings if problem.key == "report.year"]
    assert "请填写 report.year" in warning
    source = tmp_path / "page.html"
    source.write_bytes(page.encode("gbk"))
    (outcome,) = (
        docgen.extract_files([source])
        if hasattr(docgen, "extract_files")
        else __import__("docgen.extract", fromlist=["extract_files"]).extract_files([source])
    )
    assert outcome.failed and any("year" in (problem.key or "") for problem in outcome.problems)


@pytest.mark.parametrize("example", ["2021-baode", "2021-department", "2021-township", "2020-county-2019-format"])
def test_every_example_keeps_its_identity(example: str) -> None:
    path = EXAMPLE.with_name(f"{example}.toml")
    report = docgen.load(path)
    extraction = extract(docgen.render_bytes(report), "r.docx")
    assert extraction.data["report"]["issuer"] == report.report.issuer
    assert extraction.data["report"]["year"] == report.report.year

"""Publishing (issue 21): the report as one self-contained web page, read back by extract exactly as its
.docx is, looked at in a real browser (Debian's Chromium, headless) at desktop and phone widths."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, required_program
from lxml import html as lxml_html
from test_cli import docgen as run

import docgen

EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--allow-file-access-from-files",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    return required_program("chromium", "scripts/system-deps.sh installs Debian's chromium")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
def test_a_published_page_reads_back_as_its_document(example: Path, fragment: bool, tmp_path: Path) -> None:
    page = docgen.render_html(example, tmp_path / "page.html", fragment=fragment)
    from_page = docgen.extract(page)
    from_docx = docgen.extract(docgen.render_bytes(example), "report.docx")
    assert from_page.data == from_docx.data  # tables exactly, text exactly
    assert from_page.warnings == []


def test_the_page_is_self_contained_semantic_html(tmp_path: Path) -> None:
    page = docgen.render_html(EXAMPLE, tmp_path / "2021.html")
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text and '<html lang="zh-CN">' in text
    assert not re.search(r"<(script|link|img|iframe|object)\b", text) and "url(" not in text and "@import" not in text
    tree = lxml_html.fromstring(text.encode("utf-8"))
    assert [h.text_content() for h in tree.iter("h1")] == ["保德县人民政府2021年政府信息公开工作年度报告"]
    assert [h.text_content() for h in tree.iter("h2")] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    tables = list(tree.iter("table"))
    assert len(tables) == 3 and all(
        table.find("thead") is not None and table.find("caption") is not None for table in tables
    )
    table3 = tables[1]
    assert table3.xpath(".//th[@rowspan='3' and @colspan='3']")[0].text_content().startswith("（本列数据的勾稽关系")
    assert table3.xpath(".//th[@colspan='5']")[0].text_content() == "法人或其他组织"
    assert {th.get("scope") for th in table3.iter("th")} <= {"col", "colgroup", "row"}
    new_row = next(row for row in table3.iter("tr") if "一、本年新收" in row.text_content())
    assert [td.text_content() for td in new_row.iter("td")] == ["4", "0", "0", "0", "0", "0", "4"]
    assert tree.xpath("//td[contains(@style,'nowrap')]")  # a figure never wraps in its cell
    fragment = docgen.render_html(EXAMPLE, tmp_path / "fragment.html", fragment=True).read_text(encoding="utf-8")
    assert fragment.startswith("<article") and "<html" not in fragment and "<style" not in fragment


def test_links_in_the_report_stay_links(make_data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make_data(
        (
            r'^  "依据《中华人民共和国政府信息公开条例》',
            '  "详见 https://www.baode.gov.cn/zwgk/ 。依据《中华人民共和国政府信息公开条例》',
        )
    )
    page = docgen.render_html(path, tmp_path / "p.html").read_text(encoding="utf-8")
    assert '<a href="https://www.baode.gov.cn/zwgk/">https://www.baode.gov.cn/zwgk/</a>' in page


def test_render_html_from_the_command_line_and_in_batches(tmp_path: Path) -> None:
    result = run("render", EXAMPLE, "-o", tmp_path / "2021.docx", "--html")
    assert result.returncode == 0 and (tmp_path / "2021.html").is_file() and (tmp_path / "2021.docx").is_file()
    folder = tmp_path / "in"
    folder.mkdir()
    for example in EXAMPLES:
        (folder / example.name).write_bytes(example.read_bytes())
    result = run("render", folder, "-o", tmp_path / "out", "--fragment", "--jobs", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    pages = sorted(path.name for path in (tmp_path / "out").glob("*.html"))
    assert pages == sorted(example.with_suffix(".html").name for example in EXAMPLES)
    assert (tmp_path / "out" / "2021-baode.html").read_text(encoding="utf-8").startswith("<article")


PROBE = """<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{page}" style="width:{width}px;height:900px;border:0"></iframe>
<script>document.getElementById('f').addEventListener('load', function () {{
  var page = this.contentDocument.documentElement, view = this.contentWindow.innerWidth;
  var tables = [].map.call(this.contentDocument.querySelectorAll('table'), function (t) {{
    var box = t.parentElement; return [box.clientWidth, t.scrollWidth, getComputedStyle(box).overflowX]; }});
  document.body.setAttribute('data-result', JSON.stringify({{view: view, page: page.scrollWidth, tables: tables}}));
}});</script></body></html>"""


def _measure(chromium: str, page: Path, width: int, tmp_path: Path) -> dict[str, object]:
    """The page in a frame `width` pixels wide, as Chromium lays it out (headless windows are at least
    500 pixels wide, a frame can be a phone's)."""
    import json

    probe = tmp_path / f"probe-{width}.html"
    probe.write_text(PROBE.format(page=page.name, width=width), encoding="utf-8")
    dom = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / f'profile-{width}'}", "--window-size=1400,1000",
         "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    found = re.search(r'data-result="([^"]*)"', dom)
    assert found, dom[-500:]
    return json.loads(found.group(1).replace("&quot;", '"'))  # type: ignore[no-any-return]


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_no_table_overflows_the_page(chromium: str, width: int, tmp_path: Path) -> None:
    page = docgen.render_html(EXAMPLE, tmp_path / "2021.html")
    result = _measure(chromium, page, width, tmp_path)
    assert result["view"] == width and result["page"] <= width, result  # the page never scrolls sideways
    for box, table, overflow in result["tables"]:  # type: ignore[union-attr]
        assert table <= box or overflow == "auto", result  # a wide table scrolls inside its own box
    if width == 375:
        assert any(table > box for box, table, _ in result["tables"])  # table 4 does need to scroll there


def test_screenshots_for_the_readme(chromium: str, tmp_path: Path) -> None:
    """The README's pictures of a published page are what Chromium shows (regenerated with UPDATE_SCREENSHOTS=1):
    the top of the page on a desktop, and table 3 in a phone-wide frame, scrolling inside its box."""
    import os

    from PIL import Image

    page = docgen.render_html(EXAMPLE, tmp_path / "2021.html")
    frame = tmp_path / "phone.html"
    frame.write_text(
        f'<body style="margin:0"><iframe src="{page.name}#part-3" style="width:375px;height:1000px;border:0"></iframe></body>',
        encoding="utf-8",
    )
    for name, size, url, width in (
        ("publish-desktop.png", "1280,1400", page.as_uri(), 1280),
        ("publish-phone.png", "600,1000", frame.as_uri(), 375),
    ):
        shot = tmp_path / name
        subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile-shot'}", f"--window-size={size}",
             "--virtual-time-budget=3000", f"--screenshot={shot}", url],
            capture_output=True, timeout=120,
        )  # fmt: skip
        with Image.open(shot) as image:
            cropped = image.crop((0, 0, width, image.height))
            assert len(cropped.resize((32, 32)).getcolors(1024) or range(1025)) > 2  # something was drawn
            cropped.save(shot)
        target = ROOT / "docs" / "images" / name
        if os.environ.get("UPDATE_SCREENSHOTS"):
            target.write_bytes(shot.read_bytes())
        assert target.is_file()

"""Reports read from their addresses (issue 30): a county's site served on 127.0.0.1 by the test itself — a
report page whose charset only the HTTP header names, pages that only link to their attachment (a PDF, a Word
file through a PDF viewer), redirects, and responses that are hostile: endless redirects, a body without end,
a server that stops talking, a missing page. No test reaches anything but that server."""

from __future__ import annotations

import http.server
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pages
import pytest
from conftest import EXAMPLE
from openpyxl import load_workbook
from test_cli import docgen as run
from test_desk import DEPARTMENT, _as, roster_book

import docgen
from docgen.derive import derive
from docgen.fetch import RECORD, attachment, file_name, kind_of
from docgen.pdf import Conversion, convert
from docgen.published.html import parse

Route = Callable[[http.server.BaseHTTPRequestHandler], None]

CHROME = (
    "<html><head><meta charset='utf-8'><title>{title}_保德县人民政府</title></head><body>"
    "<div class='nav'><a href='/'>首页</a> <a href='/zwgk/'>政务公开</a></div>"
    "<table class='info'><tr><td>索引号：</td><td>11140931MB1234567X/2022-00012</td>"
    "<td>发布日期：</td><td>{published}</td></tr></table>"
    "<h1>{title}</h1><div class='content'>{body}</div>"
    "<div class='footer'>主办：保德县人民政府办公室 晋ICP备12345678号</div></body></html>"
)


def _send(status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> Route:
    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    return route


def _redirect(to: str) -> Route:
    return _send(302, b"", "text/html", {"Location": to})


def _endless(handler: http.server.BaseHTTPRequestHandler) -> None:
    """A body that never ends (no Content-Length, chunk after chunk)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/pdf")
    handler.end_headers()
    try:
        for _ in range(100_000):
            handler.wfile.write(b"%PDF" + b"0" * 65_536)
    except (BrokenPipeError, ConnectionResetError):
        pass


def _silent(handler: http.server.BaseHTTPRequestHandler) -> None:
    """Headers, then nothing for longer than docgen waits."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.flush()
    time.sleep(4)


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                if self.path.startswith("/loop/"):
                    _redirect(f"/loop/{int(self.path.rsplit('/', 1)[1]) + 1}")(self)
                    return
                site.routes.get(self.path, _send(404, "<h1>404 页面不存在</h1>".encode(), "text/html; charset=utf-8"))(
                    self
                )

            def log_message(self, *_: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def attachments(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> dict[str, bytes]:
    """The county government's report as a PDF (LibreOffice from its .docx), a department's as a .docx."""
    folder = tmp_path_factory.mktemp("attachments")
    county = folder / "county.docx"
    county.write_bytes(docgen.render_bytes(docgen.load(EXAMPLE)))
    assert convert([Conversion(county, folder / "county.pdf")]) == [None]
    department = _as(DEPARTMENT, "保德县发展和改革局", folder, "department.toml")
    return {"pdf": (folder / "county.pdf").read_bytes(), "docx": docgen.render_bytes(docgen.load(department))}


@pytest.fixture
def site(attachments: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)  # 127.0.0.1 only, never through a proxy
    site = Site()
    report = docgen.load(EXAMPLE)
    page = pages.report_page(report, docgen.render_bytes(report))  # GBK, with a <meta> naming gb2312
    undeclared = re.sub(rb"<meta http-equiv[^>]*>", b"", page, count=1)
    county_title = "保德县人民政府2021年政府信息公开工作年度报告"
    link = f"<p>附件：<a href='/uploads/2022/{quote('年度报告')}.pdf'>{county_title}.pdf</a></p>"
    viewer = "<iframe src='/pdfjs/web/viewer.html?file=%2Fuploads%2Fdept2021.docx' width='100%'></iframe>"
    site.routes = {
        "/art/2022/1/20/report.html": _send(200, undeclared, "text/html; charset=GBK"),
        "/moved": _redirect("/art/2022/1/20/report.html"),
        "/art/2022/2/10/art_1.html": _send(
            200, CHROME.format(title=county_title, published="2022-02-10", body=link).encode(), "text/html"
        ),
        f"/uploads/2022/{quote('年度报告')}.pdf": _send(200, attachments["pdf"], "application/octet-stream"),
        "/art/2022/1/25/art_2.html": _send(
            200,
            CHROME.format(title="发改局2021年度报告", published="2022年1月25日", body=viewer).encode(),
            "text/html; charset=utf-8",
        ),
        "/uploads/dept2021.docx": _send(200, attachments["docx"], "application/vnd.ms-word"),
        "/endless.pdf": _endless,
        "/silent.html": _silent,
    }
    yield site
    site.stop()


def test_a_roster_s_addresses_are_audited_and_the_audit_runs_again_offline(site: Site, tmp_path: Path) -> None:
    names = roster_book(
        tmp_path / "名单.xlsx",
        [
            ["保德县人民政府", "县政府", site.url("/art/2022/2/10/art_1.html")],  # a page linking to its PDF
            ["发展和改革局", "部门", site.url("/art/2022/1/25/art_2.html")],  # a PDF viewer showing a .docx
            ["保德县教育局", "部门", site.url("/zwgk/jyj/2021.html")],  # gone: 404
        ],
        third="报告地址",
    )
    output = tmp_path / "审核.xlsx"
    result = run("audit", "--roster", names, "-o", output, "-q")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"无法下载 {site.url('/zwgk/jyj/2021.html')}：网站返回 HTTP 404" in result.stderr
    downloads = tmp_path / "下载"
    files = sorted(path.suffix for path in downloads.iterdir())
    assert files == [".docx", ".html", ".html", ".pdf", ".toml"]
    record = (downloads / RECORD).read_text(encoding="utf-8")
    assert site.url("/art/2022/2/10/art_1.html") in record and '"发布日期" = 2022-02-10' in record

    def standing(book: Path) -> dict[str, tuple[object, ...]]:
        rows = list(load_workbook(book)["名单核对"].values)[1:]
        return {row[0]: (row[3], row[5]) for row in rows}

    first = standing(output)
    assert first["保德县人民政府"] == ("逾期 10 天", "2022-02-10")  # the linking page's date, for its PDF
    assert first["发展和改革局"] == ("已公开", "2022-01-25")
    assert first["保德县教育局"] == ("无法读取", None)  # its address is on the roster: not 未公开, but to be checked
    summary = list(load_workbook(output)["审核汇总"].values)
    assert any(row[1] == "（无法读取）" and row[0] == "2021.html" for row in summary)

    site.stop()  # offline: the same audit again, from the downloads
    again = tmp_path / "再审核.xlsx"
    result = run("audit", "--roster", names, "-o", again, "--downloads", downloads, "-q")
    assert standing(again)["保德县人民政府"] == first["保德县人民政府"]
    assert standing(again)["发展和改革局"] == first["发展和改革局"]
    folder = run("audit", downloads, "--roster", names, "-o", tmp_path / "目录.xlsx", "-q")
    assert "Traceback" not in folder.stderr
    by_folder = standing(tmp_path / "目录.xlsx")
    assert by_folder["保德县人民政府"] == first["保德县人民政府"]  # the date from 下载记录.toml
    assert "没有找到表" not in folder.stderr  # the linking page is not read as a report


def test_extract_reads_a_page_whose_charset_only_the_header_names(site: Site, tmp_path: Path) -> None:
    target = tmp_path / "2021.toml"
    result = run("extract", site.url("/moved"), "-o", target)  # redirected to the report page
    assert result.returncode == 0, result.stderr
    read = docgen.load(target)
    example = docgen.load(EXAMPLE)
    assert read.report.issuer == example.report.issuer
    assert derive(read).table3 == derive(example).table3 and derive(read).table4 == derive(example).table4
    (saved,) = (tmp_path / "下载").glob("*.html")
    assert saved.read_bytes().startswith(b'<meta charset="GBK">')  # so it reads the same offline


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/loop/0", "重定向超过 5 次"),
        ("/endless.pdf", "超过 1 MB"),
        ("/silent.html", "1 秒内没有响应"),
        ("/nowhere.html", "网站返回 HTTP 404"),
    ],
)
def test_hostile_responses_end_in_a_message(site: Site, tmp_path: Path, path: str, reason: str) -> None:
    env = {"DOCGEN_MAX_DOWNLOAD_MB": "1", "DOCGEN_FETCH_TIMEOUT": "1"}
    started = time.monotonic()
    result = run("audit", site.url(path), site.url("/art/2022/1/20/report.html"), "-o", tmp_path / "审核.xlsx", env=env)
    assert time.monotonic() - started < 60
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"无法下载 {site.url(path)}：{reason}" in result.stderr, result.stderr
    downloads = sorted(path.name for path in (tmp_path / "下载").iterdir())
    assert len(downloads) == 2 and RECORD in downloads  # the good page, its record, nothing half-written
    assert (tmp_path / "审核.xlsx").is_file()  # the rest was audited


def test_only_web_addresses_are_fetched(tmp_path: Path) -> None:
    result = run("extract", "ftp://127.0.0.1/report.pdf", "-o", tmp_path / "x.toml")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    result = run("audit", "file:///etc/passwd", "-o", tmp_path / "审核.xlsx")
    assert result.returncode == 1 and "passwd" in result.stderr and "root:" not in result.stderr


def test_what_a_download_is_and_where_a_page_points() -> None:
    assert kind_of(b"%PDF-1.7 ...", "text/html", "http://x/a.html") == ".pdf"  # the bytes, not the header
    assert kind_of(b"PK\x03\x04OFD.xml", "application/zip", "http://x/a") == ".ofd"
    assert kind_of(b"<html>", "text/html; charset=gbk", "http://x/a.doc") == ".html"
    assert kind_of(b"plain", "", "http://x/report.wps") == ".wps"
    page = parse(
        "<html><body><a href='/x.html'>下一篇</a><a href='/files/a.pdf'>附件一</a>"
        "<a href='../files/年度报告.pdf'>2021年度报告</a></body></html>".encode()
    )
    assert attachment(page, "http://site/art/1.html") == "http://site/files/年度报告.pdf"
    assert attachment(parse(b"<html><body><a href='/x.html'>x</a></body></html>"), "http://site/") is None
    assert file_name("http://site/a/index.html", ".html") != file_name("http://site/b/index.html", ".html")
    assert re.fullmatch(r"年度报告-[0-9a-f]{8}\.pdf", file_name(f"http://s/{quote('年度报告')}.pdf", ".pdf"))

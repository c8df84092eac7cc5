"""Hostile inputs (issue 14): documents, templates, expressions, data files and output paths made to exhaust
memory or time, tamper with the report, or crash docgen. Every one ends in a clear Chinese message and exit
1, inside a 1.5 GB address space (a resource limit on the subprocess, not a timing), within 60 s, with
nothing written and nothing on disk changed; in a folder the other files are still processed."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import hostile
import pytest
from conftest import EXAMPLE

import docgen
from docgen.derive import derive
from docgen.render import BUILTIN_TEMPLATE
from docgen.variables import context

ADDRESS_SPACE = 1536 * 1024 * 1024
PREVIOUS = b"last year's file, which must survive"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """docgen in a process that cannot take more than 1.5 GB, given a minute."""
    env = {key: value for key, value in os.environ.items() if key != "DOCGEN_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "docgen", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
        preexec_fn=_limited,
    )


def _clean(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "内部错误" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    return docgen.render_bytes(EXAMPLE)


# What each kind of hostile package must be answered with (besides the file's name).
EXPECTED = {
    "grid-span-huge": "列数超过上限",
    "grid-span-10000-cells": "列数超过上限",
    "grid-span-not-a-number": "不是有效的数字",
    "document-inflates-1.1-GB": "压缩炸弹",
    "footer-inflates-1.1-GB": "压缩炸弹",
    "corrupt-deflate": "已损坏",
    "nameless-member": "已损坏",
    "xxe": "DOCTYPE",
    "billion-laughs": "DOCTYPE",
    "nesting-100k": "Excessive depth",
    "broken-xml": "XML 结构有误",
    "binary-xml": "XML 结构有误",
    "footer-binary": "XML 结构有误",
}


@pytest.mark.parametrize("kind", list(hostile.HOSTILE))
def test_a_hostile_document_is_refused_by_extract(kind: str, report_docx: bytes, tmp_path: Path) -> None:
    document = tmp_path / f"{kind}.docx"
    document.write_bytes(hostile.HOSTILE[kind](report_docx))
    result = run("extract", document)
    _clean(result)
    assert str(document) in result.stderr and EXPECTED[kind] in result.stderr, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [document.name]  # no data file written


@pytest.mark.parametrize("kind", list(hostile.HOSTILE))
def test_a_hostile_template_is_refused_by_lint_and_render(kind: str, tmp_path: Path) -> None:
    template = tmp_path / f"{kind}.docx"
    template.write_bytes(hostile.HOSTILE[kind](BUILTIN_TEMPLATE.read_bytes()))
    linted = run("template", "lint", template)
    assert linted.returncode == 1 and EXPECTED[kind] in linted.stderr and str(template) in linted.stderr, linted
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    output = tmp_path / "2021.docx"
    output.write_bytes(PREVIOUS)
    rendered = run("render", data, "--template", template)
    _clean(rendered)
    assert EXPECTED[kind] in rendered.stderr and str(template) in rendered.stderr, rendered.stderr
    assert output.read_bytes() == PREVIOUS


def test_preview_checks_a_document_before_libreoffice_opens_it(report_docx: bytes, tmp_path: Path) -> None:
    document = tmp_path / "bomb.docx"
    document.write_bytes(hostile.inflating(report_docx))
    with pytest.raises(docgen.DataError) as caught:
        docgen.preview(document, tmp_path)
    assert "压缩炸弹" in caught.value.problems[0].message
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bomb.docx"]


def test_a_folder_goes_on_past_a_broken_document(report_docx: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "各县"
    folder.mkdir()
    (folder / "甲县.docx").write_bytes(report_docx)
    (folder / "乙县.docx").write_bytes(hostile.corrupt_deflate(report_docx))
    (folder / "丙县.docx").write_bytes(hostile.grid_span(report_docx, 10_000))
    (folder / "丁县.docx").write_bytes(report_docx)
    result = run("extract", folder, "-o", tmp_path / "数据")
    _clean(result)
    assert sorted(path.name for path in (tmp_path / "数据").iterdir()) == ["丁县.toml", "甲县.toml"]
    assert "乙县.docx" in result.stderr and "丙县.docx" in result.stderr
    assert "读取了 4 个文档：0 个提示，2 个无法读取" in result.stderr


def test_lint_is_linear_in_table_size_and_refuses_past_the_limit(tmp_path: Path) -> None:
    grown = tmp_path / "2000.docx"
    grown.write_bytes(hostile.extra_rows(BUILTIN_TEMPLATE.read_bytes(), 2000))
    assert run("template", "lint", grown).returncode == 0  # within the limit: linted in full
    huge = tmp_path / "10000.docx"
    huge.write_bytes(hostile.extra_rows(BUILTIN_TEMPLATE.read_bytes(), 10_000))
    result = run("template", "lint", huge)
    assert result.returncode == 1 and "行数" in result.stderr and "DOCGEN_MAX_TABLE_ROWS" in result.stderr
    raised = subprocess.run(
        [sys.executable, "-m", "docgen", "template", "lint", str(huge)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DOCGEN_MAX_TABLE_ROWS": "20000"},
        preexec_fn=_limited,
    )
    assert raised.returncode == 0, raised.stdout  # a user who needs more raises the limit


# --- expressions ----------------------------------------------------------------------------------------

EXPRESSIONS = {
    "table3.update": ("{{ table3.update({'new': [1,2,3,4,5,6,999]}) or '' }}", "不允许"),
    "table2.update": ("{{ table2.update({'fees': 9}) or '' }}", "不允许"),
    "huge-power": ("{{ 9**387420489 }}", "乘方"),
    "nested-range-loops": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "range"),
    "nested-loops": ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}", "循环"),
    "format-width": ("{{ '%0999999999d'|format(1) }}", "宽度"),
    "repetition": ("{{ 'a'*10**10 }}", "长度"),
    "lipsum": ("{{ lipsum(n=100000, html=False, min=100, max=1000) }}", "lipsum"),
    "recursive-macro": ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", "嵌套"),
    "exponential-macro": (
        "{% macro m(n) %}{% if n %}{{ m(n-1) }}{{ m(n-1) }}{% endif %}{% endmacro %}{{ m(40) }}",
        "调用次数",
    ),
    "doubling-concat": (
        "{% macro m(s, n) %}{% if n %}{{ m(s ~ s, n-1) }}{% endif %}{% endmacro %}{{ m('x'*1000, 45) }}",
        "长度",
    ),
    "str-ljust": ("{{ 'a'.ljust(10**9) }}", "不允许"),
    "str-format": ("{{ '{:>999999999}'.format(1) }}", "不允许"),
    "join-amplifies": ("{{ range(10000)|join('x'*100000) }}", "长度"),
    "replace-amplifies": ("{{ ('a'*100000)|replace('a', 'b'*100000) }}", "长度"),
    "center-width": ("{{ 'a'|center(999999999) }}", "宽度"),
    "batch-fill": ("{{ [1]|batch(999999999, 'x')|list }}", "batch"),
    "output-size": ("{% for i in range(10000) %}{{ 'x'*100000 }}{% endfor %}", "输出"),
}


def _with_paragraph(expression: str) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    changed = text.replace('  "无其他需报告的事项。",', "  " + json.dumps(expression, ensure_ascii=False) + ",", 1)
    assert changed != text
    return changed


@pytest.mark.parametrize("name", list(EXPRESSIONS))
def test_a_hostile_narrative_expression_is_refused(name: str, tmp_path: Path) -> None:
    expression, words = EXPRESSIONS[name]
    data = tmp_path / "2021.toml"
    data.write_text(_with_paragraph(expression), encoding="utf-8")
    started = time.monotonic()
    result = run("render", data)
    _clean(result)
    assert time.monotonic() - started < 60
    assert re.search(rf"{re.escape(str(data))}:\d+: narrative other\.paragraphs\[0\]: ", result.stderr), result.stderr
    assert words in result.stderr, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2021.toml"]


@pytest.mark.parametrize("name", ["table3.update", "huge-power", "nested-loops", "exponential-macro", "output-size"])
def test_a_hostile_template_expression_is_refused(name: str, tmp_path: Path) -> None:
    expression, _ = EXPRESSIONS[name]
    parts = hostile.members(BUILTIN_TEMPLATE.read_bytes())
    body = parts["word/document.xml"].decode("utf-8")
    # In a paragraph of the template's own, as a template author (or an attacker) would type it.
    escaped = expression.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
    paragraph = f"<w:p><w:r><w:t>{escaped}</w:t></w:r></w:p>"
    parts["word/document.xml"] = body.replace("<w:body>", "<w:body>" + paragraph, 1).encode("utf-8")
    template = tmp_path / "mine.docx"
    template.write_bytes(hostile.pack(parts))
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    result = run("render", data, "--template", template)
    _clean(result)
    assert str(template) in result.stderr
    assert not (tmp_path / "2021.docx").exists()


def test_the_printed_table_is_the_checked_table() -> None:
    """Data handed to expressions is read-only: no text can change a figure after the checks passed."""
    report = docgen.loads(_with_paragraph("{{ table3.update({'new': [9, 9, 9, 9, 9, 9]}) or '' }}"), "x.toml")
    with pytest.raises(docgen.DataError) as caught:
        docgen.render_bytes(report)
    (problem,) = caught.value.problems
    assert (problem.rule, problem.key) == ("narrative", "other.paragraphs[0]") and "update" in problem.message
    assert report.table3.new.figures == (4, 0, 0, 0, 0, 0)


def test_ordinary_expressions_still_work() -> None:
    text = (
        "{% for row in [1, 2, 3] %}{{ row }}{% endfor %}{{ 'a' ~ 'b' }}{{ range(3)|join('、') }}"
        "{{ '%05.1f'|format(3.14159) }}{{ 2 ** 10 }}{{ 'ab' * 3 }}{{ table3.new.total|num }}"
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}{{ twice('好') }}{{ 'x'|center(5) }}"
    )
    report = docgen.loads(_with_paragraph(text), "x.toml")
    (paragraph, *_) = context(report, derive(report))["other"]
    assert paragraph["text"] == "123ab0、1、2003.11024ababab4好好  x"


# --- data files -----------------------------------------------------------------------------------------


def test_an_exponent_no_figure_can_have_is_a_located_error(tmp_path: Path) -> None:
    data = tmp_path / "2021.toml"
    data.write_text(
        re.sub(r"^fees = 0 ", "fees = 1e9999999999999999999 ", EXAMPLE.read_text(encoding="utf-8"), flags=re.M)
    )
    for command in ("check", "render"):
        result = run(command, data)
        _clean(result)
        assert re.search(
            rf"{re.escape(str(data))}:\d+: toml-syntax: 数字 1e9999999999999999999 超出范围",
            result.stdout + result.stderr,
        )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2021.toml"]


def _in_figures(line: str) -> str:
    """The example with a table of figures of its own, [figures.deep], holding `line`."""
    return EXAMPLE.read_text(encoding="utf-8") + "\n[figures.deep]\n" + line + "\n"


def test_tables_nested_hundreds_deep_are_refused(tmp_path: Path) -> None:
    nested = "x = " + "{ a = " * 500 + "1" + " }" * 500
    data = tmp_path / "2021.toml"
    data.write_text(_in_figures(nested), encoding="utf-8")
    result = run("check", data)
    _clean(result)
    assert "嵌套的层数过多" in result.stderr
    shallow = "x = " + "{ a = " * 12 + "1" + " }" * 12  # past [figures]' own depth limit, within TOML's
    data.write_text(_in_figures(shallow), encoding="utf-8")
    result = run("check", data)
    _clean(result)
    assert "figures.deep" in result.stderr and "嵌套的层数过多" in result.stderr


BLANKS = " " * 3_000_000  # a line of megabytes: any reading quadratic in a line's length takes hours


@pytest.mark.parametrize(
    ("name", "edit", "refused"),
    [
        ("unclosed-row", (r"^new = +\[4, 0, 0, 0, 0, 0\]", "new = [4, 0, 0, 0, 0, 0" + BLANKS), True),
        ("row-over-lines", (r"^new = +\[4, 0, 0, 0, 0, 0\]", "new = [4, 0, 0, 0, 0, 0" + BLANKS + "\n]"), False),
        ("nested-row", (r"^new = +\[4, 0, 0, 0, 0, 0\]", "new = [[4" + BLANKS), True),
        ("header-of-thousands", (r"^\[table4\]", "[" + ".".join(["t"] * 5000) + "]\n[table4]"), True),
        ("blanks-after-value", (r"^licensing = 0", "licensing = 0" + BLANKS + "x"), True),
    ],
)
def test_megabyte_lines_are_read_in_linear_time(
    name: str, edit: tuple[str, str], refused: bool, tmp_path: Path
) -> None:
    data = tmp_path / "2021.toml"
    pattern, replacement = edit
    text, count = re.subn(pattern, lambda _: replacement, EXAMPLE.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert count == 1
    data.write_text(text, encoding="utf-8")
    result = run("check", data)  # within run's minute
    if refused:
        _clean(result)
        # tomllib of 3.11 reads the header (an unknown key then); newer tomllib and tomli refuse a key of
        # thousands of names (as nested too deep)
        expected = ("TOML 语法错误", "未知的键 t", "嵌套的层数过多")
        assert any(words in result.stderr for words in expected), result.stderr[-500:]
    else:
        assert result.returncode == 0, result.stderr[-500:]


# --- output paths and processes ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "character-device"])
def test_an_output_that_is_not_a_regular_file_is_never_replaced(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root; the CI runs as root")
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    before = target.stat()
    result = run("render", EXAMPLE, "-o", target)
    _clean(result)
    assert "不是普通文件" in result.stderr
    after = target.stat()
    assert (after.st_mode, after.st_rdev, after.st_ino) == (before.st_mode, before.st_rdev, before.st_ino)


def test_a_name_too_long_for_the_file_system_is_named(tmp_path: Path) -> None:
    result = run("render", EXAMPLE, "-o", tmp_path / ("报" * 100 + ".docx"))
    _clean(result)
    assert "文件名过长" in result.stderr
    assert list(tmp_path.iterdir()) == []
    fits = tmp_path / ("a" * 250 + ".docx")  # 255 bytes: the temporary beside it must fit as well
    assert run("render", EXAMPLE, "-o", fits).returncode == 0 and zipfile.is_zipfile(fits)


def test_renders_to_one_output_at_once_all_succeed(tmp_path: Path) -> None:
    target = tmp_path / "同一份.docx"
    for _ in range(5):
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "docgen", "render", str(EXAMPLE), "-o", str(target)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(10)
        ]
        results = [(process.wait(timeout=60), process.stderr.read()) for process in processes]  # type: ignore[union-attr]
        assert [code for code, _ in results] == [0] * 10, [error for code, error in results if code]
        assert zipfile.ZipFile(target).testzip() is None
    assert sorted(path.name for path in tmp_path.iterdir()) == [target.name]  # no temporary left behind


def test_workers_end_when_the_batch_is_killed(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for number in range(600):
        (reports / f"r{number:03d}.toml").write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docgen", "render", str(reports), "-o", str(out), "--jobs", "2", "--quiet"]
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and not (workers and out.is_dir() and any(out.iterdir())):
        workers = [int(pid) for pid in _children(parent.pid)]
        time.sleep(0.05)
    assert workers, "the batch started no workers"
    parent.send_signal(signal.SIGKILL)  # the parent alone, as a user's kill -9 or a crash would
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "worker processes outlived their batch"


def _children(pid: int) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(entry.name)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# --- found by review ------------------------------------------------------------------------------------

MORE_EXPRESSIONS = {
    "translate": ("{{ ('x'*100000).translate({120: 'y'*100000}) }}", "不允许"),
    "list-of-long-texts": ("{{ ['a'*100000]*100000 }}", "长度"),
    "format-many-arguments": ("{{ ('%s'*30000)|format(*(['a'*1000]*30000)) }}", "长度"),
    "sum-of-lists": ("{{ ([[1]*1000]*3000)|sum(start=[]) }}", "长度"),
    "map-chain": ("{{ (['a'*10000]*10000)|map('upper')|map('lower')|map('upper')|map('lower')|join }}", "超过上限"),
    # Found by review: one level of size checks let copies nested in lists through (3 GB), a number's
    # methods make anything, and filters applied straight in a text cost time without a budget (14.7 s).
    "nested-copies-mapped": ("{{ ([['x'*100000]]*30000)|map('first')|map('upper')|list|length }}", "总量"),
    "number-methods": ("{{ (0).to_bytes(1500000000, 'big')|length }}", "不允许"),
    "sort-repeated": ("{% set s = 'ab'*50000 %}" + "{{ s|sort|length }}" * 100, "总量"),
    "split-in-loop": ("{% set s = 'ab '*30000 %}{% for i in range(1000) %}{{ s.split()|length }}{% endfor %}", "总量"),
}


@pytest.mark.parametrize("name", list(MORE_EXPRESSIONS))
def test_more_expression_escapes_are_closed(name: str, tmp_path: Path) -> None:
    expression, words = MORE_EXPRESSIONS[name]
    data = tmp_path / "2021.toml"
    data.write_text(_with_paragraph(expression), encoding="utf-8")
    result = run("check", data)
    _clean(result)
    assert words in result.stderr, result.stderr


def test_one_budget_for_all_of_a_reports_texts(tmp_path: Path) -> None:
    """Thirty paragraphs each just under the limits cost no more than one report's worth."""
    text = EXAMPLE.read_text(encoding="utf-8")
    heavy = json.dumps("{% for i in range(9000) %}{% for j in range(10) %}x{% endfor %}{% endfor %}")
    text = text.replace('  "无其他需报告的事项。",', "\n".join(f"  {heavy}," for _ in range(30)), 1)
    data = tmp_path / "2021.toml"
    data.write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = run("check", data)
    assert time.monotonic() - started < 30
    _clean(result)
    assert "循环的总次数超过上限" in result.stderr


def test_damaged_pdfs_are_unreadable_pdfs(tmp_path: Path) -> None:
    rendered = tmp_path / "r.pdf"
    rendered.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    result = run("extract", rendered)
    _clean(result)
    assert "PDF 无法读取" in result.stderr


def test_odd_cells_of_real_documents_are_read(report_docx: bytes, tmp_path: Path) -> None:
    """A line break in a table cell, a 5,000-digit cell, a control character in a page's cell: read with a
    warning, never a crash."""
    parts = hostile.members(report_docx)
    body = parts["word/document.xml"].decode("utf-8")
    body = body.replace("<w:t>4</w:t>", "<w:t>4</w:t><w:br/><w:t>件（含转办）</w:t>", 1)
    body = body.replace("<w:t>3</w:t>", "<w:t>" + "1" * 5000 + "</w:t>", 1)
    parts["word/document.xml"] = body.encode("utf-8")
    document = tmp_path / "odd.docx"
    document.write_bytes(hostile.pack(parts))
    result = run("extract", document)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr and "内部错误" not in result.stderr
    page = tmp_path / "odd.html"
    page.write_text(
        "<html><body><p>一、总体情况</p><table><tr><td>申请人情况</td></tr><tr><td>本年新收\x07</td></tr></table></body></html>",
        encoding="utf-8",
    )
    result = run("extract", page)
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr

"""The bad-input suite: every mistake a data file, a template or an output path allows, answered with one
clear message that names the file and the line or place, a non-zero exit, no traceback, no new file, and
any existing output left byte for byte as it was.

Each case is one row of CASES; the categories are listed in the README's developer section.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXAMPLE
from test_cli import docgen

from docgen.render import BUILTIN_TEMPLATE

PREVIOUS_OUTPUT = b"last year's report, which must survive"


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    words: tuple[str, ...]  # what the message must say
    edits: tuple[tuple[str, str], ...] = ()  # regex substitutions on the example (each must apply once)
    data: bytes | None = None  # a data file given as raw bytes instead
    template: str | None = None  # how to spoil the template (see spoil_template)
    output: str = "file"  # file | missing-dir | input | template | dir-at-default
    exit: int = 1
    line: bool = True  # the message carries FILE:LINE


CASES = [
    # TOML syntax
    Case(
        "unclosed-string",
        "toml",
        ("TOML 语法错误", "引号"),
        (('^issuer = "保德县人民政府"', 'issuer = "保德县人民政府'),),
    ),
    Case("duplicate-key", "toml", ("两次",), (("^year = 2021", "year = 2021\nyear = 2022"),)),
    Case("impossible-date", "toml", ("TOML 语法错误", "日期"), (("^date = 2022-02-18", "date = 2022-02-30"),)),
    Case("unit-after-number", "toml", ("带了单位“件”", "只填数字 3"), (("^licensing = 0", "licensing = 3件"),)),
    Case("duplicate-table", "toml", ("两次",), ((r"^\[table4\]", "[table4]\n[table4]"),)),
    Case(
        "inline-table-over-lines",
        "toml",
        ("TOML 语法错误",),
        ((r"^regulations = \{ issued = 0,", "regulations = { issued = 0,\n"),),
    ),
    Case("key-without-value", "toml", ("TOML 语法错误",), (("^licensing = 0", "licensing ="),)),
    Case(
        "brace-in-array",
        "toml",
        ("TOML 语法错误",),
        ((r"^internal_affairs = .*$", "internal_affairs = [0, 0}, 0, 0, 0, 0]"),),
    ),
    Case("unclosed-array", "toml", ("TOML 语法错误",), ((r"^new = .*$", "new = [4, 0, 0"),)),
    Case(
        "lone-surrogate-escape", "toml", ("TOML 语法错误",), (('^issuer = "保德县人民政府"', 'issuer = "保德\\uD800"'),)
    ),
    Case(
        "gbk-encoding",
        "toml",
        ("GBK 编码", "ANSI", "另存为", "UTF-8"),
        data=EXAMPLE.read_text(encoding="utf-8").encode("gb18030"),
    ),
    Case(
        "utf16-encoding",
        "toml",
        ("UTF-16 编码", "Unicode", "另存为", "UTF-8"),
        data=EXAMPLE.read_text(encoding="utf-8").encode("utf-16"),
        line=False,
    ),
    # Habits of Word and WPS users, each named with its fix (the user's own figure or date rewritten)
    Case("thousands-comma", "toml", ("“517,645” 带千分位逗号", "517645"), (("^licensing = 0", "licensing = 517,645"),)),
    Case(
        "thousands-chinese-comma",
        "toml",
        ("“517，645” 带千分位逗号", "517645"),
        (("^licensing = 0", "licensing = 517，645"),),
    ),
    Case("full-width-digits", "toml", ("“５１７” 是全角数字", "半角 517"), (("^licensing = 0", "licensing = ５１７"),)),
    Case("unit-in-array", "toml", ("“705件” 带了单位“件”", "705"), ((r"^new = +\[4,", "new = [705件,"),)),
    Case("chinese-comma-in-array", "toml", ("中文逗号",), ((r"^new = +\[4,", "new = [705，"),)),
    Case("full-width-equals", "toml", ("全角等号",), (("^licensing = 0", "licensing ＝ 0"),)),
    Case("ideographic-space", "toml", ("全角空格",), (("^licensing = 0", "licensing\u3000= 0"),)),
    Case(
        "chinese-quotes",
        "toml",
        ("中文引号", '"保德县人民政府"'),
        (('^issuer = "保德县人民政府"', "issuer = “保德县人民政府”"),),
    ),
    Case(
        "date-in-chinese",
        "toml",
        ("日期“2022年2月18日”应写作 2022-02-18",),
        (("^date = 2022-02-18", "date = 2022年2月18日"),),
    ),
    Case("date-unpadded", "toml", ("日期“2022-2-18”应写作 2022-02-18",), (("^date = 2022-02-18", "date = 2022-2-18"),)),
    # Types and values
    Case("count-as-string", "type", ("表二“行政许可”", "整数"), (("^licensing = 0", 'licensing = "3"'),)),
    Case("count-as-float", "type", ("整数", "3.0"), (("^licensing = 0", "licensing = 3.0"),)),
    Case("count-with-unit", "type", ("整数", "3件"), (("^licensing = 0", 'licensing = "3件"'),)),
    Case("count-as-boolean", "type", ("整数", "true"), (("^licensing = 0", "licensing = true"),)),
    Case("negative-count", "type", ("负数",), ((r"^new = .*$", "new = [-4, 0, 0, 0, 0, 0]"),)),
    Case("huge-count", "type", ("过大",), (("^licensing = 0", "licensing = 10000000000000001"),)),
    Case("row-of-five", "type", ("6 或 7", "实际为 5 个"), ((r"^new = .*$", "new = [4, 0, 0, 0, 0]"),)),
    Case("row-of-eight", "type", ("实际为 8 个",), ((r"^new = .*$", "new = [4, 0, 0, 0, 0, 0, 4, 4]"),)),
    Case("row-not-array", "type", ("应为数组",), ((r"^new = .*$", "new = 4"),)),
    Case(
        "missing-row", "type", ("缺少必填项", "table3.results.withheld.state_secret"), ((r"^state_secret = .*$", ""),)
    ),
    Case(
        "missing-section",
        "type",
        ("缺少必填项", "table4"),
        ((r"(?s)^# 四、政府信息公开行政复议.*?(?=^# 五)", ""),),
        line=False,  # nothing of it is in the file to point at
    ),
    Case("misspelt-key", "type", ("carried_ovre", "是否想写 carried_over"), (("^carried_over", "carried_ovre"),)),
    Case("misspelt-section", "type", ("是否想写 table2",), ((r"^\[table2\]", "[tabel2]"),)),
    Case("date-as-text", "type", ("2022-02-18",), (("^date = 2022-02-18", 'date = "2022年2月18日"'),)),
    Case("two-digit-year", "type", ("四位年份",), (("^year = 2021", "year = 21"),)),
    Case("fee-as-text", "type", ("万元",), (("^fees = 0", 'fees = "5万元"'),)),
    Case("fee-not-a-number", "type", ("万元",), (("^fees = 0", "fees = nan"),)),
    Case("fee-infinite", "type", ("万元",), (("^fees = 0", "fees = inf"),)),
    # Text Word cannot hold
    Case("bell-in-issuer", "text", ("U+0007",), (('^issuer = "保德县人民政府"', 'issuer = "保德\\u0007县人民政府"'),)),
    Case("nul-in-paragraph", "text", ("U+0000",), (('"无其他需报告的事项。"', '"无其他\\u0000需报告的事项。"'),)),
    Case("noncharacter-fffe", "text", ("U+FFFE",), (('"无其他需报告的事项。"', '"无其他\\uFFFE"'),)),
    Case("oversized-file", "text", ("过大",), data=b"# " + b"x" * (50 * 1024 * 1024), line=False),
    Case(
        "total-under-other",
        "type",
        ("未知的键 table3.results.other.total", "total 应写在 [table3.results] 下"),
        ((r"^\[table3.results.other\]", "[table3.results.other]\ntotal = [4, 0, 0, 0, 0, 0]"),),
    ),
    # Narrative expressions
    Case(
        "unknown-name-in-text",
        "narrative",
        ("未定义的名称 nwe", "是否想写 table3.new？"),
        (('"无其他需报告的事项。"', '"{{ table3.nwe.total }}"'),),
    ),
    Case(
        "python-internals-in-text",
        "narrative",
        ("不允许", "__class__"),
        (('"无其他需报告的事项。"', "\"{{ ''.__class__ }}\""),),
    ),
    # Found by tools/fuzz.py: a misspelt name handed to a function escaped as an internal error.
    Case(
        "unknown-name-in-function",
        "narrative",
        ("未定义的名称 nwe",),
        (('"无其他需报告的事项。"', '"{{ rate(figures.nwe, 1) }}"'),),
    ),
    Case("zero-base-rate", "narrative", ("分母为 0",), (('"无其他需报告的事项。"', '"{{ rate(1, 0) }}"'),)),
    Case("broken-expression", "narrative", ("写法有误",), (('"无其他需报告的事项。"', '"{{ table3.new.total"'),)),
    # Rules
    Case(
        "broken-balance",
        "rule",
        ("t3-balance", "自然人列", "一+二 = 5"),
        ((r"^new = .*$", "new = [5, 0, 0, 0, 0, 0]"),),
    ),
    Case("wrong-row-total", "rule", ("t3-row-total",), ((r"^new = .*$", "new = [4, 0, 0, 0, 0, 0, 5]"),)),
    Case("wrong-group-total", "rule", ("t4-total",), ((r"^review = .*$", "review = [0, 0, 0, 0, 1]"),)),
    # Templates
    Case("template-missing", "template", ("找不到模板文件",), template="missing", line=False),
    Case("template-not-zip", "template", ("不是 .docx",), template="text", line=False),
    Case("template-zip-without-document", "template", ("不是 .docx",), template="empty-zip", line=False),
    Case("template-old-doc", "template", ("另存为", ".docx"), template="doc", line=False),
    Case("template-syntax", "template", ("正文", "模板语法错误"), template="syntax", line=False),
    Case("template-ssti-body", "template", ("正文", "不允许"), template="ssti-body", line=False),
    Case("template-ssti-footer", "template", ("页脚", "不允许"), template="ssti-footer", line=False),
    Case("template-ssti-properties", "template", ("文档属性", "不允许"), template="ssti-core", line=False),
    Case("template-unknown-name", "template", ("signatrue", "是否想写 signature"), template="typo", line=False),
    # Output
    Case("output-dir-missing", "output", ("输出目录不存在",), output="missing-dir", line=False),
    Case("output-is-input", "output", ("与输入文件相同",), output="input", line=False),
    Case("output-is-template", "output", ("与模板文件相同",), output="template", line=False),
    Case("output-is-directory", "output", ("是一个目录",), output="dir-at-default", line=False),
    # Accepted: text that breaks XML is escaped, very long text renders
    Case("xml-characters", "accepted", (), (('"无其他需报告的事项。"', '"A & B < C > D \\" E \' F"'),), exit=0),
    Case("one-megabyte-paragraph", "accepted", (), (('"无其他需报告的事项。"', '"' + "长" * 350_000 + '"'),), exit=0),
]


def spoil_template(kind: str, folder: Path) -> Path:
    path = folder / "template.docx"
    if kind == "missing":
        return folder / "none.docx"
    if kind == "text":
        path.write_text("not a zip", encoding="utf-8")
        return path
    if kind == "empty-zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "x")
        return path
    if kind == "doc":
        path = folder / "template.doc"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
        return path
    payload = "{{ ''.__class__.__mro__ }}"
    edits = {
        "syntax": ("word/document.xml", "{{ signature }}", "{% if year %}{{ signature }}"),
        "ssti-body": ("word/document.xml", "{{ signature }}", payload),
        "ssti-footer": ("word/footer1.xml", "— </w:t>", f"— {payload}</w:t>"),
        "ssti-core": ("docProps/core.xml", "<dc:creator>docgen</dc:creator>", f"<dc:creator>{payload}</dc:creator>"),
        "typo": ("word/document.xml", "{{ signature }}", "{{ signatrue }}"),
    }
    member, old, new = edits[kind]
    source = zipfile.ZipFile(BUILTIN_TEMPLATE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            content = source.read(name).decode("utf-8")
            if name == member:
                assert old in content
                content = content.replace(old, new)
            archive.writestr(name, content.encode("utf-8"))
    path.write_bytes(buffer.getvalue())
    return path


def test_suite_is_large_and_covers_every_category() -> None:
    assert len(CASES) >= 40
    assert {case.category for case in CASES} == {
        "toml",
        "type",
        "text",
        "narrative",
        "rule",
        "template",
        "output",
        "accepted",
    }
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_input(case: Case, tmp_path: Path) -> None:
    data = tmp_path / "2021.toml"
    if case.data is not None:
        data.write_bytes(case.data)
    else:
        text = EXAMPLE.read_text(encoding="utf-8")
        for pattern, replacement in case.edits:
            text, count = re.subn(pattern, lambda _, new=replacement: new, text, count=1, flags=re.MULTILINE)
            assert count == 1, f"{case.id}: edit {pattern!r} did not apply"
        data.write_text(text, encoding="utf-8")
    template = spoil_template(case.template, tmp_path) if case.template else None
    output = tmp_path / "out.docx"
    output.write_bytes(PREVIOUS_OUTPUT)
    arguments: list[str | Path] = ["render", data]
    if template is not None:
        arguments += ["--template", template]
    if case.output == "file":
        arguments += ["-o", output]
    elif case.output == "missing-dir":
        arguments += ["-o", tmp_path / "nowhere" / "out.docx"]
    elif case.output == "input":
        arguments += ["-o", data]
    elif case.output == "template":
        template = tmp_path / "mine.docx"
        template.write_bytes(BUILTIN_TEMPLATE.read_bytes())
        arguments += ["--template", template, "-o", template]
    elif case.output == "dir-at-default":
        (tmp_path / "2021.docx").mkdir()
    inputs_before = {path: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}

    result = docgen(*arguments)

    assert result.returncode == case.exit, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if case.exit == 0:
        assert output.read_bytes() != PREVIOUS_OUTPUT and zipfile.is_zipfile(output)
        return
    for word in case.words:
        assert word in result.stderr, f"{case.id}: {word!r} not in {result.stderr!r}"
    named = str(template) if case.category == "template" else str(data)
    assert named in result.stderr or (case.output != "file" and str(tmp_path) in result.stderr)
    if case.line:
        assert re.search(rf"{re.escape(str(data))}:\d+", result.stderr), result.stderr
    after = {path: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    assert after == inputs_before, "an input or the existing output changed, or a file appeared"
    assert output.read_bytes() == PREVIOUS_OUTPUT
    assert not [path for path in tmp_path.rglob("*") if path.name.endswith(".tmp")]

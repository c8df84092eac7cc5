"""The `docgen` command as a person runs it: real processes, real files, exit codes and messages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE, docx_units

from docgen import __version__
from docgen.render import BUILTIN_TEMPLATE

Make = Callable[..., Path]


def docgen(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DOCGEN_DEBUG"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_version_and_chinese_help() -> None:
    assert docgen("--version").stdout.strip() == f"docgen {__version__}"
    help_text = docgen("--help").stdout
    assert "年度报告" in help_text and "render" in help_text
    assert "生成Word报告" in "".join(docgen("render", "--help").stdout.split())


def test_render_writes_docx_beside_the_input(tmp_path: Path) -> None:
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    result = docgen("render", data)
    assert result.returncode == 0, result.stderr
    output = tmp_path / "2021.docx"
    assert f"已生成：{output}" in result.stdout
    assert "六、其他需要报告的事项" in docx_units(output.read_bytes())


def test_output_option_takes_a_file_or_a_directory(tmp_path: Path) -> None:
    assert docgen("render", EXAMPLE, "-o", tmp_path / "report.docx").returncode == 0
    assert (tmp_path / "report.docx").is_file()
    assert docgen("render", EXAMPLE, "-o", tmp_path).returncode == 0
    assert (tmp_path / "2021-baode.docx").is_file()


def test_broken_balance_prints_rule_column_sums_and_writes_nothing(make_data: Make, tmp_path: Path) -> None:
    data = make_data((r"^new = .*$", "new = [5, 0, 0, 0, 0, 0]"))
    existing = tmp_path / "2021.docx"
    existing.write_bytes(b"last year's report")
    result = docgen("render", data)
    assert result.returncode == 1
    assert "t3-balance table3: 勾稽关系不符（自然人列）：一+二 = 5，三（七）总计+四 = 4" in result.stderr
    assert "Traceback" not in result.stderr
    assert existing.read_bytes() == b"last year's report"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2021.docx", "2021.toml"]


def test_bad_value_message_has_file_line_and_key(make_data: Make) -> None:
    data = make_data((r"^licensing = 0", 'licensing = "3件"'))
    result = docgen("render", data)
    assert result.returncode == 1
    line = next(n for n, text in enumerate(data.read_text(encoding="utf-8").splitlines(), 1) if "licensing" in text)
    assert f"{data}:{line}: count table2.licensing: 表二“行政许可”应为整数" in result.stderr
    assert "发现 1 个问题，未生成文件" in result.stderr


@pytest.mark.parametrize("target", ["input", "template"])
def test_refuses_to_overwrite_its_inputs(tmp_path: Path, target: str) -> None:
    data = tmp_path / "2021.toml"
    data.write_bytes(EXAMPLE.read_bytes())
    template = tmp_path / "my.docx"
    template.write_bytes(BUILTIN_TEMPLATE.read_bytes())
    output = data if target == "input" else template
    before = output.read_bytes()
    result = docgen("render", data, "--template", template, "-o", output)
    assert result.returncode == 1
    assert ("与输入文件相同" if target == "input" else "与模板文件相同") in result.stderr
    assert output.read_bytes() == before


def test_missing_output_directory_and_missing_template(tmp_path: Path) -> None:
    result = docgen("render", EXAMPLE, "-o", tmp_path / "nowhere" / "x.docx")
    assert result.returncode == 1 and "输出目录不存在" in result.stderr
    result = docgen("render", EXAMPLE, "-o", tmp_path / "x.docx", "--template", tmp_path / "none.docx")
    assert result.returncode == 1 and "找不到模板文件" in result.stderr
    not_a_docx = tmp_path / "bad.docx"
    not_a_docx.write_text("plain text")
    result = docgen("render", EXAMPLE, "-o", tmp_path / "x.docx", "--template", not_a_docx)
    assert result.returncode == 1 and "不是有效的 .docx" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_template_filter_misuse_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    import io
    import zipfile

    source = zipfile.ZipFile(BUILTIN_TEMPLATE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = data.replace(b"{{ signature }}", b"{{ signature|cn }}")
            target.writestr(name, data)
    template = tmp_path / "custom.docx"
    template.write_bytes(buffer.getvalue())
    result = docgen("render", EXAMPLE, "-o", tmp_path / "out.docx", "--template", template)
    assert result.returncode == 1, result.stderr
    assert "cn 无法处理 保德县人民政府：不是数字" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.docx").exists()

"""Batch: many data files in one command, bad ones named, good ones rendered, identical at any --jobs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLE
from test_cli import docgen

COUNT = 50
BROKEN = {"report-07": "t3-balance", "report-31": "count"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """50 reports of different counties; two broken."""
    folder = tmp_path_factory.mktemp("reports")
    example = EXAMPLE.read_text(encoding="utf-8")
    for number in range(COUNT):
        name = f"report-{number:02d}"
        text = example.replace('issuer = "保德县人民政府"', f'issuer = "第{number + 1}县人民政府"')
        text = re.sub(r"^licensing = 0", f"licensing = {number * 1000}", text, flags=re.MULTILINE)
        if BROKEN.get(name) == "t3-balance":
            text = re.sub(r"^new = .*$", "new = [9, 0, 0, 0, 0, 0]", text, flags=re.MULTILINE)
        if BROKEN.get(name) == "count":
            text = re.sub(r"^punishment = 0", 'punishment = "二十"', text, flags=re.MULTILINE)
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_folder_renders_the_good_and_names_the_bad(reports: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / f"jobs{jobs}"
    result = docgen("render", reports, "-o", out, "--jobs", jobs)
    assert result.returncode == 1
    written = sorted(path.stem for path in out.glob("*.docx"))
    assert len(written) == COUNT - len(BROKEN)
    assert not set(BROKEN) & set(written)
    for name, rule in BROKEN.items():
        row = next(line for line in result.stdout.splitlines() if f"{name}.toml" in line)
        assert "失败" in row and rule in row
    assert f"共 {COUNT} 个文件：成功 {COUNT - len(BROKEN)} 个，失败 {len(BROKEN)} 个" in result.stdout
    assert "\x1b[" not in result.stdout + result.stderr  # not a terminal: no colour, no progress bar


def test_jobs_do_not_change_a_single_byte(reports: Path, tmp_path: Path) -> None:
    for jobs in ("1", "2"):
        docgen("render", reports, "-o", tmp_path / jobs, "--jobs", jobs)
    one = {path.name: path.read_bytes() for path in (tmp_path / "1").glob("*.docx")}
    two = {path.name: path.read_bytes() for path in (tmp_path / "2").glob("*.docx")}
    assert len(one) == COUNT - len(BROKEN)
    assert one == two


def test_several_files_and_outputs_beside_them(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_bytes(EXAMPLE.read_bytes())
    result = docgen("render", tmp_path / "a.toml", tmp_path / "b.toml", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.docx").is_file() and (tmp_path / "b.docx").is_file()


def test_same_name_from_two_folders_into_one_output_is_refused(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "2021.toml").write_bytes(EXAMPLE.read_bytes())
    result = docgen("render", tmp_path / "x", tmp_path / "y", "-o", tmp_path / "out", "-j", "1")
    assert result.returncode == 1
    assert "已由" in result.stderr
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["2021.docx"]


def _on_a_terminal(*args: str | Path, env: dict[str, str] | None = None) -> str:
    """Run docgen with stdout and stderr on a pseudo-terminal, as a person at a prompt sees it."""
    import os
    import pty
    import sys

    pid, fd = pty.fork()
    if pid == 0:  # the child: become docgen
        os.execve(sys.executable, [sys.executable, "-m", "docgen", *map(str, args)], {**os.environ, **(env or {})})
    output = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal closes when docgen exits
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    return output.decode("utf-8", "replace")


def test_progress_bar_and_table_on_a_terminal(reports: Path, tmp_path: Path) -> None:
    shown = _on_a_terminal("render", reports, "-o", tmp_path / "a", "-j", "2")
    assert "正在生成报告" in shown and f"{COUNT}/{COUNT}" in shown and "┏" in shown
    quiet = _on_a_terminal("render", reports, "-o", tmp_path / "b", "-j", "2", "--quiet", env={"NO_COLOR": "1"})
    assert "正在生成报告" not in quiet and "┏" in quiet
    assert not re.search(r"\x1b\[(3|9)\dm", quiet)  # NO_COLOR: bold may stay, colours go
    assert re.search(r"\x1b\[(3|9)\dm", shown)

"""The compiled template kept on disk (wordtemplate._cache_file): a process that finds it renders the same
bytes as one that compiles, and a cache that is damaged, foreign or unwritable only costs the compile."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE

RENDER = (
    "import sys; from docgen.api import render_bytes; from docgen import wordtemplate\n"
    "compiles = []; compile = wordtemplate._compile\n"
    "wordtemplate._compile = lambda *arguments: compiles.append(1) or compile(*arguments)\n"
    "data = render_bytes(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)\n"
    "sys.stdout.buffer.write(data)\n"
    "sys.stderr.write(f'{len(compiles)} {\"docxtpl\" in sys.modules}')\n"
)


def _render(cache: Path | str, *arguments: str) -> tuple[bytes, bool]:
    """A fresh process's .docx of the example, and whether it compiled the template."""
    result = subprocess.run(
        [sys.executable, "-c", RENDER, str(EXAMPLE), *arguments],
        capture_output=True,
        env={**os.environ, "DOCGEN_CACHE_DIR": str(cache)},
        check=True,
    )
    compiles, docxtpl = result.stderr.decode().split()[-2:]
    if arguments == ():  # the built-in template: docxtpl (and python-docx) are needed for compiling only
        assert docxtpl == str(compiles == "1")
    return result.stdout, compiles == "1"


def test_a_second_process_renders_the_same_bytes_without_compiling(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, compiled_first = _render(cache)
    assert compiled_first
    assert len(list(cache.glob("template-*.bin"))) == 1
    second, compiled_second = _render(cache)
    assert not compiled_second  # nor docxtpl, python-docx or Jinja's compiler imported
    assert second == first
    without, _ = _render("")  # an empty DOCGEN_CACHE_DIR: no cache at all
    assert without == first
    assert not list(tmp_path.glob("*.bin"))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other-python", "empty"])
def test_a_damaged_cache_file_means_compiling_again(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    expected, _ = _render(cache)
    (kept,) = cache.glob("template-*.bin")
    data = kept.read_bytes()
    kept.write_bytes(
        {
            "truncated": data[: len(data) // 2],
            "garbage": data[:18] + os.urandom(4000),
            "other-python": b"docgen-template-0\n" + data[18:],
            "empty": b"",
        }[damage]
    )
    rendered, compiled = _render(cache)
    assert compiled
    assert rendered == expected


def test_an_unwritable_cache_changes_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    expected, _ = _render("")
    rendered, compiled = _render(blocked / "cache")
    assert compiled
    assert rendered == expected


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    """The key is the template's bytes: another template (or the same name with other content) misses."""
    from docgen.render import BUILTIN_TEMPLATE

    cache = tmp_path / "cache"
    _render(cache)
    copy = tmp_path / "custom.docx"
    copy.write_bytes(BUILTIN_TEMPLATE.read_bytes())
    _, compiled = _render(cache, str(copy))
    assert not compiled  # the same bytes under another name: the same compiled template
    with zipfile.ZipFile(BUILTIN_TEMPLATE) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as target:
        for member in source.namelist():  # the same content stored instead of deflated: other bytes
            target.writestr(member, source.read(member))
    _, compiled = _render(cache, str(copy))
    assert compiled
    assert len(list(cache.glob("template-*.bin"))) == 2

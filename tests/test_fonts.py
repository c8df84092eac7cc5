"""The font substitutions LibreOffice converts with: every font the official templates name maps to an
installed free face, and that face has every one of the 6,763 GB 2312 hanzi (no missing glyphs)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
from conftest import required_program
from lxml import etree

from docgen.pdf import FONTS_CONF, fontconfig_file
from docgen.render import builtin_templates


def substitutions() -> dict[str, str]:
    """Official name → the first free face it is mapped to, as docgen-fonts.conf says."""
    root = etree.parse(str(FONTS_CONF)).getroot()
    mapped = {alias.findtext("family"): alias.find("prefer").findtext("family") for alias in root.iter("alias")}
    for match in root.iter("match"):
        mapped[match.find("test").findtext("string")] = match.find("edit").findtext("string")
    return mapped


def template_fonts() -> set[str]:
    names: set[str] = set()
    for template in builtin_templates():
        with zipfile.ZipFile(template) as archive:
            for part in ("word/styles.xml", "word/fontTable.xml"):
                names |= set(
                    re.findall(r'w:(?:eastAsia|name|val)="([^"]*(?:宋|仿|楷|黑)[^"]*)"', archive.read(part).decode())
                )
    return names


@cache
def gb2312_hanzi() -> list[str]:
    characters = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # the code table's unassigned places
                characters.append(bytes([high, low]).decode("gb2312"))
    return characters


@pytest.fixture(scope="module")
def fc_match() -> str:
    return required_program("fc-match", ".ci/run installs LibreOffice and the fonts (fontconfig)")


def test_gb2312_has_its_6763_hanzi() -> None:
    assert len(gb2312_hanzi()) == 6763


def test_every_template_font_is_mapped() -> None:
    used = template_fonts()
    assert {"仿宋_GB2312", "楷体_GB2312", "黑体", "宋体", "方正小标宋简体"} <= used
    assert used <= set(substitutions()), f"unmapped: {used - set(substitutions())}"
    assert {"方正仿宋_GBK", "方正楷体_GBK", "方正黑体_GBK", "方正小标宋_GBK"} <= set(substitutions())


@pytest.mark.parametrize("official", sorted(substitutions()))
def test_each_official_font_resolves_to_a_face_with_every_gb2312_hanzi(
    fc_match: str, tmp_path: Path, official: str
) -> None:
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(tmp_path))}
    found = subprocess.run(
        [fc_match, "-f", "%{family[0]}\n%{file}\n%{index}\n", official], capture_output=True, text=True, env=env
    ).stdout.splitlines()
    assert found[0] == substitutions()[official], f"{official} → {found[0]} (is its font package installed?)"
    charset = subprocess.run(
        ["fc-query", "-i", found[2], "-f", "%{charset}", found[1]], capture_output=True, text=True
    ).stdout
    covered: set[int] = set()
    for part in charset.split():
        first, _, last = part.partition("-")
        covered.update(range(int(first, 16), int(last or first, 16) + 1))
    missing = [character for character in gb2312_hanzi() if ord(character) not in covered]
    assert not missing, f"{found[0]} lacks {len(missing)} GB 2312 hanzi: {''.join(missing[:20])}"

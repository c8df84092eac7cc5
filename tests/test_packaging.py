"""A non-editable install ships the Word templates and the font substitutions inside the package and
renders from anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import EXAMPLE, ROOT


def test_wheel_ships_the_template_and_renders_from_it(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("docgen_zwgk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "docgen/templates/annual-report-2021.docx" in names
    assert "docgen/fonts/docgen-fonts.conf" in names, "PDF conversion needs the font substitutions"
    assert not any(name.startswith(("tests/", "tools/")) for name in names)

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # Run outside the checkout, with the installed copy first on the path: no source-tree fallback.
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from docgen.render import BUILTIN_TEMPLATE; from docgen.api import render as render_file;"
        "print(BUILTIN_TEMPLATE); print(render_file(sys.argv[2], sys.argv[3]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(target), str(EXAMPLE), str(tmp_path / "out.docx")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    template_line, output_line = result.stdout.splitlines()
    assert template_line == str(target / "docgen" / "templates" / "annual-report-2021.docx")
    assert Path(output_line).is_file()

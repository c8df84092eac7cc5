"""The Python API as a script uses it, including the README's example, run as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, docx_units

import docgen


def test_load_check_render_and_bytes(tmp_path: Path) -> None:
    report = docgen.load(EXAMPLE)
    assert isinstance(report, docgen.Report)
    assert docgen.check(report) == []
    data = docgen.render_bytes(report)
    written = docgen.render(report, tmp_path / "out.docx")
    assert written.read_bytes() == data
    assert docgen.render(EXAMPLE, tmp_path).name == "2021-baode.docx"


def test_errors_are_docgen_errors(tmp_path: Path) -> None:
    with pytest.raises(docgen.DataError) as caught:
        docgen.load(tmp_path / "missing.toml")
    assert isinstance(caught.value, docgen.DocgenError)
    with pytest.raises(docgen.TemplateFileError):
        docgen.render(EXAMPLE, tmp_path / "x.docx", template=tmp_path / "none.docx")
    with pytest.raises(docgen.OutputError):
        docgen.render(EXAMPLE, tmp_path / "no" / "x.docx")
    from docgen.load import loads

    with pytest.raises(docgen.OutputError):  # read from text, so there is no file to put the output beside
        docgen.render(loads(EXAMPLE.read_text(encoding="utf-8")))


def test_package_is_typed() -> None:
    assert (ROOT / "docgen" / "py.typed").is_file()


def test_readme_example_runs(tmp_path: Path, soffice: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert len(blocks) >= 2
    code = "\n".join(blocks)  # in order: the later examples read what the first one wrote
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "2021-baode.toml").write_bytes(EXAMPLE.read_bytes())
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "某程序: t3-balance table3: 勾稽关系不符（自然人列）" in result.stdout
    assert "'sheet': None" in result.stdout and "examples/2021-baode.toml 0" in result.stdout
    assert "六、其他需要报告的事项" in docx_units((tmp_path / "examples" / "2021-baode.docx").read_bytes())
    assert b"<pdfaid:part>2</pdfaid:part>" in (tmp_path / "examples" / "2021-baode.pdf").read_bytes()

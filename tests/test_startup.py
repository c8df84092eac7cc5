"""Start-up stays light: what `docgen --help`, `import docgen` and `docgen check` load (timings are in
benchmarks/, never asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import EXAMPLE

HEAVY = ("pydantic", "docxtpl", "docx", "babel", "cn2an", "lxml", "jinja2", "tomlkit", "openpyxl", "pdfplumber")


def loaded_after(code: str) -> set[str]:
    """Top-level packages imported by running `code` in a fresh interpreter."""
    script = f"import sys\n{code}\nimport json; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_help_and_import_load_nothing_heavy() -> None:
    run_help = "from docgen.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass"
    assert not loaded_after(run_help) & set(HEAVY)
    assert not loaded_after("import docgen; docgen.__version__") & set(HEAVY)


def test_check_does_not_load_the_word_machinery() -> None:
    run_check = f"from docgen.cli import app\ntry:\n    app(['check', {str(EXAMPLE)!r}])\nexcept SystemExit:\n    pass"
    loaded = loaded_after(run_check)
    assert "pydantic" in loaded, "the check really ran"
    assert not loaded & {"docxtpl", "docx", "lxml", "rich", "openpyxl"}


def test_the_api_names_are_the_functions_even_after_the_flow_modules_load() -> None:
    code = (
        "import docgen, docgen.load, docgen.check, docgen.render, types\n"
        "assert all(isinstance(getattr(docgen, n), types.FunctionType) for n in ('load', 'check', 'render'))\n"
        f"assert docgen.check(docgen.load({str(EXAMPLE)!r})) == []"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr

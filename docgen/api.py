"""The whole flow for one data file: load → check → derive → render → write."""

from __future__ import annotations

from pathlib import Path

from docgen.check import check
from docgen.derive import derive
from docgen.errors import DataError, Severity
from docgen.load import load
from docgen.model import Report
from docgen.render import BUILTIN_TEMPLATE, render
from docgen.write import protected_inputs, write_atomic


def default_output(source: Path) -> Path:
    """2021.toml → 2021.docx, beside the input."""
    return source.with_suffix(".docx")


def render_report(report: Report, template: Path | None = None) -> bytes:
    """Check a loaded report and render it; raises DocgenError with every problem if a rule fails."""
    errors = [problem for problem in check(report) if problem.severity is Severity.ERROR]
    if errors:
        raise DataError(errors)
    return render(report, derive(report), template or BUILTIN_TEMPLATE)


def render_file(source: Path | str, output: Path | str | None = None, template: Path | str | None = None) -> Path:
    """Render one data file to .docx and return the path written.

    `output` may be a file or an existing directory (the file is then named after the input). Nothing is
    written when anything is wrong, and an existing output file is left as it was.
    """
    source = Path(source)
    target = Path(output) if output is not None else default_output(source)
    if target.is_dir() and output is not None:
        target = target / default_output(source).name
    template_path = Path(template) if template is not None else None
    data = render_report(load(source), template_path)
    write_atomic(target, data, protected_inputs(source, template_path))
    return target

"""The Python API — the whole flow for one report: load → check → derive → render → write.

import docgen
report = docgen.load("2021.toml")               # a validated Report; raises DataError
problems = docgen.check(report, previous=None)  # every rule; warnings included
docgen.render(report)                           # → Path of 2021.docx beside the data file
data = docgen.render_bytes(report)              # the .docx as bytes, e.g. for a web service
"""

from __future__ import annotations

from pathlib import Path

from docgen.check import check
from docgen.derive import derive
from docgen.errors import DataError, OutputError, Problem, Severity, TemplateFileError
from docgen.load import load
from docgen.messages import message
from docgen.model import Report
from docgen.render import builtin_template, builtin_templates
from docgen.render import render as render_document
from docgen.write import protected_inputs, write_atomic

ReportOrPath = Report | Path | str


def default_output(source: Path) -> Path:
    """2021.toml → 2021.docx, beside the input."""
    return source.with_suffix(".docx")


def _report(report_or_path: ReportOrPath) -> Report:
    return report_or_path if isinstance(report_or_path, Report) else load(report_or_path)


def render_bytes(report_or_path: ReportOrPath, template: Path | str | None = None) -> bytes:
    """Check a report and render it to .docx bytes; raises DataError with every problem if a rule fails."""
    report = _report(report_or_path)
    errors = [problem for problem in check(report) if problem.severity is Severity.ERROR]
    if errors:
        raise DataError(errors)
    template_path = template_for(report, template)
    if template_path not in builtin_templates():  # the built-in templates are linted by the test suite
        from docgen.lint import lint

        if template_problems := lint(template_path):
            raise TemplateFileError(template_problems)
    return render_document(report, derive(report), template_path)


def template_for(report: Report, template: Path | str | None = None) -> Path:
    """The template to use: the one asked for, else the data file's `template` (relative to the data file),
    else the built-in official one."""
    if template is not None:
        return Path(template)
    if report.template is not None:
        base = report.source.path.parent if report.source and report.source.path else Path.cwd()
        return base / report.template
    return builtin_template(report.format)


def render(report_or_path: ReportOrPath, output: Path | str | None = None, template: Path | str | None = None) -> Path:
    """Render one report to .docx and return the path written.

    `output` may be a file or an existing directory (the file is then named after the data file); without
    it the document goes beside the data file. Nothing is written when anything is wrong, and an existing
    output file is left as it was. Raises DataError, TemplateFileError or OutputError (all DocgenError).
    """
    report = _report(report_or_path)
    source = report.source.path if report.source else None
    if output is None and source is None:
        raise OutputError([Problem("output", message("output-needed"))])
    target = Path(output) if output is not None else default_output(source)  # type: ignore[arg-type]
    if target.is_dir() and output is not None:
        target = target / default_output(source or Path("report")).name
    template_path = template_for(report, template)
    data = render_bytes(report, template_path)
    write_atomic(target, data, protected_inputs(source, template_path))
    return target

"""The Python API — the whole flow for one report: load → check → derive → render → write.

import docgen
report = docgen.load("2021.toml")               # a validated Report; raises DataError
problems = docgen.check(report, previous=None)  # every rule; warnings included
docgen.render(report)                           # → Path of 2021.docx beside the data file
data = docgen.render_bytes(report)              # the .docx as bytes, e.g. for a web service
docgen.render_pdf(report)                       # → Path of 2021.pdf, through LibreOffice

Each function that takes a report also takes a data file's path, or a mapping of the data file's tables
(validated as `docgen.from_dict` does).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from docgen import limits, notice
from docgen.check import WARNING_RULES, check
from docgen.derive import derive
from docgen.errors import ConvertError, DataError, OutputError, Problem, Severity, TemplateFileError, os_reason
from docgen.lint import lint
from docgen.load import ReportLike, as_report
from docgen.messages import message
from docgen.model import Report
from docgen.ooxml import PackageError, open_document
from docgen.pdf import Conversion, PdfOptions, convert, page_images, soffice
from docgen.publish import html_page
from docgen.render import builtin_template, builtin_templates
from docgen.render import render as render_document
from docgen.variables import context
from docgen.write import check_target, protected_inputs, write_atomic, write_new


def default_output(source: Path) -> Path:
    """2021.toml → 2021.docx, beside the input."""
    return source.with_suffix(".docx")


def _checked(report: Report) -> tuple[Any, dict[str, Any]]:
    """The derived figures and the template's variables of a report that passes every rule; DataError with
    every problem otherwise."""
    skip = {"narrative", *WARNING_RULES}  # the narrative rule is the context built below; warnings never stop it
    errors = [problem for problem in check(report, skip=skip) if problem.severity is Severity.ERROR]
    derived = derive(report)
    try:  # building the document's variables renders the narrative: that is the narrative rule
        variables = context(report, derived)
    except DataError as error:
        errors += error.problems
        variables = {}
    if errors:
        raise DataError(errors)
    return derived, variables


def render_bytes(report_or_path: ReportLike, template: Path | str | None = None) -> bytes:
    """Check a report and render it to .docx bytes; raises DataError with every problem if a rule fails."""
    report = as_report(report_or_path)
    derived, variables = _checked(report)
    template_path = template_for(report, template)
    # The built-in templates are linted by the test suite; any other is linted before it is used.
    if template_path not in builtin_templates() and (template_problems := lint(template_path)):
        raise TemplateFileError(template_problems)
    return render_document(report, derived, template_path, variables)


def template_for(report: Report, template: Path | str | None = None) -> Path:
    """The template to use: the one asked for, else the data file's `template` (relative to the data file),
    else the built-in official one."""
    if template is not None:
        return Path(template)
    if report.template is not None:
        base = report.source.path.parent if report.source and report.source.path else Path.cwd()
        return base / report.template
    return builtin_template(report.format)


def _target(report: Report, output: Path | str | None) -> Path:
    """Where the document goes: `output` (a file; a folder — existing, or named with a trailing separator
    as in `-o 报告/`, then made — to put it in), else beside the data file. A file name with no suffix gets
    .docx: Word would not open 报告 by a double click."""
    source = report.source.path if report.source else None
    if output is None and source is None:
        raise OutputError([Problem("output", message("output-needed"))])
    target = Path(output) if output is not None else default_output(source)  # type: ignore[arg-type]
    try:
        if isinstance(output, str) and output.endswith(("/", os.sep)):
            target.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and output is not None:
            target = target / default_output(source or Path("report")).name
        elif not target.suffix:
            target = target.with_name(target.name + ".docx")
    except OSError as error:  # a name too long for the file system, a folder one may not enter …
        text = message("output-failed", path=str(target), reason=os_reason(error))
        raise OutputError([Problem("output", text, file=str(target))]) from None
    return target


def _inputs(report: Report, template_path: Path) -> dict[str, Path]:
    return protected_inputs(report.source.path if report.source else None, template_path)


def render(report_or_path: ReportLike, output: Path | str | None = None, template: Path | str | None = None) -> Path:
    """Render one report to .docx and return the path written.

    `output` may be a file or an existing directory (the file is then named after the data file); without
    it the document goes beside the data file. Nothing is written when anything is wrong, and an existing
    output file is left as it was. Raises DataError, TemplateFileError or OutputError (all DocgenError).
    """
    report = as_report(report_or_path)
    target = _target(report, output)
    template_path = template_for(report, template)
    data = render_bytes(report, template_path)
    write_atomic(target, data, _inputs(report, template_path))
    return target


def render_html(report_or_path: ReportLike, output: Path | str | None = None, fragment: bool = False) -> Path:
    """Check a report and publish it as a web page (publish.py): one self-contained UTF-8 .html, or with
    `fragment` the article alone, to paste into a site's content system. Written to `output` (a file, or a
    folder to put it in), else beside the data file; returns its path."""
    report = as_report(report_or_path)
    target = _target(report, output)
    target = target.with_suffix(".html") if target.suffix.lower() in (".docx", "") else target
    _, variables = _checked(report)
    page = html_page(report, fragment, variables)
    write_atomic(target, page.encode("utf-8"), _inputs(report, template_for(report)))
    return target


def pdf_targets(target: Path) -> tuple[Path, Path]:
    """(the .docx, the PDF) for an output named either way — 2021.pdf or 2021.docx → both; a name with no
    such suffix (报告, 报告.v2) gets both added. Always the same name with .docx and .pdf, so either one
    gives the other."""
    base = target.with_suffix("") if target.suffix.lower() in (".docx", ".pdf") else target
    return base.with_name(base.name + ".docx"), base.with_name(base.name + ".pdf")


def render_pdf(
    report_or_path: ReportLike,
    output: Path | str | None = None,
    template: Path | str | None = None,
    options: PdfOptions | None = None,
    on_fonts: Callable[[dict[str, str]], None] | None = None,
) -> Path:
    """Render one report and convert it to PDF with LibreOffice; returns the PDF's path.

    The PDF is named after `output` (2021.docx or 2021.pdf → 2021.pdf); with `options.keep_docx` the .docx
    is written too, first. `on_fonts` is told which official fonts the PDF shows in look-alikes (see
    `pdf.convert`). Raises what `render` raises, and ConvertError when LibreOffice is missing or fails
    (checked before anything is written).
    """
    options = options or PdfOptions()
    soffice()  # fail before writing anything when LibreOffice is missing
    report = as_report(report_or_path)
    docx_target, pdf_target = pdf_targets(_target(report, output))
    template_path = template_for(report, template)
    data = render_bytes(report, template_path)
    inputs = _inputs(report, template_path)
    check_target(pdf_target, inputs)
    with tempfile.TemporaryDirectory(prefix="docgen-") as temporary:
        if options.keep_docx:
            write_atomic(docx_target, data, inputs)
        else:
            docx_target = Path(temporary) / docx_target.name
            docx_target.write_bytes(data)
        [problem] = convert([Conversion(docx_target, pdf_target, inputs)], options, on_fonts=on_fonts)
    if problem is not None:
        source = report.source.path if report.source else None
        raise ConvertError([replace(problem, file=str(source or problem.file))])
    return pdf_target


def preview(
    report_or_path: ReportLike,
    directory: Path | str | None = None,
    template: Path | str | None = None,
    dpi: int = 96,
) -> list[Path]:
    """PNG images of the pages as LibreOffice lays them out: {stem}-1.png, {stem}-2.png … in `directory`
    (default: beside the data file). A .docx is converted as it is; data is rendered first."""
    soffice()  # fail before rendering anything when LibreOffice is missing
    if isinstance(report_or_path, (str, Path)) and Path(report_or_path).suffix.lower() == ".docx":
        docx, stem = Path(report_or_path), Path(report_or_path).stem
        default_directory = docx.parent
        data = None
        _check_document(docx)  # LibreOffice is not handed a zip bomb or a package of broken parts
    else:
        report = as_report(report_or_path)
        source = report.source.path if report.source else None
        docx, stem = None, (source.stem if source else "report")
        default_directory = source.parent if source else Path.cwd()
        data = render_bytes(report, template_for(report, template))
    target_directory = Path(directory) if directory is not None else default_directory
    if not target_directory.is_dir():
        text = message("output-dir-missing", path=target_directory)
        raise OutputError([Problem("output", text, file=str(target_directory))])
    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as temporary:
        if docx is None:
            docx = Path(temporary) / f"{stem}.docx"
            docx.write_bytes(data or b"")
        pdf = Path(temporary) / f"{stem}.pdf"
        [problem] = convert([Conversion(docx, pdf)])
        if problem is not None:
            raise ConvertError([problem])
        return page_images(pdf, target_directory, stem, dpi)


def export_templates(directory: Path | str, force: bool = False) -> list[Path]:
    """Copy the built-in official templates (and the 通报's) into `directory` (made when missing) to be edited in Word, WPS
    or LibreOffice; an existing file is replaced only with `force`. Returns the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for template in [*builtin_templates(), notice.builtin_template()]:
        write_new(directory / template.name, template.read_bytes(), force)
        written.append(directory / template.name)
    return written


def _check_document(path: Path) -> None:
    """A .docx from elsewhere, read within the limits before anything else opens it; raises DataError."""
    try:
        if path.stat().st_size > limits.max_package_bytes():  # not even read into memory
            raise PackageError(message("package-too-large", limit=limits.max_package_bytes() // limits.MB))
        open_document(path.read_bytes())
    except OSError as error:
        text = message("extract-not-docx", reason=os_reason(error))
        raise DataError([Problem("extract", text, file=str(path))]) from None
    except PackageError as error:
        text = message("extract-not-docx", reason=error.describe())
        raise DataError([Problem("extract", text, file=str(path))]) from None

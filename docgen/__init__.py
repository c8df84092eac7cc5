"""docgen — 政府信息公开工作年度报告 from data: TOML in, the official Word document out.

import docgen
report = docgen.load("2021.toml")
for problem in docgen.check(report):
    print(problem.format())
docgen.render(report)                   # → 2021.docx beside the data file
"""

from __future__ import annotations

__version__ = "0.1.0"

# These names are bound after their modules load, so `docgen.load`, `docgen.check` and `docgen.render`
# are the functions even though the flow's modules carry the same names (a submodule sets its attribute on
# the package only when first imported, which happens here, before these bindings).
from docgen.api import render, render_bytes, render_pdf
from docgen.check import check
from docgen.errors import ConvertError, DataError, DocgenError, OutputError, Problem, Severity, TemplateFileError
from docgen.load import load
from docgen.model import Report
from docgen.pdf import PdfOptions

__all__ = [
    "ConvertError",
    "DataError",
    "DocgenError",
    "OutputError",
    "PdfOptions",
    "Problem",
    "Report",
    "Severity",
    "TemplateFileError",
    "__version__",
    "check",
    "load",
    "render",
    "render_bytes",
    "render_pdf",
]

"""docgen — 政府信息公开工作年度报告 from data: a data file in, the official Word document out.

import docgen
report = docgen.load("2021.toml")
for problem in docgen.check(report):
    print(problem.format())
docgen.render(report)                   # → 2021.docx beside the data file
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The API loads on first use, so `docgen --help` and `import docgen` stay fast (pydantic, docxtpl and
# babel load only when a report is read or rendered). Name → the module that defines it ("module:name" when
# the name there differs: docgen.sum is summary.summed, which must not shadow the builtin inside its module).
_API = {
    # reading
    "load": "docgen.load",
    "loads": "docgen.load",
    "from_dict": "docgen.load",
    "Report": "docgen.model",
    # checking
    "check": "docgen.check",
    "check_files": "docgen.check",
    "check_report": "docgen.check",
    "Checked": "docgen.check",
    # rendering
    "render": "docgen.api",
    "render_bytes": "docgen.api",
    "render_pdf": "docgen.api",
    "pdf_targets": "docgen.api",
    "render_html": "docgen.api",
    "preview": "docgen.api",
    "export_templates": "docgen.api",
    "render_many": "docgen.batch",
    "Outcome": "docgen.batch",
    "PdfOptions": "docgen.pdf",
    "lint": "docgen.lint",
    # starting a data file, reading published reports
    "init": "docgen.starter",
    "convert": "docgen.datafile",
    "extract": "docgen.extract",
    "extract_files": "docgen.extract",
    "to_toml": "docgen.extract",
    "Extraction": "docgen.extract",
    "Extracted": "docgen.extract",
    # which files
    "data_files": "docgen.files",
    "audit": "docgen.audit",
    "Desk": "docgen.audit",
    "audit_sources": "docgen.audit:sources",
    "sum": "docgen.summary:summed",
    "sum_reports": "docgen.summary",
    "compare": "docgen.summary",
    # problems
    "ConvertError": "docgen.errors",
    "DataError": "docgen.errors",
    "DocgenError": "docgen.errors",
    "Location": "docgen.errors",
    "OutputError": "docgen.errors",
    "Problem": "docgen.errors",
    "Severity": "docgen.errors",
    "TemplateFileError": "docgen.errors",
}

__all__ = [*sorted(_API), "__version__"]

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ provides these
    from docgen.api import export_templates as export_templates
    from docgen.api import pdf_targets as pdf_targets
    from docgen.api import preview as preview
    from docgen.api import render as render
    from docgen.api import render_bytes as render_bytes
    from docgen.api import render_html as render_html
    from docgen.api import render_pdf as render_pdf
    from docgen.audit import Desk as Desk
    from docgen.audit import audit as audit
    from docgen.audit import sources as audit_sources  # noqa: F401  (docgen.audit_sources; in __all__)
    from docgen.batch import Outcome as Outcome
    from docgen.batch import render_many as render_many
    from docgen.check import Checked as Checked
    from docgen.check import check as check
    from docgen.check import check_files as check_files
    from docgen.check import check_report as check_report
    from docgen.datafile import convert as convert
    from docgen.errors import ConvertError as ConvertError
    from docgen.errors import DataError as DataError
    from docgen.errors import DocgenError as DocgenError
    from docgen.errors import Location as Location
    from docgen.errors import OutputError as OutputError
    from docgen.errors import Problem as Problem
    from docgen.errors import Severity as Severity
    from docgen.errors import TemplateFileError as TemplateFileError
    from docgen.extract import Extracted as Extracted
    from docgen.extract import Extraction as Extraction
    from docgen.extract import extract as extract
    from docgen.extract import extract_files as extract_files
    from docgen.extract import to_toml as to_toml
    from docgen.files import data_files as data_files
    from docgen.lint import lint as lint
    from docgen.load import from_dict as from_dict
    from docgen.load import load as load
    from docgen.load import loads as loads
    from docgen.model import Report as Report
    from docgen.pdf import PdfOptions as PdfOptions
    from docgen.starter import init as init
    from docgen.summary import compare as compare
    from docgen.summary import sum_reports as sum_reports
    from docgen.summary import summed as sum  # noqa: F401  (docgen.sum; the name is in __all__)


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'docgen' has no attribute {name!r}")
    module, _, attribute = _API[name].partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


class _Package(types.ModuleType):
    """Importing the flow modules docgen.load, docgen.check, docgen.render, docgen.extract and docgen.lint
    would bind them on the package over the functions of the same names; the functions win (the modules stay
    importable by name)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

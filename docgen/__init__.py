"""docgen — 政府信息公开工作年度报告 from data: TOML in, the official Word document out.

from docgen import render_file
render_file("2021.toml")            # → 2021.docx beside it
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["DocgenError", "Problem", "__version__", "load", "render_file"]

if TYPE_CHECKING:
    from docgen.api import render_file
    from docgen.errors import DocgenError, Problem
    from docgen.load import load

_LAZY = {
    "render_file": "docgen.api",
    "load": "docgen.load",
    "DocgenError": "docgen.errors",
    "Problem": "docgen.errors",
}


def __getattr__(name: str) -> Any:
    # `docgen --help` must not pay for pydantic and docxtpl; the API loads them on first use.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")

"""The official formats of the annual report, each declared once in a module of this package: its model,
its printed tables, the words that tell its documents apart, its own rules and its blank figures.

Adding a format: a module like y2021.py (model subclassing `docgen.model.Report`, table 2's `Grid`, table
3's `ROWS` on its model, markers, rules), its entry in `FORMATS` below, and `python tools/build_template.py`
to draw its template. Loading, checking, deriving, rendering, `template lint`, `extract` and `init` follow
from the declaration.
"""

from __future__ import annotations

from docgen.formats import y2019, y2021
from docgen.formats.base import CrossYearRule, Format, Rule, put, template_dir

__all__ = [
    "FORMATS",
    "LATEST",
    "CrossYearRule",
    "Format",
    "Rule",
    "detect",
    "format_of",
    "put",
    "template_dir",
]

# Newest first: a document that cannot be told apart is read as the newest format.
FORMATS: dict[str, Format] = {format.name: format for format in (y2021.FORMAT, y2019.FORMAT)}
LATEST: Format = y2021.FORMAT


def format_of(report_or_name: object) -> Format:
    """The format of a report (or of a format name)."""
    name = report_or_name if isinstance(report_or_name, str) else report_or_name.format  # type: ignore[attr-defined]
    return FORMATS[name]


def detect(text: str) -> Format:
    """The format whose tables a document's text (its tables' labels) shows most of the markers of; the
    newest on a tie or when none shows."""
    squeezed = "".join(text.split())
    scores = {name: sum(marker in squeezed for marker in fmt.markers) for name, fmt in FORMATS.items()}
    best = max(scores.values())
    return next(FORMATS[name] for name, score in scores.items() if score == best) if best else LATEST

"""The official formats of the annual report, each declared once in a module of this package: its model,
its printed tables, the words that tell its documents apart, its own rules and its blank figures.

Adding a format: a module like y2021.py (model subclassing `docgen.model.Report`, table 2's `Grid`, table
3's `ROWS` on its model, markers, rules), its entry in `FORMATS` below, its official wording in labels.py,
and `python tools/build_template.py` to draw its template. A newer format than 2021 takes over the default:
its model's `format` gets the default value and 2021's becomes required (LATEST follows from that). Loading, checking, deriving, rendering, `template lint`, `extract` and `init` follow
from the declaration.
"""

from __future__ import annotations

from docgen.formats import y2019, y2021
from docgen.formats.base import CrossYearRule, Format, Rule, put, template_dir
from docgen.model import Report

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

FORMATS: dict[str, Format] = {format.name: format for format in (y2021.FORMAT, y2019.FORMAT)}
# The newest format: the one a data file need not name (its model's `format` has a default), what `init`
# writes and what a document that cannot be told apart is read as.
LATEST: Format = next(fmt for fmt in FORMATS.values() if not fmt.requires_format_key)


def format_of(report_or_name: Report | str) -> Format:
    """The format of a report (or of a format name)."""
    return FORMATS[report_or_name if isinstance(report_or_name, str) else report_or_name.format]


def _marker_counts(text: str) -> dict[str, int]:
    squeezed = "".join(text.split())
    return {name: sum(marker in squeezed for marker in fmt.markers) for name, fmt in FORMATS.items()}


def shows_tables(text: str) -> bool:
    """Whether a document's text shows any format's table labels (a report, not a page linking to one)."""
    return any(_marker_counts(text).values())


def detect(text: str) -> Format:
    """The format whose markers a document's text (its tables' labels, spaces aside) shows most of; the
    newest on a tie or when none shows."""
    scores = _marker_counts(text)
    best = max(scores.values())
    leaders = [name for name, score in scores.items() if score == best]
    return LATEST if not best or LATEST.name in leaders else FORMATS[leaders[0]]

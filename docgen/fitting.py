"""Figures that keep to one line in their table cell. The official grids give table 3's and table 4's figure
columns about 30 pt; at 五号 a figure of five or more digits is wider than that, and Word, WPS and LibreOffice
would break it across lines ("340,2|00"). A cell holding only a figure too wide for it has the figure's
characters narrowed (Word's 字符缩放, `w:w`) just enough — the grid, the font and its size stay official.
"""

from __future__ import annotations

import re
from typing import Any

from docgen.derive import Derived
from docgen.ooxml import W, parse_xml

# Figures below this print in four characters or fewer, which every figure cell of the official grids holds.
# Only tables 3 and 4 have narrow cells (table 2's hold 17 digits), and their counts are never negative, so
# a row's 总计 is its widest figure.
_ALWAYS_FITS = 10_000
_FIGURE = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
# Widths in em of the characters a figure is printed with, as the fonts the PDF uses draw them (Noto Serif CJK
# SC: digits about 0.55 em; the same or less in 仿宋 and 宋体), rounded up.
_DIGIT_EM = 0.56
_STYLE_SIZE = r'<w:style [^>]*w:styleId="{style}"[^>]*>.*?<w:sz w:val="(\d+)"'
# The narrowest a figure is drawn: below this a digit is no longer read at a glance, and wrapping is the
# lesser harm.
MIN_SCALE = 40
# w:rPr children that come after w:w in the schema's order (a w:w placed after them is invalid).
_AFTER_SCALE = {
    f"{W}{name}"
    for name in (
        "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
        "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
    )
}  # fmt: skip


def table_font_size(styles_xml: bytes, style: str = "TableText") -> float:
    """The size in points of a table paragraph style (half-points in the XML); 12 pt, the largest a table
    may use, when the style does not say."""
    found = re.search(_STYLE_SIZE.format(style=re.escape(style)), styles_xml.decode("utf-8", "replace"), re.DOTALL)
    return int(found.group(1)) / 2 if found else 12.0


def may_overflow(derived: Derived) -> bool:
    """Whether any figure of tables 3 and 4 is long enough to need a look (most reports: no, at once)."""
    return any(row[-1] >= _ALWAYS_FITS for table in (derived.table3, derived.table4) for row in table.values())


def fit_figures(document_xml: bytes, styles_xml: bytes) -> bytes | None:
    """document.xml with every too-wide figure cell narrowed, or None when no cell needs it (the document is
    then left byte for byte as rendered). Table text is taken at its style's size in `styles_xml`."""
    from lxml import etree

    font_size = table_font_size(styles_xml)
    root = parse_xml(document_xml, "word/document.xml")
    changed = False
    for table in root.iter(f"{W}tbl"):
        margins = _cell_margins(table)
        for cell in table.iter(f"{W}tc"):
            texts = list(cell.iter(f"{W}t"))
            text = "".join(node.text or "" for node in texts)
            width = cell.find(f"{W}tcPr/{W}tcW")
            if not _FIGURE.fullmatch(text) or width is None or width.get(f"{W}type", "dxa") != "dxa":
                continue
            room = _twips(width, 0) - margins
            needed = len(text) * _DIGIT_EM * font_size * 20  # twips
            if room <= 0 or needed <= room:
                continue
            scale = max(MIN_SCALE, int(100 * room / needed))
            for run in {node.getparent() for node in texts}:
                _set_scale(run, scale)
            changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else None


def _cell_margins(table: Any) -> int:
    """A table's left and right cell margins in twips (Word's default 108 each when it sets none)."""
    total = 0
    for side in ("left", "right"):
        margin = table.find(f"{W}tblPr/{W}tblCellMar/{W}{side}")
        total += _twips(margin, 108) if margin is not None else 108
    return total


def _twips(element: Any, default: int) -> int:
    """A width in twips as a template gives it; a value docgen cannot read (a custom template's "1.5in",
    "auto") counts as `default`: such a cell is left as it is."""
    try:
        return int(element.get(f"{W}w", default))
    except ValueError:
        return default


def _set_scale(run: Any, scale: int) -> None:
    properties = run.find(f"{W}rPr")
    if properties is None:
        properties = run.makeelement(f"{W}rPr", {})
        run.insert(0, properties)
    for old in properties.findall(f"{W}w"):
        properties.remove(old)
    element = properties.makeelement(f"{W}w", {f"{W}val": str(scale)})
    later = next((index for index, child in enumerate(properties) if child.tag in _AFTER_SCALE), len(properties))
    properties.insert(later, element)

"""Render: a checked report and its derived figures → the .docx bytes, through the Word template.

The template only places values: every figure arrives computed (derive.py) and is formatted by a filter
(formatting.py). Templates are untrusted input, so they run in Jinja's sandbox with autoescaping and
StrictUndefined: a misspelt tag is an error, never an empty cell.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path
from typing import Any

from docgen.derive import Derived
from docgen.errors import ExpressionLimit, FilterError, Problem, TemplateFileError
from docgen.fitting import fit_figures, may_overflow
from docgen.formats import FORMATS, LATEST
from docgen.formatting import digit_grouping
from docgen.messages import message
from docgen.model import Report, Style
from docgen.ooxml import core_properties
from docgen.sandbox import environment
from docgen.variables import context
from docgen.wordtemplate import compile_template


def builtin_template(fmt: str = LATEST.name) -> Path:
    """The official template of a format (templates/annual-report-{format}.docx)."""
    return FORMATS[fmt].template


BUILTIN_TEMPLATE = builtin_template()


@cache
def builtin_templates() -> list[Path]:
    """Every official template docgen ships, one per format."""
    return sorted(fmt.template for fmt in FORMATS.values())


# --- rendering ----------------------------------------------------------------------------------


def render(
    report: Report, derived: Derived, template: Path = BUILTIN_TEMPLATE, variables: dict[str, Any] | None = None
) -> bytes:
    """The finished .docx as bytes (nothing is written here: see write.py). The template is compiled once
    per process (wordtemplate.py), so a batch pays only for rendering. `variables` is `context(report,
    derived)` when the caller has built it already."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError, UndefinedError

    compiled = compile_template(template, environment())
    name = str(template)
    variables = variables if variables is not None else context(report, derived)
    try:
        # The built-in templates are verified by the test suite; a custom one is checked on every render.
        with digit_grouping(report.style.group_digits):
            parts = compiled.render_parts(variables, verify=template not in builtin_templates())
            properties = compiled.render_properties(variables)
    except SecurityError as error:
        raise _template_problem("template-security", name, error) from None
    except ExpressionLimit as error:
        raise _template_problem("template-limit", name, error) from None
    except MemoryError:
        raise _template_problem("template-limit", name, message("limit-memory")) from None
    except RecursionError:
        raise _template_problem("template-limit", name, message("limit-recursion")) from None
    except UndefinedError as error:
        raise _template_problem("template-undefined", name, error) from None
    except TemplateError as error:
        raise _template_problem("template-error", name, error) from None
    except FilterError as error:
        raise _template_problem("template-error", name, error.describe()) from None

    if styled := styled_xml(compiled.styles_xml, report.style):
        parts[compiled.styles_name] = styled
    if may_overflow(derived):
        styles = parts.get(compiled.styles_name, compiled.styles_xml)
        if (fitted := fit_figures(parts[compiled.document_name], styles)) is not None:
            parts[compiled.document_name] = fitted
    signed = datetime.datetime.combine(report.report.date, datetime.time())
    properties |= {"title": "".join(variables["title_lines"]), "author": report.report.issuer, "language": "zh-CN"}
    core = core_properties(compiled.core_xml, {**properties, "created": signed, "modified": signed})
    parts[compiled.core_name] = core
    return compiled.package(parts)


def _serialize(element: Any) -> bytes:
    from docx.opc.oxml import serialize_part_xml

    return serialize_part_xml(element)


# [style] field → the template style it sets (the official template's style ids; a custom template with
# other ids keeps its own fonts).
STYLE_FONTS = {
    "title_font": "ReportTitle",
    "heading1_font": "Heading1",
    "heading2_font": "Heading2Char",
    "body_font": "Normal",
}
TABLE_STYLE = "TableText"
_FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")


def styled_xml(styles_xml: bytes, style: Style) -> bytes | None:
    """styles.xml with the fonts and table size of [style] set, or None when [style] asks for nothing."""
    if all(getattr(style, field) is None for field in (*STYLE_FONTS, "table_size")):
        return None
    from docx.oxml import parse_xml

    styles = parse_xml(styles_xml)
    apply_style(styles, style)
    return _serialize(styles)


def apply_style(styles: Any, style: Style) -> None:
    """Set the fonts and table size of [style] on the styles part's element (runs carry no fonts of their
    own, so every paragraph follows). East Asian slots are set too, which is what Word and WPS use for Chinese."""
    from docx.oxml.ns import qn

    def style_rpr(style_id: str) -> Any:
        found = styles.xpath(f'w:style[@w:styleId="{style_id}"]')
        return found[0].get_or_add_rPr() if found else None

    for field, style_id in STYLE_FONTS.items():
        font = getattr(style, field)
        targets = [style_rpr(style_id)]
        if field == "body_font":  # text with no style of its own follows the document defaults
            targets += styles.xpath("w:docDefaults/w:rPrDefault/w:rPr")
        for rpr in targets:
            if font is None or rpr is None:
                continue
            fonts = rpr.get_or_add_rFonts()
            for slot in _FONT_SLOTS:
                fonts.set(qn(f"w:{slot}"), font)
    if style.table_size is not None and (rpr := style_rpr(TABLE_STYLE)) is not None:
        half_points = str(int(style.table_size * 2))
        size = rpr.get_or_add_sz()  # python-docx inserts it where the schema's order wants it
        complex_size = rpr.find(qn("w:szCs"))
        if complex_size is None:
            complex_size = rpr.makeelement(qn("w:szCs"), {})
            size.addnext(complex_size)
        for element in (size, complex_size):
            element.set(qn("w:val"), half_points)


def _template_problem(rule: str, name: str, error: Exception | str) -> TemplateFileError:
    return TemplateFileError([Problem("template", message(rule, path=name, reason=str(error)), file=name)])

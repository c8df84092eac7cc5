"""Render: a checked report and its derived figures → the .docx bytes, through the Word template.

The template only places values: every figure arrives computed (derive.py) and is formatted by a filter
(formatting.py). Templates are untrusted input, so they run in Jinja's sandbox with autoescaping and
StrictUndefined: a misspelt tag is an error, never an empty cell.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from docgen import formatting
from docgen.derive import Derived
from docgen.errors import FilterError, Problem, TemplateFileError
from docgen.messages import message
from docgen.model import Enumeration, Report, Style, Subsection
from docgen.narrative import NarrativeRenderer, figure_variables
from docgen.tomlkeys import KeyPath


def _template_dir() -> Path:
    # Installed, the templates ship inside the package; in a source checkout they sit beside it.
    packaged = Path(__file__).with_name("templates")
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "templates"


def builtin_template(fmt: str = "2021") -> Path:
    """The official template of a format (templates/annual-report-{format}.docx)."""
    return _template_dir() / f"annual-report-{fmt}.docx"


BUILTIN_TEMPLATE = builtin_template("2021")


@cache
def builtin_templates() -> list[Path]:
    """Every official template docgen ships."""
    return sorted(_template_dir().glob("*.docx"))


_RUN_IN_END = "。！？：；"


@cache
def environment() -> Any:
    """The sandboxed Jinja environment every template and narrative is rendered in (one per process: it
    holds no per-report state, and its compiled narrative templates are reused across a batch)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class DataEnvironment(SandboxedEnvironment):
        """`table3.results.withheld` on the plain dicts of figures finds the key at once. Jinja would first
        try (and fail) a Python attribute for each of a template's hundreds of such lookups; a missing key
        still goes the sandbox's way (a dict's methods, else undefined)."""

        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    env = DataEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(formatting.FILTERS)
    env.globals.update(formatting.FUNCTIONS)
    return env


# --- the template's variables -------------------------------------------------------------------

Expand = Callable[[str, KeyPath], str]


def _lines(paragraph: str | Enumeration, path: KeyPath, expand: Expand) -> list[str]:
    """A narrative paragraph as printed: an enumeration in one line, text split at its line breaks."""
    if isinstance(paragraph, Enumeration):
        items = [expand(item, (*path, "items", index)) for index, item in enumerate(paragraph.items)]
        return [formatting.enum_cn(items, expand(paragraph.lead, (*path, "lead")), paragraph.separator)]
    return [line.strip() for line in expand(paragraph, path).splitlines() if line.strip()]


def _blocks(
    paragraphs: Iterable[str | Enumeration], path: KeyPath, expand: Expand, head: str = ""
) -> list[dict[str, str]]:
    """Printed paragraphs as {head, text}; `head` (a run-in sub-section title) opens the first one."""
    texts = [line for index, paragraph in enumerate(paragraphs) for line in _lines(paragraph, (*path, index), expand)]
    blocks = [{"head": "", "text": text} for text in texts]
    if head:
        if blocks:
            blocks[0]["head"] = head
        else:
            blocks = [{"head": head, "text": ""}]
    return blocks


def _subsection(number: int, section: Subsection, path: KeyPath, expand: Expand) -> list[dict[str, str]]:
    head = formatting.heading(number, level=2) + expand(section.title, (*path, "title"))
    paragraphs = (*path, "paragraphs")
    if not section.run_in:
        return [{"head": head, "text": ""}, *_blocks(section.paragraphs, paragraphs, expand)]
    if not head.endswith(tuple(_RUN_IN_END)):
        head += "。"
    return _blocks(section.paragraphs, paragraphs, expand, head)


def context(report: Report, derived: Derived) -> dict[str, Any]:
    """Every variable the template may use: plain data and figure rows only, so the sandbox exposes no
    objects. Narrative strings are rendered here; any problem in them raises DocgenError, all at once."""
    info = report.report
    figures = figure_variables(report, derived)
    narrative = NarrativeRenderer(report, figures)
    expand = narrative.text
    overview = _blocks(report.overview.paragraphs, ("overview", "paragraphs"), expand)
    for index, section in enumerate(report.overview.sections):
        overview += _subsection(index + 1, section, ("overview", "sections", index), expand)
    variables = {
        **figures,
        "title_lines": [expand(line, ("report", "title", index)) for index, line in enumerate(info.title_lines)],
        "issuer": info.issuer,
        "year": info.year,
        "report_date": info.date,
        # 成文日期 as [style] asks: 2022年2月18日, or 二〇二二年二月十八日.
        "signing_date": (formatting.cn_date if report.style.date == "chinese" else formatting.date)(info.date),
        "signature": info.signed_by,
        "headings": report.headings.model_dump(),
        "preamble": _blocks(info.preamble, ("report", "preamble"), expand),
        "overview": overview,
        "problems": _blocks(report.problems.paragraphs, ("problems", "paragraphs"), expand),
        "other": _blocks(report.other.paragraphs, ("other", "paragraphs"), expand),
    }
    narrative.raise_problems()
    return variables


# --- rendering ----------------------------------------------------------------------------------


def render(
    report: Report, derived: Derived, template: Path = BUILTIN_TEMPLATE, variables: dict[str, Any] | None = None
) -> bytes:
    """The finished .docx as bytes (nothing is written here: see write.py). The template is compiled once
    per process (wordtemplate.py), so a batch pays only for rendering. `variables` is `context(report,
    derived)` when the caller has built it already."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError, UndefinedError

    from docgen.wordtemplate import compile_template

    compiled = compile_template(template, environment())
    name = str(template)
    variables = variables if variables is not None else context(report, derived)
    try:
        # The built-in templates are verified by the test suite; a custom one is checked on every render.
        parts = compiled.render_parts(variables, verify=template not in builtin_templates())
        properties = compiled.render_properties(variables)
    except SecurityError as error:
        raise _template_problem("template-security", name, error) from None
    except UndefinedError as error:
        raise _template_problem("template-undefined", name, error) from None
    except TemplateError as error:
        raise _template_problem("template-error", name, error) from None
    except FilterError as error:
        raise _template_problem("template-error", name, error.describe()) from None

    if styled := styled_xml(compiled.styles_xml, report.style):
        parts[compiled.styles_name] = styled
    properties.title = "".join(variables["title_lines"])
    properties.author = report.report.issuer
    properties.language = "zh-CN"
    signed = datetime.datetime.combine(report.report.date, datetime.time())
    properties.created = properties.modified = signed
    parts[compiled.core_name] = _serialize(properties._element)
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

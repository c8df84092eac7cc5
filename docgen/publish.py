"""Publish: the report as a clean web page for the government site (政府信息公开平台) — one self-contained UTF-8
page (no external CSS, fonts, scripts, images or frames), the title and headings as h1/h2/h3, paragraphs
as p, and tables 2–4 as real tables with thead and the official grids' rowspan and colspan, every figure
formatted as in the .docx.

The styling it needs is written on the elements themselves, so the article (`fragment=True`) survives being
pasted into a content system's source view; the full page adds only what a page needs around it (viewport,
print on A4). Tables scroll inside their own box on a phone instead of widening the page. `extract` reads a
published page back into the same data.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from docgen import formatting
from docgen.derive import derive
from docgen.formats import format_of
from docgen.formats.layout import Figure, Grid, Label, merges
from docgen.model import Report
from docgen.variables import context

# Inline styles (a content system keeps style attributes where it strips <style>).
ARTICLE = "max-width:48em;margin:0 auto;padding:0 1em;font-family:'FangSong','仿宋','STFangsong',serif;font-size:16pt;line-height:1.8;color:#000"
TITLE = "text-align:center;font-size:min(22pt,6.5vw);font-weight:bold;font-family:'STZhongsong','SimSun','宋体',serif;line-height:1.5;margin:1em 0"
TITLE_DATE = "text-align:center;margin:0 0 1em;font-family:'KaiTi','STKaiti','楷体',serif"
HEADING = "font-size:16pt;font-family:'SimHei','黑体',sans-serif;font-weight:normal;margin:0.5em 0"
SUBHEADING = "font-size:16pt;font-family:'KaiTi','楷体',serif;font-weight:normal;margin:0;text-indent:2em"
PARAGRAPH = "margin:0;text-indent:2em;text-align:justify"
RUN_IN = "font-family:'KaiTi','楷体',serif;font-weight:normal"
SIGNATURE = "margin:0;text-align:right;padding-right:2em"
WRAPPER = "overflow-x:auto;max-width:100%;margin:0.5em 0"
TABLE = "border-collapse:collapse;margin:0 auto;font-size:10.5pt;line-height:1.4;text-indent:0"
CELL = "border:1px solid #000;padding:2px 4px;text-align:center;vertical-align:middle;font-weight:normal"
FIGURE_CELL = CELL + ";white-space:nowrap"
# Read out by screen readers, not shown twice: the caption repeats the heading above the table.
HIDDEN = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"
PAGE_CSS = (
    "body{margin:0;padding:1em 0;background:#fff}"
    "@media print{@page{size:A4;margin:37mm 26mm 35mm 28mm}body{padding:0}"
    "article{max-width:none!important;padding:0!important}table{page-break-inside:avoid}}"
)
_LINK = re.compile(r"(https?://[^\s<>\"'，。；、）]+)")


def _text(text: str) -> str:
    """A narrative text as HTML: escaped, its web addresses links, its line breaks kept."""
    escaped = escape(text, quote=False)
    linked = _LINK.sub(lambda found: f'<a href="{found.group(1)}">{found.group(1)}</a>', escaped)
    return linked.replace("\n", "<br>")


def _blocks(blocks: list[dict[str, str]]) -> list[str]:
    """Narrative blocks as the .docx prints them: a sub-section title on its own line (h3) or opening its
    first paragraph (run in), and paragraphs."""
    html = []
    for block in blocks:
        head, text = block["head"], block["text"]
        if head and not text:
            html.append(f'<h3 style="{SUBHEADING}">{_text(head)}</h3>')
        elif head:
            html.append(f'<p style="{PARAGRAPH}"><strong style="{RUN_IN}">{_text(head)}</strong>{_text(text)}</p>')
        else:
            html.append(f'<p style="{PARAGRAPH}">{_text(text)}</p>')
    return html


def _figure(cell: Figure, variables: dict[str, Any]) -> str:
    value: Any = variables
    for part in cell.path:
        value = value[part]
    return formatting.num(value)


def table_html(grid: Grid, variables: dict[str, Any], caption: str) -> str:
    """One official table: header rows in thead (th scope="col"), row labels th scope="row", figures td,
    merged cells as rowspan and colspan exactly as the official grid merges them."""
    spans: dict[tuple[int, int], tuple[int, int] | None] = {}
    for first_row, first_column, last_row, last_column in merges(grid):
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                spans[(row, column)] = None
        spans[(first_row, first_column)] = (last_row - first_row + 1, last_column - first_column + 1)
    header = grid.header_rows or next(
        index for index, row in enumerate(grid.rows) if any(isinstance(cell, Figure) for cell in row)
    )
    rows = []
    for row_index, row in enumerate(grid.rows):
        cells, column = [], 0
        for cell in row:
            span = spans.get((row_index, column), (1, cell.span))
            column += cell.span
            if span is None:
                continue
            attributes = (f' rowspan="{span[0]}"' if span[0] > 1 else "") + (
                f' colspan="{span[1]}"' if span[1] > 1 else ""
            )
            if isinstance(cell, Figure):
                cells.append(f'<td{attributes} style="{FIGURE_CELL}">{_figure(cell, variables)}</td>')
                continue
            assert isinstance(cell, Label)
            scope = (
                "col" if row_index < header or len(row) == 1 or not any(isinstance(c, Figure) for c in row) else "row"
            )
            scope = "colgroup" if scope == "col" and span[1] > 1 else scope
            text = "<br>".join(escape(line) for line in cell.printed_lines)
            cells.append(f'<th scope="{scope}"{attributes} style="{CELL}">{text}</th>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div style="{WRAPPER}"><table style="{TABLE}"><caption style="{HIDDEN}">'
        f"{escape(caption)}</caption><thead>{''.join(rows[:header])}</thead><tbody>{''.join(rows[header:])}</tbody>"
        "</table></div>"
    )


def article_html(report: Report, variables: dict[str, Any] | None = None) -> str:
    """The report as one <article>, styled on its elements; `variables` are the template's (`context`) when
    the caller has them already."""
    variables = variables if variables is not None else context(report, derive(report))
    with formatting.digit_grouping(report.style.group_digits):
        return _article(report, variables)


def _article(report: Report, variables: dict[str, Any]) -> str:
    headings = variables["headings"]
    grid2, grid3, grid4 = format_of(report).grids
    captions = {
        key: f"{number}、{headings[key]}"
        for number, key in zip("二三四", ("proactive", "requests", "review_litigation"))
    }
    parts = [f'<h1 style="{TITLE}">' + "<br>".join(escape(line) for line in variables["title_lines"]) + "</h1>"]
    parts += [f'<p style="{TITLE_DATE}">{escape(line)}</p>' for line in variables["title_date_lines"]]
    parts += _blocks(variables["preamble"])
    sections: list[tuple[str, list[str]]] = [
        ("overview", _blocks(variables["overview"])),
        ("proactive", [table_html(grid2, variables, captions["proactive"])]),
        ("requests", [table_html(grid3, variables, captions["requests"])]),
        ("review_litigation", [table_html(grid4, variables, captions["review_litigation"])]),
        ("problems", _blocks(variables["problems"])),
        ("other", _blocks(variables["other"])),
    ]
    for index, (number, (key, body)) in enumerate(zip("一二三四五六", sections), start=1):
        parts.append(f'<h2 id="part-{index}" style="{HEADING}">{number}、{escape(headings[key])}</h2>')
        parts += body
    parts.append(f'<p style="{SIGNATURE};margin-top:2em">{escape(variables["signature"])}</p>')
    parts.append(f'<p style="{SIGNATURE}">{escape(variables["signing_date"])}</p>')
    return f'<article lang="zh-CN" style="{ARTICLE}">\n' + "\n".join(parts) + "\n</article>"


def html_page(report: Report, fragment: bool = False, variables: dict[str, Any] | None = None) -> str:
    """The published page (or, with `fragment`, the article alone to paste into a content system)."""
    variables = variables if variables is not None else context(report, derive(report))
    article = article_html(report, variables)
    if fragment:
        return article + "\n"
    title = escape("".join(variables["title_lines"]))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="docgen">\n<title>{title}</title>\n<style>{PAGE_CSS}</style>\n</head>\n'
        f"<body>\n{article}\n</body>\n</html>\n"
    )

"""Web pages as government sites publish annual reports, made from a real rendered report: the article (title,
paragraphs, the three tables with rowspan and colspan as the official grids merge them) inside the site's
chrome — a header with its menus (繁體版, 无障碍, 首页 …), a breadcrumb, the 索引号/发布机构/公开日期 box, share
and print buttons and a footer — saved in UTF-8 or GBK, optionally inside nested layout tables."""

from __future__ import annotations

import io
from html import escape

import docx

from docgen.derive import derive
from docgen.formats import format_of
from docgen.formats.layout import Figure, Label, merges
from docgen.formatting import num
from docgen.model import Report

CHROME_TOP = """
<div class="top"><a href="/">繁體版</a> | <a href="/wza">无障碍</a> | <a href="/en">English</a> | 登录 注册</div>
<div class="header"><img src="logo.png" alt="某县人民政府"><span>某县人民政府门户网站</span></div>
<ul class="nav"><li><a href="/">首页</a></li><li>政务公开</li><li>政务服务</li><li>互动交流</li><li>走进某县</li></ul>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; <a>政府信息公开年报</a></div>
"""
CHROME_BOTTOM = """
<div class="share">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>
<div class="tools"><a onclick="window.print()">【打印本页】</a><a onclick="window.close()">【关闭窗口】</a></div>
<div class="footer"><p>主办单位：某县人民政府办公室 承办单位：某县大数据中心</p>
<p>网站标识码：1409310001 晋ICP备05007856号 晋公网安备 14093102000123号</p><p>地址：某县新华街1号 电话：0350-5222222</p></div>
"""


def info_box(publisher: str, title: str) -> str:
    return (
        '<table class="xxgk_info"><tr><td>索引号：</td><td>011003185/2022-00012</td><td>发布机构：</td>'
        f"<td>{escape(publisher)}</td></tr><tr><td>公开日期：</td><td>2022-01-20</td><td>文号：</td><td></td></tr>"
        f'<tr><td>标题：</td><td colspan="3">{escape(title)}</td></tr></table>'
    )


def table_html(report: Report, index: int, blank_zeros: bool = False) -> str:
    """Table 2, 3 or 4 of the report (index 0–2) as HTML, merged as the official grid merges it."""
    grid = format_of(report).grids[index]
    derived = derive(report)
    covered: dict[tuple[int, int], tuple[int, int] | None] = {}
    for first_row, first_column, last_row, last_column in merges(grid):
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                covered[(row, column)] = None
        covered[(first_row, first_column)] = (last_row - first_row + 1, last_column - first_column + 1)
    lines = ['<table border="1" cellspacing="0" style="border-collapse:collapse">']
    for row_index, row in enumerate(grid.rows):
        cells, column = [], 0
        for cell in row:
            spans = covered.get((row_index, column), (1, cell.span))
            if spans is not None:
                rowspan, colspan = spans
                attributes = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
                    f' colspan="{colspan}"' if colspan > 1 else ""
                )
                if isinstance(cell, Label):
                    text = "<br>".join(escape(line) for line in cell.printed_lines)
                else:
                    text = _figure(report, derived, cell, blank_zeros)
                cells.append(f'<td{attributes} style="text-align:center"><p>{text}</p></td>')
            column += cell.span
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _figure(report: Report, derived: object, cell: Figure, blank_zeros: bool) -> str:
    path = cell.path
    if path[0] == "table2":
        value: object = report.table2
        for part in path[1:]:
            value = getattr(value, str(part))
    else:
        rows = derived.table3 if path[0] == "table3" else derived.table4  # type: ignore[attr-defined]
        value = rows[".".join(map(str, path[1:-1]))][path[-1]]  # type: ignore[index]
    text = num(value)  # type: ignore[arg-type]
    return "" if blank_zeros and text == "0" else text


def report_page(
    report: Report,
    docx_bytes: bytes,
    *,
    encoding: str = "gbk",
    title: str = "h1",  # h1 | paragraph | none (only in the info box and <title>)
    layout_tables: bool = False,
    blank_zeros: bool = False,
    byline: bool = True,
) -> bytes:
    """A saved page of the report as a county site would publish it."""
    document = docx.Document(io.BytesIO(docx_bytes))
    title_lines = [paragraph.text for paragraph in document.paragraphs[:3] if paragraph.style.name == "报告标题"]
    title_text = "".join(title_lines)
    body: list[str] = []
    if title == "h1":
        body.append(f'<h1 class="title">{escape(title_text)}</h1>')
    elif title == "paragraph":
        body.append(f'<p style="text-align:center"><strong>{escape(title_text)}</strong></p>')
    if byline:
        body.append(
            '<div class="byline">来源：某县人民政府办公室　发布时间：2022-01-20　浏览次数：1234　字号：[大 中 小]</div>'
        )
    tables = 0
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            body.append(table_html(report, tables, blank_zeros))
            tables += 1
        elif tag == "p":
            paragraph = docx.text.paragraph.Paragraph(block, document)
            if paragraph.style.name == "报告标题" or not paragraph.text.strip():
                continue
            body.append(f'<p style="text-indent:2em">{escape(paragraph.text)}</p>')
    article = '<div class="article">' + "\n".join(body) + "</div>"
    if layout_tables:  # sites of the 2000s: the whole page in tables, the article in a cell of a cell
        article = f'<table width="1000"><tr><td width="200">导航</td><td><table><tr><td>{article}</td></tr></table></td></tr></table>'
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={"gb2312" if encoding == "gbk" else "utf-8"}">'
    page = (
        f"<!DOCTYPE html><html><head>{meta}<title>{escape(title_text)}_某县人民政府</title>"
        "<style>.nav li{display:inline}</style><script>var x = '<p>一、总体情况</p>';</script></head><body>"
        + CHROME_TOP
        + info_box(report.report.issuer + "办公室", title_text)
        + article
        + CHROME_BOTTOM
        + "</body></html>"
    )
    return page.encode(encoding)

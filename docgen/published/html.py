"""Web pages: a report as a government site publishes it — a saved page in UTF-8 or GB2312/GBK/GB18030, the
article in the middle of the site's menus, breadcrumbs, 索引号/发布机构 box, share buttons and footer.

The article is found by what it holds, not by the site's class names: the smallest element that holds the
report's numbered headings and its statistical tables. Its paragraphs and tables (rowspan and colspan
resolved, layout tables looked through) are the blocks; the report's title is taken from the page when the
article does not start with it, and the site's 发布机构 field is kept as a hint for the issuer.
"""

from __future__ import annotations

import codecs
import datetime
import re
from collections.abc import Iterator
from typing import Any

from docgen import limits
from docgen.messages import message
from docgen.numerals import written_date
from docgen.ooxml import CellBudget, PackageError, table_too_large
from docgen.published.blocks import Block, Published, unquoted

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
# Declared Chinese encodings are read as GB18030, which contains them all (sites declare gb2312 and use GBK).
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "button",
    "select",
    "textarea",
    "head",
}  # not <form>: ASP.NET WebForms sites put the whole page, the article too, in one
_BLOCK = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "center", "dd", "dt", "dl", "pre", "address", "header", "footer", "nav", "aside", "td", "th", "tr", "tbody",
}  # fmt: skip
_HEADING = re.compile(r"^[一二三四五六]、")
_TITLE = re.compile(r"(\d{4})\s*年.{0,40}?政府信息公开.{0,8}?年度?报告")
_PUBLISHER = re.compile(r"^发布机构[:：]([^|｜]{0,40})$")
_PUBLISHED_FIELD = re.compile(r"^(?:发布日期|公开日期|发布时间)[:：]\s*(.{0,40})$")
# <meta> names government sites' publishing systems give the date an article went up under
_DATE_META = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # nothing Word can hold
_TITLE_FIELD = re.compile(r"^(?:标\s*题|名\s*称)\s*[:：]\s*")


def decode(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding it was read in: as declared, else UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    declared = _CHARSET.search(data[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else ""
    if name in _GB:
        return data.decode("gb18030", "replace"), "gb18030"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        if _web_encoding(name):
            return data.decode(name, "replace"), name
        return data.decode("gb18030", "replace"), "gb18030"


# The encodings a page may declare and be read in (the WHATWG Encoding Standard's, by Python's names). Others
# Python knows are not for pages: "undefined" always fails, "idna" and "punycode" are for host names,
# "rot13" and "base64" are not text encodings at all.
_WEB_ENCODINGS = {
    "big5", "big5hkscs", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp866", "cp874", "euc_jp", "euc_kr", "iso2022_jp", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5",
    "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "koi8_r", "koi8_u", "iso8859_1", "mac_cyrillic", "mac_roman", "shift_jis", "utf_16_be", "utf_16_le",
}  # fmt: skip


def _web_encoding(name: str) -> bool:
    try:
        return bool(name) and codecs.lookup(name).name.replace("-", "_") in _WEB_ENCODINGS
    except LookupError:
        return False


def parse(data: bytes) -> Any:
    """A page's element tree, parsed without network, comments or processing instructions; PackageError when
    it is not a page at all."""
    from lxml import etree, html

    text, _ = decode(data)
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        return html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise PackageError(message("html-unreadable", reason=str(error)[:200])) from None


def published_date(root: Any) -> datetime.date | None:
    """When the site says the page went up: its 发布日期/公开日期/发布时间 field, else its date <meta>."""
    found = _field(root, _PUBLISHED_FIELD)
    return (found and written_date(found)) or _meta_date(root)


def read(data: bytes) -> Published:
    """The report's blocks from a saved web page; PackageError when the page holds nothing to read."""
    root = parse(data)
    published_on = published_date(root)
    for element in list(root.iter(*_SKIP)):
        element.drop_tree()
    article = _article(root)
    blocks = list(_blocks(article))
    title = None
    first = next((block.text for block in blocks if block.grid is None), "")
    if not _TITLE.search(unquoted(_squeeze(first))):  # a preamble citing 《…2021年…年度报告…通知》 is no title
        title = _page_title(root, article)
    return Published(blocks, title=title, publisher=_field(root, _PUBLISHER), published_on=published_on)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _own_text(element: Any) -> str:
    """An element's text up to its first block-level child: what a heading paragraph says of itself."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag.lower() in _BLOCK | {"table", "br"}:
            break
        parts.append(child.text_content() or "")
        parts.append(child.tail or "")
    return _squeeze("".join(parts))


def _article(root: Any) -> Any:
    """The smallest element holding the report's numbered headings and its statistical tables."""
    markers = [
        element
        for element in root.iter()
        if isinstance(element.tag, str)
        and (
            (element.tag.lower() != "table" and _HEADING.match(_own_text(element)) and len(_own_text(element)) <= 40)
            or (element.tag.lower() == "table" and _report_table(element))
        )
    ]
    body = root.find("body") if root.find("body") is not None else root
    if not markers:
        return body
    common = [*reversed(list(markers[0].iterancestors())), markers[0]]
    for marker in markers[1:]:
        chain = {id(element) for element in (marker, *marker.iterancestors())}
        common = [element for element in common if id(element) in chain]
    article = common[-1] if common else body
    while article.tag.lower() in ("table", "tbody", "tr", "td", "th") and article.getparent() is not None:
        article = article.getparent()  # a heading and a table inside one layout table: read the whole table
    return article


def _report_table(table: Any) -> bool:
    text = _squeeze(table.text_content())
    return any(word in text for word in ("申请人情况", "本年新收", "第二十条", "行政复议")) and not table.findall(
        ".//table"
    )


def _field(root: Any, pattern: re.Pattern[str]) -> str | None:
    """A field of the site's 信息 box (发布机构：某局, 公开日期：2022-01-20): in the label's own element or the one
    after it."""
    for element in root.iter("td", "th", "span", "li", "p", "div", "dd", "em", "b", "label"):
        own = _own_text(element)
        found = pattern.match(own)
        if found is None:
            continue
        if found.group(1):
            return found.group(1)
        following = element.getnext()
        if following is not None and 2 <= len(_squeeze(following.text_content())) <= 40:
            return _squeeze(following.text_content())
    return None


def _meta_date(root: Any) -> datetime.date | None:
    """The date a <meta> gives the page's publication (PubDate and its kin)."""
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name in _DATE_META and (found := written_date(meta.get("content") or "")):
            return found
    return None


def _page_title(root: Any, article: Any) -> str | None:
    """The report's title from the page around the article: a heading, the site's 标题 field, <title>."""
    candidates: list[str] = []
    for element in root.iter("h1", "h2", "h3", "div", "p", "td", "span", "strong"):
        own = _TITLE_FIELD.sub("", _own_text(element))
        if len(own) <= 80 and _TITLE.search(unquoted(own)) and own.endswith("报告"):
            candidates.append(own)
    title = root.find(".//title")
    if title is not None and title.text:
        own = re.split(r"[_|｜\-—]", _squeeze(title.text))[0]
        if _TITLE.search(unquoted(own)):
            candidates.append(own)
    return min(candidates, key=len) if candidates else None


def _blocks(element: Any) -> Iterator[Block]:
    """Paragraphs and tables in document order: block-level elements and line breaks end a paragraph;
    a table is a grid unless it only lays out the page (it holds other tables or the report's headings)."""
    buffer: list[str] = []
    tables = 0
    budget = CellBudget()

    def flush() -> Iterator[Block]:
        text = _CONTROL.sub("", "".join(buffer)).replace("\xa0", " ").strip()
        buffer.clear()
        if text:
            yield Block(text=re.sub(r"[ \t\r\n]+", " ", text) if not _cjk(text) else re.sub(r"\s+", "", text))

    def visit(node: Any) -> Iterator[Block]:
        nonlocal tables
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag == "table" and not _layout_table(node):
            yield from flush()
            tables += 1
            yield Block(grid=_grid(node, tables, budget))
        elif tag == "br":
            yield from flush()
        elif tag in _BLOCK or tag == "table":
            yield from flush()
            buffer.append(node.text or "")
            for child in node:
                yield from visit(child)
            yield from flush()
        else:
            buffer.append(node.text or "")
            for child in node:
                yield from visit(child)
        buffer.append(node.tail or "")

    buffer.append(element.text or "")
    for child in element:
        yield from visit(child)
    yield from flush()


def _cjk(text: str) -> bool:
    """Chinese prose: spaces in it are the page's line wrapping, not words'."""
    return sum("\u4e00" <= char <= "\u9fff" for char in text) > len(text) / 3


def _layout_table(table: Any) -> bool:
    if table.find(".//table") is not None:
        return True
    rows = table.findall(".//tr")
    return len(rows) <= 2 and any(_HEADING.match(_own_text(cell)) for cell in table.iter("td", "th", "p", "div"))


def _span(cell: Any, name: str, table: int) -> int:
    value = (cell.get(name) or "1").strip()
    if not value.isdigit() or int(value) < 1:
        return 1  # browsers read a broken span as 1
    what, limit = (
        ("table-columns", limits.MAX_TABLE_COLUMNS) if name == "colspan" else ("table-rows", limits.max_table_rows())
    )
    if int(value) > limit:
        raise PackageError(table_too_large(table, what, limit))
    return int(value)


def _grid(table: Any, number: int, budget: CellBudget) -> list[list[str]]:
    """The table as rows × columns with rowspan and colspan resolved: a merged cell's text in every
    position it covers."""
    rows = [row for row in table.iter("tr") if next(row.iterancestors("table")) is table]
    if len(rows) > limits.max_table_rows():
        raise PackageError(table_too_large(number, "table-rows", limits.max_table_rows()))
    grid: list[list[str | None]] = []
    for index, row in enumerate(rows):
        while len(grid) <= index:
            grid.append([])
        column = 0
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while column < len(grid[index]) and grid[index][column] is not None:
                column += 1
            text = "".join("".join(block.text for block in _blocks(cell) if block.grid is None))
            width, height = _span(cell, "colspan", number), _span(cell, "rowspan", number)
            height = min(height, len(rows) - index)
            for down in range(height):
                line = grid[index + down] if index + down < len(grid) else None
                while line is None:
                    grid.append([])
                    line = grid[index + down] if index + down < len(grid) else None
                while len(line) < column + width:
                    line.append(None)
                for across in range(width):
                    line[column + across] = text
            column += width
            budget.spend(width * height)
            if column > limits.MAX_TABLE_COLUMNS:
                raise PackageError(table_too_large(number, "table-columns", limits.MAX_TABLE_COLUMNS))
    return [[cell or "" for cell in line] for line in grid]

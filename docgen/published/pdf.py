"""PDFs with a text layer (exported from Word, WPS or LibreOffice): paragraphs in reading order and tables by
their ruling lines, with pdfplumber. A paragraph is rebuilt from its lines: GB/T 9704 indents a paragraph's
first line by two characters and a paragraph ends where a line stops short of the right margin; headings,
titles and the signature are lines of their own. Page numbers (— 1 —) are left out. A scanned PDF has no
text to read and is answered as such (docgen does no OCR)."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from docgen.limits import MB, max_pdf_inflated_bytes
from docgen.messages import message
from docgen.ooxml import PackageError
from docgen.published.blocks import Block, Published
from docgen.published.pdfbudget import Budget, OverBudget, budget

MAX_PAGES = 100  # a report runs to 5–15 pages
_PAGE_OFFSET = 100_000.0  # pages laid end to end, so a table's fragments keep their order
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")  # 一、 （一） start a paragraph
_PAGE_NUMBER = re.compile(r"^[-—–－]?\s*\d{1,4}\s*[-—–－]?$")
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》"
_CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # nothing Word can hold
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")


def _clean(text: str) -> str:
    """pdfplumber's text with the spaces it puts beside Chinese characters (2021 年) taken out."""
    return _SPACE_BY_CJK.sub("", _CONTROL.sub("", text.replace("\n", ""))).strip()


def read(data: bytes) -> Published:
    """The blocks of a PDF; PackageError when it cannot be read (pdfminer fails on a damaged file in many ways,
    each of them an unreadable PDF, not a fault of docgen's), has too many pages or no text."""
    with budget() as spent:
        try:
            return _read(data, spent)
        except PackageError:
            raise
        except Exception as error:
            if spent.exceeded:
                raise PackageError(message("pdf-inflates-too-much", limit=max_pdf_inflated_bytes() // MB)) from None
            raise PackageError(message("pdf-unreadable", reason=f"{type(error).__name__}: {error}"[:200])) from None


def _quiet_pdfminer() -> None:
    """pdfminer logs what it works around in a PDF ("Could not get FontBBox…") as warnings, which Python
    would print raw on the terminal; none of them is the user's business (an unreadable PDF is an error)."""
    logger = logging.getLogger("pdfminer")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def _read(data: bytes, spent: Budget) -> Published:
    import pdfplumber

    _quiet_pdfminer()

    document = pdfplumber.open(io.BytesIO(data))
    with document:
        if len(document.pages) > MAX_PAGES:
            raise PackageError(message("pdf-too-long", pages=len(document.pages), limit=MAX_PAGES))
        items: list[tuple[int, float, Any]] = []  # (page, top, a line or a table's cells)
        lines_found = 0
        for number, page in enumerate(document.pages):
            ruled = page.filter(_not_an_area)
            tables = ruled.find_tables({"explicit_horizontal_lines": _ends_of_columns(ruled)})
            boxes = [table.bbox for table in tables]
            for table in tables:
                items.append((number, table.bbox[1], _cells(table, number * _PAGE_OFFSET)))
            for line in page.extract_text_lines():
                lines_found += 1
                middle = (line["top"] + line["bottom"]) / 2
                if any(
                    x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
                    for x0, top, x1, bottom in boxes
                ):
                    continue
                text = _clean(line["text"])
                if text and not _PAGE_NUMBER.match(text):
                    items.append(
                        (number, line["top"], (line["x0"], line["x1"], text, line["bottom"] - line["top"], page.width))
                    )
            page.close()  # its parsed objects, released before the next page
            if spent.exceeded:  # a font whose stream was refused is skipped by pdfminer: refuse the document
                raise OverBudget
    if not lines_found:
        raise PackageError(message("pdf-no-text"))
    items.sort(key=lambda item: (item[0], item[1]))
    return Published(_paragraphs(_without_cut_labels(items)))


def _without_cut_labels(items: list[tuple[int, float, Any]]) -> list[tuple[int, float, Any]]:
    """The items without the text a page break cut out of a table: when a table goes on at the top of the next
    page, lines below it that stand in its label columns (left of its first figure) are the ends of cells
    spanning several rows, whose borders the break left open — not paragraphs of the report."""
    dropped: set[int] = set()
    for position, (page, _top, item) in enumerate(items):
        if not isinstance(item, list):
            continue
        after = [index for index in range(position + 1, len(items)) if items[index][0] == page]
        following = next((index for index in range(position + 1, len(items)) if items[index][0] > page), None)
        if not after or any(isinstance(items[index][2], list) for index in after):
            continue
        if following is None or items[following][0] != page + 1 or not isinstance(items[following][2], list):
            continue
        left = min(cell[0] for cell in item)
        figures = [cell[0] for cell in item if re.fullmatch(r"\d+", cell[4])]
        if not figures:
            continue
        if all(left - 1 <= items[index][2][0] and items[index][2][1] <= min(figures) + 1 for index in after):
            dropped.update(after)
    return [entry for index, entry in enumerate(items) if index not in dropped]


def _not_an_area(item: dict[str, Any]) -> bool:
    """Whether a page object may be a ruling or text: a filled box (the article's background a browser
    prints, a shaded panel) is not, and its edges would close a table at the page's end or join a table
    to the text below it."""
    return item.get("object_type") != "rect" or min(item["width"], item["height"]) <= _RULING


def _ends_of_columns(page: Any) -> list[float]:
    """Where a table's column rulings stop: a table the page break cuts has no ruling under its last row on
    this page, or above its first on the next; a line there closes the row as the page's edge does."""
    ends = {
        round(value, 1) for edge in page.edges if edge["orientation"] == "v" for value in (edge["top"], edge["bottom"])
    }
    return sorted(ends)


_RULING = 3.0  # points: the thickest line a table is drawn with (rules are 0.5–1.5)


Box = tuple[float, float, float, float, str]  # x0, top, x1, bottom (on the pages laid end to end), text


def _cells(table: Any, offset: float) -> list[Box]:
    """A table's real cells (a merged cell once) with their text, `offset` added to their heights on the page."""
    texts = table.extract()  # each character in the cell its centre falls in
    cells = []
    for row_index, row in enumerate(table.rows):
        for column_index, box in enumerate(row.cells):
            if box is not None:
                x0, top, x1, bottom = box
                cells.append((x0, top + offset, x1, bottom + offset, _clean(texts[row_index][column_index] or "")))
    return cells


def _edges(values: list[float]) -> list[float]:
    """Distinct coordinates, those within pdfplumber's snapping distance (3 points) of one another taken as one
    line: a browser lays a table's columns out a point or two apart on the pages it breaks the table over."""
    found: list[float] = []
    for value in sorted(values):
        if not found or value - found[-1] > 3.0:
            found.append(value)
    return found


def _grid(cells: list[Box]) -> list[list[str]]:
    """The table as rows × columns of the lines all its cells draw: a merged cell's text in every row and
    column it covers. Fragments of one table on several pages share the columns, whatever each page shows."""
    xs = _edges([x for x0, _, x1, _, _ in cells for x in (x0, x1)])
    ys = _edges([y for _, top, _, bottom, _ in cells for y in (top, bottom)])
    grid = [["" for _ in xs[1:]] for _ in ys[1:]]

    def span(low: float, high: float, edges: list[float]) -> range:
        first = min(range(len(edges)), key=lambda index: abs(edges[index] - low))
        last = min(range(len(edges)), key=lambda index: abs(edges[index] - high))
        return range(first, max(last, first + 1))

    for x0, top, x1, bottom, text in cells:
        for row in span(top, bottom, ys):
            for column in span(x0, x1, xs):
                grid[row][column] = text
    return grid


def _rejoin(fragment: list[Box], following: list[Box]) -> list[Box]:
    """Two fragments of a table a page break cut, as one: the header a browser prints again at the top of the
    next page is left out, and a row the break cut in two (its second part has no figures, only the rest of a
    label) is made whole again."""
    following = _without_repeated_header(fragment, following)
    if not following:
        return fragment
    last_top = max(top for _, top, _, _, _ in fragment)
    first_top = min(top for _, top, _, _, _ in following)
    tail = [cell for cell in fragment if cell[1] == last_top]
    head = [cell for cell in following if cell[1] == first_top]
    if head and not any(re.search(r"\d", cell[4]) for cell in head if not re.match(r"^\d+\.", cell[4])):
        joined = []
        for cell in tail:
            rest = "".join(
                text for x0, _, x1, _, text in head if x0 >= cell[0] - 1 and x1 <= cell[2] + 1 and text not in cell[4]
            )
            joined.append((cell[0], cell[1], cell[2], cell[3], cell[4] + rest))
        return [
            *(cell for cell in fragment if cell[1] != last_top),
            *joined,
            *(cell for cell in following if cell[1] != first_top),
        ]
    return [*fragment, *following]


def _rows(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped by the line their top sits on, top to bottom."""
    rows: dict[float, list[Box]] = {}
    for cell in cells:
        rows.setdefault(round(cell[1], 1), []).append(cell)
    return [sorted(rows[top]) for top in sorted(rows)]


def _without_repeated_header(fragment: list[Box], following: list[Box]) -> list[Box]:
    """`following` without the rows at its top that repeat the first rows of `fragment` (an HTML table's
    <thead>, printed on every page)."""
    header = [[cell[4] for cell in row] for row in _rows(fragment)]
    kept = _rows(following)
    repeated = 0
    while (
        repeated < len(kept) and repeated < len(header) - 1 and [cell[4] for cell in kept[repeated]] == header[repeated]
    ):
        repeated += 1
    if repeated and any(
        re.search(r"\d", text) for row in header[:repeated] for text in row if not re.match(r"^\d+\.", text)
    ):
        return following  # rows with figures are data, never a header
    return [cell for row in kept[repeated:] for cell in row]


def _paragraphs(items: list[tuple[int, float, Any]]) -> list[Block]:
    """Lines joined into paragraphs: a line indented past the text's left edge, a centred or right-set line,
    or one after a line that stopped short starts a new paragraph."""
    lines = [item[2] for item in items if not isinstance(item[2], list)]
    left = min((line[0] for line in lines), default=0.0)
    # The text's right edge: the longest line's, or (when no paragraph fills a line) the page's margins
    # taken as even.
    right = max([line[1] for line in lines] + [line[4] - left for line in lines], default=0.0)
    blocks: list[Block] = []
    current: list[str] = []
    ended = True

    def flush() -> None:
        if current:
            blocks.append(Block(text="".join(current)))
            current.clear()

    last_on_page = {page: position for position, (page, _top, _item) in enumerate(items)}
    cells: list[Box] | None = None  # the table being gathered, over page breaks

    def table_done() -> None:
        nonlocal cells
        if cells is not None:
            blocks.append(Block(grid=_grid(cells)))
            cells = None

    for position, (page, _top, item) in enumerate(items):
        if isinstance(item, list):
            flush()
            previous = items[position - 1] if position else None
            continues = (
                cells is not None
                and previous is not None
                and previous[0] == page - 1
                and last_on_page.get(page - 1) == position - 1
            )
            if continues:  # a table the page break cut in two: one table again
                cells = _rejoin(cells, item)  # type: ignore[arg-type]
            else:
                table_done()
                cells = list(item)
            ended = True
            continue
        table_done()
        x0, x1, text, height, _width = item
        character = max(height, 8.0)
        indented = x0 > left + 0.8 * character
        short = x1 < right - 1.5 * character
        if ended or indented or _NUMBERED.match(text):
            flush()
        current.append(text)
        ended = short or (indented and x0 > left + 4 * character)  # a centred or right-set line stands alone
    flush()
    table_done()
    return blocks

"""PDFs with a text layer (exported from Word, WPS or LibreOffice): paragraphs in reading order and tables by
their ruling lines, with pdfplumber. A paragraph is rebuilt from its lines: GB/T 9704 indents a paragraph's
first line by two characters and a paragraph ends where a line stops short of the right margin; headings,
titles and the signature are lines of their own. Page numbers (— 1 —) are left out. A scanned PDF, with no
text to read, goes to OCR (`scan`)."""

from __future__ import annotations

import datetime
import io
import logging
import re
from dataclasses import replace
from typing import Any

from docgen.limits import MB, max_pdf_inflated_bytes
from docgen.messages import message
from docgen.numerals import calendar_date
from docgen.ooxml import PackageError
from docgen.published import scan
from docgen.published.blocks import Published
from docgen.published.layout import PAGE_NUMBER, PAGE_OFFSET, Box, Item, Piece, blocks, clean, spaced_items, within
from docgen.published.pdfbudget import Budget, OverBudget, budget

MAX_PAGES = 100  # a report runs to 5–15 pages


class _NoText(Exception):
    """A PDF without a text layer: `images` are the sizes (pixels) of the images its pages show."""

    def __init__(self, images: list[tuple[float, float]], created: datetime.date | None) -> None:
        self.images = images
        self.created = created


def _size(declared: Any) -> tuple[float, float]:
    """An image's declared width and height; a size that is not two numbers (a damaged file's) as a huge one,
    so that the image is refused rather than decoded."""
    try:
        width, height = (float(value) for value in declared)
        return width, height
    except (TypeError, ValueError):
        return 1e9, 1e9


_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")


def _created(metadata: dict[str, Any]) -> datetime.date | None:
    """The day the PDF was made (its CreationDate, "D:20220120093000+08'00'"): the report cannot have gone
    up before it."""
    value = metadata.get("CreationDate")
    found = _PDF_DATE.match(value.decode("latin-1", "replace") if isinstance(value, bytes) else str(value or ""))
    return calendar_date(found) if found else None


def read(data: bytes) -> Published:
    """The blocks of a PDF — read by OCR when it has no text layer (a scan); PackageError when it cannot be
    read (pdfminer fails on a damaged file in many ways, each of them an unreadable PDF, not a fault of
    docgen's), has too many pages, or is a scan and the OCR extra is not installed."""
    try:
        return _within_budget(data)
    except _NoText as scanned:
        if not scanned.images:
            raise PackageError(message("pdf-no-text")) from None
        return replace(scan.read_pdf(data, scanned.images), created_on=scanned.created)


def _within_budget(data: bytes) -> Published:
    with budget() as spent:
        try:
            return _read(data, spent)
        except (PackageError, _NoText):
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
        created = _created(document.metadata or {})
        if len(document.pages) > MAX_PAGES:
            raise PackageError(message("pdf-too-long", pages=len(document.pages), limit=MAX_PAGES))
        items: list[Item] = []
        lines_found = 0
        images: list[tuple[float, float]] = []
        for number, page in enumerate(document.pages):
            images += [_size(image.get("srcsize")) for image in page.images]
            ruled = page.filter(_not_an_area)
            tables = ruled.find_tables({"explicit_horizontal_lines": _ends_of_columns(ruled)})
            boxes = [tuple(table.bbox) for table in tables]
            for table in tables:
                items.append((number, table.bbox[1], _cells(table, number * PAGE_OFFSET)))
            spaced, spaced_boxes = spaced_items(number, _loose_words(page, boxes))  # tables without rulings
            items += spaced
            boxes += spaced_boxes
            for line in page.extract_text_lines():
                lines_found += 1
                middle = (line["top"] + line["bottom"]) / 2
                if any(
                    x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
                    for x0, top, x1, bottom in boxes
                ):
                    continue
                text = clean(line["text"])
                if text and not PAGE_NUMBER.match(text):
                    items.append(
                        (number, line["top"], (line["x0"], line["x1"], text, line["bottom"] - line["top"], page.width))
                    )
            page.close()  # its parsed objects, released before the next page
            if spent.exceeded:  # a font whose stream was refused is skipped by pdfminer: refuse the document
                raise OverBudget
    if not lines_found:
        raise _NoText(images, created)
    return Published(blocks(items), created_on=created)


def _loose_words(page: Any, boxes: list[tuple[float, float, float, float]]) -> list[Piece]:
    """The page's words outside the tables its rulings draw."""
    words = [
        (word["x0"], word["top"], word["x1"], word["bottom"], clean(word["text"])) for word in page.extract_words()
    ]
    return [word for word in words if word[4] and not within(word, boxes)]


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


def _cells(table: Any, offset: float) -> list[Box]:
    """A table's real cells (a merged cell once) with their text, `offset` added to their heights on the page."""
    texts = table.extract()  # each character in the cell its centre falls in
    cells = []
    for row_index, row in enumerate(table.rows):
        for column_index, box in enumerate(row.cells):
            if box is not None:
                x0, top, x1, bottom = box
                cells.append((x0, top + offset, x1, bottom + offset, clean(texts[row_index][column_index] or "")))
    return cells

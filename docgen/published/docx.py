"""Word documents (.docx): the body's paragraphs and tables, read safely (ooxml.py, limits.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docgen import limits
from docgen.ooxml import CellBudget, PackageError, W, grid_span, open_document, table_too_large
from docgen.published.blocks import Block, Published


def _paragraph_text(paragraph: Any) -> str:
    parts = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts).strip()


def _grid(table: Any, number: int, budget: CellBudget) -> list[list[str]]:
    """The table as rows × grid columns: a merged cell's text in every column and row it covers; a cell's
    paragraphs joined (a label broken over two lines reads as one), empty ones left out. `number` (from 1)
    names the table when it is too large to read: a hostile document's spans must not cost memory."""
    rows: list[list[str]] = []
    for row in table.iter(f"{W}tr"):
        if row.getparent() is not table:  # a nested table's rows belong to its cell
            continue
        if len(rows) >= limits.max_table_rows():
            raise PackageError(table_too_large(number, "table-rows", limits.max_table_rows()), _DOCUMENT)
        cells: list[str] = []
        before = row.find(f"{W}trPr/{W}gridBefore")
        cells += [""] * grid_span(before, number, _DOCUMENT, default=0) if before is not None else []
        for cell in row.findall(f"{W}tc"):
            properties = cell.find(f"{W}tcPr")
            span = properties.find(f"{W}gridSpan") if properties is not None else None
            merge = properties.find(f"{W}vMerge") if properties is not None else None
            text = "".join(_paragraph_text(paragraph) for paragraph in cell.findall(f"{W}p"))
            width = grid_span(span, number, _DOCUMENT) if span is not None else 1
            if merge is not None and merge.get(f"{W}val", "continue") == "continue" and rows:
                above = rows[-1]
                text = above[len(cells)] if len(cells) < len(above) else ""
            if len(cells) + width > limits.MAX_TABLE_COLUMNS:
                raise PackageError(table_too_large(number, "table-columns", limits.MAX_TABLE_COLUMNS), _DOCUMENT)
            cells += [text] * width
        budget.spend(len(cells), _DOCUMENT)
        rows.append(cells)
    return rows


_DOCUMENT = "word/document.xml"


def _body_children(element: Any) -> Iterator[Any]:
    for child in element:
        if child.tag == f"{W}sdt":  # content controls wrap paragraphs and tables
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _body_children(content)
        else:
            yield child


def read(docx: bytes) -> Published:
    """The body's paragraphs and tables in order. Raises PackageError when this is not a Word document, or
    one that cannot be read safely (ooxml.py, limits.py)."""
    document = open_document(docx).xml(_DOCUMENT)
    body = document.find(f"{W}body")
    blocks = []
    tables = 0
    budget = CellBudget()
    for child in _body_children(body if body is not None else []):
        if child.tag == f"{W}p":
            text = _paragraph_text(child)
            if text:
                blocks.append(Block(text=text))
        elif child.tag == f"{W}tbl":
            tables += 1
            blocks.append(Block(grid=_grid(child, tables, budget)))
    return Published(blocks)

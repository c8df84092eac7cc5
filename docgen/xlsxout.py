"""The one writer of every workbook docgen makes (the data workbook, 审核.xlsx, 分单位.xlsx, 对比.xlsx): text
is stored as text, whatever it starts with.

What docgen writes into a workbook comes from strangers — an issuer, a sentence or a file name read from a
published page — and the workbook is opened in the reviewer's Excel. openpyxl makes any text starting with
"=" a formula (`=HYPERLINK(…)`, the DDE `=cmd|' /C calc'!A0`) and any text equal to "#N/A" an error value.
Here every text is a string cell, and one that a spreadsheet would read as the start of a formula when the
cell is edited (= + - @, a tab, a carriage return) is marked with the quote prefix (the leading apostrophe
Excel shows): editing it keeps it text. Characters no worksheet may hold are dropped. The only formulas are
`Formula` values: the totals and the 勾稽 row docgen itself means to write. `to_bytes` goes over the whole
workbook before it is saved and turns any other formula or error value back into text, so a cell written
past this module cannot carry a formula out either.
"""

from __future__ import annotations

import io
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# What makes a spreadsheet read typed text as a formula or a DDE link (OWASP's list for CSV injection).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# What no worksheet may hold (openpyxl refuses it): control characters other than tab and line breaks.
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
# Longest text a cell holds (Excel's limit; openpyxl cuts past it silently).
MAX_CELL_TEXT = 32_767


@dataclass(frozen=True)
class Formula:
    """A formula docgen writes on purpose ("=SUM(D5:I5)"): never made from a document's text."""

    text: str


# The cells of each sheet that hold a Formula put there by docgen.
_MEANT: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def clean_text(value: str) -> str:
    """Text as a cell may hold it: no characters a worksheet refuses, no more than a cell can take."""
    return _ILLEGAL.sub("", value)[:MAX_CELL_TEXT]


def new_book() -> Any:
    from openpyxl import Workbook

    return Workbook()


def put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write `value` into a cell and return the cell: text as text, a Formula as a formula, numbers, dates
    and booleans as themselves, None and "" as an empty cell."""
    cell = sheet.cell(row, column)
    if isinstance(value, Formula):
        cell.value = value.text
        cell.data_type = "f"
        _MEANT.setdefault(sheet, set()).add(cell.coordinate)
        return cell
    _MEANT.get(sheet, set()).discard(cell.coordinate)
    if isinstance(value, str) and value:
        _as_text(cell, value)
    elif isinstance(value, str):
        cell.value = None  # an empty text is an empty cell
    else:
        cell.value = value
    return cell


def _as_text(cell: Any, value: str) -> None:
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # not "f" (a leading =) nor "e" (#N/A)
    if text.startswith(FORMULA_LEADS):
        cell.quotePrefix = True


def append(sheet: Any, values: Iterable[object]) -> int:
    """Write `values` as a new row below the last one; returns its number."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or any(c.value is not None for c in sheet[1]) else 1
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value)
    return row


def to_bytes(book: Any) -> bytes:
    """The workbook as .xlsx bytes; a formula or error value docgen did not put there as such becomes text."""
    for sheet in book.worksheets:
        meant = _MEANT.get(sheet, set())
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "e" or (cell.data_type == "f" and cell.coordinate not in meant):
                    _as_text(cell, str(cell.value))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

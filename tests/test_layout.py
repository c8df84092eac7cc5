"""Tables printed without ruling lines, found by their columns of figures (docgen.published.layout): on
positioned words as a PDF's text layer, an OFD or OCR gives them, laid out here as a printed page lays them
out (points, the page's top left the origin, a line 10 points high)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from docgen.published.layout import Piece, spaced_tables

HEIGHT = 10.0
LEFT, FIRST_FIGURE, STEP = 50.0, 200.0, 40.0


def _row(top: float, label: str, figures: list[str | None], first: float = FIRST_FIGURE) -> list[Piece]:
    """A row as printed: its label at the left margin, each figure centred in its column (None: blank)."""
    pieces: list[Piece] = [(LEFT, top, LEFT + len(label) * HEIGHT, top + HEIGHT, label)] if label else []
    for column, figure in enumerate(figures):
        if figure is not None:
            x = first + column * STEP - len(figure) * 2.5
            pieces.append((x, top, x + len(figure) * 5, top + HEIGHT, figure))
    return pieces


def _table3_like(rows: int, top: float = 120.0, dashes: frozenset[int] = frozenset()) -> list[Piece]:
    """Rows of a label and seven figures (six columns and 总计), one every 20 points; in the rows `dashes`
    names the first column prints — for none."""
    pieces: list[Piece] = []
    for row in range(rows):
        figures = [str(row + column) for column in range(6)] + [str(6 * row + 15)]
        if row in dashes:
            figures[0] = "—"
        pieces += _row(top + 20 * row, f"第{row + 1}行", figures)
    return pieces


def _cells(table: tuple[list, tuple]) -> list[list[str]]:
    cells, _ = table
    rows: dict[float, list[str]] = {}
    for _x0, top, _x1, _bottom, text in sorted(cells, key=lambda cell: (cell[1], cell[0])):
        rows.setdefault(top, []).append(text)
    return list(rows.values())


@given(st.integers(min_value=2, max_value=12), st.data())
def test_a_row_printing_a_dash_for_none_stays_in_its_table(rows: int, data: st.DataObject) -> None:
    dashes = frozenset(data.draw(st.sets(st.integers(min_value=0, max_value=rows - 1))))
    (table,) = spaced_tables(_table3_like(rows, dashes=dashes))
    read = _cells(table)
    assert len(read) == rows
    for row, cells in enumerate(read):
        assert cells[0] == f"第{row + 1}行" and len(cells) == 8
        assert cells[1] == ("—" if row in dashes else str(row))


def test_a_table_of_other_columns_close_below_is_a_table_of_its_own() -> None:
    upper = _table3_like(5)
    lower = [*_row(230, "", [f"{column}" for column in range(15)], first=LEFT + 5)]  # table 4: figures only
    lower += _row(250, "", [f"{column + 1}" for column in range(15)], first=LEFT + 5)
    tables = spaced_tables(upper + lower)
    assert [len(_cells(table)) for table in tables] == [5, 2]
    assert _cells(tables[1])[0] == [str(column) for column in range(15)]


def test_characters_placed_one_by_one_read_as_the_words_they_make() -> None:
    """An OFD places each character on its own: a multi-digit figure is one figure, not two columns."""
    words = _table3_like(4)
    characters = [
        (x0 + index * (x1 - x0) / len(text), top, x0 + (index + 1) * (x1 - x0) / len(text), bottom, character)
        for x0, top, x1, bottom, text in words
        for index, character in enumerate(text)
    ]
    assert [_cells(table) for table in spaced_tables(characters)] == [_cells(table) for table in spaced_tables(words)]


@given(st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=6))
def test_sentences_with_figures_are_never_a_table(figures: list[int]) -> None:
    """A paragraph's lines: words and figures set a word's space apart, the lines 15 points apart."""
    pieces: list[Piece] = []
    for line in range(6):
        x = LEFT
        for figure in figures:
            for text in ("全年共收到申请", str(figure), "件"):
                width = len(text) * (5 if text.isdigit() else HEIGHT)
                pieces.append((x, 100 + 15 * line, x + width, 110 + 15 * line, text))
                x += width + 3
    assert spaced_tables(pieces) == []

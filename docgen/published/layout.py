"""A page's layout turned into the report's blocks, whatever read the page (a PDF's text layer, an OFD's
objects, OCR of a scan): lines, each with where it starts and ends, become paragraphs (GB/T 9704 indents a
paragraph's first line by two characters, and a paragraph ends where a line stops short of the right margin;
headings, titles and the signature are lines of their own); tables, as their cells, become grids, joined again
where a page break cut them. Readers that give ruling segments and positioned text have their tables found
here too (`page_items`), by the same rules pdfplumber finds a PDF's."""

from __future__ import annotations

import re
from typing import Union

from docgen.published.blocks import Block

PAGE_OFFSET = 100_000.0  # pages laid end to end, so a table's fragments keep their order
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")  # 一、 （一） start a paragraph
# — 3 —; OCR reads the dashes as 一 at times ("一3一"), which no line of a report's text is.
PAGE_NUMBER = re.compile(r"^[-—–－]?\s*\d{1,4}\s*[-—–－]?$|^[-—–－一]\s*\d{1,4}\s*[-—–－一]$")

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》"
_CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # nothing Word can hold
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")


def clean(text: str) -> str:
    """A line as read, without control characters and the spaces a reader puts beside Chinese characters
    (2021 年)."""
    return _SPACE_BY_CJK.sub("", _CONTROL.sub("", text.replace("\n", ""))).strip()


Box = tuple[float, float, float, float, str]  # x0, top, x1, bottom (on the pages laid end to end), text
Line = tuple[float, float, str, float, float]  # x0, x1, text, height, the page's width
# (page, top, a line or a table's cells), in reading order once sorted
Item = tuple[int, float, Union[Line, list[Box]]]


def blocks(items: list[Item]) -> list[Block]:
    """The blocks of a document's pages, from its lines and tables in reading order."""
    return _paragraphs(_without_cut_labels(sorted(items, key=lambda item: (item[0], item[1]))))


def _without_cut_labels(items: list[Item]) -> list[Item]:
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
    if len(xs) < 2 or len(ys) < 2:  # cells narrower than the snapping distance: no table a report prints
        return []
    grid = [["" for _ in xs[1:]] for _ in ys[1:]]

    def span(low: float, high: float, edges: list[float]) -> range:
        first = min(range(len(edges) - 1), key=lambda index: abs(edges[index] - low))
        last = min(range(len(edges)), key=lambda index: abs(edges[index] - high))
        return range(first, max(last, first + 1))

    for x0, top, x1, bottom, text in cells:
        for row in span(top, bottom, ys):
            for column in span(x0, x1, xs):
                grid[row][column] = text
    return grid


def _rejoin(fragment: list[Box], following: list[Box]) -> list[Box]:
    """Two fragments of a table a page break cut, as one: the header a browser prints again at the top of the
    next page is left out, and a row the break cut in two (its first part has the figures, its second none,
    only the rest of a label) is made whole again. Header rows are not joined: the break may fall between
    two of them (行政复议 | 行政诉讼, then 结果维持 …), which read as printed."""
    following = _without_repeated_header(fragment, following)
    if not following:
        return fragment
    last_top = max(top for _, top, _, _, _ in fragment)
    first_top = min(top for _, top, _, _, _ in following)
    tail = [cell for cell in fragment if cell[1] == last_top]
    head = [cell for cell in following if cell[1] == first_top]
    if head and _has_figures(tail) and not _has_figures(head):
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


def _has_figures(cells: list[Box]) -> bool:
    """Whether a row holds a figure (a digit not merely numbering a label: 1.属于国家秘密)."""
    return any(re.search(r"\d", cell[4]) for cell in cells if not re.match(r"^\d+\.", cell[4]))


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


def _paragraphs(items: list[Item]) -> list[Block]:
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

    paragraph_page = 0  # where the paragraph being gathered starts

    def flush() -> None:
        if current:
            blocks.append(Block(text="".join(current), page=paragraph_page + 1))
            current.clear()

    last_on_page = {page: position for position, (page, _top, _item) in enumerate(items)}
    cells: list[Box] | None = None  # the table being gathered, over page breaks
    table_pages = (0, 0)

    def table_done() -> None:
        nonlocal cells
        if cells is not None and (grid := _grid(cells)):
            blocks.append(Block(grid=grid, page=table_pages[0] + 1, last_page=table_pages[1] + 1))
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
                table_pages = (table_pages[0], page)
            else:
                table_done()
                cells = list(item)
                table_pages = (page, page)
            ended = True
            continue
        table_done()
        x0, x1, text, height, _width = item
        character = max(height, 8.0)
        indented = x0 > left + 0.8 * character
        short = x1 < right - 1.5 * character
        if ended or indented or _NUMBERED.match(text):
            flush()
        if not current:
            paragraph_page = page
        current.append(text)
        ended = short or (indented and x0 > left + 4 * character)  # a centred or right-set line stands alone
    flush()
    table_done()
    return blocks


Segment = tuple[float, float, float, float]  # x0, top, x1, bottom of a ruling line, in points
Piece = tuple[float, float, float, float, str]  # x0, top, x1, bottom, text: a character, a run or an OCR line
# Rulings of one page taken into account: a report's page draws a few hundred (Word draws each cell's border);
# pairing them costs their product, so a page with more is read as text only.
MAX_RULINGS = 5000
# Lines they make once joined: finding cells costs about the cube of this (120: under a second); a page of
# table 3 draws about 50.
MAX_LINES = 120
_SNAP = 3.0  # points: rulings this close are one line, as for pdfplumber
_LINE_GAP = 0.5  # of a line's height: pieces whose middles are this close vertically are on one line


def page_items(number: int, rulings: list[Segment], pieces: list[Piece], width: float) -> list[Item]:
    """One page's lines and tables, from the ruling lines drawn on it and its positioned text (in points, the
    page's top left the origin): cells are found where rulings cross, as pdfplumber finds a PDF's, a piece
    belongs to the cell its middle falls in, and the pieces outside every table are joined into lines."""
    tables = _tables(rulings) if len(rulings) <= MAX_RULINGS else []
    offset = number * PAGE_OFFSET
    items: list[Item] = []
    loose: list[Piece] = []
    inside: dict[int, list[Piece]] = {}
    for piece in pieces:
        middle_x, middle_y = (piece[0] + piece[2]) / 2, (piece[1] + piece[3]) / 2
        found = next(
            (
                index
                for index, (cells, _) in enumerate(tables)
                if any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in cells)
            ),
            None,
        )
        if found is None:
            loose.append(piece)
        else:
            inside.setdefault(found, []).append(piece)
    for index, (cells, (_, top, _, _)) in enumerate(tables):
        texts = inside.get(index, [])
        boxes = [(x0, y0 + offset, x1, y1 + offset, _text_in(texts, (x0, y0, x1, y1))) for x0, y0, x1, y1 in cells]
        items.append((number, top, boxes))
    spaced, boxes = spaced_items(number, loose)
    items += spaced
    loose = [piece for piece in loose if not within(piece, boxes)]
    for line in _lines(loose):
        x0, top, x1, bottom, text = line
        if text and not PAGE_NUMBER.match(text):
            items.append((number, top, (x0, x1, text, bottom - top, width)))
    return items


def _tables(rulings: list[Segment]) -> list[tuple[list[Segment], Segment]]:
    """The tables the rulings draw: each one's cells and its bounding box."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = [
        {
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "width": x1 - x0,
            "height": bottom - top,
            "orientation": "h" if x1 - x0 >= bottom - top else "v",
        }
        for x0, top, x1, bottom in rulings
    ]
    # A ruling as the line it draws: a horizontal one at its middle height, no thicker (and so for vertical ones).
    for edge in edges:
        if edge["orientation"] == "h":
            edge["top"] = edge["bottom"] = (edge["top"] + edge["bottom"]) / 2
            edge["height"] = 0.0
        else:
            edge["x0"] = edge["x1"] = (edge["x0"] + edge["x1"]) / 2
            edge["width"] = 0.0
    edges = merge_edges(edges, _SNAP, _SNAP, _SNAP, _SNAP)
    if len(edges) > MAX_LINES:
        return []
    cells = intersections_to_cells(edges_to_intersections(edges, _SNAP, _SNAP))
    found = []
    for table in cells_to_tables(cells):
        if len(table) >= 2:  # a single framed box (a note, a stamp's frame) is no table
            box = (
                min(c[0] for c in table),
                min(c[1] for c in table),
                max(c[2] for c in table),
                max(c[3] for c in table),
            )
            found.append((table, box))
    return found


def _text_in(pieces: list[Piece], cell: Segment) -> str:
    """The text of the pieces whose middles fall in `cell`, line by line."""
    x0, top, x1, bottom = cell
    held = [
        piece
        for piece in pieces
        if x0 <= (piece[0] + piece[2]) / 2 <= x1 and top <= (piece[1] + piece[3]) / 2 <= bottom
    ]
    return "".join(line[4] for line in _lines(held))


def _lines(pieces: list[Piece]) -> list[Piece]:
    """Pieces joined into lines, top to bottom, each line's pieces left to right."""
    joined = []
    for line in _word_lines(pieces):
        text = line[0][4]
        for before, piece in zip(line, line[1:]):
            # a space where the gap between two pieces is a space's width, not between a run's characters
            text += (" " if piece[0] - before[2] > 0.25 * (piece[3] - piece[1]) else "") + piece[4]
        text = clean(text)
        joined.append((line[0][0], min(p[1] for p in line), max(p[2] for p in line), max(p[3] for p in line), text))
    return joined


# --- tables drawn without ruling lines ----------------------------------------------------------------

# A figure, or the dash a table prints for none (read as 0, with a note, as in any table)
_FIGURE = re.compile(r"^(?:[-−－]?\d[\d,，]*(?:\.\d+)?|[—–－-]{1,2})$")
_COLUMN_GAP = 1.5  # of a line's height: the space that parts a table's columns (a sentence's spaces are narrower)
_LABEL_GAP = 0.6  # of a line's height: the least space between a wrapped label and a row's three or more figures
MAX_COLUMNS = 40  # figures in a row of a table without rulings (the format's widest table has 15)
MAX_SPACED_WORDS = 20_000  # words on a page looked at for tables without rulings (a page prints about 1,000)


def spaced_items(number: int, words: list[Piece]) -> tuple[list[Item], list[Segment]]:
    """A page's tables printed without rulings (`spaced_tables`) as items of page `number`, and the boxes
    they take up (the words within are theirs, not lines of text)."""
    items: list[Item] = []
    boxes: list[Segment] = []
    offset = number * PAGE_OFFSET
    for cells, box in spaced_tables(words):
        items.append((number, box[1], [(x0, y0 + offset, x1, y1 + offset, text) for x0, y0, x1, y1, text in cells]))
        boxes.append(box)
    return items, boxes


def within(piece: Piece, boxes: list[Segment]) -> bool:
    """Whether a piece's middle falls in one of the boxes."""
    middle_x, middle_y = (piece[0] + piece[2]) / 2, (piece[1] + piece[3]) / 2
    return any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)


def spaced_tables(words: list[Piece]) -> list[tuple[list[Box], Segment]]:
    """The tables a page prints without ruling lines (some WPS exports, tables whose borders were taken off),
    found by their columns of figures: rows that end in figures set apart by wide spaces, one above another,
    with the header lines above them and the lines of labels beside them. Each table as cells (a row of
    labels, then the figures' columns) and its bounding box. Prose is never taken for a table: a sentence's
    figures stand close to its words, and a table needs two rows of figures, or five figures in one row."""
    if len(words) > MAX_SPACED_WORDS:
        return []
    lines = _word_lines(words)
    found = []
    for run in _figure_runs(lines):
        for first, last in _split_at_prose(lines, *run):
            found.append(_spaced_table(lines, first, last))
    return found


def _word_lines(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into lines, top to bottom, each line's pieces left to right."""
    lines: list[list[Piece]] = []
    middles, tallest = 0.0, 0.0  # the current line's sum of middles and its tallest piece, kept as it grows
    for piece in sorted(pieces, key=lambda piece: (piece[1] + piece[3]) / 2):
        middle, height = (piece[1] + piece[3]) / 2, piece[3] - piece[1]
        if lines and abs(middle - middles / len(lines[-1])) <= _LINE_GAP * max(height, tallest):
            lines[-1].append(piece)
            middles, tallest = middles + middle, max(tallest, height)
            continue
        lines.append([piece])
        middles, tallest = middle, height
    return [_words(sorted(line, key=lambda piece: piece[0])) for line in lines]


_WORD_GAP = 0.25  # of a line's height: characters closer than this are of one word


def _words(line: list[Piece]) -> list[Piece]:
    """A line's pieces joined into words where they touch: an OFD places each character on its own, a
    PDF's words come joined already."""
    words = [line[0]]
    for piece in line[1:]:
        x0, top, x1, bottom, text = words[-1]
        if piece[0] - x1 < _WORD_GAP * max(bottom - top, piece[3] - piece[1]):
            words[-1] = (x0, min(top, piece[1]), max(x1, piece[2]), max(bottom, piece[3]), text + piece[4])
        else:
            words.append(piece)
    return words


def _figures_of(line: list[Piece]) -> list[Piece]:
    """The figures a line ends in, each set apart from what stands before it by a column's space; none when
    the line goes on with words after its figures (a sentence) or its figures stand close to its words."""
    height = max(piece[3] - piece[1] for piece in line)
    first = len(line)
    while first > 0 and _FIGURE.match(line[first - 1][4]):
        first -= 1
    figures = line[first:]
    if not figures or len(figures) > MAX_COLUMNS:  # no table prints more columns: a line of digits is none
        return []
    between = all(after[0] - before[2] >= _COLUMN_GAP * height for before, after in zip(figures, figures[1:]))
    # Figures set a column apart from each other prove a row: the label before them may wrap up to its
    # cell's edge (table 3's long labels), closer than a column's space
    before = _COLUMN_GAP if len(figures) < 3 else _LABEL_GAP
    if not between or (first and figures[0][0] - line[first - 1][2] < before * height):
        return []
    if first == 0 and len(figures) < 3:
        return []
    return figures


def _height(lines: list[list[Piece]], index: int) -> float:
    return max(piece[3] - piece[1] for piece in lines[index])


def _figure_runs(lines: list[list[Piece]]) -> list[tuple[int, int]]:
    """The stretches of lines (first and last figure line) that may hold a table's figures: figure lines no
    more than a few lines apart (`_split_at_prose` keeps those that hold two figure lines or a line of five
    figures)."""
    runs: list[tuple[int, int]] = []
    figure_lines = [index for index, line in enumerate(lines) if _figures_of(line)]
    start = previous = None
    columns: list[float] = []  # the run's columns of figures, from its rows of two figures or more
    for index in figure_lines:
        height, figures = _height(lines, index), _figures_of(lines[index])
        far = previous is not None and lines[index][0][1] - lines[previous][-1][3] > 12 * height
        # A table of other columns (table 4's fifteen after table 3's seven) starts a run of its own, even
        # close below: a run's labels and figures' columns must be one table's
        other = len(figures) >= 2 and columns and not _in_columns(figures, columns, height)
        if far or other:
            runs.append((start, previous))  # type: ignore[arg-type]
            start, columns = None, []
        if start is None:
            start = index
        if len(figures) >= 2:
            columns = _with_columns(columns, figures, height)
        previous = index
    if start is not None:
        runs.append((start, previous))  # type: ignore[arg-type]
    return runs


def _column_reach(height: float) -> float:
    """How far apart the centres of two figures of one column may stand (figures of other widths, centred)."""
    return max(6.0, 0.8 * height)


def _with_columns(columns: list[float], figures: list[Piece], height: float) -> list[float]:
    """The columns with a row's figures added where they stand in none yet (so there are no more columns
    than a page's width holds, however many rows)."""
    near = _column_reach(height)
    added = list(columns)
    for centre in ((piece[0] + piece[2]) / 2 for piece in figures):
        if not any(abs(centre - column) <= near for column in added):
            added.append(centre)
    return added


def _in_columns(figures: list[Piece], columns: list[float], height: float) -> bool:
    """Whether most of a row's figures stand in columns the rows above have (a row may leave a column
    blank, or print a figure where a merged cell spans two)."""
    near = _column_reach(height)
    placed = sum(any(abs((piece[0] + piece[2]) / 2 - column) <= near for column in columns) for piece in figures)
    return 2 * placed >= len(figures)


def _boundary(lines: list[list[Piece]], first: int, last: int) -> float | None:
    """Where a table's labels end and its figures' columns begin: between the widest label of a figure line
    and the leftmost figure (None for a table with no labels beside its figures, as table 4)."""
    figure_lines = [lines[index] for index in range(first, last + 1) if _figures_of(lines[index])]
    left = min(_figures_of(line)[0][0] for line in figure_lines)
    labels = [piece[2] for line in figure_lines for piece in line[: len(line) - len(_figures_of(line))]]
    return (max(labels) + left) / 2 if labels else None


def _crosses(line: list[Piece], boundary: float | None) -> bool:
    """Whether a line runs from the labels into the figures' columns: a paragraph, not a row."""
    return boundary is not None and any(piece[0] < boundary - 1 and piece[2] > boundary + 1 for piece in line)


def _split_at_prose(lines: list[list[Piece]], first: int, last: int) -> list[tuple[int, int]]:
    """A stretch of figure lines parted where a paragraph (a heading between two tables) runs across it."""
    boundary = _boundary(lines, first, last)
    figure_lines = [index for index in range(first, last + 1) if _figures_of(lines[index])]
    parts: list[list[int]] = [[]]
    for index in range(first, last + 1):
        if index in figure_lines:
            parts[-1].append(index)
        elif _crosses(lines[index], boundary) and parts[-1]:
            parts.append([])
    kept = [(part[0], part[-1]) for part in parts if part]
    if len(kept) > 1:  # each table's own labels and columns, now that they are apart
        return [piece for first, last in kept for piece in _split_at_prose(lines, first, last)]
    return [
        (first, last)
        for first, last in kept
        if sum(1 for index in figure_lines if first <= index <= last) >= 2 or len(_figures_of(lines[first])) >= 5
    ]


def _numbered_line(line: list[Piece]) -> bool:
    return bool(_NUMBERED.match(clean("".join(piece[4] for piece in line))))


def _extent(lines: list[list[Piece]], first: int, last: int) -> tuple[int, int]:
    """The lines of a table whose figure lines run from `first` to `last`: the header lines above (close
    together, no paragraph or heading among them) and the ends of labels wrapped below its last row."""
    boundary = _boundary(lines, first, last)
    figures = [piece for index in range(first, last + 1) for piece in _figures_of(lines[index])]
    span = max(piece[2] for piece in figures) - min(piece[0] for piece in figures)
    top = first
    while top > 0:
        line, height = lines[top - 1], _height(lines, top - 1)
        if lines[top][0][1] - max(piece[3] for piece in line) > 2.5 * height or _crosses(line, boundary):
            break
        if _figures_of(line):  # the last row of the table above, not a header of this one
            break
        if boundary is None and any(piece[2] - piece[0] > 0.4 * span for piece in line):
            break  # a heading or a paragraph above a table of figures only
        if _numbered_line(line) and (boundary is None or max(piece[2] for piece in line) > boundary):
            break
        top -= 1
    bottom = last
    while bottom + 1 < len(lines) and boundary is not None:
        line, height = lines[bottom + 1], _height(lines, bottom + 1)
        if line[0][1] - max(piece[3] for piece in lines[bottom]) > 1.2 * height or _numbered_line(line):
            break
        if max(piece[2] for piece in line) > boundary:
            break
        bottom += 1
    return top, bottom


def _spaced_table(lines: list[list[Piece]], first: int, last: int) -> tuple[list[Box], Segment]:
    """One table without rulings as cells: a column of labels, then a column for each column of figures;
    a row for each line of figures (with the lines of its label around it) and each header line."""
    top, bottom = _extent(lines, first, last)
    boundary = _boundary(lines, first, last)
    words = [piece for index in range(top, bottom + 1) for piece in lines[index]]
    height = max(piece[3] - piece[1] for piece in words)
    centres = sorted(
        (piece[0] + piece[2]) / 2 for index in range(first, last + 1) for piece in _figures_of(lines[index])
    )
    columns: list[list[float]] = [[centres[0]]]
    for centre in centres[1:]:
        if centre - columns[-1][-1] > _column_reach(height):
            columns.append([])
        columns[-1].append(centre)
    middles = [sum(column) / len(column) for column in columns]
    left, right = min(piece[0] for piece in words) - 1, max(piece[2] for piece in words) + 1
    start = boundary if boundary is not None else left
    edges = [start, *((a + b) / 2 for a, b in zip(middles, middles[1:])), right]
    if boundary is not None:
        edges = [left, *edges]

    def column_of(piece: Piece) -> int:
        centre = (piece[0] + piece[2]) / 2
        if boundary is not None and centre <= boundary:
            return 0
        nearest = min(range(len(middles)), key=lambda index: abs(middles[index] - centre))
        return nearest + (1 if boundary is not None else 0)

    rows = _spaced_rows(lines, top, bottom, first, last, boundary)
    texts = []
    for row in rows:
        cells = ["" for _ in edges[1:]]
        placed: dict[int, list[Piece]] = {}
        for piece in (piece for index in row for piece in lines[index]):
            placed.setdefault(column_of(piece), []).append(piece)
        for column, pieces in placed.items():
            cells[column] = _cell_text(pieces)
        texts.append(cells)
    tops = [min(piece[1] for index in row for piece in lines[index]) for row in rows]
    bottoms = [max(piece[3] for index in row for piece in lines[index]) for row in rows]
    row_edges = [tops[0], *((max(a, b) + min(a, b)) / 2 for a, b in zip(bottoms, tops[1:])), bottoms[-1]]
    for index in range(1, len(row_edges)):  # rows overlap where labels wrap: keep the edges in order
        row_edges[index] = max(row_edges[index], row_edges[index - 1] + 0.5)
    cells = [
        (edges[column], row_edges[row], edges[column + 1], row_edges[row + 1], text)
        for row, row_texts in enumerate(texts)
        for column, text in enumerate(row_texts)
    ]
    return cells, (edges[0], row_edges[0], edges[-1], row_edges[-1])


def _spaced_rows(
    lines: list[list[Piece]], top: int, bottom: int, first: int, last: int, boundary: float | None
) -> list[list[int]]:
    """The table's rows as the lines each is printed on. A header line (one with words over the figures'
    columns) is a row of its own. A label's lines stand around its figures — centred on them, or (in a
    table set to the top of its cells) starting on their line: the lines of labels between two rows of
    figures are shared out so."""
    kinds = []
    for index in range(top, bottom + 1):
        if first <= index <= last and _figures_of(lines[index]):
            kinds.append("figures")
        elif boundary is None or any((piece[0] + piece[2]) / 2 > boundary for piece in lines[index]):
            kinds.append("header")
        else:
            kinds.append("label")
    indices = list(range(top, bottom + 1))
    figure_positions = [position for position, kind in enumerate(kinds) if kind == "figures"]
    centred = any(kinds[position - 1] == "label" for position in figure_positions[1:])

    def middle(index: int) -> float:
        return sum((piece[1] + piece[3]) / 2 for piece in lines[index]) / len(lines[index])

    rows: list[list[int]] = []
    pending: list[int] = []
    last_row: list[int] | None = None
    reach = float("-inf")  # a centred label's lines below its figures end here
    for position, kind in enumerate(kinds):
        index = indices[position]
        if kind == "header":
            rows.extend([line] for line in pending)
            pending, last_row = [], None
            rows.append([index])
        elif kind == "figures":
            row = [*pending, index]
            rows.append(row)
            last_row = row
            own = middle(index)
            reach = own + (own - middle(pending[0])) + 0.3 * _height(lines, index) if pending else own
            pending = []
        elif last_row is not None and (not centred or middle(index) <= reach):
            last_row.append(index)
        else:
            pending.append(index)
    rows.extend([line] for line in pending)
    return [sorted(row) for row in rows]


def _cell_text(pieces: list[Piece]) -> str:
    """A cell's text from its words on several lines: the words of one printed cell (whose lines overlap)
    read top to bottom, cells side by side left to right — a label beside the label it belongs under."""
    groups: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda piece: piece[0]):
        group = next(
            (group for group in groups if any(piece[0] < other[2] and other[0] < piece[2] for other in group)), None
        )
        if group is None:
            groups.append([piece])
        else:
            group.append(piece)
    ordered = sorted(groups, key=lambda group: min(piece[0] for piece in group))
    return clean(
        "".join(piece[4] for group in ordered for piece in sorted(group, key=lambda piece: (piece[1], piece[0])))
    )

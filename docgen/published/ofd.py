"""OFD documents (GB/T 33190-2016, the fixed layout 信创 office suites and archives publish in), read from their
own XML: OFD.xml → the document's Document.xml → each page's Content.xml (and the template pages it is drawn
on). Text objects give positioned text, path objects the table rulings; both go through the same layout as a
PDF's text layer (`layout.page_items`). A page with no text but images (a scan put in an OFD, as some
converters write every page) is read by OCR.

Read as any document from outside: the package through the .docx limits (members, inflated sizes), every part
through the hardened XML parser (no DTD, no entities, no network). Elements are matched by local name: files in
the standard's namespace, the older http://www.ofdspec.org, none, or a converter's own (easyofd writes
http://blog.yuanhaiying.cn) are all read.
"""

from __future__ import annotations

import math
import posixpath
import re
from collections.abc import Iterator
from typing import Any

from docgen.messages import message
from docgen.ooxml import Package, PackageError, open_package, parse_xml
from docgen.published import scan
from docgen.published.blocks import Published
from docgen.published.layout import Item, Piece, Segment, blocks, page_items

MM = 72 / 25.4  # points per millimetre: OFD measures in millimetres, the layout in points
MAX_PAGES = 100
MAX_OBJECTS = 200_000  # objects and characters of all pages together (a report has a few tens of thousands)
_RULING = 1.2  # mm: the thickest a line or filled bar may be to count as a table ruling (rules are 0.1–0.5)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_LIST = 1_000_000  # characters of a DeltaX list or a path's data read (a report's longest are a few hundred)


def is_ofd(names: list[str]) -> bool:
    """Whether a zip's member names are an OFD package's (OFD.xml at its root)."""
    return any(name.lower() == "ofd.xml" for name in names)


def read(data: bytes) -> Published:
    """The blocks of an OFD file; PackageError (the reason in Chinese) when it cannot be read."""
    package = open_package(data)
    reader = _Reader(package)
    items: list[Item] = []
    images: list[tuple[Any, float]] = []
    paths = 0
    pages = reader.pages()
    if len(pages) > MAX_PAGES:
        raise PackageError(message("pdf-too-long", pages=len(pages), limit=MAX_PAGES))
    for number, (width, layers) in enumerate(pages):
        rulings: list[Segment] = []
        pieces: list[Piece] = []
        pictures: list[bytes] = []
        for element, matrix in layers:
            reader.count()
            kind = _local(element)
            if kind == "TextObject":
                found = _text_pieces(element, matrix)
                reader.count(len(found))
                pieces += found
            elif kind == "PathObject":
                rulings += _path_rulings(element, matrix)
                paths += 1
            elif kind == "ImageObject" and (picture := reader.image(element.get("ResourceID", ""))) is not None:
                pictures.append(picture)
        if pieces:
            items += page_items(number, rulings, pieces, width * MM)
        elif pictures:  # an image-only page: its largest picture is the scan of the page
            images.append((max(pictures, key=len), width * MM))
    if images and not items:
        return scan.read_images(images)
    if not items:
        # Text a converter drew as the outlines of its glyphs is no text to read (pdf2ofd, ofdrw do this).
        raise PackageError(message("ofd-outlines" if paths > 100 else "ofd-empty"))
    return Published(blocks(items))


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> Iterator[Any]:
    return (child for child in element if _local(child) == name)


def _child(element: Any, name: str) -> Any:
    return next(_children(element, name), None)


def _numbers(text: str | None, count: int = 6) -> list[float]:
    """The first `count` numbers of an attribute (a hostile one may hold millions)."""
    found = []
    for match in _NUMBER.finditer(text or ""):
        found.append(float(match.group()))
        if len(found) == count:
            break
    return found


def _box(text: str | None) -> tuple[float, float, float, float]:
    values = _numbers(text)
    return (values[0], values[1], values[2], values[3]) if len(values) >= 4 else (0.0, 0.0, 0.0, 0.0)


def _matrix(text: str | None) -> Matrix:
    values = _numbers(text)
    return (values[0], values[1], values[2], values[3], values[4], values[5]) if len(values) >= 6 else _IDENTITY


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _then(inner: Matrix, outer: Matrix) -> Matrix:
    """`inner` followed by `outer` (a point goes through inner first)."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _object_matrix(element: Any, outer: Matrix) -> Matrix:
    """Object space → page (mm): the object's CTM, then its Boundary's origin, then what it is placed in."""
    x, y, _, _ = _box(element.get("Boundary"))
    return _then(_then(_matrix(element.get("CTM")), (1.0, 0.0, 0.0, 1.0, x, y)), outer)


def _deltas(text: str | None) -> list[float]:
    """A DeltaX/DeltaY list with its "g N v" runs (v, N times) spelt out."""
    tokens = (text or "")[:_MAX_LIST].split()
    values: list[float] = []
    index = 0
    while index < len(tokens) and len(values) < 100_000:
        if tokens[index] == "g" and index + 2 < len(tokens):
            count = int(min(float(tokens[index + 1]), 100_000.0)) if _NUMBER.fullmatch(tokens[index + 1]) else 0
            value = float(tokens[index + 2]) if _NUMBER.fullmatch(tokens[index + 2]) else 0.0
            values += [value] * max(0, min(count, 100_000 - len(values)))
            index += 3
        else:
            values.append(float(tokens[index]) if _NUMBER.fullmatch(tokens[index]) else 0.0)
            index += 1
    return values


def _text_pieces(element: Any, outer: Matrix) -> list[Piece]:
    """Every character of a text object, where it is printed on the page (points). TextCode's X and Y are
    the first character's baseline in object space (a TextCode without them goes on from the one before);
    DeltaX and DeltaY step from character to character, through the CTM's scale but not its offset."""
    matrix = _object_matrix(element, outer)
    a, b, c, d, _, _ = matrix
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    size = (_numbers(element.get("Size")) or [3.5])[0]
    height = size * scale
    pieces: list[Piece] = []
    x = y = 0.0
    for code in _children(element, "TextCode"):
        text = (code.text or "").strip(" \r\n\t")  # the indentation a pretty-printer put around the text
        x = (_numbers(code.get("X")) or [x])[0]
        y = (_numbers(code.get("Y")) or [y])[0]
        steps_x, steps_y = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
        for index, character in enumerate(text):
            page_x, page_y = _apply(matrix, x, y)
            step = steps_x[index] if index < len(steps_x) else (steps_x[-1] if steps_x else size)
            advance = abs(_apply(matrix, x + step, y)[0] - page_x) or height
            if not character.isspace():
                top, bottom = page_y - 0.85 * height, page_y + 0.15 * height
                pieces.append((page_x * MM, top * MM, (page_x + min(advance, height)) * MM, bottom * MM, character))
            if index < len(text) - 1:
                x += step
                y += steps_y[index] if index < len(steps_y) else (steps_y[-1] if steps_y else 0.0)
    return pieces


def _path_rulings(element: Any, outer: Matrix) -> list[Segment]:
    """The table rulings a path object draws, in points: its straight horizontal and vertical strokes, and
    (filled, not stroked) a thin bar — the way some converters draw a table's borders."""
    matrix = _object_matrix(element, outer)
    a, b, c, d, _, _ = matrix
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    width = (_numbers(element.get("LineWidth")) or [0.353])[0] * scale
    points = _path_points(_child(element, "AbbreviatedData"), matrix)
    stroked = element.get("Stroke", "true").lower() != "false"
    filled = element.get("Fill", "false").lower() == "true"
    rulings: list[Segment] = []
    if stroked and width <= _RULING:
        for (x0, y0), (x1, y1) in points:
            half = width / 2
            if abs(y1 - y0) <= 0.2 and abs(x1 - x0) > 0.2:
                rulings.append((min(x0, x1) * MM, (y0 - half) * MM, max(x0, x1) * MM, (y0 + half) * MM))
            elif abs(x1 - x0) <= 0.2 and abs(y1 - y0) > 0.2:
                rulings.append(((x0 - half) * MM, min(y0, y1) * MM, (x0 + half) * MM, max(y0, y1) * MM))
    elif filled and points:
        xs = [value for segment in points for value, _ in segment]
        ys = [value for segment in points for _, value in segment]
        box = (min(xs), min(ys), max(xs), max(ys))
        if min(box[2] - box[0], box[3] - box[1]) <= _RULING:
            rulings.append((box[0] * MM, box[1] * MM, box[2] * MM, box[3] * MM))
    return rulings


def _path_points(data: Any, matrix: Matrix) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The straight segments of an AbbreviatedData path, on the page (mm): M/S move, L draws a line, C closes
    the figure; curves (B, Q, A) move the pen without a segment."""
    tokens = (data.text or "")[:_MAX_LIST].split() if data is not None else []
    arguments = {"M": 2, "S": 2, "L": 2, "B": 6, "Q": 4, "A": 7, "C": 0}
    segments = []
    start = current = (0.0, 0.0)
    index = 0
    while index < len(tokens) and len(segments) < 10_000:
        command = tokens[index]
        count = arguments.get(command)
        if count is None:
            index += 1
            continue
        values = [float(value) if _NUMBER.fullmatch(value) else 0.0 for value in tokens[index + 1 : index + 1 + count]]
        index += 1 + count
        if len(values) < count:
            break
        if command in ("M", "S"):
            start = current = (values[0], values[1])
        elif command == "L":
            point = (values[0], values[1])
            segments.append((_apply(matrix, *current), _apply(matrix, *point)))
            current = point
        elif command == "C":
            segments.append((_apply(matrix, *current), _apply(matrix, *start)))
            current = start
        else:
            current = (values[-2], values[-1])
    return segments


class _Reader:
    """The package's parts, found as the standard places them and as producers misplace them."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.lower = {name.lower(): name for name in package.members}
        self.objects = 0
        self.gathered = 0  # objects of all pages listed so far
        self.parsed: dict[str, Any] = {}
        root = self.xml("OFD.xml")
        body = _child(root, "DocBody")
        if body is None:
            raise PackageError(message("ofd-structure", part="OFD.xml"))
        doc_root = _child(body, "DocRoot")
        location = (doc_root.text if doc_root is not None else body.get("DocRoot")) or ""
        self.document_path = self.resolve("", location.strip())
        self.document = self.xml(self.document_path)
        self.folder = posixpath.dirname(self.document_path)
        common = _child(self.document, "CommonData")
        self.page_size = self._physical_box(common, "PageArea")
        self.templates = {
            template.get("ID", ""): template.get("BaseLoc", "")
            for template in (_children(common, "TemplatePage") if common is not None else ())
        }
        self.media = self._media(common)

    def count(self, objects: int = 1) -> None:
        self.objects += objects
        if self.objects > MAX_OBJECTS:
            raise PackageError(message("ofd-too-many", limit=MAX_OBJECTS))

    def resolve(self, folder: str, location: str) -> str:
        """A location as a member name: relative to `folder`, or to the package's root when it starts with /
        (or is not found relative to the folder); backslashes, ./ and case as producers write them."""
        location = location.replace("\\", "/").strip()
        candidates = (
            [posixpath.normpath(posixpath.join(folder, location.lstrip("/")))] if not location.startswith("/") else []
        )
        candidates.append(posixpath.normpath(location.lstrip("/")))
        for candidate in candidates:
            if candidate.startswith(".."):
                continue
            found = self.lower.get(candidate.lower())
            if found is not None:
                return found
        raise PackageError(message("ofd-structure", part=location[:80]))

    def xml(self, name: str) -> Any:
        """A part, parsed once however many pages refer to it."""
        found = self.lower.get(name.lower(), name)
        if found not in self.parsed:
            self.parsed[found] = parse_xml(self.package.read(found), found)
        return self.parsed[found]

    def _physical_box(self, element: Any, area: str) -> float:
        """The width (mm) an Area/PageArea's PhysicalBox gives, else A4's."""
        holder = _child(element, area) if element is not None else None
        box = _child(holder, "PhysicalBox") if holder is not None else None
        width = _box(box.text)[2] if box is not None else 0.0
        return width if width > 0 else 210.0

    def _media(self, common: Any) -> dict[str, str]:
        """Image resources: ID → member name, from the document's and the public resource files."""
        found: dict[str, str] = {}
        for kind in ("PublicRes", "DocumentRes"):
            for reference in _children(common, kind) if common is not None else ():
                try:
                    name = self.resolve(self.folder, reference.text or "")
                    resources = self.xml(name)
                except PackageError:
                    continue
                base = posixpath.join(posixpath.dirname(name), resources.get("BaseLoc", ""))
                for media in resources.iter():
                    if _local(media) == "MultiMedia" and (file := _child(media, "MediaFile")) is not None:
                        try:
                            found[media.get("ID", "")] = self.resolve(base, file.text or "")
                        except PackageError:
                            continue
        return found

    def image(self, resource: str) -> bytes | None:
        name = self.media.get(resource)
        return self.package.members.get(name) if name else None

    def pages(self) -> list[tuple[float, list[tuple[Any, Matrix]]]]:
        """Each page's width (mm) and its drawing objects in order (its templates' first), each with the
        matrix from the block it stands in to the page."""
        found = []
        pages = _child(self.document, "Pages")
        for page in _children(pages, "Page") if pages is not None else ():
            name = self.resolve(self.folder, page.get("BaseLoc", ""))
            content = self.xml(name)
            width = self._physical_box(content, "Area") if _child(content, "Area") is not None else self.page_size
            objects: list[tuple[Any, Matrix]] = []
            # each template once per page, however often the page names it
            named = dict.fromkeys(template.get("TemplateID", "") for template in _children(content, "Template"))
            for template_id in named:
                location = self.templates.get(template_id)
                if location:
                    objects += _objects(self.xml(self.resolve(self.folder, location)))
            objects += _objects(content)
            self.gathered += len(objects)
            if self.gathered > MAX_OBJECTS:
                raise PackageError(message("ofd-too-many", limit=MAX_OBJECTS))
            found.append((width, objects))
        return found


def _objects(content: Any) -> list[tuple[Any, Matrix]]:
    """The text, path and image objects of a page or template, however deep in layers and page blocks."""
    return [
        (element, _IDENTITY)
        for element in content.iter()
        if _local(element) in ("TextObject", "PathObject", "ImageObject")
    ]

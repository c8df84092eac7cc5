"""Scans and photographs of a printed report (a PDF without a text layer, a .png or .jpg), read by OCR: the
optional extra `docgen-zwgk[ocr]` (RapidOCR on onnxruntime, whose wheel carries its PP-OCR models, so it works
offline). Each page is straightened, the red of a seal taken out and the table rulings found in the image;
the recognised lines and the rulings then go through the same layout
as a PDF's text layer (`layout.page_items`). Everything read this way is marked `read_by = "ocr"`: the audit
treats what it finds in such tables as doubt, never as a fault of the report."""

from __future__ import annotations

import importlib.util
import io
from functools import cache
from typing import Any

from docgen.messages import message
from docgen.ooxml import PackageError
from docgen.published.blocks import Published
from docgen.published.layout import Item, Piece, Segment, blocks, page_items

MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million pixels
RESOLUTION = 300  # dots per inch a PDF page without text is rendered at
_WORKING_PIXELS = 9_000_000  # an A4 page at 300 dpi is 8.7 million pixels: a larger image is scaled down to it
A4_WIDTH = 595.3  # points: a scan or photograph is taken to be of an A4 page
MAX_PAGES = 100
_SKEW_LIMIT = 3.0  # degrees: a page fed crookedly through a scanner is off by one or two
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1"})


def available() -> bool:
    """Whether the OCR extra is installed."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None and importlib.util.find_spec("cv2") is not None


def _require() -> None:
    if not available():
        raise PackageError(message("ocr-missing"))


def read_image(data: bytes) -> Published:
    """A photograph or scan of one page (PNG, JPEG or TIFF, as Pillow reads them)."""
    return read_images([(data, A4_WIDTH)])


def read_images(pages: list[tuple[bytes, float]]) -> Published:
    """Pages as images (their encoded bytes, and the page's width in points)."""
    _require()
    return _read_pages([(_decoded(data), width) for data, width in pages[:MAX_PAGES]])


def _decoded(data: bytes) -> Any:
    """An image's pixels (BGR, as OpenCV has them), its size checked before any is decoded."""
    import numpy
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise PackageError(message("image-too-large"))
            if max(opened.size) > 20 * max(1, min(opened.size)):  # no page is twenty times as long as wide
                raise PackageError(message("image-not-a-page", width=opened.width, height=opened.height))
            image = ImageOps.exif_transpose(opened).convert("RGB")  # a phone's photo stands as it was taken
    except PackageError:
        raise
    except Image.DecompressionBombError:  # Pillow's own check, at twice its limit, as the file is opened
        raise PackageError(message("image-too-large")) from None
    except Exception as error:  # Pillow fails on a damaged image in many ways
        raise PackageError(message("image-unreadable", reason=f"{type(error).__name__}: {error}"[:200])) from None
    return numpy.asarray(image)[:, :, ::-1]


def read_pdf(data: bytes, images: list[tuple[float, float]]) -> Published:
    """A PDF whose pages carry no text (a scanner's), each page rendered at `RESOLUTION`. `images`: the width
    and height in pixels of every image the PDF declares, checked before anything is decoded."""
    _require()
    if any(width * height > MAX_PIXELS for width, height in images):
        raise PackageError(message("image-too-large"))
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise PackageError(message("pdf-unreadable", reason=str(error)[:200])) from None
    pages = []
    try:
        for number in range(min(len(document), MAX_PAGES)):
            page = document[number]
            width, height = page.get_width(), page.get_height()
            scale = min(RESOLUTION / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
            pages.append((page.render(scale=scale).to_numpy()[:, :, :3], width))
            page.close()
    finally:
        document.close()
    return _read_pages(pages)


def _read_pages(pages: list[tuple[Any, float]]) -> Published:
    items: list[Item] = []
    for number, (pixels, width) in enumerate(pages):
        items += _page(number, pixels, width)
    if not items:
        raise PackageError(message("ocr-no-text"))
    return Published(blocks(items), read_by="ocr")


def _page(number: int, pixels: Any, width: float) -> list[Item]:
    """One page's lines and tables; `width` is the page's width in points."""
    import cv2

    if pixels.shape[0] * pixels.shape[1] > _WORKING_PIXELS:  # more detail than OCR uses costs only memory
        factor = (_WORKING_PIXELS / (pixels.shape[0] * pixels.shape[1])) ** 0.5
        size = (int(pixels.shape[1] * factor), int(pixels.shape[0] * factor))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)

    gray = cv2.cvtColor(_without_seal(pixels), cv2.COLOR_BGR2GRAY)
    gray = _straightened(gray)
    ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    scale = width / gray.shape[1]  # points per pixel
    rulings = _rulings(ink)
    found, _ = _engine()(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
    pieces: list[Piece] = []
    for box, text, _score in found or ():
        xs, ys = [point[0] for point in box], [point[1] for point in box]
        pieces.append((min(xs) * scale, min(ys) * scale, max(xs) * scale, max(ys) * scale, _as_printed(text)))
    segments = [(x0 * scale, top * scale, x1 * scale, bottom * scale) for x0, top, x1, bottom in rulings]
    return page_items(number, segments, pieces, width)


def _as_printed(text: str) -> str:
    """OCR's text, a figure it read with letters that look like digits ("1O", "l2") as the digits."""
    squeezed = text.strip()
    if (
        squeezed
        and any(char.isdigit() for char in squeezed)
        and all(char.isdigit() or char in "OolI|〇" for char in squeezed)
    ):
        return squeezed.translate(_DIGIT_LOOKALIKES)
    return squeezed


@cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _without_seal(pixels: Any) -> Any:
    """The page with a red seal's ink made white: it lies over the signature and the date. Print under the
    seal is dark whatever the seal's colour (the inks multiply), and stays."""
    import cv2
    import numpy

    hsv = cv2.cvtColor(pixels, cv2.COLOR_BGR2HSV)
    hue, saturation, value = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    red = ((hue < 12) | (hue > 165)) & (saturation > 80) & (value > 110)
    result = pixels.copy()
    result[red] = 255
    return numpy.ascontiguousarray(result)


def _straightened(gray: Any) -> Any:
    """The page turned upright: the angle (within ±3°) at which its rows of ink are sharpest, found on a
    small copy, undone on the page."""
    import cv2
    import numpy

    height, width = gray.shape
    factor = 800 / max(width, height)
    small = cv2.resize(gray, (max(1, int(width * factor)), max(1, int(height * factor))), interpolation=cv2.INTER_AREA)
    ink = (small < 128).astype(numpy.float32)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1.0), (ink.shape[1], ink.shape[0]))
        return float(numpy.var(turned.sum(axis=1)))

    coarse = max(numpy.arange(-_SKEW_LIMIT, _SKEW_LIMIT + 0.01, 0.25), key=sharpness)
    angle = max(numpy.arange(coarse - 0.25, coarse + 0.26, 0.05), key=sharpness)
    if abs(angle) < 0.05:
        return gray
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), float(angle), 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def _rulings(ink: Any) -> list[Segment]:
    """The table rulings in the page's ink (white on black): runs of ink longer than a character's stroke,
    horizontal and vertical, as segments in pixels. They stay in the image the text is recognised in (erased,
    they took the strokes of characters touching them, and a row label's "一、" with them)."""
    import cv2

    height, width = ink.shape
    segments: list[Segment] = []
    thickest = max(width // 200, 3)
    for shortest, horizontal in ((max(width // 30, 10), True), (max(height // 50, 10), False)):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (shortest, 1) if horizontal else (1, shortest))
        count, _, stats, _ = cv2.connectedComponentsWithStats(cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel))
        for index in range(1, count):
            x, y, w, h, _ = stats[index]
            length, thickness = (w, h) if horizontal else (h, w)
            if length >= shortest and thickness <= thickest:
                segments.append((float(x), float(y), float(x + w), float(y + h)))
    return segments

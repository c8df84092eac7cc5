"""Scans as an office makes them: a report printed and scanned (or photographed) — pages rendered from its PDF at
a scanner's resolution, a little crooked, grey paper with specks, a seal stamped over the signature — saved as
images or as an image-only PDF, the way a scanner's "scan to PDF" writes it."""

from __future__ import annotations

import io
import random

import pypdfium2
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont


def pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Every page of `pdf` as a greyscale image at `dpi`."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [
            document[number].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            for number in range(len(document))
        ]
    finally:
        document.close()


def as_scanned(page: Image.Image, angle: float = 0.0, seed: int = 0) -> Image.Image:
    """A page as a flatbed scanner gives it back: turned by `angle` degrees, on slightly grey paper with
    specks of dust, the print a little soft."""
    rng = random.Random(seed)
    paper = page.point(lambda value: min(value, 242))  # paper is never white
    paper = paper.filter(ImageFilter.GaussianBlur(0.6))
    draw = ImageDraw.Draw(paper)
    for _ in range(paper.width * paper.height // 40_000):
        x, y = rng.randrange(paper.width), rng.randrange(paper.height)
        draw.point((x, y), fill=rng.randrange(60, 200))
    if angle:
        paper = paper.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=242)
    return paper


def stamped(page: Image.Image, colour: tuple[int, int, int] | int, text_box: tuple[int, int]) -> Image.Image:
    """`page` with an official seal over the point `text_box` (the signature): a ring, a star and a line of
    text in `colour` (red on a colour scan, grey on a black-and-white one). Seal ink is translucent: the print
    under it stays as dark as it was (the colours multiply)."""
    mode = "RGB" if isinstance(colour, tuple) else "L"
    base = page.convert(mode)
    seal = Image.new(mode, base.size, (255, 255, 255) if mode == "RGB" else 255)
    radius = base.width // 9
    cx, cy = text_box
    for layer in (seal,):
        draw = ImageDraw.Draw(layer)
        fill = colour
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=fill, width=max(radius // 14, 2))
        star = [
            (
                cx + radius * 0.3 * (1 if i % 2 == 0 else 0.4) * _cos(i),
                cy + radius * 0.3 * (1 if i % 2 == 0 else 0.4) * _sin(i),
            )
            for i in range(10)
        ]
        draw.polygon(star, fill=fill)
        font = ImageFont.load_default()
        draw.text((cx - radius * 0.7, cy + radius * 0.45), "政务公开专用章", fill=fill, font=font)
    return ImageChops.multiply(base, seal)


def _cos(index: int) -> float:
    import math

    return math.cos(math.pi / 2 + index * math.pi / 5)


def _sin(index: int) -> float:
    import math

    return -math.sin(math.pi / 2 + index * math.pi / 5)


def image_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """The images as the pages of a PDF with no text layer, as a scanner's "scan to PDF" writes it."""
    buffer = io.BytesIO()
    first, *rest = [image.convert("RGB") for image in images]
    first.save(buffer, "PDF", save_all=True, append_images=rest, resolution=dpi)
    return buffer.getvalue()


def encoded(image: Image.Image, kind: str = "PNG", quality: int = 80) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"quality": quality} if kind == "JPEG" else {}))
    return buffer.getvalue()

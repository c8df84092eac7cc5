"""OFD files as producers write them, made from a PDF's text layer and drawing (the project's own PDFs): the
standard's package (OFD.xml → Doc_0/Document.xml → Pages/Page_N/Content.xml, resources and fonts), in the
layouts real producers use:

- "runs": one TextObject per run of text with DeltaX in the "g N v" shorthand, rulings as stroked lines, the
  ofd: prefix on the standard's namespace (as ofdrw and e-invoice systems write);
- "characters": one TextObject per character, its size carried by the CTM, inside three nested PageBlocks,
  with CGTransform glyphs and an embedded font file, rulings as thin filled bars (as the 易转换 converter
  writes); no prefix, the older namespace http://www.ofdspec.org, and the page number in a template page;
- "images": every page one image (a PNG stored under a .jpg name) in easyofd's own namespace, at easyofd's
  scale — what its pdf2ofd writes.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import pdfplumber
from hostile import pack

MM = 25.4 / 72  # millimetres per point
STANDARD = "http://www.ofdspec.org/2016"
OLDER = "http://www.ofdspec.org"
EASYOFD = "http://blog.yuanhaiying.cn"
FONT_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)


def _n(value: float) -> str:
    return f"{value * MM:.4f}"


def _runs(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into runs: on one line, the same size, each starting where the one before ends."""
    runs: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"], 0), c["x0"])):
        if char["text"].isspace():
            continue
        last = runs[-1][-1] if runs else None
        if (
            last
            and abs(last["top"] - char["top"]) < 0.5
            and abs(last["size"] - char["size"]) < 0.1
            and 0 <= char["x0"] - last["x1"] < 1.5
        ):
            runs[-1].append(char)
        else:
            runs.append([char])
    return runs


def _shorthand(values: list[float]) -> str:
    """DeltaX values, repeats written "g N v" as producers compress them."""
    parts: list[str] = []
    index = 0
    while index < len(values):
        end = index
        while end + 1 < len(values) and abs(values[end + 1] - values[index]) < 1e-4:
            end += 1
        count = end - index + 1
        parts.append(
            f"g {count} {values[index]:.4f}" if count >= 3 else " ".join(f"{values[index]:.4f}" for _ in range(count))
        )
        index = end + 1
    return " ".join(parts)


class _Ids:
    def __init__(self) -> None:
        self.value = 10

    def __call__(self) -> int:
        self.value += 1
        return self.value


def _rulings(page: pdfplumber.page.Page) -> list[tuple[float, float, float, float, float]]:
    """The page's straight lines and thin boxes: x0, top, x1, bottom, width (points)."""
    found = [(line["x0"], line["top"], line["x1"], line["bottom"], line.get("linewidth") or 0.5) for line in page.lines]
    for rect in page.rects:
        if min(rect["width"], rect["height"]) <= 2:
            found.append((rect["x0"], rect["top"], rect["x1"], rect["bottom"], 0.0))
    return found


def _text_runs(chars: list[dict], prefix: str, ids: _Ids) -> str:
    objects = []
    for run in _runs(chars):
        size = run[0]["size"]
        x0, top = run[0]["x0"], min(c["top"] for c in run)
        width = run[-1]["x1"] - x0
        deltas = [(b["x0"] - a["x0"]) * MM for a, b in zip(run, run[1:])]
        text = escape("".join(c["text"] for c in run))
        delta = f' DeltaX="{_shorthand(deltas)}"' if deltas else ""
        baseline = (run[0]["bottom"] - top) - 0.12 * size
        objects.append(
            f'<{prefix}TextObject ID="{ids()}" Boundary="{_n(x0)} {_n(top)} {_n(width + size)} {_n(size * 1.2)}" Font="3" Size="{size * MM:.4f}">'
            f'<{prefix}FillColor Value="0 0 0"/><{prefix}TextCode X="0" Y="{baseline * MM:.4f}"{delta}>{text}</{prefix}TextCode></{prefix}TextObject>'
        )
    return "".join(objects)


def _text_characters(chars: list[dict], prefix: str, ids: _Ids) -> str:
    """One object per character, 易转换's way: Size in units twenty times the millimetre, CTM 0.05."""
    objects = []
    for glyph, char in enumerate(chars, start=1):
        if char["text"].isspace():
            continue
        size = char["size"] * MM
        baseline = (char["bottom"] - char["top"] - 0.12 * char["size"]) * MM
        objects.append(
            f'<{prefix}TextObject ID="{ids()}" Boundary="{_n(char["x0"])} {_n(char["top"])} {size:.4f} {size:.4f}" '
            f'Size="{size * 20:.4f}" CTM="0.05 0 0 0.05 0 0" Fill="true" Font="8">'
            f'<{prefix}FillColor Value="0 0 0" Alpha="255"/>'
            f'<{prefix}CGTransform GlyphCount="1" CodeCount="1" CodePosition="0"><{prefix}Glyphs>{glyph % 5000}</{prefix}Glyphs></{prefix}CGTransform>'
            f'<{prefix}TextCode X="0" Y="{baseline * 20:.4f}">{escape(char["text"])}</{prefix}TextCode></{prefix}TextObject>'
        )
    return "".join(objects)


def _stroked(rulings: list[tuple[float, float, float, float, float]], prefix: str, ids: _Ids) -> str:
    paths = []
    for x0, top, x1, bottom, width in rulings:
        horizontal = (x1 - x0) >= (bottom - top)
        middle = (top + bottom) / 2 if horizontal else (x0 + x1) / 2
        start, end = ((x0, middle), (x1, middle)) if horizontal else ((middle, top), (middle, bottom))
        left, upper = min(start[0], end[0]), min(start[1], end[1])
        path = f"M {_n(start[0] - left)} {_n(start[1] - upper)} L {_n(end[0] - left)} {_n(end[1] - upper)}"
        paths.append(
            f'<{prefix}PathObject ID="{ids()}" Boundary="{_n(left)} {_n(upper)} {_n(max(x1 - x0, 0.5))} {_n(max(bottom - top, 0.5))}" '
            f'LineWidth="{max(width, 0.5) * MM:.4f}"><{prefix}StrokeColor Value="0 0 0"/>'
            f"<{prefix}AbbreviatedData>{path}</{prefix}AbbreviatedData></{prefix}PathObject>"
        )
    return "".join(paths)


def _bars(rulings: list[tuple[float, float, float, float, float]], prefix: str, ids: _Ids) -> str:
    """Rulings as thin filled rectangles in page coordinates, Boundary the whole page (as converters do)."""
    paths = []
    for x0, top, x1, bottom, width in rulings:
        thickness = max(width, 0.5)
        if (x1 - x0) >= (bottom - top):
            middle = (top + bottom) / 2
            box = (x0, middle - thickness / 2, x1, middle + thickness / 2)
        else:
            middle = (x0 + x1) / 2
            box = (middle - thickness / 2, top, middle + thickness / 2, bottom)
        a, b, c, d = (_n(value) for value in box)
        paths.append(
            f'<{prefix}PathObject ID="{ids()}" Boundary="0 0 210 297" Fill="true" Stroke="false">'
            f'<{prefix}FillColor Value="0 0 0"/><{prefix}AbbreviatedData>M {a} {b} L {c} {b} L {c} {d} L {a} {d} C</{prefix}AbbreviatedData></{prefix}PathObject>'
        )
    return "".join(paths)


def _root(namespace: str, prefix: str) -> bytes:
    declaration = f'xmlns:ofd="{namespace}"' if prefix else f'xmlns="{namespace}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{prefix}OFD {declaration} Version="1.0" DocType="OFD"><{prefix}DocBody>'
        f"<{prefix}DocInfo><{prefix}DocID>9f2c</{prefix}DocID><{prefix}Creator>docgen tests</{prefix}Creator></{prefix}DocInfo>"
        f"<{prefix}DocRoot>Doc_0/Document.xml</{prefix}DocRoot></{prefix}DocBody></{prefix}OFD>"
    ).encode()


def from_pdf(pdf: bytes, layout: str = "runs") -> bytes:
    """The PDF's pages as an OFD package in `layout` ("runs", "characters")."""
    namespace, prefix = (STANDARD, "ofd:") if layout == "runs" else (OLDER, "")
    declaration = f'xmlns:ofd="{namespace}"' if prefix else f'xmlns="{namespace}"'
    ids = _Ids()
    parts: dict[str, bytes] = {"OFD.xml": _root(namespace, prefix)}
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        width, height = document.pages[0].width, document.pages[0].height
        for number, page in enumerate(document.pages):
            chars = page.chars
            footer = [char for char in chars if char["top"] > height - 90] if layout == "characters" else []
            body = [char for char in chars if char not in footer]
            if layout == "runs":
                drawn = _text_runs(body, prefix, ids) + _stroked(_rulings(page), prefix, ids)
                content = f'<{prefix}Layer ID="{ids()}" Type="Body">{drawn}</{prefix}Layer>'
            else:
                drawn = _text_characters(body, prefix, ids) + _bars(_rulings(page), prefix, ids)
                content = (
                    f'<{prefix}Layer ID="{ids()}"><{prefix}PageBlock ID="{ids()}"><{prefix}PageBlock ID="{ids()}">'
                    f'<{prefix}PageBlock ID="{ids()}">{drawn}</{prefix}PageBlock></{prefix}PageBlock></{prefix}PageBlock></{prefix}Layer>'
                )
            template = ""
            if footer:  # the page number, drawn in a template page of its own
                template_id = ids()
                parts[f"Doc_0/Tpls/Tpl_{number}/Content.xml"] = (
                    f'<?xml version="1.0" encoding="UTF-8"?><{prefix}Page {declaration}><{prefix}Content><{prefix}Layer ID="{ids()}">'
                    f"{_text_characters(footer, prefix, ids)}</{prefix}Layer></{prefix}Content></{prefix}Page>"
                ).encode()
                template = f'<{prefix}Template TemplateID="{template_id}" ZOrder="Background"/>'
                pages.append((number, template_id))
            parts[f"Doc_0/Pages/Page_{number}/Content.xml"] = (
                f'<?xml version="1.0" encoding="UTF-8"?><{prefix}Page {declaration}><{prefix}Area><{prefix}PhysicalBox>0 0 {_n(width)} {_n(height)}</{prefix}PhysicalBox></{prefix}Area>'
                f"{template}<{prefix}Content>{content}</{prefix}Content></{prefix}Page>"
            ).encode()
        count = len(document.pages)
    templates = "".join(
        f'<{prefix}TemplatePage ID="{tid}" BaseLoc="Tpls/Tpl_{number}/Content.xml"/>' for number, tid in pages
    )
    page_list = "".join(
        f'<{prefix}Page ID="{ids()}" BaseLoc="Pages/Page_{number}/Content.xml"/>' for number in range(count)
    )
    font_file = next((path for path in FONT_FILES if path.is_file()), None)
    font_file_element = f"<{prefix}FontFile>font_0.ttf</{prefix}FontFile>" if font_file else ""
    if font_file:
        parts["Doc_0/Res/font_0.ttf"] = font_file.read_bytes()
    parts["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><{prefix}Res {declaration} BaseLoc="Res"><{prefix}Fonts>'
        f'<{prefix}Font ID="3" FontName="宋体" FamilyName="宋体"/>'
        f'<{prefix}Font ID="8" FontName="LNUHNF+SimSun" FamilyName="LNUHNF+SimSun">{font_file_element}</{prefix}Font>'
        f"</{prefix}Fonts></{prefix}Res>"
    ).encode()
    parts["Doc_0/Document.xml"] = (
        # Pages before CommonData, as one converter writes them: the order of the children is not the standard's.
        f'<?xml version="1.0" encoding="UTF-8"?><{prefix}Document {declaration}><{prefix}Pages>{page_list}</{prefix}Pages>'
        f"<{prefix}CommonData><{prefix}MaxUnitID>{ids.value}</{prefix}MaxUnitID><{prefix}PageArea><{prefix}PhysicalBox>0 0 210 297</{prefix}PhysicalBox></{prefix}PageArea>"
        f"<{prefix}PublicRes>PublicRes.xml</{prefix}PublicRes>{templates}</{prefix}CommonData></{prefix}Document>"
    ).encode()
    return pack(parts)


def image_only(images: list[bytes]) -> bytes:
    """easyofd's pdf2ofd: each page one image (PNG bytes named .jpg), its own namespace, its own scale."""
    prefix = "ofd:"
    declaration = f'xmlns:ofd="{EASYOFD}"'
    parts: dict[str, bytes] = {"OFD.xml": _root(EASYOFD, prefix)}
    media, page_list = [], []
    for number, image in enumerate(images):
        parts[f"Doc_0/Res/Image_{number}.jpg"] = image
        media.append(
            f'<ofd:MultiMedia ID="{100 + number}" Type="Image"><ofd:MediaFile>Image_{number}.jpg</ofd:MediaFile><res_uuid>{number}</res_uuid></ofd:MultiMedia>'
        )
        parts[f"Doc_0/Pages/Page_{number}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {declaration}><ofd:Content><ofd:PageArea><ofd:PhysicalBox>0 0 100.838 142.621</ofd:PhysicalBox></ofd:PageArea>'
            f'<ofd:Layer ID="{200 + number}" Type="Foreground"><ofd:ImageObject ID="{300 + number}" CTM="100.838 0 0 142.621 0 0" '
            f'Boundary="0 0 100.838 142.621" ResourceID="{100 + number}"></ofd:ImageObject></ofd:Layer></ofd:Content></ofd:Page>'
        ).encode()
        page_list.append(f'<ofd:Page ID="{400 + number}" BaseLoc="Pages/Page_{number}/Content.xml"/>')
    parts["Doc_0/DocumentRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {declaration} BaseLoc="Res"><ofd:MultiMedias>{"".join(media)}</ofd:MultiMedias></ofd:Res>'
    ).encode()
    parts["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {declaration}><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>'
        f"<ofd:PageArea><ofd:PhysicalBox>0 0 100.838 142.621</ofd:PhysicalBox></ofd:PageArea><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
        f"</ofd:CommonData><ofd:Pages>{''.join(page_list)}</ofd:Pages></ofd:Document>"
    ).encode()
    return pack(parts)

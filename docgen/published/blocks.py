"""What a published report reads as, whatever it was published as: its body in order, paragraphs as text and
tables as grids of cell texts (a merged cell's text in every row and column it covers), and what the page
around it says of the report (a title, the 发布机构) where that is not part of the body."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, replace


@dataclass
class Block:
    """A body paragraph (text) or table (grid of cell texts, merged cells repeated) in document order."""

    text: str = ""
    grid: list[list[str]] | None = None
    # The pages it is printed on (from 1; a table the page breaks cut runs over several), where the
    # document has pages (PDF, OFD, a scan); None for a .docx or a web page.
    page: int | None = None
    last_page: int | None = None
    place: str = ""  # where it stands, as a reader is told (第3页 第2张表, 第12段): numbered by extract

    @property
    def pages(self) -> str:
        """第3页, 第3–4页, or nothing where the document has no pages."""
        if self.page is None:
            return ""
        if self.last_page is None or self.last_page == self.page:
            return f"第{self.page}页"
        return f"第{self.page}–{self.last_page}页"


@dataclass
class Published:
    """A document's blocks, and hints from around them: the report's title where the body does not hold it
    (a page's heading or its <title>), and the publishing body a site names (发布机构)."""

    blocks: list[Block]
    title: str | None = None
    publisher: str | None = None
    read_by: str = "text"  # "ocr" when every word was recognised in an image: each figure is in doubt
    published_on: datetime.date | None = None  # the date the site says the report went up
    created_on: datetime.date | None = None  # the day the file was made (a PDF's CreationDate)


# What the CJK Radicals Supplement's code points stand for (Unicode's EquivalentUnifiedIdeograph.txt), from
# U+2E81 on; U+2E9A is unassigned. Unlike the Kangxi radicals they have no decomposition, so NFKC keeps them.
_SUPPLEMENT_FIRST = 0x2E81
_SUPPLEMENT = (
    "厂乛乚乙亻冂几刀刂卜㔾小小尢尣尢尣巳幺彑彐忄心扌攵\0旡日月歺母民氵氺灬爫爫丬牛犭王疋目示礻竹糹纟罓罒网网网羊羊羋"
    "耂肀聿肉臼艹艹艹虎衤覀西见角角讠贝足车辶辶辶邑钅長镸长门阜阝雨青韦页风飞食食飠饣首马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟"
)
_FOLD = {
    **{_SUPPLEMENT_FIRST + index: target for index, target in enumerate(_SUPPLEMENT) if target != "\0"},
    # Kangxi radicals (U+2F00–U+2FD5) and CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F): NFKC.
    **{
        code: unicodedata.normalize("NFKC", chr(code))
        for block in (range(0x2F00, 0x2FD6), range(0xF900, 0xFB00), range(0x2F800, 0x2FA20))
        for code in block
        if unicodedata.normalize("NFKC", chr(code)) != chr(code)
    },
}


def ideographs(text: str) -> str:
    """`text` with the look-alike code points some PDF producers (Chromium's among them) and fonts map
    ideographs to — "保德县⼈⺠政府" with KANGXI RADICAL MAN and CJK RADICAL CIVILIAN — put back as the
    ideographs they show. Nothing else is changed (full-width punctuation stays as printed)."""
    return text.translate(_FOLD) if any(0x2E80 <= ord(char) <= 0x2FDF or ord(char) >= 0xF900 for char in text) else text


def folded(published: Published) -> Published:
    """Every text of a published document through `ideographs`."""
    blocks = [
        replace(block, text=ideographs(block.text), grid=[[ideographs(cell) for cell in row] for row in block.grid])
        if block.grid is not None
        else replace(block, text=ideographs(block.text))
        for block in published.blocks
    ]
    title = ideographs(published.title) if published.title else published.title
    publisher = ideographs(published.publisher) if published.publisher else published.publisher
    return replace(published, blocks=blocks, title=title, publisher=publisher)


_QUOTED = re.compile(r"《[^《》]*》")


def unquoted(text: str) -> str:
    """`text` without what it cites in 《》: the title of a notice a report quotes is not the report's own."""
    return _QUOTED.sub("", text)

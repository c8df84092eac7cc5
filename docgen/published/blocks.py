"""What a published report reads as, whatever it was published as: its body in order, paragraphs as text and
tables as grids of cell texts (a merged cell's text in every row and column it covers), and what the page
around it says of the report (a title, the 发布机构) where that is not part of the body."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Block:
    """A body paragraph (text) or table (grid of cell texts, merged cells repeated) in document order."""

    text: str = ""
    grid: list[list[str]] | None = None


@dataclass
class Published:
    """A document's blocks, and hints from around them: the report's title where the body does not hold it
    (a page's heading or its <title>), and the publishing body a site names (发布机构)."""

    blocks: list[Block]
    title: str | None = None
    publisher: str | None = None

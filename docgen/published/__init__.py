"""Published reports, read as blocks whatever they were published as: Word (.docx), a saved web page (.html,
UTF-8 or GBK), or a PDF with a text layer. `read` tells them apart by their bytes, not their names (a page
saved as .htm, a .docx renamed .doc)."""

from __future__ import annotations

from docgen.messages import message
from docgen.ooxml import PackageError
from docgen.published import docx, html, pdf
from docgen.published.blocks import Block, Published, folded

__all__ = ["Block", "Published", "kind_of", "read"]


def kind_of(data: bytes) -> str:
    """docx, pdf, html — or doc (Word 97–2003) and unknown, which cannot be read."""
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head or b"<p" in head or b"<div" in head:
        return "html"
    return "unknown"


def read(data: bytes) -> Published:
    """The blocks of a published report, look-alike code points folded to the ideographs they show;
    PackageError (with the reason in Chinese) when it cannot be read."""
    kind = kind_of(data)
    if kind == "docx":
        return folded(docx.read(data))
    if kind == "pdf":
        return folded(pdf.read(data))
    if kind == "html":
        return folded(html.read(data))
    raise PackageError(message("published-doc" if kind == "doc" else "published-unknown"))

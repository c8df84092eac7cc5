"""Published reports, read as blocks whatever they were published as: Word (.docx; .doc and WPS's .wps through
LibreOffice), an OFD, a saved web page (.html, UTF-8 or GBK), a PDF, or a scan or photograph (OCR, an extra). `read` tells them apart by their bytes, not their names (a page
saved as .htm, a .docx renamed .doc)."""

from __future__ import annotations

import io
import zipfile

from docgen.messages import message
from docgen.ooxml import PackageError, container_kind
from docgen.published import docx, html, ofd, pdf, scan, word97
from docgen.published.blocks import Block, Published, folded

__all__ = ["Block", "Published", "kind_of", "read"]


# PNG, JPEG, TIFF (both byte orders): what scanners and phones save a page as.
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Office files in the old binary container that are not text documents, and why each cannot be read.
_NOT_READ = {"encrypted": "published-encrypted", "xls": "published-not-word", "ole": "published-not-sure"}


def kind_of(data: bytes) -> str:
    """docx, ofd, pdf, html, doc (Word 97–2003, also WPS's .wps), image — or encrypted, xls, ole and unknown,
    which cannot be read."""
    if data.startswith(b"PK\x03\x04"):
        return "ofd" if ofd.is_ofd(_member_names(data)) else "docx"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return container_kind(data)
    if data.startswith(_IMAGE_SIGNATURES):
        return "image"
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head or b"<p" in head or b"<div" in head:
        return "html"
    return "unknown"


def _member_names(data: bytes) -> list[str]:
    """A zip's member names, from its central directory alone ([] for a damaged zip: the .docx reader then
    says what is wrong with it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()[:10_000]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, NotImplementedError, EOFError):
        return []


def read(data: bytes) -> Published:
    """The blocks of a published report, look-alike code points folded to the ideographs they show;
    PackageError (with the reason in Chinese) when it cannot be read."""
    kind = kind_of(data)
    if kind == "docx":
        return folded(docx.read(data))
    if kind == "ofd":
        return folded(ofd.read(data))
    if kind == "pdf":
        return folded(pdf.read(data))
    if kind == "html":
        return folded(html.read(data))
    if kind == "doc":
        return folded(word97.read(data))
    if kind == "image":
        return folded(scan.read_image(data))
    raise PackageError(message(_NOT_READ.get(kind, "published-unknown")))

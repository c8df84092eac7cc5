"""Hostile .docx files, made from a real rendered report: what an attacker (or a broken download) sends to
`extract`, `template lint`, `render --template` and `preview`. Each maker returns the file's bytes."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def members(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pack(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_part(docx: bytes, name: str, content: bytes) -> bytes:
    return pack({**members(docx), name: content})


def _cells(count: int, span: str) -> bytes:
    cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    rows = "".join(f"<w:tr>{cell * 10}</w:tr>" for _ in range(max(1, count // 10)))
    return f'<w:document xmlns:w="{W}"><w:body><w:tbl>{rows}</w:tbl></w:body></w:document>'.encode()


def grid_span(docx: bytes, cells: int = 1, span: str = "100000000") -> bytes:
    """Table cells claiming to span a hundred million grid columns (11 KB on disk)."""
    return with_part(docx, "word/document.xml", _cells(cells, span))


def inflating(docx: bytes, part: str = "word/document.xml", size: int = 1100 * 1024 * 1024) -> bytes:
    """A part that inflates to `size` bytes of XML whitespace from about a thousandth of that on disk. The
    member is deflated in pieces, so making it costs little memory."""
    head = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = [compressor.compress(head)]
    block = b" " * (1024 * 1024)
    written = len(head)
    while written < size:
        deflated.append(compressor.compress(block))
        written += len(block)
    deflated.append(compressor.flush())
    raw = b"".join(deflated)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members(docx).items():
            if name != part:
                archive.writestr(name, content)
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size, info.compress_size, info.CRC = written, len(raw), 0
        # Write the deflated stream as it is: the local header names its sizes, the CRC is never reached.
        offset = buffer.tell()
        archive.fp.write(info.FileHeader())  # type: ignore[union-attr]
        archive.fp.write(raw)  # type: ignore[union-attr]
        info.header_offset = offset
        archive.filelist.append(info)
        archive.NameToInfo[part] = info
        archive.start_dir = buffer.tell()
    return buffer.getvalue()


def corrupt_deflate(docx: bytes, part: str = "word/document.xml") -> bytes:
    """Garbage inside one member's deflated bytes (a broken download)."""
    data = bytearray(docx)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        info = archive.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 10, start + min(info.compress_size, 200) - 10):
        data[offset] ^= 0x5A
    return bytes(data)


def xml_part(docx: bytes, content: bytes, part: str = "word/document.xml") -> bytes:
    return with_part(docx, part, content)


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>'
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
    + b']><w:document xmlns:w="'
    + W.encode()
    + b'"><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>'
)
DEEP = (
    b'<w:document xmlns:w="'
    + W.encode()
    + b'"><w:body>'
    + b"<w:p>" * 100_000
    + b"</w:p>" * 100_000
    + b"</w:body></w:document>"
)
BROKEN = b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>unclosed</w:body>'
BINARY = bytes(range(256)) * 64


def extra_rows(docx: bytes, count: int) -> bytes:
    """The first table with `count` more rows copied from its last one (a template or report grown huge)."""
    document = members(docx)["word/document.xml"].decode("utf-8")
    first_table_end = document.index("</w:tbl>")
    last_row = document.rindex("<w:tr>", 0, first_table_end)
    row = document[last_row:first_table_end]
    grown = document[:first_table_end] + row * count + document[first_table_end:]
    return with_part(docx, "word/document.xml", grown.encode("utf-8"))


def nameless_member(docx: bytes) -> bytes:
    """A member whose name is empty, as a damaged central directory gives (found by the fuzzer)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members(docx).items():
            archive.writestr(name, content)
        archive.writestr(zipfile.ZipInfo(""), b"x")
    return buffer.getvalue()


HOSTILE: dict[str, Callable[[bytes], bytes]] = {
    "grid-span-huge": lambda docx: grid_span(docx, 1),
    "grid-span-10000-cells": lambda docx: grid_span(docx, 10_000),
    "grid-span-not-a-number": lambda docx: grid_span(docx, 1, "abc"),
    "document-inflates-1.1-GB": lambda docx: inflating(docx),
    "footer-inflates-1.1-GB": lambda docx: inflating(docx, "word/footer1.xml"),
    "corrupt-deflate": corrupt_deflate,
    "nameless-member": nameless_member,
    "xxe": lambda docx: xml_part(docx, XXE),
    "billion-laughs": lambda docx: xml_part(docx, LAUGHS),
    "nesting-100k": lambda docx: xml_part(docx, DEEP),
    "broken-xml": lambda docx: xml_part(docx, BROKEN),
    "binary-xml": lambda docx: xml_part(docx, BINARY),
    "footer-binary": lambda docx: xml_part(docx, BINARY, "word/footer1.xml"),
}


def strip_tags(docx: bytes) -> bytes:
    """The document with every Jinja tag's braces left in but nothing else: used to make lint inputs."""
    parts = members(docx)
    parts["word/document.xml"] = re.sub(rb"\{\{[^}]*\}\}", b"", parts["word/document.xml"])
    return pack(parts)

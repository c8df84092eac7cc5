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


# --- PDFs whose streams inflate far past their size ------------------------------------------------------


def pdf_with_stream(stream: bytes, filters: str, extra: str = "") -> bytes:
    """A one-page PDF whose page content is `stream` under `filters` (e.g. "/FlateDecode"), with a correct
    cross-reference table, as a PDF writer would lay it out."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        f"<< /Length {len(stream)} /Filter {filters} {extra}>>\nstream\n".encode() + stream + b"\nendstream",
    ]
    return pdf_of(objects, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")


def pdf_of(objects: list[bytes], header: bytes = b"%PDF-1.7\n") -> bytes:
    """A PDF of `objects` (numbered from 1, the first the catalog) with a correct cross-reference table."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def deflated_spaces(size: int, damaged_end: bool = False) -> bytes:
    """`size` bytes of spaces deflated in pieces (cheap to make); with `damaged_end` its checksum is broken, so
    pdfminer takes its second path (inflating what it can)."""
    compressor = zlib.compressobj(9)
    piece = b" " * (16 * 1024 * 1024)
    parts = [compressor.compress(piece) for _ in range(size // len(piece))]
    parts.append(compressor.flush())
    data = b"".join(parts)
    return data[:-4] + b"\x00\x00\x00\x00" if damaged_end else data


def flate_bomb_pdf(size: int = 1200 * 1024 * 1024, damaged_end: bool = False) -> bytes:
    return pdf_with_stream(deflated_spaces(size, damaged_end), "/FlateDecode")


def run_length_bomb_pdf(runs: int = 10_000_000) -> bytes:
    """RunLengthDecode: each two bytes (257 − 129 = 128 copies of a space) give 128; 20 MB give 1.28 GB."""
    return pdf_with_stream(b"\x81 " * runs + b"\x80", "/RunLengthDecode")


# --- an Office file under an opening password ------------------------------------------------------------


def ole_file(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file ([MS-CFB], version 3, 512-byte sectors) holding `streams`, each padded to at
    least 4,096 bytes so it lives in ordinary sectors: what Office writes for an encrypted .docx or .xlsx
    (streams EncryptionInfo and EncryptedPackage), without the cipher."""
    sector = 512
    end_of_chain, fat_sector, free = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    bodies = [content.ljust(max(4096, -(-len(content) // sector) * sector), b"\0") for content in streams.values()]
    fat = [fat_sector, end_of_chain]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for body in bodies:
        starts.append(len(fat))
        count = len(body) // sector
        fat += [len(fat) + index + 1 for index in range(count - 1)] + [end_of_chain]
    assert len(fat) <= sector // 4, "one FAT sector is enough for test files"
    fat_bytes = b"".join(value.to_bytes(4, "little") for value in fat + [free] * (sector // 4 - len(fat)))

    def entry(name: str, kind: int, start: int, size: int, child: int = free, right: int = free) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + len(encoded).to_bytes(2, "little")
            + bytes([kind, 1])  # object type, colour black
            + free.to_bytes(4, "little")  # left sibling
            + right.to_bytes(4, "little")
            + child.to_bytes(4, "little")
            + b"\0" * 16  # class id
            + b"\0" * 4  # state bits
            + b"\0" * 16  # creation and modification times
            + start.to_bytes(4, "little")
            + size.to_bytes(8, "little")
        )

    names = list(streams)
    directory = entry("Root Entry", 5, end_of_chain, 0, child=1)
    for index, (name, body) in enumerate(zip(names, bodies)):
        following = index + 2 if index + 1 < len(names) else free
        directory += entry(name, 2, starts[index], len(streams[name]) or len(body), right=following)
    directory = directory.ljust(sector, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + (0x3E).to_bytes(2, "little")  # minor version
        + (3).to_bytes(2, "little")  # major version 3
        + b"\xfe\xff"  # little-endian
        + (9).to_bytes(2, "little")  # sector size 2^9
        + (6).to_bytes(2, "little")  # mini sector size 2^6
        + b"\0" * 6
        + (0).to_bytes(4, "little")  # directory sectors (0 in version 3)
        + (1).to_bytes(4, "little")  # FAT sectors
        + (1).to_bytes(4, "little")  # first directory sector
        + b"\0" * 4  # transaction
        + (4096).to_bytes(4, "little")  # mini stream cut-off
        + end_of_chain.to_bytes(4, "little")  # first mini FAT sector
        + (0).to_bytes(4, "little")
        + end_of_chain.to_bytes(4, "little")  # first DIFAT sector
        + (0).to_bytes(4, "little")
        + (0).to_bytes(4, "little")  # DIFAT[0]: the FAT is sector 0
        + free.to_bytes(4, "little") * 108
    )
    assert len(header) == sector
    return header + fat_bytes + directory + b"".join(bodies)


def encrypted_office_file() -> bytes:
    info = (4).to_bytes(2, "little") + (4).to_bytes(2, "little") + (0x40).to_bytes(4, "little")  # agile, v4.4
    info += b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"/>'
    return ole_file({"EncryptionInfo": info, "EncryptedPackage": (4096).to_bytes(8, "little") + bytes(4096)})


def pdf_with_font_map(cmap: bytes) -> bytes:
    """A one-page PDF whose text is in a Type0 font whose ToUnicode map is `cmap` (uncompressed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td <00000041> Tj ET\n\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        f"<< /Length {len(cmap)} >>\nstream\n".encode() + cmap + b"\nendstream",
    ]
    return pdf_of(objects)

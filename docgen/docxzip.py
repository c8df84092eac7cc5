"""Writing and reading .docx packages (zip files) reproducibly: the same parts always give the same bytes.

The writer is docgen's own (a few fixed-format records) so that members deflated once — the template's
unchanged parts — are copied into every rendered document as they are, and so that the bytes do not
depend on the platform (zipfile records the creating system).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

# Zip entries carry a timestamp; a fixed one (1980-01-01 00:00, the earliest DOS date) makes two renders
# of the same data byte-identical.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_VERSION, _DEFLATED, _UTF8_NAME = 20, 8, 0x800


@dataclass(frozen=True)
class Member:
    """One zip member, already deflated."""

    name: str
    crc: int
    size: int
    deflated: bytes


def deflate(name: str, content: bytes) -> Member:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)  # raw deflate, zlib's default level
    return Member(name, zlib.crc32(content), len(content), compressor.compress(content) + compressor.flush())


def inflate(member: Member) -> bytes:
    return zlib.decompress(member.deflated, -15)


def write(members: Iterable[Member]) -> bytes:
    """A zip of the given members, in the given order."""
    body, directory, count = bytearray(), bytearray(), 0
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0 if member.name.isascii() else _UTF8_NAME
        common = (flags, _DEFLATED, _DOS_TIME, _DOS_DATE, member.crc, len(member.deflated), member.size, len(name))
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, *common, 0) + name + member.deflated
        # central record: made-by and needed versions, the same fields, then no extra/comment, disk 0, no attributes
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _VERSION, _VERSION, *common, 0, 0, 0, 0, 0, offset)
        directory += name
        count += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)


def pack(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of the given members, in the given order, with fixed timestamps."""
    return write(deflate(name, content) for name, content in parts)


def members(docx: bytes) -> dict[str, bytes]:
    """Name → content of every member, in zip order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}

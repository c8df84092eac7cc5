"""A budget of inflated bytes for each PDF read: pdfminer inflates a stream whole (`zlib.decompress`), so a
20 MB upload whose streams inflate to gigabytes would be read into memory before anything could look at its
size. The decoders pdfminer calls for the filters that can grow (Flate, LZW, RunLength) are replaced by ones
that stop at the budget left for the document being read; every stream decoded is charged to it, and so is
every entry of a font's character map (a range of codes is a line of text). CCITT fax images are not decoded.

The replacement is made once, in pdfminer's own module (pdftypes looks these names up at call time); the
budget is a context variable, so documents read side by side in the web form's threads each have their own.
"""

from __future__ import annotations

import contextlib
import contextvars
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from docgen.limits import max_pdf_inflated_bytes


class OverBudget(Exception):
    """The document's streams inflate to more than its budget."""


@dataclass
class Budget:
    remaining: int
    exceeded: bool = False

    def charge(self, size: int) -> None:
        self.remaining -= size
        if self.remaining < 0:
            self.exceeded = True  # kept: pdfminer swallows some exceptions of the fonts it loads
            raise OverBudget


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("docgen_pdf_budget", default=None)


@contextlib.contextmanager
def budget() -> Iterator[Budget]:
    """A fresh budget for the PDF read inside the block."""
    _install()
    current = Budget(max_pdf_inflated_bytes())
    token = _current.set(current)
    try:
        yield current
    finally:
        _current.reset(token)


def _budget() -> Budget:
    current = _current.get()
    if current is None:  # pdfminer used outside `budget()`: each stream gets the whole budget
        current = Budget(max_pdf_inflated_bytes())
    return current


def _inflate(data: bytes, tolerate_damage: bool) -> bytes:
    """`data` inflated a piece at a time, never past the budget. With `tolerate_damage` (pdfminer's second try
    at a stream whose end or checksum is damaged) what inflated before the damage is kept."""
    current = _budget()
    inflater = zlib.decompressobj()
    pieces: list[bytes] = []
    try:
        for start in range(0, len(data), _IN_PIECE):
            pending = data[start : start + _IN_PIECE]
            while pending:
                try:
                    piece = inflater.decompress(pending, _OUT_PIECE)
                except zlib.error:
                    if tolerate_damage:
                        return b"".join(pieces)
                    raise
                current.charge(len(piece))
                pieces.append(piece)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except OverBudget:
        pieces.clear()  # not kept alive by the traceback while the refusal travels up
        raise
    return b"".join(pieces)


_IN_PIECE = 64 * 1024
_OUT_PIECE = 1024 * 1024  # pieces of the output: no buffer grows by doubling past the budget


class _BoundedZlib:
    """What pdftypes calls `zlib`: the same module with `decompress` held to the budget."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes, *_: Any) -> bytes:
        return _inflate(data, tolerate_damage=False)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _decompress_corrupted(data: bytes) -> bytes:
    return _inflate(data, tolerate_damage=True)


def _lzw_decode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    current = _budget()
    output = bytearray()
    for piece in LZWDecoder(BytesIO(data)).run():
        current.charge(len(piece))
        output += piece
    return bytes(output)


def _run_length_decode(data: bytes) -> bytes:
    """RunLengthDecode (PDF 1.7, 7.4.5): a length byte, then length + 1 bytes as they are (0–127) or one byte
    repeated 257 − length times (129–255); 128 ends the data."""
    current = _budget()
    output = bytearray()
    position = 0
    while position < len(data) and data[position] != 128:
        length = data[position]
        if length < 128:
            piece = data[position + 1 : position + 2 + length]
            position += 2 + length
        else:
            piece = data[position + 1 : position + 2] * (257 - length)
            position += 2
        current.charge(len(piece))
        output += piece
    return bytes(output)


def _no_fax_image(data: bytes, parameters: Any) -> bytes:
    """CCITT fax images are not decoded: they hold no text, and a few bytes of one can decode to megabytes
    in pure Python."""
    return b""


# What one entry of a font's character map costs in memory (a dict slot, an int and a str): a ToUnicode map
# can declare a range of four billion codes in a line.
_MAP_ENTRY_BYTES = 100


def _charged(add: Any) -> Any:
    def add_charged(self: Any, *arguments: Any) -> None:
        _budget().charge(_MAP_ENTRY_BYTES)
        add(self, *arguments)

    return add_charged


def _install() -> None:
    import pdfminer.cmapdb as cmaps
    import pdfminer.pdftypes as types

    if getattr(types, "_docgen_budget", False):
        return
    types.zlib = _BoundedZlib()  # type: ignore[assignment]
    types.decompress_corrupted = _decompress_corrupted
    types.lzwdecode = _lzw_decode
    types.rldecode = _run_length_decode
    types.ccittfaxdecode = _no_fax_image
    cmaps.FileUnicodeMap.add_cid2unichr = _charged(cmaps.FileUnicodeMap.add_cid2unichr)  # type: ignore[method-assign]
    cmaps.FileCMap.add_code2cid = _charged(cmaps.FileCMap.add_code2cid)  # type: ignore[method-assign]
    types._docgen_budget = True  # type: ignore[attr-defined]

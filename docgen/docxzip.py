"""Writing and reading .docx packages (zip files) reproducibly: the same parts always give the same bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

# Zip entries carry a timestamp; a fixed one makes two renders of the same data byte-identical.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def pack(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of the given members, in the given order, with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def members(docx: bytes) -> dict[str, bytes]:
    """Name → content of every member, in zip order."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}

"""Readers: one per kind of data file, chosen by the file's suffix. A reader turns a file's bytes into a
`Document` — the data as a plain mapping and a locator for its key paths — and reports what it cannot read
as located problems; validation (docgen/validate.py) is the same for every source.

A reader is registered by suffix, as a function or as "module:function" (imported on first use, so a
reader's heavy library is loaded only when a file of its kind is read):

    docgen.readers.register(".json", read_json)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from docgen.readers.base import Document, Locator, Source, Unlocated

Reader = Callable[[bytes, str, "Path | None"], Document]

__all__ = ["Document", "Locator", "Reader", "Source", "Unlocated", "data_suffixes", "reader_for", "register"]

# The suffix of a file no reader claims (2021.toml.txt, as Notepad saves it): read as TOML, the data file
# people type by hand.
DEFAULT_SUFFIX = ".toml"

_READERS: dict[str, Reader | str] = {".toml": "docgen.readers.toml:read", ".xlsx": "docgen.readers.xlsx:read"}


def register(suffix: str, reader: Reader | str) -> None:
    """Read files ending in `suffix` (".json", case-insensitive) with `reader`."""
    _READERS[suffix.lower()] = reader


def data_suffixes() -> tuple[str, ...]:
    """The suffixes of the data files a folder is searched for."""
    return tuple(_READERS)


def reader_for(suffix: str) -> Reader:
    """The reader of a file with this suffix."""
    reader = _READERS.get(suffix.lower()) or _READERS[DEFAULT_SUFFIX]
    if isinstance(reader, str):
        module, _, name = reader.partition(":")
        reader = getattr(importlib.import_module(module), name)
    return reader  # type: ignore[return-value]

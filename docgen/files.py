"""Which files a command works on: files as named, and in a named folder every file of the kind asked for
(sorted; Word's ~$ lock files left out)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docgen.errors import DataError, Problem
from docgen.messages import message
from docgen.readers import data_suffixes

# The published documents `extract` and `audit` take from a folder (here, not in docgen.published: finding
# files must not import the readers of pages and PDFs, which every render would then pay for).
DOCUMENT_SUFFIXES = (".docx", ".html", ".htm", ".shtml", ".pdf")


def collect(paths: Iterable[Path], suffixes: tuple[str, ...], missing: str) -> list[Path]:
    """Files as given, and every file with one of `suffixes` directly inside a named folder; a folder with
    none is a DataError (message id `missing`)."""
    sources: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                child
                for child in path.iterdir()
                if child.suffix.lower() in suffixes and child.is_file() and not child.name.startswith("~$")
            )
            if not found:
                raise DataError([Problem("file", message(missing, path=path), file=str(path))])
            sources += found
        else:
            sources.append(path)
    return sources


def data_files(paths: Iterable[Path | str]) -> list[Path]:
    """The data files named, folders searched for every kind a reader is registered for."""
    return collect(map(Path, paths), data_suffixes(), "no-data-files")


def documents(paths: Iterable[Path | str]) -> list[Path]:
    """The published reports named, folders searched for Word documents, web pages and PDFs."""
    return collect(map(Path, paths), DOCUMENT_SUFFIXES, "no-documents")

"""Which files a command works on: files as named, and in a named folder every file of the kind asked for
(sorted; Word's ~$ lock files left out)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from docgen.errors import DataError, Problem
from docgen.messages import message
from docgen.readers import data_suffixes

# The published documents `extract` and `audit` take from a folder (here, not in docgen.published: finding
# files must not import the readers of pages and PDFs, which every render would then pay for).
DOCUMENT_SUFFIXES = (
    ".docx",
    ".doc",
    ".wps",
    ".ofd",
    ".html",
    ".htm",
    ".shtml",
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
)


def collect(
    paths: Iterable[Path], suffixes: tuple[str, ...], missing: str, on_misnamed: Callable[[Path], None] | None = None
) -> list[Path]:
    """Files as given, and every file with one of `suffixes` directly inside a named folder; a folder with
    none is a DataError (message id `missing`). A file Notepad saved as 乙.toml.txt is passed over, but
    `on_misnamed` is told of it."""
    sources: list[Path] = []
    for path in paths:
        if path.is_dir():
            children = sorted(child for child in path.iterdir() if child.is_file() and not child.name.startswith("~$"))
            found = [child for child in children if child.suffix.lower() in suffixes]
            if on_misnamed is not None:
                for child in children:
                    if child.suffix.lower() == ".txt" and Path(child.stem).suffix.lower() in suffixes:
                        on_misnamed(child)
            if not found:
                raise DataError([Problem("file", message(missing, path=path), file=str(path))])
            sources += found
        else:
            sources.append(path)
    return sources


def data_files(paths: Iterable[Path | str], on_misnamed: Callable[[Path], None] | None = None) -> list[Path]:
    """The data files named, folders searched for every kind a reader is registered for."""
    return collect(map(Path, paths), data_suffixes(), "no-data-files", on_misnamed)


def documents(paths: Iterable[Path | str]) -> list[Path]:
    """The published reports named, folders searched for Word documents, web pages and PDFs."""
    return collect(map(Path, paths), DOCUMENT_SUFFIXES, "no-documents")

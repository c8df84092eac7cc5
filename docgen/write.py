"""Write: put the rendered bytes on disk atomically — the file appears whole or not at all, and an
existing file of that name is untouched until the new one is complete."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from docgen.errors import OutputError, Problem
from docgen.messages import message


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    with contextlib.suppress(OSError):
        return a.exists() and b.exists() and a.samefile(b)
    return False


def check_target(path: Path, inputs: dict[str, Path]) -> None:
    """Refuse a target that would destroy an input ({"output-is-input": data file, …}) or cannot be a file."""
    name = str(path)
    for rule, source in inputs.items():
        if _same_file(path, source):
            raise OutputError([Problem("output", message(rule, path=name), file=name)])
    if path.is_dir():
        raise OutputError([Problem("output", message("output-is-dir", path=name), file=name)])
    if not path.parent.is_dir():
        raise OutputError([Problem("output", message("output-dir-missing", path=str(path.parent)), file=name)])


def write_atomic(path: Path, data: bytes, inputs: dict[str, Path] | None = None) -> None:
    """Write `data` to `path` via a temporary file in the same directory and one rename."""
    check_target(path, inputs or {})
    # A run killed mid-write leaves its hidden temporary behind; the next write of the same file clears it.
    for stale in _stale_temporaries(path.parent.resolve()).pop(path.name, []):
        with contextlib.suppress(OSError):
            stale.unlink()
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        # os.open with 0o666 lets the umask decide the mode, as for any file the user creates.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        reason = error.strerror or type(error).__name__
        raise OutputError(
            [Problem("output", message("output-failed", path=str(path), reason=reason), file=str(path))]
        ) from None


@lru_cache(maxsize=64)
def _stale_temporaries(directory: Path) -> dict[str, list[Path]]:
    """Hidden temporaries in `directory` by the file they were for, listed once per process: a batch
    writing hundreds of files into one folder must not list that folder for each of them."""
    found: dict[str, list[Path]] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            if match := _TEMPORARY.fullmatch(entry.name):
                found.setdefault(match.group(1), []).append(directory / entry.name)
    return found


_TEMPORARY = re.compile(r"\.(.+)\.[0-9a-f]{8}\.tmp")


def protected_inputs(data_file: Path | None, template: Path | None) -> dict[str, Path]:
    """The inputs an output must never replace, keyed by the message that names each."""
    pairs: Iterable[tuple[str, Path | None]] = (("output-is-input", data_file), ("output-is-template", template))
    return {rule: path for rule, path in pairs if path is not None}


def write_new(path: Path, content: str | bytes, force: bool = False) -> None:
    """Write a new file (text as UTF-8); an existing file is replaced only with `force`."""
    if path.exists() and not force:
        raise OutputError([Problem("output", message("init-exists", path=path), file=str(path))])
    write_atomic(path, content.encode("utf-8") if isinstance(content, str) else content)

"""Write: put the rendered bytes on disk atomically — the file appears whole or not at all, and an
existing file of that name is untouched until the new one is complete.

One file is written to a temporary name, made durable (fsync), renamed, and its folder made durable. A batch
does the same in groups (`GroupCommit`): a sync per file was a quarter of a batch's time and swung it 2× with
the disk's load, while one sync makes a whole group durable.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from docgen.errors import OutputError, Problem, os_reason
from docgen.messages import message


def _identity(status: os.stat_result) -> tuple[int, int]:
    return status.st_dev, status.st_ino


def check_target(path: Path, inputs: dict[str, Path]) -> None:
    """Refuse a target that would destroy an input ({"output-is-input": data file, …}: the same file, under
    any name or link), that is a folder, a device, a pipe or anything but a regular file, or whose folder is
    missing. One stat of the target and of each input: a batch calls this for every document."""
    name = str(path)

    def refuse(rule: str, **fields: object) -> OutputError:
        return OutputError([Problem("output", message(rule, **fields), file=name)])

    try:
        try:
            status = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):  # a new file (or a link to nothing: the rename replaces it)
            if not path.parent.is_dir():
                raise refuse("output-dir-missing", path=str(path.parent)) from None
            return
        for rule, source in inputs.items():
            with contextlib.suppress(OSError):  # an input that cannot be read is not this file
                if _identity(os.stat(source)) == _identity(status):
                    raise refuse(rule, path=name)
        if stat.S_ISDIR(status.st_mode):
            raise refuse("output-is-dir", path=name)
        if not stat.S_ISREG(status.st_mode):  # /dev/null, a FIFO: never replaced
            raise refuse("output-not-file", path=name)
    except OSError as error:  # a name too long for the file system, a folder one may not enter …
        raise refuse("output-failed", path=name, reason=os_reason(error)) from None


# Inside `captured()`: the files write_atomic has left complete under their temporary names, each with its target.
_CAPTURED: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("docgen_captured_writes", default=None)


def write_atomic(path: Path, data: bytes, inputs: dict[str, Path] | None = None) -> None:
    """Write `data` to `path` via a temporary file in the same directory and one rename. Inside `captured()`
    the file is left complete under its temporary name, for a GroupCommit to finish."""
    check_target(path, inputs or {})
    _clear_stale(str(path.parent.absolute()))  # not normalised: linked/.. is where the link leads, up
    temporary = path.with_name(_temporary_name(path.name))
    captured = _CAPTURED.get()
    try:
        # os.open with 0o666 lets the umask decide the mode, as for any file the user creates.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            if captured is None:
                stream.flush()
                os.fsync(stream.fileno())
        if captured is not None:
            captured.append((temporary, path))
            return
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise OutputError([_failed(path, error)]) from None
    _sync_folder(path.parent)


def _failed(path: Path, error: OSError) -> Problem:
    return Problem("output", message("output-failed", path=str(path), reason=os_reason(error)), file=str(path))


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows cannot open a folder, and its renames are journaled)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def captured() -> Iterator[list[tuple[Path, Path]]]:
    """Collect the writes made inside as (temporary, target) pairs instead of finishing them one by one."""
    writes: list[tuple[Path, Path]] = []
    token = _CAPTURED.set(writes)
    try:
        yield writes
    finally:
        _CAPTURED.reset(token)


class GroupCommit:
    """Finishes captured writes in groups: one sync makes a group's temporaries durable, each is renamed to its
    target, then each folder is made durable. A group closes at `size` files or `seconds` after the last, so
    a long batch shows its documents as it goes, and a killed batch leaves whole files and hidden temporaries
    only (removed by the next run into that folder)."""

    def __init__(self, size: int = 200, seconds: float = 1.0) -> None:
        self.size, self.seconds = size, seconds
        self.pending: list[tuple[Path, Path]] = []
        self.failed: dict[Path, Problem] = {}  # target → why it could not be put in place
        self._closed = time.monotonic()

    def add(self, writes: Iterable[tuple[Path, Path]]) -> None:
        self.pending.extend(writes)
        if len(self.pending) >= self.size or time.monotonic() - self._closed >= self.seconds:
            self.commit()

    def commit(self) -> None:
        group, self.pending = self.pending, []
        self._closed = time.monotonic()
        if not group:
            return
        _make_durable([temporary for temporary, _ in group])
        folders = set()
        for temporary, target in group:
            try:
                os.replace(temporary, target)
                folders.add(target.parent)
            except OSError as error:
                with contextlib.suppress(OSError):
                    temporary.unlink()
                self.failed[target] = _failed(target, error)
        for folder in folders:
            _sync_folder(folder)


def _make_durable(paths: list[Path]) -> None:
    """Flush the files' data to the disk: one sync(2) where there is one, else each file's own flush."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:
        with contextlib.suppress(OSError), open(path, "r+b") as stream:
            os.fsync(stream.fileno())


# A temporary is hidden, names the process writing it (so no other writer takes it for a leftover, however
# many write the same file at once) and stays short (a 250-character file name still has room for it).
_TEMPORARY = re.compile(r"\..*\.docgen-(\d+)-[0-9a-f]{8}\.tmp")
_KEPT_NAME = 60  # characters of the target's name kept in its temporary's


def _temporary_name(name: str) -> str:
    return f".{name[:_KEPT_NAME]}.docgen-{os.getpid()}-{secrets.token_hex(4)}.tmp"


# A temporary whose writer cannot be asked (another machine's, or on Windows) is left this long.
_STALE_AFTER = 24 * 3600


@lru_cache(maxsize=64)
def _clear_stale(directory: str) -> None:
    """Remove the temporaries that killed runs left in `directory` (an absolute path: the working folder may
    change): those whose process is gone. Once per folder and process — a batch writing hundreds of files
    into one folder lists it once."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            found = _TEMPORARY.fullmatch(entry.name)
            if found and not _writing(int(found.group(1)), entry):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _writing(pid: int, entry: os.DirEntry[str]) -> bool:
    """Whether the process that made a temporary may still be writing it."""
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill would end the process there: judge by age
        return time.time() - entry.stat().st_mtime < _STALE_AFTER
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, as another user's
        return True
    try:  # a killed writer not yet reaped by its parent still answers, as a zombie
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def protected_inputs(data_file: Path | None, template: Path | None) -> dict[str, Path]:
    """The inputs an output must never replace, keyed by the message that names each."""
    pairs: Iterable[tuple[str, Path | None]] = (("output-is-input", data_file), ("output-is-template", template))
    return {rule: path for rule, path in pairs if path is not None}


def write_new(path: Path, content: str | bytes, force: bool = False) -> None:
    """Write a new file (text as UTF-8); an existing file is replaced only with `force`."""
    if path.exists() and not force:
        raise OutputError([Problem("output", message("init-exists", path=path), file=str(path))])
    write_atomic(path, content.encode("utf-8") if isinstance(content, str) else content)

"""Write: put the rendered bytes on disk atomically — the file appears whole or not at all, and an
existing file of that name is untouched until the new one is complete."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from docgen.errors import OutputError, Problem, os_reason
from docgen.messages import message


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    with contextlib.suppress(OSError):
        return a.exists() and b.exists() and a.samefile(b)
    return False


def check_target(path: Path, inputs: dict[str, Path]) -> None:
    """Refuse a target that would destroy an input ({"output-is-input": data file, …}), that is a folder,
    a device, a pipe or anything but a regular file, or whose folder is missing."""
    name = str(path)

    def refuse(rule: str, **fields: object) -> OutputError:
        return OutputError([Problem("output", message(rule, **fields), file=name)])

    try:
        for rule, source in inputs.items():
            if _same_file(path, source):
                raise refuse(rule, path=name)
        if path.is_dir():
            raise refuse("output-is-dir", path=name)
        if not path.parent.is_dir():
            raise refuse("output-dir-missing", path=str(path.parent))
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):  # /dev/null, a FIFO: never replaced
            raise refuse("output-not-file", path=name)
    except OSError as error:  # a name too long for the file system, a folder one may not enter …
        raise refuse("output-failed", path=name, reason=os_reason(error)) from None


def write_atomic(path: Path, data: bytes, inputs: dict[str, Path] | None = None) -> None:
    """Write `data` to `path` via a temporary file in the same directory and one rename."""
    check_target(path, inputs or {})
    _clear_stale(path.parent.resolve())
    temporary = path.with_name(_temporary_name(path.name))
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
        text = message("output-failed", path=str(path), reason=os_reason(error))
        raise OutputError([Problem("output", text, file=str(path))]) from None


# A temporary is hidden, names the process writing it (so no other writer takes it for a leftover, however
# many write the same file at once) and stays short (a 250-character file name still has room for it).
_TEMPORARY = re.compile(r"\..*\.docgen-(\d+)-[0-9a-f]{8}\.tmp")
_KEPT_NAME = 60  # characters of the target's name kept in its temporary's


def _temporary_name(name: str) -> str:
    return f".{name[:_KEPT_NAME]}.docgen-{os.getpid()}-{secrets.token_hex(4)}.tmp"


# A temporary whose writer cannot be asked (another machine's, or on Windows) is left this long.
_STALE_AFTER = 24 * 3600


@lru_cache(maxsize=64)
def _clear_stale(directory: Path) -> None:
    """Remove the temporaries that killed runs left in `directory`: those whose process is gone. Once per
    folder and process — a batch writing hundreds of files into one folder lists it once."""
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

"""Where each key of a TOML document stands: key path → line number, for messages that point at a line.

tomllib keeps no positions, so this scans the (already valid) text once for keys, table headers and array
elements. It reads no values: whatever it cannot place falls back to the nearest enclosing key.
"""

from __future__ import annotations

import bisect
import contextlib
import re

from docgen.errors import KeyPath

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")


class KeyLines:
    """Line numbers (1-based) of the keys of one TOML text. The text is scanned when a line is first asked
    for: a valid report never needs one, and rendering many need not pay for it."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._scanned = False
        self._pos = 0
        self._line_starts: list[int] = []
        self._lines: dict[KeyPath, int] = {}
        self._array_table_counts: dict[KeyPath, int] = {}
        self._duplicates: list[tuple[KeyPath, int]] = []

    def _scan(self) -> None:
        if self._scanned:
            return
        self._scanned = True
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        # The text was valid for tomllib; anything this light scanner trips over only costs precision.
        with contextlib.suppress(IndexError, ValueError):
            self._document()

    @property
    def duplicates(self) -> list[tuple[KeyPath, int]]:
        """Keys assigned a second time, with the line of the repeat: tomllib only says "at end of document"."""
        self._scan()
        return self._duplicates

    def line_of(self, path: KeyPath) -> int | None:
        """The line of `path`, or of its nearest enclosing key that has one."""
        self._scan()
        for end in range(len(path), 0, -1):
            if path[:end] in self._lines:
                return self._lines[path[:end]]
        return None

    def line_text(self, line: int) -> str:
        self._scan()
        start = self._line_starts[line - 1]
        end = self._text.find("\n", start)
        return self._text[start : end if end >= 0 else len(self._text)]

    # --- scanning -----------------------------------------------------------------------------------

    def _line(self) -> int:
        return bisect.bisect_right(self._line_starts, self._pos)

    def _peek(self, count: int = 1) -> str:
        return self._text[self._pos : self._pos + count]

    def _skip(self, newlines: bool) -> None:
        """Skip blanks and comments (and newlines, where the grammar allows them)."""
        text = self._text
        while self._pos < len(text):
            char = text[self._pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self._pos += 1
            elif char == "#":
                end = text.find("\n", self._pos)
                self._pos = len(text) if end < 0 else end
            else:
                return

    def _document(self) -> None:
        table: KeyPath = ()
        while True:
            self._skip(newlines=True)
            if self._pos >= len(self._text):
                return
            start = self._pos
            line = self._line()
            if self._peek(2) == "[[":
                self._pos += 2
                path = self._key()
                self._pos += 2
                index = self._array_table_counts.get(path, 0)
                self._array_table_counts[path] = index + 1
                self._lines.setdefault(path, line)
                table = (*path, index)
                self._lines[table] = line
            elif self._peek() == "[":
                self._pos += 1
                table = self._key()
                self._pos += 1
                self._lines.setdefault(table, line)
            else:
                path = (*table, *self._key())
                self._expect("=")
                if path in self._lines:
                    self._duplicates.append((path, line))
                self._lines[path] = line
                self._value(path)
            if self._pos == start:  # nothing consumed: not TOML this scanner understands
                raise ValueError("no progress")

    def _expect(self, char: str) -> None:
        self._skip(newlines=False)
        if self._peek() != char:
            raise ValueError(f"expected {char!r}")
        self._pos += 1

    def _key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while True:
            self._skip(newlines=False)
            char = self._peek()
            if char in "\"'":
                parts.append(self._string())
            else:
                match = _BARE_KEY.match(self._text, self._pos)
                if match is None:
                    raise ValueError("not a key")
                parts.append(match.group())
                self._pos = match.end()
            self._skip(newlines=False)
            if self._peek() != ".":
                return tuple(parts)
            self._pos += 1

    def _string(self) -> str:
        quote = self._peek()
        if self._peek(3) == quote * 3:
            end = self._text.index(quote * 3, self._pos + 3)
            # A closing delimiter may be followed by up to two more quotes that belong to the content.
            while self._text.startswith(quote, end + 3):
                end += 1
            content = self._text[self._pos + 3 : end]
            self._pos = end + 3
            return content
        start = self._pos + 1
        position = start
        while self._text[position] != quote:
            position += 2 if quote == '"' and self._text[position] == "\\" else 1
        self._pos = position + 1
        return self._text[start:position]

    def _value(self, path: KeyPath) -> None:
        self._skip(newlines=False)
        char = self._peek()
        if char == "[":
            self._pos += 1
            index = 0
            while True:
                self._skip(newlines=True)
                if self._peek() == "]":
                    self._pos += 1
                    return
                self._lines[(*path, index)] = self._line()
                self._value((*path, index))
                self._skip(newlines=True)
                if self._peek() == ",":
                    self._pos += 1
                    index += 1
                elif self._peek() != "]":  # not TOML after all: stop rather than loop
                    raise ValueError("unexpected text in an array")
        elif char == "{":
            self._pos += 1
            while True:
                self._skip(newlines=False)
                if self._peek() == "}":
                    self._pos += 1
                    return
                if self._peek() == ",":
                    self._pos += 1
                    continue
                key_path = (*path, *self._key())
                self._expect("=")
                self._lines[key_path] = self._line()
                self._value(key_path)
        elif char in "\"'":
            self._string()
        else:
            match = _SCALAR_END.search(self._text, self._pos)
            self._pos = match.start() if match else len(self._text)

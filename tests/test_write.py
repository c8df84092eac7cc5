"""Atomic output: a failed write leaves no partial file and the previous file intact."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen.errors import DocgenError
from docgen.write import write_atomic


def test_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [path.name for path in tmp_path.iterdir()] == ["out.docx"]


def test_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out.docx", b"x")
    finally:
        os.umask(previous)
    assert (tmp_path / "out.docx").stat().st_mode & 0o777 == 0o644


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(DocgenError) as caught:
        write_atomic(target, b"new")
    assert "原有文件未改动" in caught.value.problems[0].message
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["out.docx"]


def test_directory_as_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out.docx").mkdir()
    with pytest.raises(DocgenError) as caught:
        write_atomic(tmp_path / "out.docx", b"x")
    assert "是一个目录" in caught.value.problems[0].message

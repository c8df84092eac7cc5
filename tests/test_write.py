"""Atomic output: a failed write leaves no partial file and the previous file intact."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen.errors import DocgenError
from docgen.write import GroupCommit, captured, write_atomic


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


def test_captured_writes_appear_only_when_their_group_is_committed(tmp_path: Path, monkeypatch) -> None:
    syncs: list[str] = []
    monkeypatch.setattr(os, "sync", lambda: syncs.append("sync"))
    (tmp_path / "b.docx").write_bytes(b"old")
    with captured() as written:
        write_atomic(tmp_path / "a.docx", b"first")
        write_atomic(tmp_path / "b.docx", b"second")
    assert [target.name for _, target in written] == ["a.docx", "b.docx"]
    assert not (tmp_path / "a.docx").exists() and (tmp_path / "b.docx").read_bytes() == b"old"
    assert all(temporary.read_bytes() in (b"first", b"second") for temporary, _ in written)
    group = GroupCommit(size=10, seconds=3600)
    group.add(written)
    assert not (tmp_path / "a.docx").exists(), "a group stays open below its size"
    group.commit()
    assert syncs == ["sync"], "one sync for the whole group"
    assert (tmp_path / "a.docx").read_bytes() == b"first" and (tmp_path / "b.docx").read_bytes() == b"second"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.docx", "b.docx"]
    group.commit()
    assert syncs == ["sync"], "an empty group syncs nothing"


def test_a_group_closes_at_its_size(tmp_path: Path) -> None:
    group = GroupCommit(size=3, seconds=3600)
    for number in range(3):
        with captured() as written:
            write_atomic(tmp_path / f"{number}.docx", b"x")
        group.add(written)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["0.docx", "1.docx", "2.docx"]


def test_a_target_that_cannot_be_replaced_fails_alone(tmp_path: Path) -> None:
    with captured() as written:
        write_atomic(tmp_path / "kept.docx", b"kept")
        write_atomic(tmp_path / "blocked.docx", b"lost")
    (tmp_path / "blocked.docx").mkdir()  # made a folder (with content) after the check, before the rename
    (tmp_path / "blocked.docx" / "inside").write_text("x", encoding="utf-8")
    group = GroupCommit()
    group.add(written)
    group.commit()
    assert list(group.failed) == [tmp_path / "blocked.docx"]
    assert "blocked.docx" in group.failed[tmp_path / "blocked.docx"].message
    assert (tmp_path / "kept.docx").read_bytes() == b"kept"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["blocked.docx", "kept.docx"], "no temporary left"

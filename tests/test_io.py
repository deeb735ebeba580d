"""Atomic writes: whole files or nothing, with ordinary permissions."""

import os
import stat

import pytest

from edgecalc.io import write_atomic


def test_write_atomic_writes_and_replaces(tmp_path):
    path = tmp_path / "sub" / "out.md"
    write_atomic(path, "one")
    write_atomic(path, "two")
    assert path.read_text() == "two"
    assert [p.name for p in path.parent.iterdir()] == ["out.md"]  # no temporary left over


def test_new_file_gets_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "r.html", b"<html></html>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o644


def test_failed_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "keep.txt"
    path.write_text("old")
    with pytest.raises(TypeError):
        write_atomic(path, 12345)  # not str or bytes: the write fails
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]

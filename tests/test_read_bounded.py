"""edgecalc.io.read_bounded: regular files only, the size checked while reading."""

from __future__ import annotations

import os

import pytest

from edgecalc.io import FileReadError, read_bounded


def test_reads_a_small_regular_file(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"name: x\n")
    assert read_bounded(path, 100) == b"name: x\n"


def test_a_file_exactly_at_the_limit_is_read(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, 10) == b"x" * 10


def test_a_file_over_the_limit_is_refused_without_its_content(tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_bytes(b"api_token: hunter2\n" * 10)
    with pytest.raises(FileReadError) as err:
        read_bounded(path, 20)
    assert "limit of 20 bytes" in str(err.value)
    assert "hunter2" not in str(err.value)


def test_dev_zero_is_refused_at_once():
    with pytest.raises(FileReadError, match="not a regular file"):
        read_bounded("/dev/zero", 1024)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileReadError, match="not a regular file"):
        read_bounded(fifo, 1024)


def test_a_directory_and_a_missing_file_are_named(tmp_path):
    with pytest.raises(FileReadError, match="is a directory"):
        read_bounded(tmp_path, 1024)
    with pytest.raises(FileReadError, match="file not found"):
        read_bounded(tmp_path / "missing.yaml", 1024)

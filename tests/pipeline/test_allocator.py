"""Freed memory kept for the next Monte Carlo batch: done once, only where glibc is, and off on
request; no number depends on it."""

import sys

import pytest

from edgecalc.pipeline import allocator


def test_turned_off_by_the_environment_variable():
    assert allocator.keep_freed_memory({"EDGECALC_MALLOC_TUNING": "0"}) is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux's")
def test_on_linux_with_glibc_the_settings_are_taken_once():
    assert allocator.keep_freed_memory({}) is True
    assert allocator.keep_freed_memory({}) is True  # a second call asks glibc nothing more


def test_elsewhere_it_does_nothing(monkeypatch):
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator._apply() is False

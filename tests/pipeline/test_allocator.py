"""Freed memory kept for the next Monte Carlo batch: done once, only where glibc is, and off on
request; no number depends on it."""

import sys

import numpy as np
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


def _calls_to_keep_freed_memory(monkeypatch, samples):
    from edgecalc.pipeline import compute as compute_module
    from edgecalc.pipeline.prepare import prepare
    from edgecalc.pipeline.resolve import point_inputs
    from edgecalc.scenario import load_scenario

    calls = []
    monkeypatch.setattr(compute_module, "keep_freed_memory", lambda: calls.append(1))
    resolved = prepare(load_scenario("scenarios/factory-visual-qc.yaml"))
    x = point_inputs(resolved)
    # Monte Carlo's layout: inputs held at their point value keep shape (1,), the sampled
    # ones have one value a sample; the first input in the mapping is a held one
    first, sampled = next(iter(x)), "workload.inferences_per_second"
    assert first != sampled
    x[sampled] = np.full(samples, float(x[sampled][0]))
    compute_module.compute(resolved, x)
    return len(calls)


def test_a_large_engine_call_keeps_freed_memory_whatever_the_first_input(monkeypatch):
    # regression: the size was read off the first input, which may be a held one of shape (1,)
    assert _calls_to_keep_freed_memory(monkeypatch, allocator.MANY_SAMPLES) == 1


def test_a_small_engine_call_leaves_the_allocator_alone(monkeypatch):
    assert _calls_to_keep_freed_memory(monkeypatch, allocator.MANY_SAMPLES - 1) == 0

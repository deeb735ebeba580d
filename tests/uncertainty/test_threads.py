"""Batches on threads in this process: the same numbers as one after another, in batch order."""

import threading

import numpy as np
import pytest

import edgecalc.uncertainty.batches as batches_module
import edgecalc.uncertainty.simulate as simulate_module
from edgecalc.uncertainty.backend import InProcess, default_threads
from edgecalc.uncertainty.chunks import cache_batch_size
from edgecalc.uncertainty.simulate import simulate

SCENARIO = "tests/fixtures/uncertainty/volume.yaml"


def test_results_come_back_in_batch_order_whichever_finishes_first():
    release = threading.Event()

    def slow_first(_, batch):
        if batch == 0:
            release.wait(5)  # the first batch finishes last
        elif batch == 3:
            release.set()
        return batch * 10

    assert list(InProcess(threads=3).map_batches(slow_first, range(6))) == [0, 10, 20, 30, 40, 50]


def test_an_error_in_a_batch_comes_back_as_raised():
    def fails_on_two(_, batch):
        if batch == 2:
            raise ValueError("batch 2 is bad")
        return batch

    with pytest.raises(ValueError, match="batch 2 is bad"):
        list(InProcess(threads=2).map_batches(fails_on_two, range(5)))


@pytest.mark.parametrize("threads", [0, -1, 1.5, True])
def test_thread_counts_that_make_no_sense_are_refused(threads):
    with pytest.raises(ValueError, match="threads must be a whole number >= 1"):
        InProcess(threads=threads)


def test_the_memory_budget_is_shared_by_the_threads():
    assert InProcess(threads=2).batch_memory_bytes(100) == 50
    assert InProcess(threads=1).batch_memory_bytes(100) == 100
    assert 1 <= default_threads() <= 4


def test_simulate_on_three_threads_equals_one_thread_sample_for_sample():
    # 5,000 samples in batches of 2,000 (cache_batch_size of a 60-month horizon or less):
    # several batches, so the threads really share the run
    one = simulate(SCENARIO, samples=5_000, seed=3, scheduler=InProcess(threads=1))
    three = simulate(SCENARIO, samples=5_000, seed=3, scheduler=InProcess(threads=3))
    for option in one.options:
        assert np.array_equal(one.npv_usd[option], three.npv_usd[option])
        assert np.array_equal(one.total_usd[option], three.total_usd[option])
    assert np.array_equal(one.recommendation_codes, three.recommendation_codes)
    assert one.fan.equals(three.fan)


def test_cache_sized_batches_shrink_with_a_longer_horizon():
    # 2**20 bytes / (8 bytes x 120 months) = 1,092 samples: under one seed block of 2,000
    assert cache_batch_size(120, 2_000) == 1_092
    assert cache_batch_size(10_000, 2_000) == 500  # never below 500 samples
    with pytest.raises(ValueError, match="months must be >= 1"):
        cache_batch_size(0, 2_000)


def test_a_small_run_builds_its_fan_on_first_access_with_the_same_numbers(monkeypatch):
    from edgecalc.uncertainty import simulate as simulate_module

    lazy = simulate(SCENARIO, samples=3_000, seed=5)
    assert lazy._fan is None and set(lazy.fan_quantiles) == set(lazy.options)
    monkeypatch.setattr(simulate_module, "LAZY_FAN_SAMPLES", 100)  # 3,000 > 100: built at once
    eager = simulate(SCENARIO, samples=3_000, seed=5)
    assert eager._fan is not None and eager.fan_quantiles == {}
    assert lazy.fan.equals(eager.fan)
    assert lazy.fan_quantiles == {}  # let go once read
    assert list(lazy.fan.columns) == ["option", "month", "p5", "p10", "p50", "p90", "p95"]


def test_batches_after_the_pilot_started_early_give_the_same_fan(monkeypatch):
    # a pilot of 1,500 samples and batches of 500: on two threads, batches after the pilot
    # are evaluated while the pilot's last batches are read, and wait for its brackets only
    # to count; the fan and every sample equal those of one thread, one batch at a time
    monkeypatch.setattr(simulate_module, "PILOT_SIZE", 1_500)
    monkeypatch.setattr(simulate_module, "run_batch_size", lambda *args, **kwargs: 500)
    counted = []
    real = batches_module.evaluate_batch

    def noting(plan, task):
        result = real(plan, task)
        counted.append(result.fan_counts is not None)
        return result

    monkeypatch.setattr(simulate_module, "evaluate_batch", noting)
    one = simulate(SCENARIO, samples=6_000, seed=5, chunk_size=1_000, scheduler=InProcess(1))
    two = simulate(SCENARIO, samples=6_000, seed=5, chunk_size=1_000, scheduler=InProcess(2))
    for option in one.options:
        assert np.array_equal(one.npv_usd[option], two.npv_usd[option])
    assert one.fan.equals(two.fan)
    assert sorted(counted) == [False] * 6 + [True] * 18  # 3 pilot and 9 counted batches, twice


@pytest.mark.timeout(60)
def test_a_failed_pilot_batch_leaves_no_thread_waiting(monkeypatch):
    # the third of the pilot's three batches fails: the batches already started after the
    # pilot stop waiting for its brackets, the error comes back as raised, and the same
    # threads run the next simulation to the end
    monkeypatch.setattr(simulate_module, "PILOT_SIZE", 1_500)
    monkeypatch.setattr(simulate_module, "run_batch_size", lambda *args, **kwargs: 500)
    real = batches_module.evaluate_batch
    started_after_pilot = threading.Event()

    def failing(plan, task):
        if task.batch.start == 1_000:
            assert started_after_pilot.wait(5), "no batch after the pilot started early"
            raise ValueError("batch at 1,000 is bad")
        if task.batch.start >= 1_500:
            started_after_pilot.set()
        return real(plan, task)

    monkeypatch.setattr(simulate_module, "evaluate_batch", failing)
    with pytest.raises(ValueError, match="batch at 1,000 is bad"):
        simulate(SCENARIO, samples=6_000, seed=5, chunk_size=1_000, scheduler=InProcess(2))
    monkeypatch.setattr(simulate_module, "evaluate_batch", real)
    again = simulate(SCENARIO, samples=6_000, seed=5, chunk_size=1_000, scheduler=InProcess(2))
    alone = simulate(SCENARIO, samples=6_000, seed=5, chunk_size=1_000, scheduler=InProcess(1))
    assert again.fan.equals(alone.fan)


def test_a_nan_in_any_month_after_the_pilot_is_refused(monkeypatch):
    # a cost that turns NaN in month 5 of one sample (and stays NaN in the months after, as a
    # cumulative cost does) in the first batch counted against the pilot's brackets: refused,
    # never sorted into the fan; batches after the pilot are checked on their horizon month
    monkeypatch.setattr(simulate_module, "PILOT_SIZE", 1_500)
    monkeypatch.setattr(simulate_module, "run_batch_size", lambda *args, **kwargs: 500)
    real = batches_module.compute
    calls = []

    def nan_in_month_five(resolved, x):
        out = real(resolved, x)
        calls.append(max(len(v) for v in x.values()))
        if len(calls) == 4:  # one thread, one engine call a batch: the pilot's three, then this
            next(iter(out.options.values())).monthly_usd[0, 5] = np.nan
        return out

    monkeypatch.setattr(batches_module, "compute", nan_in_month_five)
    with pytest.raises(ValueError, match="samples contain NaN"):
        simulate(SCENARIO, samples=6_000, seed=5, chunk_size=1_000, scheduler=InProcess(1))
    assert calls[:4] == [500] * 4

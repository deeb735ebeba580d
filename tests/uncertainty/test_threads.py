"""Batches on threads in this process: the same numbers as one after another, in batch order."""

import threading

import numpy as np
import pytest

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

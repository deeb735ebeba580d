"""Evaluation batches are cut from memory and never change the numbers (issue 18)."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from edgecalc.catalog import load_catalog
from edgecalc.errors import EdgecalcError
from edgecalc.pipeline.compute import compute
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs
from edgecalc.scenario import load_scenario
from edgecalc.uncertainty import simulate as simulate_module
from edgecalc.uncertainty.chunks import (
    BATCH_HEADROOM,
    Chunk,
    available_memory_bytes,
    batch_memory_bytes,
    batch_size,
    blocks_in,
    bytes_per_sample,
    iter_batches,
)
from edgecalc.uncertainty.simulate import simulate
from edgecalc.uncertainty.summary import QuantileBrackets, StreamingQuantiles

VOLUME = Path(__file__).parent.parent / "fixtures" / "uncertainty" / "volume.yaml"


def _with_batch(monkeypatch, size: int | None):
    if size is not None:
        monkeypatch.setattr(simulate_module, "batch_size", lambda *args: size)


@pytest.fixture
def small_pilot(monkeypatch):
    # the fan's pilot ends inside the second seed block (1,500 of 5,000 samples), so the
    # counted pass (brackets set, counts merged) is exercised too
    monkeypatch.setattr(simulate_module, "PILOT_SIZE", 1_500)


@pytest.mark.parametrize("size", [1_000, 3_000, 500, 777])
def test_batch_size_does_not_change_any_number(monkeypatch, small_pilot, same_run, size):
    # seed blocks of 1,000; batches of one block, three blocks, half a block, and 777
    # samples (cutting blocks anywhere) give the same run as the memory-chosen batch size
    reference = simulate(VOLUME, samples=5_000, seed=11, chunk_size=1_000)
    _with_batch(monkeypatch, size)
    same_run(simulate(VOLUME, samples=5_000, seed=11, chunk_size=1_000), reference)


def test_batches_of_a_tiny_budget_give_the_same_numbers(small_pilot, same_run):
    # a 1 MB budget: about 1e6 / (1.5 x 50 kB) = 13 samples per engine call
    tiny = simulate(VOLUME, samples=2_000, seed=2, chunk_size=1_000, batch_memory_bytes=10**6)
    same_run(tiny, simulate(VOLUME, samples=2_000, seed=2, chunk_size=1_000))


def test_progress_counts_every_batch(monkeypatch):
    # 2,500 samples in batches of 1,000: done = 1,000, 2,000, then 2,500
    _with_batch(monkeypatch, 1_000)
    monkeypatch.setattr(simulate_module, "run_batch_size", lambda *a, **k: 1_000)
    seen = []
    simulate(VOLUME, samples=2_500, seed=4, chunk_size=1_000, progress=lambda *a: seen.append(a))
    assert seen == [(1_000, 2_500), (2_000, 2_500), (2_500, 2_500)]


def test_batches_cover_the_run_and_blocks_are_whole():
    assert [(b.start, b.stop) for b in iter_batches(0, 10, 4)] == [(0, 4), (4, 8), (8, 10)]
    # samples 3..8 of a 10-sample run in blocks of 4 touch blocks 0 [0, 4) and 1 [4, 8)
    assert [tuple(b) for b in blocks_in(Chunk(0, 3, 8), 10, 4)] == [(0, 0, 4), (1, 4, 8)]
    # the last block is short: [8, 10)
    assert [tuple(b) for b in blocks_in(Chunk(0, 9, 10), 10, 4)] == [(2, 8, 10)]
    with pytest.raises(ValueError):
        list(blocks_in(Chunk(0, 9, 11), 10, 4))
    with pytest.raises(ValueError):
        list(iter_batches(5, 4, 2))


def test_batch_size_from_memory_by_hand():
    # 40 kB per sample, x 1.5 headroom = 60 kB; 256 MB / 60 kB = 4,266 -> whole blocks: 4,000
    assert batch_size(40_000, 256 * 10**6, 2_000) == 4_000
    # 30 MB / 60 kB = 500: part of a block
    assert batch_size(40_000, 30 * 10**6, 2_000) == 500
    # never below one sample
    assert batch_size(10**9, 1, 2_000) == 1
    with pytest.raises(ValueError):
        batch_size(0, 10**6, 2_000)


def test_memory_budget_default_override_and_environment(tmp_path):
    assert batch_memory_bytes(5_000) == 5_000
    assert batch_memory_bytes(environ={"EDGECALC_BATCH_MEMORY_MB": "64"}) == 64 * 10**6
    default = batch_memory_bytes(environ={})
    assert 1 <= default <= 256 * 10**6
    for bad in ("lots", "0", "nan", "-5"):
        with pytest.raises(EdgecalcError, match="EDGECALC_BATCH_MEMORY_MB"):
            batch_memory_bytes(environ={"EDGECALC_BATCH_MEMORY_MB": bad})
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:  16000000 kB\nMemAvailable:  2000000 kB\n")
    assert available_memory_bytes(meminfo) == 2_000_000 * 1024


PORTFOLIO = Path(__file__).parents[2] / "scenarios" / "store-portfolio.yaml"


def _portfolio_copies(folder: Path, copies: int) -> Path:
    """store-portfolio with each of its 40 site groups repeated ``copies`` times (2 sites a
    group, to stay within the sites a scenario may stand for), in ``folder``."""
    shutil.copytree(PORTFOLIO.parent / "base", folder / "base")
    shutil.copy(PORTFOLIO, folder / PORTFOLIO.name)
    lines = (PORTFOLIO.parent / "store-portfolio.csv").read_text().splitlines()
    rows = [lines[0]]
    for k in range(copies):
        for row in lines[1:]:
            name, _count, rest = row.split(",", 2)
            rows.append(f"{name}-{k},2,{rest}")
    (folder / "store-portfolio.csv").write_text("\n".join(rows) + "\n")
    return folder / PORTFOLIO.name


@pytest.mark.parametrize(
    ("copies", "samples"),
    [(None, 500), (0, 500), (10, 50)],
    ids=["one group", "40 linked groups", "400 linked groups"],
)
def test_bytes_per_sample_from_the_point_estimate_bounds_a_real_batch(tmp_path, copies, samples):
    # the estimate (arrays of the point estimate, S = 1, and for linked groups the link traffic
    # held during the call) times the headroom is at least what tracemalloc sees numpy allocate
    # per sample over a batch; before the link traffic was counted the portfolio's batches took
    # 2.2 times their estimate
    path = VOLUME if copies is None else PORTFOLIO
    if copies:
        path = _portfolio_copies(tmp_path, copies)
    resolved = prepare(load_scenario(path), load_catalog(), path.parent)
    assert len(resolved.groups) == (1 if copies is None else 40 * max(copies, 1))
    point = point_inputs(resolved)
    point_out = compute(resolved, point)
    estimate = bytes_per_sample(point_out, point, resolved.groups, len(point_out.months))
    x = {p: np.repeat(values, samples) for p, values in point.items()}
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        out = compute(resolved, x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del out
    per_sample = (peak - before) / samples
    assert per_sample <= BATCH_HEADROOM * estimate
    assert estimate < 20 * per_sample  # and not absurdly large


def test_fan_counts_merge_in_any_order_to_the_streamed_percentiles():
    rng = np.random.default_rng(5)
    x = rng.lognormal(size=(4_000, 6))
    streamed = StreamingQuantiles(pilot_size=1_000)
    for start in range(0, 4_000, 500):
        streamed.update(x[start : start + 500])
    merged = StreamingQuantiles(pilot_size=1_000)
    merged.update(x[:1_000])
    brackets: QuantileBrackets = merged.brackets
    blocks = [brackets.count(x[start : start + 300]) for start in range(1_000, 4_000, 300)]
    for k in rng.permutation(len(blocks)):  # counted anywhere, added in any order
        merged.add_counts(blocks[k])
    assert merged.n == 4_000
    np.testing.assert_array_equal(merged.result(), streamed.result())
    np.testing.assert_allclose(
        merged.result(), np.percentile(x, (5, 10, 50, 90, 95), axis=0), rtol=1e-12
    )
    with pytest.raises(RuntimeError, match="pilot"):
        StreamingQuantiles(pilot_size=10).add_counts(blocks[0])


@pytest.mark.parametrize(("slice_size", "slices"), [(777, 3), (500, 4), (1_000, 2)])
def test_batches_of_several_engine_slices_give_the_same_numbers(
    monkeypatch, small_pilot, same_run, slice_size, slices
):
    # each batch runs the engine on several slices and counts the fan once: a batch of 2,331
    # samples in slices of 777 gives the same run as the memory-chosen cut
    reference = simulate(VOLUME, samples=5_000, seed=11, chunk_size=1_000)
    _with_batch(monkeypatch, slice_size)
    monkeypatch.setattr(simulate_module, "run_batch_size", lambda *a, **k: slices * slice_size)
    same_run(simulate(VOLUME, samples=5_000, seed=11, chunk_size=1_000), reference)


def test_large_runs_take_several_slices_a_batch_and_small_runs_one():
    from edgecalc.uncertainty.chunks import run_batch_size

    # 1,000,000 // (4 x 2 x 2,000) = 62 slices, at most 10: 20,000 samples a batch
    assert run_batch_size(1_000_000, 2_000, 2) == 20_000
    # 10,000 // 16,000 = 0 -> a small run: one batch per thread, 10,000 / 2 = 5,000 samples
    # (engine calls of 2,000, 2,000 and 1,000 within it)
    assert run_batch_size(10_000, 2_000, 2) == 5_000
    assert run_batch_size(10_000, 2_000, 1) == 10_000
    assert run_batch_size(10_001, 2_000, 2) == 5_001
    assert run_batch_size(1, 2_000, 4) == 1
    assert run_batch_size(3, 2_000, 4) == 1  # more threads than samples: batches of one
    # a small run whose per-sample results of only 3,000 samples fit: 4 batches, 2 a thread
    assert run_batch_size(10_000, 2_000, 2, memory_samples=3_000) == 2_500
    # memory for the per-sample results of only 5,000 samples: two slices
    assert run_batch_size(1_000_000, 2_000, 2, memory_samples=5_000) == 4_000


def test_cumulative_month_by_month_and_break_even_on_it_equal_the_sample_major_ones():
    from edgecalc.costs.finance import break_even_month, dearer_threshold
    from edgecalc.uncertainty.batches import _cumulative_by_month

    rng = np.random.default_rng(5)
    for trial in range(100):
        samples, months = int(rng.integers(1, 40)), int(rng.integers(1, 30))
        a = rng.normal(size=(samples, months)) * 100
        b = rng.normal(size=(samples, months)) * 100
        a[:, 0] += 500 * (trial % 2)  # half the pairs: A dearer up front, then cheaper
        by_month_a, by_month_b = _cumulative_by_month([a, b])
        assert np.array_equal(by_month_a.T, np.cumsum(a, axis=-1))  # to the last bit
        expected = break_even_month(np.cumsum(a, axis=-1), np.cumsum(b, axis=-1))
        got = break_even_month(by_month_a, by_month_b, dearer_threshold(by_month_b), axis=0)
        assert np.array_equal(got, expected, equal_nan=True)


def _bits(x: np.ndarray) -> np.ndarray:
    """The float64 values as their bit patterns: equal arrays are equal to the last bit, NaN
    payload and the sign of zero included."""
    return np.ascontiguousarray(x, dtype=float).view(np.uint64)


def _special(rng, shape) -> np.ndarray:
    """Monthly costs with ties, zeros of either sign, NaN, infinities and subnormals."""
    x = np.round(rng.normal(size=shape) * 100, 0)  # whole dollars: ties
    pick = rng.random(shape)
    x[pick < 0.03] = np.nan
    x[(pick >= 0.03) & (pick < 0.05)] = np.inf
    x[(pick >= 0.05) & (pick < 0.06)] = -np.inf
    x[(pick >= 0.06) & (pick < 0.10)] = -0.0
    x[(pick >= 0.10) & (pick < 0.14)] = 0.0
    x[(pick >= 0.14) & (pick < 0.15)] = 5e-324
    return x


def _cumulative_row_by_row(monthly: np.ndarray, samples: int) -> np.ndarray:
    """Month-major cumulative cost as it was first computed: the transpose, then each month
    plus the one before, one option at a time."""
    out = np.empty((monthly.shape[-1], samples))
    out[...] = monthly.T
    for month in range(1, out.shape[0]):
        out[month] += out[month - 1]
    return out


@pytest.mark.parametrize("samples", [1, 7, 255, 256, 257, 601])
def test_cumulative_by_month_of_several_options_is_the_row_by_row_sum_bit_for_bit(samples):
    # the values of cumsum, NaN where it has NaN; the very bits (the sign and payload of a
    # NaN made of two NaN too) of the month-by-month additions it replaces
    from edgecalc.uncertainty.batches import _TRANSPOSE_BLOCK, _cumulative_by_month

    assert _TRANSPOSE_BLOCK == 256  # the sample counts above cut its blocks anywhere
    rng = np.random.default_rng(samples)
    months = 13
    monthly = [_special(rng, (samples, months)) for _ in range(3)]
    monthly.append(_special(rng, (1, months)))  # an option of point values: one row
    batch = np.full((len(monthly), months, samples + 9), 7.0)  # the slice: columns 4 to -5
    with np.errstate(invalid="ignore"):  # inf - inf: NaN, as cumsum makes it
        out = _cumulative_by_month(monthly, batch[:, :, 4 : 4 + samples])
        (one,) = _cumulative_by_month(monthly[:1])  # one option, an array of its own
        expected = [_cumulative_row_by_row(costs, samples) for costs in monthly]
        cumsum = [np.cumsum(np.broadcast_to(c, (samples, months)), axis=-1).T for c in monthly]
    assert out.base is batch
    for got, reference, values in zip(out, expected, cumsum, strict=True):
        assert np.array_equal(_bits(got), _bits(reference))
        assert np.array_equal(got, values, equal_nan=True)
    assert (batch[:, :, :4] == 7.0).all() and (batch[:, :, 4 + samples :] == 7.0).all()
    assert one.shape == (months, samples)
    assert np.array_equal(_bits(one), _bits(expected[0]))


def _break_even_by_formula(a, b):
    """break_even_month (axis 0) with the threshold written as the formula reads."""
    from edgecalc.costs.finance import break_even_month

    return break_even_month(a, b, b + 1e-9 * np.maximum(np.abs(b), 1.0), axis=0)


@pytest.mark.parametrize(
    ("options", "months", "samples", "start"),
    [(3, 60, 2_000, 0), (3, 60, 257, 300), (2, 1, 5, 1), (4, 2, 1, 3), (3, 300, 33, 10)],
)
def test_break_even_of_a_slice_is_break_even_month_bit_for_bit(options, months, samples, start):
    from edgecalc.uncertainty.batches import _break_even_of_slice

    rng = np.random.default_rng(months * samples)
    with np.errstate(invalid="ignore"):  # inf - inf: NaN
        batch = np.cumsum(_special(rng, (options, months, start + samples + 4)), axis=1)
    base = np.cumsum(rng.normal(size=(months, batch.shape[2])) * 50 + 100, axis=0)
    # near ties: above the other option by less than its tolerance (1e-9 relative), by one
    # ulp, by exactly the tolerance, and exactly equal, from some month on
    batch[0] = base
    if options > 1:
        tolerance = 1e-9 * np.maximum(np.abs(base), 1.0)
        batch[1] = base + tolerance * rng.choice([0.0, 0.5, 1.0, 1.5], size=base.shape)
        batch[1, :, ::3] = np.nextafter(base[:, ::3], np.inf)
    if options > 2:
        batch[2, months // 2 :] = base[months // 2 :] * (1 + 4e-10)
    pairs = [(i, j) for i in range(options) for j in range(options) if i != j]
    columns = slice(start, start + samples)
    with np.errstate(invalid="ignore"):  # the threshold of -inf: -inf + inf, NaN
        got = _break_even_of_slice(batch, start, samples, pairs)
        expected = [_break_even_by_formula(batch[i][:, columns], batch[j][:, columns])
                    for i, j in pairs]  # fmt: skip
    assert got.shape == (len(pairs), samples)
    for row, reference in zip(got, expected, strict=True):
        assert np.array_equal(_bits(row), _bits(reference))


def test_break_even_of_a_slice_checks_near_ties_with_the_thresholds():
    from edgecalc.uncertainty.batches import _break_even_of_slice

    # A is above B in every month, by less than B's tolerance from month 2 on: never dearer
    # after month 1 (break-even 2) although A > B to the horizon; one sample, and a sample
    # where A is dearer (beyond the tolerance) to the end (NaN)
    b = np.array([[100.0, 100.0], [200.0, 200.0], [300.0, 300.0], [400.0, 400.0]])
    a = b.copy()
    a[:2, 0] += 1.0
    a[2:, 0] += 1e-8  # 1e-9 x 300 = 3e-7 is the tolerance there
    a[:, 1] += 1.0
    stacked = np.stack([a, b])
    got = _break_even_of_slice(stacked, 0, 2, [(0, 1), (1, 0)])
    assert np.array_equal(got, [[2.0, np.nan], [0.0, 0.0]], equal_nan=True)
    assert _break_even_of_slice(stacked[:1], 0, 2, []).shape == (0, 2)  # one option


def test_a_slice_s_arrays_must_be_rows_of_one_array():
    from edgecalc.uncertainty.batches import _stacked

    stacked = np.zeros((2, 3, 4))
    assert _stacked(dict(zip("ab", stacked, strict=True)), ("a", "b")) is stacked
    with pytest.raises(ValueError, match="rows of one array"):
        _stacked(dict(zip("ba", stacked, strict=True)), ("a", "b"))
    with pytest.raises(ValueError, match="rows of one array"):
        _stacked({"a": np.zeros((3, 4)), "b": np.zeros((3, 4))}, ("a", "b"))


def test_counts_of_a_batch_sort_its_arrays_in_place_and_count_as_count_columns():
    from edgecalc.uncertainty.batches import _counts

    rng = np.random.default_rng(3)
    pilot = np.round(rng.normal(size=(2, 5, 400)), 1)  # rounded: ties on the brackets
    pilot.sort(axis=2)
    brackets = {
        o: QuantileBrackets.from_pilot(p, (5, 50, 95), z=1.0)
        for o, p in zip("xy", pilot, strict=True)
    }
    stacked = np.round(rng.normal(size=(2, 5, 301)), 1)
    stacked[0, 2, :7] = -0.0
    by_month = dict(zip("xy", stacked, strict=True))
    expected = {o: brackets[o].count_columns(v.copy()) for o, v in by_month.items()}
    got = _counts(brackets, by_month)
    for o, values in by_month.items():
        assert np.array_equal(values, np.sort(values, axis=1))  # sorted where it lies
        mine, theirs = got[o], expected[o]
        assert mine.n == theirs.n == 301
        for name in ("below", "at_a", "at_b"):
            assert np.array_equal(getattr(mine, name), getattr(theirs, name))
        for kept, reference in zip(mine.inside, theirs.inside, strict=True):
            for a, b in zip(kept, reference, strict=True):
                assert np.array_equal(_bits(np.concatenate(a)), _bits(np.concatenate(b)))

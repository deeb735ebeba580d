"""Summaries: percentiles, fan, cheapest option, stability, streaming quantiles."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from edgecalc.uncertainty.summary import (
    QuantileBrackets,
    StreamingQuantiles,
    fan,
    percentiles,
    probability_cheapest,
    stability,
)


def test_percentiles_hand_worked():
    # 1..5: P10 at virtual index 0.1 * 4 = 0.4 -> 1 + 0.4 = 1.4; P50 at index 2 -> 3
    assert percentiles([1, 2, 3, 4, 5], qs=(10, 50)) == pytest.approx([1.4, 3.0])


def test_fan_has_one_row_per_month_and_ordered_bands():
    # sample i costs 10 * (i + 1) per month, i = 0..100: month m cumulative = 10 (i + 1)(m + 1).
    # P50 over i = 0..100 is at i = 50, so month m: 510 (m + 1); P5 at i = 5: 60 (m + 1).
    i = np.arange(101)[:, None]
    m = np.arange(12)[None, :]
    cumulative_usd = 10.0 * (i + 1) * (m + 1)
    frame = fan(cumulative_usd)
    assert list(frame.columns) == ["month", "p5", "p10", "p50", "p90", "p95"]
    assert list(frame["month"]) == list(range(12))
    assert frame["p50"].to_numpy() == pytest.approx(510 * (np.arange(12) + 1))
    assert frame["p5"].to_numpy() == pytest.approx(60 * (np.arange(12) + 1))
    bands = frame[["p5", "p10", "p50", "p90", "p95"]].to_numpy()
    assert np.all(np.diff(bands, axis=1) >= 0)


def test_probability_cheapest_ignores_infeasible_and_splits_ties():
    total_usd = {
        "cloud": np.array([100.0, 300.0, 200.0, 50.0]),
        "edge": np.array([150.0, 100.0, 200.0, 10.0]),
        "hybrid": np.array([90.0, 500.0, 200.0, 20.0]),
    }
    feasible = {
        "cloud": True,
        "edge": np.array([True, True, True, False]),
        "hybrid": np.array([False, True, True, False]),
    }
    # sample 0: hybrid infeasible -> cloud (100 < 150); sample 1: edge (100);
    # sample 2: three-way tie at 200 -> 1/3 each; sample 3: only cloud feasible -> cloud.
    # cloud = (1 + 0 + 1/3 + 1) / 4 = 7/12; edge = (0 + 1 + 1/3 + 0) / 4 = 1/3; hybrid = 1/12
    result = probability_cheapest(total_usd, feasible)
    assert result == pytest.approx({"cloud": 7 / 12, "edge": 1 / 3, "hybrid": 1 / 12})


def test_probability_cheapest_when_nothing_is_feasible():
    # sample 1 has no feasible option, so the probabilities sum to 1/2
    result = probability_cheapest(
        {"cloud": [1.0, 1.0], "edge": [2.0, 0.5]},
        {"cloud": [True, False], "edge": [False, False]},
    )
    assert result == {"cloud": 0.5, "edge": 0.0}


def test_probability_cheapest_rejects_mismatched_options():
    with pytest.raises(ValueError, match="different options"):
        probability_cheapest({"cloud": [1.0]}, {"edge": [True]})


@settings(max_examples=50)
@given(
    arrays(float, (3, 20), elements=st.floats(0, 1e6)),
    arrays(bool, (3, 20)),
)
def test_probabilities_sum_to_share_with_a_feasible_option(costs, allowed):
    options = ["cloud", "edge", "hybrid"]
    result = probability_cheapest(
        dict(zip(options, costs, strict=True)), dict(zip(options, allowed, strict=True))
    )
    assert sum(result.values()) == pytest.approx(allowed.any(axis=0).mean())
    for option, row in zip(options, allowed, strict=True):
        assert 0 <= result[option] <= row.mean() + 1e-12


def test_stability_is_share_of_agreeing_samples():
    # 3 of 4 samples agree with the point recommendation
    assert stability(np.array(["cloud", "edge", "cloud", "cloud"]), "cloud") == 0.75
    assert stability(["none", "none"], "edge") == 0.0


def _stream(x, chunk_size, **kwargs):
    stream = StreamingQuantiles(**kwargs)
    for start in range(0, x.shape[0], chunk_size):
        stream.update(x[start : start + chunk_size])
    return stream


def test_streaming_quantiles_equal_numpy_on_data_that_fits():
    # 200,000 lognormal-ish cumulative costs over 24 months, streamed in chunks of 15,000
    rng = np.random.default_rng(21)
    monthly_usd = rng.lognormal(mean=8, sigma=0.6, size=(200_000, 24))
    cumulative_usd = np.cumsum(monthly_usd, axis=1)
    stream = _stream(cumulative_usd, 15_000, pilot_size=40_000)
    expected = np.percentile(cumulative_usd, [5, 10, 50, 90, 95], axis=0)
    np.testing.assert_allclose(stream.result(), expected, rtol=1e-12)
    # the brackets hold a small share of the 4.8 million values
    assert stream.stored_values < 0.25 * cumulative_usd.size


def test_streaming_quantiles_with_ties_and_constant_columns():
    # column 0 constant, column 1 three distinct values, column 2 continuous
    rng = np.random.default_rng(22)
    n = 50_000
    x = np.column_stack([np.full(n, 7.0), rng.integers(0, 3, n).astype(float), rng.normal(size=n)])
    stream = _stream(x, 4_000, pilot_size=10_000, qs=(0, 5, 50, 95, 100))
    expected = np.percentile(x, [0, 5, 50, 95, 100], axis=0)
    np.testing.assert_allclose(stream.result(), expected, rtol=1e-12)
    assert stream.stored_values < 0.2 * x.size


def test_streaming_quantiles_small_run_stays_in_the_pilot():
    x = np.arange(10.0)[:, None]
    stream = _stream(x, 3)
    assert stream.result()[:, 0] == pytest.approx(np.percentile(x[:, 0], [5, 10, 50, 90, 95]))
    assert list(stream.fan().columns) == ["month", "p5", "p10", "p50", "p90", "p95"]


def test_streaming_quantiles_raise_when_the_pilot_misleads():
    # a pilot of zeros and then only large values: the P50 bracket cannot hold the median
    stream = StreamingQuantiles(pilot_size=1_000)
    stream.update(np.zeros((1_000, 1)))
    stream.update(np.full((9_000, 1), 5.0) + np.arange(9_000)[:, None])
    with pytest.raises(RuntimeError, match="increase pilot_size"):
        stream.result()


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        float,
        st.tuples(st.integers(1, 300), st.integers(1, 12)),
        elements=st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 1)),
    ),
    st.lists(st.floats(0, 100), min_size=1, max_size=6),
    st.sampled_from([0, 1]),
)
def test_percentiles_of_a_table_equal_numpy_value_for_value(x, qs, axis):
    # the fan's percentiles come from one sort per month, not numpy.percentile: the same numbers
    assert np.array_equal(percentiles(x, qs, axis=axis), np.percentile(x, qs, axis=axis))


def _brute_counts(brackets: QuantileBrackets, block: np.ndarray):
    """The counts by their definition, one comparison at a time."""
    by_column = block.T
    out = []
    for i in range(len(brackets.qs)):
        a, b = brackets.a[i][:, None], brackets.b[i][:, None]
        below = by_column < a
        at_a = by_column == a
        inside = (by_column > a) & (by_column < b)
        out.append(
            (
                below.sum(axis=1).tolist(),
                at_a.sum(axis=1).tolist(),
                ((by_column == b) & (b > a)).sum(axis=1).tolist(),
                [sorted(col[m].tolist()) for col, m in zip(by_column, inside, strict=True)],
            )
        )
    return out


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(20, 400), st.integers(1, 6))
def test_bracket_counts_are_the_counts_by_definition(seed, n, columns):
    rng = np.random.default_rng(seed)
    pilot = np.round(rng.normal(size=(columns, 200)), 1)  # rounded: ties on the brackets
    pilot.sort(axis=1)
    brackets = QuantileBrackets.from_pilot(pilot, (5, 50, 95), z=1.0)
    block = np.round(rng.normal(size=(n, columns)), 1)
    counts = brackets.count(block)
    for i, (below, at_a, at_b, inside) in enumerate(_brute_counts(brackets, block)):
        assert counts.below[i].tolist() == below
        assert counts.at_a[i].tolist() == at_a
        assert counts.at_b[i].tolist() == at_b
        got = [sorted(np.concatenate(c).tolist()) for c in counts.inside[i]]
        assert got == inside


def test_bracket_counts_with_open_and_closed_brackets():
    # a bracket off the pilot (-inf or +inf), one closed on a value (a == b: its values are
    # counted on a, none kept) and ties on the bounds; the block sorted or as it comes
    a = np.array([[-np.inf, 0.0, 1.0], [0.5, 0.5, -np.inf]])
    b = np.array([[0.0, 0.5, 1.0], [np.inf, 0.5, 2.0]])
    brackets = QuantileBrackets((10, 90), a, b)
    rng = np.random.default_rng(4)
    block = rng.choice([-1.0, -0.0, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0, np.inf, -np.inf], (301, 3))
    for counts in (brackets.count(block), brackets.count_columns(np.sort(block.T), True)):
        assert counts.n == 301
        for i, (below, at_a, at_b, inside) in enumerate(_brute_counts(brackets, block)):
            assert counts.below[i].tolist() == below
            assert counts.at_a[i].tolist() == at_a
            assert counts.at_b[i].tolist() == at_b
            assert [sorted(np.concatenate(c).tolist()) for c in counts.inside[i]] == inside

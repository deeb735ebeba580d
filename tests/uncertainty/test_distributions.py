"""Ranges to distributions: analytic percentiles, medians, bounds, seeds."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edgecalc.uncertainty.distributions import (
    Z_95,
    RangeSet,
    cdf,
    median_of,
    ppf,
    resolve_dist,
    sample,
)


def test_lognormal_range_sampled_percentiles_match_analytic():
    # low=20, high=60 is a 90% interval: median = sqrt(20 * 60) = sqrt(1200) = 34.641,
    # sigma = ln(60 / 20) / (2 * 1.6448536) = 1.0986123 / 3.2897072 = 0.333954.
    # So P5 = 20, P50 = 34.641, P95 = 60 exactly.
    median = np.sqrt(1200)
    sigma = np.log(3) / (2 * 1.6448536)
    assert median == pytest.approx(34.641, abs=5e-4)
    assert sigma == pytest.approx(0.333954, abs=5e-7)
    x = sample(200_000, 20, 60, rng=np.random.default_rng(1))
    p5, p50, p95 = np.percentile(x, [5, 50, 95])
    assert p5 == pytest.approx(20, rel=0.01)
    assert p50 == pytest.approx(median, rel=0.01)
    assert p95 == pytest.approx(60, rel=0.01)
    assert np.std(np.log(x)) == pytest.approx(sigma, rel=0.01)


def test_lognormal_ppf_is_analytic():
    # ppf(0.05) = exp(ln 34.641 - 0.33396 * 1.6448536) = 20; ppf(0.95) = 60
    assert ppf([0.05, 0.5, 0.95], 20, 60) == pytest.approx([20, np.sqrt(1200), 60], rel=1e-12)
    assert Z_95 == pytest.approx(1.6448536, abs=1e-7)


def test_default_dist_is_lognormal_when_positive_and_normal_otherwise():
    assert resolve_dist(20, 60) == "lognormal"
    assert resolve_dist(0, 60) == "normal"
    assert resolve_dist(-5, 5) == "normal"


def test_normal_median_is_midpoint_and_interval_is_90_percent():
    # normal -10..30: mean = (-10 + 30) / 2 = 10; sd = 40 / (2 * 1.6448536) = 12.159
    assert median_of(-10, 30) == pytest.approx(10.0)
    assert ppf([0.05, 0.95], -10, 30) == pytest.approx([-10, 30], rel=1e-12)
    x = sample(200_000, -10, 30, rng=np.random.default_rng(2))
    assert np.std(x) == pytest.approx(40 / (2 * 1.6448536), rel=0.01)


def test_triangular_medians():
    # symmetric 0..10 (mode default 5): median 5
    assert median_of(0, 10, "triangular") == pytest.approx(5.0)
    # mode 10 on 0..10: c >= midpoint, median = a + sqrt((b - a)(c - a) / 2) = sqrt(50) = 7.0711
    assert median_of(0, 10, "triangular", mode=10) == pytest.approx(np.sqrt(50))
    # mode 2 on 0..10: c < midpoint, median = b - sqrt((b - a)(b - c) / 2) = 10 - sqrt(40) = 3.6754
    assert median_of(0, 10, "triangular", mode=2) == pytest.approx(10 - np.sqrt(40))
    x = sample(200_000, 0, 10, "triangular", mode=2, rng=np.random.default_rng(3))
    assert np.median(x) == pytest.approx(10 - np.sqrt(40), rel=0.01)
    # mean of a triangular is (a + b + c) / 3 = 12 / 3 = 4
    assert np.mean(x) == pytest.approx(4.0, rel=0.01)


def test_uniform_is_flat_on_its_support():
    assert median_of(2, 8, "uniform") == 5.0
    assert ppf([0, 0.25, 1], 2, 8, "uniform") == pytest.approx([2, 3.5, 8])


def test_bounds_are_respected_and_truncate_rather_than_clip():
    x = sample(100_000, -10, 30, min=0, max=25, rng=np.random.default_rng(4))
    assert x.min() >= 0 and x.max() <= 25
    # truncation, not clipping: no pile-up of samples exactly at the bounds
    assert np.count_nonzero(x == 0) == 0 and np.count_nonzero(x == 25) == 0
    # the truncated median is the ppf(0.5) of the truncated distribution
    assert np.median(x) == pytest.approx(median_of(-10, 30, min=0, max=25), rel=0.01)


def test_truncated_cdf_inverts_ppf():
    q = np.linspace(0.01, 0.99, 50)
    x = ppf(q, 20, 60, min=25, max=100)
    assert cdf(x, 20, 60, min=25, max=100) == pytest.approx(q, abs=1e-9)


def test_same_seed_same_samples_and_different_seed_different_samples():
    a = sample(1000, 20, 60, rng=np.random.default_rng(7))
    b = sample(1000, 20, 60, rng=np.random.default_rng(7))
    c = sample(1000, 20, 60, rng=np.random.default_rng(8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_point_range_is_constant():
    assert sample(5, 3, 3, rng=np.random.default_rng(0)) == pytest.approx([3] * 5)
    assert median_of(3, 3) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"low": 60, "high": 20}, "low <= high"),
        ({"low": -1, "high": 5, "dist": "lognormal"}, "lognormal range needs low > 0"),
        ({"low": 0, "high": 5, "dist": "gamma"}, "unknown dist"),
        ({"low": 0, "high": 5, "dist": "triangular", "mode": 6}, "outside"),
        ({"low": 0, "high": 5, "dist": "uniform", "mode": 2}, "triangular range only"),
        ({"low": 0, "high": 5, "dist": "uniform", "min": 6, "max": 9}, "keep almost none"),
        ({"low": 0, "high": 5, "min": 3, "max": 3}, "min < max"),
    ],
)
def test_invalid_ranges_are_rejected_with_a_reason(kwargs, message):
    with pytest.raises(ValueError, match=message):
        median_of(**kwargs)


ranges = st.sampled_from(
    [
        (20.0, 60.0, None, None),
        (-10.0, 30.0, None, None),
        (0.0, 10.0, "triangular", 2.0),
        (0.0, 10.0, "triangular", 0.0),
        (1.0, 4.0, "uniform", None),
        (0.5, 500.0, "lognormal", None),
    ]
)


@given(ranges, st.lists(st.floats(0, 1), min_size=2, max_size=20))
def test_ppf_is_monotone_and_bounded(rng_range, qs):
    low, high, dist, mode = rng_range
    q = np.sort(np.asarray(qs))
    x = ppf(q, low, high, dist, mode, min=low / 2 if low > 0 else low - 1, max=2 * high)
    assert np.all(np.diff(x) >= 0)
    assert np.all(x >= (low / 2 if low > 0 else low - 1)) and np.all(x <= 2 * high)


@given(ranges)
def test_median_is_ppf_at_one_half_and_cdf_there_is_one_half(rng_range):
    low, high, dist, mode = rng_range
    m = median_of(low, high, dist, mode)
    assert cdf(m, low, high, dist, mode) == pytest.approx(0.5, abs=1e-12)


RANGE_ROWS = [
    (20.0, 60.0, None, None, None, None),  # lognormal, unbounded
    (20.0, 60.0, "lognormal", None, 25.0, 50.0),  # lognormal, bounded both ways
    (-10.0, 30.0, None, None, None, None),  # normal (low <= 0)
    (0.5, 0.9, "normal", None, 0.0, 1.0),  # normal, bounded to a fraction
    (0.0, 10.0, "uniform", None, None, None),
    (0.0, 10.0, "uniform", None, 2.0, None),
    (0.0, 10.0, "triangular", 7.0, None, None),
    (0.0, 10.0, "triangular", None, None, 8.0),
    (5.0, 5.0, None, None, None, None),  # a point
    (100.0, 400.0, None, None, None, 300.0),  # lognormal, bounded above
]


def test_a_range_set_gives_each_row_what_ppf_gives_it_to_the_last_bit():
    rng = np.random.default_rng(7)
    q = rng.random((len(RANGE_ROWS), 1_001))
    q[:, 0], q[:, 1] = 0.0, 1.0  # the ends of the support, infinite where unbounded
    together = RangeSet(RANGE_ROWS).ppf(q)
    for row, (low, high, dist, mode, lo, hi) in enumerate(RANGE_ROWS):
        alone = ppf(q[row], low, high, dist, mode, lo, hi)
        assert np.array_equal(together[row], alone, equal_nan=True), RANGE_ROWS[row]


@pytest.mark.parametrize(
    ("rows", "q", "message"),
    [
        ([(1.0, 2.0, None, None, None, None)], np.array([[0.5, np.nan]]), "in \\[0, 1\\]"),
        ([(1.0, 2.0, None, None, None, None)], np.array([[1.5]]), "in \\[0, 1\\]"),
        ([(1.0, 2.0, None, None, None, None)], np.array([0.5]), "shape \\(1, n\\)"),
        ([(0.0, 5.0, "uniform", None, 6.0, 9.0)], np.array([[0.5]]), "keep almost none"),
        ([(5.0, 5.0, None, None, 6.0, None)], np.array([[0.5]]), "lies outside"),
        ([(-1.0, 2.0, "lognormal", None, None, None)], np.array([[0.5]]), "needs low > 0"),
    ],
)
def test_a_range_set_refuses_what_ppf_refuses(rows, q, message):
    with pytest.raises(ValueError, match=message):
        RangeSet(rows).ppf(q)

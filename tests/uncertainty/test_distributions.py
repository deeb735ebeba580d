"""Ranges to distributions: analytic percentiles, medians, bounds, seeds."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import ndtri

from edgecalc.uncertainty.distributions import (
    Z_95,
    RangeSet,
    _bound_masses,
    _key,
    _lognormal_params,
    _mode,
    _normal_params,
    _untruncated_rows,
    cdf,
    fill_uniforms,
    median_of,
    ppf,
    resolve_dist,
    sample,
    uniforms,
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


# --------------------------------------------------------------------------- the in-place paths


def _textbook_ppf(rows, q):
    """``RangeSet.ppf`` as first written, the oracle of the in-place paths: per distribution,
    the rows' parameters from the scalar helpers, ``F(min) + q (F(max) - F(min))`` and the
    inverse CDF in fresh arrays (``_untruncated_rows``), one ``numpy.clip`` over the rows."""
    out = np.empty(q.shape)
    groups: dict[str, list] = {}
    for i, (low, high, dist, mode, lo, hi) in enumerate(rows):
        dist = resolve_dist(low, high, dist, mode)
        lower = -np.inf if lo is None else float(lo)
        upper = np.inf if hi is None else float(hi)
        if low == high:
            out[i] = float(low)
            continue
        if lower == -np.inf and upper == np.inf:
            masses = (0.0, 1.0)
        else:
            masses = _bound_masses(*_key(low, high, mode), dist, lower, upper)
        groups.setdefault(dist, []).append((i, low, high, mode, lower, upper, *masses))
    for dist, members in groups.items():
        index = [m[0] for m in members]

        def col(values):
            return np.array([float(v) for v in values])[:, None]

        if dist == "lognormal":
            mu_sigma = [_lognormal_params(m[1], m[2]) for m in members]
            p = {"centre": col(c for c, _ in mu_sigma), "scale": col(s for _, s in mu_sigma)}
        elif dist == "normal":
            mean_sd = [_normal_params(m[1], m[2]) for m in members]
            p = {"centre": col(c for c, _ in mean_sd), "scale": col(s for _, s in mean_sd)}
        elif dist == "uniform":
            p = {"low": col(m[1] for m in members), "width": col(m[2] - m[1] for m in members)}
        else:
            c = [_mode(m[1], m[2], m[3]) for m in members]
            pairs = list(zip(c, members, strict=True))
            p = {
                "a": col(m[1] for m in members),
                "b": col(m[2] for m in members),
                "width": col(m[2] - m[1] for m in members),
                "q_mode": col((ci - m[1]) / (m[2] - m[1]) for ci, m in pairs),
                "rise": col(ci - m[1] for ci, m in pairs),
                "fall": col(m[2] - ci for ci, m in pairs),
            }
        f_lower, width = col(m[6] for m in members), col(m[7] - m[6] for m in members)
        values = _untruncated_rows(f_lower + q[index] * width, dist, p)
        lower, upper = col(m[4] for m in members), col(m[5] for m in members)
        out[index] = np.clip(values, lower, upper)
    return out


def _random_rows(rng, k):
    """``k`` valid ranges of every kind: points, bounds that keep all the mass or cut some
    off, bounds at the range's own ends, signed zeros."""
    rows = []
    while len(rows) < k:
        dist = rng.choice(["lognormal", "normal", "uniform", "triangular", "none"])
        dist = None if dist == "none" else str(dist)
        if dist == "lognormal" or (dist is None and rng.random() < 0.5):
            low = float(rng.choice([1e-3, 0.5, 20.0, 1e6]))
            high = low * float(rng.choice([1.0, 1.5, 3.0, 100.0]))
        else:
            low = float(rng.choice([-10.0, -0.0, 0.0, 0.5, 3.0]))
            high = low + float(rng.choice([0.0, 1.0, 40.0]))
        mode = None
        if dist == "triangular" and rng.random() < 0.5:
            mode = float(rng.choice([low, high, (low + high) / 2]))
        lo = float(rng.choice([0.0, -0.0, low, low - 1.0])) if rng.random() < 0.4 else None
        hi = float(rng.choice([1e15, high, high + 1.0])) if rng.random() < 0.4 else None
        if lo is not None and hi is not None and lo >= hi:
            hi = None
        row = (low, high, dist, mode, lo, hi)
        try:
            RangeSet([row])
        except ValueError:
            continue
        rows.append(row)
    return rows


def test_a_range_set_gives_the_textbook_values_to_the_last_bit():
    # the in-place steps, the layout by distribution, the skipped truncation of bounds that
    # keep all the mass, and minimum/maximum for the clip where no tie can differ: none of
    # them changes a bit of any value, for any mix of ranges, down to one sample or none
    rng = np.random.default_rng(20)
    for _ in range(400):
        rows = _random_rows(rng, int(rng.integers(1, 25)))
        n = int(rng.choice([0, 1, 2, 9, 300]))
        q = rng.random((len(rows), n))
        if n:  # the ends and a negative zero, which ppf's q x 1 + 0 turns into +0.0
            q[:, 0] = rng.choice([0.0, -0.0, 1.0, 0.5, 2.0**-54], size=len(rows))
        got = RangeSet(rows).ppf(q)
        want = _textbook_ppf(rows, q)
        assert got.tobytes() == want.tobytes(), rows


def test_ppf_into_gives_ppf_values_in_a_view_or_a_contiguous_block():
    rng = np.random.default_rng(21)
    for _ in range(200):
        rows = _random_rows(rng, int(rng.integers(1, 25)))
        k, n = len(rows), int(rng.choice([1, 3, 64]))
        q = np.maximum(rng.random((k, n)), 2.0**-54)  # drawn: never 0, never -0.0
        want = _textbook_ppf(rows, q)
        ranges = RangeSet(rows)
        drawn = np.empty((k, n + 6))
        drawn[ranges.slots, 2 : n + 2] = q
        for scratch in (None, np.empty(k * n), np.empty(1)):  # computed there, then copied
            block = np.full((k, n + 9), np.nan)
            ranges.ppf_into(drawn[:, 2 : n + 2].copy(), block[:, 4 : n + 4], scratch)
            assert block[ranges.slots, 4 : n + 4].tobytes() == want.tobytes(), rows
            assert np.isnan(block[:, :4]).all() and np.isnan(block[:, n + 4 :]).all()
        contiguous = np.empty((k, n))
        ranges.ppf_into(drawn[:, 2 : n + 2], contiguous)
        assert contiguous[ranges.slots].tobytes() == want.tobytes(), rows


def test_a_negative_zero_bound_is_clipped_as_ever():
    # numpy.clip(+0.0, min=-0.0) with bounds per row gives -0.0 in some loops and +0.0 in
    # others (in place, in a view, one row or several): a distribution whose values could meet
    # such a bound is computed and clipped into fresh arrays, as it always was
    rows = [
        (0.0, 1.0, "triangular", 1.0, -0.0, 0.5),
        (0.0, 10.0, "triangular", None, None, None),
        (0.0, 10.0, "triangular", 7.0, None, 8.0),
    ]
    assert not RangeSet(rows)._spans[0].exact_ties
    assert RangeSet([(20.0, 60.0, None, None, 0.0, 1e15)])._spans[0].exact_ties
    for chosen in (rows, rows[:1]):
        ranges = RangeSet(chosen)
        for q in (np.array([[0.0, 0.3], [0.5, 0.5], [0.2, 0.9]]), np.array([[0.0]] * 3)):
            q = q[: len(chosen)]
            want = _textbook_ppf(chosen, q)
            assert ranges.ppf(q).tobytes() == want.tobytes()
            view = np.empty((len(chosen), 5))
            ranges.ppf_into(q.copy(), view[:, 1 : 1 + q.shape[1]])
            assert view[:, 1 : 1 + q.shape[1]].tobytes() == want.tobytes()


def test_ppf_into_leaves_truncated_probabilities_in_q_and_the_rest_as_drawn():
    # a range without bounds keeps its q; one truncated to [25, 50] holds F(25) + q (F(50) -
    # F(25)) afterwards, the probabilities its values were taken at
    rows = [(20.0, 60.0, None, None, None, None), (20.0, 60.0, None, None, 25.0, 50.0)]
    q = np.array([[0.25, 0.75], [0.25, 0.75]])
    drawn = q.copy()
    RangeSet(rows).ppf_into(drawn, np.empty((2, 2)))
    f25, f50 = cdf([25.0, 50.0], 20.0, 60.0)
    np.testing.assert_array_equal(drawn[0], q[0])
    np.testing.assert_allclose(drawn[1], f25 + q[1] * (f50 - f25), rtol=1e-15)


def test_rows_are_laid_out_by_distribution_in_input_order_points_last():
    rows = [
        (20.0, 60.0, None, None, None, None),  # lognormal
        (5.0, 5.0, None, None, None, None),  # a point
        (0.0, 1.0, "uniform", None, None, None),
        (30.0, 40.0, None, None, None, 35.0),  # lognormal
        (-1.0, 1.0, None, None, None, None),  # normal
    ]
    np.testing.assert_array_equal(RangeSet(rows).slots, [0, 4, 2, 1, 3])
    q = np.full((5, 1), 0.5)
    np.testing.assert_array_equal(RangeSet(rows).ppf(q), _textbook_ppf(rows, q))
    assert RangeSet([(3.0, 3.0, None, None, None, None)] * 2).ppf(q[:2]).tolist() == [[3.0]] * 2


def test_fill_uniforms_draws_what_uniforms_draws_row_after_row():
    for rows in ([0, 1, 2, 3], [2, 0, 1], [3, 1], [1], []):
        out = np.full((4, 6), 0.25)  # rows not drawn: uniforms of the copula, say
        fill_uniforms(out, rows, np.random.default_rng(5))
        rng = np.random.default_rng(5)
        for row in rows:
            np.testing.assert_array_equal(out[row], uniforms(6, rng))
        for row in set(range(4)) - set(rows):
            assert (out[row] == 0.25).all()


class _ZeroThenHalf:
    """A stand-in generator whose first draw is an exact 0 (chance 2^-53 from PCG64)."""

    def random(self, out):
        out[...] = 0.5
        out.flat[0] = 0.0


def test_fill_uniforms_moves_an_exact_zero_into_the_open_interval():
    out = np.empty((2, 3))
    fill_uniforms(out, [1, 0], _ZeroThenHalf())
    assert out[1, 0] == 2.0**-54 and out[0, 0] == 2.0**-54
    assert (out[:, 1:] == 0.5).all()


def test_numpy_and_scipy_functions_give_the_same_bits_in_views_as_in_fresh_arrays():
    # what the in-place paths rely on: these functions of one element do not depend on the
    # array's layout or length (numpy's own SIMD exp and log among them)
    rng = np.random.default_rng(22)
    x = rng.normal(0.0, 30.0, (6, 2_003))
    p = rng.random((6, 2_003))
    block = np.empty((8, 3_000))
    for f, values in ((np.exp, x), (np.log, np.abs(x) + 1e-300), (ndtri, p), (np.sqrt, p)):
        with np.errstate(over="ignore"):
            fresh = f(values)
            view = block[1:7, 5:2_008]
            f(values, out=view)
            short = [f(values[0, :m]) for m in (1, 3, 7, 8, 9, 17)]
        assert fresh.tobytes() == view.tobytes()
        assert all(s.tobytes() == fresh[0, : s.size].tobytes() for s in short)

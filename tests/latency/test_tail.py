"""The lognormal tail through p50 and p90: exact at both, analytic elsewhere, never below floor."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgecalc.latency import estimate_rtt, rtt_at_percentile

Z_90 = 1.2815515655446004  # standard normal quantile at 0.90
Z_99 = 2.3263478740408408  # standard normal quantile at 0.99


def test_returns_p50_at_50_and_p90_at_90():
    assert rtt_at_percentile(20.0, 30.0, 50) == 20.0
    assert rtt_at_percentile(20.0, 30.0, 90) == pytest.approx(30.0, rel=1e-12)


def test_p99_by_hand():
    # sigma = ln(30 / 20) / 1.28155 = 0.405465 / 1.281552 = 0.316386
    # p99 = 20 * exp(2.326348 * 0.316386) = 20 * exp(0.736026) = 20 * 2.087663 = 41.753 ms
    sigma = math.log(30.0 / 20.0) / Z_90
    assert rtt_at_percentile(20.0, 30.0, 99) == pytest.approx(20.0 * math.exp(Z_99 * sigma))
    assert rtt_at_percentile(20.0, 30.0, 99) == pytest.approx(41.753, abs=1e-3)


def test_p10_mirrors_p90_on_the_log_scale():
    # lognormal symmetry: p10 = p50^2 / p90 = 400 / 30 = 13.333 ms
    assert rtt_at_percentile(20.0, 30.0, 10) == pytest.approx(13.3333, abs=1e-4)


def test_floor_clamps_the_low_tail_only():
    # p10 would be 13.33 ms; a 15 ms floor lifts it, the median stays 20 ms
    assert rtt_at_percentile(20.0, 30.0, 10, floor_ms=15.0) == 15.0
    assert rtt_at_percentile(20.0, 30.0, 50, floor_ms=15.0) == 20.0


def test_no_spread_gives_the_median_everywhere():
    np.testing.assert_allclose(rtt_at_percentile(20.0, 20.0, [1, 50, 99.9]), 20.0)


def test_arrays_broadcast_over_samples_and_percentiles():
    p50_ms = np.array([[10.0], [20.0]])  # 2 samples
    p90_ms = np.array([[15.0], [30.0]])
    percentiles = np.array([50.0, 90.0, 99.0])
    rtt_ms = rtt_at_percentile(p50_ms, p90_ms, percentiles)
    assert rtt_ms.shape == (2, 3)
    np.testing.assert_allclose(rtt_ms[:, :2], [[10.0, 15.0], [20.0, 30.0]])
    # same sigma (ratio 1.5) in both rows, so p99 scales with p50: 20.876 and 41.753 ms
    np.testing.assert_allclose(rtt_ms[:, 2], [20.8766, 41.7533], atol=1e-3)


@pytest.mark.parametrize(
    ("p50_ms", "p90_ms", "percentile"),
    [(20.0, 30.0, 0.0), (20.0, 30.0, 100.0), (20.0, 10.0, 50.0), (0.0, 10.0, 50.0)],
)
def test_refuses_impossible_inputs(p50_ms, p90_ms, percentile):
    with pytest.raises(ValueError):
        rtt_at_percentile(p50_ms, p90_ms, percentile)


@settings(deadline=None)
@given(
    p50_ms=st.floats(min_value=0.1, max_value=1000.0),
    ratio=st.floats(min_value=1.0, max_value=10.0),
    q_low=st.floats(min_value=0.01, max_value=99.99),
    q_high=st.floats(min_value=0.01, max_value=99.99),
    floor_fraction=st.floats(min_value=0.0, max_value=1.0),
)
def test_monotone_in_percentile_and_never_below_floor(p50_ms, ratio, q_low, q_high, floor_fraction):
    q_low, q_high = sorted((q_low, q_high))
    floor_ms = floor_fraction * p50_ms
    low_ms = rtt_at_percentile(p50_ms, ratio * p50_ms, q_low, floor_ms=floor_ms)
    high_ms = rtt_at_percentile(p50_ms, ratio * p50_ms, q_high, floor_ms=floor_ms)
    assert floor_ms <= low_ms <= high_ms * (1 + 1e-12)


def test_estimate_at_percentile_passes_its_p50_p90_and_floor():
    est = estimate_rtt(6549.0, access_ms=5.0)
    assert est.at_percentile(50) == pytest.approx(est.p50_ms)
    assert est.at_percentile(90) == pytest.approx(est.p90_ms)
    sigma = math.log(est.p90_ms / est.p50_ms) / Z_90
    assert est.at_percentile(99) == pytest.approx(est.p50_ms * math.exp(Z_99 * sigma))
    assert est.at_percentile(0.001) == est.floor_ms  # the lognormal would dip under the floor

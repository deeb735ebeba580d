"""The distance-based RTT estimate: the fit, its quoted quality, and its invariants.

If you edit ``rtt_calibration.yaml`` and a test here fails, update the figures in the docstring
of ``estimate_rtt`` (and the pinned factors below) to the values the failure message prints.
"""

import re

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from edgecalc.latency import RttEstimate, estimate_rtt
from edgecalc.latency.estimate import calibration_quality, fitted_inflation
from edgecalc.latency.geo import RTT_CALIBRATION_PATH, fibre_floor_rtt_ms

distances_km = st.floats(min_value=0.0, max_value=20_100.0)
access_latencies_ms = st.floats(min_value=0.0, max_value=200.0)


def _refit_from_file():
    """Independent re-fit: k quantiles and the quality figures, straight from the YAML."""
    with RTT_CALIBRATION_PATH.open(encoding="utf-8") as handle:
        calibration = yaml.safe_load(handle)
    rows = [row for ds in calibration["datasets"].values() for row in ds["rows"]]
    d_km = np.array([row["great_circle_km"] for row in rows], dtype=float)
    measured_ms = np.array([row["rtt_p50_ms"] for row in rows], dtype=float)
    c0_ms = calibration["fixed_overhead"]["value"]
    fibre_ms = 2.0 * d_km / (calibration["fibre_speed"]["value"] / 1000.0)
    long = d_km >= calibration["inflation_fit_min_distance"]["value"]
    k = (measured_ms[long] - c0_ms) / fibre_ms[long]
    k10, k50, k90 = np.exp(np.quantile(np.log(k), [0.1, 0.5, 0.9]))
    p10, p50, p90 = (c0_ms + kq * fibre_ms for kq in (k10, k50, k90))
    error_pct = 100.0 * (p50 - measured_ms) / measured_ms
    in_band = (p10 <= measured_ms) & (measured_ms <= p90)
    return {
        "k": (k10, k50, k90),
        "n_fit": int(long.sum()),
        "n_rows": len(rows),
        "mdape_pct": np.median(np.abs(error_pct)),
        "n_in_band": int(in_band.sum()),
        "mdape_long_pct": np.median(np.abs(error_pct[long])),
        "n_in_band_long": int(in_band[long].sum()),
        "n_short": int((~long).sum()),
        "median_error_short_pct": np.median(error_pct[~long]),
        "n_in_band_short": int(in_band[~long].sum()),
    }


def _docstring_figures():
    doc = " ".join(estimate_rtt.__doc__.split())
    fit = re.search(
        r"median (\d+\.\d+) \(p10 (\d+\.\d+), p90 (\d+\.\d+)\), "
        r"from (\d+) of the (\d+) calibration",
        doc,
    )
    overall = re.search(
        r"median absolute percentage error (\d+\.\d+) %; (\d+) of (\d+) rows \((\d+) %\)", doc
    )
    long = re.search(r"On the (\d+) rows >= 1,000 km: error (\d+\.\d+) %, (\d+) of (\d+)", doc)
    short = re.search(
        r"On the (\d+) rows < 1,000 km the model is too low \(median error (-?\d+\.\d+) %\) "
        r"and only (\d+) of (\d+)",
        doc,
    )
    assert fit and overall and long and short, "a quality figure is missing from the docstring"
    return fit.groups(), overall.groups(), long.groups(), short.groups()


def test_fitted_inflation_matches_an_independent_refit():
    refit = _refit_from_file()
    fit = fitted_inflation()
    assert (fit.k_p10, fit.k_p50, fit.k_p90) == pytest.approx(refit["k"], rel=1e-12)
    assert (fit.n_fit, fit.n_rows) == (refit["n_fit"], refit["n_rows"])


def test_fitted_inflation_values_as_reported():
    # Pinned so that a data edit that moves k is noticed in review:
    # 30 pairs >= 1,000 km; k = (RTT - 3 ms) / (2 d / 204.19); quantiles of ln k
    fit = fitted_inflation()
    assert (fit.k_p10, fit.k_p50, fit.k_p90) == pytest.approx((1.245, 1.529, 1.968), abs=5e-4)
    assert (fit.n_fit, fit.n_rows) == (30, 41)


def test_docstring_quality_figures_are_the_real_ones():
    refit = _refit_from_file()
    fit_fig, overall_fig, long_fig, short_fig = _docstring_figures()
    k10, k50, k90 = refit["k"]
    assert [float(x) for x in fit_fig[:3]] == pytest.approx([k50, k10, k90], abs=0.005)
    assert [int(x) for x in fit_fig[3:]] == [refit["n_fit"], refit["n_rows"]]

    mdape, n_in_band, n_rows, share_pct = overall_fig
    assert float(mdape) == pytest.approx(refit["mdape_pct"], abs=0.05)
    assert (int(n_in_band), int(n_rows)) == (refit["n_in_band"], refit["n_rows"])
    assert int(share_pct) == round(100 * refit["n_in_band"] / refit["n_rows"])

    n_long, mdape_long, n_in_band_long, n_long_again = long_fig
    assert int(n_long) == int(n_long_again) == refit["n_fit"]
    assert float(mdape_long) == pytest.approx(refit["mdape_long_pct"], abs=0.05)
    assert int(n_in_band_long) == refit["n_in_band_long"]

    n_short, error_short, n_in_band_short, n_short_again = short_fig
    assert int(n_short) == int(n_short_again) == refit["n_short"]
    assert float(error_short) == pytest.approx(refit["median_error_short_pct"], abs=0.05)
    assert int(n_in_band_short) == refit["n_in_band_short"]


def test_calibration_quality_agrees_with_the_refit():
    refit = _refit_from_file()
    quality = calibration_quality()
    assert quality.mdape_pct == pytest.approx(refit["mdape_pct"])
    assert quality.n_in_band == refit["n_in_band"]
    assert quality.share_in_band == pytest.approx(refit["n_in_band"] / refit["n_rows"])
    assert quality.median_error_short_pct == pytest.approx(refit["median_error_short_pct"])


def test_hand_worked_estimate_for_1000_km_with_5_ms_access():
    est = estimate_rtt(1000.0, access_ms=5.0)
    fit = fitted_inflation()
    # floor = 2 * 1000 / 204.19 = 9.7948 ms
    # p50 = 3 + 1.52898 * 9.7948 + 5 = 3 + 14.976 + 5 = 22.976 ms
    # p10 = 3 + 1.24452 * 9.7948 + 5 = 20.190 ms; p90 = 3 + 1.96819 * 9.7948 + 5 = 27.278 ms
    assert est.floor_ms == pytest.approx(9.7948, abs=1e-4)
    assert est.p50_ms == pytest.approx(3.0 + fit.k_p50 * est.floor_ms + 5.0)
    assert (est.p10_ms, est.p50_ms, est.p90_ms) == pytest.approx((20.190, 22.976, 27.278), abs=2e-3)
    assert est.inflation_p50 == fit.k_p50
    assert est.access_ms == 5.0


def test_method_sentence_says_what_was_assumed():
    est = estimate_rtt(1612.0, access_ms=5.0)
    assert est.method == (
        "great-circle 1,612 km; fibre floor 15.8 ms; backbone inflation 1.53 (p10 1.24, p90 1.97)"
        " fitted on 30 published inter-region RTTs >= 1,000 km; +3 ms fixed; +access 5 ms"
    )


def test_method_sentence_warns_on_short_hops():
    # published RTTs under 1,000 km ran above the model (median error -25.3 %)
    assert "read a median 25 % low, so measure" in estimate_rtt(612.0).method
    assert "measure" not in estimate_rtt(1000.0).method


def test_sample_axis_matches_one_by_one():
    samples_km = np.array([0.0, 304.12, 6549.0, 15700.0])
    access_ms = np.array([0.0, 2.0, 5.0, 20.0])
    est = estimate_rtt(samples_km, access_ms=access_ms)
    assert isinstance(est, RttEstimate)
    assert est.p50_ms.shape == (4,)
    singles = [estimate_rtt(d, a) for d, a in zip(samples_km, access_ms, strict=True)]
    np.testing.assert_allclose(est.p90_ms, [s.p90_ms for s in singles])
    assert "great-circle 0-15,700 km" in est.method


def test_scalar_distance_broadcasts_against_access_samples():
    est = estimate_rtt(1000.0, access_ms=np.array([0.0, 10.0]))
    np.testing.assert_allclose(np.diff(est.p50_ms), [10.0])
    assert np.shape(est.floor_ms) == ()


@pytest.mark.parametrize(
    ("distance_km", "access_ms"), [(-1.0, 0.0), (100.0, -0.5), (float("nan"), 0.0)]
)
def test_refuses_negative_or_missing_inputs(distance_km, access_ms):
    with pytest.raises(ValueError):
        estimate_rtt(distance_km, access_ms=access_ms)


@settings(deadline=None)
@given(distances_km, access_latencies_ms)
def test_never_below_floor_and_percentiles_ordered(distance_km, access_ms):
    est = estimate_rtt(distance_km, access_ms=access_ms)
    assert est.floor_ms <= est.p10_ms <= est.p50_ms <= est.p90_ms


@settings(deadline=None)
@given(distances_km, distances_km, access_latencies_ms, access_latencies_ms)
def test_monotone_in_distance_and_access(d1_km, d2_km, a1_ms, a2_ms):
    (d_near, d_far), (a_low, a_high) = sorted((d1_km, d2_km)), sorted((a1_ms, a2_ms))
    near, far = estimate_rtt(d_near, a_low), estimate_rtt(d_far, a_high)
    for q in ("floor_ms", "p10_ms", "p50_ms", "p90_ms"):
        assert getattr(near, q) <= getattr(far, q)


def test_a_given_route_inflation_replaces_the_fitted_median():
    # 1,000 km: floor 9.7948 ms; p50 = 3 + 2.1 × 9.7948 + 5 = 28.569 ms
    est = estimate_rtt(1000.0, access_ms=5.0, route_inflation=2.1)
    assert est.p50_ms == pytest.approx(3 + 2.1 * fibre_floor_rtt_ms(1000.0) + 5)
    assert est.inflation_p50 == 2.1
    assert est.p10_ms < est.p50_ms < est.p90_ms
    assert "route inflation 2.10 as given" in est.method
    with pytest.raises(ValueError):
        estimate_rtt(1000.0, route_inflation=0.0)

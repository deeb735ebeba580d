"""Round-trip time estimated from distance, when nothing was measured.

The model is physics plus one calibrated factor::

    RTT_ms = c0 + k * 2 * d_km / 204.19 + access_ms

``2 d / 204.19`` is the fibre floor (light in fibre, there and back, along the great circle),
``k`` the route inflation (real paths are longer than the great circle and switches add delay),
``c0`` a fixed overhead (3 ms, the median intra-region TCP connect time) and ``access_ms`` the
last-mile latency the caller knows. ``k`` is uncertain, so the estimate carries its p10, p50 and
p90 across region pairs.

Where the numbers come from: ``k`` is fitted on the measured inter-region RTTs in
``edgecalc/catalog/data/rtt_calibration.yaml`` (AWS cloudping p50 over one year; Azure's official
monthly p50). The fit runs once per process, on first use, and is cached
(:func:`functools.lru_cache`) rather than stored as constants: the data file is then the only
place the numbers live, an edit to it cannot leave a stale constant behind, and the fit takes
well under a millisecond. The figures quoted in :func:`estimate_rtt` are checked against a
re-fit by ``tests/latency/test_estimate.py``, so the docstring cannot drift from the data either.

A measured RTT (``edgecalc measure``) or one given in the scenario always takes precedence over
this estimate.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from edgecalc.latency.geo import fibre_floor_rtt_ms, load_rtt_calibration
from edgecalc.latency.tail import rtt_at_percentile

ArrayLike = float | npt.ArrayLike


@dataclass(frozen=True)
class InflationFit:
    """Route inflation fitted on the calibration rows of ``rtt_calibration.yaml``."""

    k_p10: float
    """10th percentile of the per-pair inflation over pairs >= ``min_distance_km`` [-]."""
    k_p50: float
    """Median per-pair inflation [-]."""
    k_p90: float
    """90th percentile of the per-pair inflation [-]."""
    fixed_ms: float
    """Fixed overhead c0 subtracted before computing the inflation [ms]."""
    min_distance_km: float
    """Pairs closer than this were left out of the fit [km]."""
    n_fit: int
    """Number of region pairs the quantiles were taken over."""
    n_rows: int
    """Number of calibration rows in the file."""


@dataclass(frozen=True)
class CalibrationQuality:
    """How well the fitted model predicts every calibration row (its own training data)."""

    n_rows: int
    """Rows checked: all of them, short pairs included."""
    mdape_pct: float
    """Median absolute percentage error of the p50 against the measured p50 [%]."""
    n_in_band: int
    """Rows whose measured p50 lies within the estimated p10-p90 band."""
    n_long: int
    """Rows >= the fit's minimum distance."""
    mdape_long_pct: float
    """Median absolute percentage error over those rows [%]."""
    n_in_band_long: int
    """Of those, rows within the p10-p90 band."""
    n_short: int
    """Rows below the fit's minimum distance."""
    median_error_short_pct: float
    """Median of (estimate - measured) / measured over the short rows; negative = too low [%]."""
    n_in_band_short: int
    """Of the short rows, rows within the p10-p90 band."""

    @property
    def share_in_band(self) -> float:
        """Share of all rows within the p10-p90 band [-]."""
        return self.n_in_band / self.n_rows


def calibration_rows() -> tuple[np.ndarray, np.ndarray]:
    """Great-circle distances and measured p50 RTTs of every calibration row.

    Returns
    -------
    distance_km : numpy.ndarray
        Great-circle distance between the two regions of each row [km].
    rtt_p50_ms : numpy.ndarray
        Measured median round-trip time of each row [ms].
    """
    datasets = load_rtt_calibration()["datasets"].values()
    rows = [row for dataset in datasets for row in dataset["rows"]]
    distance_km = np.array([row["great_circle_km"] for row in rows], dtype=float)
    rtt_p50_ms = np.array([row["rtt_p50_ms"] for row in rows], dtype=float)
    return distance_km, rtt_p50_ms


@lru_cache(maxsize=1)
def fitted_inflation() -> InflationFit:
    r"""Fit the route inflation k on the calibration rows (once per process).

    Returns
    -------
    InflationFit
        Quantiles 10, 50 and 90 of the per-pair inflation.

    Notes
    -----
    For each pair at least ``inflation_fit_min_distance`` (1,000 km) apart,
    :math:`k_i = (\mathrm{RTT}_i - c_0) / (2 d_i / v)`. The quantiles are taken of
    :math:`\ln k_i` (linear interpolation) and exponentiated, so the spread is read on the
    multiplicative scale the factor lives on. Shorter pairs are left out: their RTT is mostly
    fixed overhead, and their city-level coordinates can be 100-300 km off.
    """
    calibration = load_rtt_calibration()
    fixed_ms = float(calibration["fixed_overhead"]["value"])
    min_distance_km = float(calibration["inflation_fit_min_distance"]["value"])
    distance_km, rtt_p50_ms = calibration_rows()

    is_long = distance_km >= min_distance_km
    floor_ms = fibre_floor_rtt_ms(distance_km[is_long])
    inflation = (rtt_p50_ms[is_long] - fixed_ms) / floor_ms
    k_p10, k_p50, k_p90 = np.exp(np.quantile(np.log(inflation), [0.1, 0.5, 0.9]))
    return InflationFit(
        k_p10=float(k_p10),
        k_p50=float(k_p50),
        k_p90=float(k_p90),
        fixed_ms=fixed_ms,
        min_distance_km=min_distance_km,
        n_fit=int(is_long.sum()),
        n_rows=int(distance_km.size),
    )


@lru_cache(maxsize=1)
def calibration_quality() -> CalibrationQuality:
    """Check the fitted model against every calibration row, short pairs included.

    Returns
    -------
    CalibrationQuality
        Errors of the p50 and coverage of the p10-p90 band, with access 0 (the rows are
        region-to-region measurements). In-sample: the long rows also fitted ``k``.
    """
    fit = fitted_inflation()
    distance_km, measured_ms = calibration_rows()
    _, p10_ms, p50_ms, p90_ms = _floor_and_percentiles_ms(distance_km, np.zeros(()), fit)
    error_pct = 100.0 * (p50_ms - measured_ms) / measured_ms
    in_band = (p10_ms <= measured_ms) & (measured_ms <= p90_ms)
    is_long = distance_km >= fit.min_distance_km
    return CalibrationQuality(
        n_rows=int(distance_km.size),
        mdape_pct=float(np.median(np.abs(error_pct))),
        n_in_band=int(in_band.sum()),
        n_long=int(is_long.sum()),
        mdape_long_pct=float(np.median(np.abs(error_pct[is_long]))),
        n_in_band_long=int(in_band[is_long].sum()),
        n_short=int((~is_long).sum()),
        median_error_short_pct=float(np.median(error_pct[~is_long])),
        n_in_band_short=int(in_band[~is_long].sum()),
    )


@dataclass(frozen=True)
class RttEstimate:
    """A round-trip time estimated from distance, with the assumptions that produced it.

    Every ``*_ms`` field has the shape of the broadcast inputs (a float for scalar inputs).
    """

    distance_km: float | np.ndarray
    """Great-circle distance [km]."""
    floor_ms: float | np.ndarray
    """Physical floor, light in fibre along the great circle and back; never undercut [ms]."""
    p10_ms: float | np.ndarray
    """Optimistic round trip: route inflation at its 10th percentile [ms]."""
    p50_ms: float | np.ndarray
    """Central round trip: route inflation at its median [ms]."""
    p90_ms: float | np.ndarray
    """Pessimistic round trip: route inflation at its 90th percentile [ms]."""
    inflation_p50: float
    """Route-inflation factor assumed at p50 [-]."""
    access_ms: float | np.ndarray
    """Last-mile access latency included in every percentile [ms]."""
    method: str
    """One sentence for the user: what was assumed."""

    def at_percentile(self, percentile: ArrayLike) -> float | np.ndarray:
        """Round-trip time at any percentile, via :func:`~edgecalc.latency.tail.rtt_at_percentile`.

        A lognormal through ``p50_ms`` and ``p90_ms``, clamped at ``floor_ms``. Beware what the
        spread means: p10-p90 here is the uncertainty about the route (how inflated paths between
        region pairs are), not the jitter of one path over time. A p99 from it is an assumption;
        a measurement (``edgecalc measure``) replaces it.

        Parameters
        ----------
        percentile : float or array_like
            Percentile in (0, 100) [%].

        Returns
        -------
        float or numpy.ndarray
            Round-trip time [ms].
        """
        return rtt_at_percentile(self.p50_ms, self.p90_ms, percentile, floor_ms=self.floor_ms)


def estimate_rtt(
    distance_km: ArrayLike, access_ms: ArrayLike = 0.0, route_inflation: float | None = None
) -> RttEstimate:
    r"""Estimate the network round trip to a cloud region from the great-circle distance.

    Parameters
    ----------
    distance_km : float or array_like
        Great-circle distance from the site to the region, >= 0 [km]; may carry a leading
        sample axis.
    access_ms : float or array_like, optional
        Last-mile access latency of the site, >= 0, added to every percentile [ms]; broadcasts
        against ``distance_km``. Default 0.
    route_inflation : float, optional
        Median route inflation to use instead of the fitted one, > 0 [-]: for a site that
        reaches the cloud over the public Internet rather than a backbone, Bozkurt et al. give
        about 2.1. The fitted p10/p50 and p90/p50 ratios are kept for the spread.

    Returns
    -------
    RttEstimate
        Floor, p10, p50 and p90 round trips with the assumptions in ``method``.

    Raises
    ------
    ValueError
        If a distance or an access latency is negative or not finite.

    Notes
    -----
    .. math::

        \mathrm{RTT}_q = \max\left(t_{floor},\; c_0 + k_q\, t_{floor} + t_{access}\right),
        \qquad t_{floor} = 2 d / 204.19\ \mathrm{km/ms}

    with :math:`c_0 = 3` ms and :math:`k_q` fitted by :func:`fitted_inflation`: median 1.53
    (p10 1.24, p90 1.97), from 30 of the 41 calibration rows (pairs >= 1,000 km).

    How well it fits, checked on all 41 rows (AWS cloudping p50, 1 year to 2025-05-29; Azure
    official monthly p50, June 2024): median absolute percentage error 15.6 %; 28 of 41 rows
    (68 %) within the p10-p90 band. On the 30 rows >= 1,000 km: error 13.5 %, 24 of 30 within
    the band. On the 11 rows < 1,000 km the model is too low (median error -25.3 %) and only
    4 of 11 are within the band: short hops carry more fixed overhead than 3 ms, so measure
    them. These are in-sample figures on inter-region backbone paths; a site reaches its region
    over an access network and the public Internet, where the cited rule of thumb is k = 2.1
    (Bozkurt et al. 2018), above this median.

    References
    ----------
    Calibration rows, fibre speed and c0 with their sources: ``rtt_calibration.yaml``.
    I. N. Bozkurt et al., "Dissecting Latency in the Internet's Fiber Infrastructure",
    arXiv:1811.10737 (2018).

    Examples
    --------
    >>> est = estimate_rtt(1000.0, access_ms=5.0)
    >>> round(est.floor_ms, 2), round(est.p50_ms, 1)
    (9.79, 23.0)
    """
    distance = np.asarray(distance_km, dtype=float)
    access = np.asarray(access_ms, dtype=float)
    if not np.all(np.isfinite(access)) or np.any(access < 0):
        raise ValueError("access_ms must be finite and >= 0")
    fit = fitted_inflation()
    given = route_inflation is not None
    if given:
        if not (np.isfinite(route_inflation) and route_inflation > 0):
            raise ValueError("route_inflation must be a finite number > 0")
        scale = route_inflation / fit.k_p50
        fit = dataclasses.replace(
            fit, k_p10=fit.k_p10 * scale, k_p50=float(route_inflation), k_p90=fit.k_p90 * scale
        )
    floor_ms, p10_ms, p50_ms, p90_ms = _floor_and_percentiles_ms(distance, access, fit)
    return RttEstimate(
        distance_km=_as_output(distance),
        floor_ms=_as_output(floor_ms),
        p10_ms=_as_output(p10_ms),
        p50_ms=_as_output(p50_ms),
        p90_ms=_as_output(p90_ms),
        inflation_p50=fit.k_p50,
        access_ms=_as_output(access),
        method=_method_sentence(distance, floor_ms, access, fit, given),
    )


def _floor_and_percentiles_ms(
    distance_km: np.ndarray, access_ms: np.ndarray, fit: InflationFit
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fibre floor and the p10, p50, p90 round trips, broadcast over distance and access [ms]."""
    floor_ms = np.asarray(fibre_floor_rtt_ms(distance_km))
    shape = np.broadcast_shapes(floor_ms.shape, access_ms.shape)
    percentiles_ms = tuple(
        np.broadcast_to(np.maximum(floor_ms, fit.fixed_ms + k * floor_ms + access_ms), shape)
        for k in (fit.k_p10, fit.k_p50, fit.k_p90)
    )
    return (floor_ms, *percentiles_ms)


def _as_output(values: np.ndarray) -> float | np.ndarray:
    """A float for a 0-d array, otherwise a copy (never a read-only broadcast view)."""
    return float(values) if values.ndim == 0 else np.array(values)


def _describe(values: np.ndarray, unit: str, decimals: int) -> str:
    """``'612 km'`` for one value, ``'300-5,000 km'`` for a range of values."""
    low, high = float(np.min(values)), float(np.max(values))
    if np.isclose(low, high):
        return f"{low:,.{decimals}f} {unit}"
    return f"{low:,.{decimals}f}-{high:,.{decimals}f} {unit}"


def _method_sentence(
    distance_km: np.ndarray,
    floor_ms: np.ndarray,
    access_ms: np.ndarray,
    fit: InflationFit,
    given: bool = False,
) -> str:
    """The assumptions of one estimate, in the words a user reads."""
    parts = [
        f"great-circle {_describe(distance_km, 'km', 0)}",
        f"fibre floor {_describe(floor_ms, 'ms', 1)}",
        (
            f"route inflation {fit.k_p50:.2f} as given (p10 {fit.k_p10:.2f}, p90 "
            f"{fit.k_p90:.2f}, the fitted spread)"
            if given
            else f"backbone inflation {fit.k_p50:.2f} (p10 {fit.k_p10:.2f}, p90 "
            f"{fit.k_p90:.2f}) fitted on {fit.n_fit} published inter-region RTTs >= "
            f"{fit.min_distance_km:,.0f} km"
        ),
        f"+{fit.fixed_ms:g} ms fixed",
        f"+access {_describe(access_ms, 'ms', 1 if np.any(access_ms % 1) else 0)}",
    ]
    if distance_km.size and float(np.min(distance_km)) < fit.min_distance_km:
        short_error_pct = calibration_quality().median_error_short_pct
        parts.append(
            f"on published RTTs under {fit.min_distance_km:,.0f} km this model read a median "
            f"{abs(short_error_pct):.0f} % {'low' if short_error_pct < 0 else 'high'}, so measure"
        )
    return "; ".join(parts)

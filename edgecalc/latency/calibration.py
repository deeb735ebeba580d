"""The backbone model behind the distance-based RTT estimate: fitted, and checked on held-out pairs.

Published inter-region round trips (AWS cloudping p50 over one year, every pair of 32 regions;
Azure's official monthly p50) are the calibration data, read from
``edgecalc/catalog/data/rtt_calibration.yaml`` and the AWS matrix beside it. The model::

    RTT_p50(d) = c0 + k(d) * t_floor(d),     t_floor(d) = 2 d / 204.19 km/ms

``c0`` is the fixed overhead (3 ms, the median same-region connect time) and ``k(d)`` the route
inflation: the median of ``(RTT - c0) / t_floor`` over the pairs of each distance band, placed
at the band's median distance and interpolated linearly in log-distance (flat beyond the first
and last band). The spread is fitted the same way: the 10th and 90th percentiles of
``ln(RTT / RTT_p50)`` per band (as split-conformal order statistics, so that bands with few
pairs are not too narrow for pairs not fitted on), so the p10-p90 band is a statement about
how far one pair's route can sit from the median route at that distance.

How good it is comes from two-fold cross-validation: the pairs, sorted by distance, go
alternately into two folds, and each fold is predicted by the model fitted on the other. Every
pair is thus held out once. Run ``python -m edgecalc.calibrate`` (also part of ``make bench``)
to print the figures; ``tests/latency/test_estimate.py`` checks that the figures quoted in
:func:`edgecalc.latency.estimate.estimate_rtt` and docs/model.md match. The route factors
fitted on the backbone's residuals are in :mod:`edgecalc.latency.route_effects`.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from edgecalc.latency.geo import (
    RTT_CALIBRATION_PATH,
    fibre_floor_rtt_ms,
    great_circle_km,
    load_rtt_calibration,
)

Z80 = 1.2815515655446004
"""Standard normal quantile at 0.90: p10-p90 spans +-Z80 standard deviations [-]."""


@dataclass(frozen=True)
class CalibrationPairs:
    """Region pairs with a published median round trip."""

    names: tuple[str, ...]
    """``dataset: src <-> dst`` for each pair."""
    distance_km: np.ndarray
    """Great-circle distance of each pair [km]."""
    rtt_ms: np.ndarray
    """Published median round trip of each pair [ms]."""
    regions: tuple[tuple[str, str], ...] = ()
    """``('aws/eu-west-1', 'aws/us-east-1')``: the catalog keys of each pair's two regions."""
    countries: tuple[tuple[str | None, str | None], ...] = ()
    """ISO 3166-1 alpha-2 countries of each pair's two regions."""


@dataclass(frozen=True)
class BackboneFit:
    """Route inflation and spread per distance band, interpolated in log-distance."""

    fixed_ms: float
    """Fixed overhead c0 [ms]."""
    knot_km: np.ndarray
    """Median distance of each fit band's pairs: where its factors apply [km]."""
    inflation: np.ndarray
    """Median route inflation k of each band [-]."""
    log_q10: np.ndarray
    """10th percentile of ln(measured / model p50) of each band [-]."""
    log_q90: np.ndarray
    """90th percentile of ln(measured / model p50) of each band [-]."""
    n_pairs: int
    """Pairs the fit used."""

    def _at(self, values: np.ndarray, distance_km: np.ndarray) -> np.ndarray:
        log_d = np.log(np.maximum(np.asarray(distance_km, dtype=float), 1.0))
        return np.interp(log_d, np.log(self.knot_km), values)

    def inflation_at(self, distance_km: np.ndarray | float) -> np.ndarray:
        """Route inflation k(d) at a distance [-]."""
        return self._at(self.inflation, distance_km)

    def spread_at(self, distance_km: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """``(ln p10/p50, ln p90/p50)`` of the route at a distance [-]."""
        return self._at(self.log_q10, distance_km), self._at(self.log_q90, distance_km)

    def p50_ms(self, distance_km: np.ndarray | float) -> np.ndarray:
        """Backbone median round trip, never below the fibre floor [ms]."""
        floor_ms = np.asarray(fibre_floor_rtt_ms(distance_km))
        return np.maximum(floor_ms, self.fixed_ms + self.inflation_at(distance_km) * floor_ms)


@dataclass(frozen=True)
class BandQuality:
    """Held-out figures of one distance band."""

    low_km: float
    """Lower edge of the band [km]."""
    high_km: float
    """Upper edge of the band (inf for the last) [km]."""
    n: int
    """Held-out pairs in the band."""
    median_error_pct: float
    """Median of (estimate - measured) / measured; negative = too low [%]."""
    mdape_pct: float
    """Median absolute percentage error [%]."""
    n_in_band: int
    """Pairs whose measured RTT lies within the estimated p10-p90 band."""

    @property
    def coverage(self) -> float:
        """Share of the band's pairs within p10-p90 [-]."""
        return self.n_in_band / self.n

    @property
    def label(self) -> str:
        """``'500-1,000 km'`` or ``'>= 10,000 km'``."""
        if np.isinf(self.high_km):
            return f">= {self.low_km:,.0f} km"
        return f"{self.low_km:,.0f}-{self.high_km:,.0f} km"


@dataclass(frozen=True)
class HeldOutQuality:
    """How the model predicts pairs it was not fitted on (two-fold cross-validation)."""

    n: int
    """Pairs, each held out once."""
    mdape_pct: float
    """Median absolute percentage error of the p50 [%]."""
    n_in_band: int
    """Pairs within the p10-p90 band."""
    n_below_floor: int
    """Estimates below the fibre floor (always 0: the model is clamped)."""
    bands: tuple[BandQuality, ...]
    """The same figures per distance band."""

    @property
    def coverage(self) -> float:
        """Share of pairs within p10-p90 [-]."""
        return self.n_in_band / self.n


@lru_cache(maxsize=1)
def calibration_pairs() -> CalibrationPairs:
    """Every published pair: the AWS matrix (mean of both directions) and the Azure rows.

    Returns
    -------
    CalibrationPairs
        Sorted by distance, then by name.
    """
    from edgecalc.catalog import load_catalog

    calibration = load_rtt_calibration()
    names: list[str] = []
    distance_km: list[float] = []
    rtt_ms: list[float] = []
    regions: list[tuple[str, str]] = []
    for key, dataset in calibration["datasets"].items():
        provider = key.split("_", 1)[0]
        if "matrix_file" in dataset:
            coordinates = {
                region.code: (float(region.lat.value), float(region.lon.value))
                for region in load_catalog().regions(provider)
                if region.lat is not None and region.lon is not None
            }
            path = RTT_CALIBRATION_PATH.parent / dataset["matrix_file"]
            matrix = json.loads(path.read_text(encoding="utf-8"))["data"]
            codes = sorted(matrix)
            for i, src in enumerate(codes):
                for dst in codes[i + 1 :]:
                    names.append(f"{key}: {src} <-> {dst}")
                    regions.append((f"{provider}/{src}", f"{provider}/{dst}"))
                    distance_km.append(great_circle_km(*coordinates[src], *coordinates[dst]))
                    rtt_ms.append((matrix[src][dst] + matrix[dst][src]) / 2.0)
        for row in dataset.get("rows", ()):
            names.append(f"{key}: {row['src']} -> {row['dst']}")
            regions.append((f"{provider}/{row['src']}", f"{provider}/{row['dst']}"))
            distance_km.append(float(row["great_circle_km"]))
            rtt_ms.append(float(row["rtt_p50_ms"]))
    order = sorted(range(len(names)), key=lambda i: (distance_km[i], names[i]))
    catalog = load_catalog()
    return CalibrationPairs(
        names=tuple(names[i] for i in order),
        distance_km=np.array([distance_km[i] for i in order]),
        rtt_ms=np.array([rtt_ms[i] for i in order]),
        regions=tuple(regions[i] for i in order),
        countries=tuple(tuple(catalog.region(key).country for key in regions[i]) for i in order),
    )


def fit_backbone(pairs: CalibrationPairs, use: np.ndarray | None = None) -> BackboneFit:
    r"""Fit the route inflation and its spread per distance band.

    Parameters
    ----------
    pairs : CalibrationPairs
        The published pairs.
    use : numpy.ndarray of bool, optional
        Which pairs to fit on; default all.

    Returns
    -------
    BackboneFit

    Notes
    -----
    For the pairs of band :math:`b`, :math:`k_b = \exp\,\mathrm{median}\ln\frac{RTT_i - c_0}
    {t_{floor,i}}`, at the knot :math:`\exp\,\mathrm{median}\ln d_i`; the spread is the 10th and
    90th percentiles of :math:`\ln(RTT_i / \widehat{RTT}_i)` in the band, with
    :math:`\widehat{RTT}` the interpolated model, taken as the order statistics of
    :func:`_split_conformal_quantiles`.
    """
    calibration = load_rtt_calibration()
    fixed_ms = float(calibration["fixed_overhead"]["value"])
    edges = [0.0, *map(float, calibration["fit_bands_km"]["value"]), np.inf]
    use = np.ones(pairs.distance_km.size, dtype=bool) if use is None else use
    distance = pairs.distance_km[use]
    rtt = pairs.rtt_ms[use]
    band = np.digitize(distance, edges) - 1
    bands = range(len(edges) - 1)
    floor_ms = np.asarray(fibre_floor_rtt_ms(distance))
    log_inflation = np.log((rtt - fixed_ms) / floor_ms)
    knot_km = np.array([np.exp(np.median(np.log(distance[band == b]))) for b in bands])
    inflation = np.array([np.exp(np.median(log_inflation[band == b])) for b in bands])
    central = BackboneFit(fixed_ms, knot_km, inflation, inflation * 0, inflation * 0, 0)
    log_ratio = np.log(rtt / central.p50_ms(distance))
    quantiles = np.array([_split_conformal_quantiles(log_ratio[band == b]) for b in bands])
    return BackboneFit(
        fixed_ms=fixed_ms,
        knot_km=knot_km,
        inflation=inflation,
        log_q10=quantiles[:, 0],
        log_q90=quantiles[:, 1],
        n_pairs=int(use.sum()),
    )


def _split_conformal_quantiles(log_ratio: np.ndarray) -> tuple[float, float]:
    r"""The p10 and p90 of a band's log-ratios, widened for the band's sample size.

    Parameters
    ----------
    log_ratio : numpy.ndarray
        :math:`\ln(RTT_i / \widehat{RTT}_i)` of the band's pairs [-].

    Returns
    -------
    tuple of float
        ``(low, high)``: the :math:`\lfloor 0.1 (n + 1) \rfloor`-th and
        :math:`\lceil 0.9 (n + 1) \rceil`-th smallest of the :math:`n` values (the smallest and
        the largest when :math:`n < 9`), the split-conformal order statistics that keep a new
        pair's chance of falling below (above) them at 10 % or less. With few pairs the plain
        10th and 90th percentiles of the fitted pairs are too narrow for pairs not yet seen
        (500-1,000 km: 14 fitted pairs, 69 % held-out coverage); with hundreds of pairs the two
        agree.
    """
    ordered = np.sort(log_ratio)
    n = ordered.size
    low_rank = max(int(np.floor(0.1 * (n + 1))), 1)
    high_rank = min(int(np.ceil(0.9 * (n + 1))), n)
    return float(ordered[low_rank - 1]), float(ordered[high_rank - 1])


@lru_cache(maxsize=1)
def fitted_backbone() -> BackboneFit:
    """The shipped model: :func:`fit_backbone` on every published pair (once per process)."""
    return fit_backbone(calibration_pairs())


@lru_cache(maxsize=1)
def held_out_quality() -> HeldOutQuality:
    """Two-fold cross-validation of :func:`fit_backbone` on the published pairs.

    Returns
    -------
    HeldOutQuality
        Error of the p50 and coverage of the p10-p90 band, overall and per reporting band.
    """
    pairs = calibration_pairs()
    fold = two_folds(pairs)
    p10, p50, p90 = (np.empty_like(pairs.rtt_ms) for _ in range(3))
    for held in (0, 1):
        fit = fit_backbone(pairs, use=fold != held)
        rows = fold == held
        distance = pairs.distance_km[rows]
        low, high = fit.spread_at(distance)
        floor_ms = np.asarray(fibre_floor_rtt_ms(distance))
        p50[rows] = fit.p50_ms(distance)
        p10[rows] = np.maximum(floor_ms, p50[rows] * np.exp(low))
        p90[rows] = p50[rows] * np.exp(high)
    return quality_of(pairs.distance_km, pairs.rtt_ms, p10, p50, p90)


def two_folds(pairs: CalibrationPairs) -> np.ndarray:
    """Fold 0 or 1 of each pair: sorted by distance (then name), alternately."""
    return np.arange(pairs.distance_km.size) % 2


def quality_of(
    distance_km: np.ndarray,
    measured_ms: np.ndarray,
    p10_ms: np.ndarray,
    p50_ms: np.ndarray,
    p90_ms: np.ndarray,
) -> HeldOutQuality:
    """Error and coverage of held-out predictions, overall and per reporting band.

    Parameters
    ----------
    distance_km : numpy.ndarray
        Great-circle distance of each held-out case [km].
    measured_ms : numpy.ndarray
        Published median round trip [ms].
    p10_ms, p50_ms, p90_ms : numpy.ndarray
        The estimate for each case, from a model not fitted on it [ms].

    Returns
    -------
    HeldOutQuality
    """
    error_pct = 100.0 * (p50_ms - measured_ms) / measured_ms
    in_band = (p10_ms <= measured_ms) & (measured_ms <= p90_ms)
    below_floor = p10_ms < np.asarray(fibre_floor_rtt_ms(distance_km)) - 1e-9
    edges = [0.0, *map(float, load_rtt_calibration()["report_bands_km"]["value"]), np.inf]
    bands = []
    for low_km, high_km in itertools.pairwise(edges):
        rows = (distance_km >= low_km) & (distance_km < high_km)
        bands.append(
            BandQuality(
                low_km=low_km,
                high_km=high_km,
                n=int(rows.sum()),
                median_error_pct=float(np.median(error_pct[rows])),
                mdape_pct=float(np.median(np.abs(error_pct[rows]))),
                n_in_band=int(in_band[rows].sum()),
            )
        )
    return HeldOutQuality(
        n=int(measured_ms.size),
        mdape_pct=float(np.median(np.abs(error_pct))),
        n_in_band=int(in_band.sum()),
        n_below_floor=int(below_floor.sum()),
        bands=tuple(bands),
    )

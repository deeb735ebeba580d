r"""Where the route runs: the destination region's factor and the continent-pair factor.

Distance alone leaves pairs at one distance 14 % apart (median): Europe to Asia runs via Suez
and is slower than a trans-Pacific hop of the same length, and some regions sit on thinner
backbone than others. With what a scenario knows besides the distance (the cloud region and the
site's country) the backbone median is multiplied by two fitted factors::

    RTT_p50 = max(t_floor, (c0 + k(d) t_floor) * exp(a_region + b_pair))

``a_region`` is the destination region's log factor, ``b_pair`` the factor of the unordered pair
of macro-regions (:mod:`edgecalc.latency.macro_regions`: the site's and the region's), both
fitted by ridge regression on the log residuals of the backbone,
``ln(RTT / backbone p50)``, so that an effect seen on few pairs is shrunk towards 0 (no effect).
Every published pair is a case seen from each end: the region at one end is the destination,
the other end stands in for the site. Only the destination's factor is fitted and applied:
for a site, the far end is not a cloud region but a site whose own network is the access
technology (:mod:`edgecalc.latency.access`), and nothing is known of its ISP's backbone; the
source ends' differences are left in the spread, which is what a site's estimate carries.

The spread (p10 and p90 of ``ln(RTT / estimate)`` per distance band, ``spread_bands_km``: the
reporting bands with 2,500-10,000 km split at 5,000 km, one step per band) comes from
cross-validation inside the fitting pairs (``route_effects.spread_inner_folds`` in
``rtt_calibration.yaml``): the residuals of a model fitted with the effects would be too narrow
for pairs it has not seen. Two models are fitted: with the region factor (for regions with
published pairs) and with the continent-pair factor alone (for the others); each has its own
held-out figures (:func:`route_held_out_quality`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from edgecalc.latency.calibration import (
    BackboneFit,
    CalibrationPairs,
    HeldOutQuality,
    _split_conformal_quantiles,
    calibration_pairs,
    fit_backbone,
    quality_of,
    two_folds,
)
from edgecalc.latency.geo import fibre_floor_rtt_ms, load_rtt_calibration
from edgecalc.latency.macro_regions import macro_region, macro_region_pair

MacroPair = tuple[str, str]


@dataclass(frozen=True)
class SiteCases:
    """Every published pair seen from each end: a destination region and a far end."""

    pair: np.ndarray
    """Index of the case's pair in :class:`~edgecalc.latency.calibration.CalibrationPairs`."""
    destination: tuple[str, ...]
    """Catalog key of the destination region (``'aws/eu-west-1'``)."""
    macro_pair: tuple[MacroPair | None, ...]
    """Sorted macro-regions of the two ends; None where one is not placed."""
    distance_km: np.ndarray
    """Great-circle distance [km]."""
    rtt_ms: np.ndarray
    """Published median round trip [ms]."""


@dataclass(frozen=True)
class RouteEffects:
    """Fitted log factors of destination regions and macro-region pairs."""

    region_log: dict[str, float]
    """ln factor of each destination region [-]."""
    pair_log: dict[MacroPair, float]
    """ln factor of each unordered macro-region pair [-]."""
    region_cases: dict[str, int]
    """Fitting cases per destination region."""
    pair_cases: dict[MacroPair, int]
    """Fitting cases per macro-region pair."""

    def log_factor(self, destination: str | None, macro_pair: MacroPair | None) -> float:
        """``a_region + b_pair``; an effect not fitted counts 0 [-]."""
        return self.region_log.get(destination or "", 0.0) + self.pair_log.get(macro_pair, 0.0)


@dataclass(frozen=True)
class RouteModel:
    """The backbone, the route factors and the spread of the estimate they make."""

    backbone: BackboneFit
    """Route inflation k(d) and fixed overhead."""
    effects: RouteEffects
    """Destination-region (when ``uses_regions``) and continent-pair factors."""
    uses_regions: bool
    """Whether the destination region's factor is part of the model."""
    band_edges_km: np.ndarray
    """Edges of the spread's distance bands, from 0 to inf [km]."""
    log_q10: np.ndarray
    """10th percentile of ln(measured / estimate) per spread band [-]."""
    log_q90: np.ndarray
    """90th percentile of ln(measured / estimate) per spread band [-]."""

    def spread_at(self, distance_km: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """``(ln p10/p50, ln p90/p50)`` of the band a distance falls in [-]."""
        band = np.digitize(np.asarray(distance_km, dtype=float), self.band_edges_km) - 1
        return self.log_q10[band], self.log_q90[band]

    def factor(self, destination: str | None, macro_pair: MacroPair | None) -> float:
        """The multiplier on the backbone median: ``exp(a_region + b_pair)`` [-]."""
        region = destination if self.uses_regions else None
        return float(np.exp(self.effects.log_factor(region, macro_pair)))

    def p50_ms(self, distance_km: np.ndarray | float, factor: float) -> np.ndarray:
        """Median round trip with the route factor, never below the fibre floor [ms]."""
        floor_ms = np.asarray(fibre_floor_rtt_ms(distance_km))
        return np.maximum(floor_ms, self.backbone.p50_ms(distance_km) * factor)


@lru_cache(maxsize=1)
def site_cases() -> SiteCases:
    """The published pairs, each seen from both ends (twice as many cases as pairs)."""
    pairs = calibration_pairs()
    index, destination, macro = [], [], []
    for i, ((a, b), (country_a, country_b)) in enumerate(
        zip(pairs.regions, pairs.countries, strict=True)
    ):
        ends = macro_region(country_a), macro_region(country_b)
        both = None if None in ends else macro_region_pair(*ends)
        for dst in (b, a):
            index.append(i)
            destination.append(dst)
            macro.append(both)
    index_array = np.array(index)
    return SiteCases(
        pair=index_array,
        destination=tuple(destination),
        macro_pair=tuple(macro),
        distance_km=pairs.distance_km[index_array],
        rtt_ms=pairs.rtt_ms[index_array],
    )


def _fit_effects(
    cases: SiteCases, backbone: BackboneFit, rows: np.ndarray, uses_regions: bool
) -> RouteEffects:
    r"""Ridge regression of the backbone's log residuals on the route's indicators.

    Minimises :math:`\sum_i (r_i - a_{region(i)} - b_{pair(i)})^2 + \lambda_a \sum a^2 +
    \lambda_b \sum b^2` over the cases in ``rows``, with :math:`r_i = \ln(RTT_i /
    \widehat{RTT}_{backbone,i})` and the penalties of ``route_effects`` in
    ``rtt_calibration.yaml``.
    """
    settings = load_rtt_calibration()["route_effects"]
    chosen = np.flatnonzero(rows)
    residual = np.log(cases.rtt_ms[chosen] / backbone.p50_ms(cases.distance_km[chosen]))
    columns: dict[tuple, list[int]] = {}
    for row, case in enumerate(chosen):
        if uses_regions:
            columns.setdefault(("region", cases.destination[case]), []).append(row)
        if cases.macro_pair[case] is not None:
            columns.setdefault(("pair", cases.macro_pair[case]), []).append(row)
    keys = list(columns)
    design = np.zeros((chosen.size, len(keys)))
    for j, key in enumerate(keys):
        design[columns[key], j] = 1.0
    penalty = np.array(
        [
            float(settings["region_shrinkage" if kind == "region" else "pair_shrinkage"])
            for kind, _ in keys
        ]
    )
    beta = np.linalg.solve(design.T @ design + np.diag(penalty), design.T @ residual)
    effect = {key: float(b) for key, b in zip(keys, beta, strict=True)}
    return RouteEffects(
        region_log={k[1]: v for k, v in effect.items() if k[0] == "region"},
        pair_log={k[1]: v for k, v in effect.items() if k[0] == "pair"},
        region_cases={k[1]: len(columns[k]) for k in keys if k[0] == "region"},
        pair_cases={k[1]: len(columns[k]) for k in keys if k[0] == "pair"},
    )


def _predict(
    pairs: CalibrationPairs, cases: SiteCases, use: np.ndarray, uses_regions: bool
) -> tuple[BackboneFit, RouteEffects, np.ndarray]:
    """Fit on the pairs in ``use``; the p50 of every case [ms]."""
    backbone = fit_backbone(pairs, use=use)
    effects = _fit_effects(cases, backbone, use[cases.pair], uses_regions)
    factor = np.exp(
        [
            effects.log_factor(dst if uses_regions else None, pair)
            for dst, pair in zip(cases.destination, cases.macro_pair, strict=True)
        ]
    )
    floor_ms = np.asarray(fibre_floor_rtt_ms(cases.distance_km))
    return backbone, effects, np.maximum(floor_ms, backbone.p50_ms(cases.distance_km) * factor)


def fit_route_model(
    pairs: CalibrationPairs, cases: SiteCases, use: np.ndarray, uses_regions: bool
) -> RouteModel:
    """Fit the backbone and the route factors on the pairs in ``use``, and their spread.

    The spread is the split-conformal p10 and p90 (per fit band) of the log residuals of each
    fitting case predicted by a model fitted without its pair (``spread_inner_folds``-fold
    cross-validation inside ``use``; both ends of a pair stay in one fold).
    """
    calibration = load_rtt_calibration()
    backbone, effects, _ = _predict(pairs, cases, use, uses_regions)
    inner_folds = int(calibration["route_effects"]["spread_inner_folds"])
    inner = np.full(pairs.distance_km.size, -1)
    inner[use] = np.arange(int(use.sum())) % inner_folds
    residual = np.full(cases.rtt_ms.size, np.nan)
    for fold in range(inner_folds):
        _, _, p50 = _predict(pairs, cases, use & (inner != fold), uses_regions)
        rows = inner[cases.pair] == fold
        residual[rows] = np.log(cases.rtt_ms[rows] / p50[rows])
    edges = np.array([0.0, *map(float, calibration["route_effects"]["spread_bands_km"]), np.inf])
    band = np.digitize(cases.distance_km, edges) - 1
    fitted = use[cases.pair]
    quantiles = np.array(
        [_split_conformal_quantiles(residual[fitted & (band == b)]) for b in range(len(edges) - 1)]
    )
    return RouteModel(backbone, effects, uses_regions, edges, quantiles[:, 0], quantiles[:, 1])


@lru_cache(maxsize=2)
def fitted_route_model(uses_regions: bool) -> RouteModel:
    """The shipped model with (or without) the region factor, fitted on every published pair."""
    pairs = calibration_pairs()
    use = np.ones(pairs.distance_km.size, dtype=bool)
    return fit_route_model(pairs, site_cases(), use, uses_regions)


@lru_cache(maxsize=2)
def route_held_out_quality(uses_regions: bool) -> HeldOutQuality:
    """Two-fold cross-validation of :func:`fit_route_model` on the published pairs.

    Both ends of a held-out pair are predicted (each as destination) by the model fitted on the
    other fold, so there are twice as many cases as pairs.

    Returns
    -------
    HeldOutQuality
        Error of the p50 and coverage of the p10-p90 band, overall and per reporting band.
    """
    pairs = calibration_pairs()
    cases = site_cases()
    fold = two_folds(pairs)
    p10, p50, p90 = (np.empty_like(cases.rtt_ms) for _ in range(3))
    for held in (0, 1):
        model = fit_route_model(pairs, cases, fold != held, uses_regions)
        rows = fold[cases.pair] == held
        factor = np.array(
            [model.factor(cases.destination[i], cases.macro_pair[i]) for i in np.flatnonzero(rows)]
        )
        distance = cases.distance_km[rows]
        low, high = model.spread_at(distance)
        p50[rows] = model.p50_ms(distance, factor)
        floor_ms = np.asarray(fibre_floor_rtt_ms(distance))
        p10[rows] = np.maximum(floor_ms, p50[rows] * np.exp(low))
        p90[rows] = p50[rows] * np.exp(high)
    return quality_of(cases.distance_km, cases.rtt_ms, p10, p50, p90)

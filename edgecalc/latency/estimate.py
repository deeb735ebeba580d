"""Round-trip time estimated from distance, when nothing was measured.

The model has three parts, each modelled on its own::

    RTT_q = max(t_floor, (c0 + k(d) * t_floor) * f_route * s_q) + access_ms

``t_floor = 2 d / 204.19`` is the fibre floor (light in fibre, there and back, along the great
circle); ``c0 + k(d) t_floor`` the backbone's median round trip, with the route inflation
``k(d)`` fitted per distance band on published inter-region RTTs
(:mod:`edgecalc.latency.calibration`); ``s_q`` the spread of routes at that distance (p10 and
p90 of the published pairs around the model); ``access_ms`` the site's last-mile latency (from
its access technology, :mod:`edgecalc.latency.access`, or given). ``f_route`` is the
destination region's and the continent-pair factor (:mod:`edgecalc.latency.route_effects`)
when the region and both countries are known, else 1; ``s_q`` is then that model's spread.

The fit runs once per process, on first use, and is cached rather than stored as constants: the
data files are the only place the numbers live. The held-out figures quoted in
:func:`estimate_rtt` are checked against a re-run of the cross-validation by
``tests/latency/test_estimate.py``.

A measured RTT (``edgecalc measure``) or one given in the scenario always takes precedence over
this estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from edgecalc.format import ms as _ms
from edgecalc.latency.calibration import BackboneFit, fitted_backbone, held_out_quality
from edgecalc.latency.geo import fibre_floor_rtt_ms
from edgecalc.latency.macro_regions import macro_region, macro_region_pair
from edgecalc.latency.route_effects import RouteModel, fitted_route_model, route_held_out_quality
from edgecalc.latency.tail import rtt_at_percentile

ArrayLike = float | npt.ArrayLike


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
    route_factor: float = 1.0
    """Destination-region and continent-pair factor on the backbone median (1: none) [-]."""

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
    distance_km: ArrayLike,
    access_ms: ArrayLike = 0.0,
    route_inflation: float | None = None,
    *,
    region: str | None = None,
    site_country: str | None = None,
    region_country: str | None = None,
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
        Route inflation to use at every distance instead of the fitted k(d), > 0 [-]: for a
        site that reaches the cloud over the public Internet rather than a backbone, Bozkurt et
        al. give about 2.1. The fitted spread is kept, and no route factor applies.
    region : str, optional
        Catalog key of the cloud region (``'aws/eu-west-1'``): its fitted factor applies when
        published pairs reach it.
    site_country, region_country : str, optional
        ISO 3166-1 alpha-2 countries of the site and of the region: with both, the
        continent-pair factor applies (:mod:`edgecalc.latency.route_effects`). Without them
        the estimate is the backbone's alone, from the distance.

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

        \mathrm{RTT}_{50} = \max\left(t_{floor},\; c_0 + k(d)\, t_{floor}\right) + t_{access},
        \qquad t_{floor} = 2 d / 204.19\ \mathrm{km/ms}

    and :math:`\mathrm{RTT}_{10,90} = \max(t_{floor}, (c_0 + k(d) t_{floor}) s_{10,90}(d)) +
    t_{access}`, with :math:`c_0 = 3` ms, :math:`k(d)` and the route spread :math:`s(d)` fitted
    per distance band by :func:`~edgecalc.latency.calibration.fit_backbone` (k 2.23 at 630 km
    falling to 1.60 at 12,981 km).

    How well it predicts pairs it was not fitted on (two-fold cross-validation over 517
    published pairs: AWS cloudping p50, 1 year to 2025-05-29; Azure official monthly p50, June
    2024): median absolute error 14.1 %; the p10-p90 band covers 417 of 517 (81 %); never
    below the fibre floor. Median error by band: under 500 km +2.6 % (10 of 12 within the band),
    500-1,000 km -5.2 % (13 of 16), 1,000-2,500 km +3.2 % (26 of 31), 2,500-10,000 km +1.8 %
    (227 of 278), beyond 10,000 km +2.1 % (141 of 180). The median error misses the 10 % goal:
    pairs at the same distance differ by the routes the cables take (Europe to Asia via Suez
    against a trans-Pacific hop), which distance alone cannot tell; the band says so. These are
    backbone paths between regions; the site's own access network is added on top
    (:mod:`edgecalc.latency.access`).

    Given the region and both countries (as the pipeline passes them), the backbone median is
    multiplied by the route factors of :mod:`edgecalc.latency.route_effects` and the spread is
    that model's. Held out the same way, each pair seen from both ends as destination: with
    the destination region's and the continent-pair factor, median absolute error 9.0 %, the
    p10-p90 band covers 848 of 1034 cases (82 %); median error by band: under 500 km +3.1 %
    [20 of 24 within the band], 500-1,000 km -6.4 % [25 of 32], 1,000-2,500 km -3.0 %
    [48 of 62], 2,500-10,000 km +1.3 % [464 of 556], beyond 10,000 km +0.3 % [291 of 360].
    For a region no published pair reaches, the continent-pair factor alone: median absolute
    error 9.9 %, covering 846 of 1034 cases (82 %; 88 % at 500-1,000 km, wider than asked).
    Without a country, or for two macro-regions no published pair joins, the backbone alone.

    References
    ----------
    Calibration data, fibre speed and c0 with their sources: ``rtt_calibration.yaml``.
    I. N. Bozkurt et al., "Dissecting Latency in the Internet's Fiber Infrastructure",
    arXiv:1811.10737 (2018).

    Examples
    --------
    >>> est = estimate_rtt(1000.0, access_ms=5.0)
    >>> round(est.floor_ms, 2), round(est.p50_ms, 1)
    (9.79, 28.8)
    """
    distance = np.asarray(distance_km, dtype=float)
    access = np.asarray(access_ms, dtype=float)
    if not np.all(np.isfinite(access)) or np.any(access < 0):
        raise ValueError("access_ms must be finite and >= 0")
    fit = fitted_backbone()
    given = route_inflation is not None
    if given and not (np.isfinite(route_inflation) and route_inflation > 0):
        raise ValueError("route_inflation must be a finite number > 0")
    floor_ms = np.asarray(fibre_floor_rtt_ms(distance))
    inflation = (
        np.full(distance.shape, float(route_inflation)) if given else fit.inflation_at(distance)
    )
    backbone_ms = np.maximum(floor_ms, fit.fixed_ms + inflation * floor_ms)
    log_q10, log_q90 = fit.spread_at(distance)
    route = None if given else _route(region, site_country, region_country)
    factor = 1.0
    if route is not None:
        model, pair = route
        factor = model.factor(region, pair)
        backbone_ms = model.p50_ms(distance, factor)
        log_q10, log_q90 = model.spread_at(distance)
    shape = np.broadcast_shapes(floor_ms.shape, access.shape)
    p10_ms = np.broadcast_to(np.maximum(floor_ms, backbone_ms * np.exp(log_q10)) + access, shape)
    p50_ms = np.broadcast_to(backbone_ms + access, shape)
    p90_ms = np.broadcast_to(backbone_ms * np.exp(log_q90) + access, shape)
    return RttEstimate(
        distance_km=_as_output(distance),
        floor_ms=_as_output(floor_ms),
        p10_ms=_as_output(p10_ms),
        p50_ms=_as_output(p50_ms),
        p90_ms=_as_output(p90_ms),
        inflation_p50=_as_output(inflation),
        access_ms=_as_output(access),
        method=_method_sentence(distance, floor_ms, inflation, access, fit, given, route, region),
        route_factor=factor,
    )


def _route(
    region: str | None, site_country: str | None, region_country: str | None
) -> tuple[RouteModel, tuple[str, str]] | None:
    """The route model that applies and the macro-region pair; None for the backbone alone.

    The model with the region factor when published pairs reach the region, the
    continent-pair model otherwise; none when a country is unknown or no published pair joins
    the two macro-regions (an effect never fitted is not assumed to be 0 with a narrow band).
    """
    ends = macro_region(site_country), macro_region(region_country)
    if None in ends:
        return None
    pair = macro_region_pair(*ends)
    with_regions = fitted_route_model(True)
    if pair not in with_regions.effects.pair_cases:
        return None
    if region in with_regions.effects.region_cases:
        return with_regions, pair
    return fitted_route_model(False), pair


def _as_output(values: np.ndarray) -> float | np.ndarray:
    """A float for a 0-d array, otherwise a copy (never a read-only broadcast view)."""
    return float(values) if values.ndim == 0 else np.array(values)


def method_sentences(
    distance_km: npt.ArrayLike,
    access_ms: npt.ArrayLike = 0.0,
    route_inflation: float | None = None,
    *,
    region: str | None = None,
    site_country: str | None = None,
    region_country: str | None = None,
) -> list[str]:
    """The ``method`` of :func:`estimate_rtt` for each distance of a 1-d array, in one call.

    Element ``i`` equals ``estimate_rtt(distance_km[i], access_ms[i], ...).method``: the
    floor and the inflation are computed for every distance at once (one numpy call each),
    only the words are put together per distance. Same parameters as :func:`estimate_rtt`.

    Returns
    -------
    list of str
        One sentence per distance.
    """
    distance = np.atleast_1d(np.asarray(distance_km, dtype=float))
    access = np.broadcast_to(np.asarray(access_ms, dtype=float), distance.shape)
    estimate = estimate_rtt(
        distance,
        access,
        route_inflation,
        region=region,
        site_country=site_country,
        region_country=region_country,
    )
    fit = fitted_backbone()
    given = route_inflation is not None
    route = None if given else _route(region, site_country, region_country)
    floor = np.asarray(estimate.floor_ms)
    inflation = np.asarray(estimate.inflation_p50)
    # the words every element shares are put together once; the four numbers per element are
    # formatted as _describe formats one value (a float each: the same text)
    model, held = _shared_parts(fit, given, route, region)
    out = []
    for d, f, k, a in zip(
        distance.tolist(), floor.tolist(), inflation.tolist(), access.tolist(), strict=True
    ):
        parts = [
            f"great-circle {d:,.0f} km",
            f"fibre floor {_ms(f)}",
            model.format(f"{k:,.2f}"),
            *held,
            f"+access {_ms(a, 1 if a % 1 else 0)}",
        ]
        out.append("; ".join(parts))
    return out


def _shared_parts(
    fit: BackboneFit,
    given: bool,
    route: tuple[RouteModel, tuple[str, str]] | None,
    region: str | None,
) -> tuple[str, list[str]]:
    """The parts of :func:`_method_sentence` that do not depend on the distance or the access:
    the inflation part as a template for its figure, and the parts after it but the access."""
    quality = held_out_quality() if route is None else route_held_out_quality(route[0].uses_regions)
    held_out = (
        f"(held out: median error {quality.mdape_pct:.0f} %, "
        f"p10-p90 covers {100 * quality.coverage:.0f} %)"
    )
    fitted = f"fitted on {fit.n_pairs} published inter-region RTTs"
    model = (
        "route inflation {} as given (the fitted spread)"
        if given
        else "backbone route inflation {} " + fitted + ("" if route else f" {held_out}")
    )
    parts = []
    if route is not None:
        parts.append(_route_part(route, region, held_out))
    parts.append(f"+{_ms(fit.fixed_ms, 1 if fit.fixed_ms % 1 else 0)} fixed")
    return model, parts


def _route_part(route: tuple[RouteModel, tuple[str, str]], region: str | None, held_out: str):
    """``route factor x1.07 (region ...: 12 published pairs, ...) (held out: ...)``."""
    model, pair = route
    effects = model.effects
    # each published pair is a case from either end: a macro-region pair has two per pair
    detail = [f"{pair[0]} to {pair[1]}: {effects.pair_cases[pair] // 2} published pairs"]
    if model.uses_regions:
        detail.insert(0, f"region {region}: {effects.region_cases[region]} published pairs")
    factor = model.factor(region, pair)
    return f"route factor x{factor:.2f} ({', '.join(detail)}) {held_out}"


def _describe(values: np.ndarray, unit: str, decimals: int) -> str:
    """``'612 km'`` for one value, ``'300-5,000 km'`` for a range of values."""
    if np.size(values) == 1:  # one value (one site group): no range to find
        return f"{float(np.ravel(values)[0]):,.{decimals}f} {unit}"
    low, high = float(np.min(values)), float(np.max(values))
    if np.isclose(low, high):
        return f"{low:,.{decimals}f} {unit}"
    return f"{low:,.{decimals}f}-{high:,.{decimals}f} {unit}"


def _method_sentence(
    distance_km: np.ndarray,
    floor_ms: np.ndarray,
    inflation: np.ndarray,
    access_ms: np.ndarray,
    fit: BackboneFit,
    given: bool,
    route: tuple[RouteModel, tuple[str, str]] | None = None,
    region: str | None = None,
) -> str:
    """The assumptions of one estimate, in the words a user reads."""
    quality = held_out_quality() if route is None else route_held_out_quality(route[0].uses_regions)
    held_out = (
        f"(held out: median error {quality.mdape_pct:.0f} %, "
        f"p10-p90 covers {100 * quality.coverage:.0f} %)"
    )
    fitted = f"fitted on {fit.n_pairs} published inter-region RTTs"
    parts = [
        f"great-circle {_describe(distance_km, 'km', 0)}",
        f"fibre floor {_describe(floor_ms, 'ms', 1)}",
        (
            f"route inflation {_describe(inflation, '', 2).strip()} as given (the fitted spread)"
            if given
            else f"backbone route inflation {_describe(inflation, '', 2).strip()} {fitted}"
            + ("" if route else f" {held_out}")
        ),
    ]
    if route is not None:
        parts.append(_route_part(route, region, held_out))
    parts += [
        f"+{_ms(fit.fixed_ms, 1 if fit.fixed_ms % 1 else 0)} fixed",
        f"+access {_describe(access_ms, 'ms', 1 if np.any(access_ms % 1) else 0)}",
    ]
    return "; ".join(parts)

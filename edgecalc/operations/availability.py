"""Minutes a site cannot infer: WAN outages (cloud), device failures (edge), fallbacks (hybrid).

Shares of time are long-run averages; edge failures and WAN outages are assumed independent.
A month is 730 hours (8760 / 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import binom

from ..units import HOURS_PER_MONTH

__all__ = [
    "HOURS_PER_MONTH",
    "MINUTES_PER_MONTH",
    "Availability",
    "cloud_availability",
    "device_unavailability",
    "edge_availability",
    "hybrid_availability",
    "minutes_per_month",
    "site_down_probability",
    "wan_outages_per_month",
]

FloatArray = NDArray[np.float64]

MINUTES_PER_MONTH = HOURS_PER_MONTH * 60.0
"""Minutes in an average month, 43,800 [min/month]."""


@dataclass(frozen=True)
class Availability:
    """What a site gets from one deployment option, as long-run shares of a month.

    Attributes
    ----------
    minutes_without_inference_per_month : ndarray
        Expected minutes per site per month in which no inference can be served [min/month].
    share_served : ndarray
        Share of inferences answered at all, late ones included [fraction].
    share_within_budget : ndarray
        Share of inferences answered within the latency budget [fraction].
    share_lost_escalations : ndarray
        Share of all inferences lost because an escalation was dropped while the WAN was down
        [fraction]; 0 for cloud, edge and queued escalations.
    share_recovered_by_fallback : ndarray
        Share of inferences served only thanks to the fallback policy (cloud when the edge is
        down; queued escalations answered late) [fraction].
    """

    minutes_without_inference_per_month: FloatArray
    share_served: FloatArray
    share_within_budget: FloatArray
    share_lost_escalations: FloatArray
    share_recovered_by_fallback: FloatArray


def _share(value: ArrayLike, name: str) -> FloatArray:
    if type(value) is float or type(value) is int:  # one number (the operations section's)
        if not 0.0 <= value <= 1.0:  # NaN too
            raise ValueError(f"{name} must be in [0, 1], got {np.asarray(value, dtype=float)}")
        return np.asarray(value, dtype=float)
    array = np.asarray(value, dtype=float)
    if np.any((array < 0) | (array > 1)) or np.any(np.isnan(array)):
        raise ValueError(f"{name} must be in [0, 1], got {array}")
    return array


def minutes_per_month(down_share: ArrayLike) -> FloatArray:
    """Convert a long-run down share into minutes per month.

    Parameters
    ----------
    down_share : float or array
        Share of time down [fraction].

    Returns
    -------
    ndarray
        ``down_share x 730 x 60`` [min/month].

    Examples
    --------
    >>> round(float(minutes_per_month(0.001)), 6)
    43.8
    """
    return _share(down_share, "down_share") * MINUTES_PER_MONTH


def wan_outages_per_month(wan_availability: ArrayLike, mean_outage_hours: ArrayLike) -> FloatArray:
    """Expected number of WAN outages per month.

    Parameters
    ----------
    wan_availability : float or array
        Share of time the site's WAN is up [fraction].
    mean_outage_hours : float or array
        Mean length of one outage [h], > 0.

    Returns
    -------
    ndarray
        ``(1 - wan_availability) x 730 / mean_outage_hours`` [outages/month].

    Notes
    -----
    The downtime per month does not depend on the outage length; the outage count does (many
    short or few long outages). Availability 1 gives 0 outages.

    Examples
    --------
    >>> round(float(wan_outages_per_month(0.999, 0.5)), 2)
    1.46
    """
    down = 1.0 - _share(wan_availability, "wan_availability")
    hours = np.asarray(mean_outage_hours, dtype=float)
    if np.any(hours <= 0):
        raise ValueError("mean_outage_hours must be > 0")
    return down * HOURS_PER_MONTH / hours


def device_unavailability(
    annual_failure_rate: ArrayLike, truck_roll_lead_hours: ArrayLike, on_site_hours: ArrayLike
) -> FloatArray:
    """Long-run share of time one device is down, waiting for or under repair.

    Parameters
    ----------
    annual_failure_rate : float or array
        Failures per device-year (AFR) [1/year], >= 0.
    truck_roll_lead_hours : float or array
        Time from failure to a technician on site [h], >= 0.
    on_site_hours : float or array
        Time on site to repair or swap the device [h], >= 0.

    Returns
    -------
    ndarray
        Unavailability ``u`` [fraction].

    Notes
    -----
    With :math:`\\lambda = AFR / 8760` per hour and :math:`MTTR = lead + on\\_site`:

    .. math:: u = \\frac{\\lambda \\, MTTR}{1 + \\lambda \\, MTTR}

    (the down share of an alternating up/down renewal process, MTBF = 1/λ). AFR 0 or MTTR 0
    give 0.

    Examples
    --------
    >>> round(float(device_unavailability(0.05, 44, 4)), 6)
    0.000274
    """
    rate_per_hour = np.asarray(annual_failure_rate, dtype=float) / 8760.0
    repair_hours = np.asarray(truck_roll_lead_hours, dtype=float) + np.asarray(on_site_hours)
    if np.any(rate_per_hour < 0) or np.any(repair_hours < 0):
        raise ValueError("failure rate and repair times must be >= 0")
    expected_down = rate_per_hour * repair_hours
    return expected_down / (1.0 + expected_down)


def site_down_probability(
    device_unavailability: ArrayLike, devices_needed: ArrayLike, spares: ArrayLike = 0
) -> FloatArray:
    """Probability a site has fewer working devices than it needs.

    Parameters
    ----------
    device_unavailability : float or array
        Down share ``u`` of one device [fraction].
    devices_needed : int or array
        Devices the site's load needs ``n`` [devices], >= 0.
    spares : int or array, default 0
        Spare devices ``k`` installed on top (N+k redundancy) [devices], >= 0.

    Returns
    -------
    ndarray
        P(more than ``k`` of the ``n + k`` devices are down) [probability].

    Notes
    -----
    Devices fail independently:

    .. math:: P_{down} = \\sum_{j=k+1}^{n+k} \\binom{n+k}{j} u^j (1-u)^{n+k-j}

    e.g. ``n = 2, k = 1``: :math:`3u^2(1-u) + u^3`. ``k = 0`` gives :math:`1-(1-u)^n`;
    ``n = 0`` gives 0 (nothing to serve); ``u = 1`` gives 1 when ``n > 0``.

    Examples
    --------
    >>> round(float(site_down_probability(0.01, 2, 1)), 6)
    0.000298
    """
    u = _share(device_unavailability, "device_unavailability")
    needed = np.asarray(devices_needed)
    spare = np.asarray(spares)
    if np.any(needed < 0) or np.any(spare < 0):
        raise ValueError("devices_needed and spares must be >= 0")
    return np.asarray(binom.sf(spare, needed + spare, u), dtype=float)


def cloud_availability(
    wan_availability: ArrayLike, cloud_within_budget_share: ArrayLike = 1.0
) -> Availability:
    """Cloud path: a site cannot infer while its WAN is down.

    Parameters
    ----------
    wan_availability : float or array
        Share of time the WAN is up [fraction].
    cloud_within_budget_share : float or array, default 1
        Share of cloud requests that meet the latency budget [fraction].

    Returns
    -------
    Availability
        Down minutes ``(1 - a) x 730 x 60``; served ``a``; within budget ``a x share``.

    Notes
    -----
    Availability 1 gives 0 minutes; there is no fallback, so nothing is recovered.

    Examples
    --------
    >>> round(float(cloud_availability(0.999).minutes_without_inference_per_month), 1)
    43.8
    """
    up = _share(wan_availability, "wan_availability")
    fast = _share(cloud_within_budget_share, "cloud_within_budget_share")
    zero = np.zeros_like(up * fast)
    return Availability(
        minutes_without_inference_per_month=minutes_per_month(1.0 - up) + zero,
        share_served=up + zero,
        share_within_budget=up * fast,
        share_lost_escalations=zero,
        share_recovered_by_fallback=zero,
    )


def hybrid_availability(
    site_down_share: ArrayLike,
    wan_availability: ArrayLike,
    escalation_share: ArrayLike,
    *,
    fallback_to_cloud: bool,
    escalation_policy: Literal["queue", "drop"] = "drop",
    edge_within_budget_share: ArrayLike = 1.0,
    cloud_within_budget_share: ArrayLike = 1.0,
) -> Availability:
    """Hybrid path: the edge answers, escalating a share of requests to the cloud.

    Parameters
    ----------
    site_down_share : float or array
        Share of time the site's edge devices cannot serve, ``s``, e.g. from
        :func:`site_down_probability` [fraction].
    wan_availability : float or array
        Share of time the WAN is up; ``w = 1 - wan_availability`` [fraction].
    escalation_share : float or array
        Share of inferences the edge passes on to the cloud, ``e`` [fraction].
    fallback_to_cloud : bool
        Whether all requests may go to the cloud while the edge is down (residency allows it).
    escalation_policy : {"queue", "drop"}, default "drop"
        While the WAN is down, escalations wait and are answered late ("queue") or are lost
        ("drop").
    edge_within_budget_share, cloud_within_budget_share : float or array, default 1
        Share of requests answered within the latency budget on each path [fraction].

    Returns
    -------
    Availability

    Notes
    -----
    Edge and WAN are independent; the four states of a month and what is served:

    ==================  ==============  =========================================
    state               share           served (within budget)
    ==================  ==============  =========================================
    edge up, WAN up     (1-s)(1-w)      all: (1-e)·edge_ok + e·cloud_ok
    edge up, WAN down   (1-s)w          1-e (edge_ok); escalations queued (late)
                                        or dropped
    edge down, WAN up   s(1-w)          all via cloud if fallback (cloud_ok), else 0
    both down           s·w             nothing
    ==================  ==============  =========================================

    Minutes without inference = ``(s·w + s(1-w)·[no fallback]) x 43,800``. Dropped share =
    ``e·(1-s)·w``. Recovered by the policies = ``s(1-w)·[fallback] + e(1-s)w·[queue]``.

    Edge cases: ``e = 0`` equals :func:`edge_availability`; ``s = 0`` and ``w = 0`` serve
    everything; ``e = 1`` still needs the edge to be up to triage (unlike pure cloud).

    Examples
    --------
    >>> a = hybrid_availability(0.01, 0.99, 0.1, fallback_to_cloud=True)
    >>> round(float(a.share_served), 6), round(float(a.share_lost_escalations), 6)
    (0.99891, 0.00099)
    """
    if escalation_policy not in ("queue", "drop"):
        raise ValueError(f"escalation_policy must be 'queue' or 'drop', got {escalation_policy!r}")
    s = _share(site_down_share, "site_down_share")
    w = 1.0 - _share(wan_availability, "wan_availability")
    e = _share(escalation_share, "escalation_share")
    edge_ok = _share(edge_within_budget_share, "edge_within_budget_share")
    cloud_ok = _share(cloud_within_budget_share, "cloud_within_budget_share")
    fallback = 1.0 if fallback_to_cloud else 0.0
    queue = 1.0 if escalation_policy == "queue" else 0.0

    both_up = (1.0 - s) * (1.0 - w)
    wan_only_down = (1.0 - s) * w
    edge_only_down = s * (1.0 - w)
    both_down = s * w

    escalations_cut_off = e * wan_only_down
    recovered_by_cloud = edge_only_down * fallback
    recovered_by_queue = escalations_cut_off * queue
    served = both_up + (1.0 - e) * wan_only_down + recovered_by_queue + recovered_by_cloud
    within_budget = (
        both_up * ((1.0 - e) * edge_ok + e * cloud_ok)
        + wan_only_down * (1.0 - e) * edge_ok
        + recovered_by_cloud * cloud_ok
    )
    nothing_served = both_down + edge_only_down * (1.0 - fallback)
    return Availability(
        minutes_without_inference_per_month=minutes_per_month(nothing_served),
        share_served=served,
        share_within_budget=within_budget,
        share_lost_escalations=escalations_cut_off * (1.0 - queue),
        share_recovered_by_fallback=recovered_by_cloud + recovered_by_queue,
    )


def edge_availability(
    site_down_share: ArrayLike,
    *,
    wan_availability: ArrayLike = 1.0,
    fallback_to_cloud: bool = False,
    edge_within_budget_share: ArrayLike = 1.0,
    cloud_within_budget_share: ArrayLike = 1.0,
) -> Availability:
    """Edge path: the site is down while more devices are down than it has spares.

    Parameters
    ----------
    site_down_share : float or array
        Share of time the site cannot serve, ``s``, e.g. :func:`site_down_probability`
        [fraction].
    wan_availability : float or array, default 1
        Share of time the WAN is up; only matters with ``fallback_to_cloud`` [fraction].
    fallback_to_cloud : bool, default False
        Whether requests go to the cloud while the edge is down (residency allows it).
    edge_within_budget_share, cloud_within_budget_share : float or array, default 1
        Share of requests answered within the latency budget on each path [fraction].

    Returns
    -------
    Availability

    Notes
    -----
    Without fallback the site is down a share ``s``; with it, only while both the edge and the
    WAN are down: ``s x (1 - wan_availability)`` (independence). This is
    :func:`hybrid_availability` with no escalations.

    Examples
    --------
    >>> round(float(edge_availability(0.001).minutes_without_inference_per_month), 1)
    43.8
    """
    return hybrid_availability(
        site_down_share,
        wan_availability,
        0.0,
        fallback_to_cloud=fallback_to_cloud,
        edge_within_budget_share=edge_within_budget_share,
        cloud_within_budget_share=cloud_within_budget_share,
    )

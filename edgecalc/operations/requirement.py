"""Availability as a requirement: does an option serve enough, and what do its gaps cost?

The figures come from :mod:`edgecalc.operations.availability` (minutes per site and month
without inference; share of inferences served); the requirement from the scenario
(``operations.availability_requirement``). Pure and vectorised: a leading sample axis
broadcasts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from edgecalc.operations.availability import MINUTES_PER_MONTH

__all__ = [
    "RequirementCheck",
    "check_availability",
    "downtime_cost_usd_per_month",
    "requirement_reason",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class RequirementCheck:
    """An option's availability against the requirement."""

    met: NDArray[np.bool_]
    """The option meets every part of the requirement that is set."""
    share_met: NDArray[np.bool_]
    """It serves at least ``min_share_served`` (True when unset)."""
    minutes_met: NDArray[np.bool_]
    """It is down at most ``max_minutes_without_inference_per_month`` (True when unset)."""


def check_availability(
    minutes_without_inference_per_month: ArrayLike,
    share_served: ArrayLike,
    min_share_served: ArrayLike | None = None,
    max_minutes_without_inference_per_month: ArrayLike | None = None,
) -> RequirementCheck:
    """Check an option's availability against the requirement.

    Parameters
    ----------
    minutes_without_inference_per_month : float or array
        Expected minutes per site and month in which no inference can be served [min/month].
    share_served : float or array
        Share of inferences the option serves, late ones included [fraction].
    min_share_served : float or array, optional
        Share that must be served; None = no such requirement [fraction].
    max_minutes_without_inference_per_month : float or array, optional
        Minutes per site and month without inference that are acceptable; None = no such
        requirement [min/month].

    Returns
    -------
    RequirementCheck

    Notes
    -----
    A tolerance of 1e-12 keeps an option that meets the requirement exactly from failing on
    rounding (0.995 x 43,800 = 219 minutes exactly).

    Examples
    --------
    The cloud at a store whose WAN is up 99.5 % of the time is down 0.005 x 43,800 = 219
    minutes a month; a requirement of 60 minutes rules it out.

    >>> bool(check_availability(219.0, 0.995, None, 60).met)
    False
    """
    minutes = np.asarray(minutes_without_inference_per_month, dtype=float)
    share = np.asarray(share_served, dtype=float)
    share_met = (
        np.ones(share.shape, dtype=bool)
        if min_share_served is None
        else share >= np.asarray(min_share_served, dtype=float) - 1e-12
    )
    minutes_met = (
        np.ones(minutes.shape, dtype=bool)
        if max_minutes_without_inference_per_month is None
        else minutes <= np.asarray(max_minutes_without_inference_per_month, dtype=float) + 1e-9
    )
    return RequirementCheck(
        met=np.asarray(share_met & minutes_met), share_met=share_met, minutes_met=minutes_met
    )


def downtime_cost_usd_per_month(
    minutes_without_inference_per_month: ArrayLike, sites: ArrayLike, usd_per_minute: ArrayLike
) -> FloatArray:
    """What the minutes without inference cost the fleet in a month.

    Parameters
    ----------
    minutes_without_inference_per_month : float or array
        Expected minutes per site and month without inference [min/month].
    sites : float or array
        Number of sites [count].
    usd_per_minute : float or array
        Cost of one site-minute without inference [USD/min].

    Returns
    -------
    ndarray
        ``minutes x sites x usd_per_minute`` [USD/month].

    Examples
    --------
    219 minutes at each of 120 stores, $12 a minute: 219 x 120 x 12 = $315,360 a month.

    >>> float(downtime_cost_usd_per_month(219.0, 120, 12.0))
    315360.0
    """
    minutes = np.asarray(minutes_without_inference_per_month, dtype=float)
    return minutes * np.asarray(sites, dtype=float) * np.asarray(usd_per_minute, dtype=float)


def requirement_reason(
    option: str,
    minutes_without_inference_per_month: float,
    share_served: float,
    min_share_served: float | None = None,
    max_minutes_without_inference_per_month: float | None = None,
) -> str | None:
    """Why one option misses the requirement, with its numbers; None when it meets it.

    Examples
    --------
    >>> print(requirement_reason("cloud", 219.0, 0.995, 0.999, None))  # doctest: +ELLIPSIS
    cloud serves 99.50% of inferences, the requirement is 99.90% (down 219 min per site ...
    """
    check = check_availability(
        minutes_without_inference_per_month,
        share_served,
        min_share_served,
        max_minutes_without_inference_per_month,
    )
    if bool(check.met):
        return None
    down = f"{minutes_without_inference_per_month:,.0f} min per site and month"
    if not bool(check.share_met):
        allowed_min = (1.0 - float(min_share_served)) * MINUTES_PER_MONTH
        return (
            f"{option} serves {100 * share_served:.2f}% of inferences, the requirement is "
            f"{100 * float(min_share_served):.2f}% (down {down}, the requirement allows "
            f"{allowed_min:,.0f})"
        )
    return (
        f"{option} is without inference {down}, the requirement allows "
        f"{float(max_minutes_without_inference_per_month):,.0f}"
    )

"""Inference volume over time: growth, monthly counts, peak rates.

Time runs in months ``m = 0 … H-1``; a month is 730 hours (the cloud providers' convention).
All functions broadcast: pass ``(S, 1)`` inputs and a ``(M,)`` month axis to get ``(S, M)``.
"""

from __future__ import annotations

import numpy as np

from ..units import HOURS_PER_MONTH, SECONDS_PER_HOUR


def growth_factor(growth_per_year, months):
    """Volume multiplier at each month.

    Parameters
    ----------
    growth_per_year : float or array
        Growth per year [fraction/year], greater than -1.
    months : array
        Month indices ``m`` [months].

    Returns
    -------
    array
        ``(1 + growth_per_year) ** (m / 12)`` [ratio].

    Examples
    --------
    >>> float(growth_factor(0.21, 6))
    1.1
    """
    return np.power(1.0 + np.asarray(growth_per_year, dtype=float), np.asarray(months) / 12.0)


def monthly_inferences(
    inferences_per_second, active_hours_per_day, active_days_per_week, factor=1.0
):
    """Inferences of one site in one month.

    Parameters
    ----------
    inferences_per_second : float or array
        Average rate while active [1/s].
    active_hours_per_day, active_days_per_week : float or array
        Duty cycle [h/day], [days/week].
    factor : float or array
        Growth factor from :func:`growth_factor` [ratio].

    Returns
    -------
    array
        Inferences per month [1/month].

    Notes
    -----
    ``ips × 3600 × active_hours_per_day × active_days_per_week / 7 × 730 / 24 × factor``:
    the active share of a 730-hour month, at the average rate.

    Examples
    --------
    40/s, 16 h/day, 5 days/week: 40 × 3600 × 16 × 5/7 × 730/24 = 50,057,142.86 per month.

    >>> round(float(monthly_inferences(40, 16, 5)), 2)
    50057142.86
    """
    active_hours_per_month = (
        np.asarray(active_hours_per_day, dtype=float)
        * np.asarray(active_days_per_week, dtype=float)
        / 7.0
        * HOURS_PER_MONTH
        / 24.0
    )
    return (
        np.asarray(inferences_per_second, dtype=float)
        * SECONDS_PER_HOUR
        * (active_hours_per_month * factor)
    )


def peak_rate(inferences_per_second, peak_to_average, factor=1.0):
    """Peak inference rate of one site [1/s]: ``ips × peak_to_average × factor``."""
    return np.asarray(inferences_per_second, dtype=float) * peak_to_average * factor


def served(monthly: np.ndarray, share: np.ndarray) -> np.ndarray:
    """``monthly × share``: what an option serves of a load (S, M).

    Where ``share`` is exactly 1 everywhere (an option serving every inference) and spans no
    more samples or months than ``monthly``, ``monthly`` itself: ``x × 1.0`` is ``x`` to the
    bit (NaN, infinities and -0.0 included), so the product is skipped, not approximated. The
    array is then shared: callers do not write into it.

    Examples
    --------
    >>> m = np.array([[1.0, 2.0]])
    >>> served(m, np.ones((1, 1))) is m, served(m, np.array([[0.5]])).tolist()
    (True, [[0.5, 1.0]])
    """
    share = np.asarray(share, dtype=float)
    if np.broadcast_shapes(monthly.shape, share.shape) == monthly.shape and np.all(share == 1.0):
        return monthly
    return monthly * share

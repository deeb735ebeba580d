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

    Notes
    -----
    Over the months ``0 .. M-1`` (more than a year), for one growth rate or many (shape
    ``(S, 1)``), the power is split into whole years and months within a year,
    ``(1 + g) ** y x (1 + g) ** (k / 12)`` for ``m = 12 y + k``: two powers on ``(S, M / 12)``
    and ``(S, 12)`` and one product instead of ``S x M`` powers (a power costs about ten
    multiplications). The result differs from the single power by a few units in the last place
    at most (under 1e-15 relative); the first year and whole years (``k = 0``) are the same.
    One formula for one value and for many, so that a sample, a sweep point and a
    deterministic evaluation of the same inputs give the same bits.

    Examples
    --------
    >>> float(growth_factor(0.21, 6))
    1.1
    """
    base = 1.0 + np.asarray(growth_per_year, dtype=float)
    m = np.asarray(months)
    month_axis = m.ndim == 1 and m.size > 12 and np.array_equal(m, np.arange(m.size))
    if not month_axis or (base.ndim and base.shape[-1] != 1):
        return np.power(base, m / 12.0)
    lead = base.shape[:-1] if base.ndim else ()
    base = base.reshape((*lead, 1))
    years = -(-m.size // 12)
    whole = np.power(base, np.arange(years, dtype=float))  # (..., Y)
    within = np.power(base, np.arange(12) / 12.0)  # (..., 12)
    out = np.empty((*lead, years, 12))
    np.multiply(whole[..., :, None], within[..., None, :], out=out)
    out = out.reshape((*lead, years * 12))
    return out if years * 12 == m.size else np.ascontiguousarray(out[..., : m.size])


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

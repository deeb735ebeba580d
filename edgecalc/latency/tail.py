"""The round-trip time at any percentile from a median and a 90th percentile.

A latency budget is stated at a percentile (often 99), but an estimate or a catalog gives a p50
and a p90. This module bridges the two with an *assumed* lognormal shape. A measurement made by
``edgecalc measure`` at the site replaces the assumption with the observed distribution.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

Z_P90 = 1.2815515655446004
r"""Standard normal quantile at 0.90, :math:`\Phi^{-1}(0.9)` [dimensionless]."""

ArrayLike = float | npt.ArrayLike


def rtt_at_percentile(
    p50_ms: ArrayLike,
    p90_ms: ArrayLike,
    percentile: ArrayLike,
    floor_ms: ArrayLike = 0.0,
) -> float | np.ndarray:
    r"""Round-trip time at a percentile, assuming a lognormal through the p50 and the p90.

    The lognormal tail is an **assumption**, not a measurement: real round trips have a hard
    floor, and their upper tail comes from queueing, route changes and retransmissions, which
    can be heavier (or lighter) than a lognormal. Use it only when no measurement exists; a
    measurement file from ``edgecalc measure`` at the site replaces it.

    Parameters
    ----------
    p50_ms : float or array_like
        Median round-trip time, > 0 [ms].
    p90_ms : float or array_like
        90th-percentile round-trip time, >= ``p50_ms`` [ms].
    percentile : float or array_like
        Percentile wanted, strictly between 0 and 100 [%].
    floor_ms : float or array_like, optional
        Physical floor (e.g. the fibre floor); results below it are raised to it [ms].
        Default 0.

    Returns
    -------
    float or numpy.ndarray
        Round-trip time at ``percentile`` [ms], broadcast over all inputs; a float when all
        inputs are scalars. Returns ``p50_ms`` at 50 and ``p90_ms`` at 90 (unless the floor is
        above them). With ``p90_ms == p50_ms`` the spread is zero and every percentile is p50.

    Raises
    ------
    ValueError
        If ``percentile`` is not in (0, 100), ``p50_ms`` is not > 0, or ``p90_ms < p50_ms``.

    Notes
    -----
    .. math::

        \sigma = \frac{\ln(p_{90} / p_{50})}{\Phi^{-1}(0.9)}, \qquad
        t_q = \max\left(t_{floor},\; p_{50}\, e^{\sigma\, \Phi^{-1}(q / 100)}\right)

    with :math:`\Phi^{-1}(0.9) = 1.2815515655446004`. For instance
    :math:`t_{99} = p_{50}\, e^{2.3263478740408408\, \sigma}`. Below the median the lognormal
    would reach zero; the floor keeps it physical.

    References
    ----------
    A 90 % interval as lognormal quantiles is the convention of Guesstimate, Squiggle and
    squigglepy (``distributions.py: to``), which edgecalc follows for every range.

    Examples
    --------
    >>> round(rtt_at_percentile(20.0, 30.0, 99), 2)
    41.75
    """
    p50 = np.asarray(p50_ms, dtype=float)
    p90 = np.asarray(p90_ms, dtype=float)
    q_pct = np.asarray(percentile, dtype=float)
    floor = np.asarray(floor_ms, dtype=float)
    if not np.all((q_pct > 0.0) & (q_pct < 100.0)):
        raise ValueError("percentile must lie strictly between 0 and 100")
    if not np.all(p50 > 0.0):
        raise ValueError("p50_ms must be > 0")
    if not np.all(p90 >= p50):
        raise ValueError("p90_ms must be >= p50_ms")

    sigma = np.log(p90 / p50) / Z_P90
    z = ndtri(q_pct / 100.0)
    lognormal_ms = p50 * np.exp(sigma * z)
    rtt_ms = np.maximum(lognormal_ms, floor)
    return float(rtt_ms) if rtt_ms.ndim == 0 else rtt_ms

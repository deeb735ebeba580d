"""Closed-form expectations of the rollout for the monthly cost lines.

They are functions of the inputs alone, so the cost lines vectorise over Monte Carlo samples;
the rollout Monte Carlo (:func:`~.rollout.simulate_rollout`) reports the same events at the
point values (``Result.operations``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["expected_attempts_per_update", "stranded_share"]

FloatArray = NDArray[np.float64]


def expected_attempts_per_update(update_failure_rate: ArrayLike) -> FloatArray:
    """Expected download attempts for one device to take one update.

    Parameters
    ----------
    update_failure_rate : float or array
        Probability that one attempt fails and is retried [fraction], in [0, 1).

    Returns
    -------
    ndarray
        ``1 / (1 - f)`` [attempts per device update].

    Notes
    -----
    Attempts until the first success are geometric with success probability ``1 - f``; each
    attempt downloads the whole payload again (:func:`~.rollout.update_transfer_bytes`).
    ``f = 0`` gives 1. Devices a rollout never reaches make no attempt; they are ignored here
    (a slight over-estimate).

    Examples
    --------
    >>> float(expected_attempts_per_update(0.2))
    1.25
    """
    f = np.asarray(update_failure_rate, dtype=float)
    if np.any((f < 0) | (f >= 1)):
        raise ValueError("update_failure_rate must be in [0, 1)")
    return 1.0 / (1.0 - f)


def stranded_share(
    offline_probability: ArrayLike, mean_offline_spell_days: ArrayLike, after_days: ArrayLike
) -> FloatArray:
    """Expected share of devices a rollout has not reached ``after_days`` after their wave.

    Parameters
    ----------
    offline_probability : float or array
        Stationary share of days a device is offline, ``p`` [fraction].
    mean_offline_spell_days : float or array
        Mean offline spell ``L`` >= 1 [days].
    after_days : float or array
        Days from the start of a device's wave after which it gets a site visit, ``D`` >= 1
        [days].

    Returns
    -------
    ndarray
        Share of the fleet without the update after ``D`` days [fraction].

    Notes
    -----
    A device is offline when its wave starts with probability ``p``; from there its offline
    spell lasts ``n >= 1`` more days with :math:`P(n \\ge k) = (1 - 1/L)^{k-1}` (the chain of
    :func:`~.rollout.simulate_rollout`). It has had no online day within ``D`` days when the
    spell covers them all:

    .. math:: s = p \\, (1 - 1/L)^{D - 1}

    This is the same event as ``RolloutResult.never_updated`` with a horizon of ``D`` days
    after a single wave, apart from devices that are online but fail every attempt
    (probability about :math:`f^{D(1-p)}`, negligible). ``p = 0`` gives 0; ``p = 1`` gives 1;
    ``L = 1`` gives 0 for ``D >= 2``.

    Examples
    --------
    >>> round(float(stranded_share(0.2, 10.0, 30)), 5)
    0.00942
    """
    p = np.asarray(offline_probability, dtype=float)
    stay = 1.0 - 1.0 / np.asarray(mean_offline_spell_days, dtype=float)
    days = np.asarray(after_days, dtype=float)
    return np.where(p >= 1, 1.0, p * np.power(stay, np.maximum(days - 1.0, 0.0)))

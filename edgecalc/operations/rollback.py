"""Rolling a bad model back, and the firmware/OS update stream with its site visits."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from edgecalc.operations.rollout import RolloutResult, simulate_rollout

__all__ = ["firmware_site_visits_per_year", "rollout_site_visits_per_year", "simulate_rollback"]


def simulate_rollback(
    devices: int,
    offline_probability: ArrayLike,
    mean_offline_spell_days: ArrayLike,
    horizon_days: int,
    rng: np.random.Generator,
    *,
    detection_days: float = 0.0,
    runs: int = 1,
    canary_fraction: float = 0.0,
    waves: int = 1,
    days_between_waves: float = 0.0,
    update_failure_probability: float = 0.0,
) -> RolloutResult:
    """Time to roll a bad model back across the fleet.

    Parameters
    ----------
    devices, offline_probability, mean_offline_spell_days, horizon_days, rng, runs
        As in :func:`~edgecalc.operations.rollout.simulate_rollout` [devices, fraction, days].
    detection_days : float, default 0
        Days from the bad release until the rollback is pushed [days]; rounded up.
    canary_fraction, waves, days_between_waves, update_failure_probability
        The rollback's own plan; the default pushes to the whole fleet at once, the fastest a
        rollback can go.

    Returns
    -------
    RolloutResult
        Days counted from the bad release (so they include ``detection_days``).

    Notes
    -----
    A rollback is another rollout: it travels the same channel and waits for the same offline
    spells, so it reaches the fleet no faster than a single-wave rollout of the same fleet,
    plus the detection delay: :math:`T_{rollback} = d + T_{rollout}` with :math:`d` the
    detection delay. With the rollout's own staging and the same seed it is exactly the rollout
    shifted by ``detection_days``. Days beyond the horizon are ``inf``.

    Edge cases: zero devices gives 0 days; ``p = 1`` never rolls back (all devices need a
    visit); ``detection_days`` beyond the horizon gives ``inf`` everywhere.

    Examples
    --------
    >>> r = simulate_rollback(100, 0.0, 1.0, 30, np.random.default_rng(0), detection_days=2)
    >>> float(r.days_to_100[0])
    2.0
    """
    delay = float(np.ceil(detection_days))
    remaining_days = max(0, int(horizon_days - delay))
    inner = simulate_rollout(
        devices,
        offline_probability,
        mean_offline_spell_days,
        remaining_days,
        rng,
        runs=runs,
        canary_fraction=canary_fraction,
        waves=waves,
        days_between_waves=days_between_waves,
        update_failure_probability=update_failure_probability,
    )
    lead = min(int(delay), horizon_days)
    zeros = np.zeros((runs, lead))
    staleness = (inner.mean_staleness_days + delay) if devices else inner.mean_staleness_days
    return RolloutResult(
        days_to_50=inner.days_to_50 + delay,
        days_to_95=inner.days_to_95 + delay,
        days_to_100=inner.days_to_100 + delay,
        mean_staleness_days=np.minimum(staleness, horizon_days),
        never_updated=inner.never_updated,
        update_attempts=inner.update_attempts,
        pauses=inner.pauses,
        share_updated=np.concatenate([zeros, inner.share_updated], axis=1)[:, :horizon_days],
        stage_start_day=inner.stage_start_day + delay,
    )


def firmware_site_visits_per_year(
    devices: ArrayLike, updates_per_year: ArrayLike, failure_probability: ArrayLike
) -> NDArray[np.float64]:
    """Expected site visits per year caused by failed firmware/OS updates.

    Parameters
    ----------
    devices : float or array
        Fleet size [devices].
    updates_per_year : float or array
        Firmware/OS update cadence [updates/year].
    failure_probability : float or array
        Share of device updates that fail in a way only a site visit fixes (a bricked boot,
        a corrupt storage card) [probability].

    Returns
    -------
    ndarray
        Expected site visits [visits/year].

    Notes
    -----
    ``visits = devices x updates_per_year x failure_probability`` (one visit per failed device
    update; visits are not pooled across devices of a site). Zero devices, a zero cadence or
    a zero failure rate give 0.

    Examples
    --------
    >>> float(firmware_site_visits_per_year(500, 4, 0.002))
    4.0
    """
    return (
        np.asarray(devices, dtype=float)
        * np.asarray(updates_per_year, dtype=float)
        * np.asarray(failure_probability, dtype=float)
    )


def rollout_site_visits_per_year(
    never_updated_devices: ArrayLike, model_updates_per_year: ArrayLike
) -> NDArray[np.float64]:
    """Expected site visits per year for devices a model rollout never reaches.

    Parameters
    ----------
    never_updated_devices : float or array
        Devices without the update at the end of a rollout's horizon, e.g.
        ``RolloutResult.never_updated`` (or its mean over runs) [devices].
    model_updates_per_year : float or array
        Model releases per year [updates/year].

    Returns
    -------
    ndarray
        Expected site visits [visits/year].

    Notes
    -----
    ``visits = never_updated x model_updates_per_year``: each release strands the same expected
    number of devices, each needing a visit. Zero releases give 0.

    Examples
    --------
    >>> float(rollout_site_visits_per_year(3, 12))
    36.0
    """
    stranded = np.asarray(never_updated_devices, dtype=float)
    return stranded * np.asarray(model_updates_per_year, dtype=float)

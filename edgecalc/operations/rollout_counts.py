"""A staged rollout without an automatic pause, simulated as day counts instead of devices.

Without the pause, a stage starts on the same day in every run (``i x days_between_waves``)
and its devices are independent and alike: each one's update day follows one distribution,
which the two-state chain of :mod:`.rollout` gives exactly, day by day. A run is then only
how many of the stage's devices update on each day: a multinomial draw of the stage's size
over that distribution. That is the same model as :func:`.rollout.simulate_rollout`, sampled
in a way that costs ``runs x days`` instead of ``runs x devices x spells`` (a 5,000-device
fleet in 100 runs: well under a millisecond instead of about 35 ms), and its means (staleness,
devices never reached, attempts) are exact expectations, not averages over runs.

The automatic pause ties a stage's start to how many of the previous stage's attempts failed
in that run, so the devices of a run are no longer independent: a plan with a pause is
simulated device by device (:func:`.rollout.simulate_rollout`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .rollout import offline_transition_probabilities, stage_sizes

__all__ = ["RolloutCounts", "simulate_rollout_counts", "update_day_distribution"]

FloatArray = NDArray[np.float64]


def update_day_distribution(
    offline_probability: float,
    mean_offline_spell_days: float,
    update_failure_probability: float,
    days: int,
) -> tuple[FloatArray, FloatArray]:
    """When one device updates, counted from the first day of its stage.

    Parameters
    ----------
    offline_probability : float
        Stationary share of days the device is offline, ``p`` [fraction].
    mean_offline_spell_days : float
        Mean offline spell ``L`` >= 1 [days].
    update_failure_probability : float
        Probability that one attempt fails, ``f``; it is retried the next online day
        [probability].
    days : int
        Days followed from the stage's start, ``D`` >= 0 [days].

    Returns
    -------
    updates_on_day : ndarray, shape (D,)
        ``P(the device updates on day t of its stage)`` for ``t = 0 .. D-1`` [probability];
        ``1 - sum`` is the probability it is not updated within ``D`` days.
    attempts_by_day : ndarray, shape (D,)
        Expected download attempts made on days ``0 .. t`` [attempts]: the expected attempts
        within a window of ``w`` days is ``attempts_by_day[w - 1]``.

    Raises
    ------
    ValueError
        As :func:`~.rollout.offline_transition_probabilities`, or ``f`` outside [0, 1].

    Notes
    -----
    With ``a_t`` the probability of being online on day ``t`` and not yet updated, ``b_t``
    that of being offline and not yet updated, the device starts in the chain's stationary
    state and attempts once each online day::

        a_0 = 1 - p,   b_0 = p
        P(update on day t) = a_t (1 - f)
        a_{t+1} = a_t f (1 - go) + b_t (1 - stay)
        b_{t+1} = a_t f go      + b_t stay

    with ``go`` and ``stay`` from :func:`~.rollout.offline_transition_probabilities`. The
    expected attempts on day ``t`` are ``a_t``. This is the chain that
    :func:`~.rollout.simulate_rollout` samples spell by spell.

    Examples
    --------
    Always online, half the attempts fail: day ``t`` with probability ``0.5 ** (t + 1)``.

    >>> on_day, attempts = update_day_distribution(0.0, 1.0, 0.5, 3)
    >>> on_day.tolist(), attempts.tolist()
    ([0.5, 0.25, 0.125], [1.0, 1.5, 1.75])
    """
    if not 0 <= update_failure_probability <= 1:
        raise ValueError(
            f"update failure probability must be in [0, 1], got {update_failure_probability}"
        )
    go, stay = (float(a) for a in offline_transition_probabilities(
        offline_probability, mean_offline_spell_days
    ))  # fmt: skip
    f = float(update_failure_probability)
    p = float(offline_probability)
    online, offline = 1.0 - p, p
    on_day = np.empty(max(days, 0))
    attempts = np.empty(max(days, 0))
    for t in range(max(days, 0)):
        on_day[t] = online * (1.0 - f)
        attempts[t] = online
        online, offline = (
            online * f * (1.0 - go) + offline * (1.0 - stay),
            online * f * go + offline * stay,
        )
    return on_day, np.cumsum(attempts)


@dataclass(frozen=True)
class RolloutCounts:
    """Outcome of :func:`simulate_rollout_counts`.

    Attributes
    ----------
    days_to_50, days_to_95, days_to_100 : ndarray, shape (runs,)
        First day (day 0 = release) by whose end at least 50/95/100% of the fleet runs the new
        model [days]; ``inf`` when not reached within the horizon.
    share_updated : ndarray, shape (runs, horizon_days)
        Share of the fleet running the new model at the end of each day [fraction].
    stage_start_day : ndarray, shape (stages,)
        Day each stage starts (``inf`` when at or after the horizon) [days].
    mean_staleness_days : float
        Expected mean, over devices, of ``min(update day, horizon)`` [days].
    never_updated_devices : float
        Expected devices without the update at the end of the horizon [devices].
    update_attempts : float
        Expected download attempts within the horizon, failed ones included [attempts].
    """

    days_to_50: FloatArray
    days_to_95: FloatArray
    days_to_100: FloatArray
    share_updated: FloatArray
    stage_start_day: FloatArray
    mean_staleness_days: float
    never_updated_devices: float
    update_attempts: float


def simulate_rollout_counts(
    devices: int,
    offline_probability: float,
    mean_offline_spell_days: float,
    horizon_days: int,
    rng: np.random.Generator,
    *,
    runs: int = 1,
    canary_fraction: float = 0.0,
    waves: int = 1,
    days_between_waves: float = 0.0,
    update_failure_probability: float = 0.0,
) -> RolloutCounts:
    """Monte Carlo of a staged rollout without a pause, as counts of devices per day.

    Parameters
    ----------
    devices : int
        Fleet size [devices], >= 0.
    offline_probability, mean_offline_spell_days : float or size-1 array
        The devices' offline share ``p`` [fraction] and mean offline spell ``L`` [days], one
        value for the whole fleet.
    horizon_days : int
        Days simulated, day 0 being the release [days].
    rng : numpy.random.Generator
        Source of randomness; one child generator is spawned per stage.
    runs : int, default 1
        Monte Carlo runs (the leading axis of the per-run outputs).
    canary_fraction, waves, days_between_waves, update_failure_probability
        The plan, as in :func:`~.rollout.simulate_rollout`.

    Returns
    -------
    RolloutCounts
        Per-run day figures and the exact expectations; see its attributes.

    Notes
    -----
    Stage ``i`` of ``n_i`` devices starts on day ``s_i = i x ceil(days_between_waves)`` and
    is followed for ``D_i = horizon - s_i`` days. With ``P_i(t)`` from
    :func:`update_day_distribution` (over ``D_i`` days), a run's devices updating on day
    ``s_i + t`` are the counts of ``Multinomial(n_i, [P_i(0) .. P_i(D_i - 1), never])``: the
    devices are independent and alike, so this is the distribution
    :func:`~.rollout.simulate_rollout` samples device by device. Day ``k`` of the fleet
    (``days_to_*``) is the first day whose cumulative count reaches
    ``max(1, ceil(q x devices))``. The expectations::

        never    = sum_i n_i (1 - sum_t P_i(t))
        staleness = sum_i n_i (sum_t P_i(t) (s_i + t) + (1 - sum_t P_i(t)) horizon) / devices
        attempts = sum_i n_i A_i(D_i - 1)

    Zero devices gives days 0, staleness 0 and a share of 1 every day, as
    :func:`~.rollout.simulate_rollout` does.

    Examples
    --------
    >>> r = simulate_rollout_counts(1000, 0.0, 1.0, 60, np.random.default_rng(1),
    ...                             canary_fraction=0.01, waves=3, days_between_waves=7)
    >>> float(r.days_to_50[0]), float(r.days_to_100[0]), round(r.mean_staleness_days, 2)
    (14.0, 21.0, 13.86)
    """
    if runs < 1 or horizon_days < 0:
        raise ValueError("need runs >= 1 and horizon_days >= 0")
    p, spell = _as_scalar(offline_probability), _as_scalar(mean_offline_spell_days)
    sizes = stage_sizes(devices, canary_fraction, waves)
    step = float(np.ceil(days_between_waves))
    starts = np.arange(len(sizes)) * step
    stage_start = np.where(starts < horizon_days, starts, np.inf)
    on_day, attempts_by_day = update_day_distribution(
        p, spell, update_failure_probability, horizon_days
    )
    if devices == 0:
        zero = np.zeros(runs)
        return RolloutCounts(
            zero, zero, zero, np.ones((runs, horizon_days)), stage_start, 0.0, 0.0, 0.0
        )
    per_day = np.zeros((runs, horizon_days), dtype=np.int64)
    never = staleness = attempts = 0.0
    for size, start, stage_rng in zip(sizes, starts, rng.spawn(len(sizes)), strict=True):
        window = max(0, horizon_days - int(start))
        updates = on_day[:window]
        reached = min(1.0, float(updates.sum()))
        never += size * (1.0 - reached)
        days_of_update = start + np.arange(window)
        staleness += size * (float(updates @ days_of_update) + (1.0 - reached) * horizon_days)
        attempts += size * (float(attempts_by_day[window - 1]) if window else 0.0)
        if window and size:
            pvals = np.append(updates, 1.0 - reached)
            counts = stage_rng.multinomial(int(size), pvals / pvals.sum(), size=runs)
            per_day[:, int(start) : int(start) + window] += counts[:, :window]
    cumulative = per_day.cumsum(axis=1)
    days = [_first_day_reaching(cumulative, q, devices) for q in (0.5, 0.95, 1.0)]
    return RolloutCounts(
        days_to_50=days[0],
        days_to_95=days[1],
        days_to_100=days[2],
        share_updated=cumulative / devices,
        stage_start_day=stage_start,
        mean_staleness_days=float(staleness) / devices,
        never_updated_devices=float(never),
        update_attempts=float(attempts),
    )


def _first_day_reaching(cumulative: NDArray[np.int64], share: float, devices: int) -> FloatArray:
    """Per run, the first day whose cumulative count of updated devices reaches
    ``max(1, ceil(share x devices))``; ``inf`` when no day does [days]."""
    needed = max(1, int(np.ceil(share * devices - 1e-9)))
    reached = cumulative >= needed
    first = reached.argmax(axis=1).astype(float)
    return np.where(reached.any(axis=1), first, np.inf)


def _as_scalar(value: ArrayLike) -> float:
    """One value for the fleet, or a clear error for per-device values."""
    array = np.asarray(value, dtype=float)
    if array.size != 1:
        raise ValueError("the day-count rollout takes one offline share and spell for the fleet")
    return float(array.reshape(()))

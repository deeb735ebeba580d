"""Staged rollout of a new model over a fleet whose devices go offline for spells.

The fleet is split into stages: an optional canary, then ``waves`` equal waves. Stage ``i``
starts on day ``i x days_between_waves`` (later if an automatic pause holds it back). A device
takes the update the first day it is online at or after its stage starts; an attempt fails with
a fixed probability and is retried on the device's next online day.

Each device is a two-state Markov chain, one step per day, started in its stationary state::

    P(offline tomorrow | offline today) = 1 - 1/L          (spells last L days on average)
    P(offline tomorrow | online today)  = p / (1 - p) / L  (so that the offline share is p)

The simulation walks each device's alternating online/offline spells (geometric lengths) from
its stage's start instead of stepping every day: that is the same chain, sampled exactly, and
it costs a few vectorised passes over a ``(runs, devices)`` array instead of one per day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "RolloutResult",
    "offline_spell_survival",
    "offline_transition_probabilities",
    "simulate_rollout",
    "stage_sizes",
    "update_transfer_bytes",
]

FloatArray = NDArray[np.float64]


def offline_transition_probabilities(
    offline_probability: ArrayLike, mean_offline_spell_days: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Daily transition probabilities of the two-state (online/offline) device chain.

    Parameters
    ----------
    offline_probability : float or array
        Stationary share of days a device is offline, ``p`` in [0, 1] [fraction].
    mean_offline_spell_days : float or array
        Mean length of an offline spell, ``L`` >= 1 [days].

    Returns
    -------
    go_offline : ndarray
        P(offline tomorrow | online today) [probability per day].
    stay_offline : ndarray
        P(offline tomorrow | offline today) [probability per day].

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1], ``L < 1``, or ``p > L / (L + 1)`` with ``p < 1`` (the chain
        would have to go offline more often than every online day).

    Notes
    -----
    .. math::

        P_{\\text{stay}} = 1 - 1/L, \\qquad
        P_{\\text{go}} = \\frac{p}{1 - p} \\cdot \\frac{1}{L}

    The stationary offline share is :math:`P_{go} / (P_{go} + 1/L) = p`. Offline spells are
    geometric with mean ``L`` days, online spells geometric with mean :math:`1/P_{go}` days.

    Edge cases: ``p = 0`` never goes offline (``go = 0``); ``p = 1`` is always offline
    (``go = stay = 1``, whatever ``L``); ``L = 1`` gives one-day spells (``stay = 0``), which
    allows at most ``p = 0.5``.

    Examples
    --------
    >>> go, stay = offline_transition_probabilities(0.1, 2.0)
    >>> round(float(go), 4), float(stay)
    (0.0556, 0.5)
    """
    p = np.asarray(offline_probability, dtype=float)
    spell = np.asarray(mean_offline_spell_days, dtype=float)
    if np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise ValueError(f"offline probability must be in [0, 1], got min {p.min()} max {p.max()}")
    if np.any(spell < 1) or np.any(np.isnan(spell)):
        raise ValueError(f"mean offline spell must be at least 1 day, got min {spell.min()}")
    always = p >= 1
    with np.errstate(divide="ignore", invalid="ignore"):
        go = np.where(always, 1.0, p / (1.0 - p) / spell)
    if np.any(go > 1 + 1e-12):
        worst = np.unravel_index(np.argmax(go), go.shape)
        bad_p = float(np.broadcast_to(p, go.shape)[worst])
        bad_spell = float(np.broadcast_to(spell, go.shape)[worst])
        raise ValueError(
            f"offline probability {bad_p:g} with mean spells of {bad_spell:g} days is impossible: "
            "a device would have to go offline more than every online day; need "
            f"p <= L/(L+1) = {bad_spell / (bad_spell + 1):.4g}"
        )
    go = np.minimum(go, 1.0)
    stay = np.where(always, 1.0, 1.0 - 1.0 / spell)
    return go, stay


def offline_spell_survival(days: ArrayLike, mean_offline_spell_days: ArrayLike) -> FloatArray:
    """Share of offline spells that last longer than ``days``.

    Parameters
    ----------
    days : float or array
        Spell length threshold [days], >= 0.
    mean_offline_spell_days : float or array
        Mean offline spell length ``L`` >= 1 [days].

    Returns
    -------
    ndarray
        P(spell > days) [fraction].

    Notes
    -----
    Spells are geometric: :math:`P(S > d) = (1 - 1/L)^{\\lfloor d \\rfloor}`. ``L = 1`` gives 0
    for any ``d >= 1``. This is a share of *spells*; the share of offline *days* spent in long
    spells is larger (long spells hold more days).

    Examples
    --------
    >>> round(float(offline_spell_survival(7, 3.0)), 3)
    0.059
    """
    spell = np.asarray(mean_offline_spell_days, dtype=float)
    return np.power(1.0 - 1.0 / spell, np.floor(np.asarray(days, dtype=float)))


def stage_sizes(devices: int, canary_fraction: float, waves: int) -> NDArray[np.int64]:
    """Number of devices in each rollout stage (canary first, then the waves).

    Parameters
    ----------
    devices : int
        Fleet size [devices], >= 0.
    canary_fraction : float
        Share of the fleet in the canary stage [fraction] in [0, 1]; 0 means no canary.
    waves : int
        Number of waves after the canary, >= 1.

    Returns
    -------
    ndarray of int
        Devices per stage; length ``waves + 1`` with a canary, ``waves`` without.

    Notes
    -----
    Canary = ``max(1, ceil(canary_fraction x devices))`` devices (at most the fleet); the rest
    is split as evenly as possible, earlier waves taking the remainder. Devices are assigned to
    stages in index order. Zero devices gives stages of size 0.

    Examples
    --------
    >>> stage_sizes(1000, 0.01, 3).tolist()
    [10, 330, 330, 330]
    """
    if devices < 0 or waves < 1 or not 0 <= canary_fraction <= 1:
        raise ValueError("need devices >= 0, waves >= 1 and canary_fraction in [0, 1]")
    canary = 0
    if canary_fraction > 0 and devices > 0:
        canary = min(devices, max(1, int(np.ceil(canary_fraction * devices - 1e-9))))
    rest = devices - canary
    base, extra = divmod(rest, waves)
    wave_sizes = [base + (1 if i < extra else 0) for i in range(waves)]
    sizes = ([canary] if canary_fraction > 0 else []) + wave_sizes
    return np.array(sizes, dtype=np.int64)


@dataclass(frozen=True)
class RolloutResult:
    """Outcome of :func:`simulate_rollout`, one value per Monte Carlo run.

    Attributes
    ----------
    days_to_50, days_to_95, days_to_100 : ndarray, shape (runs,)
        First day index (day 0 = release) by whose end at least 50/95/100% of the fleet runs
        the new model [days]; ``inf`` when not reached within the horizon.
    mean_staleness_days : ndarray, shape (runs,)
        Mean over devices of the days each ran the old model after the cloud switched (the
        cloud updates on day 0); devices never updated count the whole horizon [days].
    never_updated : ndarray of int, shape (runs,)
        Devices without the update at the end of the horizon: each needs a site visit
        [devices].
    update_attempts : ndarray of int, shape (runs,)
        Download attempts made within the horizon, failed ones included [attempts].
    pauses : ndarray of int, shape (runs,)
        Times the automatic pause held the rollout back [count].
    share_updated : ndarray, shape (runs, horizon_days)
        Share of the fleet running the new model at the end of each day [fraction].
    stage_start_day : ndarray, shape (runs, stages)
        Day each stage started (``inf`` if it never started) [days].
    """

    days_to_50: FloatArray
    days_to_95: FloatArray
    days_to_100: FloatArray
    mean_staleness_days: FloatArray
    never_updated: NDArray[np.int64]
    update_attempts: NDArray[np.int64]
    pauses: NDArray[np.int64]
    share_updated: FloatArray
    stage_start_day: FloatArray


def _inverse_rate(stop_probability: ArrayLike) -> FloatArray:
    """``1 / -log(1 - s)`` for geometric sampling by inversion: ``inf`` at ``s = 0``, 0 at 1."""
    stop = np.asarray(stop_probability, dtype=float)
    with np.errstate(divide="ignore", over="ignore"):  # tiny s overflows to inf: fine
        return np.where(stop <= 0, np.inf, 1.0 / -np.log1p(-np.minimum(stop, 1.0)))


def _geometric_days(uniform: FloatArray, inverse_rate: FloatArray) -> FloatArray:
    """Geometric length >= 1 [days or attempts] from uniforms in [0, 1) (float32 is enough).

    ``1 + floor(-log(1 - u) x inverse_rate)``; ``inf`` when the stop probability is 0, 1 when it
    is 1. For a fixed draw the length never grows with the stop probability, which is what
    couples simulations with different parameters.
    """
    exponential = -np.log(1 - uniform)  # log1p is several times slower here
    with np.errstate(invalid="ignore", over="ignore"):
        length = 1.0 + np.floor(exponential * inverse_rate)
    return np.where(np.isinf(inverse_rate), np.inf, length)


def _flat(values: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    """Flatten ``values`` broadcast to ``shape``; a single value stays 0-d (cheap to index)."""
    array = np.asarray(values, dtype=float)
    if array.size == 1:
        return array.reshape(())
    return np.broadcast_to(array, shape).ravel()


def _at(values: FloatArray, index: NDArray[np.intp]) -> FloatArray:
    return values if values.ndim == 0 else values[index]


def _simulate_stage(
    rng: np.random.Generator,
    shape: tuple[int, int],
    start_day: FloatArray,
    p: FloatArray,
    go: FloatArray,
    stay: FloatArray,
    failure_probability: float,
    horizon_days: int,
    cutoff_day: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Walk the spells of one stage's devices over ``shape = (runs, stage devices)``.

    Returns flat arrays: update day (``inf`` if none within the horizon), attempts within the
    horizon, attempts and failed attempts before ``cutoff_day``.

    Every draw is made for the whole stage, in a fixed order, whatever the parameters and
    whichever devices are still waiting (common random numbers); the arithmetic then runs only
    on the devices still waiting.
    """
    n = shape[0] * shape[1]
    start = _flat(start_day, shape)
    cutoff = _flat(cutoff_day, shape)
    p_flat = _flat(p, shape)
    on_rate = _flat(_inverse_rate(go), shape)
    off_rate = _flat(_inverse_rate(1.0 - np.asarray(stay)), shape)
    fail_rate = _inverse_rate(1.0 - failure_probability)

    starts_offline = rng.random(n, dtype=np.float32) < p_flat
    first_offline_draw = rng.random(n, dtype=np.float32)
    remaining = _geometric_days(rng.random(n, dtype=np.float32), fail_rate)
    day = np.broadcast_to(start, (n,)).copy()
    off = np.flatnonzero(starts_offline)
    day[off] += _geometric_days(first_offline_draw[off], _at(off_rate, off))

    update_day = np.full(n, np.inf)
    attempts = np.zeros(n)
    attempts_before_cutoff = np.zeros(n)
    # Working arrays hold only the devices still waiting, compressed after every spell.
    idx = np.flatnonzero(day < horizon_days)
    now, still_needed = day[idx], remaining[idx]
    cut, on, off = (_at(a, idx) for a in (cutoff, on_rate, off_rate))
    tried, tried_before = np.zeros(idx.size), np.zeros(idx.size)
    # inf - inf (a stage that never starts in some runs) gives nan in unused cells only.
    draws = np.empty(n, dtype=np.float32)  # one buffer for every spell's draws of the stage
    with np.errstate(invalid="ignore"):
        while idx.size:
            online_draw = rng.random(out=draws, dtype=np.float32)[idx]
            offline_draw = rng.random(out=draws, dtype=np.float32)[idx]
            spell_end = now + _geometric_days(online_draw, on)
            within = np.minimum(spell_end, horizon_days) - now
            tried += np.minimum(within, still_needed)
            before = np.clip(np.minimum(spell_end, cut) - now, 0.0, None)
            tried_before += np.minimum(before, still_needed)
            succeeded = still_needed <= within
            update_day[idx[succeeded]] = (now + still_needed - 1.0)[succeeded]
            still_needed = still_needed - np.minimum(within, still_needed)
            now = spell_end + _geometric_days(offline_draw, off)
            keep = ~succeeded & (now < horizon_days)
            leaving = idx[~keep]
            attempts[leaving] = tried[~keep]
            attempts_before_cutoff[leaving] = tried_before[~keep]
            idx, now, still_needed, tried, tried_before = (
                a[keep] for a in (idx, now, still_needed, tried, tried_before)
            )
            cut, on, off = (a if a.ndim == 0 else a[keep] for a in (cut, on, off))
    failures_before_cutoff = attempts_before_cutoff - (update_day < cutoff)
    return update_day, attempts, attempts_before_cutoff, failures_before_cutoff


def simulate_rollout(
    devices: int,
    offline_probability: ArrayLike,
    mean_offline_spell_days: ArrayLike,
    horizon_days: int,
    rng: np.random.Generator,
    *,
    runs: int = 1,
    canary_fraction: float = 0.0,
    waves: int = 1,
    days_between_waves: float = 0.0,
    update_failure_probability: float = 0.0,
    pause_failure_rate: float | None = None,
    pause_days: float = np.inf,
) -> RolloutResult:
    """Monte Carlo of a staged model rollout over a fleet with offline spells.

    Parameters
    ----------
    devices : int
        Fleet size [devices], >= 0.
    offline_probability : float or array
        Stationary share of days a device is offline, ``p`` [fraction]. A scalar, or an array
        broadcastable to ``(runs, devices)`` for per-site or per-sample values.
    mean_offline_spell_days : float or array
        Mean offline spell length ``L`` >= 1 [days]; same broadcasting as ``p``.
    horizon_days : int
        Days simulated, day 0 being the release [days].
    rng : numpy.random.Generator
        Source of randomness; one child generator is spawned per stage.
    runs : int, default 1
        Monte Carlo runs (the leading axis of every output).
    canary_fraction : float, default 0
        Share of the fleet in the canary stage [fraction]; 0 means no canary.
    waves : int, default 1
        Waves after the canary, >= 1.
    days_between_waves : float, default 0
        Days from one stage's start to the next [days]; rounded up to whole days.
    update_failure_probability : float, default 0
        Probability an attempt fails; the device retries on its next online day [probability].
    pause_failure_rate : float or None, default None
        Automatic pause: when the share of failed attempts among those a stage made before the
        next stage is due exceeds this, the next stages are held back ``pause_days``
        [fraction]. ``None`` disables the pause.
    pause_days : float, default inf
        How long a pause holds the rollout [days]; ``inf`` halts it for the rest of the horizon
        (an operator has to step in).

    Returns
    -------
    RolloutResult
        Per-run figures; see its attributes.

    Notes
    -----
    Stage ``i`` starts on day :math:`s_i = s_{i-1} + \\Delta` (+ ``pause_days`` if paused), with
    :math:`s_0 = 0`. A device of stage ``i`` updates on its ``K``-th online day at or after
    :math:`s_i`, where :math:`K \\sim \\mathrm{Geometric}(1 - f)` counts attempts. Its state on
    day :math:`s_i` is drawn from the stationary distribution (offline with probability ``p``);
    from there, spells alternate with geometric lengths (offline: mean ``L``; online: mean
    :math:`1/P_{go}`, see :func:`offline_transition_probabilities`). This samples the daily
    Markov chain exactly.

    Each attempt downloads the update once (see :func:`update_transfer_bytes`). Staleness of a
    device is ``min(update day, horizon)``: the cloud switches on day 0.

    The draws are coupled: for a fixed ``rng`` seed, raising ``p`` (same ``L``) or the failure
    probability never makes any device update earlier, with the pause disabled. (The coupling
    is on spells, so it holds for every ``L``, including ``L = 1``.)

    Edge cases: zero devices gives days 0 and no attempts; ``p = 0`` updates every device on
    the first day of its stage (plus retries); ``p = 1`` never updates anyone (all
    ``never_updated``, days ``inf``); ``update_failure_probability = 1`` never succeeds;
    ``L = 1`` means one-day spells.

    Examples
    --------
    >>> r = simulate_rollout(1000, 0.0, 1.0, 60, np.random.default_rng(1), canary_fraction=0.01,
    ...                      waves=3, days_between_waves=7)
    >>> float(r.days_to_50[0]), float(r.days_to_100[0]), float(r.mean_staleness_days[0])
    (14.0, 21.0, 13.86)
    """
    if runs < 1 or horizon_days < 0:
        raise ValueError("need runs >= 1 and horizon_days >= 0")
    if not 0 <= update_failure_probability <= 1:
        raise ValueError("update_failure_probability must be in [0, 1]")
    go, stay = offline_transition_probabilities(offline_probability, mean_offline_spell_days)
    p = np.asarray(offline_probability, dtype=float)
    shape = (runs, devices)
    p, go, stay = (a if a.size == 1 else np.broadcast_to(a, shape) for a in (p, go, stay))

    sizes = stage_sizes(devices, canary_fraction, waves)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    step = float(np.ceil(days_between_waves))
    stage_rngs = rng.spawn(len(sizes))

    update_day = np.full(shape, np.inf)
    attempts = np.zeros(runs)
    pauses = np.zeros(runs, dtype=np.int64)
    stage_start = np.full((runs, len(sizes)), np.inf)
    start = np.zeros(runs)
    for i, stage_rng in enumerate(stage_rngs):
        stage_start[:, i] = start
        lo, hi = bounds[i], bounds[i + 1]
        cutoff = start + step
        stage_shape = (runs, int(sizes[i]))
        flat = _simulate_stage(
            stage_rng,
            stage_shape,
            start[:, None],
            *(a if a.ndim == 0 or a.size == 1 else a[:, lo:hi] for a in (p, go, stay)),
            update_failure_probability,
            horizon_days,
            cutoff[:, None],
        )
        days, tried, tried_before, failed_before = (a.reshape(stage_shape) for a in flat)
        update_day[:, lo:hi] = days
        attempts += tried.sum(axis=1)
        next_start = cutoff
        if pause_failure_rate is not None:
            n_tried = tried_before.sum(axis=1)
            n_failed = failed_before.sum(axis=1)
            rate = np.divide(n_failed, n_tried, out=np.zeros(runs), where=n_tried > 0)
            paused = (rate > pause_failure_rate) & (i < len(sizes) - 1) & np.isfinite(start)
            pauses += paused
            next_start = np.where(paused, cutoff + np.ceil(pause_days), cutoff)
        start = next_start

    return _summarise(update_day, attempts, pauses, stage_start, horizon_days)


def _summarise(
    update_day: FloatArray,
    attempts: FloatArray,
    pauses: NDArray[np.int64],
    stage_start: FloatArray,
    horizon_days: int,
) -> RolloutResult:
    runs, devices = update_day.shape
    stage_start = np.where(stage_start < horizon_days, stage_start, np.inf)
    updated = np.isfinite(update_day)
    if devices == 0:
        zero = np.zeros(runs)
        return RolloutResult(
            zero, zero, zero, zero, zero.astype(np.int64), zero.astype(np.int64), pauses,
            np.ones((runs, horizon_days)), stage_start,
        )  # fmt: skip
    ranks = [max(1, int(np.ceil(q * devices - 1e-9))) - 1 for q in (0.5, 0.95, 1.0)]
    kth = np.partition(update_day, ranks, axis=1)[:, ranks]
    flat = (np.arange(runs)[:, None] * horizon_days + update_day)[updated].astype(np.int64)
    per_day = np.bincount(flat, minlength=runs * horizon_days).reshape(runs, horizon_days)
    staleness = np.minimum(update_day, horizon_days).mean(axis=1)
    return RolloutResult(
        days_to_50=kth[:, 0],
        days_to_95=kth[:, 1],
        days_to_100=kth[:, 2],
        mean_staleness_days=staleness,
        never_updated=(~updated).sum(axis=1).astype(np.int64),
        update_attempts=np.rint(attempts).astype(np.int64),
        pauses=pauses,
        share_updated=per_day.cumsum(axis=1) / devices,
        stage_start_day=stage_start,
    )


def update_transfer_bytes(
    update_attempts: ArrayLike, model_bytes: ArrayLike, delta_fraction: ArrayLike = 1.0
) -> FloatArray:
    """Bytes moved by a rollout's download attempts.

    Parameters
    ----------
    update_attempts : int or array
        Attempts made, e.g. ``RolloutResult.update_attempts`` [attempts].
    model_bytes : float or array
        Size of the model artefact at its precision [bytes].
    delta_fraction : float or array, default 1
        Share of the artefact a delta update sends [fraction]; 1 means full downloads.

    Returns
    -------
    ndarray
        Transfer volume [bytes].

    Notes
    -----
    ``bytes = attempts x model_bytes x delta_fraction``; a failed attempt is assumed to have
    downloaded the whole payload (the pessimistic case). Zero attempts give 0.

    Examples
    --------
    >>> float(update_transfer_bytes(1000, 22.4e6, 0.5))
    11200000000.0
    """
    attempts = np.asarray(update_attempts, dtype=float)
    return attempts * np.asarray(model_bytes, dtype=float) * np.asarray(delta_fraction, dtype=float)

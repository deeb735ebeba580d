"""The cloud bill as clouds bill it: pure, vectorised pricing functions.

Every function takes floats or numpy arrays and returns the broadcast shape; none knows of
YAML, pydantic or the catalog. Months run ``m = 0 … H-1`` and a month is 730 hours
(:data:`~edgecalc.costs.volume.HOURS_PER_MONTH`). The scenario fields are documented in
:mod:`edgecalc.scenario.cloud_pricing`; how the pieces add up is in docs/model.md ("Cloud
pricing").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lines import compact
from .volume import HOURS_PER_MONTH

MILLION = 1e6


@dataclass(frozen=True)
class FleetHours:
    """How many instances run, and for how long, in one month.

    The fleet runs ``high`` instances for ``high_hours`` and ``low`` instances for the rest of
    the 730-hour month. An always-on fleet has ``high == low``.
    """

    high: np.ndarray
    """Instances while the sites are active (sized for the peak) [count]."""
    low: np.ndarray
    """Instances outside the active hours (``min_instances``; 0 scales to zero) [count]."""
    high_hours: np.ndarray
    """Hours per month at the ``high`` size, scale-up lead included [h/month]."""

    @property
    def low_hours(self) -> np.ndarray:
        """Hours per month at the ``low`` size [h/month] (a view where ``high_hours`` is one:
        the subtraction done on its stored values, not on every month)."""
        stored = compact(self.high_hours)
        return np.broadcast_to(HOURS_PER_MONTH - stored, self.high_hours.shape)

    @property
    def instance_hours(self) -> np.ndarray:
        """Instance-hours per month: ``high × high_hours + low × low_hours``."""
        return self.high * self.high_hours + self.low * self.low_hours


def always_on(instances, hours_per_month=HOURS_PER_MONTH) -> FleetHours:
    """A fleet that runs the same number of instances for ``hours_per_month`` (730: all month).

    Below 730 hours the instances are off for the rest of the month (``low`` is 0).
    """
    n = np.asarray(instances, dtype=float)
    hours = np.asarray(hours_per_month, dtype=float)
    shape = np.broadcast_shapes(n.shape, hours.shape)
    # the usual fleet runs all month: low is the fleet itself, no samples x months where()
    low = n if np.all(hours >= HOURS_PER_MONTH) else np.where(hours >= HOURS_PER_MONTH, n, 0.0)
    # hours do not depend on the fleet: a view of their (samples, 1) values, not a product
    high_hours = np.broadcast_to(np.minimum(hours, HOURS_PER_MONTH), shape)
    return FleetHours(np.broadcast_to(n, shape), np.broadcast_to(low, shape), high_hours)


def autoscaled(
    peak_instances,
    min_instances,
    active_hours_per_day,
    active_days_per_week,
    scale_up_delay_minutes=0.0,
) -> FleetHours:
    """A fleet that follows the active hours of the sites.

    Parameters
    ----------
    peak_instances : array
        Instances the peak needs during the active hours [count].
    min_instances : array
        Instances kept outside the active hours (0 scales to zero) [count].
    active_hours_per_day, active_days_per_week : array
        When the sites produce inferences [h/day], [days/week].
    scale_up_delay_minutes : array
        Lead time the peak fleet is started before each active day [min].

    Returns
    -------
    FleetHours
        ``high = max(peak, min)``, ``low = min`` and
        ``high_hours = min(730, (active_hours_per_day + delay / 60) × days/7 × 730/24)``.

    Notes
    -----
    The fleet holds its peak size through the active hours: the tool knows the peak-to-average
    ratio, not when in the day the peak falls, so it does not scale within the day.

    Examples
    --------
    12 instances at peak, scale to zero, 14 h a day every day, 15 min lead:
    (14 + 0.25) × 730/24 = 433.44 h; 12 × 433.44 = 5,201.25 instance-hours.

    >>> round(float(autoscaled(12, 0, 14, 7, 15).instance_hours), 2)
    5201.25
    """
    high = np.maximum(np.asarray(peak_instances, dtype=float), min_instances)
    low = np.minimum(np.asarray(min_instances, dtype=float), high)
    hours_per_active_day = np.asarray(active_hours_per_day, dtype=float) + (
        np.asarray(scale_up_delay_minutes, dtype=float) / 60.0
    )
    days_per_month = np.asarray(active_days_per_week, dtype=float) / 7.0 * HOURS_PER_MONTH / 24
    high_hours = np.minimum(HOURS_PER_MONTH, hours_per_active_day * days_per_month)
    return FleetHours(high, low, np.broadcast_to(high_hours, np.broadcast(high, low).shape))


def zone_redundant(instances, zones):
    """Instances that still serve the load after one of ``zones`` availability zones is lost.

    Parameters
    ----------
    instances : array
        Instances the load needs [count].
    zones : array
        Zones the fleet spans [count]; 1 means no zone redundancy.

    Returns
    -------
    array
        ``instances`` for one zone; else ``zones × ceil(instances / (zones - 1))``, at least
        ``zones`` (one per zone).

    Examples
    --------
    5 instances over 3 zones: each zone holds ceil(5 / 2) = 3, so 9 in all.

    >>> int(zone_redundant(5, 3))
    9
    """
    n = np.asarray(instances, dtype=float)
    z = np.round(np.asarray(zones, dtype=float))
    if not np.any(z >= 2):  # one zone everywhere: nothing to spread
        return np.array(np.broadcast_to(n, np.broadcast(n, z).shape))
    spread = z * np.ceil(n / np.maximum(z - 1, 1) - 1e-9)
    return np.where(z >= 2, np.maximum(spread, z), n)


def uncommitted_hours(fleet: FleetHours, committed):
    """Instance-hours the commitment does not cover, billed on demand or spot [h/month].

    ``max(high - c, 0) × high_hours + max(low - c, 0) × low_hours``: a commitment covers
    ``c`` instances in every hour, used or not.

    Examples
    --------
    12 instances for 433.44 h and none otherwise, 2 committed: 10 × 433.44 = 4,334.38 h.

    >>> round(float(uncommitted_hours(autoscaled(12, 0, 14, 7, 15), 2)), 2)
    4334.38
    """
    c = np.asarray(committed, dtype=float)
    return (
        np.clip(fleet.high - c, 0, None) * fleet.high_hours
        + np.clip(fleet.low - c, 0, None) * fleet.low_hours
    )


@dataclass(frozen=True)
class CommitmentBill:
    """What a commitment costs, month by month (arrays of shape ``(S, M)``)."""

    upfront_usd: np.ndarray
    """Upfront payments, in the first month of each term (capex) [USD]."""
    monthly_usd: np.ndarray
    """Recurring payments inside a term [USD]."""
    owed_after_horizon_usd: np.ndarray
    """Recurring payments of the last term that fall after the horizon, owed all the same and
    booked in the last month [USD]."""
    covered: np.ndarray
    """1 in months a commitment is in force, else 0."""
    months_beyond_horizon: int
    """Months of the last term after the horizon (paid upfront or owed) [months]."""


def commitment_bill(
    instances,
    usd_per_hour,
    upfront_fraction,
    term_months: int,
    horizon_months: int,
    renew: bool,
) -> CommitmentBill:
    """Payments for ``instances`` committed at ``usd_per_hour`` for ``term_months``.

    Parameters
    ----------
    instances : array (S, 1)
        Instances committed [count].
    usd_per_hour : array (S, 1)
        Effective committed price, upfront included, over the term's hours [USD/h].
    upfront_fraction : array (S, 1)
        Share of the term's price paid in its first month [fraction].
    term_months : int
        Term length [months].
    horizon_months : int
        Months projected ``H``.
    renew : bool
        True: a new term starts when one ends inside the horizon; False: on demand after the
        first term.

    Returns
    -------
    CommitmentBill

    Notes
    -----
    One term costs ``instances × usd_per_hour × 730 × term_months``. Its upfront share is paid
    in the term's first month; the rest in equal monthly payments over the term. A term that
    ends after the horizon is still owed: the payments after month ``H - 1`` are booked in the
    last month (an upfront payment already covers them).

    Examples
    --------
    2 instances at $0.48288/h for 36 months, all upfront, over 60 months, renewed:
    2 × 0.48288 × 730 × 36 = $25,380.17 at month 0 and again at month 36.

    >>> b = commitment_bill(2, 0.48288, 1.0, 36, 60, renew=True)
    >>> [round(float(b.upfront_usd[0, m]), 2) for m in (0, 36)]
    [25380.17, 25380.17]
    """
    n = np.asarray(instances, dtype=float).reshape(-1, 1)
    price = np.asarray(usd_per_hour, dtype=float).reshape(-1, 1)
    upfront = np.asarray(upfront_fraction, dtype=float).reshape(-1, 1)
    samples = np.broadcast(n, price, upfront).shape[0]
    months = np.arange(horizon_months)
    per_month_usd = n * price * HOURS_PER_MONTH  # (S, 1)
    term_usd = per_month_usd * term_months
    starts = np.arange(0, horizon_months, term_months) if renew else np.array([0])
    covered = (months < starts[-1] + term_months).astype(float)[None, :]
    first = np.isin(months, starts).astype(float)[None, :]
    upfront_usd = np.broadcast_to(first * upfront * term_usd, (samples, horizon_months))
    monthly_usd = np.broadcast_to(
        covered * (1 - upfront) * per_month_usd, (samples, horizon_months)
    )
    beyond = int(max(starts[-1] + term_months - horizon_months, 0))
    owed = np.zeros((samples, horizon_months))
    owed[:, -1] = ((1 - upfront) * per_month_usd * beyond)[:, 0]
    covered = np.broadcast_to(covered, owed.shape)
    return CommitmentBill(np.array(upfront_usd), np.array(monthly_usd), owed, covered, beyond)


def spot_split(hours, spot_share, interruption_headroom_fraction):
    """Split instance-hours between on demand and spot, with interruption headroom.

    Parameters
    ----------
    hours : array
        Uncommitted instance-hours [h/month].
    spot_share : array
        Share of them run on spot [fraction].
    interruption_headroom_fraction : array
        Extra spot capacity held while reclaimed instances are replaced [fraction].

    Returns
    -------
    on_demand_hours, spot_hours : arrays
        ``hours × (1 - share)`` and ``hours × share × (1 + headroom)`` [h/month].

    Examples
    --------
    10 instances always on, half on spot with 10% headroom: 3,650 h on demand and
    3,650 × 1.1 = 4,015 h on spot.

    >>> [round(float(h), 6) for h in spot_split(7300, 0.5, 0.1)]
    [3650.0, 4015.0]
    """
    h = np.asarray(hours, dtype=float)
    s = np.asarray(spot_share, dtype=float)
    return h * (1 - s), h * s * (1 + np.asarray(interruption_headroom_fraction, dtype=float))


def serverless_usage(requests, duration_ms, memory_gb, free_requests, free_gb_seconds):
    """Billable requests and GB-seconds of a serverless function in one month.

    Returns
    -------
    billed_requests, billed_gb_seconds : arrays
        ``max(requests - free, 0)`` and ``max(requests × duration/1000 × memory - free, 0)``.

    Examples
    --------
    3M requests of 120 ms at 2 GB, 1M requests and 400,000 GB-s free: 2M requests and
    3e6 × 0.12 × 2 - 400,000 = 320,000 GB-s.

    >>> [float(v) for v in serverless_usage(3e6, 120, 2, 1e6, 4e5)]
    [2000000.0, 320000.0]
    """
    r = np.asarray(requests, dtype=float)
    gb_seconds = r * np.asarray(duration_ms, dtype=float) / 1000.0 * memory_gb
    return np.clip(r - free_requests, 0, None), np.clip(gb_seconds - free_gb_seconds, 0, None)


@dataclass(frozen=True)
class TokenUsage:
    """Tokens a hosted API bills in one month and their effective prices."""

    input_million: np.ndarray
    """Uncached input tokens [million tokens]."""
    cached_input_million: np.ndarray
    """Input tokens billed at the cached price [million tokens]."""
    output_million: np.ndarray
    """Output tokens [million tokens]."""
    price_factor: np.ndarray
    """``1 - batch_fraction × batch_discount``: the average price multiplier [ratio]."""


def token_usage(
    requests,
    input_tokens_per_request,
    output_tokens_per_request,
    cached_input_fraction=0.0,
    batch_fraction=0.0,
    batch_discount_fraction=0.0,
) -> TokenUsage:
    """Tokens billed for ``requests`` calls of a hosted model.

    Notes
    -----
    Input ``requests × input_tokens × (1 - cached) / 1e6`` and cached input
    ``requests × input_tokens × cached / 1e6`` million tokens; output ``requests ×
    output_tokens / 1e6``. Batch requests pay ``1 - batch_discount`` of the price, so every
    price is multiplied by ``1 - batch_fraction × batch_discount``.

    Examples
    --------
    1M requests of 500 input and 1,000 output tokens (1:2) at $0.15 and $0.60 per million:
    500 × $0.15 + 1,000 × $0.60 = $75 + $600 = $675.

    >>> u = token_usage(1e6, 500, 1000)
    >>> float(u.input_million * 0.15 + u.output_million * 0.60)
    675.0
    """
    r = np.asarray(requests, dtype=float)
    cached = np.asarray(cached_input_fraction, dtype=float)
    input_million = r * np.asarray(input_tokens_per_request, dtype=float) / MILLION
    factor = 1.0 - np.asarray(batch_fraction, dtype=float) * batch_discount_fraction
    return TokenUsage(
        input_million * (1 - cached),
        input_million * cached,
        r * np.asarray(output_tokens_per_request, dtype=float) / MILLION,
        np.asarray(factor, dtype=float),
    )


def peak_per_minute(peak_per_second, per_request=1.0):
    """A peak rate per minute: ``peak/s × 60 × per_request`` (tokens or requests) [1/min]."""
    return np.asarray(peak_per_second, dtype=float) * 60.0 * per_request


def cold_start_at_percentile_ms(cold_start_ms, cold_start_fraction, percentile):
    """Cold-start latency inside the latency percentile [ms].

    A share ``f`` of requests waits ``cold_start_ms`` longer. At percentile ``p`` the slowest
    ``1 - p/100`` of requests lie beyond it: when ``f`` exceeds that share, the percentile
    falls among the cold requests and includes the cold start; otherwise it does not.

    Examples
    --------
    2% of requests cold at p99: 0.02 > 0.01, so the 600 ms cold start is in the p99.

    >>> float(cold_start_at_percentile_ms(600, 0.02, 99))
    600.0
    >>> float(cold_start_at_percentile_ms(600, 0.005, 99))
    0.0
    """
    tail = 1.0 - np.asarray(percentile, dtype=float) / 100.0
    cold = np.asarray(cold_start_fraction, dtype=float) > tail + 1e-12
    return np.where(cold, np.asarray(cold_start_ms, dtype=float), 0.0)

"""The cloud option's compute, ingest and flat-bill cost lines, priced as the scenario bills.

Inputs come as a mapping from dotted path to an array of shape ``(S,)`` (already resolved; see
:func:`edgecalc.catalog.cloud_prices.resolve_cloud_pricing`), plus the ``cloud`` section for
its structure (which pricing, which term, the names of ingest charges). Lines have shape
``(S, M)``. The arithmetic is in :mod:`edgecalc.costs.cloud_pricing`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario.ranges import median
from .cloud_pricing import (
    FleetHours,
    always_on,
    autoscaled,
    cold_start_at_percentile_ms,
    commitment_bill,
    serverless_usage,
    spot_split,
    token_usage,
    uncommitted_hours,
    zone_redundant,
)
from .lines import CostLine, line
from .sizing import units_needed
from .volume import HOURS_PER_MONTH

GB = 1e9


@dataclass(frozen=True)
class CloudDemand:
    """What the cloud serves, month by month (arrays ``(S, M)``)."""

    inferences: np.ndarray
    """Inferences the cloud serves each month [1/month]."""
    peak_per_second: np.ndarray
    """Peak rate the cloud serves, all sites together [1/s]."""
    request_bytes_path: str
    """Input path of the bytes one request carries into the cloud."""
    active: np.ndarray
    """1 where the cloud serves anything (hybrid with no escalations pays nothing), (S, 1)."""


def _col(x):
    def col(path):
        return np.asarray(x[path], dtype=float)[:, None]

    return col


def instance_fleet(x, cloud, demand: CloudDemand) -> FleetHours:
    """Instances the cloud runs and for how many hours, every month (arrays ``(S, M)``).

    Notes
    -----
    ``ceil(peak / (throughput × utilisation))`` at peak, never below ``min_instances``, then
    spread over ``zones`` to survive one zone's loss; with ``autoscaling`` the peak fleet runs
    through the active hours (plus the scale-up lead) and ``min_instances`` the rest.
    """
    col = _col(x)
    base = col("cloud.min_instances") * demand.active
    peak = np.maximum(
        units_needed(
            demand.peak_per_second,
            col("cloud.inferences_per_second_per_instance"),
            col("cloud.target_utilization"),
        ),
        np.round(base),
    )
    zones = col("cloud.zones")
    if np.any(np.round(zones) >= 2):
        peak = np.where(peak > 0, zone_redundant(peak, zones), 0.0)
    else:  # one zone: peak >= 0 already; + 0.0 turns a -0.0 into 0.0, as where() did
        peak = peak + 0.0
    base = np.where(base > 0, zone_redundant(base, zones), 0.0)
    if cloud.autoscaling is None:
        return always_on(peak, col("cloud.hours_per_month"))
    return autoscaled(
        peak,
        base,
        col("workload.active_hours_per_day"),
        col("workload.active_days_per_week"),
        col("cloud.autoscaling.scale_up_delay_minutes"),
    )


def pricing_label(cloud, instance_key: str | None) -> str:
    """The pricing the cloud figure assumes, in words, e.g. ``aws/g6.xlarge, 3-yr all upfront``.

    Examples
    --------
    >>> from edgecalc.scenario.models import Cloud
    >>> pricing_label(Cloud(region="aws/us-east-1", instance="aws/g6.xlarge",
    ...     commitment={"term_years": 3, "payment": "all", "discount_fraction": 0.4},
    ...     autoscaling={}), "aws/g6.xlarge")
    'aws/g6.xlarge, 3-yr all upfront, autoscaled to the active hours'
    """
    if cloud.pricing == "hosted_api":
        model = cloud.hosted_api.model
        return f"hosted API{' ' + model if model else ''}, per input and output token"
    if cloud.pricing == "serverless":
        platform = cloud.serverless.platform or "serverless function"
        return f"{platform}, per request and per GB-second"
    if cloud.pricing == "per_request":
        return "a price per request"
    parts = [instance_key or "instances"]
    c = cloud.commitment
    if c is not None:
        upfront = {"none": "no upfront", "partial": "partial upfront", "all": "all upfront"}
        parts.append(f"{c.term_years}-yr {upfront[c.payment]}")
        if c.after_term == "on_demand":
            parts.append("then on demand")
    else:
        parts.append("on demand")
    if cloud.spot is not None:
        parts.append(f"{median(cloud.spot.share):.0%} of the rest on spot")
    if cloud.autoscaling is not None:
        parts.append("autoscaled to the active hours")
    elif c is None:
        parts.append("always on")
    if median_int(cloud.zones) >= 2:
        parts.append(f"across {median_int(cloud.zones)} zones")
    return ", ".join(parts)


def median_int(value) -> int:
    """A field that may be a range, as its median rounded (for labels only)."""
    return round(float(median(value)))


def compute_lines(
    x, cloud, instance_key, demand: CloudDemand, option: str, fleet: FleetHours | None = None
) -> list[CostLine]:
    """Compute cost lines of the cloud as the scenario prices it.

    ``fleet`` is :func:`instance_fleet` of the same inputs, when the caller has it already.
    """
    shape = demand.inferences.shape
    if cloud.pricing == "instances":
        return _instance_lines(x, cloud, instance_key, demand, option, fleet)
    col = _col(x)
    if cloud.pricing == "per_request":
        return [
            line(
                option,
                "compute",
                "requests",
                "thousand requests",
                demand.inferences / 1000,
                col("cloud.usd_per_1k_requests"),
                shape=shape,
                inputs=("cloud.usd_per_1k_requests",),
            )
        ]
    if cloud.pricing == "serverless":
        return _serverless_lines(x, cloud, demand, option)
    return _token_lines(x, cloud, demand, option)


def _instance_lines(
    x, cloud, instance_key, demand: CloudDemand, option, fleet: FleetHours | None = None
) -> list[CostLine]:
    col = _col(x)
    shape = demand.inferences.shape
    name = instance_key or "instances"
    fleet = instance_fleet(x, cloud, demand) if fleet is None else fleet
    on_demand = col("cloud.usd_per_hour")
    sizing = (
        "cloud.usd_per_hour",
        "cloud.inferences_per_second_per_instance",
        "cloud.target_utilization",
        "cloud.min_instances",
        "cloud.zones",
        "cloud.hours_per_month",
        "workload.peak_to_average",
    )
    if cloud.autoscaling is not None:
        sizing += ("workload.active_hours_per_day", "cloud.autoscaling.scale_up_delay_minutes")
    lines: list[CostLine] = []
    hours = fleet.instance_hours
    if cloud.commitment is not None:
        c = cloud.commitment
        committed = (
            col("cloud.commitment.instances") if c.instances is not None else fleet.low[:, :1]
        ) * demand.active
        price = (
            col("cloud.commitment.usd_per_hour")
            if c.usd_per_hour is not None
            else on_demand * (1 - col("cloud.commitment.discount_fraction"))
        )
        bill = commitment_bill(
            committed,
            price,
            col("cloud.commitment.upfront_fraction"),
            c.term_years * 12,
            shape[-1],
            renew=c.after_term == "renew",
        )
        term = f"{name}, {c.term_years}-yr"
        inputs = (
            "cloud.commitment.usd_per_hour"
            if c.usd_per_hour is not None
            else "cloud.commitment.discount_fraction",
            "cloud.commitment.upfront_fraction",
        ) + (("cloud.commitment.instances",) if c.instances is not None else ())
        committed_hours = committed * HOURS_PER_MONTH * bill.covered
        monthly_price = price * (1 - col("cloud.commitment.upfront_fraction"))
        upfront_price = np.divide(
            bill.upfront_usd, committed_hours, out=np.zeros(shape), where=committed_hours > 0
        )
        beyond = bill.months_beyond_horizon
        parts = (
            ("commitment", "upfront", "instance-h", committed_hours, upfront_price,
             bill.upfront_usd),
            ("compute", "monthly", "instance-h", committed_hours, monthly_price,
             bill.monthly_usd),
            ("compute", f"owed after the horizon ({beyond} months)", "months",
             (bill.owed_after_horizon_usd > 0) * float(beyond),
             committed * monthly_price * HOURS_PER_MONTH, bill.owed_after_horizon_usd),
        )  # fmt: skip
        for category, what, unit, quantity, unit_usd, usd in parts:
            if np.any(usd > 0):
                lines.append(
                    line(
                        option,
                        category,
                        f"{term} commitment, {what}",
                        unit,
                        quantity,
                        unit_usd,
                        usd=usd,
                        shape=shape,
                        inputs=inputs,
                    )
                )
        hours = uncommitted_hours(fleet, committed * bill.covered)
    if cloud.spot is not None:
        od_hours, spot_hours = spot_split(
            hours, col("cloud.spot.share"), col("cloud.spot.interruption_headroom_fraction")
        )
        lines.append(
            line(
                option,
                "compute",
                f"{name} spot (with interruption headroom)",
                "instance-h",
                spot_hours,
                col("cloud.spot.usd_per_hour"),
                shape=shape,
                inputs=(
                    "cloud.spot.share",
                    "cloud.spot.usd_per_hour",
                    "cloud.spot.interruption_headroom_fraction",
                ),
            )
        )
        hours = od_hours
    label = "on demand" if (cloud.commitment or cloud.spot) else "instances"
    if cloud.autoscaling is not None:
        label += ", autoscaled"
    lines.append(
        line(
            option,
            "compute",
            f"{name} {label}",
            "instance-h",
            hours,
            on_demand,
            shape=shape,
            inputs=sizing,
        )
    )
    return lines


def on_demand_usd(x, cloud, demand: CloudDemand):
    """What the same fleet would cost on demand, always on, over the horizon [USD] (S,).

    For the reason that says what the pricing saves; 0 for a cloud not priced by instances.
    """
    if cloud.pricing != "instances":
        return np.zeros(demand.inferences.shape[0])
    plain = cloud.model_copy(update={"commitment": None, "spot": None, "autoscaling": None})
    fleet = instance_fleet(x, plain, demand)
    return (fleet.instance_hours * _col(x)("cloud.usd_per_hour")).sum(axis=-1)


def _serverless_lines(x, cloud, demand: CloudDemand, option) -> list[CostLine]:
    col = _col(x)
    shape = demand.inferences.shape
    name = cloud.serverless.platform or "serverless function"
    requests, gb_seconds = serverless_usage(
        demand.inferences,
        col("cloud.serverless.duration_ms"),
        col("cloud.serverless.memory_gb"),
        col("cloud.serverless.free_requests_per_month"),
        col("cloud.serverless.free_gb_seconds_per_month"),
    )
    busy_seconds = demand.inferences * col("cloud.serverless.duration_ms") / 1000
    vcpu_seconds = np.clip(
        busy_seconds * col("cloud.serverless.vcpus")
        - col("cloud.serverless.free_vcpu_seconds_per_month"),
        0,
        None,
    )
    lines = [
        line(
            option,
            "compute",
            f"{name} requests (after the free tier)",
            "million requests",
            requests / 1e6,
            col("cloud.serverless.usd_per_million_requests"),
            shape=shape,
            inputs=(
                "cloud.serverless.usd_per_million_requests",
                "cloud.serverless.free_requests_per_month",
            ),
        ),
        line(
            option,
            "compute",
            f"{name} memory time (after the free tier)",
            "GB-s",
            gb_seconds,
            col("cloud.serverless.usd_per_gb_second"),
            shape=shape,
            inputs=(
                "cloud.serverless.usd_per_gb_second",
                "cloud.serverless.memory_gb",
                "cloud.serverless.duration_ms",
                "cloud.serverless.free_gb_seconds_per_month",
            ),
        ),
    ]
    if np.any(vcpu_seconds > 0):
        lines.append(
            line(
                option,
                "compute",
                f"{name} vCPU time (after the free tier)",
                "vCPU-s",
                vcpu_seconds,
                col("cloud.serverless.usd_per_vcpu_second"),
                shape=shape,
                inputs=("cloud.serverless.usd_per_vcpu_second", "cloud.serverless.vcpus"),
            )
        )
    return lines


def _token_lines(x, cloud, demand: CloudDemand, option) -> list[CostLine]:
    col = _col(x)
    shape = demand.inferences.shape
    p = "cloud.hosted_api."
    usage = token_usage(
        demand.inferences,
        col(p + "input_tokens_per_request"),
        col(p + "output_tokens_per_request"),
        col(p + "cached_input_fraction"),
        col(p + "batch_fraction"),
        col(p + "batch_discount_fraction"),
    )
    batch = (p + "batch_fraction", p + "batch_discount_fraction")
    kinds = [
        ("input", usage.input_million, "input_tokens_per_request"),
        ("cached input", usage.cached_input_million, "cached_input_fraction"),
        ("output", usage.output_million, "output_tokens_per_request"),
    ]
    if cloud.hosted_api.cached_input_fraction == 0:
        del kinds[1]
    out = []
    for kind, quantity, count in kinds:
        price = p + kind.replace(" ", "_") + "_usd_per_million_tokens"
        out.append(
            line(
                option,
                "compute",
                f"{kind} tokens",
                "million tokens",
                quantity,
                col(price) * usage.price_factor,
                shape=shape,
                inputs=(p + count, price, *batch),
            )
        )
    return out


def million_tokens(x, demand: CloudDemand):
    """Input plus output tokens over the horizon [million tokens] (S,)."""
    col = _col(x)
    per_request = col("cloud.hosted_api.input_tokens_per_request") + col(
        "cloud.hosted_api.output_tokens_per_request"
    )
    return (demand.inferences * per_request / 1e6).sum(axis=-1)


def ingest_and_bill_lines(x, cloud, demand: CloudDemand, option) -> list[CostLine]:
    """Ingest charges (per GB of requests and per hour) and flat monthly bills."""
    col = _col(x)
    shape = demand.inferences.shape
    lines = []
    if cloud.ingest:  # no samples x months volume without a charge on it
        request_gb = demand.inferences * col(demand.request_bytes_path) / GB
    for i, charge in enumerate(cloud.ingest):
        p = f"cloud.ingest.{i}"
        lines.append(
            line(
                option,
                "ingest",
                f"{charge.name}: data processed",
                "GB",
                request_gb,
                col(f"{p}.usd_per_gb"),
                shape=shape,
                inputs=(f"{p}.usd_per_gb", demand.request_bytes_path),
            )
        )
        if np.any(col(f"{p}.usd_per_hour") > 0):
            lines.append(
                line(
                    option,
                    "ingest",
                    f"{charge.name}: hours",
                    "h",
                    HOURS_PER_MONTH * demand.active,
                    col(f"{p}.usd_per_hour"),
                    shape=shape,
                    inputs=(f"{p}.usd_per_hour",),
                )
            )
    for i, bill in enumerate(cloud.monthly_bills):
        p = f"cloud.monthly_bills.{i}.usd_per_month"
        lines.append(
            line(
                option,
                "monthly_bill",
                bill.name,
                "months",
                demand.active,
                col(p),
                shape=shape,
                inputs=(p,),
            )
        )
    return lines


@dataclass(frozen=True)
class CapacityCheck:
    """Whether the cloud's billing plan can carry the peak: an API's rate limits, an
    autoscaling group's maximum."""

    mask: np.ndarray
    """True where the peak exceeds a limit, shape (S,)."""
    figures: dict
    """Peak and limit per limit checked, arrays (S,)."""
    text: str
    """What was checked, in words, at the first sample."""


def capacity_check(x, cloud, demand: CloudDemand) -> CapacityCheck | None:
    """Peak demand against the plan's limits, at the worst month; None when nothing limits it.

    Notes
    -----
    Hosted API: peak tokens per minute ``peak/s × 60 × (input + output tokens)`` against
    ``tokens_per_minute_limit`` and peak requests per minute ``peak/s × 60`` against
    ``requests_per_minute_limit``. Autoscaling: instances at peak against ``max_instances``.
    """
    api = cloud.hosted_api if cloud.pricing == "hosted_api" else None
    scaling = cloud.autoscaling if cloud.pricing == "instances" else None
    if api is None and (scaling is None or scaling.max_instances is None):
        return None
    col = _col(x)
    peak = demand.peak_per_second.max(axis=-1)  # (S,)
    checks: list[tuple[str, np.ndarray, np.ndarray, str]] = []
    if api is not None:
        p = "cloud.hosted_api."
        tokens = (
            col(p + "input_tokens_per_request")[:, 0] + col(p + "output_tokens_per_request")[:, 0]
        )
        if api.tokens_per_minute_limit is not None:
            checks.append(
                ("tokens/min", peak * 60 * tokens, x[p + "tokens_per_minute_limit"], "rate limit")
            )
        if api.requests_per_minute_limit is not None:
            checks.append(
                ("requests/min", peak * 60, x[p + "requests_per_minute_limit"], "rate limit")
            )
    if scaling is not None and scaling.max_instances is not None:
        fleet = instance_fleet(x, cloud, demand)
        checks.append(
            ("instances", fleet.high.max(axis=-1), x["cloud.autoscaling.max_instances"], "maximum")
        )
    if not checks:
        return None
    mask = np.zeros_like(peak, dtype=bool)
    figures, words = {}, []
    for unit, need, limit, kind in checks:
        need = np.asarray(need, dtype=float)
        limit = np.asarray(limit, dtype=float)
        over = need > limit * (1 + 1e-12)
        mask |= over
        figures[unit] = (need, limit)
        verb = "exceeds" if over[0] else "is within"
        words.append(f"peak {need[0]:,.0f} {unit} {verb} the {limit[0]:,.0f} {unit} {kind}")
    return CapacityCheck(mask, figures, "; ".join(words))


def cold_start_ms(x, cloud):
    """The serverless cold start inside the latency percentile [ms] (S,), or None."""
    if cloud.pricing != "serverless":
        return None
    return cold_start_at_percentile_ms(
        x["cloud.serverless.cold_start_ms"],
        x["cloud.serverless.cold_start_fraction"],
        x["latency.percentile"],
    )


def pricing_figures(x, cloud, instance_key, demand: CloudDemand) -> dict:
    """What the reasons say of the cloud's pricing: its label, the on-demand always-on cost of
    the same fleet (instances only) and the tokens served (hosted APIs only), arrays (S,)."""
    figures = {"label": pricing_label(cloud, instance_key)}
    plain = cloud.pricing == "instances" and not (
        cloud.commitment or cloud.spot or cloud.autoscaling
    )
    if cloud.pricing == "instances" and not plain:
        figures["on_demand_usd"] = on_demand_usd(x, cloud, demand)
    if cloud.pricing == "hosted_api":
        figures["million_tokens"] = million_tokens(x, demand)
    if cloud.commitment is not None:
        figures["commitment"] = cloud.commitment
    return figures

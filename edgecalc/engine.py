"""The vectorised core: inputs (arrays with a leading sample axis) -> costs, latency,
constraints and the decision, for every sample at once.

:func:`run` is the one code path behind a deterministic :func:`edgecalc.evaluate` (one
sample) and Monte Carlo (many); it never loops over samples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .constraints import model_memory_bytes, residency_allows
from .costs.cloud_bill import CloudDemand, capacity_check, cold_start_ms, pricing_figures
from .costs.finance import npv
from .costs.lines import CostLine
from .costs.options import (
    Load,
    cloud_lines,
    edge_lines,
    hybrid_lines,
    peak_upload_mbps,
    uplink_exceeded,
)
from .latency.budget import cloud_latency_components, edge_latency_components
from .operations.fleet_ops import fit_violation_text
from .resolve import Resolved

OPTIONS = ("cloud", "edge", "hybrid")
RECOMMENDATIONS = ("cloud", "edge", "hybrid", "none")
GB = 1e9


@dataclass
class Violation:
    """A hard constraint an option breaks, per sample."""

    constraint: str
    """``latency``, ``residency``, ``uplink`` or ``fit``."""
    mask: np.ndarray
    """True where violated, shape (S,)."""
    figures: dict[str, np.ndarray] = field(default_factory=dict)
    text: str = ""
    """The violation in words at the first sample, where the engine words it itself (fit)."""


@dataclass
class OptionArrays:
    """Everything computed for one option, as arrays over samples."""

    name: str
    lines: list[CostLine]
    monthly_usd: np.ndarray  # (S, M)
    total_usd: np.ndarray  # (S,)
    npv_usd: np.ndarray
    capex_usd: np.ndarray
    opex_usd: np.ndarray
    operations_usd: np.ndarray
    inferences: np.ndarray  # (S,) over the horizon
    latency: dict[str, np.ndarray]  # component -> (S,) at the worst site group
    latency_by_group: list[dict[str, np.ndarray]]
    violations: list[Violation]
    escalation_latency: dict[str, np.ndarray] | None = None
    pricing: dict = field(default_factory=dict)
    """How the option's cloud side is billed, for the reasons
    (:func:`edgecalc.costs.cloud_bill.pricing_figures`)."""

    @property
    def feasible(self) -> np.ndarray:
        """True where no constraint is violated, shape (S,)."""
        out = np.ones_like(self.total_usd, dtype=bool)
        for v in self.violations:
            out &= ~v.mask
        return out

    @property
    def usd_per_1k_inferences(self) -> np.ndarray:
        return np.divide(
            self.total_usd * 1000,
            self.inferences,
            out=np.full_like(self.total_usd, np.nan),
            where=self.inferences > 0,
        )


@dataclass
class EngineOutput:
    """The result of :func:`run`: per-option arrays and the recommendation per sample."""

    options: dict[str, OptionArrays]
    recommendation: np.ndarray  # (S,) of str
    months: np.ndarray
    load: Load
    samples: int


OPERATIONS_CATEGORIES = frozenset(
    {"labour", "failures", "software", "updates", "telemetry", "site_visits", "installation"}
)
"""Cost categories that are operations (people and fleet upkeep) rather than resources."""


def run(x: dict[str, np.ndarray], resolved: Resolved) -> EngineOutput:
    """Evaluate every option for every sample of the inputs.

    Parameters
    ----------
    x
        Dotted input path -> array of shape (S,), from :func:`edgecalc.resolve.point_inputs`
        or a Monte Carlo sampler.
    resolved
        The resolved scenario (structure, catalog items, site groups).
    """
    s = resolved.scenario
    samples = len(next(iter(x.values())))
    horizon = round(float(np.median(x["horizon_months"])))
    months = np.arange(horizon)
    load = Load(x, resolved.groups, months)
    options = {
        "cloud": _finish("cloud", cloud_lines(x, resolved, load), x, load),
        "edge": _finish("edge", edge_lines(x, resolved, load), x, load),
    }
    if s.hybrid is not None:
        options["hybrid"] = _finish("hybrid", hybrid_lines(x, resolved, load), x, load)
    key = resolved.instance.key if resolved.instance is not None else None
    demand = CloudDemand(load.total_monthly, load.total_peak, "workload.request_bytes", 1.0)
    options["cloud"].pricing = pricing_figures(x, s.cloud, key, demand)
    _latency(options, x, resolved, load)
    _constraints(options, x, resolved, load)
    recommendation = decide(
        {k: o.total_usd for k, o in options.items()},
        {k: o.feasible for k, o in options.items()},
        x["decision.min_cost_saving_fraction"],
    )
    return EngineOutput(options, recommendation, months, load, samples)


def _finish(name, lines, x, load) -> OptionArrays:
    monthly = sum(ln.usd for ln in lines)
    capex = sum(ln.usd.sum(axis=-1) for ln in lines if ln.kind == "capex")
    total = monthly.sum(axis=-1)
    ops = sum(
        (ln.usd.sum(axis=-1) for ln in lines if ln.category in OPERATIONS_CATEGORIES),
        np.zeros_like(total),
    )
    return OptionArrays(
        name=name,
        lines=lines,
        monthly_usd=monthly,
        total_usd=total,
        npv_usd=npv(monthly, x["discount_rate_per_year"]),
        capex_usd=np.asarray(capex, dtype=float) + np.zeros_like(total),
        opex_usd=total - capex,
        operations_usd=ops,
        inferences=load.total_monthly.sum(axis=-1),
        latency={},
        latency_by_group=[],
        violations=[],
    )


def _latency(options, x, r: Resolved, r_load: Load) -> None:
    s = r.scenario
    payload = x.get("cloud.payload_round_trip_ms") if r.payload_measured else None

    upgrade = s.sites.uplink_upgrade

    def effective_uplink(g, bytes_path):
        """The site's uplink, or the upgraded one where the upgrade is bought (S,)."""
        if upgrade is None:
            return x[g.uplink_mbps]
        i = r.groups.index(g)
        peak = r_load.peak[i]
        if bytes_path == "hybrid.escalation_bytes":
            peak = peak * np.asarray(x["hybrid.escalation_rate"])[:, None]
        upgraded = uplink_exceeded(x, g, peak, bytes_path).max(axis=-1) > 0
        return np.where(upgraded, x["sites.uplink_upgrade.uplink_mbps"], x[g.uplink_mbps])

    cold_start = cold_start_ms(x, s.cloud)

    def cloud_path(g, bytes_path):
        parts = cloud_latency_components(
            x[g.rtt_ms],
            x[bytes_path],
            x["workload.response_bytes"],
            effective_uplink(g, bytes_path),
            x[g.downlink_mbps],
            x["cloud.inference_ms"],
            s.cloud.connection_reuse,
            s.cloud.tls,
            payload_round_trip_ms=payload if bytes_path == "workload.request_bytes" else None,
        )
        if cold_start is not None:
            parts["cold_start"] = cold_start
            parts["total"] = parts["total"] + cold_start
        return parts

    def worst(per_group):
        totals = np.stack([p["total"] for p in per_group])  # (G, S)
        idx = np.argmax(totals, axis=0)
        return {
            k: np.stack([p[k] for p in per_group])[idx, np.arange(totals.shape[1])]
            for k in per_group[0]
        }

    cloud = [cloud_path(g, "workload.request_bytes") for g in r.groups]
    options["cloud"].latency_by_group = cloud
    options["cloud"].latency = worst(cloud)
    edge = edge_latency_components(x["latency.local_hop_ms"], x["edge.inference_ms"])
    options["edge"].latency_by_group = [edge for _ in r.groups]
    options["edge"].latency = edge
    if "hybrid" in options:
        fast = edge_latency_components(x["latency.local_hop_ms"], x["hybrid.inference_ms"])
        options["hybrid"].latency_by_group = [fast for _ in r.groups]
        options["hybrid"].latency = fast
        options["hybrid"].escalation_latency = worst(
            [cloud_path(g, "hybrid.escalation_bytes") for g in r.groups]
        )


def _constraints(options, x, r: Resolved, load: Load) -> None:
    s = r.scenario
    budget = x["latency.budget_ms"]
    region = r.region
    for _name, o in options.items():
        total = o.latency["total"]
        o.violations.append(
            Violation(
                "latency", total > budget * (1 + 1e-12), {"latency_ms": total, "budget_ms": budget}
            )
        )

    def residency_mask(rule):
        verdicts = [
            residency_allows(rule, g.country, g.zone, region.country, region.zone) for g in r.groups
        ]
        return not all(v is True for v in verdicts), verdicts

    samples = len(budget)
    bad, _ = residency_mask(s.residency.raw_data)
    options["cloud"].violations.append(Violation("residency", np.full(samples, bad), {}))
    options["cloud"].violations.append(_uplink(x, r, load, "workload.request_bytes", None))
    _capacity(options["cloud"], x, s, load, None, "workload.request_bytes")
    _fit(options["cloud"], x, r, "cloud", "model.parameters")
    _fit(options["edge"], x, r, "edge", "model.parameters")
    if "hybrid" in options:
        h = options["hybrid"]
        rule = (
            s.residency.raw_data
            if s.hybrid.escalation_carries_raw_data
            else (s.residency.derived_data)
        )
        esc = x["hybrid.escalation_rate"] > 0
        bad, _ = residency_mask(rule)
        h.violations.append(Violation("residency", esc & bad, {}))
        h.violations.append(
            _uplink(x, r, load, "hybrid.escalation_bytes", x["hybrid.escalation_rate"])
        )
        if s.hybrid.escalation_budget_ms is not None:
            lat = h.escalation_latency["total"]
            eb = x["hybrid.escalation_budget_ms"]
            h.violations.append(
                Violation(
                    "escalation_latency", esc & (lat > eb), {"latency_ms": lat, "budget_ms": eb}
                )
            )
        _fit(h, x, r, "hybrid", "hybrid.model_parameters")
        _capacity(h, x, s, load, x["hybrid.escalation_rate"], "hybrid.escalation_bytes")


def _capacity(option: OptionArrays, x, s, load: Load, share, bytes_path) -> None:
    """The cloud side's rate limits and autoscaling maximum (none for most plans)."""
    share = np.ones((len(x["horizon_months"]), 1)) if share is None else share[:, None]
    demand = CloudDemand(
        load.total_monthly * share, load.total_peak * share, bytes_path, (share > 0) * 1.0
    )
    check = capacity_check(x, s.cloud, demand)
    if check is not None:
        option.violations.append(Violation("capacity", check.mask, check.figures, check.text))


def _uplink(x, r: Resolved, load: Load, bytes_path, share) -> Violation:
    """Peak upload against the usable uplink, at the worst month and site group."""
    upgrade = r.scenario.sites.uplink_upgrade
    worst_ratio = None
    worst_upload = None
    for g, peak in zip(r.groups, load.peak, strict=True):
        p = peak if share is None else peak * np.asarray(share)[:, None]
        upload = peak_upload_mbps(x, p, bytes_path).max(axis=-1)  # (S,)
        uplink = x["sites.uplink_upgrade.uplink_mbps"] if upgrade is not None else x[g.uplink_mbps]
        usable = uplink * x["sites.uplink_usable_fraction"]
        ratio = np.divide(upload, usable)
        if worst_ratio is None or np.any(ratio > worst_ratio):
            worst_ratio = ratio if worst_ratio is None else np.maximum(worst_ratio, ratio)
            worst_upload = upload
    return Violation(
        "uplink",
        worst_ratio > 1 + 1e-12,
        {"peak_upload_mbps": worst_upload, "usable_ratio": worst_ratio},
    )


def _fit(option: OptionArrays, x, r: Resolved, prefix, params_path) -> None:
    """Model memory against device memory, per sample; the words from the first sample.

    Notes
    -----
    ``parameters × bytes_per_parameter × (1 + overhead_fraction) + overhead_bytes +
    kv_cache_bytes > memory_gb × 1e9`` is a violation; the text is
    from :func:`edgecalc.operations.fit.fit` and names the precision that would fit.
    """
    need = model_memory_bytes(
        x[params_path],
        x["model.bytes_per_parameter"],
        x["model.runtime_overhead_fraction"],
        x["model.runtime_overhead_bytes"],
        x["model.kv_cache_bytes"],
    )
    have = x[f"{prefix}.memory_gb"] * GB
    mask = need > have
    text = fit_violation_text(r, x, prefix, params_path) if bool(mask[0]) else ""
    option.violations.append(
        Violation("fit", mask, {"need_bytes": need, "have_bytes": have}, text=text)
    )


def decide(
    total_usd: dict[str, np.ndarray], feasible: dict[str, np.ndarray], min_cost_saving_fraction
) -> np.ndarray:
    """The recommendation for each sample.

    Rules (MODEL.md, "The decision"): the cloud is the default. When it is feasible it is
    recommended unless a feasible alternative costs at least ``min_cost_saving_fraction``
    less over the horizon; then the cheaper such alternative. When the cloud is ruled out:
    hybrid if feasible and cheaper than edge (or edge is infeasible), else edge if feasible,
    else ``none``.

    Examples
    --------
    >>> decide({"cloud": np.array([100.0]), "edge": np.array([80.0])},
    ...        {"cloud": np.array([True]), "edge": np.array([True])}, 0.25)[0]
    'cloud'
    >>> decide({"cloud": np.array([100.0]), "edge": np.array([75.0])},
    ...        {"cloud": np.array([True]), "edge": np.array([True])}, 0.25)[0]
    'edge'
    """
    cloud_ok = feasible["cloud"]
    n = len(cloud_ok)
    inf = np.full(n, np.inf)
    edge_cost = np.where(feasible["edge"], total_usd["edge"], inf)
    hybrid_cost = (
        np.where(feasible["hybrid"], total_usd["hybrid"], inf) if "hybrid" in (feasible) else inf
    )
    alt_is_hybrid = hybrid_cost < edge_cost
    alt_cost = np.minimum(edge_cost, hybrid_cost)
    alt_name = np.where(alt_is_hybrid, "hybrid", "edge")
    threshold = (1 - np.asarray(min_cost_saving_fraction, dtype=float)) * total_usd["cloud"]
    when_cloud_ok = np.where(alt_cost <= threshold * (1 + 1e-12), alt_name, "cloud")
    when_cloud_out = np.where(np.isfinite(alt_cost), alt_name, "none")
    return np.where(cloud_ok, when_cloud_ok, when_cloud_out).astype(object)

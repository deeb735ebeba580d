"""The vectorised core: inputs (arrays with a leading sample axis) -> costs, latency,
constraints and the decision, for every sample at once.

:func:`run` is the one code path behind a deterministic :func:`edgecalc.evaluate` (one
sample) and Monte Carlo (many); it never loops over samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from ..costs.cloud_bill import CloudDemand, capacity_check, cold_start_ms, pricing_figures
from ..costs.finance import npv
from ..costs.hub import hub_lines
from ..costs.lines import OPERATIONS_CATEGORIES, CostLine, monthly_sum_usd
from ..costs.options import (
    Load,
    cloud_demand,
    cloud_lines,
    edge_lines,
    hybrid_lines,
    peak_upload_mbps,
)
from ..latency.budget import (
    cloud_latency_components,
    edge_latency_components,
    hub_latency_components,
)
from ..operations.fit import memory_bytes
from .constraints import RESIDENCY_ORDER, residency_allows
from .fleet_ops import fit_violation_text
from .options import NONE, STANDARD_OPTIONS, OptionKind, OptionSpec, recommendations
from .resolve import Resolved
from .site_network import network_checks, network_lines

RECOMMENDATIONS = recommendations(STANDARD_OPTIONS)
"""The recommendations of the standard options: ``cloud``, ``edge``, ``hybrid``, ``none``."""
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
    ok_text: str = ""
    """What was checked, in words, when met at the first sample (where the engine words it)."""


@dataclass
class OptionArrays:
    """Everything computed for one option, as arrays over samples."""

    name: str
    lines: list[CostLine]
    monthly_usd: np.ndarray  # (S, M)
    total_usd: np.ndarray  # (S,)
    npv_usd: np.ndarray
    inferences: np.ndarray  # (S,) over the horizon
    latency: dict[str, np.ndarray]  # component -> (S,) at the worst site group
    latency_by_group: list[dict[str, np.ndarray]]
    violations: list[Violation]
    escalation_latency: dict[str, np.ndarray] | None = None
    pricing: dict = field(default_factory=dict)
    """How a cloud option is billed, for the reasons
    (:func:`edgecalc.costs.cloud_bill.pricing_figures`); empty for other kinds."""
    _sums: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def capex_usd(self) -> np.ndarray:
        """Capital expenditure over the horizon (lines of a capex category), shape (S,) [USD]."""
        if "capex" not in self._sums:
            capex = sum(self._line_totals(lambda ln: ln.kind == "capex"))
            self._sums["capex"] = np.asarray(capex, dtype=float) + np.zeros_like(self.total_usd)
        return self._sums["capex"]

    @property
    def opex_usd(self) -> np.ndarray:
        """Operating expenditure over the horizon: total less capex, shape (S,) [USD]."""
        return self.total_usd - self.capex_usd

    @property
    def operations_usd(self) -> np.ndarray:
        """People and fleet upkeep over the horizon (:data:`OPERATIONS_CATEGORIES`), shape
        (S,) [USD]."""
        if "operations" not in self._sums:
            self._sums["operations"] = sum(
                self._line_totals(lambda ln: ln.category in OPERATIONS_CATEGORIES),
                np.zeros_like(self.total_usd),
            )
        return self._sums["operations"]

    def _line_totals(self, keep) -> list[np.ndarray]:
        """Each kept line summed over the months, in line order (S,) [USD]. Summed when first
        asked for: a Monte Carlo batch never reads them."""
        return [ln.usd.sum(axis=-1) for ln in self.lines if keep(ln)]

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
    specs: tuple[OptionSpec, ...] = STANDARD_OPTIONS
    """The options in :attr:`options`, with their kinds, in report order."""


def run(x: dict[str, np.ndarray], resolved: Resolved, samples: int | None = None) -> EngineOutput:
    """Evaluate every option for every sample of the inputs.

    Parameters
    ----------
    x
        Dotted input path -> array of shape (S,), from
        :func:`edgecalc.pipeline.resolve.point_inputs` or a Monte Carlo sampler.
    resolved
        The resolved scenario (structure, catalog items, site groups).
    samples
        ``S``, the longest input's length, when the caller has read it already.
    """
    # an input held at its point value may have shape (1,) beside sampled ones (S,)
    if samples is None:
        samples = max(len(value) for value in x.values())
    horizon = round(float(np.median(x["horizon_months"])))
    months = np.arange(horizon)
    load = Load(x, resolved.groups, months, samples)
    specs = resolved.options
    paths = _LatencyPaths(x, resolved, load)
    options: dict[str, OptionArrays] = {}
    for spec in specs:
        kind = _kind(spec)
        network = network_lines(spec.name, spec.kind, spec.prefix, x, resolved, load)
        lines = kind.lines(spec, x, resolved, load) + network
        option = _finish(spec.name, lines, x, load, samples)
        kind.latency(option, spec, paths)
        _latency_budget(option, x)
        kind.constraints(option, spec, x, resolved, load)
        option.violations += [
            Violation(c.constraint, c.mask, c.figures, c.text, c.ok_text)
            for c in network_checks(spec.name, spec.kind, spec.prefix, x, resolved, load)
        ]
        options[spec.name] = option
    recommendation = decide(
        {k: decision_cost_usd(o, resolved.scenario.decision.basis) for k, o in options.items()},
        {k: o.feasible for k, o in options.items()},
        x["decision.min_cost_saving_fraction"],
        kinds={spec.name: spec.kind for spec in specs},
    )
    return EngineOutput(options, recommendation, months, load, samples, specs)


def _finish(name, lines, x, load, samples) -> OptionArrays:
    monthly = monthly_sum_usd(lines, load.line_sums)
    if monthly.shape[0] != samples:  # every line of the option from point values alone
        monthly = np.broadcast_to(monthly, (samples, monthly.shape[-1])).copy()
    return OptionArrays(
        name=name,
        lines=lines,
        monthly_usd=monthly,
        total_usd=monthly.sum(axis=-1),
        npv_usd=npv(monthly, x["discount_rate_per_year"]),
        inferences=load.total_inferences,
        latency={},
        latency_by_group=[],
        violations=[],
    )


class _LatencyPaths:
    """The round trip to the cloud and the local hop, per site group, for every option.

    The cloud path of every site group is computed at once: each group's inputs stacked on a
    leading group axis (G, S), the shared inputs (S,) broadcast against them; element by
    element the same operations as one group at a time, so the same figures to the last bit.
    """

    def __init__(self, x, r: Resolved, load: Load):
        self.x, self.r, self.load = x, r, load
        self.payload = x.get("cloud.payload_round_trip_ms") if r.payload_measured else None

    def effective_uplinks(self, bytes_path) -> np.ndarray:
        """Each group's uplink, or the upgraded one where the upgrade is bought (G, S) [Mbit/s].

        The upgrade is bought where a month's peak upload exceeds the usable uplink
        (:func:`~edgecalc.costs.options.uplink_exceeded`, for every group at once).
        """
        x, r = self.x, self.r
        uplinks = _group_rows([x[g.uplink_mbps] for g in r.groups])
        if r.scenario.sites.uplink_upgrade is None:
            return uplinks
        peak = self.load.peak_by_group  # (G, S, M)
        if bytes_path == "hybrid.escalation_bytes":
            peak = peak * np.asarray(x["hybrid.escalation_rate"])[:, None]
        upload = peak_upload_mbps(x, peak, bytes_path)
        usable = (
            uplinks[:, :, None]
            * np.asarray(x["sites.uplink_usable_fraction"], dtype=float)[:, None]
        )
        upgraded = (upload > usable * (1 + 1e-12)).any(axis=-1)
        return np.where(upgraded, x["sites.uplink_upgrade.uplink_mbps"], uplinks)

    def cloud_parts(self, bytes_path) -> dict[str, np.ndarray]:
        """The cloud path's components of every site group, stacked: (G, S), or (S,) for a
        component the same for every group (a measured payload round trip) [ms]."""
        x, s, groups = self.x, self.r.scenario, self.r.groups
        parts = cloud_latency_components(
            _group_rows([x[g.rtt_ms] for g in groups]),
            x[bytes_path],
            x["workload.response_bytes"],
            self.effective_uplinks(bytes_path),
            _group_rows([x[g.downlink_mbps] for g in groups]),
            x["cloud.inference_ms"],
            s.cloud.connection_reuse,
            s.cloud.tls,
            payload_round_trip_ms=self.payload if bytes_path == "workload.request_bytes" else None,
        )
        cold_start = cold_start_ms(x, s.cloud)
        if cold_start is not None:
            parts["cold_start"] = cold_start
            parts["total"] = parts["total"] + cold_start
        return parts

    def local(self, inference_path):
        return edge_latency_components(self.x["latency.local_hop_ms"], self.x[inference_path])


def _group_rows(arrays) -> np.ndarray:
    """Per-group inputs of shape (S,) or (1,) as rows of one (G, S) array (the (1,) ones
    repeated when others are sampled)."""
    first = np.shape(arrays[0])
    if all(np.shape(a) == first for a in arrays):
        return np.array(arrays, dtype=float)
    samples = max(np.size(a) for a in arrays)
    return np.array([np.broadcast_to(a, (samples,)) for a in arrays], dtype=float)


def _by_group(parts: dict[str, np.ndarray], groups: int) -> list[dict[str, np.ndarray]]:
    """The stacked components of :meth:`_LatencyPaths.cloud_parts`, one dict per group."""
    rows = {k: np.ndim(v) == 2 for k, v in parts.items()}
    return [{k: v[i] if rows[k] else v for k, v in parts.items()} for i in range(groups)]


def _worst(parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The components of the slowest site group, per sample (the first group on a tie).

    ``parts``: each component stacked over the groups (G, S), or (S,) when the same for every
    group (:meth:`_LatencyPaths.cloud_parts`); a component may hold a group's inputs at their
    point value, shape (G, 1), beside sampled totals (G, S).
    """
    totals = np.asarray(parts["total"])
    if totals.ndim == 1:  # no component differs between groups
        totals = totals[None]
    idx = np.argmax(totals, axis=0)
    columns = np.arange(totals.shape[-1])
    return {
        k: totals[idx, columns]
        if k == "total"
        else np.broadcast_to(np.asarray(v), totals.shape)[idx, columns]
        for k, v in parts.items()
    }


def _cloud_latency(o: OptionArrays, spec: OptionSpec, paths: _LatencyPaths) -> None:
    cloud = paths.cloud_parts("workload.request_bytes")
    o.latency_by_group = _by_group(cloud, len(paths.r.groups))
    o.latency = _worst(cloud)


def _edge_latency(o: OptionArrays, spec: OptionSpec, paths: _LatencyPaths) -> None:
    edge = paths.local(f"{spec.prefix}.inference_ms")
    o.latency_by_group = [edge for _ in paths.r.groups]
    o.latency = edge


def _hybrid_latency(o: OptionArrays, spec: OptionSpec, paths: _LatencyPaths) -> None:
    _edge_latency(o, spec, paths)
    o.escalation_latency = _worst(paths.cloud_parts("hybrid.escalation_bytes"))


def _latency_budget(o: OptionArrays, x) -> None:
    """Every option: its end-to-end latency (worst site group) within the budget."""
    budget = x["latency.budget_ms"]
    total = o.latency["total"]
    o.violations.append(
        Violation(
            "latency", total > budget * (1 + 1e-12), {"latency_ms": total, "budget_ms": budget}
        )
    )


def _residency_broken(r: Resolved, rule) -> bool:
    """True unless every site group's data may go to the cloud region under ``rule``."""
    region = r.region
    verdicts = [
        residency_allows(rule, g.country, g.zone, region.country, region.zone) for g in r.groups
    ]
    return not all(v is True for v in verdicts)


def _cloud_constraints(o: OptionArrays, spec: OptionSpec, x, r: Resolved, load: Load) -> None:
    samples = len(x["latency.budget_ms"])
    bad = _residency_broken(r, r.scenario.residency.raw_data)
    o.violations.append(Violation("residency", np.full(samples, bad), {}))
    o.violations.append(_uplink(x, r, load, "workload.request_bytes", None))
    _fit(o, x, r, spec.prefix, "model.parameters")
    demand = _cloud_demand(x, load, None, "workload.request_bytes")
    _capacity(o, x, r.scenario, demand)
    key = r.instance.key if r.instance is not None else None
    o.pricing = pricing_figures(x, r.scenario.cloud, key, demand)  # for the reasons


def _edge_constraints(o: OptionArrays, spec: OptionSpec, x, r: Resolved, load: Load) -> None:
    _fit(o, x, r, spec.prefix, "model.parameters")


def _hybrid_constraints(o: OptionArrays, spec: OptionSpec, x, r: Resolved, load: Load) -> None:
    s = r.scenario
    rule = (
        s.residency.raw_data if s.hybrid.escalation_carries_raw_data else s.residency.derived_data
    )
    esc = x["hybrid.escalation_rate"] > 0
    o.violations.append(Violation("residency", esc & _residency_broken(r, rule), {}))
    o.violations.append(_uplink(x, r, load, "hybrid.escalation_bytes", x["hybrid.escalation_rate"]))
    if s.hybrid.escalation_budget_ms is not None:
        lat = o.escalation_latency["total"]
        eb = x["hybrid.escalation_budget_ms"]
        o.violations.append(
            Violation("escalation_latency", esc & (lat > eb), {"latency_ms": lat, "budget_ms": eb})
        )
    _fit(o, x, r, spec.prefix, "hybrid.model_parameters")
    share = x["hybrid.escalation_rate"]
    _capacity(o, x, s, _cloud_demand(x, load, share, "hybrid.escalation_bytes"))


def _cloud_demand(x, load: Load, share, bytes_path) -> CloudDemand:
    """What a cloud side serves: every inference, or the escalated ``share`` (S,); the
    demand the option's cost lines computed (:func:`~edgecalc.costs.options.cloud_demand`)."""
    share = np.ones((len(x["horizon_months"]), 1)) if share is None else share[:, None]
    return cloud_demand(load, share, bytes_path)


def _capacity(option: OptionArrays, x, s, demand: CloudDemand) -> None:
    """The cloud side's rate limits and autoscaling maximum (none for most plans)."""
    check = capacity_check(x, s.cloud, demand)
    if check is not None:
        option.violations.append(Violation("capacity", check.mask, check.figures, check.text))


def _hub(r: Resolved, spec: OptionSpec):
    """The ``hubs`` entry of a hub option."""
    return r.scenario.hubs[int(spec.prefix.rsplit(".", 1)[1])]


def _hub_latency(o: OptionArrays, spec: OptionSpec, paths: _LatencyPaths) -> None:
    x, p = paths.x, spec.prefix
    hub = hub_latency_components(
        x[f"{p}.link_rtt_ms"],
        x["workload.request_bytes"],
        x["workload.response_bytes"],
        x[f"{p}.link_mbps"],
        x[f"{p}.inference_ms"],
    )
    o.latency_by_group = [hub for _ in paths.r.groups]
    o.latency = hub


def hub_residency_allows(rule: str, placement: str) -> bool:
    """Whether data under ``rule`` may be processed at a hub placed ``placement`` (on the
    campus, in the sites' country, in their residency zone).

    Examples
    --------
    >>> hub_residency_allows("on_site", "on_site"), hub_residency_allows("on_site", "in_country")
    (True, False)
    """
    return RESIDENCY_ORDER.index(placement) <= RESIDENCY_ORDER.index(rule)


def _hub_constraints(o: OptionArrays, spec: OptionSpec, x, r: Resolved, load: Load) -> None:
    """Residency at the hub's placement; each site's peak upload against its link to the hub
    (the usable share ``sites.uplink_usable_fraction``); the model on the hub's server."""
    samples = len(x["latency.budget_ms"])
    hub = _hub(r, spec)
    bad = not hub_residency_allows(r.scenario.residency.raw_data, hub.placement)
    o.violations.append(Violation("residency", np.full(samples, bad), {}))
    link = x[f"{spec.prefix}.link_mbps"] * x["sites.uplink_usable_fraction"]
    upload = np.max(
        np.stack(
            [peak_upload_mbps(x, p, "workload.request_bytes").max(axis=-1) for p in load.peak]
        ),
        axis=0,
    )
    ratio = upload / link
    o.violations.append(
        Violation("uplink", ratio > 1 + 1e-12, {"peak_upload_mbps": upload, "usable_ratio": ratio})
    )
    _fit(o, x, r, spec.prefix, "model.parameters")


@dataclass(frozen=True)
class _Kind:
    """What the engine does for one option kind: price it, time it, check it."""

    lines: Callable[..., list[CostLine]]
    latency: Callable[[OptionArrays, OptionSpec, _LatencyPaths], None]
    constraints: Callable[..., None]


class _OptionInputs(Mapping):
    """The inputs as an extra cloud option sees them: ``cloud.*`` read from its own prefix
    (``cloud_3yr.usd_per_hour``), every other path as it is."""

    def __init__(self, x: Mapping, prefix: str):
        self.x, self.prefix = x, prefix

    def _path(self, path: str) -> str:
        return self.prefix + path[len("cloud") :] if path.startswith("cloud.") else path

    def __getitem__(self, path):
        return self.x[self._path(path)]

    def __iter__(self):
        return iter(self.x)

    def __len__(self):
        return len(self.x)

    def __contains__(self, path):
        return self._path(path) in self.x


def _as_cloud(spec: OptionSpec, x, r: Resolved):
    """The inputs and resolved scenario of a cloud-kind option (the extra ones as cloud)."""
    if spec.prefix == "cloud":
        return x, r
    return _OptionInputs(x, spec.prefix), r.variants[spec.name]


def _cloud_option_lines(spec, x, r, load):
    x, r = _as_cloud(spec, x, r)
    return cloud_lines(x, r, load, option=spec.name)


def _cloud_option_latency(o: OptionArrays, spec: OptionSpec, paths: _LatencyPaths) -> None:
    x, r = _as_cloud(spec, paths.x, paths.r)
    _cloud_latency(o, spec, paths if r is paths.r else _LatencyPaths(x, r, paths.load))


def _cloud_option_constraints(o, spec, x, r, load) -> None:
    x, r = _as_cloud(spec, x, r)
    _cloud_constraints(o, spec, x, r, load)


KINDS: dict[OptionKind, _Kind] = {
    "cloud": _Kind(_cloud_option_lines, _cloud_option_latency, _cloud_option_constraints),
    "edge": _Kind(
        lambda spec, x, r, load: edge_lines(x, r, load, option=spec.name, prefix=spec.prefix),
        _edge_latency,
        _edge_constraints,
    ),
    "hybrid": _Kind(
        lambda spec, x, r, load: hybrid_lines(x, r, load),
        _hybrid_latency,
        _hybrid_constraints,
    ),
    "hub": _Kind(
        lambda spec, x, r, load: hub_lines(
            x, r, load, option=spec.name, prefix=spec.prefix, pricing=_hub(r, spec).pricing
        ),
        _hub_latency,
        _hub_constraints,
    ),
}
"""Pricer (:mod:`edgecalc.costs.options`, :mod:`edgecalc.costs.hub`), latency model and
constraints of each option kind."""


def _kind(spec: OptionSpec) -> _Kind:
    return KINDS[spec.kind]


def _uplink(x, r: Resolved, load: Load, bytes_path, share) -> Violation:
    """Peak upload against the usable uplink, at the worst month and site group.

    Every group at once (G, S); the figures are those of a walk over the groups in order that
    keeps the running maximum of the ratio and, whenever a group raises it at some sample, that
    group's upload (:func:`_running_worst`).
    """
    upgrade = r.scenario.sites.uplink_upgrade
    upload = _worst_month_upload(x, load, bytes_path, share)  # (G, S)
    if upgrade is not None:
        uplink = np.asarray(x["sites.uplink_upgrade.uplink_mbps"], dtype=float)
    else:
        uplink = _group_rows([x[g.uplink_mbps] for g in r.groups])
    usable = uplink * x["sites.uplink_usable_fraction"]
    worst_ratio, worst_upload = _running_worst(np.divide(upload, usable), upload)
    return Violation(
        "uplink",
        worst_ratio > 1 + 1e-12,
        {"peak_upload_mbps": worst_upload, "usable_ratio": worst_ratio},
    )


def _worst_month_upload(x, load: Load, bytes_path, share) -> np.ndarray:
    """Each site group's peak upload at its worst month [Mbit/s] (G, S):
    ``max over months of peak × share × bytes × 8 / 1e6``.

    Where every peak is positive (no zero, NaN or -0.0) and the share and the bytes are
    positive and finite, the scaling is taken after the maximum: multiplying by a positive
    number and dividing by 1e6 never reverse an order once rounded, so the largest product is
    the product of the largest peak, to the bit, for one (G, S) array instead of three
    (G, S, M) ones.
    """
    peak = load.peak_by_group  # (G, S, M)
    factors = [np.asarray(x[bytes_path], dtype=float)]
    if share is not None:
        factors.append(np.asarray(share, dtype=float))
    if peak.size and all(np.all(np.isfinite(f) & (f > 0)) for f in factors):
        if load.lowest_peak > 0:
            top = load.worst_month_peak  # (G, S)
            if share is not None:
                top = top * factors[1]
            return top * factors[0] * 8 / 1e6
    p = peak if share is None else peak * np.asarray(share)[:, None]
    return peak_upload_mbps(x, p, bytes_path).max(axis=-1)


def _running_worst(ratios: np.ndarray, uploads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The running maximum of the groups' ratios (G, S) after the last group, and the upload
    of the last group that raised it at some sample.

    ``np.maximum.accumulate`` gives the running maximum of that walk, bit for bit, where no
    ratio is NaN: a group that raises it nowhere leaves ``maximum(worst, ratio) == worst``. With
    a NaN the walk itself runs (it skips such a group unless it raises the maximum elsewhere).
    """
    if np.isnan(ratios).any():
        worst_ratio = worst_upload = None
        for ratio, upload in zip(ratios, uploads, strict=True):
            if worst_ratio is None or np.any(ratio > worst_ratio):
                worst_ratio = ratio if worst_ratio is None else np.maximum(worst_ratio, ratio)
                worst_upload = upload
        return worst_ratio, worst_upload
    running = np.maximum.accumulate(ratios, axis=0)
    raised = np.flatnonzero((ratios[1:] > running[:-1]).any(axis=-1))
    last = int(raised[-1]) + 1 if len(raised) else 0
    return running[-1], uploads[last]


def _fit(option: OptionArrays, x, r: Resolved, prefix, params_path) -> None:
    """Model memory against device memory, per sample; the words from the first sample.

    Notes
    -----
    ``parameters × bytes_per_parameter × (1 + overhead_fraction) + overhead_bytes +
    kv_cache_bytes > memory_gb × 1e9`` is a violation; the hybrid fast path uses its own
    parameters, bytes per parameter (its precision) and KV cache. The text is
    from :func:`edgecalc.operations.fit.fit` and names the precision that would fit.
    """
    owner = "hybrid" if prefix == "hybrid" else "model"
    need = memory_bytes(
        x[params_path],
        x[f"{owner}.bytes_per_parameter"],
        x["model.runtime_overhead_fraction"],
        x["model.runtime_overhead_bytes"],
        x[f"{owner}.kv_cache_bytes"],
    )
    have = x[f"{prefix}.memory_gb"] * GB
    mask = need > have
    text = fit_violation_text(r, x, prefix, params_path) if bool(mask[0]) else ""
    option.violations.append(
        Violation("fit", mask, {"need_bytes": need, "have_bytes": have}, text=text)
    )


BASIS_WORDS = {"npv": "NPV", "total": "undiscounted total"}
"""How each ``decision.basis`` is named in reasons and tables."""


def decision_cost_usd(option: OptionArrays, basis: str) -> np.ndarray:
    """The cost the decision compares: the option's NPV (``basis: npv``) or its undiscounted
    total over the horizon (``basis: total``) [USD], per sample."""
    if basis == "npv":
        return option.npv_usd
    if basis == "total":
        return option.total_usd
    raise ValueError(f"unknown decision basis {basis!r}: allowed are npv, total")


def decide(
    total_usd: Mapping[str, np.ndarray],
    feasible: Mapping[str, np.ndarray],
    min_cost_saving_fraction,
    kinds: Mapping[str, OptionKind] | None = None,
) -> np.ndarray:
    """The recommendation for each sample.

    Parameters
    ----------
    total_usd, feasible : mapping of option name to ndarray (S,)
        Each option's cost on the decision's basis (:func:`decision_cost_usd`: NPV by
        default, or the undiscounted total) [USD] and whether it meets every hard constraint,
        in report order (ties go to the option listed first).
    min_cost_saving_fraction : float or ndarray (S,)
        The share of the cloud's cost another option must save to be recommended instead.
    kinds : mapping of option name to OptionKind, optional
        Each option's kind; by default an option's name is its kind (the standard options).

    Returns
    -------
    ndarray (S,) of str
        An option's name, or ``none``.

    Notes
    -----
    Rules (MODEL.md, "The decision"): the cloud is the default. The default is the cheapest
    feasible cloud-kind option. Where there is one, it is recommended unless the cheapest
    feasible other option costs at most ``(1 - min_cost_saving_fraction)`` times as much; then
    that option. Where no cloud-kind option is feasible: the cheapest feasible other option,
    else ``none``. With the standard options this is: cloud, unless edge or hybrid saves the
    fraction; when the cloud is ruled out, hybrid if feasible and cheaper than edge (or edge is
    infeasible), else edge if feasible, else ``none``.

    Examples
    --------
    >>> decide({"cloud": np.array([100.0]), "edge": np.array([80.0])},
    ...        {"cloud": np.array([True]), "edge": np.array([True])}, 0.25)[0]
    'cloud'
    >>> decide({"cloud": np.array([100.0]), "edge": np.array([75.0])},
    ...        {"cloud": np.array([True]), "edge": np.array([True])}, 0.25)[0]
    'edge'
    >>> decide({"cloud": np.array([100.0]), "cloud_3yr": np.array([60.0]),
    ...         "edge": np.array([50.0])},
    ...        {name: np.array([True]) for name in ("cloud", "cloud_3yr", "edge")}, 0.25,
    ...        kinds={"cloud": "cloud", "cloud_3yr": "cloud", "edge": "edge"})[0]
    'cloud_3yr'
    """
    kinds = dict(kinds) if kinds is not None else {name: name for name in total_usd}
    cloud = [name for name in total_usd if kinds[name] == "cloud"]
    others = [name for name in total_usd if kinds[name] != "cloud"]
    n = len(next(iter(feasible.values())))
    default_name, default_cost = _cheapest_feasible(cloud, total_usd, feasible, n)
    alt_name, alt_cost = _cheapest_feasible(others, total_usd, feasible, n)
    # 0 x inf (a saving fraction of 1 where no cloud-kind option is feasible) is nan: unused,
    # since a sample without a feasible default takes when_no_default below
    with np.errstate(invalid="ignore"):
        threshold = (1 - np.asarray(min_cost_saving_fraction, dtype=float)) * default_cost
    when_default = np.where(alt_cost <= threshold * (1 + 1e-12), alt_name, default_name)
    when_no_default = np.where(np.isfinite(alt_cost), alt_name, NONE)
    return np.where(np.isfinite(default_cost), when_default, when_no_default).astype(object)


def _cheapest_feasible(names, total_usd, feasible, n) -> tuple[np.ndarray, np.ndarray]:
    """Per sample, the cheapest feasible option among ``names`` (first listed on a tie) and
    its cost; ``none`` and infinity where none of them is feasible."""
    if not names:
        return np.full(n, NONE, dtype=object), np.full(n, np.inf)
    costs = np.stack([np.where(feasible[k], total_usd[k], np.inf) for k in names])  # (K, S)
    best = np.argmin(costs, axis=0)
    cost = costs[best, np.arange(n)]
    name = np.asarray(names, dtype=object)[best]
    return np.where(np.isfinite(cost), name, NONE), cost

"""Glue between the pure operations models and the engine: closed-form expectations for the
monthly cost lines (vectorised over samples) and the ``Result.operations`` section (the rollout
Monte Carlo, availability, monitoring, fit and labour at the point values).

The rollout simulation is a Monte Carlo of its own over runs: it is run once per evaluation, at
the point values, with a fixed seed (:data:`ROLLOUT_SEED`), never per Monte Carlo sample;
without a pause as day counts (:mod:`edgecalc.operations.rollout_counts`), with one device by
device (:mod:`edgecalc.operations.rollout`). Cost
lines use closed-form expectations instead (:mod:`edgecalc.operations.expected`), which
vectorise over samples.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import limits
from ..costs.fleet_lines import FleetSize, fleet_size
from ..costs.hub import hub_fleet
from ..costs.lines import OPERATIONS_CATEGORIES
from ..costs.options import Load
from ..costs.sizing import devices_per_site
from ..errors import EdgecalcError
from ..operations.availability import (
    MINUTES_PER_MONTH,
    Availability,
    cloud_availability,
    device_unavailability,
    hybrid_availability,
    site_down_probability,
)
from ..operations.expected import stranded_share
from ..operations.fit import fit, format_bytes, model_memory_bytes
from ..operations.labour import compare_operating_cost
from ..operations.monitoring import (
    mean_time_to_notice_hours,
    telemetry_bytes_per_month,
    unobserved_device_days_per_month,
)
from ..operations.option_availability import hub_servers_per_hub, server_unavailability
from ..operations.rollback import firmware_site_visits_per_year, rollout_site_visits_per_year
from ..operations.rollout import (
    RolloutResult,
    offline_spell_survival,
    offline_transition_probabilities,
    simulate_rollout,
    stage_sizes,
)
from ..operations.rollout_counts import RolloutCounts, simulate_rollout_counts
from ..operations.spares import repair_lead_days
from ..scenario.ranges import median
from ..units import HOURS_PER_MONTH
from .allocator import MANY_SAMPLES, keep_freed_memory
from .operations_figures import (
    CloudOperations,
    DayQuantiles,
    FleetAvailability,
    FleetOperations,
    LabourParts,
    ModelFit,
    Monitoring,
    OptionOperations,
    RolloutCurve,
    RolloutFigures,
    ServiceAvailability,
    SiteVisits,
    Spares,
)
from .resolve import point_inputs

__all__ = [
    "ROLLOUT_SEED",
    "check_offline_inputs",
    "fit_for",
    "fit_violation_text",
    "operations_section",
    "rollout_horizon_days",
    "rollout_summary",
    "run_rollout",
]

FloatArray = NDArray[np.float64]

FLEET_KINDS = ("edge", "hybrid", "hub")
"""Option kinds with a fleet of devices at the sites or servers at hubs: each gets a
:class:`FleetOperations`."""


@dataclass(frozen=True)
class _FleetView:
    """What the operations section reads of one fleet option: its units by role, the units
    each site (or hub) needs and its spares, one unit's down share and repair lead."""

    size: FleetSize
    groups: list[tuple[int, int]]
    """Per site group: units the peak needs and spares, at a site (edge) or its hub."""
    unavailability: float
    lead_days: float
    annual_failure_rate: float
    labour: LabourParts
    depot_spare_fraction: float
    remote_hub: bool = False
    """A hub off the campus: its sites also go without inference while their WAN is down."""


ROLLOUT_SEED = 20_240_611
"""Seed of the rollout Monte Carlo, fixed so that a scenario always gives the same figures."""

WEEK_DAYS = 7
"""Offline spells longer than this are called out in the decision's reasons [days]."""

GB = 1e9


def rollout_horizon_days(
    stages: int, days_between_waves: float, after_days: float, pause_days: float | None = None
) -> int:
    """Days the rollout is simulated: the last wave's start plus ``after_days``.

    Parameters
    ----------
    stages : int
        Canary plus waves [count].
    days_between_waves : float
        Days from one stage's start to the next [days] (rounded up, as the rollout does).
    after_days : float
        Days a device has after its wave starts before it gets a site visit [days].
    pause_days : float or None
        Length of an automatic pause, when one is configured; every stage may be paused once
        [days].

    Returns
    -------
    int
        ``(stages - 1) x (ceil(days_between_waves) + ceil(pause_days)) + ceil(after_days)``
        [days].

    Examples
    --------
    >>> rollout_horizon_days(4, 2, 30)
    36
    """
    per_stage = math.ceil(days_between_waves) + (math.ceil(pause_days) if pause_days else 0)
    return max(1, (max(stages, 1) - 1) * per_stage + math.ceil(after_days))


def run_rollout(devices: int, values: dict[str, Any], runs: int | None = None) -> RolloutResult:
    """The rollout Monte Carlo at the point values of the ``operations`` inputs.

    Parameters
    ----------
    devices : int
        Fleet size [devices].
    values : dict
        Dotted path -> value (``Resolved.values``); ranges are taken at their median.
    runs : int, optional
        Monte Carlo runs; default ``operations.simulation_runs``.

    Returns
    -------
    RolloutResult
        Over ``rollout_horizon_days`` days, seeded with :data:`ROLLOUT_SEED`.

    Raises
    ------
    EdgecalcError
        When the offline probability and spell length are impossible together.
    """
    plan = _plan(values)
    return _run_plan(devices, plan, int(runs or plan["runs"]))


def _check_device_runs(devices: int, n_runs: int) -> None:
    """Refuse a rollout of more than ``limits.ROLLOUT_DEVICE_RUNS`` device-runs."""
    if devices * n_runs > limits.ROLLOUT_DEVICE_RUNS:
        most = max(1, limits.ROLLOUT_DEVICE_RUNS // max(devices, 1))
        raise EdgecalcError(
            f"operations: the rollout simulation would follow {devices:,.0f} devices in "
            f"{n_runs:,} runs; the limit is {limits.ROLLOUT_DEVICE_RUNS:,} device-runs"
            + (
                f": set operations.simulation_runs to {most:,} or fewer"
                if devices <= limits.ROLLOUT_DEVICE_RUNS
                else "; the fleet is too large to simulate: lower sites.count or the devices "
                "each site needs (workload.inferences_per_second, workload.peak_to_average, "
                "edge.redundancy)"
            )
        )


def _run_plan(devices: int, plan: dict[str, Any], n_runs: int) -> RolloutResult:
    """:func:`run_rollout` for a plan from :func:`_plan` and a number of runs."""
    pause = {"pause_failure_rate": plan["pause_rate"], "pause_days": plan["pause_days"]}
    return _simulate(simulate_rollout, devices, plan, n_runs, **pause)


def _count_plan(devices: int, plan: dict[str, Any], n_runs: int) -> RolloutCounts:
    """The day-count rollout of a plan without a pause, under the same limit and seed as
    :func:`_run_plan`."""
    return _simulate(simulate_rollout_counts, devices, plan, n_runs)


def _simulate(simulation, devices: int, plan: dict[str, Any], n_runs: int, **extra):
    """Call a rollout simulation on a plan from :func:`_plan`, seeded with
    :data:`ROLLOUT_SEED`, within ``limits.ROLLOUT_DEVICE_RUNS``."""
    _check_device_runs(devices, n_runs)
    try:
        return simulation(
            devices,
            plan["p"],
            plan["spell"],
            plan["horizon"],
            np.random.default_rng(ROLLOUT_SEED),
            runs=n_runs,
            canary_fraction=plan["canary"],
            waves=plan["waves"],
            days_between_waves=plan["between"],
            update_failure_probability=plan["failure"],
            **extra,
        )
    except ValueError as exc:
        raise EdgecalcError(f"operations: {exc}") from None


def _plan(values: dict[str, Any]) -> dict[str, Any]:
    def v(path, default=None):
        return median(values[path]) if path in values else default

    canary = v("operations.canary_fraction", 0.0)
    waves = round(v("operations.waves", 1))
    pause_rate = v("operations.pause_failure_rate")
    pause_days = v("operations.pause_days", 7.0) if pause_rate is not None else None
    if waves > limits.ROLLOUT_WAVES:
        raise EdgecalcError(
            f"operations.waves: {waves:,} waves; a rollout has at most "
            f"{limits.ROLLOUT_WAVES:,} waves after its canary"
        )
    stages = len(stage_sizes(1, canary, waves))
    after = v("operations.site_visit_after_days", 30.0)
    between = v("operations.days_between_waves", 0.0)
    horizon = rollout_horizon_days(stages, between, after, pause_days)
    if horizon > limits.ROLLOUT_DAYS:
        raise EdgecalcError(
            f"operations: the rollout would last {horizon:,} days (waves x "
            "(days_between_waves + pause_days) + site_visit_after_days); the rollout "
            f"simulation covers at most {limits.ROLLOUT_DAYS:,} days"
        )
    return {
        "p": v("operations.offline_probability_per_day", 0.0),
        "spell": v("operations.mean_offline_spell_days", 1.0),
        "canary": canary,
        "waves": waves,
        "between": between,
        "failure": v("operations.update_failure_rate", 0.0),
        "pause_rate": pause_rate,
        "pause_days": pause_days if pause_days is not None else np.inf,
        "runs": round(v("operations.simulation_runs", 100)),
        "after": after,
        "horizon": horizon,
    }


def _days(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def _quantiles(values: ArrayLike) -> dict[str, float | None]:
    """p10/p50/p90 over runs; ``None`` where not reached within the simulated horizon."""
    array = np.asarray(values, dtype=float)
    q = np.quantile(array, [0.1, 0.5, 0.9], method="inverted_cdf")
    return {"p10": _days(q[0]), "p50": _days(q[1]), "p90": _days(q[2])}


def check_offline_inputs(values: dict[str, Any]) -> None:
    """Raise :class:`EdgecalcError` when the offline share and spell length are impossible."""
    plan = _plan(values)
    try:
        offline_transition_probabilities(plan["p"], plan["spell"])
    except ValueError as exc:
        raise EdgecalcError(
            f"operations.offline_probability_per_day and mean_offline_spell_days: {exc}"
        ) from None


def rollout_summary(devices: int, values: dict[str, Any]) -> RolloutFigures:
    """The ``rollout`` entry of ``Result.operations`` for a fleet of ``devices``.

    The simulation is a pure function of the fleet size and the rollout plan (fixed seed
    :data:`ROLLOUT_SEED`), so its figures are kept for the last
    :data:`ROLLOUT_CACHE_ENTRIES` plans: edge and hybrid fleets of one size share one run, and
    an edit that leaves the plan alone (a latency budget, a price) reuses it. The figures are
    frozen, so sharing them is safe.
    """
    plan = _plan(values)
    updates = float(median(values["model.updates_per_year"]))
    return _rollout_figures(devices, tuple(sorted(plan.items())), updates)


ROLLOUT_CACHE_ENTRIES = 64
"""Rollout plans whose figures :func:`rollout_summary` keeps [entries]; each holds one curve of
at most ``limits.ROLLOUT_DAYS`` floats."""


@functools.lru_cache(maxsize=ROLLOUT_CACHE_ENTRIES)
def _rollout_figures(
    devices: int, plan_items: tuple[tuple[str, Any], ...], updates_per_year: float
) -> RolloutFigures:
    """The rollout's figures: counted day by day without a pause, device by device with one.

    Without the automatic pause every run's stages start on the same days and the devices are
    independent, so :func:`~edgecalc.operations.rollout_counts.simulate_rollout_counts` draws
    each run's devices per day at once and gives the means (staleness, devices not reached,
    attempts) as exact expectations. With the pause, a stage's start depends on the run's
    failures and :func:`simulate_rollout` follows every device; the means are over runs.
    """
    plan = dict(plan_items)
    runs = int(plan["runs"])
    if plan["pause_rate"] is None:
        counts = _count_plan(devices, plan, runs)
        days = (counts.days_to_50, counts.days_to_95, counts.days_to_100)
        share_updated = counts.share_updated
        staleness, never = counts.mean_staleness_days, counts.never_updated_devices
        attempts, pauses = counts.update_attempts, 0.0
    else:
        if devices * runs >= MANY_SAMPLES:
            keep_freed_memory()  # arrays of runs x devices, drawn spell after spell
        result = _run_plan(devices, plan, runs)
        days = (result.days_to_50, result.days_to_95, result.days_to_100)
        share_updated = result.share_updated
        staleness = float(np.mean(result.mean_staleness_days))
        never = float(np.mean(result.never_updated))
        attempts = float(np.mean(result.update_attempts))
        pauses = float(np.mean(result.pauses))
    curve = np.median(share_updated, axis=0) if share_updated.size else []
    long_spells = float(offline_spell_survival(WEEK_DAYS, plan["spell"]))
    return RolloutFigures(
        devices=devices,
        updates_per_year=updates_per_year,
        runs=plan["runs"],
        horizon_days=plan["horizon"],
        days_to_50=DayQuantiles(**_quantiles(days[0])),
        days_to_95=DayQuantiles(**_quantiles(days[1])),
        days_to_100=DayQuantiles(**_quantiles(days[2])),
        mean_staleness_days=staleness,
        never_updated_devices=never,
        update_attempts_per_device=attempts / devices if devices else 0.0,
        pauses=pauses,
        offline_spells_longer_than_a_week=long_spells,
        curve=RolloutCurve(
            day=tuple(range(len(curve))),
            share_updated_p50=tuple(float(c) for c in curve),
        ),
    )


def _same_inputs(x, other) -> bool:
    """True when two input mappings hold the very same arrays (the engine copies the mapping,
    not the arrays): results computed from one are the other's."""
    return x is other or (len(x) == len(other) and all(other.get(k) is v for k, v in x.items()))


def _first(a) -> float:
    """The first element of a number or an array, as a float."""
    if type(a) is np.ndarray:  # the usual case: no conversion of the whole array
        return float(a.flat[0])
    return float(np.asarray(a, dtype=float).reshape(-1)[0])


def _fit_entry(r, x, prefix: str) -> ModelFit:
    params = "hybrid.model_parameters" if prefix == "hybrid" else "model.parameters"
    result = fit_for(r, x, prefix, params)
    return ModelFit(
        fits=result.fits,
        required_bytes=result.required_bytes,
        available_bytes=result.available_bytes,
        smallest_precision_that_fits=result.smallest_precision_that_fits,
        reason=result.reason,
    )


def fit_for(r, x, prefix: str, params_path: str):
    """:func:`~.fit.fit` of an option's model on its device, at the first sample of ``x``."""
    return fit(
        _first(x[params_path]),
        model_precision(r.scenario, prefix),
        _first(x[f"{prefix}.memory_gb"]) * GB,
        overhead_fraction=_first(x["model.runtime_overhead_fraction"]),
        overhead_fixed_bytes=_first(x["model.runtime_overhead_bytes"]),
        kv_cache_bytes=_first(x[_kv_path(prefix)]),
    )


def model_precision(scenario, prefix: str) -> str:
    """The precision of the model an option runs: the fast path's own for hybrid."""
    if prefix == "hybrid" and scenario.hybrid is not None and scenario.hybrid.model_precision:
        return scenario.hybrid.model_precision
    return scenario.model.precision


def _kv_path(prefix: str) -> str:
    return "hybrid.kv_cache_bytes" if prefix == "hybrid" else "model.kv_cache_bytes"


def fit_violation_text(r, x, prefix: str, params_path: str) -> str:
    """A fit violation in words, naming the precision at which the model would fit.

    Examples
    --------
    "the model needs 240.00 GB at int8 but the device has 8 GB; it does not fit even at int4
    (120 GB)"; "the model needs 19.20 GB at fp16 but the device has 16 GB; at int8 it needs
    9.6 GB and fits".
    """
    result = fit_for(r, x, prefix, params_path)
    model = "the fast-path model" if prefix == "hybrid" else "the model"
    lead = (
        f"{model} needs {result.required_bytes / GB:,.2f} GB at {result.precision} but the "
        f"{'instance' if prefix == 'cloud' else 'device'} has "
        f"{result.available_bytes / GB:,.0f} GB"
    )
    params = _first(x[params_path])
    kwargs = {
        "overhead_fraction": _first(x["model.runtime_overhead_fraction"]),
        "overhead_fixed_bytes": _first(x["model.runtime_overhead_bytes"]),
        "kv_cache_bytes": _first(x[_kv_path(prefix)]),
    }
    at = result.smallest_precision_that_fits
    if result.fits:
        return ""
    if at is not None:
        need = float(model_memory_bytes(params, at, **kwargs))
        return f"{lead}; at {at} it needs {format_bytes(need)} and fits"
    need = float(model_memory_bytes(params, "int4", **kwargs))
    return f"{lead}; it does not fit even at int4 ({format_bytes(need)})"


def _edge_availability_inputs(r, x, load: Load, prefix: str):
    """Per site group: devices the peak needs ``n`` and spares ``k`` at month 0.

    Every group's devices at once, the groups' month-0 peaks stacked on a leading axis (the
    same arithmetic, element by element, as one group at a time)."""
    redundancy = x["edge.redundancy"][:, None]
    if not load.peak:
        return []
    total = devices_per_site(
        load.peak_by_group[:, :, :1],  # (G, S, 1)
        x[f"{prefix}.inferences_per_second_per_device"][:, None],
        x["edge.target_utilization"][:, None],
        redundancy,
    )
    spare = _first(redundancy)
    return [
        (round(max(devices - spare, 0.0)), round(spare if devices > 0 else 0.0))
        for devices in total[:, 0, 0].tolist()
    ]


def _edge_view(r, x, load: Load, prefix: str, lines, figures: dict, fleets: dict) -> _FleetView:
    """An edge or hybrid fleet: devices at the sites, the edge's failure rate and depot.

    ``fleets`` keeps the fleet and its devices per group by the one input of the option's own
    that they read, its device throughput: hybrid on the edge's device sizes them once."""
    key = tuple(np.asarray(x[f"{prefix}.inferences_per_second_per_device"]).tolist())
    if key not in fleets:
        # the engine's own inputs, when this is its load: the fleet it sized is reused
        own = load.inputs if _same_inputs(x, load.inputs) else x
        fleets[key] = (
            fleet_size(own, load, prefix),
            _edge_availability_inputs(r, x, load, prefix),
        )
    size, groups = fleets[key]
    return _FleetView(
        size=size,
        groups=groups,
        labour=_edge_labour_parts(x, load, size, lines),
        **figures,
    )


def _hub_view(r, x, load: Load, spec) -> _FleetView:
    """A hub option: servers at the hubs, the hub's own failure rate, depot and lead."""
    p = spec.prefix
    hub = r.scenario.hubs[int(p.rsplit(".", 1)[1])]
    fleet = hub_fleet(x, load, p, hub.pricing)
    groups = []
    for count, peak in zip(load.count, load.peak, strict=True):
        n, k = hub_servers_per_hub(x, p, count, peak)
        groups.append((round(_first(n)), round(_first(k))))
    managed = hub.pricing == "managed"
    lead = (
        0.0
        if managed
        else float(
            repair_lead_days(
                _first(x["operations.repair_lead_days"]),
                _first(x[f"{p}.depot_spare_fraction"]),
                _first(x[f"{p}.depot_lead_days"]),
            )
        )
    )
    has = float(np.mean(fleet.servers.on_site[0] > 0))
    return _FleetView(
        size=fleet.servers,
        groups=groups,
        unavailability=_first(server_unavailability(x, p, managed=managed)),
        lead_days=lead,
        annual_failure_rate=_first(x[f"{p}.annual_failure_rate"]),
        labour=LabourParts(
            platform_fte=has * _first(x[f"{p}.platform_fte"]),
            per_site_fte=has * float(np.mean(load.sites)) * _first(x[f"{p}.fte_per_site"]),
            per_device_fte=float(np.mean(fleet.servers.on_site[0]))
            / _first(x[f"{p}.servers_per_engineer"]),
            optimisation_engineer_days_per_month=0.0,
            per_hub_fte=float(np.mean((fleet.servers.on_site[0] > 0) * fleet.hubs[0]))
            * _first(x[f"{p}.fte_per_hub"]),
        ),
        depot_spare_fraction=0.0 if managed else _first(x[f"{p}.depot_spare_fraction"]),
        remote_hub=hub.placement != "on_site",
    )


def _group_availability(kind, o, s, x, view, n, k, w, edge_ok, fallback, cloud_allowed):
    """The down probability and the availability of one site group of an option of ``kind``
    edge, hybrid or hub: ``n`` devices (a hub's servers) needed, ``k`` spares, WAN
    availability ``w``; a site served by a hub off the campus is also down with its WAN."""
    down = _site_down(view.unavailability, n, k)
    if kind == "hub":
        if view.remote_hub:
            down = 1.0 - (1.0 - down) * w
        return down, hybrid_availability(
            down, 1.0, 0.0, fallback_to_cloud=False, edge_within_budget_share=edge_ok
        )
    if kind == "edge":
        return down, hybrid_availability(
            down, w, 0.0, fallback_to_cloud=False, edge_within_budget_share=edge_ok
        )
    esc_ok = 1.0
    if o.escalation_latency is not None and s.hybrid.escalation_budget_ms is not None:
        esc_ok = float(
            _first(o.escalation_latency["total"])
            <= _first(x["hybrid.escalation_budget_ms"]) * (1 + 1e-12)
        )
    return down, hybrid_availability(
        down,
        w,
        _first(x["hybrid.escalation_rate"]),
        fallback_to_cloud=fallback == "cloud" and cloud_allowed,
        escalation_policy=s.operations.escalations_when_wan_down,
        edge_within_budget_share=edge_ok,
        cloud_within_budget_share=esc_ok,
    )


SITE_DOWN_CACHE_ENTRIES = 1024
"""Down probabilities kept per (device unavailability, devices needed, spares) [entries]."""


@functools.lru_cache(maxsize=SITE_DOWN_CACHE_ENTRIES)
def _site_down(unavailability: float, needed: int, spares: int) -> float:
    """:func:`~edgecalc.operations.availability.site_down_probability` of three numbers, kept:
    a pure function of them (a binomial tail through scipy, slow for one value), and the same
    few cases recur in every evaluation of a scenario."""
    return float(site_down_probability(unavailability, needed, spares))


def _weighted(values: list[float], weights: list[float]) -> float:
    total = sum(weights)
    return sum(v * w for v, w in zip(values, weights, strict=True)) / total if total else 0.0


_AVAILABILITY_FIELDS = (
    "minutes_without_inference_per_month",
    "share_served",
    "share_within_budget",
    "share_lost_escalations",
    "share_recovered_by_fallback",
)
"""The fields of :class:`~edgecalc.operations.availability.Availability` the section weighs."""


def _availability_entry(parts: list[Availability], weights: list[float]) -> dict[str, float]:
    """The fields of :class:`~.operations_figures.ServiceAvailability`, weighted by ``weights``."""

    firsts: dict[int, dict[str, float]] = {}  # groups share a few distinct parts
    for a in parts:
        if id(a) not in firsts:
            firsts[id(a)] = {attr: _first(getattr(a, attr)) for attr in _AVAILABILITY_FIELDS}

    def mean(attr):
        return _weighted([firsts[id(a)][attr] for a in parts], weights)

    return {
        "minutes_without_inference_per_site_month": mean("minutes_without_inference_per_month"),
        "share_served": mean("share_served"),
        "share_within_budget": mean("share_within_budget"),
        "share_lost_escalations": mean("share_lost_escalations"),
        "share_recovered_by_fallback": mean("share_recovered_by_fallback"),
    }


def operations_section(out, r, x=None) -> dict[str, OptionOperations]:
    """``Result.operations``: per option, the operations figures at the point values.

    Parameters
    ----------
    out : EngineOutput
        The engine's output (its options' cost lines and latency, first sample).
    r : Resolved
        The resolved scenario; its point values drive the rollout Monte Carlo.
    x : dict, optional
        ``point_inputs(r)`` when ``out`` was computed from exactly them (as
        :func:`~edgecalc.pipeline.evaluate.evaluate` does): then ``out.load`` is the load of
        these inputs and is reused, not built again. Default: computed here.

    Returns
    -------
    dict of str to CloudOperations or FleetOperations
        Per option name; see :mod:`~.operations_figures` and ``docs/model.md``
        ("Operations") for every field and its unit.

    Notes
    -----
    Availability per site group, weighted by its number of sites:

    - cloud: down while the WAN is down, ``(1 - a) x 43,800`` min/month.
    - edge: down while more devices are down than the site has spares (binomial, see
      :func:`~.availability.site_down_probability`), with one device down a share
      ``u = λ·MTTR / (1 + λ·MTTR)``, ``λ = (AFR + firmware updates/year x firmware failure
      rate) / 8760 h`` and ``MTTR`` = time to notice + repair lead (the later of the
      technician and a spare shipped from the depot, when there is one) + on-site time.
    - hybrid: as edge, with the cloud fallback (when ``offline_fallback: cloud`` and residency
      lets raw data go to the cloud) and escalations queued or dropped while the WAN is down.

    A path's inferences count as within the budget when its latency at the percentile meets
    the budget (hybrid escalations: their own budget, if any).
    """
    s = r.scenario
    months = out.months
    if x is None:
        x = point_inputs(r)
        load = Load(x, r.groups, months)
    else:  # out was computed from these inputs: its load is theirs
        load = out.load
    counts = [_first(c) for c in load.count]
    horizon_months = max(len(months), 1)
    budget = _first(x["latency.budget_ms"])
    wan = [_first(x[g.wan_availability]) for g in r.groups]
    cloud = out.options["cloud"]
    cloud_ok = [
        float(_first(lat["total"]) <= budget * (1 + 1e-12)) for lat in cloud.latency_by_group
    ]
    ops_usd = {k: _first(o.operations_usd) / horizon_months for k, o in out.options.items()}
    ops_parts = {k: _operations_parts(o.lines, horizon_months) for k, o in out.options.items()}

    # site groups mostly share their figures: compute each distinct case once (a 10,000-site
    # portfolio has a handful), not once per group
    cloud_cases = {case: cloud_availability(*case) for case in set(zip(wan, cloud_ok, strict=True))}
    cloud_parts = [cloud_cases[case] for case in zip(wan, cloud_ok, strict=True)]
    cloud_availability_figures = ServiceAvailability(**_availability_entry(cloud_parts, counts))
    sections: dict[str, OptionOperations] = {
        "cloud": CloudOperations(
            availability=cloud_availability_figures,
            wan_down_minutes_per_site_month=(
                cloud_availability_figures.minutes_without_inference_per_site_month
            ),
            wan_outages_per_month=_weighted(
                [
                    (1 - w) * HOURS_PER_MONTH / _first(x["operations.wan_outage_mean_hours"])
                    for w in wan
                ],
                counts,
            ),
            labour_fte=_labour_fte(cloud.lines),
            operating_usd_per_month=ops_usd["cloud"],
        )
    }

    p = _first(x["operations.offline_probability_per_day"])
    spell = _first(x["operations.mean_offline_spell_days"])
    check_offline_inputs(r.values)
    notice_h = float(
        mean_time_to_notice_hours(_first(x["operations.telemetry_interval_minutes"]) / 60, p, spell)
    )
    fw_rate = _first(x["operations.firmware_updates_per_year"]) * _first(
        x["operations.firmware_failure_rate"]
    )
    afr = _first(x["edge.annual_failure_rate"])
    lead_days = repair_lead_days(
        _first(x["operations.repair_lead_days"]),
        _first(x["edge.depot_spare_fraction"]),
        _first(x["edge.depot_lead_days"]),
    )
    repair_h = float(lead_days) * 24 + _first(x["operations.repair_onsite_hours"])
    u = float(device_unavailability(afr + fw_rate, repair_h + notice_h, 0.0))
    cloud_allowed = not any(
        bool(v.mask[0]) for v in cloud.violations if v.constraint == "residency"
    )
    fallback = s.operations.offline_fallback
    truck_usd = _first(x["edge.truck_roll_usd"])

    edge_view = {
        "unavailability": u,
        "lead_days": float(lead_days),
        "annual_failure_rate": afr,
        "depot_spare_fraction": _first(x["edge.depot_spare_fraction"]),
    }
    fleets: dict = {}
    for spec in out.specs:
        if spec.kind not in FLEET_KINDS or spec.name not in out.options:
            continue
        name, kind, prefix = spec.name, spec.kind, spec.prefix
        o = out.options[name]
        view = (
            _hub_view(r, x, load, spec)
            if kind == "hub"
            else _edge_view(r, x, load, prefix, o.lines, edge_view, fleets)
        )
        installed = view.size.on_site
        installed_0 = round(_first(installed[:, :1]))
        installed_mean = float(np.mean(installed))
        edge_ok = float(_first(o.latency["total"]) <= budget * (1 + 1e-12))
        groups = view.groups
        parts = []
        down_shares = []
        cases: dict[tuple, tuple[float, Any]] = {}
        for (n, k), w in zip(groups, wan, strict=True):
            if (n, k, w) not in cases:
                cases[(n, k, w)] = _group_availability(
                    kind, o, s, x, view, n, k, w, edge_ok, fallback, cloud_allowed
                )
            down, part = cases[(n, k, w)]
            down_shares.append(down)
            parts.append(part)
        availability = _availability_entry(parts, counts)
        down_share = _weighted(down_shares, counts)
        availability["site_down_share"] = down_share
        availability["device_unavailability"] = view.unavailability
        availability["answered_from_cache_share"] = down_share if fallback == "cache" else 0.0
        availability["devices_needed_and_spares_per_site"] = tuple(
            (int(n), int(k)) for n, k in groups
        )
        availability["fallback"] = _fallback_text(kind, fallback, cloud_allowed, availability)

        visits = _site_visits(o.lines, horizon_months, truck_usd)
        visits["hardware_failures_per_year"] = installed_mean * view.annual_failure_rate
        visits["firmware_per_year_formula"] = float(
            firmware_site_visits_per_year(
                installed_mean,
                _first(x["operations.firmware_updates_per_year"]),
                _first(x["operations.firmware_failure_rate"]),
            )
        )
        visits["rollout_per_year_formula"] = float(
            rollout_site_visits_per_year(
                installed_mean
                * stranded_share(p, spell, _first(x["operations.site_visit_after_days"])),
                _first(x["model.updates_per_year"]),
            )
        )
        rollout = rollout_summary(installed_0, r.values)
        comparison = compare_operating_cost(
            ops_usd[name],
            ops_usd["cloud"],
            ops_parts[name],
            ops_parts["cloud"],
            option=name,
            cloud_total_usd_per_month=_first(cloud.total_usd) / horizon_months,
        )
        telemetry = telemetry_bytes_per_month(
            installed_mean, _first(x["edge.telemetry_bytes_per_device_day"])
        )
        size = view.size
        sections[name] = FleetOperations(
            rollout=rollout,
            site_visits=SiteVisits(**visits),
            availability=FleetAvailability(**availability),
            minutes_without_inference_per_site_month=availability[
                "minutes_without_inference_per_site_month"
            ],
            monitoring=Monitoring(
                telemetry_gb_per_month=float(telemetry) / GB,
                unobserved_device_days_per_month=float(
                    unobserved_device_days_per_month(installed_mean, p)
                ),
                mean_time_to_notice_hours=notice_h,
            ),
            fit=_fit_entry(r, x, prefix),
            labour_fte=_labour_fte(o.lines),
            labour=view.labour,
            spares=_spares_entry(size, view.depot_spare_fraction, view.lead_days),
            devices_installed_mean=installed_mean,
            operating_usd_per_month=ops_usd[name],
            operating_cost_ratio_to_cloud=_ratio(comparison.ratio),
            operating_cost_sentence=comparison.sentence,
            device_selection=r.device_selection if prefix == "edge" else None,
        )
    return sections


def _operations_parts(lines, horizon_months: int) -> dict[str, float]:
    """Operations cost per category, averaged over the horizon [USD/month]."""
    parts: dict[str, float] = {}
    for ln in lines:
        if ln.category in OPERATIONS_CATEGORIES:
            usd = float(np.sum(ln.usd[0])) / horizon_months
            parts[ln.category] = parts.get(ln.category, 0.0) + usd
    return parts


def _edge_labour_parts(x, load: Load, size, lines) -> LabourParts:
    """The edge labour line in its parts, averaged over the horizon: the platform floor, the
    share per site and per device [FTE], and model optimisation [engineer-days/month]."""
    has_fleet = float(np.mean(size.on_site[0] > 0))
    per_device = float(np.mean(size.on_site[0])) / _first(x["edge.devices_per_engineer"])
    optimisation = sum(
        float(np.mean(ln.quantity[0]))
        for ln in lines
        if ln.category == "labour" and ln.unit == "engineer-days"
    )
    return LabourParts(
        platform_fte=has_fleet * _first(x["edge.platform_fte"]),
        per_site_fte=has_fleet * float(np.mean(load.sites)) * _first(x["edge.fte_per_site"]),
        per_device_fte=per_device,
        optimisation_engineer_days_per_month=optimisation,
    )


def _spares_entry(size, depot_spare_fraction: float, lead_days: float) -> Spares:
    """Spares by kind, averaged over the horizon [devices], and the repair lead [days]."""
    return Spares(
        hot_spares=float(np.mean(size.hot_spares[0])),
        depot_spares=float(np.mean(size.depot[0])),
        depot_spare_fraction=depot_spare_fraction,
        repair_lead_days=float(lead_days),
    )


def _labour_fte(lines) -> float:
    """Mean engineers over the horizon from an option's labour lines priced per FTE-month
    (platform floor, per site, per device or instance) [FTE]."""
    return sum(
        float(np.mean(ln.quantity[0]))
        for ln in lines
        if ln.category == "labour" and ln.unit == "FTE-month"
    )


def _ratio(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def _site_visits(lines, horizon_months: int, truck_usd: float) -> dict[str, float]:
    """Site visits per year by item, from the option's ``site_visits`` and ``failures`` lines."""
    out = {"firmware_per_year": 0.0, "rollout_per_year": 0.0}
    for ln in lines:
        if ln.category != "site_visits":
            continue
        per_year = float(np.sum(ln.quantity[0])) / horizon_months * 12
        key = "firmware_per_year" if "firmware" in ln.item else "rollout_per_year"
        out[key] += per_year
    out["per_year"] = out["firmware_per_year"] + out["rollout_per_year"]
    out["usd_per_year"] = out["per_year"] * truck_usd
    return out


def _fallback_text(kind: str, policy: str, cloud_allowed: bool, a: dict[str, float]) -> str:
    """What the fallback policy recovers for an option of ``kind`` edge or hybrid, in words."""
    down = a["site_down_share"] * MINUTES_PER_MONTH
    if kind == "hub":
        return (
            f"no fallback: while a site's hub cannot serve ({down:.1f} min/month) the site "
            "pauses (the hub option has no cloud path)"
        )
    if kind == "edge":
        if policy == "cache":
            return (
                f"while a site's devices are down ({down:.1f} min/month) it answers from a "
                "cached result (not a fresh inference); the edge option has no cloud path"
            )
        return (
            f"no fallback: while a site's devices are down ({down:.1f} min/month) it pauses "
            "(the edge option has no cloud path)"
        )
    parts = []
    if policy == "cloud" and cloud_allowed:
        parts.append(
            f"the cloud fallback recovers {a['share_recovered_by_fallback']:.3%} of inferences "
            "while the edge is down and the WAN is up"
        )
    elif policy == "cloud":
        parts.append("no cloud fallback: residency keeps raw data off the cloud, so it pauses")
    elif policy == "cache":
        parts.append(f"while the edge is down ({down:.1f} min/month) a cached result is served")
    else:
        parts.append(f"while the edge is down ({down:.1f} min/month) the site pauses")
    if a["share_lost_escalations"] > 0:
        parts.append(
            f"{a['share_lost_escalations']:.3%} of inferences are escalations dropped while the "
            "WAN is down"
        )
    return "; ".join(parts)

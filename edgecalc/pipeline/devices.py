"""Hardware selection: rank every catalog device for one scenario's model and load.

A device is a candidate when the catalog (or ``edge.device_figures``) gives its price, its
measured throughput and inference time for the model's MLPerf benchmark, its memory and its
power. Each candidate is evaluated with the very engine behind :func:`edgecalc.evaluate`, as
the scenario's edge device; it is feasible when the model fits and the edge path meets the
latency budget. ``edge.device: auto`` takes the cheapest feasible one over the horizon.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..catalog import Catalog, load_catalog
from ..costs.sizing import devices_per_site
from ..errors import EdgecalcError
from ..format import ms, usd
from ..scenario.models import Scenario
from ..scenario.ranges import median
from .compute import compute
from .decision import basis_phrase, describe_violations
from .engine import decision_cost_usd
from .resolve import point_inputs, resolve

__all__ = ["RANKING_COLUMNS", "rank_devices", "select_device"]

RANKING_COLUMNS = [
    "rank",
    "device",
    "name",
    "feasible",
    "fits",
    "meets_latency",
    "latency_ms",
    "devices_per_site",
    "device_usd",
    "total_usd",
    "cost_usd",
    "why_lost",
]
"""Columns of :func:`rank_devices`: device key and name; feasible, fits (model memory within
device memory), meets_latency (local hop + measured inference time within the budget) [bool];
latency_ms [ms]; devices_per_site (the worst site, spares included) [devices]; device_usd
[USD]; total_usd (edge option over the horizon) [USD]; cost_usd (the edge option's cost on
the decision's basis, ``decision.basis``: NPV by default; the ranking key) [USD]; why_lost
(empty for the choice)."""

_FIELDS = ("device_usd", "inferences_per_second_per_device", "inference_ms", "memory_gb", "power_w")


def _figures(scenario: Scenario, device) -> tuple[dict[str, Any], list[str]]:
    """The device's figures (catalog < device_figures < the scenario's named device) and what
    is missing, in words."""
    bench = scenario.model.benchmark
    perf = device.performance.get(bench) if bench else None
    figures: dict[str, Any] = {
        "device_usd": device.price_usd.value if device.price_usd else None,
        "inferences_per_second_per_device": (
            perf.inferences_per_second.value if perf and perf.inferences_per_second else None
        ),
        "inference_ms": perf.latency_ms.value if perf and perf.latency_ms else None,
        "memory_gb": device.memory_gb.value if device.memory_gb else None,
        "power_w": device.power_w.value if device.power_w else None,
    }
    given = scenario.edge.device_figures.get(device.key)
    named = scenario.edge.device == device.key
    for name in _FIELDS:
        if given is not None and getattr(given, name) is not None:
            figures[name] = getattr(given, name)
        if named and getattr(scenario.edge, name) is not None:
            figures[name] = getattr(scenario.edge, name)

    def where(name):
        own = f"edge.{name}" if named else f"edge.device_figures.{device.key}.{name}"
        return f"set {own}"

    missing = []
    if figures["device_usd"] is None:
        missing.append(f"no sourced price: {where('device_usd')}")
    if figures["inferences_per_second_per_device"] is None or figures["inference_ms"] is None:
        if bench is None:
            missing.append("no model.benchmark to look up MLPerf figures: set model.benchmark")
        elif perf is None:
            missing.append(
                f"no MLPerf figure for {bench}: {where('inferences_per_second_per_device')} "
                f"and {where('inference_ms')[4:]}"
            )
        elif figures["inferences_per_second_per_device"] is None:
            missing.append(
                f"no MLPerf throughput for {bench}: {where('inferences_per_second_per_device')}"
            )
        else:
            missing.append(f"no MLPerf latency for {bench}: {where('inference_ms')}")
    if figures["memory_gb"] is None:
        missing.append(f"no memory figure: {where('memory_gb')}")
    if figures["power_w"] is None:
        missing.append(f"no power figure: {where('power_w')}")
    return figures, missing


def _candidate(scenario: Scenario, key: str, figures: dict[str, Any]) -> Scenario:
    update = {"device": key, **{k: v for k, v in figures.items() if v is not None}}
    return scenario.model_copy(update={"edge": scenario.edge.model_copy(update=update)})


def _evaluate_candidate(candidate: Scenario, catalog, base_dir, overrides) -> dict[str, Any]:
    r = resolve(candidate, catalog, base_dir, overrides)
    x = point_inputs(r)
    out = compute(r, x)
    edge = out.options["edge"]
    broken = {v.constraint for v in edge.violations if bool(v.mask[0])}
    per_site = max(
        float(
            devices_per_site(
                peak[:, :1],
                x["edge.inferences_per_second_per_device"][:, None],
                x["edge.target_utilization"][:, None],
                x["edge.redundancy"][:, None],
            )[0, 0]
        )
        for peak in out.load.peak
    )
    return {
        "feasible": bool(edge.feasible[0]),
        "fits": "fit" not in broken,
        "meets_latency": "latency" not in broken,
        "latency_ms": float(edge.latency["total"][0]),
        "devices_per_site": per_site,
        "total_usd": float(edge.total_usd[0]),
        "cost_usd": float(decision_cost_usd(edge, candidate.decision.basis)[0]),
        "violations": describe_violations(edge, r),
        "months": len(out.months),
    }


def rank_devices(
    scenario: Scenario,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
    overrides: dict | None = None,
) -> pd.DataFrame:
    """Rank every catalog device as the scenario's edge device.

    Parameters
    ----------
    scenario : Scenario
        The scenario; its ``edge.device`` may be a catalog key or ``auto``.
    catalog : Catalog, optional
        Reference facts; default the packaged catalog.
    base_dir : str or Path, optional
        Folder that relative paths in the scenario resolve against.
    overrides : dict, optional
        Overrides already applied to the scenario (recorded as such).

    Returns
    -------
    DataFrame
        One row per catalog device, columns :data:`RANKING_COLUMNS`: feasible devices first,
        cheapest first (rank 1 is what ``edge.device: auto`` picks), then infeasible ones by
        cost, then those the catalog lacks figures for.

    Notes
    -----
    Each candidate is evaluated at the point values (ranges at their median) by
    :func:`edgecalc.pipeline.compute.compute` as the edge option; its total is the edge
    option's cost over the horizon. Figures come from the catalog, then
    ``edge.device_figures[key]``, then, for the device the scenario names, the scenario's own
    ``edge`` fields.
    """
    catalog = catalog or load_catalog()
    rows = []
    for device in catalog.devices():
        figures, missing = _figures(scenario, device)
        row: dict[str, Any] = {
            "device": device.key,
            "name": device.name,
            "feasible": False,
            "fits": None,
            "meets_latency": None,
            "latency_ms": np.nan,
            "devices_per_site": np.nan,
            "device_usd": (
                median(figures["device_usd"]) if figures["device_usd"] is not None else np.nan
            ),
            "total_usd": np.nan,
            "cost_usd": np.nan,
            "why_lost": "; ".join(missing),
        }
        if not missing:
            try:
                found = _evaluate_candidate(
                    _candidate(scenario, device.key, figures), catalog, base_dir, overrides
                )
            except EdgecalcError as exc:
                row["why_lost"] = str(exc)
            else:
                found.pop("months")
                row["why_lost"] = "; ".join(found.pop("violations"))
                row.update(found)
        rows.append(row)
    frame = pd.DataFrame(rows)
    order = np.where(frame.feasible, 0, np.where(frame.cost_usd.notna(), 1, 2))
    frame = (
        frame.assign(_order=order)
        .sort_values(["_order", "cost_usd", "device"], na_position="last", kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    feasible = frame[frame.feasible]
    if len(feasible):
        best = feasible.iloc[0]
        for i in feasible.index[1:]:
            extra = frame.at[i, "cost_usd"] - best.cost_usd
            frame.at[i, "why_lost"] = (
                f"costs {usd(extra)} more ({basis_phrase(scenario)}) than {best.device}"
            )
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame[RANKING_COLUMNS]


def select_device(
    scenario: Scenario,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
    overrides: dict | None = None,
) -> dict[str, Any]:
    """The device ``edge.device: auto`` picks: the cheapest feasible one.

    Returns
    -------
    dict
        ``chosen`` (device key), ``reason`` (a sentence) and ``ranking`` (the rows of
        :func:`rank_devices` as plain records).

    Raises
    ------
    EdgecalcError
        When no catalog device is feasible; the message says why each lost.
    """
    ranking = rank_devices(scenario, catalog, base_dir, overrides)
    feasible = ranking[ranking.feasible]
    if not len(feasible):
        why = "; ".join(f"{r.device}: {r.why_lost}" for r in ranking.itertuples())
        raise EdgecalcError(f"edge.device: auto found no feasible catalog device ({why})")
    best = feasible.iloc[0]
    others = len(ranking) - 1
    reason = (
        f"edge.device: auto chose {best.device} ({best['name']}): the cheapest of "
        f"{len(feasible)} feasible device(s) at {usd(best.cost_usd)} "
        f"({basis_phrase(scenario)}), "
        f"{best.devices_per_site:.0f} per site, {ms(best.latency_ms)}; "
        f"{others} other catalog device(s) lost (see edgecalc devices)"
    )
    records = [
        {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
        for r in ranking.to_dict("records")
    ]
    return {"chosen": str(best.device), "reason": reason, "ranking": records}

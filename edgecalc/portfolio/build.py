"""The :class:`~edgecalc.results.portfolio.Portfolio` of an evaluated scenario.

:func:`build_portfolio` takes the resolved scenario and the engine's output for the whole fleet
(both from :func:`edgecalc.evaluate`), evaluates each group alone
(:func:`~edgecalc.portfolio.groups.evaluate_groups`), splits each option's cost into its
fixed part and each group's own part, chooses the mixed plan
(:func:`~edgecalc.portfolio.plan.choose`) and words the reasons
(:mod:`edgecalc.portfolio.reasons`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..pipeline.engine import EngineOutput
from ..pipeline.resolve import Resolved, point_inputs
from ..results.portfolio import BEST_NONE, PLAN_MIXED, Portfolio, plan_name
from .groups import GroupCosts, evaluate_groups
from .plan import NONE_INDEX, PlanInputs, choose, fixed_and_own, plan_cost
from .reasons import constraint_word, portfolio_reasons, why_not


def build_portfolio(resolved: Resolved, fleet: EngineOutput) -> Portfolio | None:
    """Per group verdicts and the plans, at the point values; None for a single site group.

    Parameters
    ----------
    resolved : Resolved
        The scenario.
    fleet : EngineOutput
        The engine's output for the whole fleet at the point values (S = 1).
    """
    if len(resolved.groups) < 2:
        return None
    x = point_inputs(resolved)
    alone = evaluate_groups(resolved, x)
    specs = resolved.options
    names = tuple(s.name for s in specs)
    basis = resolved.scenario.decision.basis
    split = {
        b: {
            k: fixed_and_own(
                getattr(alone, f"{b}_usd")[k][0], float(getattr(fleet.options[k], f"{b}_usd")[0])
            )
            for k in names
        }
        for b in ("total", "npv")
    }
    fraction = float(x["decision.min_cost_saving_fraction"][0])
    weight = np.array([1.0 if s.kind == "cloud" else 1 / max(1 - fraction, 1e-9) for s in specs])
    feasible = np.stack([alone.feasible[k][0] for k in names])
    inputs = PlanInputs(
        own=np.stack([split[basis][k][1] for k in names]),
        fixed=np.array([split[basis][k][0] for k in names]),
        feasible=feasible,
        weight=weight,
    )
    assign = choose(inputs)
    groups = _groups_frame(resolved, x, alone, split, assign, specs)
    plans = _plans_frame(resolved, x, fleet, split, assign, feasible, names)
    fixed = {k: split[basis][k][0] for k in names}
    reasons = portfolio_reasons(groups, plans, fixed, specs, basis, len(fleet.months))
    return Portfolio(groups, plans, names, basis, fixed, tuple(reasons))


def _groups_frame(r: Resolved, x, alone: GroupCosts, split, assign, specs) -> pd.DataFrame:
    names = [s.name for s in specs]
    cloud_kind = [s.name for s in specs if s.kind == "cloud"]
    columns: dict[str, object] = {
        "group": [g.name for g in r.groups],
        "sites": [round(float(x[g.count][0])) for g in r.groups],
        "lat": [np.nan] * len(r.groups),
        "lon": [np.nan] * len(r.groups),
        "country": [g.country or "" for g in r.groups],
        "access": [(g.link.technology or "") if g.link is not None else "" for g in r.groups],
        "inferences_per_second": [float(x[g.inferences_per_second][0]) for g in r.groups],
    }
    _locations(r, columns)
    budget = float(x["latency.budget_ms"][0])
    for k in names:
        columns[f"{k}_total_usd"] = split["total"][k][1]
        columns[f"{k}_npv_usd"] = split["npv"][k][1]
        columns[f"{k}_feasible"] = alone.feasible[k][0]
        columns[f"{k}_why_not"] = why_not(
            {c: m[0] for c, m in alone.broken[k].items()}, alone.latency_ms[k][0], budget
        )
    best = np.array([names[a] if a != NONE_INDEX else BEST_NONE for a in assign], dtype=object)
    forced = ~np.any([alone.feasible[k][0] for k in cloud_kind], axis=0) if cloud_kind else None
    if forced is None:
        forced = np.zeros(len(r.groups), dtype=bool)
    columns["best"] = best
    columns["forced_off_cloud"] = forced
    columns["deciding"] = _deciding(alone, cloud_kind, best, forced)
    return pd.DataFrame(columns)


def _locations(r: Resolved, columns) -> None:
    sites = r.scenario.sites
    default = sites.location
    entries = sites.list or ()
    for i, site in enumerate(entries):
        loc = site.location or default
        if loc is not None:
            columns["lat"][i], columns["lon"][i] = loc.lat, loc.lon


def _deciding(alone: GroupCosts, cloud_kind, best, forced) -> list[str]:
    """Why each group is where it is: the constraints that rule the cloud out, or cost."""
    out = []
    cloud_set = set(cloud_kind)
    for j, b in enumerate(best):
        if b == BEST_NONE:
            out.append("none feasible")
        elif forced[j]:
            broken = sorted(
                {
                    constraint_word(c)
                    for k in cloud_kind
                    for c, m in alone.broken[k].items()
                    if m[0, j]
                }
            )
            out.append("constraint: " + ", ".join(broken))
        elif b in cloud_set:
            out.append("default")
        else:
            out.append("cost")
    return out


def _plans_frame(r: Resolved, x, fleet: EngineOutput, split, assign, feasible, names):
    sites = np.array([float(x[g.count][0]) for g in r.groups])
    rows = [_plan_row(PLAN_MIXED, assign, split, names, sites)]
    for k_index, k in enumerate(names):
        option = fleet.options[k]
        cannot = int((~feasible[k_index]).sum())
        rows.append(
            {
                "plan": plan_name(k),
                "total_usd": float(option.total_usd[0]),
                "npv_usd": float(option.npv_usd[0]),
                "feasible": cannot == 0,
                "groups_infeasible": cannot,
                "sites": int(sites[feasible[k_index]].sum()),
                "options_used": k,
            }
        )
    return pd.DataFrame(rows)


def _plan_row(name, assign, split, names, sites) -> dict:
    cost = {b: np.stack([split[b][k][1] for k in names]) for b in ("total", "npv")}
    fixed = {b: np.array([split[b][k][0] for k in names]) for b in ("total", "npv")}
    used = [names[i] for i in sorted(set(assign[assign >= 0].tolist()))]
    unserved = int((assign < 0).sum())
    return {
        "plan": name,
        "total_usd": plan_cost(assign, cost["total"], fixed["total"]),
        "npv_usd": plan_cost(assign, cost["npv"], fixed["npv"]),
        "feasible": unserved == 0,
        "groups_infeasible": unserved,
        "sites": int(sites[assign >= 0].sum()),
        "options_used": ", ".join(used),
    }

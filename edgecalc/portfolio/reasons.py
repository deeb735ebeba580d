"""The portfolio's reasons in words: which groups a constraint forces off the cloud, which go
for cost, what each option's fixed costs are, and why the mixed plan wins or not."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..format import ms, usd_compact
from ..results.portfolio import PLAN_MIXED

CONSTRAINT_WORDS = {
    "latency": "latency",
    "residency": "residency",
    "uplink": "uplink",
    "link_cap": "link cap",
    "availability": "availability",
    "fit": "memory",
    "escalation_latency": "escalation latency",
    "capacity": "capacity",
}
"""How each constraint is named in ``why_not`` and ``deciding``."""


def constraint_word(name: str) -> str:
    """A constraint's name in words (``link_cap`` -> ``link cap``)."""
    return CONSTRAINT_WORDS.get(name, name.replace("_", " "))


def why_not(broken: dict[str, np.ndarray], latency_ms: np.ndarray, budget_ms: float) -> list[str]:
    """Per group, the constraints an option breaks in words (``latency 187 ms > 50 ms``,
    ``uplink``), "" where it breaks none.

    Examples
    --------
    >>> why_not({"latency": np.array([True, False]), "uplink": np.array([True, False])},
    ...         np.array([187.4, 20.0]), 50.0)
    ['latency 187 ms > 50 ms; uplink', '']
    """
    out = []
    for j in range(len(latency_ms)):
        parts = []
        for name, mask in broken.items():
            if not mask[j]:
                continue
            if name == "latency":
                parts.append(f"latency {ms(latency_ms[j], 0)} > {ms(budget_ms, 0)}")
            else:
                parts.append(constraint_word(name))
        out.append("; ".join(parts))
    return out


def _groups(n: int, sites: int) -> str:
    g = "group" if n == 1 else "groups"
    s = "site" if sites == 1 else "sites"
    return f"{n:,} {g} ({sites:,} {s})"


def portfolio_reasons(
    groups: pd.DataFrame,
    plans: pd.DataFrame,
    fixed: dict[str, float],
    specs,
    basis: str,
    months: int,
) -> list[str]:
    """The reasons, most important first."""
    money = "NPV" if basis == "npv" else "total"
    figure = "npv_usd" if basis == "npv" else "total_usd"
    mixed = plans[plans["plan"] == PLAN_MIXED].iloc[0]
    singles = plans[plans["plan"] != PLAN_MIXED]
    feasible_singles = singles[singles["feasible"]]
    out = [_verdict(groups, mixed, feasible_singles, singles, figure, money, months)]
    forced = groups[groups["forced_off_cloud"]]
    if len(forced):
        by = forced.groupby("deciding")["sites"].agg(["count", "sum"])
        parts = [
            f"{_groups(int(row['count']), int(row['sum']))} by {why.removeprefix('constraint: ')}"
            for why, row in by.sort_values("count", ascending=False).iterrows()
        ]
        out.append("forced off the cloud: " + "; ".join(parts))
    cost = groups[groups["deciding"] == "cost"]
    if len(cost):
        by = cost.groupby("best")["sites"].agg(["count", "sum"])
        parts = [f"{_groups(int(r['count']), int(r['sum']))} to {k}" for k, r in by.iterrows()]
        out.append(
            "for cost (saving at least the required share of the cloud's cost): " + "; ".join(parts)
        )
    used = [s for s in (mixed["options_used"] or "").split(", ") if s]
    if used:
        shown = [f"{k} {usd_compact(fixed[k])}" for k in used if fixed.get(k, 0) > 0.5]
        if shown:
            out.append(
                "fleet-wide fixed costs counted once per option used ("
                + ", ".join(shown)
                + f", {money}): platform floors, platform fees, integration, optimisation"
            )
    dropped = [
        k
        for k in fixed
        if k not in used and fixed[k] > 0.5 and _cheaper_somewhere(groups, k, figure)
    ]
    for k in dropped:
        n = int(_cheaper_somewhere(groups, k, figure))
        they = "it stays where it is" if n == 1 else "they stay where they are"
        out.append(
            f"{k} is cheaper for {n:,} {'group' if n == 1 else 'groups'} on "
            f"{'its own cost' if n == 1 else 'their own costs'} "
            f"but not by enough to pay its fixed {usd_compact(fixed[k])}: {they}"
        )
    for row in singles[~singles["feasible"]].to_dict("records"):
        n = row["groups_infeasible"]
        out.append(f"{row['plan']} cannot serve {n:,} {'group' if n == 1 else 'groups'}")
    none = groups[groups["best"] == "none"]
    if len(none):
        out.append(f"no option can serve {_groups(len(none), int(none['sites'].sum()))}")
    return out


def _verdict(groups, mixed, feasible_singles, singles, figure, money, months) -> str:
    counts = groups.groupby("best")["sites"].agg(["count", "sum"])
    split = ", ".join(
        f"{_groups(int(r['count']), int(r['sum']))} on {k}" for k, r in counts.iterrows()
    )
    head = (
        f"the mixed plan puts {split}: {usd_compact(mixed[figure])} ({money} over {months} months)"
    )
    if not len(feasible_singles):
        return head + "; no single option can serve every group"
    best = feasible_singles.sort_values(figure).iloc[0]
    saving = float(best[figure]) - float(mixed[figure])
    if mixed["options_used"] == best["options_used"] or abs(saving) < 0.5:
        return head + f", the same as {best['plan']}"
    if saving > 0:
        share = saving / float(best[figure]) if float(best[figure]) else 0.0
        return head + (
            f", {usd_compact(saving)} ({share:.0%}) less than the cheapest single-option plan, "
            f"{best['plan']} ({usd_compact(best[figure])})"
        )
    return head + (
        f", {usd_compact(-saving)} more than {best['plan']} ({usd_compact(best[figure])}): "
        "the cloud stays the default where another option does not save the required share"
    )


def _cheaper_somewhere(groups: pd.DataFrame, option: str, figure: str) -> int:
    """Groups for which ``option`` is feasible and cheaper on its own cost than their best."""
    col = f"{option}_{figure}"
    if col not in groups:
        return 0
    best_cost = np.full(len(groups), np.inf)
    for b in set(groups["best"]) - {"none"}:
        mask = (groups["best"] == b).to_numpy()
        best_cost[mask] = groups[f"{b}_{figure}"].to_numpy()[mask]
    return int((groups[f"{option}_feasible"] & (groups[col] < best_cost)).sum())


__all__ = ["CONSTRAINT_WORDS", "constraint_word", "portfolio_reasons", "why_not"]

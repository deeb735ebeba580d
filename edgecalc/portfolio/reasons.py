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
    used = [s for s in (mixed["options_used"] or "").split(", ") if s]
    bucket = pd.Series(reason_buckets(groups, used, fixed, figure), index=groups.index)
    forced = groups[bucket == BUCKET_CONSTRAINT]
    if len(forced):
        by = forced.groupby("deciding")["sites"].agg(["count", "sum"])
        parts = [
            f"{_groups(int(row['count']), int(row['sum']))} by {why.removeprefix('constraint: ')}"
            for why, row in by.sort_values("count", ascending=False).iterrows()
        ]
        out.append("forced off the cloud: " + "; ".join(parts))
    cost = groups[bucket == BUCKET_COST]
    if len(cost):
        by = cost.groupby("best")["sites"].agg(["count", "sum"])
        parts = [f"{_groups(int(r['count']), int(r['sum']))} to {k}" for k, r in by.iterrows()]
        cloud_used = any(s.name in used for s in specs if s.kind == "cloud")
        why = (
            "saving at least the required share of the cloud's cost"
            if cloud_used
            else "cheaper than the cloud on their own cost"
        )
        out.append(f"for cost ({why}): " + "; ".join(parts))
    if used:
        shown = [f"{k} {usd_compact(fixed[k])}" for k in used if fixed.get(k, 0) > 0.5]
        if shown:
            out.append(
                "fleet-wide fixed costs counted once per option used ("
                + ", ".join(shown)
                + f", {money}): platform floors, platform fees, integration, optimisation"
            )
    for k in fixed:
        stay = groups[bucket == BUCKET_FIXED + k]
        if not len(stay):
            continue
        n = len(stay)
        on = " or ".join(sorted(set(stay["best"].astype(str))))
        they = f"it stays on {on}" if n == 1 else f"they stay on {on}"
        out.append(
            f"{k} is cheaper for {_groups(n, int(stay['sites'].sum()))} on "
            f"{'its own cost' if n == 1 else 'their own costs'} "
            f"but not by enough to pay its fixed {usd_compact(fixed[k])}: {they}"
        )
    for row in singles[~singles["feasible"]].to_dict("records"):
        n = row["groups_infeasible"]
        out.append(f"{row['plan']} cannot serve {n:,} {'group' if n == 1 else 'groups'}")
    none = groups[bucket == BUCKET_NONE]
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


BUCKET_NONE = "none"
BUCKET_CONSTRAINT = "constraint"
BUCKET_FIXED = "fixed:"
BUCKET_COST = "cost"
BUCKET_DEFAULT = "default"
"""The reason a group is counted under in :func:`portfolio_reasons` (exactly one each):
nothing serves it; a constraint forces it off the cloud; ``fixed:<option>``, an option the
mixed plan does not use is cheaper for it on its own cost but saves less than the option's
fixed cost; it left the cloud for cost; the cloud stays the default (no sentence of its own)."""


def reason_buckets(
    groups: pd.DataFrame, used: list[str], fixed: dict[str, float], figure: str
) -> list[str]:
    """Per group, the one reason it is counted under (:data:`BUCKET_NONE` ...).

    In order: a group nothing serves is ``none``; one a constraint forces off the cloud is
    ``constraint``; then, where an option ``k`` the mixed plan does not use is feasible and
    cheaper on the group's own cost than its verdict by less than ``k``'s fixed cost (the
    cheapest such ``k``), ``fixed:k``; otherwise a group that left the cloud is ``cost`` and
    one on the cloud ``default``. A group that left the cloud although the cloud is cheaper on
    its own cost is thus ``fixed:cloud``, never ``cost``.

    Parameters
    ----------
    groups : DataFrame
        ``Portfolio.groups``: ``best``, ``deciding``, per option ``<option>_feasible`` and
        ``<option>_<figure>``.
    used : list of str
        The options the mixed plan uses.
    fixed : dict of str to float
        Each option's fleet-wide fixed cost on the decision basis [USD].
    figure : str
        ``npv_usd`` or ``total_usd``.
    """
    n = len(groups)
    best = groups["best"].astype(str).to_numpy()
    deciding = groups["deciding"].astype(str).to_numpy()
    best_cost = np.full(n, np.nan)
    for b in set(best) - {"none"}:
        col = f"{b}_{figure}"
        if col in groups:
            mask = best == b
            best_cost[mask] = groups[col].to_numpy(dtype=float)[mask]
    cheapest = np.full(n, np.inf)
    cheaper: list[str] = [""] * n
    for k, k_fixed in fixed.items():
        col = f"{k}_{figure}"
        if k in used or not k_fixed > 0.5 or col not in groups:
            continue
        own = groups[col].to_numpy(dtype=float)
        gap = best_cost - own  # what k would save on the group's own cost [USD]
        takes = groups[f"{k}_feasible"].to_numpy(dtype=bool) & (gap > 0) & (gap < k_fixed)
        takes &= own < cheapest
        for j in np.flatnonzero(takes):
            cheaper[j] = k
        cheapest = np.where(takes, own, cheapest)
    out = []
    for j in range(n):
        if best[j] == "none" or deciding[j] == "none feasible":
            out.append(BUCKET_NONE)
        elif deciding[j].startswith("constraint"):
            out.append(BUCKET_CONSTRAINT)
        elif cheaper[j]:
            out.append(BUCKET_FIXED + cheaper[j])
        elif deciding[j] == "cost":
            out.append(BUCKET_COST)
        else:
            out.append(BUCKET_DEFAULT)
    return out


__all__ = [
    "BUCKET_CONSTRAINT", "BUCKET_COST", "BUCKET_DEFAULT", "BUCKET_FIXED", "BUCKET_NONE",
    "CONSTRAINT_WORDS", "constraint_word", "portfolio_reasons", "reason_buckets", "why_not",
]  # fmt: skip

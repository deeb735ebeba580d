"""What a change does to a portfolio: the site groups whose verdict changed, and each plan's
cost before -> after.

:func:`diff_portfolios` is what :func:`edgecalc.results.diff.diff_results` adds to a
:class:`~edgecalc.results.diff.ResultDiff` when either side has a
:class:`~edgecalc.results.portfolio.Portfolio`; ``edgecalc diff`` renders it as a table of the
20 largest groups that changed verdict (by sites, then by the size of their cost change) and
one summary line for the rest, so a comment on 5,000 stores stays readable.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..format import number
from .diff_cells import _plain_row, _signed_usd, _usd, _yes
from .portfolio import BEST_NONE, Portfolio

MAX_GROUP_CHANGES_SHOWN = 20
"""Site groups whose verdict changed listed one by one; the rest are counted per change."""

ABSENT = "absent"
"""The verdict of a group on the side where it does not exist (added or removed groups)."""

GROUP_COLUMNS = [
    "group", "sites", "base_best", "head_best", "base_usd", "head_usd", "delta_usd",
]  # fmt: skip
PLAN_COLUMNS = [
    "plan", "base_usd", "head_usd", "delta_usd", "base_feasible", "head_feasible",
]  # fmt: skip


@dataclass(frozen=True)
class PortfolioDiff:
    """The per-site part of a diff.

    Attributes
    ----------
    groups : DataFrame
        One row per site group whose verdict changed (or that exists on one side only):
        ``group``, ``sites`` (head, else base [count]), ``base_best``, ``head_best`` (an
        option, ``none``, or ``absent``), ``base_usd``, ``head_usd`` (the group's cost on its
        verdict on the decision basis; NaN for ``none`` or ``absent``) [USD], ``delta_usd``
        (head - base) [USD]. Largest first: by sites, then by ``|delta_usd|``, then by name.
    plans : DataFrame
        One row per plan on either side: ``plan``, ``base_usd``, ``head_usd`` (cost on the
        decision basis; NaN when infeasible or absent) [USD], ``delta_usd`` [USD],
        ``base_feasible``, ``head_feasible`` (None when absent).
    basis : str
        The decision basis of the head (``npv`` or ``total``), used for both sides.
    groups_compared : int
        Site groups on either side [count].
    """

    groups: pd.DataFrame
    plans: pd.DataFrame
    basis: str
    groups_compared: int

    @property
    def changed(self) -> bool:
        """Whether a group changed verdict or a plan's cost or feasibility moved."""
        if len(self.groups):
            return True
        delta = self.plans["delta_usd"].to_numpy(dtype=float)
        moved = [
            b != h for b, h in zip(self.plans.base_feasible, self.plans.head_feasible, strict=True)
        ]
        return bool(np.any(delta[~np.isnan(delta)] != 0) or any(moved))

    def changes(self, shown: int = MAX_GROUP_CHANGES_SHOWN) -> list[tuple[str, str, int]]:
        """The verdict changes beyond the first ``shown`` groups: (base, head, groups), the
        most common first."""
        rest = self.groups.iloc[shown:]
        counts = Counter(zip(rest["base_best"], rest["head_best"], strict=True))
        return [(b, h, k) for (b, h), k in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def rest_sentence(self, arrow: str = "->", shown: int = MAX_GROUP_CHANGES_SHOWN) -> str:
        """``"312 more groups changed verdict: 200 cloud -> edge, 112 edge -> cloud"``."""
        changes = self.changes(shown)
        if not changes:
            return ""
        total = sum(k for _, _, k in changes)
        parts = ", ".join(f"{k:,} {b} {arrow} {h}" for b, h, k in changes)
        noun = "group" if total == 1 else "groups"
        return f"{total:,} more {noun} changed verdict: {parts}"

    def headline(self) -> str:
        """``"3 of 23 site groups changed verdict"``."""
        return f"{len(self.groups):,} of {self.groups_compared:,} site groups changed verdict"

    def group_cells(self, arrow: str, shown: int = MAX_GROUP_CHANGES_SHOWN) -> list[list[str]]:
        """The first ``shown`` groups as cells: group, sites, verdict base -> head, cost base,
        cost head, cost delta."""
        return [
            [
                str(r["group"]), number(r["sites"]), f"{r['base_best']} {arrow} {r['head_best']}",
                _usd(r["base_usd"]), _usd(r["head_usd"]), _signed_usd(r["delta_usd"]),
            ]
            for r in self.groups.head(shown).to_dict("records")
        ]  # fmt: skip

    def plan_cells(self, arrow: str) -> list[list[str]]:
        """Each plan as cells: plan, cost base, cost head, delta, feasible base -> head."""
        return [
            [
                str(r["plan"]), _usd(r["base_usd"]), _usd(r["head_usd"]),
                _signed_usd(r["delta_usd"]),
                f"{_yes(r['base_feasible'])} {arrow} {_yes(r['head_feasible'])}",
            ]
            for r in self.plans.to_dict("records")
        ]  # fmt: skip

    def markdown_lines(self, escape) -> list[str]:
        """The section of a diff comment; ``escape`` makes a cell's text (a site group's name)
        show as text in a table cell (:func:`edgecalc.markdown_text.esc`)."""
        cost = "NPV" if self.basis == "npv" else "total"
        lines = [
            f"#### Per-site verdicts: {self.headline()}",
            "",
            f"| plan | {cost} base | {cost} head | delta | feasible base → head |",
            "|---|---:|---:|---:|---|",
        ]
        lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in self.plan_cells("→")]
        if len(self.groups):
            lines += [
                "",
                f"| site group | sites | verdict base → head | {cost} base | {cost} head | delta |",
                "|---|---:|---|---:|---:|---:|",
            ]
            lines += [
                "| " + " | ".join(escape(c) for c in row) + " |" for row in self.group_cells("→")
            ]
        if rest := self.rest_sentence("→"):
            lines += ["", f"…and {escape(rest)}."]
        return lines

    def text_lines(self) -> list[str]:
        """The same for a terminal."""
        lines = [f"Per-site verdicts: {self.headline()}"]
        for plan, base, head, delta, feasible in self.plan_cells("->"):
            lines.append(f"  {plan:<14} {base:>14} {head:>14} {delta:>14}  feasible {feasible}")
        for group, sites, verdict, base, head, delta in self.group_cells("->"):
            lines.append(
                f"  {group[:30]:<30} {sites:>7} sites  {verdict:<18} {base:>12} -> {head:>12}"
                f"  ({delta})"
            )
        if rest := self.rest_sentence("->"):
            lines.append(f"  {rest}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (NaN as null): every changed group, not only the first 20."""
        return {
            "basis": self.basis,
            "groups_compared": self.groups_compared,
            "groups_changed": len(self.groups),
            "plans": [_plain_row(r) for r in self.plans.to_dict("records")],
            "groups": [_plain_row(r) for r in self.groups.to_dict("records")],
        }


def diff_portfolios(base: Portfolio | None, head: Portfolio | None) -> PortfolioDiff:
    """Compare the per-site verdicts of two evaluations.

    Parameters
    ----------
    base, head : Portfolio or None
        The two sides; None for a side without site groups (every group of the other side is
        then added or removed).

    Returns
    -------
    PortfolioDiff
        Groups matched by name; costs on the head's decision basis (the base's when the head
        has no portfolio). ``delta_usd = head_usd - base_usd``.
    """
    basis = (head or base).basis if (head or base) is not None else "npv"
    b = _verdicts(base, basis)
    h = _verdicts(head, basis)
    merged = b.merge(h, on="group", how="outer", suffixes=("_base", "_head"))
    for side in ("base", "head"):
        merged[f"best_{side}"] = merged[f"best_{side}"].fillna(ABSENT)
    changed = merged[merged["best_base"] != merged["best_head"]]
    groups = pd.DataFrame(
        {
            "group": changed["group"],
            "sites": changed["sites_head"].fillna(changed["sites_base"]).to_numpy(dtype=float),
            "base_best": changed["best_base"],
            "head_best": changed["best_head"],
            "base_usd": changed["usd_base"].to_numpy(dtype=float),
            "head_usd": changed["usd_head"].to_numpy(dtype=float),
        }
    )
    groups["delta_usd"] = groups["head_usd"] - groups["base_usd"]
    size = np.nan_to_num(np.abs(groups["delta_usd"].to_numpy(dtype=float)), nan=np.inf)
    order = np.lexsort((groups["group"].astype(str).to_numpy(), -size, -groups["sites"]))
    groups = groups.iloc[order].reset_index(drop=True)[GROUP_COLUMNS]
    return PortfolioDiff(
        groups=groups,
        plans=_plans(base, head, basis),
        basis=basis,
        groups_compared=len(merged),
    )


def _verdicts(p: Portfolio | None, basis: str) -> pd.DataFrame:
    """group, sites, best, usd (the cost of the verdict on ``basis``) of one side."""
    if p is None or not len(p.groups):
        return pd.DataFrame({"group": [], "sites": [], "best": [], "usd": []})
    g = p.groups
    which = "npv" if basis == "npv" else "total"
    best = g["best"].astype(str).to_numpy()
    cost = np.full(len(g), np.nan)
    for option in p.options:
        mask = best == option
        cost[mask] = g.loc[mask, f"{option}_{which}_usd"].to_numpy(dtype=float)
    return pd.DataFrame(
        {"group": g["group"].astype(str), "sites": g["sites"], "best": best, "usd": cost}
    )


def _plans(base: Portfolio | None, head: Portfolio | None, basis: str) -> pd.DataFrame:
    column = "npv_usd" if basis == "npv" else "total_usd"
    sides = []
    for p in (base, head):
        if p is None:
            sides.append(pd.DataFrame({"plan": [], "usd": [], "feasible": []}))
        else:
            plans = p.plans
            sides.append(
                pd.DataFrame(
                    {"plan": plans["plan"], "usd": plans[column], "feasible": plans["feasible"]}
                )
            )
    merged = sides[0].merge(sides[1], on="plan", how="outer", suffixes=("_base", "_head"))
    order = list(dict.fromkeys([*sides[1]["plan"], *sides[0]["plan"]]))
    merged = merged.set_index("plan").loc[order].reset_index()
    base_usd = merged["usd_base"].to_numpy(dtype=float)
    head_usd = merged["usd_head"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "plan": merged["plan"],
            "base_usd": base_usd,
            "head_usd": head_usd,
            "delta_usd": head_usd - base_usd,
            "base_feasible": [_flag(v) for v in merged["feasible_base"]],
            "head_feasible": [_flag(v) for v in merged["feasible_head"]],
        }
    )[PLAN_COLUMNS]


def _flag(v: Any) -> bool | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else bool(v)


__all__ = ["ABSENT", "BEST_NONE", "MAX_GROUP_CHANGES_SHOWN", "PortfolioDiff", "diff_portfolios"]

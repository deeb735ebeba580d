"""The portfolio view of a result: a verdict per site group and the mixed plan.

A scenario with more than one site group (a ``sites.list`` or a ``sites: {file: ...}`` CSV)
gets a :class:`Portfolio` on :attr:`edgecalc.results.result.Result.portfolio`; one with a
single group gets None. It is built by :func:`edgecalc.portfolio.build.portfolio` and read by
every view (text, Markdown, HTML, the map, the app, ``diff``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

PLAN_MIXED = "mixed"
"""Name of the plan that puts each group on its best option."""

BEST_NONE = "none"
"""``best`` of a group that no option can serve."""


def plan_name(option: str) -> str:
    """The name of the plan that puts every group on ``option``: ``all cloud``, ``all edge``."""
    return f"all {option}"


@dataclass(frozen=True)
class Portfolio:
    """Per site group verdicts and the plans that assign groups to options.

    Attributes
    ----------
    groups : DataFrame
        One row per site group, in scenario order: ``group`` (its name), ``sites`` (sites it
        stands for [count]), ``lat``, ``lon`` [degrees; NaN when not located], ``country``
        (ISO code or ""), ``access`` (access technology or ""), ``inferences_per_second``
        (per site [1/s]); per option ``<option>_total_usd`` and ``<option>_npv_usd`` (the
        group's cost on that option over the horizon, its share of the fleet-wide fixed costs
        excluded [USD]), ``<option>_feasible`` (bool), ``<option>_why_not`` (the constraints
        it breaks in words, "" when feasible); then ``best`` (the option the mixed plan puts
        it on, or ``"none"``), ``forced_off_cloud`` (True when every cloud-kind option is
        infeasible for the group) and ``deciding`` (``"constraint: latency"``,
        ``"constraint: residency"``, ... when the cloud is ruled out, ``"cost"`` when a
        cheaper option wins, ``"default"`` when the cloud stays, ``"none feasible"``).
    plans : DataFrame
        One row per plan: ``plan`` (``"mixed"`` first, then ``"all <option>"`` per option),
        ``total_usd`` and ``npv_usd`` (the plan's whole cost with every fixed cost counted
        once per option used [USD]; for an infeasible plan, what it would cost as if it could
        serve every group, shown beside ``feasible`` False), ``feasible`` (bool),
        ``groups_infeasible`` (groups the plan cannot serve [count]), ``sites`` (sites the
        plan serves [count]), ``options_used`` (options the plan runs, comma separated).
    options : tuple of str
        The options compared, in report order.
    basis : str
        The decision basis the choices compare: ``"npv"`` or ``"total"``.
    fixed_usd : dict of str to float
        Per option, the fleet-wide fixed cost a plan pays once when it uses the option at
        all (labour platform floor, platform fees, one-time integration, optimisation per
        hardware target, the cloud's fixed parts) on the decision basis [USD].
    reasons : tuple of str
        Why groups went where they went and why the mixed plan wins or not, in words.
    """

    groups: pd.DataFrame
    plans: pd.DataFrame
    options: tuple[str, ...]
    basis: str
    fixed_usd: dict[str, float]
    reasons: tuple[str, ...]

    @property
    def mixed(self) -> dict[str, Any]:
        """The mixed plan's row of :attr:`plans` as a dict."""
        return self.plan(PLAN_MIXED)

    def plan(self, name: str) -> dict[str, Any]:
        """One row of :attr:`plans` by its name (``"mixed"``, ``"all edge"``) as a dict."""
        rows = self.plans[self.plans["plan"] == name]
        if not len(rows):
            raise KeyError(f"no plan {name!r}; the plans are {', '.join(self.plans['plan'])}")
        return rows.iloc[0].to_dict()

    @property
    def headline(self) -> str | None:
        """The mixed plan in one sentence for the top of a report, when it differs from one
        option everywhere (it uses two options or more); None otherwise.

        Example: ``"Per site group: the mixed plan puts 23 groups (4,269 sites) on cloud, 17
        groups (731 sites) on edge: $6.29M (NPV over 60 months), $6.57M (51%) less than ..."``
        """
        used = [s for s in str(self.mixed.get("options_used") or "").split(", ") if s]
        if len(used) < 2 or not self.reasons:
            return None
        return "Per site group: " + self.reasons[0]

    def counts(self) -> dict[str, int]:
        """Groups per best option (``"none"`` included when some group has no option)."""
        return {str(k): int(v) for k, v in self.groups["best"].value_counts().items()}

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: options, basis, fixed costs, plans, groups, reasons."""
        return {
            "options": list(self.options),
            "basis": self.basis,
            "fixed_usd": {k: _plain(v) for k, v in self.fixed_usd.items()},
            "plans": [{k: _plain(v) for k, v in r.items()} for r in self.plans.to_dict("records")],
            "groups": [
                {k: _plain(v) for k, v in r.items()} for r in self.groups.to_dict("records")
            ],
            "reasons": list(self.reasons),
        }


def _plain(v):
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v

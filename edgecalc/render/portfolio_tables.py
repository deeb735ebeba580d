"""The per-site verdicts as tables a person reads: the plans side by side, the largest site
groups with their verdict, runner-up and why, and one summary row per verdict for the rest.

Every view of a portfolio (text, Markdown, HTML, the map's hover, the app's table and
``diff``) takes its rows from here, so a group reads the same everywhere. The frames keep
numbers as numbers (the app sorts them); :func:`group_cells` and :func:`plan_cells` format
them with :mod:`edgecalc.format`.

Ordering: the largest groups first, by sites, then by the cost of their verdict (both
descending), then by name, so that a report of 5,000 stores shows the twenty that matter most.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..format import is_missing, number, usd
from ..results.portfolio import BEST_NONE, PLAN_MIXED

if TYPE_CHECKING:
    from ..results.portfolio import Portfolio

MAX_GROUPS_SHOWN = 20
"""Site groups listed one by one in a report; the rest are summed per verdict."""

BASIS_LABELS = {"npv": "NPV", "total": "total"}
"""How each decision basis heads a cost column."""

VERDICT_COLUMNS = (
    "group", "sites", "lat", "lon", "country", "access", "best", "best_usd", "runner_up",
    "runner_up_usd", "deciding", "why",
)  # fmt: skip
"""Columns of :func:`group_verdicts`."""

GROUP_HEADER = ("site group", "sites", "country", "access", "verdict", "cost", "runner-up", "why")
"""Headers of the per-group table as a person reads it (the cost column gets its basis)."""

PLAN_HEADER = ("plan", "feasible", "cost", "against the mixed plan", "sites served", "options")
"""Headers of the plan comparison (the cost column gets its basis)."""


def cost_column(option: str, basis: str) -> str:
    """The column of ``Portfolio.groups`` with a group's cost on ``option`` on the decision
    basis: ``<option>_npv_usd`` (basis ``npv``) or ``<option>_total_usd`` (``total``)."""
    if basis not in BASIS_LABELS:
        raise ValueError(f"unknown decision basis {basis!r}: allowed are npv, total")
    return f"{option}_{'npv' if basis == 'npv' else 'total'}_usd"


def plan_cost_column(basis: str) -> str:
    """The column of ``Portfolio.plans`` on the decision basis (``npv_usd`` or ``total_usd``)."""
    cost_column("plan", basis)  # the same check of the basis
    return "npv_usd" if basis == "npv" else "total_usd"


def cost_label(basis: str) -> str:
    """``cost (NPV)`` or ``cost (total)``: the head of a cost column."""
    return f"cost ({BASIS_LABELS[basis]})"


def group_header(basis: str) -> list[str]:
    """:data:`GROUP_HEADER` with the cost column named after the basis."""
    return [cost_label(basis) if h == "cost" else h for h in GROUP_HEADER]


def plan_header(basis: str) -> list[str]:
    """:data:`PLAN_HEADER` with the cost column named after the basis."""
    return [cost_label(basis) if h == "cost" else h for h in PLAN_HEADER]


def portfolio_note(portfolio: Portfolio) -> str:
    """What the costs in the tables are: the basis, and the fixed costs counted per plan."""
    basis = "NPV" if portfolio.basis == "npv" else "undiscounted total"
    fixed = [f"{o} {usd(v)}" for o, v in portfolio.fixed_usd.items() if v and not is_missing(v)]
    note = (
        f"Costs are {basis} over the horizon. A group's cost leaves out the fleet-wide fixed "
        "costs, which each plan counts once for every option it uses"
    )
    return note + (f" ({', '.join(fixed)})." if fixed else ".")


def portfolio_summary(portfolio: Portfolio) -> str:
    """``"23 site groups, 334 sites: 11 cloud, 11 edge, 1 hub"`` (verdicts, most groups first)."""
    g = portfolio.groups
    counts = sorted(portfolio.counts().items(), key=lambda kv: (-kv[1], kv[0]))
    verdicts = ", ".join(f"{k:,} {o}" for o, k in counts)
    noun = "site group" if len(g) == 1 else "site groups"
    return f"{len(g):,} {noun}, {number(g['sites'].sum())} sites: {verdicts}"


def group_verdicts(portfolio: Portfolio, explain: int | None = MAX_GROUPS_SHOWN) -> pd.DataFrame:
    """Every site group with its verdict's cost and the runner-up, largest groups first.

    Parameters
    ----------
    portfolio : Portfolio
        Reads ``groups`` (group, sites, country, access, per option ``<option>_<basis>_usd``
        and ``<option>_feasible``, ``best``, ``deciding``), ``options`` and ``basis``.
    explain : int or None
        How many of the first rows get their ``why`` in words (None: all). The rest have
        ``""``: a sentence per group of 10,000 costs a second, and reports list 20.

    Returns
    -------
    DataFrame
        Columns :data:`VERDICT_COLUMNS`: ``best_usd`` the group's cost on its verdict (NaN
        for ``none``) [USD], ``runner_up`` the cheapest other feasible option (``""`` when
        there is none) and its cost ``runner_up_usd`` [USD], ``why`` in words. Sorted by
        sites, then ``best_usd``, both descending, then by group name.
    """
    g = portfolio.groups
    options = list(portfolio.options)
    n = len(g)
    if n == 0:
        return pd.DataFrame(columns=list(VERDICT_COLUMNS))
    cost = np.column_stack(
        [g[cost_column(o, portfolio.basis)].to_numpy(dtype=float) for o in options]
    )
    feasible = np.column_stack([g[f"{o}_feasible"].to_numpy(dtype=bool) for o in options])
    best = g["best"].astype(str).to_numpy()
    index = {o: i for i, o in enumerate(options)}
    best_i = np.array([index.get(b, -1) for b in best])
    rows = np.arange(n)
    best_usd = np.where(best_i >= 0, cost[rows, np.maximum(best_i, 0)], np.nan)
    others = np.where(feasible & ~np.isnan(cost), cost, np.inf)
    others[rows[best_i >= 0], best_i[best_i >= 0]] = np.inf
    runner_i = np.argmin(others, axis=1)
    has_runner = np.isfinite(others[rows, runner_i])
    frame = pd.DataFrame(
        {
            "group": g["group"].astype(str).to_numpy(),
            "sites": g["sites"].to_numpy(),
            "lat": _number_column(g, "lat"),
            "lon": _number_column(g, "lon"),
            "country": _text_column(g, "country"),
            "access": _text_column(g, "access"),
            "best": best,
            "best_usd": best_usd,
            "runner_up": np.where(has_runner, np.array(options, dtype=object)[runner_i], ""),
            "runner_up_usd": np.where(has_runner, others[rows, runner_i], np.nan),
            "deciding": g["deciding"].astype(str).to_numpy(),
        }
    )
    frame.index = g.index
    order = np.lexsort(
        (frame["group"].to_numpy(), -np.nan_to_num(best_usd, nan=-np.inf), -frame["sites"])
    )
    frame = frame.iloc[order]
    k = len(frame) if explain is None else max(0, min(int(explain), len(frame)))
    head = frame.iloc[:k]
    reasons = [c for o in options for c in (f"{o}_feasible", f"{o}_why_not")]
    sources = _records(g.loc[head.index], reasons)
    rows_k = _records(head, ["best", "best_usd", "runner_up", "runner_up_usd", "deciding"])
    options_t = tuple(options)
    fixed = dict(portfolio.fixed_usd)
    explained = [why(options_t, s, r, fixed) for s, r in zip(sources, rows_k, strict=True)]
    frame["why"] = explained + [""] * (len(frame) - k)
    return frame.reset_index(drop=True)[list(VERDICT_COLUMNS)]


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows of ``columns`` as dicts (column by column: ``to_dict`` boxes every cell, 10x slower)."""
    values = [frame[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _number_column(g: pd.DataFrame, name: str) -> np.ndarray:
    if name not in g:
        return np.full(len(g), np.nan)
    return pd.to_numeric(g[name], errors="coerce").to_numpy(dtype=float)


def _text_column(g: pd.DataFrame, name: str) -> np.ndarray:
    if name not in g:
        return np.full(len(g), "", dtype=object)
    return g[name].fillna("").astype(str).to_numpy()


def why(
    options: tuple[str, ...], group: dict, row: dict, fixed: dict[str, float] | None = None
) -> str:
    """Why a group got its verdict, in words, with its figures.

    ``group`` is the group's row of ``Portfolio.groups`` (its ``<option>_feasible`` and
    ``<option>_why_not``), ``row`` its row of :func:`group_verdicts` (best, its cost, the
    runner-up and its cost, deciding), ``fixed`` the options' fleet-wide fixed costs
    (``Portfolio.fixed_usd``) [USD].

    ``deciding`` (from the portfolio) says what decided: a constraint that rules out the
    cloud names the options it rules out and why (a reason that only repeats the
    constraint's name is said once); a cost verdict says by how much the verdict undercuts
    the runner-up, or, where the runner-up is cheaper on the group's own cost, by how much it
    is and that this does not pay the runner-up's fixed cost (the plan does not otherwise
    use it); the cloud as the default says what the runner-up would save; a group nothing
    can serve lists why each option fails. A saving is never negative and its share never
    above 100%.

    Examples: ``"latency rules out cloud (latency 180 ms over the 50 ms budget)"``,
    ``"residency rules out cloud"``, ``"cost: $12,000 (20%) less than cloud"``,
    ``"cost: $2,207 more than cloud on its own, too little to pay the cloud's fixed
    $155,015"``, ``"default: edge would save $3,000 (5%), too little to leave the cloud"``.
    """
    g = group
    deciding = str(row["deciding"])
    best, runner = row["best"], row["runner_up"]
    if best == BEST_NONE or deciding == "none feasible":
        return "no option can serve it: " + "; ".join(_ruled_out(options, g, set()))
    if deciding.startswith("constraint"):
        named = [w.strip() for w in deciding.partition(":")[2].split(",") if w.strip()]
        if not named:
            return "a constraint rules out " + "; ".join(_ruled_out(options, g, set()))
        verb = "rules" if len(named) == 1 else "rule"
        return f"{' and '.join(named)} {verb} out " + "; ".join(_ruled_out(options, g, set(named)))
    if deciding == "cost":
        if not runner:
            return "cost: the only feasible option"
        best_usd, runner_usd = row["best_usd"], row["runner_up_usd"]
        if not (is_missing(best_usd) or is_missing(runner_usd)) and runner_usd < best_usd:
            more = f"cost: {usd(best_usd - runner_usd)} more than {runner} on its own"
            runner_fixed = (fixed or {}).get(runner)
            if is_missing(runner_fixed) or not runner_fixed > 0.5:
                return more
            return f"{more}, too little to pay the {runner}'s fixed {usd(runner_fixed)}"
        return f"cost: {_saving(best_usd, runner_usd)} less than {runner}"
    if deciding == "default":
        if runner and row["runner_up_usd"] < row["best_usd"]:
            gain = _saving(row["runner_up_usd"], row["best_usd"])
            return f"default: {runner} would save {gain}, too little to leave the {best}"
        return f"default: the {best} is also the cheapest"
    return deciding


def _ruled_out(options: tuple[str, ...], g: dict, named: set[str]) -> list[str]:
    """Each infeasible option with its reasons in brackets, leaving out a reason that is only
    a constraint's name already said (``named``): ``cloud (latency 187 ms > 50 ms)``,
    ``cloud``."""
    out = []
    for o in options:
        if bool(g[f"{o}_feasible"]):
            continue
        reasons = [r.strip() for r in str(g[f"{o}_why_not"] or "").split(";")]
        reasons = [r for r in reasons if r and r not in named]
        out.append(f"{o} ({'; '.join(reasons)})" if reasons else o)
    return out


def _saving(low_usd: float, high_usd: float) -> str:
    """``$12,000 (20%)``: how much ``low_usd`` undercuts ``high_usd`` [USD and % of high]; the
    share only where it is a share (``high_usd`` positive, the saving at most all of it)."""
    if is_missing(low_usd) or is_missing(high_usd):
        return "-"
    saving_usd = high_usd - low_usd
    share = (
        f" ({saving_usd / high_usd:.0%})" if high_usd > 0 and 0 <= saving_usd <= high_usd else ""
    )
    return f"{usd(saving_usd)}{share}"


@dataclass(frozen=True)
class RestRow:
    """The groups beyond the listed ones that share a verdict, summed."""

    best: str
    groups: int
    sites: float
    cost_usd: float
    """Their costs on the verdict summed (NaN for ``none``) [USD]."""
    deciding: tuple[tuple[str, int], ...]
    """What decided, with how many groups, most common first."""


def rest_rows(verdicts: pd.DataFrame, shown: int = MAX_GROUPS_SHOWN) -> list[RestRow]:
    """One row per verdict for the groups after the first ``shown`` of :func:`group_verdicts`,
    the verdict with the most groups first."""
    rest = verdicts.iloc[shown:]
    out = []
    for best, part in rest.groupby("best", sort=False):
        cost = part["best_usd"].to_numpy(dtype=float)
        out.append(
            RestRow(
                best=str(best),
                groups=len(part),
                sites=float(part["sites"].sum()),
                cost_usd=float(cost.sum()) if not np.isnan(cost).all() else float("nan"),
                deciding=tuple(Counter(part["deciding"]).most_common()),
            )
        )
    return sorted(out, key=lambda r: (-r.groups, r.best))


def rest_sentence(verdicts: pd.DataFrame, shown: int = MAX_GROUPS_SHOWN) -> str:
    """``"4,812 more groups (9,100 sites): 3,900 cloud, 912 edge"``; ``""`` when none is left."""
    rows = rest_rows(verdicts, shown)
    if not rows:
        return ""
    groups = sum(r.groups for r in rows)
    sites = sum(r.sites for r in rows)
    parts = ", ".join(f"{r.groups:,} {r.best}" for r in rows)
    noun = "group" if groups == 1 else "groups"
    return f"{groups:,} more {noun} ({number(sites)} sites): {parts}"


def group_cells(verdicts: pd.DataFrame, shown: int = MAX_GROUPS_SHOWN) -> list[list[str]]:
    """The per-group table as text cells (:data:`GROUP_HEADER`): the first ``shown`` groups,
    then one summary row per verdict for the rest."""
    out = []
    for r in verdicts.head(shown).to_dict("records"):
        runner = f"{r['runner_up']} {usd(r['runner_up_usd'])}" if r["runner_up"] else "-"
        out.append(
            [
                r["group"], number(r["sites"]), r["country"] or "-", r["access"] or "-",
                r["best"], usd(r["best_usd"]), runner, r["why"],
            ]
        )  # fmt: skip
    for rest in rest_rows(verdicts, shown):
        noun = "group" if rest.groups == 1 else "groups"
        decided = ", ".join(f"{_deciding_words(d)} ({k:,})" for d, k in rest.deciding)
        out.append(
            [
                f"{rest.groups:,} more {noun}", number(rest.sites), "-", "-", rest.best,
                usd(rest.cost_usd), "-", f"decided by: {decided}",
            ]
        )  # fmt: skip
    return out


def _deciding_words(deciding: str) -> str:
    """``constraint: latency`` -> ``latency``; ``none feasible`` stays as it is."""
    return deciding.partition(":")[2].strip() if deciding.startswith("constraint") else deciding


def signed_usd(delta_usd: float) -> str:
    """A difference in money as the diff tables write it: ``+$300,000``, ``-$10,000``, and
    ``$0`` for anything that rounds to a whole zero (never ``+$0``) [USD].

    Examples
    --------
    >>> signed_usd(300_000), signed_usd(-10_000), signed_usd(0.4), signed_usd(-0.4)
    ('+$300,000', '-$10,000', '$0', '$0')
    """
    if is_missing(delta_usd):
        return "-"
    whole = round(float(delta_usd))
    return ("+" if whole > 0 else "") + usd(whole)


def plan_cells(portfolio: Portfolio) -> list[list[str]]:
    """The plans as text cells (:data:`PLAN_HEADER`), in the portfolio's order (mixed first):
    the cost on the basis, what it costs more or less than the mixed plan (not for an
    infeasible plan: it serves fewer sites), the sites served and the options it runs; an
    infeasible plan says how many groups it cannot serve."""
    column = plan_cost_column(portfolio.basis)
    plans = portfolio.plans
    mixed = plans.loc[plans["plan"] == PLAN_MIXED, column]
    mixed_usd = float(mixed.iloc[0]) if len(mixed) else float("nan")
    out = []
    for r in plans.to_dict("records"):
        k = int(r["groups_infeasible"])
        feasible = "yes" if r["feasible"] else f"no: {k:,} group{'s' if k != 1 else ''} unserved"
        if r["plan"] == PLAN_MIXED or not r["feasible"] or is_missing(r[column]):
            against = "-"
        else:
            against = signed_usd(float(r[column]) - mixed_usd)
        out.append(
            [
                r["plan"], feasible, usd(r[column]), against, number(r["sites"]),
                str(r.get("options_used", "") or "-"),
            ]
        )  # fmt: skip
    return out


__all__ = [
    "GROUP_HEADER", "MAX_GROUPS_SHOWN", "PLAN_HEADER", "cost_column", "cost_label",
    "group_cells", "group_header", "group_verdicts", "plan_cells", "plan_cost_column",
    "plan_header", "portfolio_note", "portfolio_summary", "rest_rows", "rest_sentence",
    "signed_usd", "why",
]  # fmt: skip

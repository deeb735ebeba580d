"""Which guess matters, and where the decision turns: tornado, flips and sweeps.

All three evaluate a batch of *points*: each point is the scenario with a few inputs set to given
values and every other range at its median (the deterministic run). A point that sets a field
of the scenario file is re-resolved (so defaults copied from the field, the RTT estimate and
the egress tiers follow it exactly as in ``edgecalc.evaluate(path, overrides=...)``); a value
the resolver derives (``sites.rtt_ms`` of an RTT estimate) is set in the input arrays directly.
Points whose resolution has the same structure (:func:`~edgecalc.uncertainty.simulate.
fingerprint`: horizon, inputs, egress tiers, site groups) are stacked along the sample axis and
evaluated by one call of :func:`edgecalc.pipeline.compute.compute`; a sweep over the horizon
makes one call per horizon.

- :func:`tornado`: for each ranged input, the cost of the recommended option minus that of the
  best *feasible* alternative (re-chosen at each end), on the decision's basis (NPV by default,
  or the undiscounted total), with the input at the low and at the high end of its range,
  sorted by swing.
- :func:`flips`: for the most influential inputs (the top of the tornado) and any named,
  every value in the scanned range at which the recommendation changes (it can change more
  than once along one input: cloud, edge, cloud, edge), or "no flip within [a, b]". The
  recommendation is a step function of the input, so the search is a bracketing one: a scan of
  the search range (65 values) in one batch, then k-section (16 points per batch) of each
  bracket to a relative width of ``rtol`` (1e-4). A stretch narrower than one scan step can be
  missed; the scanned range is stated with every result.
- :func:`sweep`: a tidy frame over a grid of values of one or several inputs.

Inputs that change structure (a device, an instance, a region, a residency rule) are text, not
numbers, and are not sweepable: compare two scenarios with ``edgecalc diff`` instead.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import limits
from ..catalog import Catalog, load_catalog
from ..errors import EdgecalcError
from ..pipeline.compute import compute
from ..pipeline.prepare import prepare
from ..pipeline.resolve import Resolved, point_inputs
from ..scenario.models import Scenario
from .backend import Backend
from .fields import _field_annotation, field_spec
from .grid import evaluate_grid
from .simulate import (
    RangedInput,
    fingerprint,
    load,
    ranged_inputs,
    with_overrides,
)

__all__ = ["DEFAULT_FLIP_PATHS", "flip_sentences", "flips", "sweep", "tornado", "tornado_title"]

DEFAULT_FLIP_PATHS: tuple[str, ...] = (
    "workload.inferences_per_second",
    "sites.count",
    "workload.request_bytes",
    "edge.device_usd",
    "cloud.usd_per_hour",
    "workload.growth_per_year",
)
"""Inputs searched for flips when the scenario has fewer ranged inputs than ``top``."""

_SCAN_POINTS = 65
_REFINE_POINTS = 16


# --------------------------------------------------------------------------- evaluating points


@dataclass
class _Base:
    scenario: Scenario
    base_dir: Path | None
    catalog: Catalog
    resolved: Resolved
    x: dict[str, np.ndarray]
    ranged: list[RangedInput]
    options: tuple[str, ...]
    recommendation: str
    npv_usd: dict[str, float]
    total_usd: dict[str, float]
    feasible: dict[str, bool]

    def point_value(self, path: str) -> float:
        if path in self.x:
            return float(self.x[path][0])
        raise EdgecalcError(f"{path} has no value in this scenario; give search=(low, high)")

    def ranged_by_path(self) -> dict[str, RangedInput]:
        out = {}
        for inp in self.ranged:
            for p in (inp.path, *inp.aliases):
                out[p] = inp
        return out


def _prepare(scenario_or_path, overrides, catalog, base_dir) -> _Base:
    scenario, base = load(scenario_or_path, overrides, base_dir)
    catalog = catalog or load_catalog()
    resolved = prepare(scenario, catalog, base)
    ranged = ranged_inputs(resolved)
    x = point_inputs(resolved)
    out = compute(resolved, x)
    return _Base(
        scenario=scenario,
        base_dir=base,
        catalog=catalog,
        resolved=resolved,
        x=x,
        ranged=ranged,
        options=tuple(out.options),
        recommendation=str(out.recommendation[0]),
        npv_usd={o: float(a.npv_usd[0]) for o, a in out.options.items()},
        total_usd={o: float(a.total_usd[0]) for o, a in out.options.items()},
        feasible={o: bool(a.feasible[0]) for o, a in out.options.items()},
    )


def _check_path(base: _Base, path: str) -> None:
    """Raise a clear error unless ``path`` is a numeric input that can be set per point."""
    if path.split(".")[0] == "hybrid" and base.scenario.hybrid is None:
        raise EdgecalcError(f"{path}: the scenario has no hybrid option (hybrid: null)")
    if path in base.x or field_spec(path) is not None:
        return
    if _field_annotation(path) is not None:
        raise EdgecalcError(
            f"{path} is not a number: it selects structure (a catalog item, a rule or a "
            "section), so it cannot be swept or searched; compare two scenarios with "
            "edgecalc diff instead"
        )
    raise EdgecalcError(
        f"{path} is not an input of this scenario; inputs are dotted paths such as "
        "workload.inferences_per_second or edge.device_usd (see the assumptions table)"
    )


def _evaluate_points(base: _Base, points: Sequence[Mapping[str, float]]) -> dict[str, Any]:
    """Evaluate every point (inputs set, the rest at point values) in as few engine calls as
    the structure allows.

    Returns
    -------
    dict
        ``total_usd``, ``npv_usd``, ``feasible``: per option an array ``(len(points),)``;
        ``recommendation``: array of str.
    """
    aliases = {inp.path: inp.aliases for inp in base.ranged}
    cache: dict[tuple, tuple[Resolved, dict[str, np.ndarray]]] = {}
    prepared = []
    for point in points:
        in_file = {p: float(v) for p, v in point.items() if field_spec(p) is not None}
        direct = {p: float(v) for p, v in point.items() if p not in in_file}
        key = tuple(sorted(in_file.items()))
        if key not in cache:
            if in_file:
                s = with_overrides(base.scenario, in_file)
                r = prepare(s, base.catalog, base.base_dir)
                cache[key] = (r, point_inputs(r))
            else:
                cache[key] = (base.resolved, base.x)
        r, x = cache[key]
        if direct:
            x = dict(x)
            for p, v in direct.items():
                if p not in x:
                    raise EdgecalcError(f"{p} is not an input of this scenario")
                for q in (p, *aliases.get(p, ())):
                    x[q] = np.array([v])
        prepared.append((r, x))

    groups: dict[tuple, list[int]] = {}
    for i, (r, x) in enumerate(prepared):
        groups.setdefault(fingerprint(r, x), []).append(i)
    n = len(points)
    result: dict[str, Any] = {
        "total_usd": {o: np.full(n, np.nan) for o in base.options},
        "npv_usd": {o: np.full(n, np.nan) for o in base.options},
        "feasible": {o: np.zeros(n, dtype=bool) for o in base.options},
        "recommendation": np.empty(n, dtype=object),
    }
    for members in groups.values():
        r = prepared[members[0]][0]
        stacked = {
            k: np.concatenate([prepared[i][1][k] for i in members]) for k in prepared[members[0]][1]
        }
        out = compute(r, stacked)
        index = np.asarray(members)
        for o in base.options:
            a = out.options[o]
            result["total_usd"][o][index] = a.total_usd
            result["npv_usd"][o][index] = a.npv_usd
            result["feasible"][o][index] = a.feasible
        result["recommendation"][index] = out.recommendation
    return result


# --------------------------------------------------------------------------- tornado


def _cost(base: _Base) -> dict[str, float]:
    """Each option's cost at the point estimate on the decision's basis [USD]."""
    if base.scenario.decision.basis == "total":
        return base.total_usd
    return base.npv_usd


def _pair(base: _Base) -> tuple[str, str | None]:
    """The recommended option and the best feasible alternative at the point estimate (None
    when no other option is feasible); when nothing is feasible, the two cheapest."""
    cost = _cost(base)
    by_cost = sorted(base.options, key=lambda o: cost[o])
    if base.recommendation == "none":
        return by_cost[0], by_cost[1] if len(by_cost) > 1 else None
    feasible = [o for o in by_cost if o != base.recommendation and base.feasible[o]]
    return base.recommendation, feasible[0] if feasible else None


def _best_feasible_other(out: dict[str, Any], key: str, recommended: str, i: int):
    """The cheapest option other than ``recommended`` that is feasible at point ``i`` (on the
    decision's basis, ``key``), or (None, NaN)."""
    best, best_cost = None, math.nan
    for o, costs in out[key].items():
        if o == recommended or not out["feasible"][o][i]:
            continue
        if best is None or costs[i] < best_cost:
            best, best_cost = o, float(costs[i])
    return best, best_cost


def tornado_title(frame: pd.DataFrame) -> str:
    """What a tornado frame measures, in words.

    Examples: "NPV of cloud minus the best feasible alternative (edge at the point
    estimate)"; "undiscounted total of edge minus the best feasible alternative (none is
    feasible at the point estimate)".
    """
    if frame.empty:
        return "no ranged inputs"
    row = frame.iloc[0]
    words = "NPV" if row["basis"] == "npv" else "undiscounted total"
    alt = row["runner_up"]
    at_point = f"{alt} at the point estimate" if alt else "none is feasible at the point estimate"
    return f"{words} of {row['recommended']} minus the best feasible alternative ({at_point})"


def tornado(
    scenario: Scenario | str | Path,
    paths: Sequence[str] | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
) -> pd.DataFrame:
    """The recommendation's cost against the best feasible alternative at each range's ends.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A scenario or the path of a scenario file.
    paths : sequence of str, optional
        Ranged inputs to include; default every range (including an estimated RTT).
    overrides, catalog, base_dir
        As in :func:`edgecalc.uncertainty.simulate.simulate`.

    Returns
    -------
    pandas.DataFrame
        One row per input, largest swing first: path, low, high, point_value [unit of the
        input]; basis (``npv`` or ``total``: the quantity the decision compares,
        ``decision.basis``); recommended (at the point estimate); runner_up (the best
        feasible alternative at the point estimate, None when no other option is feasible);
        alternative_low, alternative_high (the best feasible alternative with the input at
        its low and high: it can differ from ``runner_up`` when an end makes it infeasible);
        cost_diff_low_usd, cost_diff_point_usd, cost_diff_high_usd (cost of ``recommended``
        minus cost of the alternative on the basis; negative means the recommendation is
        cheaper; NaN where no alternative is feasible) [USD]; swing_usd ``|high - low|``
        (NaN when an end has no feasible alternative) [USD]; recommendation_low,
        recommendation_high.

    Raises
    ------
    EdgecalcError
        When a named path is not a ranged input (sweep it instead).

    Notes
    -----
    ``low``/``high`` are the range's ends (the 5th/95th percentiles of a lognormal or normal
    range, the support of a uniform or triangular one), inside its ``min``/``max`` and the
    field's bounds. Every other range stays at its median. An input that changes only
    feasibility (an RTT against the latency budget) has a zero swing in cost; it shows in
    ``recommendation_low``/``_high`` and in the alternative compared.
    """
    base = _prepare(scenario, overrides, catalog, base_dir)
    by_path = base.ranged_by_path()
    if paths is None:
        chosen = [inp for inp in base.ranged if inp.low != inp.high]
    else:
        chosen = []
        for p in paths:
            if p not in by_path:
                raise EdgecalcError(
                    f"{p} is not a range in this scenario; give it a range {{low, high}} or use "
                    "sweep() to vary it"
                )
            if by_path[p] not in chosen:
                chosen.append(by_path[p])
    columns = [
        "path", "low", "high", "point_value", "basis", "recommended", "runner_up",
        "alternative_low", "alternative_high", "cost_diff_low_usd", "cost_diff_point_usd",
        "cost_diff_high_usd", "swing_usd", "recommendation_low", "recommendation_high",
    ]  # fmt: skip
    if not chosen:
        return pd.DataFrame(columns=columns)
    basis = base.scenario.decision.basis
    key = "total_usd" if basis == "total" else "npv_usd"
    recommended, runner_up = _pair(base)
    cost = _cost(base)
    point_diff = cost[recommended] - cost[runner_up] if runner_up else math.nan
    points = [{inp.path: v} for inp in chosen for v in (inp.low, inp.high)]
    out = _evaluate_points(base, points)
    rows = []
    for i, inp in enumerate(chosen):
        ends = []
        for k in (2 * i, 2 * i + 1):
            alt, alt_cost = _best_feasible_other(out, key, recommended, k)
            ends.append((alt, float(out[key][recommended][k]) - alt_cost))
        (alt_low, low_diff), (alt_high, high_diff) = ends
        rows.append(
            {
                "path": inp.path,
                "low": inp.low,
                "high": inp.high,
                "point_value": base.point_value(inp.path),
                "basis": basis,
                "recommended": recommended,
                "runner_up": runner_up,
                "alternative_low": alt_low,
                "alternative_high": alt_high,
                "cost_diff_low_usd": low_diff,
                "cost_diff_point_usd": point_diff,
                "cost_diff_high_usd": high_diff,
                "swing_usd": abs(high_diff - low_diff),
                "recommendation_low": out["recommendation"][2 * i],
                "recommendation_high": out["recommendation"][2 * i + 1],
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(
        "swing_usd", ascending=False, kind="stable", na_position="last"
    ).reset_index(drop=True)


# --------------------------------------------------------------------------- flips


def _default_search(base: _Base, path: str) -> tuple[float, float]:
    inp = base.ranged_by_path().get(path)
    v0 = base.point_value(path)
    low, high = (inp.low, inp.high) if inp is not None else (v0, v0)
    if low > 0:
        a, b = low / 10, high * 10
    else:
        width = (high - low) or abs(v0) or 1.0
        a, b = low - 10 * width, high + 10 * width
    return a, b


def _clip_search(path: str, a: float, b: float) -> tuple[float, float, bool]:
    spec = field_spec(path)
    integer = bool(spec and spec.integer)
    if spec is not None:
        lower = spec.lower + (1e-9 * max(1.0, abs(spec.lower)) if spec.lower_open else 0.0)
        upper = spec.upper - (1e-9 * max(1.0, abs(spec.upper)) if spec.upper_open else 0.0)
        a, b = max(a, lower), min(b, upper)
    if integer:
        a, b = float(math.ceil(a)), float(math.floor(b))
    if not a < b:
        raise EdgecalcError(f"{path}: empty search range [{a:g}, {b:g}]")
    return a, b, integer


def _scan_grid(a: float, b: float, v0: float, integer: bool) -> np.ndarray:
    if a > 0 and b / a > 10:
        grid = np.geomspace(a, b, _SCAN_POINTS)
    else:
        grid = np.linspace(a, b, _SCAN_POINTS)
    if integer:
        grid = np.round(grid)
    if a <= v0 <= b:
        grid = np.append(grid, v0)
    return np.unique(grid)


_MAX_REFINEMENTS = 60
"""Refinement rounds at most; each shrinks a bracket at least ``_REFINE_POINTS + 1``-fold, so
60 rounds reach any tolerance above machine precision."""


@dataclass
class _Bracket:
    """An interval ``[lo, hi]`` with ``left`` recommended at ``lo`` and ``right`` at ``hi``."""

    path: str
    lo: float
    hi: float
    left: str
    right: str
    integer: bool

    def done(self, rtol: float) -> bool:
        if self.integer:
            return self.hi - self.lo <= 1
        return self.hi - self.lo <= rtol * max(abs(self.lo), abs(self.hi), 1e-12)

    def interior(self) -> np.ndarray:
        if self.integer:
            inner = np.unique(np.round(np.linspace(self.lo, self.hi, _REFINE_POINTS + 2)[1:-1]))
            return inner[(inner > self.lo) & (inner < self.hi)]
        return np.linspace(self.lo, self.hi, _REFINE_POINTS + 2)[1:-1]

    def narrow(self, values: np.ndarray, recs: np.ndarray) -> _Bracket | None:
        """Shrink to the first change from ``left`` among ``values``.

        Returns the rest of the old interval as a new bracket when the recommendation found
        there differs from ``right`` (a third recommendation lies inside: two edges, not one).
        """
        if values.size == 0:
            return None
        changed = np.flatnonzero(recs != self.left)
        if not changed.size:  # every interior point is still ``left``: the edge is past them
            self.lo = float(values[-1])
            return None
        j = int(changed[0])
        old_hi, old_right = self.hi, self.right
        self.lo = float(values[j - 1]) if j else self.lo
        self.hi, self.right = float(values[j]), str(recs[j])
        if self.right != old_right:
            return _Bracket(self.path, self.hi, old_hi, self.right, old_right, self.integer)
        return None

    def edge(self) -> float:
        """The value where the recommendation changes: the middle of a continuous bracket, the
        whole number on the far side of the point value for an integer one (set by caller)."""
        return (self.lo + self.hi) / 2


def _fmt(value: float) -> str:
    """An input value in words: 4 significant figures, thousands separators, no exponent.

    Examples
    --------
    >>> _fmt(3e6), _fmt(12.9634), _fmt(0.000012345), _fmt(0)
    ('3,000,000', '12.96', '0.00001234', '0')
    """
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return np.format_float_positional(value, precision=4, fractional=False, trim="-")


def _edge_sentence(path: str, direction: str, value: float, near: str, far: str, v0: float,
                   rec0: str, integer: bool, scanned: str) -> str:  # fmt: skip
    """One change of recommendation in words; ``near`` is recommended on the side towards the
    point value ``v0`` (where ``rec0`` is), ``far`` beyond the edge."""
    now = f"(now {_fmt(v0)}: {rec0}; scanned {scanned})"
    if near != rec0:  # a further change: say what it replaces
        now = f"(replacing {near}; now {_fmt(v0)}: {rec0}; scanned {scanned})"
    if integer:
        where = f"at {_fmt(value)} or {'more' if direction == 'above' else 'less'}"
    else:
        where = f"{direction} {_fmt(value)}"
    if far == "none":
        return f"no option is feasible {where} {path} {now}"
    return f"{far} becomes the recommendation {where} {path} {now}"


def _intervals_sentence(
    path: str, edges: list[tuple[float, str, str]], v0: float, rec0: str, a: float, b: float
) -> str:
    """Every stretch of the scanned range ``[a, b]`` and what is recommended there, in words.

    ``edges`` are ``(value, recommendation below, recommendation above)`` in increasing order.

    Examples
    --------
    >>> _intervals_sentence("x", [(13.0, "cloud", "edge"), (18.0, "edge", "cloud")], 2, "cloud",
    ...                     0.2, 20)
    'x over the scanned 0.2 to 20 (now 2: cloud): cloud from 0.2 to 13, edge from 13 to 18, \
cloud from 18 to 20'
    """
    bounds = [a, *(e[0] for e in edges), b]
    recs = [edges[0][1], *(e[2] for e in edges)]
    parts = [
        f"{'no option feasible' if rec == 'none' else rec} from {_fmt(lo)} to {_fmt(hi)}"
        for rec, lo, hi in zip(recs, bounds[:-1], bounds[1:], strict=True)
    ]
    return f"{path} over the scanned {_fmt(a)} to {_fmt(b)} (now {_fmt(v0)}: {rec0}): " + (
        ", ".join(parts)
    )


def flips(  # noqa: C901 - see [tool.ruff.lint.mccabe] in pyproject.toml
    scenario: Scenario | str | Path,
    paths: Sequence[str] | None = None,
    search: Mapping[str, tuple[float, float]] | None = None,
    *,
    top: int = 5,
    rtol: float = 1e-4,
    overrides: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Every value in the scanned range at which the recommendation changes.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A scenario or the path of a scenario file.
    paths : sequence of str, optional
        Inputs to search in addition to the ``top`` of the tornado (any numeric input, ranged
        or not).
    search : mapping of str to (float, float), optional
        Search range per path [unit of the input]. Default ``[low / 10, high * 10]`` of the
        input's range (or of its point value) when positive, else the range widened by ten
        widths each side; always within the field's bounds (a fraction stays in [0, 1]).
    top : int
        How many inputs to take from the top of the tornado; when the scenario has fewer
        ranges, :data:`DEFAULT_FLIP_PATHS` fill up.
    rtol : float
        Relative width of the final bracket [-]; integer inputs are searched to the integer.
    overrides, catalog, base_dir
        As in :func:`edgecalc.uncertainty.simulate.simulate`.

    Returns
    -------
    pandas.DataFrame
        One row per change of recommendation (an *edge*; a path can have several, so the
        recommendation can go cloud -> edge -> cloud -> edge along one input), or one row per
        input without a change: path, point_value, direction (``above``/``below`` the point
        value, None without a change), flip_value (NaN without a change) [unit of the input],
        from_recommendation (on the side of the edge towards the point value),
        to_recommendation (on the far side), below_recommendation and above_recommendation
        (on the lower and the higher side), search_low, search_high, sentence (this edge in
        words) and intervals (the whole scanned range of the path in words: every stretch and
        what it recommends, the same text on every row of the path).

    Notes
    -----
    The scan evaluates ``_SCAN_POINTS`` (65) values over the search range (geometric when it
    spans more than a factor 10) and the point value; every pair of neighbours with different
    recommendations is a bracket, refined by k-section to ``rtol``. A bracket that hides a
    third recommendation splits into two. A stretch narrower than one scan step can be missed.

    ``flip_value`` is the middle of the final bracket for a continuous input; just on either
    side (``flip_value * (1 -+ 10 rtol)``) the recommendation is ``below_recommendation`` and
    ``above_recommendation``. For an integer input it is the first whole value with
    ``to_recommendation`` going away from the point value.
    """
    base = _prepare(scenario, overrides, catalog, base_dir)
    search = dict(search or {})
    chosen: list[str] = []
    if top > 0:
        t = tornado(base.scenario, catalog=base.catalog, base_dir=base.base_dir)
        chosen += [p for p in t["path"][t["swing_usd"] > 0].head(top)]
        for p in DEFAULT_FLIP_PATHS:
            if len(chosen) >= top:
                break
            if p in base.x and p not in chosen:
                chosen.append(p)
    for p in [*(paths or ()), *search]:
        if p not in chosen:
            chosen.append(p)
    for p in chosen:
        _check_path(base, p)

    brackets: list[_Bracket] = []
    meta: dict[str, tuple[float, float, float, bool, str]] = {}
    scans = []
    for p in chosen:
        v0 = base.point_value(p)
        a, b = search.get(p) or _default_search(base, p)
        a, b, integer = _clip_search(p, float(a), float(b))
        scans.append((p, _scan_grid(a, b, v0, integer), integer))
        meta[p] = (v0, a, b, integer, "")
    points = [{p: float(v)} for p, grid, _ in scans for v in grid]
    recs = _evaluate_points(base, points)["recommendation"] if points else np.array([])
    start = 0
    for p, grid, integer in scans:
        r = recs[start : start + grid.size]
        start += grid.size
        v0, a, b, _, _ = meta[p]
        k0 = int(np.searchsorted(grid, v0))
        meta[p] = (v0, a, b, integer, str(r[min(k0, r.size - 1)]))
        for i in np.flatnonzero(r[:-1] != r[1:]):
            brackets.append(_Bracket(p, grid[i], grid[i + 1], str(r[i]), str(r[i + 1]), integer))

    for _ in range(_MAX_REFINEMENTS):
        active = [b for b in brackets if not b.done(rtol)]
        if not active:
            break
        interiors = [b.interior() for b in active]
        points = [
            {b.path: float(v)} for b, inner in zip(active, interiors, strict=True) for v in inner
        ]
        recs = _evaluate_points(base, points)["recommendation"]
        start = 0
        for b, inner in zip(active, interiors, strict=True):
            extra = b.narrow(inner, recs[start : start + inner.size])
            start += inner.size
            if extra is not None:
                brackets.append(extra)

    rows: list[dict[str, Any]] = []
    for p in chosen:
        v0, a, hi, integer, rec0 = meta[p]
        scanned = f"{_fmt(a)} to {_fmt(hi)}"
        mine = sorted((b for b in brackets if b.path == p), key=lambda b: b.lo)
        if not mine:
            rows.append(
                {
                    "path": p,
                    "point_value": v0,
                    "direction": None,
                    "flip_value": math.nan,
                    "from_recommendation": rec0,
                    "to_recommendation": None,
                    "below_recommendation": rec0,
                    "above_recommendation": rec0,
                    "search_low": a,
                    "search_high": hi,
                    "sentence": f"{p}: no flip within [{_fmt(a)}, {_fmt(hi)}] ({rec0} "
                    f"throughout the {_SCAN_POINTS} values scanned)",
                    "intervals": f"{p}: no flip within [{_fmt(a)}, {_fmt(hi)}] ({rec0} "
                    f"throughout the {_SCAN_POINTS} values scanned)",
                }
            )
            continue
        edges = []
        for b in mine:
            direction = "above" if b.lo >= v0 else "below"
            if integer:
                value = b.hi if direction == "above" else b.lo
            else:
                value = b.edge()
            edges.append((float(value), direction, b))
        summary = (
            _intervals_sentence(p, [(v, b.left, b.right) for v, _, b in edges], v0, rec0, a, hi)
            if len(edges) > 1
            else None
        )
        for value, direction, b in edges:
            near, far = (b.left, b.right) if direction == "above" else (b.right, b.left)
            sentence = _edge_sentence(p, direction, value, near, far, v0, rec0, integer, scanned)
            rows.append(
                {
                    "path": p,
                    "point_value": v0,
                    "direction": direction,
                    "flip_value": value,
                    "from_recommendation": near,
                    "to_recommendation": far,
                    "below_recommendation": b.left,
                    "above_recommendation": b.right,
                    "search_low": a,
                    "search_high": hi,
                    "sentence": sentence,
                    "intervals": summary or sentence,
                }
            )
    order = {p: i for i, p in enumerate(chosen)}
    rows.sort(key=lambda row: (order[row["path"]], _nan_last(row["flip_value"])))
    return pd.DataFrame(
        rows,
        columns=[
            "path", "point_value", "direction", "flip_value", "from_recommendation",
            "to_recommendation", "below_recommendation", "above_recommendation", "search_low",
            "search_high", "sentence", "intervals",
        ],
    )  # fmt: skip


def flip_sentences(table: pd.DataFrame) -> list[str]:
    """One sentence per searched input from a :func:`flips` table: the inputs that change the
    recommendation first (every stretch of their scanned range), then those that do not."""
    seen: list[str] = []
    for text in table["intervals"] if len(table) else ():
        if text not in seen:
            seen.append(str(text))
    return sorted(seen, key=lambda t: ": no flip within" in t)


def _nan_last(value: float) -> float:
    return math.inf if math.isnan(value) else value


# --------------------------------------------------------------------------- sweep


def sweep(
    scenario: Scenario | str | Path,
    grid: Mapping[str, Sequence[float]],
    *,
    overrides: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
    scheduler: str | Backend | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Evaluate the scenario over a grid of input values.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A scenario or the path of a scenario file.
    grid : mapping of str to sequence of float
        Values per input path [unit of the input]; several paths make their Cartesian
        product (the first path varies slowest). Every other range stays at its median.
    overrides, catalog, base_dir, scheduler, workers
        As in :func:`edgecalc.uncertainty.simulate.simulate`: on Dask the grid is cut into
        batches of points (:func:`edgecalc.uncertainty.grid.evaluate_grid`), same numbers.

    Returns
    -------
    pandas.DataFrame
        One row per grid point and option: one column per swept path, then option,
        total_usd, npv_usd [USD], feasible, recommendation (of the grid point).

    Raises
    ------
    EdgecalcError
        When a path is not a numeric input (``edge.device`` selects a catalog item: not
        sweepable) or a value is not a number.
    ScenarioError
        When a value breaks the field's bounds (e.g. a negative count).

    Examples
    --------
    >>> frame = sweep("tests/fixtures/uncertainty/volume.yaml",
    ...               {"workload.inferences_per_second": [5, 10, 20, 40, 80]})
    >>> frame.shape[0]  # 5 values x 3 options
    15
    """
    if not grid:
        raise EdgecalcError("sweep needs at least one path and its values")
    base = _prepare(scenario, overrides, catalog, base_dir)
    paths = list(grid)
    values = []
    for p in paths:
        _check_path(base, p)
        vs = list(grid[p])
        if not vs:
            raise EdgecalcError(f"{p}: no values to sweep")
        for v in vs:
            if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
                raise EdgecalcError(f"{p}: sweep values must be numbers, got {v!r}")
            if not math.isfinite(float(v)):
                raise EdgecalcError(f"{p}: sweep values must be finite numbers, got {v!r}")
        values.append([float(v) for v in vs])
    points = math.prod(len(v) for v in values)
    if points > limits.SWEEP_POINTS:
        raise EdgecalcError(
            f"the sweep grid has {points:,} points; a sweep evaluates at most "
            f"{limits.SWEEP_POINTS:,}"
        )
    combos = list(itertools.product(*values))
    grid_points = [dict(zip(paths, c, strict=True)) for c in combos]
    out = evaluate_grid(_evaluate_points, base, grid_points, scheduler, workers)
    rows = []
    for i, combo in enumerate(combos):
        for o in base.options:
            row = dict(zip(paths, combo, strict=True))
            row |= {
                "option": o,
                "total_usd": float(out["total_usd"][o][i]),
                "npv_usd": float(out["npv_usd"][o][i]),
                "feasible": bool(out["feasible"][o][i]),
                "recommendation": out["recommendation"][i],
            }
            rows.append(row)
    return pd.DataFrame(rows)

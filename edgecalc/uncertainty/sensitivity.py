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

- :func:`tornado`: for each ranged input, the NPV of the recommended option minus that of the
  runner-up with the input at the low and at the high end of its range, sorted by swing.
- :func:`flips`: for the most influential inputs (the top of the tornado) and any named, the
  value at which the recommendation changes, or "no flip within [a, b]". The recommendation is
  a step function of the input, so the search is a bracketing one: a scan of the search range
  in one batch, then k-section (16 points per batch) of each bracket to a relative width of
  ``rtol`` (1e-4). A change narrower than one scan step can be missed.
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
from .simulate import (
    RangedInput,
    _field_annotation,
    field_spec,
    fingerprint,
    load,
    ranged_inputs,
    with_overrides,
)

__all__ = ["DEFAULT_FLIP_PATHS", "flips", "sweep", "tornado"]

DEFAULT_FLIP_PATHS: tuple[str, ...] = (
    "workload.inferences_per_second",
    "sites.count",
    "workload.request_bytes",
    "edge.device_usd",
    "cloud.usd_per_hour",
    "workload.growth_per_year",
)
"""Inputs searched for flips when the scenario has fewer ranged inputs than ``top``."""

_SCAN_POINTS = 33
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


def _pair(base: _Base) -> tuple[str, str]:
    """The recommended option and its runner-up at the point estimate."""
    by_npv = sorted(base.options, key=lambda o: base.npv_usd[o])
    if base.recommendation == "none":
        return by_npv[0], by_npv[1]
    others = [o for o in by_npv if o != base.recommendation]
    feasible = [o for o in others if base.feasible[o]]
    return base.recommendation, (feasible or others)[0]


def tornado(
    scenario: Scenario | str | Path,
    paths: Sequence[str] | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
) -> pd.DataFrame:
    """NPV gap between the recommendation and the runner-up at each range's low and high.

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
        input]; recommended, runner_up (fixed at the point estimate); npv_diff_low_usd,
        npv_diff_point_usd, npv_diff_high_usd (NPV of ``recommended`` minus NPV of
        ``runner_up``; negative means the recommendation is cheaper) [USD]; swing_usd
        ``|high - low|`` [USD]; recommendation_low, recommendation_high.

    Raises
    ------
    EdgecalcError
        When a named path is not a ranged input (sweep it instead).

    Notes
    -----
    ``low``/``high`` are the range's ends (the 5th/95th percentiles of a lognormal or normal
    range, the support of a uniform or triangular one), inside its ``min``/``max`` and the
    field's bounds. Every other range stays at its median.
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
        "path", "low", "high", "point_value", "recommended", "runner_up", "npv_diff_low_usd",
        "npv_diff_point_usd", "npv_diff_high_usd", "swing_usd", "recommendation_low",
        "recommendation_high",
    ]  # fmt: skip
    if not chosen:
        return pd.DataFrame(columns=columns)
    recommended, runner_up = _pair(base)
    points = [{inp.path: v} for inp in chosen for v in (inp.low, inp.high)]
    out = _evaluate_points(base, points)
    diff = out["npv_usd"][recommended] - out["npv_usd"][runner_up]
    point_diff = base.npv_usd[recommended] - base.npv_usd[runner_up]
    rows = []
    for i, inp in enumerate(chosen):
        low_diff, high_diff = float(diff[2 * i]), float(diff[2 * i + 1])
        rows.append(
            {
                "path": inp.path,
                "low": inp.low,
                "high": inp.high,
                "point_value": base.point_value(inp.path),
                "recommended": recommended,
                "runner_up": runner_up,
                "npv_diff_low_usd": low_diff,
                "npv_diff_point_usd": point_diff,
                "npv_diff_high_usd": high_diff,
                "swing_usd": abs(high_diff - low_diff),
                "recommendation_low": out["recommendation"][2 * i],
                "recommendation_high": out["recommendation"][2 * i + 1],
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("swing_usd", ascending=False, kind="stable").reset_index(drop=True)


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
    path: str
    direction: str  # "above": near side is lo; "below": near side is hi
    lo: float
    hi: float
    near: str
    far: str
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

    def narrow(self, values: np.ndarray, recs: np.ndarray) -> None:
        grid = np.concatenate([[self.lo], values, [self.hi]])
        changed = np.flatnonzero(recs != self.near)
        if values.size == 0:
            return
        if self.direction == "above":
            if changed.size:
                j = changed[0] + 1  # position in grid
                self.lo, self.hi, self.far = grid[j - 1], grid[j], recs[changed[0]]
            else:  # every interior point is still on the near side: the flip is past them
                self.lo = grid[-2]
        else:
            if changed.size:
                j = changed[-1] + 1
                self.lo, self.hi, self.far = grid[j], grid[j + 1], recs[changed[-1]]
            else:
                self.hi = grid[1]


def _fmt(value: float) -> str:
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        return f"{value:.4g}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _sentence(b: _Bracket, flip_value: float, v0: float) -> str:
    now = f"(now {_fmt(v0)}: {b.near})"
    if b.integer:
        where = (
            f"at {_fmt(flip_value)} or more"
            if b.direction == "above"
            else (f"at {_fmt(flip_value)} or less")
        )
    else:
        where = f"{b.direction} {_fmt(flip_value)}"
    if b.far == "none":
        return f"no option is feasible {where} {b.path} {now}"
    return f"{b.far} becomes the recommendation {where} {b.path} {now}"


def flips(
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
    """The values at which the recommendation changes, nearest to the point estimate.

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
        One row per flip (up to one above and one below the point value per input), or one
        row per input without a flip: path, point_value, direction (``above``/``below``/None),
        flip_value (NaN without a flip) [unit of the input], from_recommendation,
        to_recommendation, search_low, search_high, sentence.

    Notes
    -----
    ``flip_value`` is the middle of the final bracket for a continuous input; just on its far
    side (``flip_value * (1 +- 10 rtol)``) the recommendation is ``to_recommendation``. For
    an integer input it is the first whole value with ``to_recommendation``.
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

    rows: list[dict[str, Any]] = []
    brackets: list[_Bracket] = []
    meta: dict[str, tuple[float, float, float]] = {}
    scans = []
    for p in chosen:
        v0 = base.point_value(p)
        a, b = search.get(p) or _default_search(base, p)
        a, b, integer = _clip_search(p, float(a), float(b))
        meta[p] = (v0, a, b)
        scans.append((p, _scan_grid(a, b, v0, integer), integer))
    points = [{p: float(v)} for p, grid, _ in scans for v in grid]
    recs = _evaluate_points(base, points)["recommendation"] if points else np.array([])
    start = 0
    for p, grid, integer in scans:
        r = recs[start : start + grid.size]
        start += grid.size
        v0 = meta[p][0]
        k0 = int(np.searchsorted(grid, v0))
        change = np.flatnonzero(r[:-1] != r[1:])
        above = change[change >= k0]
        below = change[change < k0]
        found = False
        if above.size:
            i = above[0]
            brackets.append(_Bracket(p, "above", grid[i], grid[i + 1], r[i], r[i + 1], integer))
            found = True
        if below.size:
            i = below[-1]
            brackets.append(_Bracket(p, "below", grid[i], grid[i + 1], r[i + 1], r[i], integer))
            found = True
        if not found:
            _, a, b = meta[p]
            rec = r[0]
            rows.append(
                {
                    "path": p,
                    "point_value": v0,
                    "direction": None,
                    "flip_value": math.nan,
                    "from_recommendation": rec,
                    "to_recommendation": None,
                    "search_low": a,
                    "search_high": b,
                    "sentence": f"{p}: no flip within [{_fmt(a)}, {_fmt(b)}] ({rec} throughout)",
                }
            )

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
            b.narrow(inner, recs[start : start + inner.size])
            start += inner.size

    for b in brackets:
        v0, a, hi = meta[b.path]
        if b.integer:
            flip_value = b.hi if b.direction == "above" else b.lo
        else:
            flip_value = (b.lo + b.hi) / 2
        rows.append(
            {
                "path": b.path,
                "point_value": v0,
                "direction": b.direction,
                "flip_value": float(flip_value),
                "from_recommendation": b.near,
                "to_recommendation": b.far,
                "search_low": a,
                "search_high": hi,
                "sentence": _sentence(b, float(flip_value), v0),
            }
        )
    order = {p: i for i, p in enumerate(chosen)}
    rows.sort(key=lambda row: (order[row["path"]], row["direction"] != "below"))
    return pd.DataFrame(
        rows,
        columns=[
            "path", "point_value", "direction", "flip_value", "from_recommendation",
            "to_recommendation", "search_low", "search_high", "sentence",
        ],
    )  # fmt: skip


# --------------------------------------------------------------------------- sweep


def sweep(
    scenario: Scenario | str | Path,
    grid: Mapping[str, Sequence[float]],
    *,
    overrides: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Evaluate the scenario over a grid of input values.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A scenario or the path of a scenario file.
    grid : mapping of str to sequence of float
        Values per input path [unit of the input]; several paths make their Cartesian
        product (the first path varies slowest). Every other range stays at its median.
    overrides, catalog, base_dir
        As in :func:`edgecalc.uncertainty.simulate.simulate`.

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
    out = _evaluate_points(base, [dict(zip(paths, c, strict=True)) for c in combos])
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

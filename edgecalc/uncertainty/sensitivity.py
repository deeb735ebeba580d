"""Which guess matters, and where the decision turns: tornado, flips and sweeps.

All three evaluate a batch of *points*: each point is the scenario with a few inputs set to given
values and every other range at its median (the deterministic run), exactly as
``edgecalc.evaluate(path, overrides=...)`` would. A value the resolver derives
(``sites.rtt_ms`` of an RTT estimate) is set in the input arrays directly. A field of the
scenario file is set in the input arrays too when it acts only as an engine input: probed at
its smallest, largest and middle value, resolving the file again gives the very same arrays
(with the inputs that copy it, such as ``hybrid.device_usd`` copying ``edge.device_usd``), the
same structure and the same outputs; otherwise (``latency.percentile`` moves an estimated RTT;
``edge.device: auto`` ranks devices on the inputs) each point is re-resolved. Points of one
structure (:func:`~edgecalc.uncertainty.simulate.fingerprint`: horizon, inputs, egress tiers,
site groups) are stacked along the sample axis and evaluated by :func:`evaluate_batch` (one
call of :func:`edgecalc.pipeline.compute.compute`), at most :data:`BATCH_POINTS` points a
call; a sweep over the horizon makes one call per horizon. ``progress(done, total)`` hears of
every batch.

- :func:`tornado`: for each ranged input, the cost of the recommended option minus that of the
  best *feasible* alternative (re-chosen at each end), on the decision's basis (NPV by default,
  or the undiscounted total), with the input at the low and at the high end of its range,
  sorted by swing.
- :func:`flips`: for the most influential inputs (the top of the tornado) and any named,
  every value in the scanned range at which the recommendation changes (it can change more
  than once along one input: cloud, edge, cloud, edge), or "no flip from a to b". The
  recommendation is a step function of the input, so the search is a bracketing one: a scan of
  the search range (65 values) in one batch, then k-section (16 points per batch) of each
  bracket to a relative width of ``rtol`` (1e-4). A stretch narrower than one scan step can be
  missed; the scanned range is stated with every result.
- :func:`sweep`: a tidy frame over a grid of values of one or several inputs.

Inputs that change structure (a device, an instance, a region, a residency rule) are text, not
numbers, and are not sweepable: compare two scenarios with ``edgecalc diff`` instead.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from .. import limits
from ..catalog import Catalog, load_catalog
from ..errors import EdgecalcError
from ..format import input_value
from ..pipeline.compute import compute
from ..pipeline.prepare import prepare
from ..pipeline.resolve import Resolved, point_inputs
from ..scenario.models import Scenario
from .backend import Backend
from .fields import _field_annotation, field_info, field_spec
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

CONSTRAINT_FLIP_PATHS: dict[str, tuple[str, ...]] = {
    "latency": (
        "sites.uplink_mbps",
        "workload.request_bytes",
        "sites.rtt_ms",
        "latency.budget_ms",
    ),
    "escalation_latency": ("hybrid.escalation_bytes", "sites.uplink_mbps", "sites.rtt_ms"),
    "uplink": ("sites.uplink_mbps", "workload.request_bytes", "workload.inferences_per_second"),
    "fit": ("model.parameters",),
    "capacity": ("workload.inferences_per_second",),
}
"""Per hard constraint, the inputs that move it most directly. When a constraint rules out an
option that costs less than the recommendation, a cost tornado does not find what would
change the verdict (a faster uplink, a smaller request): :func:`flips` searches these too."""

MAX_CONSTRAINT_FLIP_PATHS = 4
"""At most this many constraint inputs are added to a flips search [inputs]."""

_SCAN_POINTS = 65
_REFINE_POINTS = 16


# --------------------------------------------------------------------------- evaluating points


class InputPathError(EdgecalcError):
    """A path given to :func:`sweep`, :func:`tornado` or :func:`flips` names no input it can
    vary (a misspelt path, one that selects structure, or one with no value to search
    around): the caller's words are wrong, not the scenario (the command line exits with its
    usage code)."""


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
    broken: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per option, the hard constraints it breaks at the point estimate."""
    probed: dict[str, _Probe] = field(default_factory=dict)
    """Per file field: whether it acts only as an engine input, and the values probed
    (:func:`_direct_paths`)."""

    def point_value(self, path: str) -> float:
        if path in self.x:
            return float(self.x[path][0])
        if (
            path.startswith("sites.")
            and not path.startswith("sites.list.")
            and (self.scenario.sites.list)
        ):
            field = path.removeprefix("sites.")
            raise InputPathError(
                f"{path}: this scenario lists its site groups (sites.list); search one "
                f"group's, such as sites.list.0.{field}"
            )
        raise InputPathError(
            f"{path} is not set in this scenario (its section is not written), so there is no "
            "value to search from; write it in the scenario, then search it"
        )

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
        broken={
            o: tuple(v.constraint for v in a.violations if bool(np.asarray(v.mask).flat[0]))
            for o, a in out.options.items()
        },
    )


def _constraint_paths(base: _Base) -> list[str]:
    """Inputs behind the hard constraints that rule out an option cheaper than the
    recommendation, on the decision's basis (:data:`CONSTRAINT_FLIP_PATHS`); those the
    scenario has as numeric inputs, at most :data:`MAX_CONSTRAINT_FLIP_PATHS`."""
    cost = base.npv_usd if base.scenario.decision.basis == "npv" else base.total_usd
    ceiling = cost.get(base.recommendation, math.inf)
    out: list[str] = []
    for o in base.options:
        if base.feasible[o] or not cost[o] < ceiling:
            continue
        for constraint in base.broken.get(o, ()):
            out += [
                p for p in CONSTRAINT_FLIP_PATHS.get(constraint, ()) if p in base.x and p not in out
            ]
    return out[:MAX_CONSTRAINT_FLIP_PATHS]


def _check_path(base: _Base, path: str) -> None:
    """Raise a clear error unless ``path`` is a numeric input that can be set per point."""
    if path.split(".")[0] == "hybrid" and base.scenario.hybrid is None:
        raise InputPathError(f"{path}: the scenario has no hybrid option (hybrid: null)")
    if path in base.x or field_spec(path) is not None:
        return
    if _field_annotation(path) is not None:
        raise InputPathError(
            f"{path} is not a number: it selects structure (a catalog item, a rule or a "
            "section), so it cannot be swept or searched; compare two scenarios with "
            "edgecalc diff instead"
        )
    raise InputPathError(
        f"{path} is not an input of this scenario; inputs are dotted paths such as "
        "workload.inferences_per_second or edge.device_usd (see the assumptions table)"
    )


def _path_list(paths: str | Sequence[str] | None, argument: str = "paths") -> list[str] | None:
    """``paths`` as a list: one path given as a string is a list of one (iterating a string
    would read each of its letters as a path); any other iterable of strings (a list, a
    pandas Series such as a tornado's ``path`` column) as its items.

    Raises
    ------
    EdgecalcError
        When ``paths`` is neither a string nor an iterable of strings.
    """
    if paths is None:
        return None
    if isinstance(paths, str):
        return [paths]
    if isinstance(paths, Mapping | bytes) or not isinstance(paths, Iterable):
        raise EdgecalcError(
            f"{argument}: a list of input paths such as ['workload.inferences_per_second'], "
            f"got {type(paths).__name__}"
        )
    listed = list(paths)
    for p in listed:
        if not isinstance(p, str):
            raise EdgecalcError(f"{argument}: input paths are text, got {p!r}")
    return listed


def _grid_values(path: str, values: Any) -> list[float]:
    """The finite numbers to sweep ``path`` over, from a grid's entry.

    Raises
    ------
    EdgecalcError
        When the entry is not a non-empty sequence of finite numbers.
    """
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        one = f"[{values!r}]" if isinstance(values, int | float) else "[1.5]"
        raise EdgecalcError(
            f"{path}: give a list of numbers to sweep, even for one value ({path}: {one}); "
            f"got {values!r}"
        )
    vs = list(itertools.islice(values, limits.SWEEP_POINTS + 1))
    if not vs:
        raise EdgecalcError(f"{path}: no values to sweep")
    if len(vs) > limits.SWEEP_POINTS:
        raise EdgecalcError(
            f"{path}: more than {limits.SWEEP_POINTS:,} values; a sweep evaluates at most "
            f"{limits.SWEEP_POINTS:,} points"
        )
    for v in vs:
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
            raise EdgecalcError(f"{path}: sweep values must be numbers, got {v!r}")
        if not math.isfinite(float(v)):
            raise EdgecalcError(f"{path}: sweep values must be finite numbers, got {v!r}")
    return [float(v) for v in vs]


def _search_ranges(search: Any) -> dict[str, tuple[float, float]]:
    """``flips``' search ranges, each a pair of finite numbers, low first.

    Raises
    ------
    EdgecalcError
        When ``search`` is not a mapping of path to two finite numbers.
    """
    if search is None:
        return {}
    if not isinstance(search, Mapping):
        raise EdgecalcError(
            "search: a mapping of input path to (low, high), such as "
            f"{{'edge.device_usd': (100, 5000)}}; got {type(search).__name__}"
        )
    out = {}
    for path, bounds in search.items():
        pair = list(bounds) if isinstance(bounds, Sequence | np.ndarray) else None
        if (
            not isinstance(path, str)
            or isinstance(bounds, str)
            or pair is None
            or len(pair) != 2
            or not all(
                isinstance(v, int | float | np.integer | np.floating)
                and not isinstance(v, bool)
                and math.isfinite(float(v))
                for v in pair
            )
        ):
            raise EdgecalcError(
                f"search: {path!r} maps to {bounds!r}; give each input path two finite "
                "numbers, (low, high)"
            )
        out[path] = (float(pair[0]), float(pair[1]))
    return out


BATCH_POINTS = 2_000
"""Points evaluated per engine call at most [points]; about 60 MB of engine arrays for a
60-month scenario (as :data:`~edgecalc.uncertainty.simulate.DEFAULT_CHUNK_SIZE`)."""

Progress = Callable[[int, int], None]
"""``progress(done, total)``: points evaluated so far and the points to evaluate [points]."""


def evaluate_batch(resolved: Resolved, x: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """One engine call on a batch of points stacked along the sample axis.

    A pure top-level function of the resolution and the input arrays, so that a backend can
    ship it to another process.

    Parameters
    ----------
    resolved : Resolved
        The resolution every point of the batch shares.
    x : mapping of str to ndarray
        Every engine input, shape ``(points,)`` [unit of the input].

    Returns
    -------
    dict
        ``total_usd``, ``npv_usd``, ``feasible``: per option an array ``(points,)``;
        ``recommendation``: array of str ``(points,)``.
    """
    out = compute(resolved, dict(x))
    return {
        "total_usd": {o: a.total_usd for o, a in out.options.items()},
        "npv_usd": {o: a.npv_usd for o, a in out.options.items()},
        "feasible": {o: a.feasible for o, a in out.options.items()},
        "recommendation": out.recommendation,
    }


def _substituted(
    base: _Base, values: Mapping[str, float], x: Mapping[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """The input arrays ``x`` (default the point inputs) with ``values`` set, and every input
    that copies one of them (a range's aliases, or those a probe found)."""
    aliases = {inp.path: inp.aliases for inp in base.ranged}
    x = dict(base.x if x is None else x)
    for p, v in values.items():
        if p not in x:
            raise InputPathError(f"{p} is not an input of this scenario")
        probed = base.probed.get(p)
        copies = probed.aliases if probed is not None and probed.direct else ()
        for q in dict.fromkeys((p, *aliases.get(p, ()), *copies)):
            x[q] = np.array([float(v)])
    return x


def _same_outputs(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    if not np.array_equal(a["recommendation"], b["recommendation"]):
        return False
    return all(
        a[k].keys() == b[k].keys() and all(np.array_equal(a[k][o], b[k][o]) for o in a[k])
        for k in ("total_usd", "npv_usd", "feasible")
    )


@dataclass(frozen=True)
class _Probe:
    """What probing a file field found: whether setting it in the file and resolving again is
    the same as setting its engine input, the inputs that copy it, and the values probed."""

    direct: bool
    aliases: tuple[str, ...]
    low: float
    high: float


def _copies(base: _Base, path: str, value: float) -> tuple[str, ...] | None:
    """The inputs that take ``value`` with ``path`` when the file sets it and the scenario is
    resolved again, or None when that resolution differs from setting ``path`` and those
    inputs in the point inputs (other arrays, another structure (:func:`fingerprint`) or
    other engine outputs)."""
    s = with_overrides(base.scenario, {path: value})
    r = prepare(s, base.catalog, base.base_dir)
    x = point_inputs(r)
    if x.keys() != base.x.keys():
        return None
    changed = [k for k in x if k != path and not np.array_equal(x[k], base.x[k])]
    if not all(np.array_equal(x[k], [value]) for k in changed):
        return None
    xs = dict(base.x) | {k: np.array([float(value)]) for k in (path, *changed)}
    if not np.array_equal(x[path], xs[path]) or fingerprint(r, x) != fingerprint(base.resolved, xs):
        return None
    if not _same_outputs(evaluate_batch(r, x), evaluate_batch(base.resolved, xs)):
        return None
    return tuple(changed)


_MIN_VALUES_TO_PROBE = 4
"""A field with fewer distinct values is re-resolved at each (probing costs three
resolutions) [values]."""


def _direct_paths(base: _Base, points: Sequence[Mapping[str, float]]) -> set[str]:
    """The file fields among ``points`` that can be set in the input arrays, not re-resolved.

    A field qualifies when it is an engine input of this scenario, the edge device is not
    chosen automatically (``edge.device: auto`` ranks devices on the inputs), and at its
    smallest, largest and middle value (other than its point value) the re-resolved scenario
    gives exactly the arrays, structure and outputs of the substitution, with the same inputs
    copying it each time (:func:`_copies`). What a probe found is kept on ``base`` with the
    values probed; a value outside them is probed again.
    """
    values: dict[str, list[float]] = {}
    for point in points:
        for p, v in point.items():
            if field_spec(p) is not None:
                values.setdefault(p, []).append(float(v))
    direct = set()
    for p, vs in values.items():
        if p not in base.x or base.resolved.device_selection is not None:
            continue
        known = base.probed.get(p)
        lo, hi = min(vs), max(vs)
        if known is not None and (not known.direct or (known.low <= lo and hi <= known.high)):
            if known.direct:
                direct.add(p)
            continue
        distinct = sorted(set(vs) - {base.point_value(p)})
        if not distinct:  # every value is the point value: the point inputs as they are
            direct.add(p)
            continue
        if len(distinct) + 1 < _MIN_VALUES_TO_PROBE and known is None:
            continue
        probes = dict.fromkeys([distinct[0], distinct[-1], distinct[len(distinct) // 2]])
        found = {_copies(base, p, v) for v in probes}
        ok = len(found) == 1 and None not in found
        aliases = next(iter(found)) if ok else ()
        if known is not None and known.direct and ok and known.aliases == aliases:
            lo, hi = min(lo, known.low), max(hi, known.high)
        elif known is not None and known.direct:
            ok = False
        base.probed[p] = _Probe(ok, aliases, lo, hi)
        if ok:
            direct.add(p)
    return direct


@functools.lru_cache(maxsize=256)
def _field_validator(path: str) -> TypeAdapter:
    """The validator of one numeric field (its bounds, magnitude and whole-number checks)."""
    return TypeAdapter(field_info(path).annotation)


def _check_points(base: _Base, points: Sequence[Mapping[str, float]], fields: set[str]) -> None:
    """Raise the error validating the file gives for the first point with a value of one of
    ``fields`` that the field refuses (bounds, magnitude, whole numbers)."""
    for point in points:
        for p in fields & point.keys():
            try:
                _field_validator(p).validate_python(float(point[p]))
            except ValidationError:
                in_file = {q: float(v) for q, v in point.items() if field_spec(q) is not None}
                with_overrides(base.scenario, in_file)  # raises ScenarioError naming the field
                raise  # pragma: no cover - the file's validation refuses what the field does


def _evaluate_points(
    base: _Base, points: Sequence[Mapping[str, float]], progress: Progress | None = None
) -> dict[str, Any]:
    """Evaluate every point (inputs set, the rest at point values) in as few engine calls as
    the structure allows, at most :data:`BATCH_POINTS` points a call.

    A point whose fields act only as engine inputs (:func:`_direct_paths`) is the point
    inputs with its values set; any other point is re-resolved (points with the same fields
    share one resolution). Points of one structure (:func:`fingerprint`) are stacked along the
    sample axis and evaluated by :func:`evaluate_batch`.

    Returns
    -------
    dict
        ``total_usd``, ``npv_usd``, ``feasible``: per option an array ``(len(points),)``;
        ``recommendation``: array of str.
    """
    fields = {p for point in points for p in point if field_spec(p) is not None and p in base.x}
    _check_points(base, points, fields)  # before any probe: the first bad point, as per point
    direct = _direct_paths(base, points)
    cache: dict[tuple, tuple[Resolved, dict[str, np.ndarray]]] = {}
    prepared = []
    for point in points:
        in_file = {p: float(v) for p, v in point.items() if field_spec(p) is not None}
        if in_file.keys() <= direct:
            prepared.append((base.resolved, _substituted(base, point)))
            continue
        key = tuple(sorted(in_file.items()))
        if key not in cache:
            s = with_overrides(base.scenario, in_file)
            r = prepare(s, base.catalog, base.base_dir)
            cache[key] = (r, point_inputs(r))
        r, x = cache[key]
        rest = {p: v for p, v in point.items() if p not in in_file}
        prepared.append((r, _substituted(base, rest, x) if rest else x))

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
    done = 0
    for members in groups.values():
        for start in range(0, len(members), BATCH_POINTS):
            batch = members[start : start + BATCH_POINTS]
            r, first = prepared[batch[0]]
            stacked = {k: np.concatenate([prepared[i][1][k] for i in batch]) for k in first}
            out = evaluate_batch(r, stacked)
            index = np.asarray(batch)
            for o in base.options:
                for k in ("total_usd", "npv_usd", "feasible"):
                    result[k][o][index] = out[k][o]
            result["recommendation"][index] = out["recommendation"]
            done += len(batch)
            if progress is not None:
                progress(done, n)
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


SWING_ROUNDING = 1e-9
"""A tornado swing at most this fraction of the costs compared is taken as 0 [-]: an input
that moves both options' costs by the same amount leaves their difference the same, but
summed in another order it differs in the last bits (5.8e-11 USD on NPVs of $300,000, where
a double holds about 16 digits); such an input is not among the top inputs ``flips``
searches."""


def tornado(
    scenario: Scenario | str | Path,
    paths: str | Sequence[str] | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """The recommendation's cost against the best feasible alternative at each range's ends.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A scenario or the path of a scenario file.
    paths : str or sequence of str, optional
        Ranged inputs to include (one path alone as a string); default every range
        (including an estimated RTT).
    overrides, catalog, base_dir
        As in :func:`edgecalc.uncertainty.simulate.simulate`.
    progress : callable, optional
        ``progress(done, total)`` after each batch of points [points].

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
        (NaN when an end has no feasible alternative; 0 when it is within
        :data:`SWING_ROUNDING` of the costs compared) [USD]; recommendation_low,
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
    paths = _path_list(paths)
    base = _prepare(scenario, overrides, catalog, base_dir)
    by_path = base.ranged_by_path()
    if paths is None:
        chosen = [inp for inp in base.ranged if inp.low != inp.high]
    else:
        chosen = []
        for p in paths:
            if p not in by_path:
                raise InputPathError(
                    f"{p} is not a range in this scenario; give it a range {{low, high}} or "
                    "sweep it"
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
    out = _evaluate_points(base, points, progress)
    rows = []
    for i, inp in enumerate(chosen):
        ends, scale = [], 0.0
        for k in (2 * i, 2 * i + 1):
            alt, alt_cost = _best_feasible_other(out, key, recommended, k)
            own = float(out[key][recommended][k])
            ends.append((alt, own - alt_cost))
            scale = max(scale, abs(own), abs(alt_cost))
        (alt_low, low_diff), (alt_high, high_diff) = ends
        swing = abs(high_diff - low_diff)
        if swing <= SWING_ROUNDING * scale:  # the same difference, summed in another order
            swing = 0.0
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
                "swing_usd": swing,
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


_REFINE_GUESS = 4 * _REFINE_POINTS
"""Refinement points planned per searched input before its scan says how many brackets it has
(progress only) [points]."""


class _Tally:
    """Points evaluated over points planned, across the steps of one search, for
    ``progress(done, total)``: the total grows as brackets appear; ``done`` reaches it only at
    :meth:`finish`, so a bar ends once."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.done = 0
        self.planned = 0

    def plan(self, points: int) -> None:
        """Expect ``points`` more from here on."""
        self.planned = self.done + points

    def callback(self) -> Progress | None:
        """A ``progress`` for the next evaluation, counted after what is done."""
        if self.progress is None:
            return None
        report = self.progress

        def step(done: int, total: int) -> None:
            now = self.done + done
            report(now, max(self.planned, now + 1))

        return step

    def advance(self, points: int) -> None:
        self.done += points

    def run(self, base: _Base, points: Sequence[Mapping[str, float]]) -> dict[str, Any]:
        out = _evaluate_points(base, points, self.callback())
        self.advance(len(points))
        return out

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.done)


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

    def points_to_go(self, rtol: float) -> int:
        """Points the k-section still needs to reach ``rtol`` (an estimate for progress)."""
        width = self.hi - self.lo
        target = 1.0 if self.integer else rtol * max(abs(self.lo), abs(self.hi), 1e-12)
        if width <= target:
            return 0
        return _REFINE_POINTS * math.ceil(math.log(width / target) / math.log(_REFINE_POINTS + 1))

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


def _edge_sentence(path: str, direction: str, value: float, near: str, far: str, v0: float,
                   rec0: str, integer: bool, scanned: str) -> str:  # fmt: skip
    """One change of recommendation in words; ``near`` is recommended on the side towards the
    point value ``v0`` (where ``rec0`` is), ``far`` beyond the edge."""
    now = f"(now {input_value(v0)}: {rec0}; scanned {scanned})"
    if near != rec0:  # a further change: say what it replaces
        now = f"(replacing {near}; now {input_value(v0)}: {rec0}; scanned {scanned})"
    if integer:
        side = "more" if direction == "above" else "less"
        where = f"when {path} is {input_value(value)} or {side}"
    else:
        where = f"when {path} is {direction} {input_value(value)}"
    if far == "none":
        return f"no option is feasible {where} {now}"
    return f"{far} becomes the recommendation {where} {now}"


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
        f"{'no option feasible' if rec == 'none' else rec} from {input_value(lo)} "
        f"to {input_value(hi)}"
        for rec, lo, hi in zip(recs, bounds[:-1], bounds[1:], strict=True)
    ]
    scanned = f"{input_value(a)} to {input_value(b)}"
    return f"{path} over the scanned {scanned} (now {input_value(v0)}: {rec0}): " + (
        ", ".join(parts)
    )


def flips(  # noqa: C901 - see [tool.ruff.lint.mccabe] in pyproject.toml
    scenario: Scenario | str | Path,
    paths: str | Sequence[str] | None = None,
    search: Mapping[str, tuple[float, float]] | None = None,
    *,
    top: int = 5,
    rtol: float = 1e-4,
    overrides: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Every value in the scanned range at which the recommendation changes.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A scenario or the path of a scenario file.
    paths : str or sequence of str, optional
        Inputs to search in addition to the ``top`` of the tornado (any numeric input, ranged
        or not; one path alone as a string).
    search : mapping of str to (float, float), optional
        Search range per path [unit of the input]. Default ``[low / 10, high * 10]`` of the
        input's range (or of its point value) when positive, else the range widened by ten
        widths each side; always within the field's bounds (a fraction stays in [0, 1]).
    top : int
        How many inputs to take from the top of the tornado; when the scenario has fewer
        ranges, :data:`DEFAULT_FLIP_PATHS` fill up. With ``top`` above 0, the inputs behind a
        hard constraint that rules out an option cheaper than the recommendation are searched
        first, in addition (:data:`CONSTRAINT_FLIP_PATHS`).
    rtol : float
        Relative width of the final bracket [-]; integer inputs are searched to the integer.
    overrides, catalog, base_dir
        As in :func:`edgecalc.uncertainty.simulate.simulate`.
    progress : callable, optional
        ``progress(done, total)`` after each batch of points [points]; the total grows as
        the search finds brackets, and ``done`` equals it once, at the end.

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
    paths = _path_list(paths)
    search = _search_ranges(search)
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 0:
        raise EdgecalcError(f"top: a whole number of inputs >= 0, got {top!r}")
    if (
        isinstance(rtol, bool)
        or not isinstance(rtol, int | float | np.integer | np.floating)
        or not 0 < rtol < 1
    ):
        raise EdgecalcError(
            f"rtol: the final bracket's relative width, a number above 0 and below 1 "
            f"(default 1e-4), got {rtol!r}"
        )
    base = _prepare(scenario, overrides, catalog, base_dir)
    tally = _Tally(progress)
    chosen: list[str] = []
    if top > 0:
        ends = 2 * len(base.ranged)
        tally.plan(ends + top * (_SCAN_POINTS + _REFINE_GUESS))
        t = tornado(
            base.scenario,
            catalog=base.catalog,
            base_dir=base.base_dir,
            progress=tally.callback(),
        )
        tally.advance(ends)
        chosen += _constraint_paths(base)
        extra = len(chosen)
        chosen += [p for p in t["path"][t["swing_usd"] > 0].head(top) if p not in chosen]
        for p in DEFAULT_FLIP_PATHS:
            if len(chosen) - extra >= top:
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
    tally.plan(len(points) + len(scans) * _REFINE_GUESS)
    recs = tally.run(base, points)["recommendation"] if points else np.array([])
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
        tally.plan(sum(b.points_to_go(rtol) for b in active))
        interiors = [b.interior() for b in active]
        points = [
            {b.path: float(v)} for b, inner in zip(active, interiors, strict=True) for v in inner
        ]
        recs = tally.run(base, points)["recommendation"]
        start = 0
        for b, inner in zip(active, interiors, strict=True):
            extra = b.narrow(inner, recs[start : start + inner.size])
            start += inner.size
            if extra is not None:
                brackets.append(extra)

    tally.finish()
    rows: list[dict[str, Any]] = []
    for p in chosen:
        v0, a, hi, integer, rec0 = meta[p]
        scanned = f"{input_value(a)} to {input_value(hi)}"
        mine = sorted((b for b in brackets if b.path == p), key=lambda b: b.lo)
        if not mine:
            no_flip = (
                f"{p}: no flip from {input_value(a)} to {input_value(hi)} ({rec0} "
                f"throughout the {_SCAN_POINTS} values scanned)"
            )
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
                    "sentence": no_flip,
                    "intervals": no_flip,
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
    return sorted(seen, key=lambda t: ": no flip from " in t)


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
    progress: Progress | None = None,
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
    overrides, catalog, base_dir
        As in :func:`edgecalc.uncertainty.simulate.simulate`.
    progress : callable, optional
        ``progress(done, total)`` after each batch of points [points].
    scheduler, workers
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
    if not isinstance(grid, Mapping):
        raise EdgecalcError(
            "sweep: the grid maps each input path to its values, such as "
            f"{{'workload.inferences_per_second': [5, 10, 20]}}; got {type(grid).__name__}"
        )
    if not grid:
        raise EdgecalcError("sweep needs at least one path and its values")
    base = _prepare(scenario, overrides, catalog, base_dir)
    paths = _path_list(list(grid), "grid") or []
    values = []
    for p in paths:
        _check_path(base, p)
        values.append(_grid_values(p, grid[p]))
    points = math.prod(len(v) for v in values)
    if points > limits.SWEEP_POINTS:
        raise EdgecalcError(
            f"the sweep grid has {points:,} points; a sweep evaluates at most "
            f"{limits.SWEEP_POINTS:,}"
        )
    combos = list(itertools.product(*values))
    grid_points = [dict(zip(paths, c, strict=True)) for c in combos]
    if scheduler is None and workers is None:
        out = _evaluate_points(base, grid_points, progress)
    else:
        out = evaluate_grid(_evaluate_points, base, grid_points, scheduler, workers, progress)
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

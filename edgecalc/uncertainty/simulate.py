"""Monte Carlo over a scenario's ranges: sample every range, run the engine on the batch, summarise.

``simulate(scenario)`` samples every :class:`~edgecalc.scenario.ranges.Range` among the resolved
inputs, evaluates all samples with :func:`edgecalc.pipeline.compute.compute` (the function
behind the point estimate, vectorised over the leading sample axis; chunks only bound memory)
and summarises: fans of cumulative cost, distributions of NPV, total and break-even month, the
probability that each option is feasible and cheapest, and how often the point recommendation
holds.

How inputs are sampled
----------------------
- Each range is a 90% interval (lognormal when positive, normal otherwise) or the support of a
  uniform/triangular law (:mod:`edgecalc.uncertainty.distributions`). One uniform per input
  and sample goes through the range's inverse CDF.
- Samples are truncated (inverse-CDF method, nothing clipped or resampled) to the range's own
  ``min``/``max`` and to the field's schema bounds, so a fraction never leaves [0, 1] and a
  count never drops below its minimum. Integer inputs (counts, months) are sampled as reals
  and rounded by the engine.
- Inputs named in ``scenario.correlations`` get rank-correlated uniforms
  (:func:`~edgecalc.uncertainty.correlation.correlated_uniforms`, a Gaussian copula); the
  others independent ones.
- Inputs that default to another (``hybrid.device_usd`` to ``edge.device_usd`` when no hybrid
  device is named, ``hybrid.escalation_bytes`` to ``workload.request_bytes``) share that
  input's samples.
- An RTT estimated from distance is a range the resolver makes (``sites.rtt_ms``); it is
  sampled like any other, so cloud feasibility reflects the RTT tail. Site groups' estimated
  RTTs are sampled independently.
- A few ranges act only through the resolver, not through an engine input (a flat
  ``cloud.egress_usd_per_gb``, ``latency.percentile`` and ``cloud.rtt.access_ms`` of an RTT
  estimate): Monte Carlo holds them at their median and says so in ``Simulation.warnings``;
  :func:`edgecalc.uncertainty.sensitivity.tornado` and ``sweep`` do capture their effect.
- A range on ``horizon_months`` is not supported (the horizon sets the shape of every array).

Reproducibility
---------------
Samples are drawn seed block by seed block, block ``i`` from its own generator spawned from the
seed (:mod:`edgecalc.uncertainty.chunks`). The same ``seed`` (or the same ``rng`` state), the
same ``samples`` *and the same* ``chunk_size`` give identical numbers; a different chunk size
gives statistically equivalent but different numbers. ``Simulation.to_dict()`` records all
three. How many samples one engine call holds (the batch, chosen from memory) and where the
batches run (this process or a Dask cluster, :mod:`edgecalc.uncertainty.backend`) change no
number.

Memory
------
Per-sample scalars (total, NPV, feasibility, recommendation and break-even months per option,
and the sampled inputs) are kept in full: about 8 bytes x (5 x options + inputs) per sample.
The monthly cumulative cost is not kept; its fan is computed exactly in a stream
(:class:`~edgecalc.uncertainty.summary.StreamingQuantiles`): the first ``PILOT_SIZE`` samples
set its brackets, the others are counted against them wherever they are evaluated. The engine
holds one batch at a time, sized from the bytes one sample takes (measured on the point
estimate) and a memory budget (:func:`edgecalc.uncertainty.chunks.batch_memory_bytes`).
1,000,000 samples x 60 months stay under 1 GB (see ``benchmarks/bench_simulate.py`` and
docs/dask.md).
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import marshal
import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import limits
from ..catalog import Catalog, load_catalog
from ..errors import EdgecalcError
from ..format import number, usd
from ..markdown_text import code, esc
from ..pipeline.compute import compute
from ..pipeline.prepare import prepare
from ..pipeline.resolve import Resolved, point_inputs
from ..scenario.loader import apply_overrides, load_scenario, scenario_source, validate
from ..scenario.models import Scenario
from ..scenario.ranges import Range, median
from . import chunks
from .backend import Backend, default_threads, open_backend
from .batches import BatchResult, BatchTask, SamplingPlan, evaluate_batch
from .chunks import (
    as_seed_sequence,
    batch_size,
    cache_batch_size,
    iter_batches,
    run_batch_size,
)
from .defaults import default_ranges, with_default_ranges
from .fields import FieldSpec, field_spec
from .influence import rank_by_influence
from .summary import DEFAULT_PERCENTILES, StreamingQuantiles, percentiles, stability

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "FieldSpec",
    "RangedInput",
    "Simulation",
    "field_spec",
    "fingerprint",
    "load",
    "ranged_inputs",
    "simulate",
    "with_overrides",
]

DEFAULT_CHUNK_SIZE = 2_000
"""Samples per seed block [samples]. Part of the seed: another chunk size gives other (equally
valid) numbers. Not the batch an engine call holds, which comes from memory."""

_QS = DEFAULT_PERCENTILES


# --------------------------------------------------------------------------- scenario helpers


def load(
    scenario_or_path: Scenario | str | Path,
    overrides: Mapping[str, Any] | None = None,
    base_dir: str | Path | None = None,
) -> tuple[Scenario, Path | None]:
    """The scenario (overrides applied) and the folder its relative paths resolve against."""
    if isinstance(scenario_or_path, (str, Path)):
        scenario = load_scenario(scenario_or_path, overrides)
        default_dir = Path(scenario_or_path).parent
    else:
        source = scenario_source(scenario_or_path)
        default_dir = source.path.parent if source is not None and source.path else None
        scenario = with_overrides(scenario_or_path, overrides) if overrides else scenario_or_path
    chosen = base_dir if base_dir is not None else default_dir
    return scenario, (Path(chosen) if chosen is not None else None)


def with_overrides(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A copy of ``scenario`` with dotted paths set, validated like a file.

    Raises
    ------
    ScenarioError
        When a value breaks the schema (the message names the field and what is allowed).
    """
    data = scenario.model_dump(mode="json", exclude_unset=True)
    return validate(apply_overrides(data, dict(overrides)), {}, dict(overrides))


def fingerprint(resolved: Resolved, x: Mapping[str, np.ndarray]) -> tuple:
    """What the engine takes from ``resolved`` rather than from the input arrays.

    Two resolutions with equal fingerprints can be evaluated in one engine call (their inputs
    stacked along the sample axis). The horizon is the median of ``x["horizon_months"]``; of
    one value, that value itself (what ``numpy.median`` returns for it, without its sort).
    """
    horizon = x["horizon_months"]
    return (
        round(float(np.ravel(horizon)[0] if np.size(horizon) == 1 else np.median(horizon))),
        tuple(sorted(x)),
        resolved.egress_tiers,
        tuple(resolved.groups),
        resolved.payload_measured,
    )


@dataclass(frozen=True)
class RangedInput:
    """One sampled input: its range, the paths sharing its samples and its truncation."""

    path: str
    range: Range
    aliases: tuple[str, ...]
    """Other input paths that take the same value (defaults copied from this one)."""
    lower: float | None
    """Truncation below: the larger of the range's ``min`` and the schema bound [unit]."""
    upper: float | None
    """Truncation above: the smaller of the range's ``max`` and the schema bound [unit]."""

    @property
    def low(self) -> float:
        """The range's low end, inside the truncation [unit of the input]."""
        return float(np.clip(self.range.low, *self._bounds()))

    @property
    def high(self) -> float:
        """The range's high end, inside the truncation [unit of the input]."""
        return float(np.clip(self.range.high, *self._bounds()))

    def _bounds(self) -> tuple[float, float]:
        return (
            -math.inf if self.lower is None else self.lower,
            math.inf if self.upper is None else self.upper,
        )


def _truncation(r: Range, spec: FieldSpec | None) -> tuple[float | None, float | None]:
    lower, upper = r.min, r.max
    if spec is not None:
        if math.isfinite(spec.lower) and not (r.shape == "lognormal" and spec.lower <= 0):
            lower = spec.lower if lower is None else max(lower, spec.lower)
        if math.isfinite(spec.upper):
            upper = spec.upper if upper is None else min(upper, spec.upper)
    return lower, upper


_RANGED_PATHS: dict[int, tuple[weakref.ref, frozenset[str]]] = {}
"""Per live scenario (by identity), the paths it gives as ranges (:func:`_ranged_paths`)."""


def _ranged_paths(scenario: Scenario) -> frozenset[str]:
    """``scenario.ranged_paths()``, remembered while the scenario lives.

    The walk looks at a scenario's model fields and tuples only, and a scenario is frozen
    (its fields cannot be set, its tuples cannot change), so the answer for one object never
    changes; a simulation of a loaded scenario asks for it on every run. An object that
    cannot be weakly referenced is walked every time.
    """
    key = id(scenario)
    kept = _RANGED_PATHS.get(key)
    if kept is not None and kept[0]() is scenario:
        return kept[1]
    paths = frozenset(scenario.ranged_paths())
    try:
        ref = weakref.ref(scenario, lambda _, key=key: _RANGED_PATHS.pop(key, None))
    except TypeError:
        return paths
    _RANGED_PATHS[key] = (ref, paths)
    return paths


def ranged_inputs(resolved: Resolved) -> list[RangedInput]:
    """Every range among the resolved inputs, one entry per independent quantity.

    Paths holding the very same Range object (a default copied from another input) share one
    entry; the path the user wrote comes first.

    Raises
    ------
    EdgecalcError
        When ``horizon_months`` is a range (not supported).
    """
    by_object: dict[int, list[str]] = {}
    for path, value in resolved.values.items():
        if isinstance(value, Range):
            by_object.setdefault(id(value), []).append(path)
    user_paths: frozenset[str] | None = None  # looked up once some input has several paths
    out = []
    for paths in by_object.values():
        if len(paths) > 1:
            if user_paths is None:
                user_paths = _ranged_paths(resolved.scenario)
            paths = sorted(paths, key=lambda p: (p not in user_paths, paths.index(p)))
        primary = paths[0]
        if primary == "horizon_months":
            raise EdgecalcError(
                "horizon_months is a range, which Monte Carlo and sensitivity do not support "
                "(the horizon sets the number of months of every array); give one number and "
                "compare horizons with a sweep over horizon_months"
            )
        r = resolved.values[primary]
        lower, upper = _truncation(r, field_spec(primary))
        out.append(RangedInput(primary, r, tuple(paths[1:]), lower, upper))
    return out


# --------------------------------------------------------------------------- the simulation


@dataclass
class Simulation:
    """The outcome of :func:`simulate`: per-sample arrays and their summaries.

    Attributes
    ----------
    total_usd, npv_usd : dict of str to numpy.ndarray
        Per option, each sample's total cost and net present value over the horizon, shape
        ``(samples,)`` [USD].
    feasible : dict of str to numpy.ndarray of bool
        Per option, whether each sample meets every hard constraint.
    recommendations : numpy.ndarray of str
        The recommendation of each sample (``cloud``, ``edge``, ``hybrid`` or ``none``).
    break_even_months : dict of (str, str) to numpy.ndarray
        Per ordered pair ``(option, against)``, the first month from which ``option`` has cost
        no more than ``against`` cumulatively, NaN when not within the horizon [month].
    inputs : dict of str to numpy.ndarray
        The sampled value of each ranged input [unit of the input].
    fan : pandas.DataFrame
        option, month, p5, p10, p50, p90, p95: percentiles of the cumulative cost at the end of
        each month [USD]. For a run of at most 20,000 samples it is computed on first access
        (sorting every month's samples), not by :func:`simulate` itself.
    """

    scenario_name: str
    samples: int
    seed: int | None
    chunk_size: int
    options: tuple[str, ...]
    point_recommendation: str
    point_total_usd: dict[str, float]
    point_npv_usd: dict[str, float]
    total_usd: dict[str, np.ndarray]
    npv_usd: dict[str, np.ndarray]
    feasible: dict[str, np.ndarray]
    recommendation_codes: np.ndarray
    break_even_months: dict[tuple[str, str], np.ndarray]
    inputs: dict[str, np.ndarray]
    ranges: dict[str, Range]
    correlations: dict[tuple[str, str], float]
    fan_quantiles: dict[str, StreamingQuantiles] = field(repr=False, compare=False)
    """Per option, the streamed percentiles of the cumulative cost the fan is read from;
    emptied once :attr:`fan` is built."""
    warnings: list[str] = field(default_factory=list)
    default_ranges: list = field(default_factory=list)
    """The defaults sampled over a range (:class:`~edgecalc.uncertainty.defaults.
    DefaultRange`: path, value, range, why, how); empty with ``pinned_defaults``."""
    group_verdicts: pd.DataFrame | None = None
    """With ``by_group=True`` and several site groups: per group, the share of samples in
    which the mixed plan puts it on each option (``p_<option>``, ``p_none``) [-]."""
    mixed_plan: dict[str, Any] | None = None
    """With ``by_group=True``: the mixed plan's cost P10/P50/P90 on the decision basis [USD]
    and ``probability_beats_every_single_plan`` [-]."""
    basis: str = "npv"
    """What the decision compares (the scenario's ``decision.basis``): ``npv`` or ``total``;
    :attr:`probability_cheapest` and :meth:`input_influence` rank the options on it."""
    _fan: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def fan(self) -> pd.DataFrame:
        """option, month, p5, p10, p50, p90, p95: percentiles of the cumulative cost at the end
        of each month [USD], built on first access."""
        if self._fan is None:
            self._fan = fan_table(self.fan_quantiles, self.options)
            self.fan_quantiles = {}
        return self._fan

    # ---------------------------------------------------------------- per-sample views
    @property
    def recommendations(self) -> np.ndarray:
        """The recommendation of each sample, shape ``(samples,)`` of str."""
        return np.asarray(self.recommendation_names, dtype=object)[self.recommendation_codes]

    @property
    def recommendation_names(self) -> tuple[str, ...]:
        """What ``recommendation_codes`` index: each option's name, then ``none``."""
        return (*self.options, "none")

    # ---------------------------------------------------------------- probabilities
    @property
    def probability_feasible(self) -> dict[str, float]:
        """Per option, the share of samples in which it is feasible [-]."""
        return {o: float(np.mean(self.feasible[o])) for o in self.options}

    def _decided_usd(self) -> dict[str, np.ndarray]:
        """Per option, each sample's cost on the decision's basis [USD]."""
        return self.npv_usd if self.basis == "npv" else self.total_usd

    @property
    def probability_cheapest(self) -> dict[str, float]:
        """Per option, the share of samples in which it is the cheapest feasible one, on the
        decision's basis (:attr:`basis`: NPV, or the undiscounted total over the horizon) [-];
        ties share the sample. The values sum to ``1 - probability_none_feasible``."""
        decided = self._decided_usd()
        costs_usd = np.stack([decided[o] for o in self.options])
        allowed = np.stack([self.feasible[o] for o in self.options])
        masked_usd = np.where(allowed, costs_usd, np.inf)
        winners = allowed & (masked_usd == masked_usd.min(axis=0))
        n_winners = winners.sum(axis=0)
        share = np.divide(winners, n_winners, out=np.zeros(winners.shape), where=n_winners > 0)
        return {o: float(p) for o, p in zip(self.options, share.mean(axis=1), strict=True)}

    @property
    def probability_none_feasible(self) -> float:
        """Share of samples in which no option is feasible [-]."""
        any_ok = np.zeros(self.samples, dtype=bool)
        for o in self.options:
            any_ok |= self.feasible[o]
        return float(1 - any_ok.mean())

    @property
    def recommendation_shares(self) -> dict[str, float]:
        """Share of samples recommending each of cloud, edge, hybrid and none [-]; sums to 1."""
        names = self.recommendation_names
        counts = np.bincount(self.recommendation_codes, minlength=len(names))
        return {r: float(counts[i] / self.samples) for i, r in enumerate(names)}

    @property
    def stability(self) -> float:
        """Share of samples whose recommendation equals the point recommendation [-]."""
        return stability(self.recommendations, self.point_recommendation)

    def input_influence(self) -> pd.DataFrame:
        """The sampled inputs, strongest first, by how they move the cost gap that decides.

        Returns
        -------
        pandas.DataFrame
            ``path``, ``spearman``: each ranged input's rank correlation with the gap, per
            sample, between the option the point estimate recommends (the cheapest at the
            point when none is feasible) and the cheapest other option, on the decision's
            basis (:attr:`basis`) [USD]; strongest first
            (:func:`~edgecalc.uncertainty.influence.rank_by_influence`). Read off the samples
            already drawn: no engine call. With one option, its cost.
        """
        point = self.point_npv_usd if self.basis == "npv" else self.point_total_usd
        decided = self._decided_usd()
        lead = (
            self.point_recommendation
            if self.point_recommendation in self.options
            else min(self.options, key=lambda o: point[o])
        )
        others = [decided[o] for o in self.options if o != lead]
        gap = decided[lead] - (np.min(others, axis=0) if others else 0.0)
        sampled = {k: v for k, v in self.inputs.items() if np.size(v) == np.size(gap)}
        return rank_by_influence(sampled, gap)

    # ---------------------------------------------------------------- tidy frames
    def _percentile_row(self, values: np.ndarray) -> dict[str, float]:
        ps = percentiles(values, _QS)
        return {f"p{q:g}": float(v) for q, v in zip(_QS, ps, strict=True)}

    @property
    def percentiles(self) -> pd.DataFrame:
        """option, metric (``total_usd`` or ``npv_usd``), mean, p5, p10, p50, p90, p95 [USD]."""
        rows = []
        for o in self.options:
            for metric, arrays in (("total_usd", self.total_usd), ("npv_usd", self.npv_usd)):
                values = arrays[o]
                rows.append(
                    {"option": o, "metric": metric, "mean": float(values.mean())}
                    | self._percentile_row(values)
                )
        return pd.DataFrame(rows)

    @property
    def break_even(self) -> pd.DataFrame:
        """option, against, probability (break-even within the horizon) and p10, p50, p90 of
        the break-even month among the samples that break even [month]."""
        rows = []
        for (a, b), months in self.break_even_months.items():
            reached = months[~np.isnan(months)]
            row = {"option": a, "against": b, "probability": reached.size / self.samples}
            for q in (10, 50, 90):
                row[f"p{q}"] = float(np.percentile(reached, q)) if reached.size else math.nan
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per option: point_total_usd, total_p10_usd, total_p50_usd, total_p90_usd,
        npv_p10_usd, npv_p50_usd, npv_p90_usd, probability_feasible, probability_cheapest,
        recommendation_share."""
        feasible = self.probability_feasible
        cheapest = self.probability_cheapest
        shares = self.recommendation_shares
        rows = []
        for o in self.options:
            total = percentiles(self.total_usd[o], (10, 50, 90))
            npv_usd = percentiles(self.npv_usd[o], (10, 50, 90))
            rows.append(
                {
                    "option": o,
                    "point_total_usd": self.point_total_usd[o],
                    "total_p10_usd": float(total[0]),
                    "total_p50_usd": float(total[1]),
                    "total_p90_usd": float(total[2]),
                    "npv_p10_usd": float(npv_usd[0]),
                    "npv_p50_usd": float(npv_usd[1]),
                    "npv_p90_usd": float(npv_usd[2]),
                    "probability_feasible": feasible[o],
                    "probability_cheapest": cheapest[o],
                    "recommendation_share": shares.get(o, 0.0),
                }
            )
        return pd.DataFrame(rows)

    @property
    def bands(self) -> pd.DataFrame:
        """option, month, p10, p50, p90 of the cumulative cost [USD], the frame that
        ``edgecalc.render.figures.cumulative_cost(result, bands=...)`` shades."""
        return self.fan[["option", "month", "p10", "p50", "p90"]].copy()

    # ---------------------------------------------------------------- words
    @property
    def verdict(self) -> str:
        """One sentence: the point recommendation and how often it holds."""
        rec = self.point_recommendation
        what = "no option is feasible" if rec == "none" else f"{rec} is recommended"
        return (
            f"{self.scenario_name}: {what} at the point estimate (the scenario's ranges at "
            f"their medians, defaults at their values); the recommendation "
            f"holds in {self.stability:.0%} of {self.samples:,} samples."
        )

    def to_dict(self) -> dict[str, Any]:
        """Everything but the per-sample arrays, as JSON-ready types."""

        def clean(v):
            return None if isinstance(v, float) and math.isnan(v) else v

        return {
            "scenario": self.scenario_name,
            "samples": self.samples,
            "seed": self.seed,
            "chunk_size": self.chunk_size,
            "point_recommendation": self.point_recommendation,
            "stability": self.stability,
            "recommendation_shares": self.recommendation_shares,
            "basis": self.basis,
            "probability_cheapest": self.probability_cheapest,
            "probability_feasible": self.probability_feasible,
            "probability_none_feasible": self.probability_none_feasible,
            "summary": self.summary.to_dict(orient="records"),
            "percentiles": self.percentiles.to_dict(orient="records"),
            "break_even": [
                {k: clean(v) for k, v in row.items()}
                for row in self.break_even.to_dict(orient="records")
            ],
            "fan": self.fan.to_dict(orient="records"),
            "inputs": {
                path: {"range": r.model_dump(exclude_none=True)}
                | self._percentile_row(self.inputs[path])
                for path, r in self.ranges.items()
            },
            "correlations": [
                {"between": list(pair), "spearman": rho} for pair, rho in self.correlations.items()
            ],
            "default_ranges": [
                {
                    "path": d.path,
                    "value": d.value,
                    "range": d.range.model_dump(exclude_none=True),
                    "why": d.why,
                    "how": d.how,
                }
                for d in self.default_ranges
            ],
            "warnings": list(self.warnings),
        } | self._portfolio_dict()

    def _portfolio_dict(self) -> dict[str, Any]:
        if self.group_verdicts is None:
            return {}
        return {
            "mixed_plan": dict(self.mixed_plan or {}),
            "group_verdicts": self.group_verdicts.to_dict(orient="records"),
        }

    def portfolio_lines(self) -> list[str]:
        """The mixed plan over the samples, in words (empty without ``by_group``)."""
        if self.group_verdicts is None or self.mixed_plan is None:
            return []
        m = self.mixed_plan
        frame = self.group_verdicts
        shares = frame[[c for c in frame.columns if c.startswith("p_")]].to_numpy()
        unsettled = int(((shares > 0.05) & (shares < 0.95)).any(axis=1).sum())
        return [
            "",
            f"mixed plan ({len(frame):,} site groups, each on its best option per sample): "
            f"{m['basis']} cost P10 {usd(m['cost_p10_usd'])}, P50 {usd(m['cost_p50_usd'])}, "
            f"P90 {usd(m['cost_p90_usd'])}; cheaper than every single-option plan in "
            f"{m['probability_beats_every_single_plan']:.0%} of samples",
            f"{unsettled:,} group(s) change option between samples (no option in 95% of them)",
        ]

    def default_range_lines(self) -> list[str]:
        """Which defaults were ranged and how, one sentence each (empty when pinned)."""
        from .defaults import describe

        return [describe(d) for d in self.default_ranges]

    @property
    def defaults_note(self) -> str:
        """How many defaults were ranged, or that they were pinned, in words."""
        n = len(self.default_ranges)
        if n == 0:
            return "no default was ranged (pinned, or every figure is the scenario's own)"
        return (
            f"{_counted(n, 'default')} the scenario does not pin "
            f"{'was' if n == 1 else 'were'} ranged (low-confidence catalog "
            "facts and schema defaults marked as assumptions; --pinned-defaults keeps them "
            "fixed)"
        )

    def to_json(self, indent: int = 2) -> str:
        """:meth:`to_dict` as JSON text."""
        from ..json_text import dumps

        return dumps(self.to_dict(), indent=indent, ensure_ascii=True)

    def _table_rows(self) -> list[tuple[str, ...]]:
        rows = []
        for r in self.summary.itertuples(index=False):
            rows.append(
                (
                    r.option,
                    f"{r.probability_feasible:.0%}",
                    f"{r.probability_cheapest:.0%}",
                    f"{r.recommendation_share:.0%}",
                    usd(r.total_p10_usd),
                    usd(r.total_p50_usd),
                    usd(r.total_p90_usd),
                )
            )
        return rows

    _HEADER = ("option", "feasible", "cheapest feasible", "recommended", "total P10", "P50", "P90")

    def to_text(self) -> str:
        """A plain-text report: verdict, probabilities table, inputs, warnings."""
        rows = [self._HEADER, *self._table_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(self._HEADER))]
        lines = [self.verdict, ""]
        for row in rows:
            lines.append(
                "  ".join(
                    c.rjust(w) if i else c.ljust(w)
                    for i, (c, w) in enumerate(zip(row, widths, strict=True))
                )
            )
        if self.probability_none_feasible > 0:
            lines.append(f"no option feasible in {self.probability_none_feasible:.1%} of samples")
        lines += self.portfolio_lines()
        lines += [
            "",
            f"{_counted(len(self.ranges), 'ranged input')}, seed {self.seed}, chunk size "
            f"{self.chunk_size:,}:",
        ]
        for path, r in self.ranges.items():
            lines.append(f"  {path}: {number(r.low)} .. {number(r.high)} ({r.shape})")
        lines += ["", self.defaults_note + (":" if self.default_ranges else "")]
        lines += [f"  {t}" for t in self.default_range_lines()]
        for w in self.warnings:
            lines.append(f"warning: {w}")
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """A Markdown report (a PR comment): verdict, probabilities table, warnings. The
        scenario's text (its name in the verdict, warnings that quote it) shows as text
        (:func:`edgecalc.markdown_text.esc`)."""
        lines = [f"**{esc(self.verdict)}**", ""]
        lines.append("| " + " | ".join(self._HEADER) + " |")
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(self._HEADER) - 1)) + "|")
        for row in self._table_rows():
            lines.append("| " + " | ".join(esc(c) for c in row) + " |")
        lines.append("")
        lines.append(
            f"{self.samples:,} samples, seed {self.seed}, chunk size {self.chunk_size}; "
            f"ranged inputs: " + ", ".join(code(p) for p in self.ranges)
        )
        lines += [f"- {esc(t)}" if t else t for t in self.portfolio_lines()]
        lines += ["", esc(self.defaults_note) + (":" if self.default_ranges else ""), ""]
        lines += [f"- {esc(t)}" for t in self.default_range_lines()]
        for w in self.warnings:
            lines.append(f"\n> warning: {esc(w)}")
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        """One line for a console or a log: the scenario, the run and its verdict; the
        per-sample arrays and the tables are named, not printed (read them as attributes).

        Examples
        --------
        >>> sim = simulate("tests/fixtures/hand-worked.yaml", samples=100)
        >>> sim  # doctest: +ELLIPSIS
        <Simulation 'Hand-worked fixture': 100 samples, seed 0; cloud recommended at the \
point estimate, in ...% of samples; per sample: total_usd, npv_usd, feasible, ...>
        """
        rec = self.point_recommendation
        verdict = "no option feasible" if rec == "none" else f"{rec} recommended"
        seed = "a generator's draws" if self.seed is None else f"seed {self.seed}"
        return (
            f"<Simulation {self.scenario_name!r}: {self.samples:,} samples, {seed}; "
            f"{verdict} at the point estimate, in {self.stability:.0%} of samples; per "
            "sample: total_usd, npv_usd, feasible, recommendations, break_even_months, "
            "inputs; tables: summary, percentiles, fan, break_even, input_influence()>"
        )

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._HEADER)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self._table_rows()
        )
        warnings = "".join(f"<p><em>warning: {html.escape(w)}</em></p>" for w in self.warnings)
        return (
            f"<div><p><strong>{html.escape(self.verdict)}</strong></p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"{warnings}</div>"
        )


def _counted(n: int, thing: str) -> str:
    """``n`` things in words: ``1 ranged input``, ``16 ranged inputs``."""
    return f"{n:,} {thing}" + ("" if n == 1 else "s")


def _correlation_map(scenario: Scenario, ranged: list[RangedInput]) -> dict[tuple[str, str], float]:
    primary_of = {}
    for inp in ranged:
        for p in (inp.path, *inp.aliases):
            primary_of[p] = inp.path
    out: dict[tuple[str, str], float] = {}
    for c in scenario.correlations:
        missing = [p for p in c.between if p not in primary_of]
        if missing:
            raise EdgecalcError(
                "correlations: " + ", ".join(missing) + " is not a ranged input; give it a "
                "range {low, high} or remove the correlation"
            )
        a, b = (primary_of[p] for p in c.between)
        if a == b:
            raise EdgecalcError(f"correlations: {c.between[0]} and {c.between[1]} are one input")
        out[(a, b)] = float(c.spearman)
    return out


def _with_shared_region_rtt(
    correlations: dict[tuple[str, str], float], resolved: Resolved, ranged: list[RangedInput]
) -> dict[tuple[str, str], float]:
    """Add the default rank correlation between the estimated RTTs of site groups that reach
    the same region (:data:`edgecalc.pipeline.site_links.SHARED_REGION_RTT_SPEARMAN`), for
    every pair the scenario does not correlate itself."""
    from ..pipeline.site_links import shared_region_rtt_correlations

    given = {frozenset(pair) for pair in correlations}
    primaries = {inp.path for inp in ranged}
    extra = {
        pair: rho
        for pair, rho in shared_region_rtt_correlations(resolved).items()
        if frozenset(pair) not in given and set(pair) <= primaries
    }
    return {**correlations, **extra}


_PLAIN_TYPES = frozenset({str, float, int, bool, type(None)})
"""Types ``marshal`` writes by type and value alone (a numpy scalar it writes as its bytes)."""


def _ranged_key(ranged: list[RangedInput]) -> bytes | str:
    """What ``repr(ranged)`` tells apart, in a small part of its time.

    Every field of every entry, a range as its class name and field values, written by
    ``marshal`` (format 2: no references to repeated objects, text always as text, a float
    as its 8 bytes), so two keys are equal exactly when every field has the same type and
    value, a float to the bit (finer than ``repr``, which cannot tell NaNs apart). Pydantic's
    repr of each range was most of the key's cost. An entry with a field of another type
    than text, a number, None or a tuple of them (a numpy scalar, say) makes the key
    ``repr(ranged)``, as before.
    """
    entries = []
    kinds: set[type] = set()  # of the fields and of the items of tuple fields (a nested
    # tuple is then a kind of its own, not plain: the key falls back to repr)
    for inp in ranged:
        entry = []
        for v in vars(inp).values():
            if isinstance(v, Range):
                v = (type(v).__name__, *vars(v).values())
            if type(v) is tuple:
                kinds.update(map(type, v))
            else:
                kinds.add(type(v))
            entry.append(v)
        entries.append(entry)
    return marshal.dumps(entries, 2) if kinds <= _PLAIN_TYPES else repr(ranged)


_PROBES_KEPT = 16
"""Scenarios whose resolver probes :func:`_unsampled_warnings` remembers [scenarios]."""
_probes: OrderedDict[tuple, tuple[Catalog, tuple[str, ...]]] = OrderedDict()
_probes_lock = threading.Lock()


def _unsampled_warnings(
    scenario: Scenario,
    resolved: Resolved,
    ranged: list[RangedInput],
    catalog: Catalog,
    base_dir: Path | None,
    point: dict[str, np.ndarray] | None = None,
    defaulted: tuple[str, ...] = (),
) -> list[str]:
    """Ranges whose effect goes through the resolver (not an engine input): held at median.

    Two resolutions per ranged input (at its low and its high end) find them, which costs more
    than the engine on 10,000 samples; the answer is remembered for the last
    :data:`_PROBES_KEPT` scenarios, keyed by the scenario's content, the catalog, the folder
    of its files, the ranges and the point inputs resolved from them (so another seed or
    sample count reuses it, and any change to an input probes again).

    Parameters
    ----------
    scenario, resolved, ranged, catalog, base_dir
        The run: ``resolved`` with its default ranges, ``ranged`` its sampled inputs.
    point : dict of str to numpy.ndarray, optional
        :func:`point_inputs` of ``resolved`` before the paths ``defaulted`` were given their
        default ranges (:func:`simulate` has it already). The point inputs of ``resolved``
        are then these with those paths' medians: the numbers ``point_inputs(resolved)``
        gives, in its order (every other value is the very same object). Without it,
        ``point_inputs(resolved)``.
    defaulted : tuple of str
        The paths :func:`with_default_ranges` replaced.
    """
    if point is None:
        x = point_inputs(resolved)
    else:
        x = dict(point)
        for path in defaulted:
            x[path] = np.array([median(resolved.values[path])], dtype=float)
    key = (
        scenario.model_dump_json(),
        id(catalog),
        None if base_dir is None else str(base_dir),
        _ranged_key(ranged),
        fingerprint(resolved, x),
        tuple((path, value.tobytes()) for path, value in x.items()),
    )
    with _probes_lock:
        kept = _probes.get(key)
        if kept is not None:
            _probes.move_to_end(key)
            return list(kept[1])
    warnings = _probe_resolver(scenario, ranged, catalog, base_dir)
    with _probes_lock:
        _probes[key] = (catalog, tuple(warnings))  # the catalog kept alive: its id stays its own
        while len(_probes) > _PROBES_KEPT:
            _probes.popitem(last=False)
    return warnings


def _probe_resolver(
    scenario: Scenario, ranged: list[RangedInput], catalog: Catalog, base_dir: Path | None
) -> list[str]:
    """:func:`_unsampled_warnings` without its memory: resolve each range at its two ends."""
    warnings = []
    for inp in ranged:
        if field_spec(inp.path) is None or inp.low == inp.high:
            continue
        probes = []
        for value in (inp.low, inp.high):
            s = with_overrides(scenario, {inp.path: value})
            r = prepare(s, catalog, base_dir)
            x = point_inputs(r)
            probes.append((fingerprint(r, x), x))
        (f_low, x_low), (f_high, x_high) = probes
        own = {inp.path, *inp.aliases}
        changed = sorted(k for k in x_low if k not in own and x_low[k][0] != x_high[k][0])
        if f_low != f_high or changed:
            via = ", ".join(changed) if changed else "the resolver's structure (prices, tiers)"
            warnings.append(
                f"{inp.path} is held at its median in Monte Carlo: it acts through {via}; "
                "tornado and sweep show its effect"
            )
    return warnings


PILOT_SIZE = 100_000
"""Samples that set the brackets of the streamed cost fan
(:class:`~edgecalc.uncertainty.summary.StreamingQuantiles`) [samples]."""


def _run(
    plan: SamplingPlan,
    where: Backend,
    size: int,
    store: BatchResult,
    progress: Callable[[int, int], None] | None,
) -> dict[str, StreamingQuantiles]:
    """Evaluate every batch of the run on ``where``, fill ``store`` (the whole run), return
    the fans.

    The first ``PILOT_SIZE`` samples come back with their cumulative cost and set the fan's
    brackets; the rest come back with counts only. In this process, the batches after the
    pilot are started while its last batches are read and the brackets set (they wait for
    them only to count: no thread waits for the pilot to finish); on Dask, where a batch must
    be given the brackets themselves, the rest are sent once the brackets are set.
    """
    fans = {o: StreamingQuantiles(_QS, pilot_size=PILOT_SIZE) for o in plan.options}
    pilot = min(plan.samples, PILOT_SIZE)
    done = 0

    def record(result: BatchResult) -> None:
        nonlocal done
        store.fill(result)
        if result.cumulative_usd is not None:
            for o in plan.options:
                fans[o].update_columns(result.cumulative_usd[o])
        else:
            for o in plan.options:
                fans[o].add_counts(result.fan_counts[o])
        done += result.batch.size
        if progress is not None:
            progress(done, plan.samples)

    first = [BatchTask(b) for b in iter_batches(0, pilot, size)]
    later = iter_batches(pilot, plan.samples, size)
    if not getattr(where, "shares_memory", False):  # a backend of its own: the safe way
        for result in where.map_batches(evaluate_batch, first, plan):
            record(result)
        brackets = {o: fans[o].brackets for o in plan.options}
        for result in where.map_batches(
            evaluate_batch, (BatchTask(b, brackets) for b in later), plan
        ):
            record(result)
        return fans
    pending: Future = Future()
    tasks = itertools.chain(first, (BatchTask(b, pending) for b in later))
    try:
        for i, result in enumerate(where.map_batches(evaluate_batch, tasks, plan)):
            record(result)
            if i == len(first) - 1:
                pending.set_result({o: fans[o].brackets for o in plan.options})
    finally:
        if not pending.done():  # the pilot failed: batches waiting for its brackets stop too
            pending.set_exception(RuntimeError("the run stopped before its pilot was complete"))
    return fans


LAZY_FAN_SAMPLES = 20_000
"""Up to this many samples a simulation's fan is built on first access (its streamed
percentiles hold every sample's cumulative cost until then: 29 MB at 20,000 samples of 60
months and 3 options); a larger run builds it at once [samples]."""


def fan_table(fans: dict[str, StreamingQuantiles], options: tuple[str, ...]) -> pd.DataFrame:
    """The fan of every option: option, month, p5, ..., p95 [USD]. Each option's percentiles
    sort every month's samples; the options run on threads of their own (numpy's sort runs
    without the GIL)."""
    with ThreadPoolExecutor(max(1, min(len(options), default_threads()))) as pool:
        frames = list(pool.map(lambda o: fans[o].fan().assign(option=o), options))
    return pd.concat(frames, ignore_index=True)[["option", "month", *(f"p{q:g}" for q in _QS)]]


def _by_group(plan: SamplingPlan, where: Backend, size: int, store: BatchResult):
    """``(group_verdicts, mixed_plan)`` of a portfolio run; ``(None, None)`` for one group."""
    if len(plan.resolved.groups) < 2:
        return None, None
    from .portfolio_runs import group_verdicts, verdict_frame

    path = "decision.min_cost_saving_fraction"
    ranged = {p: inp.path for inp in plan.ranged for p in (inp.path, *inp.aliases)}
    fraction = (
        store.inputs[ranged[path]] if path in ranged else np.full(plan.samples, plan.point[path][0])
    )
    basis = plan.resolved.scenario.decision.basis
    fleet = store.npv_usd if basis == "npv" else store.total_usd
    counts = group_verdicts(plan, where, size, fleet, fraction)
    cost = counts.mixed_cost_usd[np.isfinite(counts.mixed_cost_usd)]
    p10, p50, p90 = percentiles(cost, (10, 50, 90)) if cost.size else (math.nan,) * 3
    mixed = {
        "cost_p10_usd": float(p10),
        "cost_p50_usd": float(p50),
        "cost_p90_usd": float(p90),
        "probability_beats_every_single_plan": float(counts.mixed_beats_all.mean()),
        "basis": basis,
    }
    return verdict_frame(plan, counts), mixed


def simulate(
    scenario_or_path: Scenario | str | Path,
    samples: int = 10_000,
    seed: int = 0,
    rng: np.random.Generator | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    overrides: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
    pinned_defaults: bool = False,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | Backend | None = None,
    workers: int | None = None,
    batch_memory_bytes: int | None = None,
    by_group: bool = False,
    bounded: bool = False,
) -> Simulation:
    """Monte Carlo over every range of a scenario, and over default ranges.

    Parameters
    ----------
    scenario_or_path : Scenario, str or Path
        A scenario, or the path of a scenario file.
    samples : int
        Number of samples [samples], >= 1.
    seed : int
        Seed of the run (ignored when ``rng`` is given).
    rng : numpy.random.Generator, optional
        Source of randomness instead of ``seed``; it is advanced once (128 bits of entropy).
    chunk_size : int
        Samples per seed block [samples]. Part of the seed (module notes); it does not set
        how many samples one engine call holds (that comes from ``batch_memory_bytes``).
    overrides : mapping, optional
        Dotted paths and values applied before sampling (a value may be a range).
    catalog : Catalog, optional
        Reference facts; default the packaged catalog.
    base_dir : str or Path, optional
        Folder for relative paths in the scenario; default the scenario file's folder.
    pinned_defaults : bool, default False
        Keep every default at its value. By default the figures the scenario leaves to a
        low-confidence catalog fact (or one with a recorded spread) or to a schema default
        marked as an assumption are sampled over a default range
        (:mod:`edgecalc.uncertainty.defaults`); ``Simulation.default_ranges`` lists them.
    progress : callable, optional
        Called as ``progress(done, samples)`` after each batch [samples]; a progress bar
        (``edgecalc.commands.progress``) or ``st.progress`` in the app. It sees counts only.
    scheduler : str or Backend, optional
        Where the batches run (:func:`edgecalc.uncertainty.backend.open_backend`): ``None``
        in this process; ``"local"`` a Dask LocalCluster on 127.0.0.1; ``"tcp://host:8786"``
        an existing Dask scheduler. The numbers are the same everywhere.
    workers : int, optional
        Worker processes of a local Dask cluster [-]; implies ``scheduler="local"``.
    batch_memory_bytes : int, optional
        Memory one engine call may use [bytes]; default
        :func:`edgecalc.uncertainty.chunks.batch_memory_bytes` (a quarter of the memory
        available, at most 256 MB, or ``EDGECALC_BATCH_MEMORY_MB``). The numbers do not
        depend on it.
    by_group : bool, default False
        For a scenario with several site groups, also the mixed plan per sample: each
        group's verdict shares (``Simulation.group_verdicts``) and the mixed plan's cost
        (``Simulation.mixed_plan``), cut by groups and samples
        (:mod:`edgecalc.uncertainty.portfolio_runs`).
    bounded : bool, default False
        Refuse a run larger than the app allows (:func:`edgecalc.limits.check_monte_carlo`:
        ranged inputs x site groups, and samples x (months x (groups + 2) + ranged inputs)),
        once the scenario is resolved and before anything is sampled or probed. The app
        passes True; a notebook or the command line may run any size.

    Returns
    -------
    Simulation
        Per-sample arrays and summaries (see :class:`Simulation`).

    Raises
    ------
    EdgecalcError
        When the scenario cannot be evaluated, ``horizon_months`` is a range, or a correlation
        names an input without a range.
    ValueError
        When ``samples`` or ``chunk_size`` is below 1, or correlations contradict each other.
    edgecalc.limits.MonteCarloTooLarge
        With ``bounded``, when the run is over an app limit (the message says how many samples
        are allowed).

    Notes
    -----
    Per seed block of ``n`` samples: correlated uniforms ``U = Phi(L Z)`` for the inputs named
    in correlations, then ``n`` independent uniforms for each other ranged input, in the order
    of the resolved inputs; each input's value is ``ppf(U)``; every other input is its point
    value (:mod:`edgecalc.uncertainty.batches`). ``compute`` evaluates one batch at once.

    Examples
    --------
    >>> sim = simulate("tests/fixtures/uncertainty/volume.yaml", samples=2_000, seed=1)
    >>> sim.samples, sorted(sim.probability_feasible)
    (2000, ['cloud', 'edge', 'hybrid'])
    """
    if (
        isinstance(samples, bool)
        or not isinstance(samples, (int, float, np.integer, np.floating))
        or not math.isfinite(samples)
        or int(samples) != samples
        or samples < 1
    ):
        raise ValueError(f"samples must be a whole number >= 1, got {samples!r}")
    if samples > limits.SAMPLES:
        raise ValueError(
            f"samples: {samples:,} asked for; a run draws at most {limits.SAMPLES:,} samples"
        )
    if (
        isinstance(chunk_size, bool)
        or not isinstance(chunk_size, int | np.integer)
        or chunk_size < 1
    ):
        raise ValueError(
            f"chunk_size must be a whole number >= 1 (it is part of the seed), got {chunk_size!r}"
        )
    samples = int(samples)
    scenario, base = load(scenario_or_path, overrides, base_dir)
    catalog = catalog or load_catalog()
    resolved = prepare(scenario, catalog, base)
    defaults = [] if pinned_defaults else default_ranges(resolved)
    # the point estimate is evaluate's: a default sampled over its source's spread is held at
    # the catalog's value there, which need not be the spread's median
    point = point_inputs(resolved)
    resolved = with_default_ranges(resolved, defaults)
    ranged = ranged_inputs(resolved)
    if bounded:  # the app's limits, before the probes and the samples cost anything
        months = int(scenario.horizon_months)
        limits.check_monte_carlo(samples, len(resolved.groups), months, len(ranged))
    correlations = _with_shared_region_rtt(_correlation_map(scenario, ranged), resolved, ranged)
    warnings = list(resolved.warnings)
    warnings += _unsampled_warnings(
        scenario, resolved, ranged, catalog, base, point, tuple(d.path for d in defaults)
    )
    if not ranged:
        warnings.append("the scenario has no ranges: every sample is the point estimate")

    point_out = compute(resolved, point)
    options = tuple(point_out.options)
    plan = SamplingPlan(
        resolved=resolved,
        point=point,
        ranged=tuple(ranged),
        correlated=tuple(dict.fromkeys(p for pair in correlations for p in pair)),
        correlations=correlations,
        seed=as_seed_sequence(rng if rng is not None else seed),
        samples=samples,
        chunk_size=int(chunk_size),
        options=options,
    )
    # one sample's engine arrays, measured on the point estimate, and the site links' traffic
    # held while a call runs
    per_sample = chunks.bytes_per_sample(point_out, point, resolved.groups, len(point_out.months))
    with open_backend(scheduler, workers) as where:
        budget = where.batch_memory_bytes(chunks.batch_memory_bytes(batch_memory_bytes))
        memory_size = batch_size(per_sample, budget, plan.chunk_size)
        months = len(point_out.months)
        # the engine sees cache-sized slices; a batch holds whole slices and, per sample, the
        # cumulative cost of every option month by month (twice: its sorted copy when counted)
        plan = dataclasses.replace(
            plan, slice_size=min(memory_size, cache_batch_size(months, plan.chunk_size))
        )
        result_bytes = chunks.BATCH_HEADROOM * 2 * 8 * months * len(options)
        size = run_batch_size(
            samples,
            plan.slice_size,
            getattr(where, "threads", 1),
            memory_samples=max(1, int(budget // result_bytes)),
        )
        store = BatchResult.whole_run(plan)
        fans = _run(plan, where, size, store, progress)
        portfolio = _by_group(plan, where, memory_size, store) if by_group else (None, None)
    total, npv_usd, feasible = store.total_usd, store.npv_usd, store.feasible
    codes, break_even, inputs = store.codes, store.break_even_months, store.inputs

    sim = Simulation(
        scenario_name=scenario.name,
        samples=samples,
        seed=None if rng is not None else int(seed),
        chunk_size=int(chunk_size),
        options=options,
        point_recommendation=str(point_out.recommendation[0]),
        point_total_usd={o: float(point_out.options[o].total_usd[0]) for o in options},
        point_npv_usd={o: float(point_out.options[o].npv_usd[0]) for o in options},
        total_usd=total,
        npv_usd=npv_usd,
        feasible=feasible,
        recommendation_codes=codes,
        break_even_months=break_even,
        inputs=inputs,
        ranges={inp.path: inp.range for inp in ranged},
        correlations=correlations,
        fan_quantiles=fans,
        warnings=warnings,
        default_ranges=defaults,
        group_verdicts=portfolio[0],
        mixed_plan=portfolio[1],
        basis=scenario.decision.basis,
    )
    if samples > LAZY_FAN_SAMPLES:  # the quantiles hold more than the fan: read it now
        sim.fan  # noqa: B018
    return sim

"""One evaluation batch of a Monte Carlo run: draw its samples, run the engine, keep what is needed.

A :class:`SamplingPlan` is everything a process needs to evaluate any part of a run: the
resolved scenario, the point inputs, the ranged inputs with their truncation, the
correlations, the root seed and the seed-block size. It is built once (by
:func:`edgecalc.uncertainty.simulate.simulate`) and, on Dask, shipped once to every worker
(:mod:`edgecalc.uncertainty.backend`). :func:`evaluate_batch` turns samples ``[start, stop)``
into a :class:`BatchResult`: the per-sample arrays and the batch's share of the cost fan.

Sample ``k`` depends only on its seed block (:mod:`edgecalc.uncertainty.chunks`) and on its
position in the block, never on the batch it is evaluated in: a batch draws the whole of every
block it touches, in the order the run has always used, and keeps its own samples.

Draw order within a block of ``n`` samples: correlated uniforms ``U = Phi(L Z)`` for the inputs
named in correlations (:func:`~edgecalc.uncertainty.correlation.correlated_uniforms`), then
``n`` independent uniforms for each other ranged input, in the order of the resolved inputs;
each input's value is its range's inverse CDF at ``U``.
"""

from __future__ import annotations

import functools
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from ..costs.finance import break_even_month, dearer_threshold
from ..pipeline.compute import compute
from ..pipeline.resolve import Resolved
from .chunks import Chunk, blocks_in, chunk_generator
from .correlation import correlated_uniforms
from .distributions import RangeSet, uniforms
from .summary import BracketCounts, QuantileBrackets

__all__ = ["BatchResult", "BatchTask", "SamplingPlan", "evaluate_batch"]


@dataclass(frozen=True)
class SamplingPlan:
    """What any process needs to evaluate any samples of one run (picklable)."""

    resolved: Resolved
    """The scenario with every input resolved, default ranges applied."""
    point: dict[str, np.ndarray]
    """Point value of every engine input, shape (1,) [unit of the input]."""
    ranged: tuple  # tuple[RangedInput, ...]; typed loosely to avoid an import cycle
    """The sampled inputs (:class:`edgecalc.uncertainty.simulate.RangedInput`), in draw order."""
    correlated: tuple[str, ...]
    """Inputs drawn together through the Gaussian copula, in that order."""
    correlations: dict[tuple[str, str], float]
    """Spearman rank correlation per pair of inputs [-]."""
    seed: np.random.SeedSequence
    """The run's root seed; block ``i`` draws from its child ``i``."""
    samples: int
    """Samples of the whole run [samples]."""
    chunk_size: int
    """Samples per seed block [samples]."""
    options: tuple[str, ...]
    """Option names, in the engine's order."""
    slice_size: int = 0
    """Samples per engine call within a batch [samples]; 0: the whole batch in one call. Part
    of how the run is computed, never of its numbers."""

    @property
    def independent(self) -> tuple[str, ...]:
        """Ranged inputs drawn on their own, in the order of the resolved inputs."""
        return tuple(inp.path for inp in self.ranged if inp.path not in self.correlated)

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Ordered pairs of options whose break-even month is reported."""
        return tuple((a, b) for a in self.options for b in self.options if a != b)

    def uniforms_of_block(self, block: Chunk) -> dict[str, np.ndarray]:
        """The uniforms of every ranged input over a whole seed block, shape (block.size,)."""
        generator = chunk_generator(self.seed, block.index)
        n = block.size
        correlated = list(self.correlated)
        u = correlated_uniforms(n, correlated, self.correlations, generator) if correlated else {}
        for path in self.independent:
            u[path] = uniforms(n, generator)
        return u

    def draw(self, batch: Chunk) -> dict[str, np.ndarray]:
        """The sampled value of every ranged input over samples ``[batch.start, batch.stop)``.

        Returns
        -------
        dict of str to numpy.ndarray
            Input path -> shape (batch.size,) [unit of the input].
        """
        parts: dict[str, list[np.ndarray]] = {inp.path: [] for inp in self.ranged}
        for block in blocks_in(batch, self.samples, self.chunk_size):
            u = self.uniforms_of_block(block)
            keep = slice(max(batch.start, block.start) - block.start,
                         min(batch.stop, block.stop) - block.start)  # fmt: skip
            if not self.ranged:
                continue
            values = self._ranges.ppf(np.stack([u[inp.path][keep] for inp in self.ranged]))
            for inp, row in zip(self.ranged, values, strict=True):
                parts[inp.path].append(row)
        return {
            path: chunks[0] if len(chunks) == 1 else np.concatenate(chunks)
            for path, chunks in parts.items()
        }

    @functools.cached_property
    def _ranges(self) -> RangeSet:
        """The ranged inputs' distributions, taken together (each row as its input's ``ppf``)."""
        return RangeSet(
            [(i.range.low, i.range.high, i.range.dist, i.range.mode, i.lower, i.upper)
             for i in self.ranged]
        )  # fmt: skip

    def __post_init__(self) -> None:
        for value in self.point.values():
            value.flags.writeable = False  # shared by every batch: the engine never writes

    def engine_inputs(self, drawn: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
        """The point values, shape (1,), with the drawn inputs (and aliases) set, shape (n,).

        The engine broadcasts a point value against the samples, so an expression of point
        values alone is computed once, not once per sample (the same numbers).
        """
        if not self.ranged:  # nothing sampled: the engine needs the sample count from x
            return self.full_inputs(drawn, n)
        return self._with_drawn(dict(self.point), drawn)

    def full_inputs(self, drawn: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
        """As :meth:`engine_inputs`, every input of shape (n,) (for code that tiles the sample
        axis, :func:`edgecalc.portfolio.groups.evaluate_groups`)."""
        return self._with_drawn(
            {path: np.full(n, value[0]) for path, value in self.point.items()}, drawn
        )

    def _with_drawn(self, x: dict[str, np.ndarray], drawn: dict[str, np.ndarray]):
        """``x`` with every ranged input (and its aliases) set to its drawn samples."""
        for inp in self.ranged:
            for p in (inp.path, *inp.aliases):
                x[p] = drawn[inp.path]
        return x


@dataclass(frozen=True)
class BatchTask:
    """Samples to evaluate, and the fan's brackets when the pilot is already known."""

    batch: Chunk
    """The samples, positions in the whole run [samples]."""
    brackets: dict[str, QuantileBrackets] | Future | None = None
    """Per option, the brackets of the cumulative-cost fan; ``None`` during the pilot. On
    threads of this process, a :class:`concurrent.futures.Future` of them: the batch is drawn
    and evaluated while the pilot's last batches are still read, and waits for the brackets
    only to count its samples against them."""

    @property
    def in_pilot(self) -> bool:
        """Whether the batch is part of the pilot (it returns its cumulative cost)."""
        return self.brackets is None

    def counted_against(self) -> dict[str, QuantileBrackets]:
        """The brackets, once known (waiting for them when they are a future)."""
        brackets = self.brackets
        return brackets.result() if isinstance(brackets, Future) else brackets


@dataclass
class BatchResult:
    """What one batch gives back: per-sample arrays and its share of the fan."""

    batch: Chunk
    total_usd: dict[str, np.ndarray]
    """Per option, total cost of each sample [USD]."""
    npv_usd: dict[str, np.ndarray]
    """Per option, net present cost of each sample [USD]."""
    feasible: dict[str, np.ndarray]
    """Per option, whether each sample is feasible [bool]."""
    codes: np.ndarray
    """Recommendation of each sample: index into ``(*options, "none")`` [int8]."""
    break_even_months: dict[tuple[str, str], np.ndarray]
    """Per ordered pair, the month the second option's cumulative cost falls below the
    first's, NaN when it never does [months]."""
    inputs: dict[str, np.ndarray]
    """Per ranged input, its sampled values [unit of the input]."""
    cumulative_usd: dict[str, np.ndarray] | None
    """During the pilot: per option, cumulative cost laid out month by month, shape (months,
    samples) [USD] (as :meth:`StreamingQuantiles.update_columns` takes it: the transpose is
    made where the batch runs, not in the process that gathers the results)."""
    fan_counts: dict[str, BracketCounts] | None
    """After the pilot: per option, the samples' counts against the brackets."""

    @classmethod
    def whole_run(cls, plan: SamplingPlan) -> BatchResult:
        """Room for every sample of the run, to :meth:`fill` batch by batch (any order)."""
        n, options = plan.samples, plan.options
        return cls(
            batch=Chunk(0, 0, n),
            total_usd={o: np.empty(n) for o in options},
            npv_usd={o: np.empty(n) for o in options},
            feasible={o: np.empty(n, dtype=bool) for o in options},
            codes=np.empty(n, dtype=np.int8),
            break_even_months={pair: np.empty(n) for pair in plan.pairs},
            inputs={inp.path: np.empty(n) for inp in plan.ranged},
            cumulative_usd=None,
            fan_counts=None,
        )

    def fill(self, part: BatchResult) -> None:
        """Copy a batch's per-sample arrays to their place in this (whole-run) result."""
        where = slice(part.batch.start - self.batch.start, part.batch.stop - self.batch.start)
        for name in ("total_usd", "npv_usd", "feasible", "break_even_months", "inputs"):
            mine = getattr(self, name)
            for key, values in getattr(part, name).items():
                mine[key][where] = values
        self.codes[where] = part.codes


def evaluate_batch(plan: SamplingPlan, task: BatchTask) -> BatchResult:
    """Draw and evaluate samples ``[task.batch.start, task.batch.stop)`` of a run.

    The engine sees the batch in slices of :attr:`SamplingPlan.slice_size` samples (arrays a
    core's cache holds); the fan's counts are taken once for the whole batch (their cost is
    mostly per month, not per sample).

    Parameters
    ----------
    plan : SamplingPlan
        The run (shared by every batch).
    task : BatchTask
        The samples, and the fan's brackets after the pilot.

    Returns
    -------
    BatchResult
        Equal, sample for sample, to the same samples of any other cut of the run.
    """
    batch = task.batch
    drawn = plan.draw(batch)
    step = plan.slice_size or batch.size
    # per option, cumulative cost laid out month by month (months, samples of the batch),
    # each slice's columns written in place
    by_month: dict[str, np.ndarray] = {}
    parts = []
    for i in range(0, batch.size, step):
        n = min(step, batch.size - i)
        parts.append(
            _evaluate_slice(
                plan, {p: v[i : i + n] for p, v in drawn.items()}, n, by_month, i, batch.size
            )
        )
    if not task.in_pilot:
        for o in plan.options:
            # a NaN in any month carries into every later month of a cumulative cost: the
            # horizon's month holds one exactly when any month does
            if np.isnan(by_month[o][-1]).any():
                raise ValueError("samples contain NaN")
    return BatchResult(
        batch=batch,
        total_usd={o: _joined([part.total_usd[o] for part in parts]) for o in plan.options},
        npv_usd={o: _joined([part.npv_usd[o] for part in parts]) for o in plan.options},
        feasible={o: _joined([part.feasible[o] for part in parts]) for o in plan.options},
        codes=_joined([part.codes for part in parts]),
        break_even_months={
            pair: _joined([part.break_even_months[pair] for part in parts]) for pair in plan.pairs
        },
        inputs=drawn,
        cumulative_usd=by_month if task.in_pilot else None,
        fan_counts=None if task.in_pilot else _counts(task.counted_against(), by_month),
    )


def _counts(brackets: dict[str, QuantileBrackets], by_month: dict[str, np.ndarray]):
    """Per option, the batch's counts against the fan's brackets."""
    return {o: brackets[o].count_columns(values) for o, values in by_month.items()}


@dataclass
class _Slice:
    """One engine call's share of a batch."""

    total_usd: dict[str, np.ndarray]
    npv_usd: dict[str, np.ndarray]
    feasible: dict[str, np.ndarray]
    codes: np.ndarray
    break_even_months: dict[tuple[str, str], np.ndarray]


def _evaluate_slice(
    plan: SamplingPlan,
    drawn: dict[str, np.ndarray],
    n: int,
    batch_by_month: dict[str, np.ndarray],
    start: int,
    batch_size: int,
) -> _Slice:
    """The engine on ``n`` drawn samples: per-sample results; the cumulative cost goes to
    columns ``[start, start + n)`` of ``batch_by_month`` (per option, shape (months,
    batch_size), made on the batch's first slice)."""
    out = compute(plan.resolved, plan.engine_inputs(drawn, n))
    by_month = {}
    for o in plan.options:
        monthly_usd = out.options[o].monthly_usd
        if o not in batch_by_month:
            months = monthly_usd.shape[-1]
            batch_by_month[o] = np.empty((months, batch_size))
        by_month[o] = _cumulative_by_month(monthly_usd, batch_by_month[o][:, start : start + n])
    threshold = {o: dearer_threshold(by_month[o]) for o in plan.options}
    codes = np.empty(n, dtype=np.int8)
    for code, name in enumerate((*plan.options, "none")):
        codes[out.recommendation == name] = code
    return _Slice(
        total_usd={o: np.asarray(out.options[o].total_usd, dtype=float) for o in plan.options},
        npv_usd={o: np.asarray(out.options[o].npv_usd, dtype=float) for o in plan.options},
        feasible={o: np.asarray(out.options[o].feasible, dtype=bool) for o in plan.options},
        codes=codes,
        break_even_months={
            (a, b): break_even_month(by_month[a], by_month[b], threshold[b], axis=0)
            for a, b in plan.pairs
        },
    )


def _cumulative_by_month(monthly_usd: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Cumulative cost laid out month by month, shape (months, samples) [USD]: the values of
    ``numpy.cumsum(monthly_usd, axis=-1).T`` (added month after month, as cumsum adds), in
    about a third of the time (one row addition per month on the transposed array); written
    into ``out`` (a view of that shape whose rows are contiguous) when given."""
    monthly_usd = np.asarray(monthly_usd, dtype=float)
    if out is None:
        out = np.empty(monthly_usd.shape[::-1])
    out[...] = monthly_usd.T
    for month in range(1, out.shape[0]):
        out[month] += out[month - 1]
    return out


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The slices' per-sample arrays end to end (the array itself for one slice)."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)

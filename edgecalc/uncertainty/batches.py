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
from .correlation import copula
from .distributions import RangeSet, fill_uniforms
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

    def uniforms_of_block(
        self, block: Chunk, out: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        """The uniforms of every ranged input over a whole seed block, shape (block.size,).

        Parameters
        ----------
        block : Chunk
            The seed block [samples].
        out : numpy.ndarray, optional
            Shape ``(len(ranged), block.size)``, float64, C-contiguous: where the ranged
            inputs' uniforms go, input ``i`` in row ``_ranges.slots[i]`` (as
            :meth:`RangeSet.ppf_into` reads them); made when not given.

        Returns
        -------
        dict of str to numpy.ndarray
            The correlated inputs' uniforms, then the independent inputs', in draw order [-].

        Notes
        -----
        The numbers of :func:`correlated_uniforms` and :func:`uniforms`, drawn in the same
        order from the block's generator: :class:`~.correlation.Copula` makes the same draw
        and array operations once factorised (:func:`~.correlation.copula` keeps it), and
        :func:`fill_uniforms` draws each independent input's row in place.
        """
        generator = chunk_generator(self.seed, block.index)
        n = block.size
        paths = (inp.path for inp in self.ranged)
        slots = dict(zip(paths, self._ranges.slots.tolist(), strict=True))
        if out is None:
            out = np.empty((len(slots), n))
        u: dict[str, np.ndarray] = {}
        if self.correlated:
            mixed = copula(self.correlated, self.correlations).uniforms(n, generator)
            u = {name: mixed[i] for i, name in enumerate(self.correlated)}
            rows = [(i, slots[name]) for i, name in enumerate(self.correlated) if name in slots]
            out[[s for _, s in rows]] = mixed[[i for i, _ in rows]]
        independent = self.independent
        fill_uniforms(out, [slots[path] for path in independent], generator)
        for path in independent:
            u[path] = out[slots[path]]
        return u

    def draw(self, batch: Chunk) -> dict[str, np.ndarray]:
        """The sampled value of every ranged input over samples ``[batch.start, batch.stop)``.

        Returns
        -------
        dict of str to numpy.ndarray
            Input path -> shape (batch.size,) [unit of the input]; the rows of one
            ``(len(ranged), batch.size)`` array.

        Notes
        -----
        Each seed block's uniforms are drawn into one array and its values computed straight
        into their columns of the batch's array (:meth:`RangeSet.ppf_into`): the numbers of
        ``ppf`` on the stacked uniforms, block after block and joined, without the stack,
        the temporaries or the join.
        """
        ranged = self.ranged
        out = np.empty((len(ranged), batch.size))
        u = scratch = None
        for block in blocks_in(batch, self.samples, self.chunk_size):
            if u is None or u.shape[1] != block.size:
                u = np.empty((len(ranged), block.size))
                scratch = np.empty(u.size)
            self.uniforms_of_block(block, out=u)
            if not ranged:
                continue
            first, last = max(batch.start, block.start), min(batch.stop, block.stop)
            self._ranges.ppf_into(
                u[:, first - block.start : last - block.start],
                out[:, first - batch.start : last - batch.start],
                scratch,
            )
        if not ranged:
            return {}
        return {
            inp.path: out[s] for inp, s in zip(ranged, self._ranges.slots.tolist(), strict=True)
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
    """Per option, the batch's counts against the fan's brackets.

    Each option's array is sorted in place, month by month, and counted as sorted: after the
    pilot it is the batch's scratch (nothing reads it after its counts), so the sort needs no
    copy of it (9.6 MB an option for 20,000 samples of 60 months). Sorting in place or a copy
    (``numpy.sort``) is the same sort of the same values: the counts, and the values kept
    between the brackets, are those of :meth:`QuantileBrackets.count_columns` on the array.
    """
    counts = {}
    for o, values in by_month.items():
        values.sort(axis=1)
        counts[o] = brackets[o].count_columns(values, presorted=True)
    return counts


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
    batch_size), made on the batch's first slice).

    The options' arrays are made as the rows of one array (options, months, batch_size), so
    that every option's month is added in one call (:func:`_cumulative_by_month`) and the
    break-even months are read from one array (:func:`_break_even_of_slice`); each option's
    array is still a C-contiguous (months, batch_size) array of its own values.
    """
    out = compute(plan.resolved, plan.engine_inputs(drawn, n))
    options = plan.options
    monthly = [out.options[o].monthly_usd for o in options]
    if not batch_by_month:
        stacked = np.empty((len(options), np.shape(monthly[0])[-1], batch_size))
        batch_by_month.update(zip(options, stacked, strict=True))
    stacked = _stacked(batch_by_month, options)
    _cumulative_by_month(monthly, stacked[:, :, start : start + n])
    index = {o: i for i, o in enumerate(options)}
    pairs = [(index[a], index[b]) for a, b in plan.pairs]
    months = _break_even_of_slice(stacked, start, n, pairs)
    codes = np.empty(n, dtype=np.int8)
    for code, name in enumerate((*options, "none")):
        codes[out.recommendation == name] = code
    return _Slice(
        total_usd={o: np.asarray(out.options[o].total_usd, dtype=float) for o in options},
        npv_usd={o: np.asarray(out.options[o].npv_usd, dtype=float) for o in options},
        feasible={o: np.asarray(out.options[o].feasible, dtype=bool) for o in options},
        codes=codes,
        break_even_months=dict(zip(plan.pairs, months, strict=True)),
    )


def _stacked(batch_by_month: dict[str, np.ndarray], options: tuple[str, ...]) -> np.ndarray:
    """The one C-contiguous array (options, months, batch_size) whose rows are the options'
    arrays in ``batch_by_month``, in the order of ``options`` (as :func:`_evaluate_slice`
    makes them on a batch's first slice).

    Raises
    ------
    ValueError
        When the arrays are not the rows of one such array.
    """
    stacked = batch_by_month[options[0]].base
    if not (
        isinstance(stacked, np.ndarray)
        and stacked.ndim == 3
        and stacked.shape[0] == len(options)
        and stacked.flags.c_contiguous
        and all(_address(batch_by_month[o]) == _address(stacked[i]) for i, o in enumerate(options))
    ):
        raise ValueError("the options' arrays of a batch are not the rows of one array")
    return stacked


def _address(array: np.ndarray) -> int:
    """Where an array's first element is in memory."""
    return array.__array_interface__["data"][0]


_TRANSPOSE_BLOCK = 256
"""Samples :func:`_cumulative_by_month` transposes at a time [samples]: 60 months of 256
samples are 123 kB, read and written in a core's L2 cache."""


def _cumulative_by_month(monthly_usd: list, out: np.ndarray | None = None) -> np.ndarray:
    """Cumulative cost of each option laid out month by month [USD].

    Parameters
    ----------
    monthly_usd : list of array_like
        Per option, the cost of each month, shape (samples, months) [USD] (one row
        broadcasts to every sample).
    out : numpy.ndarray, optional
        Where to write: shape (options, months, samples), each row (one month of one option)
        contiguous (a view of columns of a batch's array); made when not given.

    Returns
    -------
    numpy.ndarray
        ``out``, holding per option the values of ``numpy.cumsum(costs, axis=-1).T``.

    Notes
    -----
    The monthly costs are transposed into ``out`` :data:`_TRANSPOSE_BLOCK` samples at a time
    (a copy: the same bits), then month ``m`` of every option becomes month ``m`` plus month
    ``m - 1``, one call a month for all the options (``out[m] += out[m - 1]`` per option, as
    it was done before, in a third of the calls). Each sample's sum is added month after
    month, as cumsum adds it, one rounding an addition, and each addition has the operands
    and the order of the row additions it replaces: the same bits, down to the sign and
    payload of a NaN made of two NaN (where cumsum, adding the other way round, may keep the
    other NaN).
    """
    parts = [np.asarray(m, dtype=float) for m in monthly_usd]
    months = parts[0].shape[-1]
    if out is None:
        out = np.empty((len(parts), months, max(part.shape[0] for part in parts)))
    samples = out.shape[-1]
    for part, into in zip(parts, out, strict=True):
        part = np.broadcast_to(part, (samples, months))
        for j in range(0, samples, _TRANSPOSE_BLOCK):
            into[:, j : j + _TRANSPOSE_BLOCK] = part[j : j + _TRANSPOSE_BLOCK].T
    for month in range(1, months):
        np.add(out[:, month], out[:, month - 1], out=out[:, month])
    return out


def _break_even_of_slice(
    stacked: np.ndarray, start: int, n: int, pairs: list[tuple[int, int]]
) -> np.ndarray:
    """The break-even month of pairs of options, on columns ``[start, start + n)``.

    Parameters
    ----------
    stacked : numpy.ndarray
        Cumulative cost per option laid out month by month, shape (options, months,
        batch_size), C-contiguous [USD].
    start, n : int
        The slice's columns [samples].
    pairs : list of (int, int)
        Ordered pairs of option indices ``(i, j)``.

    Returns
    -------
    numpy.ndarray
        Shape (len(pairs), n): row ``p`` is ``break_even_month(stacked[i, :, cols],
        stacked[j, :, cols], axis=0)`` for ``pairs[p] = (i, j)`` [months], bit for bit.

    Notes
    -----
    A is dearer than B in a month when its cumulative cost is above B's threshold,
    ``b + 1e-9 x max(|b|, 1)`` (:func:`dearer_threshold`), and that threshold is never below
    ``b`` (a positive tolerance added, rounded to nearest; or NaN, above which nothing is,
    for ``b`` NaN or -inf). So A is dearer only in months when ``a > b``, and the last month
    when ``a > b`` (found without any threshold: one comparison, a product by the month
    numbers and a largest number per sample and pair) is the last month A is dearer as
    soon as A is dearer in that month: this is checked with the thresholds of that month
    alone. The samples where it is not (A above B by less than the tolerance, a near tie)
    get :func:`break_even_month` of their columns, so every number is what
    :func:`break_even_month` gives on the slice: the thresholds of 12,000 values (6 pairs x
    2,000 samples) instead of 360,000, for the same numbers.
    """
    _, months, batch_size = stacked.shape
    dtype = np.min_scalar_type(months)
    last = np.empty((len(pairs), n), dtype=dtype)
    numbers = np.arange(1, months + 1, dtype=dtype)[:, None]
    above = np.empty((months, n), dtype=bool)
    # up to 255 months, the products in the comparisons' own bytes
    numbered = above.view(np.uint8) if dtype == np.uint8 else np.empty((months, n), dtype)
    factor = numbered if dtype == np.uint8 else above
    for p, (i, j) in enumerate(pairs):
        np.greater(stacked[i, :, start : start + n], stacked[j, :, start : start + n], out=above)
        np.multiply(factor, numbers, out=numbered)
        np.maximum.reduce(numbered, axis=0, out=last[p])
    # the cumulative costs at the last month A is above B, in the flat array (a month a row)
    rows = np.array(pairs, dtype=np.intp).reshape(len(pairs), 2) * (months * batch_size)
    then = (np.maximum(last, 1) - 1).astype(np.intp) * batch_size + np.arange(start, start + n)
    flat = stacked.reshape(-1)
    a_then, b_then = flat[rows[:, :1] + then], flat[rows[:, 1:] + then]
    near_tie = (last > 0) & ~(a_then > dearer_threshold(b_then))
    result = last.astype(float)
    result[last == months] = np.nan
    for p in np.flatnonzero(near_tie.any(axis=1)):
        (i, j), columns = pairs[p], start + np.flatnonzero(near_tie[p])
        result[p, columns - start] = break_even_month(
            stacked[i][:, columns], stacked[j][:, columns], axis=0
        )
    return result


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The slices' per-sample arrays end to end (the array itself for one slice)."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)

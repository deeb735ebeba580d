"""Summaries of Monte Carlo output: percentiles, cost fans, cheapest option, stability.

Large runs (1,000,000 samples x 60 months x 3 options) do not fit in memory as full arrays, so a
simulation streams chunks and keeps:

- the per-sample scalars (NPV, total, break-even month, recommendation) in full: 1e6 float64 is
  8 MB each, and they feed the distributions, :func:`probability_cheapest` and :func:`stability`;
- for the monthly fan, one :class:`StreamingQuantiles` per option, which gives the *exact*
  percentiles (the same order statistics as ``numpy.percentile``, linear method) while holding
  only a few percent of the values, as follows.

Streaming exact quantiles (bracketing)
--------------------------------------
The first ``pilot_size`` samples (default 100,000) are buffered. From them, each target
percentile ``p`` of each column gets a bracket ``[a, b]``: the pilot's order statistics at ranks
``p n1 -+ (z sqrt(n1 p (1 - p)) + 2)``, with ``z = 7`` (``-inf``/``+inf`` when the rank falls
off the pilot). From then on (pilot included) every value is only counted when below ``a``,
equal to ``a``, equal to ``b`` or above ``b``, and stored only when strictly inside ``(a, b)``.
At the end, the order statistics of rank ``k = floor(p (N - 1))`` and ``k + 1`` are read from
the stored values, and interpolated as numpy does. The result equals
``numpy.percentile(all_values, qs, axis=0)`` up to floating-point rounding (1e-12 relative in
the tests).

A bracket misses only when the pilot misplaces a quantile by more than 7 binomial standard
errors (chance about 1e-11 per bracket); then :meth:`StreamingQuantiles.result` raises rather
than return an approximation. Memory: with ``n1 = 1e5`` the brackets of the default percentiles
keep about 7% of all values (0.96% for P5 and P95, 1.3% for P10 and P90, 2.2% for P50), i.e.
about 34 MB per option for 1e6 samples x 60 months, plus the 48 MB pilot buffer until it is
released. Runs with ``N <= pilot_size`` are computed directly on the buffer.

Counted anywhere, merged in any order
-------------------------------------
Once the pilot has set the brackets (:class:`QuantileBrackets`), counting a block needs
nothing else: a Dask worker counts its samples (:meth:`QuantileBrackets.count`) and sends the
counts back (:class:`BracketCounts`). Counts add and the kept values are sorted when read, so
the percentiles are the same whatever the blocks and the order they are added in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = [
    "DEFAULT_PERCENTILES",
    "BracketCounts",
    "QuantileBrackets",
    "StreamingQuantiles",
    "fan",
    "fan_frame",
    "percentiles",
    "probability_cheapest",
    "stability",
]

DEFAULT_PERCENTILES: tuple[float, ...] = (5, 10, 50, 90, 95)
"""Percentiles reported by default [%]"""

_COMPACT_AFTER = 32
"""Bracket contents are concatenated after this many chunks, to bound per-array overhead [-]"""


def percentiles(
    x: ArrayLike, qs: Sequence[float] = DEFAULT_PERCENTILES, axis: int = 0
) -> np.ndarray:
    """Percentiles of samples along an axis (numpy's linear method).

    Parameters
    ----------
    x : array_like
        Samples [any unit]; the sample axis is ``axis``.
    qs : sequence of float
        Percentiles in [0, 100] [%].
    axis : int
        The sample axis.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(qs), *other axes)`` [unit of ``x``].

    Raises
    ------
    ValueError
        When ``x`` is empty along ``axis`` or holds NaN.

    Examples
    --------
    >>> percentiles([1.0, 2.0, 3.0, 4.0, 5.0], qs=(10, 50))
    array([1.4, 3. ])
    """
    x = np.asarray(x, dtype=float)
    if x.shape[axis] == 0:
        raise ValueError("percentiles of an empty sample")
    if np.isnan(x).any():
        raise ValueError("samples contain NaN")
    qs = np.asarray(qs, dtype=float)
    if x.ndim == 2 and qs.ndim == 1:
        return _sorted_percentiles(np.sort(np.moveaxis(x, axis, -1), axis=-1), qs).T
    return np.percentile(x, qs, axis=axis)


def _sorted_percentiles(ordered: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """Percentiles of rows already sorted along the last axis, as ``numpy.percentile``'s
    linear method gives them, value for value (the same order statistics and ``_lerp``).

    A column-wise ``numpy.percentile`` of a samples x months array partitions every month
    once per percentile; one sort per month is about 4x faster for the cost fan.

    Returns
    -------
    numpy.ndarray
        Shape ``(*ordered.shape[:-1], len(qs))``.
    """
    n = ordered.shape[-1]
    virtual = (n - 1) * (qs / 100)
    below = np.floor(virtual).astype(np.intp)
    above = np.minimum(below + 1, n - 1)
    return _lerp(ordered[..., below], ordered[..., above], virtual - below)


def _column_name(q: float) -> str:
    return f"p{q:g}"


def fan_frame(
    percentiles_usd: np.ndarray, qs: Sequence[float] = DEFAULT_PERCENTILES
) -> pd.DataFrame:
    """Tidy fan from per-month percentiles.

    Parameters
    ----------
    percentiles_usd : numpy.ndarray
        Shape ``(len(qs), months)`` [USD].
    qs : sequence of float
        The percentiles of the rows [%].

    Returns
    -------
    pandas.DataFrame
        Columns ``month`` (0 ... months - 1) and ``p5``, ``p10``, ... (one per ``q``) [USD].
    """
    percentiles_usd = np.asarray(percentiles_usd, dtype=float)
    if percentiles_usd.ndim != 2 or percentiles_usd.shape[0] != len(qs):
        raise ValueError(
            f"expected percentiles of shape (len(qs)={len(qs)}, months), "
            f"got {percentiles_usd.shape}"
        )
    columns = {"month": np.arange(percentiles_usd.shape[1])}
    columns |= {_column_name(q): row for q, row in zip(qs, percentiles_usd, strict=True)}
    return pd.DataFrame(columns)


def fan(cumulative_usd: ArrayLike, qs: Sequence[float] = DEFAULT_PERCENTILES) -> pd.DataFrame:
    """Percentile fan of cumulative cost over time.

    Parameters
    ----------
    cumulative_usd : array_like
        Shape ``(samples, months)``: each sample's cumulative cost at the end of each month
        [USD].
    qs : sequence of float
        Percentiles [%]; default P5, P10, P50, P90, P95.

    Returns
    -------
    pandas.DataFrame
        One row per month: ``month``, ``p5``, ``p10``, ``p50``, ``p90``, ``p95`` [USD].
        For streamed runs use :meth:`StreamingQuantiles.fan`, which gives the same frame.
    """
    cumulative_usd = np.asarray(cumulative_usd, dtype=float)
    if cumulative_usd.ndim != 2:
        raise ValueError(
            f"expected cumulative cost of shape (samples, months), got {cumulative_usd.shape}"
        )
    return fan_frame(percentiles(cumulative_usd, qs, axis=0), qs)


def probability_cheapest(
    total_usd: Mapping[str, ArrayLike], feasible: Mapping[str, ArrayLike]
) -> dict[str, float]:
    """Share of samples in which each option is the cheapest feasible one.

    Parameters
    ----------
    total_usd : mapping of str to array_like
        Per option, the cost of each sample, shape ``(samples,)`` [USD] (total or NPV).
    feasible : mapping of str to array_like of bool
        Per option (same keys), whether it is feasible in each sample; a scalar bool
        broadcasts.

    Returns
    -------
    dict of str to float
        Per option, the probability [-]. An infeasible option never counts; a tie between
        ``k`` feasible options at exactly the same cost gives each ``1 / k`` of that sample.
        The values sum to the share of samples with at least one feasible option
        (``1 - sum`` is the probability that no option is feasible).

    Raises
    ------
    ValueError
        When the keys differ, shapes do not match, there are no samples, or a cost is NaN.

    Examples
    --------
    >>> probability_cheapest(
    ...     {"cloud": [1.0, 5.0, 2.0], "edge": [2.0, 3.0, 2.0]},
    ...     {"cloud": True, "edge": [True, True, True]},
    ... )
    {'cloud': 0.5, 'edge': 0.5}
    """
    options = list(total_usd)
    if set(options) != set(feasible):
        raise ValueError(
            f"total_usd and feasible name different options: {sorted(total_usd)} vs "
            f"{sorted(feasible)}"
        )
    if not options:
        return {}
    costs_usd = np.stack([np.asarray(total_usd[o], dtype=float) for o in options])
    if costs_usd.ndim != 2 or costs_usd.shape[1] == 0:
        raise ValueError("each option needs a 1-D array of at least one sample")
    if np.isnan(costs_usd).any():
        raise ValueError("a cost is NaN")
    allowed = np.stack(
        [np.broadcast_to(np.asarray(feasible[o], dtype=bool), costs_usd.shape[1:]) for o in options]
    )
    masked_usd = np.where(allowed, costs_usd, np.inf)
    cheapest_usd = masked_usd.min(axis=0)
    winners = allowed & (masked_usd == cheapest_usd)
    n_winners = winners.sum(axis=0)
    share = np.divide(winners, n_winners, out=np.zeros(winners.shape), where=n_winners > 0)
    probability = share.mean(axis=1)
    return {o: float(p) for o, p in zip(options, probability, strict=True)}


def stability(recommendations: ArrayLike, point_recommendation: str) -> float:
    """Share of samples whose recommendation equals the deterministic one.

    Parameters
    ----------
    recommendations : array_like of str
        The recommended option in each sample, shape ``(samples,)``.
    point_recommendation : str
        The recommendation of the deterministic run (medians of all ranges).

    Returns
    -------
    float
        In [0, 1] [-].

    Examples
    --------
    >>> stability(["edge", "cloud", "cloud", "cloud"], "cloud")
    0.75
    """
    recommendations = np.asarray(recommendations)
    if recommendations.size == 0:
        raise ValueError("stability of an empty sample")
    return float(np.mean(recommendations == point_recommendation))


def _lerp(low: np.ndarray, high: np.ndarray, t: np.ndarray) -> np.ndarray:
    """numpy's own interpolation for percentiles (``numpy/lib/_function_base_impl.py``)."""
    diff = high - low
    return np.where(t >= 0.5, high - diff * (1 - t), low + diff * t)


class QuantileBrackets:
    """Where each target percentile of each column must lie, set once from a pilot sample.

    The brackets are all a process needs to count a block of samples
    (:meth:`count`); the counts of blocks counted anywhere, in any order, add up
    (:meth:`BracketCounts.add`) to the same exact percentiles. This is what lets a Monte Carlo
    run spread its blocks over processes or machines (:mod:`edgecalc.uncertainty.backend`).

    Parameters
    ----------
    qs : sequence of float
        Percentiles in [0, 100] [%].
    a, b : numpy.ndarray
        Lower and upper bracket per percentile and column, shape ``(len(qs), columns)`` [unit
        of the samples]; ``-inf`` / ``+inf`` where the rank fell off the pilot.
    """

    def __init__(self, qs: Sequence[float], a: np.ndarray, b: np.ndarray) -> None:
        self.qs = tuple(float(q) for q in qs)
        self.a = np.asarray(a, dtype=float)
        self.b = np.asarray(b, dtype=float)
        if self.a.shape != self.b.shape or self.a.shape[0] != len(self.qs):
            raise ValueError(f"brackets of shapes {self.a.shape} and {self.b.shape}")

    @classmethod
    def from_pilot(cls, pilot: np.ndarray, qs: Sequence[float], z: float) -> QuantileBrackets:
        """Brackets from a sorted pilot of shape ``(columns, samples)`` (module notes).

        For percentile ``p`` and a pilot of ``n1`` samples: the pilot's order statistics at
        ranks ``floor(p n1 - m)`` and ``ceil(p n1 + m)``, ``m = z sqrt(n1 p (1 - p)) + 2``.
        """
        n1 = pilot.shape[1]
        p = np.asarray(qs, dtype=float) / 100
        margin = z * np.sqrt(n1 * p * (1 - p)) + 2
        rank_low = np.floor(p * n1 - margin).astype(int)
        rank_high = np.ceil(p * n1 + margin).astype(int)
        a = np.full((len(p), pilot.shape[0]), -np.inf)
        b = np.full((len(p), pilot.shape[0]), np.inf)
        for i, (lo, hi) in enumerate(zip(rank_low, rank_high, strict=True)):
            if lo >= 0:
                a[i] = pilot[:, lo]
            if hi <= n1 - 1:
                b[i] = pilot[:, hi]
        return cls(qs, a, b)

    @property
    def columns(self) -> int:
        """Number of columns (months of a fan) [-]."""
        return self.a.shape[1]

    def count(self, x: ArrayLike) -> BracketCounts:
        """The counts of one block of samples.

        Parameters
        ----------
        x : array_like
            Shape ``(samples, columns)`` [unit of the samples], no NaN.

        Returns
        -------
        BracketCounts
            Per percentile and column: how many values fell below ``a``, on ``a``, on ``b``,
            and the values strictly between ``a`` and ``b``.
        """
        x = np.asarray(x, dtype=float)
        if x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2 or x.shape[1] != self.columns:
            raise ValueError(f"expected a block of shape (samples, {self.columns}), got {x.shape}")
        if np.isnan(x).any():
            raise ValueError("samples contain NaN")
        return self.count_columns(np.ascontiguousarray(x.T))

    def count_columns(self, by_column: np.ndarray, presorted: bool = False) -> BracketCounts:
        """:meth:`count` of a block already laid out as ``(columns, samples)``; ``presorted``:
        each column is sorted already (the pilot), so it is not sorted again.

        Notes
        -----
        Per column, two searches of its sorted values (``side="left"``: values below a
        bound; ``"right"``: values up to it) for all the ``a`` and ``b`` bounds at once; the
        counts are then taken for every percentile and column in one array operation each,
        and the values strictly inside ``(a, b)`` copied out of the sorted column. The same
        searches of the same sorted values as one search per bound and side: the same counts
        and the same values kept, in the same order.
        """
        q = len(self.qs)
        counts = BracketCounts.empty(q, self.columns)
        counts.n = by_column.shape[1]
        ordered = by_column if presorted else np.sort(by_column, axis=1)
        bounds = np.concatenate([self.a, self.b]).T.copy()  # (columns, 2 qs): a then b
        below = np.empty(bounds.shape, dtype=np.intp)  # values < bound
        upto = np.empty(bounds.shape, dtype=np.intp)  # values <= bound
        for column, values in enumerate(ordered):
            below[column] = np.searchsorted(values, bounds[column], side="left")
            upto[column] = np.searchsorted(values, bounds[column], side="right")
        below_a, below_b = below[:, :q].T, below[:, q:].T  # (qs, columns)
        upto_a, upto_b = upto[:, :q].T, upto[:, q:].T
        wider = self.b > self.a
        counts.below[...] = below_a
        counts.at_a[...] = upto_a - below_a
        counts.at_b[...] = np.where(wider, upto_b - below_b, 0)
        # strictly inside (a, b), nothing where b is a: copies, so that the block's array is
        # not kept alive
        first, stop = np.where(wider, upto_a, 0).tolist(), np.where(wider, below_b, 0).tolist()
        for kept, starts, ends in zip(counts.inside, first, stop, strict=True):
            for values, into, start, end in zip(ordered, kept, starts, ends, strict=True):
                into.append(values[start:end].copy())
        return counts


class BracketCounts:
    """Counts of samples against :class:`QuantileBrackets`; counts of any blocks add up.

    Attributes
    ----------
    n : int
        Samples counted [samples].
    below, at_a, at_b : numpy.ndarray of int64
        Shape ``(len(qs), columns)``: values below ``a``, equal to ``a``, equal to ``b`` [-].
    inside : list
        ``inside[i][column]``: arrays of the values strictly inside ``(a, b)``; their order
        does not matter (they are sorted when the percentile is read).
    """

    def __init__(self, n, below, at_a, at_b, inside) -> None:
        self.n = n
        self.below = below
        self.at_a = at_a
        self.at_b = at_b
        self.inside = inside

    @classmethod
    def empty(cls, percentiles: int, columns: int) -> BracketCounts:
        """No sample counted yet."""
        shape = (percentiles, columns)
        return cls(
            0,
            np.zeros(shape, dtype=np.int64),
            np.zeros(shape, dtype=np.int64),
            np.zeros(shape, dtype=np.int64),
            [[[] for _ in range(columns)] for _ in range(percentiles)],
        )

    def add(self, other: BracketCounts) -> None:
        """Add the counts of other samples (in place); the order of additions does not matter."""
        if other.below.shape != self.below.shape:
            raise ValueError(f"counts of shape {other.below.shape}, these {self.below.shape}")
        self.n += other.n
        self.below += other.below
        self.at_a += other.at_a
        self.at_b += other.at_b
        for mine, theirs in zip(self.inside, other.inside, strict=True):
            for kept, values in zip(mine, theirs, strict=True):
                kept.extend(values)
                if len(kept) >= _COMPACT_AFTER:
                    kept[:] = [np.concatenate(kept)]

    @property
    def stored_values(self) -> int:
        """Values held between the brackets [-]."""
        return sum(v.size for per_q in self.inside for col in per_q for v in col)


class StreamingQuantiles:
    """Exact per-column percentiles of samples that arrive in chunks, with bounded memory.

    Parameters
    ----------
    qs : sequence of float
        Percentiles in [0, 100] [%].
    pilot_size : int
        Samples buffered before the brackets are set [samples]; see the module notes.
    z : float
        Bracket half-width in binomial standard errors [-].

    Notes
    -----
    Once the pilot is in, :attr:`brackets` may be sent elsewhere: samples counted there
    (:meth:`QuantileBrackets.count`) come back through :meth:`add_counts`, in any order, and
    give the same percentiles as if they had been passed to :meth:`update` here.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(1000, 3))
    >>> stream = StreamingQuantiles(pilot_size=300)
    >>> for start in range(0, 1000, 250):
    ...     stream.update(x[start:start + 250])
    >>> bool(np.allclose(stream.result(), np.percentile(x, (5, 10, 50, 90, 95), axis=0)))
    True
    """

    def __init__(
        self,
        qs: Sequence[float] = DEFAULT_PERCENTILES,
        pilot_size: int = 100_000,
        z: float = 7.0,
    ) -> None:
        self.qs = tuple(float(q) for q in qs)
        if not self.qs or any(not 0 <= q <= 100 for q in self.qs):
            raise ValueError(f"percentiles must be in [0, 100], got {qs}")
        if pilot_size < 1:
            raise ValueError(f"pilot_size must be >= 1, got {pilot_size}")
        self.pilot_size = int(pilot_size)
        self.z = float(z)
        self._columns: int | None = None
        self._pilot: list[np.ndarray] = []
        self._pilot_n = 0
        self._brackets: QuantileBrackets | None = None
        self._counts: BracketCounts | None = None

    @property
    def n(self) -> int:
        """Samples seen so far [samples]."""
        return self._pilot_n if self._counts is None else self._counts.n

    @property
    def brackets(self) -> QuantileBrackets | None:
        """The brackets, once the pilot is in (``None`` before)."""
        return self._brackets

    def update(self, x: ArrayLike) -> None:
        """Add a chunk of samples.

        Parameters
        ----------
        x : array_like
            Shape ``(samples, columns)`` (or ``(samples,)`` for one column) [any unit];
            every chunk has the same number of columns.
        """
        x = np.asarray(x, dtype=float)
        if x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2:
            raise ValueError(f"expected a chunk of shape (samples, columns), got {x.shape}")
        if self._columns is None:
            self._columns = x.shape[1]
        elif x.shape[1] != self._columns:
            raise ValueError(f"chunk has {x.shape[1]} columns, earlier chunks {self._columns}")
        if np.isnan(x).any():
            raise ValueError("samples contain NaN")
        self._add_columns(np.ascontiguousarray(x.T))  # (columns, samples): one copy per chunk

    def update_columns(self, by_column: np.ndarray) -> None:
        """:meth:`update` with a chunk already laid out as ``(columns, samples)`` (C order).

        Raises
        ------
        ValueError
            When the chunk is not two-dimensional, has another number of columns than earlier
            chunks, or holds NaN.
        """
        by_column = np.ascontiguousarray(by_column, dtype=float)
        if by_column.ndim != 2:
            raise ValueError(f"expected a chunk of shape (columns, samples), got {by_column.shape}")
        if self._columns is None:
            self._columns = by_column.shape[0]
        elif by_column.shape[0] != self._columns:
            raise ValueError(
                f"chunk has {by_column.shape[0]} columns, earlier chunks {self._columns}"
            )
        if np.isnan(by_column).any():
            raise ValueError("samples contain NaN")
        self._add_columns(by_column)

    def _add_columns(self, by_column: np.ndarray) -> None:
        if self._brackets is not None:
            self._counts.add(self._brackets.count_columns(by_column))
            return
        self._pilot.append(by_column)
        self._pilot_n += by_column.shape[1]
        if self._pilot_n >= self.pilot_size:
            self._set_brackets()

    def add_counts(self, counts: BracketCounts) -> None:
        """Add samples counted elsewhere against :attr:`brackets`.

        Raises
        ------
        RuntimeError
            When the pilot is not complete yet (there are no brackets to count against).
        """
        if self._counts is None:
            raise RuntimeError("the pilot is not complete: update() with it first")
        self._counts.add(counts)

    def _set_brackets(self) -> None:
        # (columns, samples), each chunk let go once copied: the pilot is held once, not twice
        pilot = np.empty((self._columns, self._pilot_n))
        start = 0
        while self._pilot:
            chunk = self._pilot.pop(0)
            pilot[:, start : start + chunk.shape[1]] = chunk
            start += chunk.shape[1]
            del chunk
        pilot.sort(axis=1)  # in place; counting below does not depend on order
        self._brackets = QuantileBrackets.from_pilot(pilot, self.qs, self.z)
        self._counts = self._brackets.count_columns(pilot, presorted=True)

    def _order_statistic(self, i: int, column: int, rank: int, inside: np.ndarray) -> float:
        counts, brackets = self._counts, self._brackets
        position = rank - counts.below[i, column]
        if position < 0:
            raise RuntimeError(self._miss_message(i, column))
        if position < counts.at_a[i, column]:
            return float(brackets.a[i, column])
        position -= counts.at_a[i, column]
        if position < inside.size:
            return float(inside[position])
        position -= inside.size
        if position < counts.at_b[i, column]:
            return float(brackets.b[i, column])
        raise RuntimeError(self._miss_message(i, column))

    def _miss_message(self, i: int, column: int) -> str:
        return (
            f"streaming percentile P{self.qs[i]:g} of column {column} fell outside its bracket "
            f"(the first {self.pilot_size} samples were unrepresentative); increase pilot_size"
        )

    def result(self) -> np.ndarray:
        """Percentiles of every sample seen so far.

        Returns
        -------
        numpy.ndarray
            Shape ``(len(qs), columns)`` [unit of the samples], equal to
            ``numpy.percentile(all_samples, qs, axis=0)`` up to rounding.

        Raises
        ------
        ValueError
            When no sample has been added.
        RuntimeError
            When a bracket missed its percentile (see the module notes).
        """
        if self.n == 0:
            raise ValueError("no samples added")
        if self._counts is None:
            return percentiles(np.concatenate(self._pilot, axis=1), self.qs, axis=1)
        virtual_rank = np.asarray(self.qs) / 100 * (self.n - 1)
        rank = np.floor(virtual_rank).astype(np.int64)
        fraction = virtual_rank - rank
        out = np.empty(self._brackets.a.shape)
        for i in range(len(self.qs)):
            next_rank = min(int(rank[i]) + 1, self.n - 1)
            for column in range(out.shape[1]):
                inside = np.sort(np.concatenate(self._counts.inside[i][column]))
                low = self._order_statistic(i, column, int(rank[i]), inside)
                high = self._order_statistic(i, column, next_rank, inside)
                out[i, column] = _lerp(np.asarray(low), np.asarray(high), fraction[i])
        return out

    def fan(self) -> pd.DataFrame:
        """The fan of the samples seen so far (columns are months), as :func:`fan` returns it.

        Returns
        -------
        pandas.DataFrame
            ``month``, ``p5``, ... [unit of the samples].
        """
        return fan_frame(self.result(), self.qs)

    @property
    def stored_values(self) -> int:
        """Values held in memory now (pilot buffer plus bracket contents) [-]."""
        if self._counts is None:
            return sum(chunk.size for chunk in self._pilot)
        return self._counts.stored_values

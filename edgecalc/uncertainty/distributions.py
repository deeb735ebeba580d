"""Ranges to distributions: the deterministic value, the inverse CDF, and samples.

A range is given on plain parameters ``(low, high, dist, mode, min, max)``, the fields of a
scenario's ``Range``; this module never imports the scenario model.

- ``lognormal`` and ``normal``: ``low`` and ``high`` are the 5th and 95th percentiles (a 90%
  interval).
- ``uniform`` and ``triangular``: ``low`` and ``high`` are the ends of the support;
  ``mode`` (triangular only) defaults to the midpoint.
- ``dist=None``: lognormal when ``low > 0`` (so both ends are positive), normal otherwise.
- ``low == high`` is a point mass at that value (whatever ``dist`` says).
- ``min`` / ``max``: hard bounds. The distribution is *truncated* to ``[min, max]`` by the
  inverse-CDF method: a uniform ``q`` is mapped to ``F(min) + q * (F(max) - F(min))`` and then
  through the untruncated inverse CDF. This keeps sampling vectorised and uses exactly one
  uniform per sample, so a seed gives the same numbers and a correlation imposed on the
  uniforms (see :mod:`edgecalc.uncertainty.correlation`) carries over unchanged. Nothing is
  clipped and nothing is resampled. ``low``/``high`` keep their meaning for the *untruncated*
  distribution; the truncated one has other percentiles.

Limitation of the inverse-CDF truncation: when a bound lies deep in a tail (``F(min)`` within
about 1e-12 of 1, or ``F(max)`` within 1e-12 of 0) the bounded interval holds almost no
probability and the result is imprecise; a range whose bounds leave less than 1e-12 of the mass
is rejected with a ValueError.

References
----------
The 90%-interval convention follows Guesstimate, Squiggle and squigglepy
(``squigglepy/distributions.py: to``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr, ndtri

__all__ = [
    "DISTRIBUTIONS",
    "Z_95",
    "RangeSet",
    "cdf",
    "fill_uniforms",
    "median_of",
    "ppf",
    "resolve_dist",
    "sample",
    "uniforms",
]

Dist = Literal["lognormal", "normal", "triangular", "uniform"]

DISTRIBUTIONS: Final[tuple[str, ...]] = ("lognormal", "normal", "triangular", "uniform")

Z_95: Final[float] = float(ndtri(0.95))
"""Standard normal 95th percentile, 1.6448536... [-]"""

_MIN_MASS: Final[float] = 1e-12
"""Smallest probability mass the bounds ``[min, max]`` may keep [-]"""

_TINY_Q: Final[float] = 2.0**-54
"""Replaces an exact 0 drawn by ``Generator.random`` so every uniform is in (0, 1) [-]"""


def resolve_dist(
    low: float, high: float, dist: str | None = None, mode: float | None = None
) -> str:
    """Check a range and name its distribution.

    Parameters
    ----------
    low, high : float
        Ends of the range [unit of the input]; ``low <= high``.
    dist : {"lognormal", "normal", "triangular", "uniform"} or None
        None means lognormal when ``low > 0`` and normal otherwise.
    mode : float or None
        Most likely value of a triangular range [unit of the input]; only for triangular.

    Returns
    -------
    str
        The distribution's name.

    Raises
    ------
    ValueError
        When ``low > high``, a bound is not finite, ``dist`` is unknown, a lognormal range
        is not positive, or ``mode`` is given for another distribution or lies outside
        ``[low, high]``.
    """
    if type(low) is float and type(high) is float:  # as np.isfinite, without a ufunc call
        finite = math.isfinite(low) and math.isfinite(high)
    else:
        finite = np.isfinite(low) and np.isfinite(high)
    if not finite:
        raise ValueError(f"range ends must be finite, got low={low}, high={high}")
    if low > high:
        raise ValueError(f"range needs low <= high, got low={low}, high={high}")
    if dist is None:
        dist = "lognormal" if low > 0 else "normal"
    if dist not in DISTRIBUTIONS:
        raise ValueError(f"unknown dist {dist!r}; expected one of {', '.join(DISTRIBUTIONS)}")
    if dist == "lognormal" and low <= 0:
        raise ValueError(f"a lognormal range needs low > 0, got low={low}, high={high}")
    if mode is not None:
        if dist != "triangular":
            raise ValueError(f"mode applies to a triangular range only, got dist={dist!r}")
        if not low <= mode <= high:
            raise ValueError(f"triangular mode={mode} lies outside [low={low}, high={high}]")
    return dist


def _check_bounds(min: float | None, max: float | None) -> tuple[float, float]:
    lower = -np.inf if min is None else float(min)
    upper = np.inf if max is None else float(max)
    if math.isnan(lower) or math.isnan(upper) or lower >= upper:
        raise ValueError(f"bounds need min < max, got min={min}, max={max}")
    return lower, upper


def _lognormal_params(low: float, high: float) -> tuple[float, float]:
    mu = (np.log(low) + np.log(high)) / 2
    sigma = (np.log(high) - np.log(low)) / (2 * Z_95)
    return float(mu), float(sigma)


def _normal_params(low: float, high: float) -> tuple[float, float]:
    return (low + high) / 2, (high - low) / (2 * Z_95)


def _mode(low: float, high: float, mode: float | None) -> float:
    return (low + high) / 2 if mode is None else float(mode)


def _untruncated_cdf(x: np.ndarray, low: float, high: float, dist: str, mode: float | None):
    if dist == "lognormal":
        mu, sigma = _lognormal_params(low, high)
        positive = x > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (np.log(np.where(positive, x, 1.0)) - mu) / sigma
        return np.where(positive, ndtr(z), 0.0)
    if dist == "normal":
        mean, sd = _normal_params(low, high)
        return ndtr((x - mean) / sd)
    if dist == "uniform":
        return np.clip((x - low) / (high - low), 0.0, 1.0)
    a, b, c = low, high, _mode(low, high, mode)
    width = b - a
    xc = np.clip(x, a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        rising = (xc - a) ** 2 / (width * (c - a))
        falling = 1 - (b - xc) ** 2 / (width * (b - c))
    return np.where(xc < c, rising, np.where(xc > c, falling, (c - a) / width))


def cdf(
    x: ArrayLike,
    low: float,
    high: float,
    dist: str | None = None,
    mode: float | None = None,
    min: float | None = None,
    max: float | None = None,
) -> np.ndarray:
    """Cumulative distribution function of a range, truncation included.

    Parameters
    ----------
    x : array_like
        Values [unit of the input].
    low, high, dist, mode, min, max
        The range, as in :func:`ppf`.

    Returns
    -------
    numpy.ndarray
        ``P(X <= x)`` [-], same shape as ``x``.

    Notes
    -----
    With bounds, ``F_T(x) = (F(clip(x, min, max)) - F(min)) / (F(max) - F(min))``.
    """
    dist = resolve_dist(low, high, dist, mode)
    lower, upper = _check_bounds(min, max)
    x = np.asarray(x, dtype=float)
    if low == high:
        inside = (x >= low).astype(float)
        return np.where(x >= upper, 1.0, np.where(x < lower, 0.0, inside))
    f_lower, f_upper = _bound_masses(*_key(low, high, mode), dist, lower, upper)
    f_x = _untruncated_cdf(np.clip(x, lower, upper), low, high, dist, mode)
    return np.clip((f_x - f_lower) / (f_upper - f_lower), 0.0, 1.0)


def _key(low, high, mode) -> tuple[float, float, float | None]:
    """``low, high, mode`` as plain floats (hashable, whatever the caller passed)."""
    return float(low), float(high), None if mode is None else float(mode)


@functools.lru_cache(maxsize=1024)
def _bound_masses(
    low: float, high: float, mode: float | None, dist: str, lower: float, upper: float
) -> tuple[float, float]:
    # kept per range: a Monte Carlo run asks for the same range's masses once per seed block
    f_lower = float(_untruncated_cdf(np.asarray(lower), low, high, dist, mode))
    f_upper = float(_untruncated_cdf(np.asarray(upper), low, high, dist, mode))
    if f_upper - f_lower < _MIN_MASS:
        raise ValueError(
            f"bounds [min={lower}, max={upper}] keep almost none of the {dist} range "
            f"[low={low}, high={high}] (mass {f_upper - f_lower:.3g})"
        )
    return f_lower, f_upper


def ppf(
    q: ArrayLike,
    low: float,
    high: float,
    dist: str | None = None,
    mode: float | None = None,
    min: float | None = None,
    max: float | None = None,
) -> np.ndarray:
    """Inverse CDF (quantile function) of a range, vectorised over ``q``.

    Parameters
    ----------
    q : array_like
        Probabilities in [0, 1] [-]; any shape.
    low, high : float
        5th and 95th percentiles (lognormal, normal) or support ends (uniform, triangular)
        [unit of the input].
    dist : {"lognormal", "normal", "triangular", "uniform"} or None
        None: lognormal when ``low > 0``, normal otherwise.
    mode : float or None
        Triangular mode [unit of the input]; default ``(low + high) / 2``.
    min, max : float or None
        Hard bounds [unit of the input]; the distribution is truncated to them.

    Returns
    -------
    numpy.ndarray
        Values [unit of the input], same shape as ``q``. ``q = 0`` or ``1`` give the ends of
        the (truncated) support, which are infinite for an unbounded normal or lognormal.

    Notes
    -----
    Lognormal: ``mu = (ln low + ln high) / 2``, ``sigma = (ln high - ln low) / (2 z95)``,
    ``x = exp(mu + sigma * Phi^-1(q))`` with ``z95 = Phi^-1(0.95) = 1.6448536``.

    Normal: ``x = (low + high) / 2 + (high - low) / (2 z95) * Phi^-1(q)``.

    Uniform: ``x = low + q (high - low)``.

    Triangular on ``[a, b]`` with mode ``c``, ``Fc = (c - a) / (b - a)``:
    ``x = a + sqrt(q (b - a)(c - a))`` for ``q < Fc``, else ``b - sqrt((1 - q)(b - a)(b - c))``.

    Truncation to ``[min, max]``: ``x = F^-1(F(min) + q (F(max) - F(min)))``, then clipped to
    ``[min, max]`` against rounding.

    Examples
    --------
    >>> round(float(ppf(0.5, 20, 60)), 3)
    34.641
    >>> round(float(ppf(0.95, 20, 60)), 6)
    60.0
    """
    q = np.asarray(q, dtype=float)
    values = RangeSet([(low, high, dist, mode, min, max)]).ppf(q.reshape(1, -1))
    return values.reshape(q.shape)


class RangeSet:
    """Several ranges whose inverse CDFs are taken at once: rows of one ``(k, n)`` array.

    The ranges of one distribution are computed together, one array operation per step for
    all of them (their parameters as columns), so that a Monte Carlo seed block of many ranged
    inputs costs a few array operations rather than a few per input. :func:`ppf` is the same
    computation for one range; a row's values do not depend on the other rows (a row without
    bounds takes ``q x (1 - 0) + 0`` and a clip to ``[-inf, inf]``, which leave every
    probability and value as it is).

    Parameters
    ----------
    ranges : sequence of tuple
        ``(low, high, dist, mode, min, max)`` per row, as :func:`ppf` takes them.

    Attributes
    ----------
    size : int
        Number of ranges ``k`` [-].
    slots : numpy.ndarray of intp
        Shape ``(k,)``: the row range ``i`` takes in the arrays :meth:`ppf_into` reads and
        writes [-]: the distributions in the order they first appear, each one's ranges in
        their order, the point ranges last. The rows of one distribution are consecutive,
        so that each step works on a view (no copy in or out); :meth:`ppf` takes and returns
        rows in the order of ``ranges``.

    Raises
    ------
    ValueError
        As :func:`ppf`, for a range that makes no sense or bounds that keep almost none of it.

    Notes
    -----
    The values are those of the formulas in :func:`ppf`, computed in place (one array for
    the probabilities, one for the values) rather than in a fresh array per step, and they
    are the same bits: every step is elementwise with the row's own parameters in the same
    order (``numpy.exp``, ``numpy.log`` and ``scipy.special.ndtri`` give the same bits in a
    view as in a fresh array, of any length; checked by the tests); the truncation's
    ``F(min) + q (F(max) - F(min))`` is skipped only for a row whose bounds keep all the
    mass, where it is ``q x 1 + 0 = q``; and the clip to ``[min, max]`` is
    ``minimum(maximum(x, min), max)``, skipped for a bound no value can pass, only where no
    value can be NaN or a zero of the other sign than a bound (:func:`_exact_ties`), so that
    wherever a value meets a bound the two are the same bits. A distribution with a ``-0.0``
    among its numbers is computed as it always was, in fresh arrays.

    Examples
    --------
    >>> rs = RangeSet([(20, 60, None, None, None, None), (0, 1, "uniform", None, None, 0.5)])
    >>> q = np.array([[0.5, 0.95], [0.5, 1.0]])
    >>> bool(np.array_equal(rs.ppf(q)[0], ppf(q[0], 20, 60)))
    True
    >>> rs.ppf(q)[1].tolist()
    [0.25, 0.5]
    """

    def __init__(self, ranges) -> None:
        self.size = len(ranges)
        points: list[tuple[int, float]] = []
        rows: dict[str, list[tuple[int, tuple]]] = {}
        for row, (low, high, dist, mode, lo, hi) in enumerate(ranges):
            dist = resolve_dist(low, high, dist, mode)
            lower, upper = _check_bounds(lo, hi)
            if low == high:
                if not lower <= low <= upper:
                    raise ValueError(f"point range {low} lies outside [min={lo}, max={hi}]")
                points.append((row, float(low)))
                continue
            if lower == -np.inf and upper == np.inf:
                masses = (0.0, 1.0)
            else:
                masses = _bound_masses(*_key(low, high, mode), dist, lower, upper)
            rows.setdefault(dist, []).append((row, (low, high, mode, lower, upper, *masses)))
        self._spans: list[_Span] = []
        laid_out: list[int] = []  # the range in each row of the layout
        for dist, members in rows.items():
            self._spans.append(_Span.of(dist, len(laid_out), members))
            laid_out += [row for row, _ in members]
        self._points = (len(laid_out), np.array([value for _, value in points])[:, None])
        laid_out += [row for row, _ in points]
        slots = [0] * self.size
        for slot, row in enumerate(laid_out):
            slots[row] = slot
        self.slots = np.array(slots, dtype=np.intp)
        self._input_of_slot = np.array(laid_out, dtype=np.intp)
        self._in_order = laid_out == list(range(self.size))

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """Values at probabilities ``q``, shape ``(k, n)`` in [0, 1] [-]; row ``i`` is the
        ``i``-th range's [unit of that input]."""
        q = np.asarray(q, dtype=float)
        if q.ndim != 2 or q.shape[0] != self.size:
            raise ValueError(f"expected probabilities of shape ({self.size}, n), got {q.shape}")
        if q.size and not (q.min() >= 0 and q.max() <= 1):  # a NaN fails both
            raise ValueError("ppf needs probabilities q in [0, 1]")
        laid_q = q if self._in_order else q[self._input_of_slot]
        # F(min) + q (F(max) - F(min)) as ever: q x 1 + 0 = q + 0 where the bounds keep all
        # the mass (-0.0 becomes +0.0), from q itself where they do not
        work = laid_q + 0.0
        for span in self._spans:
            span.truncate(laid_q[span.start : span.stop], work[span.start : span.stop])
        out = np.empty(q.shape)
        for span in self._spans:
            span.fill(work[span.start : span.stop], out[span.start : span.stop])
        self._fill_points(out)
        return out if self._in_order else out[self.slots]

    def ppf_into(self, q: np.ndarray, out: np.ndarray, scratch: np.ndarray | None = None) -> None:
        """The values at drawn probabilities, written into ``out``, rows laid out by
        :attr:`slots`; ``q`` is overwritten in the rows of truncated ranges.

        Parameters
        ----------
        q : numpy.ndarray
            Shape ``(k, n)`` [-], row ``slots[i]`` for range ``i``; every value in (0, 1)
            (what :func:`uniforms` and the copula give). Not checked. A row whose bounds cut
            off some mass is left holding ``F(min) + q (F(max) - F(min))``.
        out : numpy.ndarray
            Shape ``(k, n)``, float64, rows laid out as ``q``; a view (columns of a larger
            array) will do [unit of each input].
        scratch : numpy.ndarray, optional
            Float64, at least ``k x n`` elements, contiguous: where the values are computed
            when ``out`` is not C-contiguous, then copied (reused from block to block); made
            when needed.

        Notes
        -----
        The values are those of :meth:`ppf`, bit for bit. Where :meth:`ppf` adds
        ``q x 1 + 0`` for a row whose bounds keep all the mass, this takes ``q`` as it is:
        the two differ only at ``q = -0.0`` (which the sum turns into ``+0.0``), a value a
        draw never holds. The values are computed in a C-contiguous array, ``out`` itself or
        ``scratch``: numpy's loops over one contiguous run are about 1.5 times as fast as over
        the rows of a view one by one (0.27 against 0.43 ns a value for a product), more than
        the copy costs (0.13 ns); the values are the same either way.
        """
        laid = out
        if not out.flags.c_contiguous:
            if scratch is None or scratch.size < out.size:
                scratch = np.empty(out.size)
            laid = scratch[: out.size].reshape(out.shape)
        for span in self._spans:
            probabilities = q[span.start : span.stop]
            span.truncate(probabilities, probabilities)
            span.fill(probabilities, laid[span.start : span.stop])
        self._fill_points(laid)
        if laid is not out:
            out[...] = laid

    def _fill_points(self, out: np.ndarray) -> None:
        start, values = self._points
        if values.size:
            out[start:] = values


def _is_plus_zero(x: float) -> bool:
    return x == 0 and math.copysign(1.0, x) > 0


def _exact_ties(members: list[tuple[int, tuple]], params: dict) -> bool:
    """Whether no value of these ranges can be NaN or a zero of the other sign than a bound.

    Then every value is ``clip(x, min, max)`` however the clip is computed: where ``x``
    equals a bound, the two are the same bits. True when no number of the ranges
    (``low``, ``high``, ``mode``, the bounds and ``F(min)``) is ``-0.0`` and every parameter
    column is finite with a positive scale or width: a probability is then ``+0.0`` or more,
    so no step of :meth:`_Span.fill` makes a ``-0.0`` (a sum is ``-0.0`` only of two
    ``-0.0``; ``exp`` and ``sqrt`` of a number that is not ``-0.0`` are not ``-0.0``;
    ``b - s`` with ``b = s`` is ``+0.0``) or a NaN (no ``0 x inf``, ``inf - inf`` or square
    root of a negative number).
    """
    zeros = [v for _, m in members for v in m[:6] if v is not None and v == 0]
    if any(math.copysign(1.0, v) < 0 for v in zeros):
        return False
    numbers = [v for name, c in params.items() if name != "masses" for v in c.ravel().tolist()]
    if not all(math.isfinite(v) for v in numbers):
        return False
    return all(
        min(params[name].ravel().tolist()) > 0 for name in ("scale", "width") if name in params
    )


class _Span:
    """The consecutive rows of one distribution in :meth:`RangeSet.ppf_into`'s layout."""

    def __init__(self, dist: str, start: int, stop: int, params: dict, members: list) -> None:
        self.dist, self.start, self.stop = dist, start, stop
        self.exact_ties = _exact_ties(members, params)
        self.params = dict(params)
        f_lower, width, self.lower, self.upper = self.params.pop("masses")
        # the rows whose bounds cut off some mass (others keep q: q x 1 + 0 = q), with their
        # F(min) and F(max) - F(min)
        whole = [_is_plus_zero(m[5]) and m[6] - m[5] == 1.0 for _, m in members]
        self.truncated = [
            (i, float(width[i, 0]), float(f_lower[i, 0])) for i, w in enumerate(whole) if not w
        ]
        # with exact ties, the bounds a value can pass: min > -inf (for a lognormal, min > 0:
        # its values are +0.0 or more) and max < inf; a bound no value can pass leaves it as
        # it is, so the rows of such bounds are not compared with them
        lows, highs = self.lower.ravel().tolist(), self.upper.ravel().tolist()
        self.binding_lower = _binding(
            self.lower, [lo > (0.0 if dist == "lognormal" else -math.inf) for lo in lows]
        )
        self.binding_upper = _binding(self.upper, [hi < math.inf for hi in highs])

    @classmethod
    def of(cls, dist: str, start: int, members: list[tuple[int, tuple]]) -> _Span:
        """The span of ``members`` from row ``start``."""
        return cls(dist, start, start + len(members), _columns(dist, members)[1], members)

    def truncate(self, q: np.ndarray, out: np.ndarray) -> None:
        """``out = F(min) + q (F(max) - F(min))`` in the rows whose bounds cut off some mass
        (``q x width``, then ``+ F(min)``: the two roundings :meth:`RangeSet.ppf` has always
        made); other rows are left as they are."""
        for i, width, f_lower in self.truncated:
            np.multiply(q[i], width, out=out[i])
            np.add(out[i], f_lower, out=out[i])

    def fill(self, q: np.ndarray, out: np.ndarray) -> None:
        """``out = clip(F^-1(q), min, max)`` row by row, ``q`` the probabilities after the
        truncation.

        With :attr:`exact_ties`, the operations of :func:`_untruncated_rows` in the same
        order on the same numbers, written in place in ``out`` (any layout), and the clip as
        ``minimum(maximum(x, min), max)`` where a bound can bind. Otherwise as
        :meth:`RangeSet.ppf` has always computed it: :func:`_untruncated_rows` into a fresh
        array, then one ``numpy.clip`` over every row of the distribution into another
        (``numpy.clip`` with bounds per row takes one of several loops depending on the
        operands' layout, and they disagree on the sign of a zero at a bound of zero).
        """
        p = self.params
        if not self.exact_ties:
            out[...] = np.clip(_untruncated_rows(q, self.dist, p), self.lower, self.upper)
            return
        if self.dist in ("lognormal", "normal"):
            ndtri(q, out=out)
            np.multiply(out, p["scale"], out=out)
            np.add(out, p["centre"], out=out)
            if self.dist == "lognormal":
                np.exp(out, out=out)
        elif self.dist == "uniform":
            np.multiply(q, p["width"], out=out)
            np.add(out, p["low"], out=out)
        else:  # triangular
            out[...] = _untruncated_rows(q, self.dist, p)
        _compare(np.maximum, out, self.binding_lower)
        _compare(np.minimum, out, self.binding_upper)


def _binding(bounds: np.ndarray, binds: list[bool]) -> np.ndarray | list | None:
    """How :func:`_compare` applies the column ``bounds`` to the rows where ``binds``: the
    column itself, to every row at once (where a bound cannot bind, comparing with it leaves
    the value as it is), when more than a quarter of the rows need it; else a list of
    ``(row, bound)`` to compare one row at a time; None when no row needs it."""
    rows = [
        (i, bound)
        for i, (bound, needed) in enumerate(zip(bounds.ravel().tolist(), binds, strict=True))
        if needed
    ]
    if not rows:
        return None
    return bounds if 4 * len(rows) > len(binds) else rows


def _compare(op, out: np.ndarray, binding: np.ndarray | list | None) -> None:
    """``op(out, bound, out=out)`` as :func:`_binding` planned it (``op``: ``numpy.maximum``
    for a lower bound, ``numpy.minimum`` for an upper one)."""
    if isinstance(binding, np.ndarray):
        op(out, binding, out=out)
    elif binding is not None:
        for i, bound in binding:
            op(out[i], bound, out=out[i])


def _columns(dist: str, members: list[tuple[int, tuple]]) -> tuple[np.ndarray, dict]:
    """Row indices and parameter columns ``(k, 1)`` of the ranges of one distribution."""
    index = np.array([row for row, _ in members], dtype=np.intp)

    def col(values) -> np.ndarray:
        return np.array([float(v) for v in values])[:, None]

    lows = [m[0] for _, m in members]
    highs = [m[1] for _, m in members]
    params: dict = {
        "masses": (
            col(m[5] for _, m in members),
            col(m[6] - m[5] for _, m in members),
            col(m[3] for _, m in members),
            col(m[4] for _, m in members),
        )
    }
    if dist == "lognormal":  # _lognormal_params on every row at once: the same operations
        log_low, log_high = np.log(col(lows)), np.log(col(highs))
        params["centre"] = (log_low + log_high) / 2
        params["scale"] = (log_high - log_low) / (2 * Z_95)
    elif dist == "normal":
        mean_sd = [_normal_params(lo, hi) for lo, hi in zip(lows, highs, strict=True)]
        params["centre"], params["scale"] = col(p[0] for p in mean_sd), col(p[1] for p in mean_sd)
    elif dist == "uniform":
        params["low"] = col(lows)
        params["width"] = col(hi - lo for lo, hi in zip(lows, highs, strict=True))
    else:  # triangular on [a, b] with mode c
        a, b = lows, highs
        c = [_mode(lo, hi, m[2]) for lo, hi, (_, m) in zip(a, b, members, strict=True)]
        params["a"], params["b"] = col(a), col(b)
        params["width"] = col(hi - lo for lo, hi in zip(a, b, strict=True))
        params["q_mode"] = col((ci - ai) / (bi - ai) for ai, bi, ci in zip(a, b, c, strict=True))
        params["rise"] = col(ci - ai for ai, ci in zip(a, c, strict=True))
        params["fall"] = col(bi - ci for bi, ci in zip(b, c, strict=True))
    return index, params


def _untruncated_rows(q: np.ndarray, dist: str, p: dict) -> np.ndarray:
    """The untruncated inverse CDF of rows sharing one distribution, parameters as columns
    (formulas in :func:`ppf`), each step into a fresh array; :meth:`_Span.fill` computes the
    same in place, and uses this for the triangular law and for ranges whose values could
    meet a bound as a zero of the other sign."""
    if dist == "lognormal":
        return np.exp(p["centre"] + p["scale"] * ndtri(q))
    if dist == "normal":
        return p["centre"] + p["scale"] * ndtri(q)
    if dist == "uniform":
        return p["low"] + q * p["width"]
    rising = p["a"] + np.sqrt(q * p["width"] * p["rise"])
    falling = p["b"] - np.sqrt((1 - q) * p["width"] * p["fall"])
    return np.where(q < p["q_mode"], rising, falling)


def median_of(
    low: float,
    high: float,
    dist: str | None = None,
    mode: float | None = None,
    min: float | None = None,
    max: float | None = None,
) -> float:
    """The deterministic value of a range: its median.

    Parameters
    ----------
    low, high, dist, mode, min, max
        The range, as in :func:`ppf`. ``min``/``max`` are optional: with them, the median of
        the truncated distribution (what the samples' median converges to).

    Returns
    -------
    float
        The median [unit of the input].

    Notes
    -----
    Lognormal: ``sqrt(low * high)``. Normal and uniform: ``(low + high) / 2``. Triangular with
    mode ``c``: ``a + sqrt((b - a)(c - a) / 2)`` when ``c >= (a + b) / 2``, else
    ``b - sqrt((b - a)(b - c) / 2)``. With bounds: ``ppf(0.5, ...)``.

    Examples
    --------
    >>> round(median_of(20, 60), 3)
    34.641
    >>> median_of(-10, 30)
    10.0
    >>> round(median_of(0, 10, "triangular", mode=10), 4)
    7.0711
    """
    return float(ppf(0.5, low, high, dist, mode, min, max))


def uniforms(n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` independent uniforms on the open interval (0, 1).

    Parameters
    ----------
    n : int
        Number of draws [samples].
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)`` [-]. ``Generator.random`` draws from [0, 1); an exact 0 (chance 2^-53)
        becomes 2^-54 so that the normal and lognormal ppf stay finite.
    """
    u = rng.random(n)
    np.maximum(u, _TINY_Q, out=u)
    return u


def fill_uniforms(out: np.ndarray, rows: Sequence[int], rng: np.random.Generator) -> None:
    """Draw independent uniforms on (0, 1) into rows of ``out``, as :func:`uniforms` would.

    Parameters
    ----------
    out : numpy.ndarray
        Shape ``(k, n)``, float64, C-contiguous; rows not in ``rows`` must already hold
        values of at least 2^-54 (uniforms of the copula, say), which this leaves as they are.
    rows : sequence of int
        The rows to draw, in the order they take their numbers from ``rng`` [-].
    rng : numpy.random.Generator
        Source of randomness; ``n`` draws per row.

    Notes
    -----
    Row ``rows[j]`` holds what the ``j``-th of ``len(rows)`` calls of ``uniforms(n, rng)``
    returns: ``Generator.random(out=a)`` fills the C-contiguous ``a`` with the numbers
    ``Generator.random(a.size)`` returns, in order, so consecutive rows (``rows[j + 1] ==
    rows[j] + 1``) are drawn by one call; the exact zeros of every row then become 2^-54 at
    once (``maximum(u, 2^-54)``, which leaves any other value as it is, so it is skipped when
    the smallest value is above 0: a draw is a multiple of 2^-53, so it is 0 or at least
    2^-53).
    """
    first = 0
    for j in range(1, len(rows) + 1):
        if j == len(rows) or rows[j] != rows[j - 1] + 1:
            rng.random(out=out[rows[first] : rows[j - 1] + 1])
            first = j
    if not out.min(initial=1.0) > 0:  # any exact 0 (or a NaN, as before: maximum keeps it)
        np.maximum(out, _TINY_Q, out=out)


def sample(
    n: int,
    low: float,
    high: float,
    dist: str | None = None,
    mode: float | None = None,
    min: float | None = None,
    max: float | None = None,
    *,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw ``n`` samples of a range: ``ppf`` of ``n`` uniforms.

    Parameters
    ----------
    n : int
        Number of samples [samples].
    low, high, dist, mode, min, max
        The range, as in :func:`ppf`.
    rng : numpy.random.Generator
        Source of randomness (keyword only); the same generator state gives the same samples.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)`` [unit of the input].

    Notes
    -----
    Exactly ``n`` uniforms are drawn from ``rng`` (``rng.random(n)``), whatever the
    distribution or bounds, so draws for later inputs do not shift when one input's
    distribution changes.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    resolve_dist(low, high, dist, mode)
    return ppf(uniforms(n, rng), low, high, dist, mode, min, max)

"""A cost line: one item of one option in every month, traceable to its inputs."""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

import numpy as np

CAPEX_CATEGORIES = frozenset({"hardware", "installation", "residual", "commitment"})
"""Categories counted as capital expenditure; everything else is operating expenditure."""

OPERATIONS_CATEGORIES = frozenset(
    {
        "labour",
        "failures",
        "software",
        "updates",
        "telemetry",
        "site_visits",
        "installation",
        "support",
    }
)
"""Cost categories that are operations (people and fleet upkeep) rather than resources
(compute, power, facilities) or one-time integration."""


@dataclass(frozen=True)
class CostLine:
    """One cost item of one option, month by month.

    Arrays have shape ``(S, M)``: samples by months. ``usd = quantity × unit_usd`` except
    where the line is built with its total (``given_usd``: a tiered bill, a bill after a free
    allowance), whose unit price is then the average, ``given_usd / quantity``.
    """

    option: str
    """``cloud``, ``edge`` or ``hybrid``."""
    category: str
    """compute, transfer, network, storage, hardware, installation, failures, power,
    software, labour, updates, telemetry, site_visits, residual (a credit: the only category
    that may be negative)."""
    item: str
    """What is paid for, in words."""
    unit: str
    """Unit of ``quantity`` (instance-hours, GB, devices, kWh, FTE-months, ...)."""
    quantity: np.ndarray
    stated_unit_usd: np.ndarray | None
    """The unit price the line is built with [USD per unit]; None for a line built with its
    total alone, whose unit price is the average (:attr:`unit_usd`)."""
    given_usd: np.ndarray | None
    """The line's total when it is built with it (a tiered bill, a bill after a free allowance,
    a site link's fees), else None."""
    inputs: tuple[str, ...] = ()
    """Input paths the line is computed from (see Result.assumptions)."""
    zero_price: bool = False
    """True when ``unit_usd`` is exactly zero (±0) in every month and is stored small (held at
    its point value, one value per sample, or one value broadcast): set by :func:`line`. An
    option's monthly sum skips such a line when its quantity is finite
    (:func:`monthly_sum_usd`)."""

    @functools.cached_property
    def unit_usd(self) -> np.ndarray:
        """The unit price month by month [USD per unit] (S, M): as stated, or for a line built
        with its total alone the average, ``given_usd / quantity`` (0 where the quantity is
        0), worked out when first read (a Monte Carlo batch never reads it)."""
        if self.stated_unit_usd is not None:
            return self.stated_unit_usd
        usd, quantity = self.given_usd, self.quantity
        shape = np.broadcast_shapes(usd.shape, quantity.shape)
        return np.divide(usd, quantity, out=np.zeros(shape), where=quantity > 0)

    @functools.cached_property
    def usd(self) -> np.ndarray:
        """The line's cost month by month [USD] (S, M): ``quantity × unit_usd``, or the given
        total. Computed when first read and kept: a Monte Carlo batch reads only each
        option's sum of its lines (:func:`monthly_sum_usd`), which does not keep them."""
        if self.given_usd is not None:
            return self.given_usd
        return self.quantity * self.stated_unit_usd

    @property
    def kind(self) -> str:
        """``capex`` or ``opex``."""
        return "capex" if self.category in CAPEX_CATEGORIES else "opex"

    def relabelled(self, option: str, inputs: tuple[str, ...]) -> CostLine:
        """The same line (the same arrays, its total too once computed) for another option."""
        new = dataclasses.replace(self, option=option, inputs=inputs)
        if "usd" in self.__dict__:
            new.__dict__["usd"] = self.__dict__["usd"]
        return new


def line(option, category, item, unit, quantity, unit_usd, inputs=(), usd=None, shape=None):
    """Build a :class:`CostLine`, broadcasting every array to ``shape`` (S, M).

    Without ``usd``, the total ``quantity × unit_usd`` is computed when first read
    (:attr:`CostLine.usd`) where the two span ``shape`` (the product is as large as the line),
    and at once otherwise (a product smaller than the line, broadcast to it). With ``usd``,
    ``unit_usd`` may be None: the unit price is then the average, ``usd / quantity``, worked
    out when first read (:attr:`CostLine.unit_usd`).
    """
    quantity = np.asarray(quantity, dtype=float)
    if unit_usd is None:
        if usd is None:
            raise ValueError(f"cost line {item!r}: a line without a unit price needs its total")
        total = np.asarray(usd, dtype=float)
        if shape is not None:
            shape = tuple(shape)
            quantity, total = (
                a if a.shape == shape else np.broadcast_to(a, shape) for a in (quantity, total)
            )
        return CostLine(option, category, item, unit, quantity, None, total, tuple(inputs))
    unit_usd = np.asarray(unit_usd, dtype=float)
    if usd is None and shape is not None:
        shape = tuple(shape)
        if np.broadcast_shapes(quantity.shape, unit_usd.shape) == shape:
            zero = _held_at_zero(unit_usd, math.prod(shape))
            quantity, unit_usd = (
                a if a.shape == shape else np.broadcast_to(a, shape) for a in (quantity, unit_usd)
            )
            return CostLine(
                option, category, item, unit, quantity, unit_usd, None, tuple(inputs), zero
            )
    total = quantity * unit_usd if usd is None else np.asarray(usd, dtype=float)
    if shape is not None:
        shape = tuple(shape)
        quantity, unit_usd, total = (
            a if a.shape == shape else np.broadcast_to(a, shape)
            for a in (quantity, unit_usd, total)
        )
    return CostLine(option, category, item, unit, quantity, unit_usd, total, tuple(inputs))


class SharedSums:
    """Sums of runs of lines that begin more than one option's lines, each summed once.

    Hybrid on the edge option's device shares the edge option's lines up to the model update
    line (:func:`edgecalc.costs.options.edge_lines`): :func:`monthly_sum_usd` adds them once
    and starts the second option's sum from their sum. The sum continues into a new array, so
    the numbers are those of adding every line: the same additions in the same order.
    """

    def __init__(self) -> None:
        self._runs: list[tuple[tuple[CostLine, ...], list[np.ndarray]]] = []
        self._finite: dict[int, tuple[np.ndarray, bool]] = {}

    def finite_sum(self, quantity: np.ndarray) -> bool:
        """Whether the sum of ``quantity`` (compacted) is finite, worked out once per array:
        the lines of several options are built on the same quantity arrays (one relabelled
        from another), and each option's sum asks of each of its lines. The array is kept
        beside its answer, so that its ``id`` is not reused while the answer is held."""
        held = self._finite.get(id(quantity))
        if held is not None and held[0] is quantity:
            return held[1]
        finite = _sum_is_finite(quantity)
        self._finite[id(quantity)] = (quantity, finite)
        return finite

    def mark(self, lines: list[CostLine]) -> None:
        """Note ``lines`` as a run that begins several options' lines (nothing is summed yet)."""
        if lines:
            self._runs.append((tuple(lines), []))

    def run_beginning(self, lines: list[CostLine]) -> tuple[int, list[np.ndarray]] | None:
        """The longest marked run that ``lines`` begin with (lines on the same arrays): its
        length and the list holding its sum once computed; None when there is none."""
        best = None
        for run, held in self._runs:
            if len(run) <= len(lines) and all(map(_same_arrays, run, lines)):
                if best is None or len(run) > best[0]:
                    best = (len(run), held)
        return best


def monthly_sum_usd(lines: list[CostLine], shared: SharedSums | None = None) -> np.ndarray:
    """The lines' sum, month by month [USD] (S, M), added in their order into one array.

    Parameters
    ----------
    lines : list of CostLine
        The option's lines, at least one.
    shared : SharedSums, optional
        Runs of lines shared with another option's lines: a run's sum is computed once, kept,
        and the sum of the lines after it continues from it.

    Returns
    -------
    numpy.ndarray
        A new array, the broadcast shape of the lines: the numbers of ``sum(ln.usd for ln in
        lines)``, the same products and additions in the same order.

    Notes
    -----
    A line whose total was never read is multiplied into one scratch array, added, and not
    kept, so that an engine call holds one array per option rather than one per line (on the
    peer scenario, 2,000 samples: 31 MB held instead of 52).

    A line whose unit price is exactly zero in every month and whose quantity is finite (free
    ingress: telemetry, requests in) is not multiplied nor added: ``quantity × 0`` is ±0, and
    adding ±0 to a sum leaves it as it is (the sum starts as ``first + 0.0``, which holds no
    -0.0, and no addition makes a -0.0 from it). A quantity with an infinity or a NaN gives a
    NaN, so such a line is added. Only a price stored small (held at its point value or one
    per sample, broadcast to the months) is looked at; a line's total once read is added.
    """
    beginning = shared.run_beginning(lines) if shared is not None else None
    monthly, owned, start = None, True, 0
    if beginning is not None and beginning[1]:
        monthly, owned, start = beginning[1][0], False, beginning[0]
    scratch = None
    skipped = []
    for i in range(start, len(lines)):
        if beginning is not None and i == beginning[0] and not beginning[1] and monthly is not None:
            beginning[1].append(monthly)  # the run's sum, kept; later additions go elsewhere
            owned = False
        ln = lines[i]
        if _adds_nothing(ln, shared):
            skipped.append(ln)
            continue
        if monthly is None:
            if _computed(ln):
                monthly = ln.usd + 0.0  # a new array; -0.0 becomes 0.0, as in sum()
            else:
                monthly = ln.quantity * ln.stated_unit_usd
                monthly += 0.0
            continue
        if _computed(ln):
            usd = ln.usd
        elif ln.quantity.shape == monthly.shape:
            if scratch is None:
                scratch = np.empty(monthly.shape)
            usd = np.multiply(ln.quantity, ln.stated_unit_usd, out=scratch)
        else:
            usd = ln.quantity * ln.stated_unit_usd
        if owned and usd.shape == monthly.shape:
            np.add(monthly, usd, out=monthly)
        else:
            monthly = monthly + usd
            owned = True
    if skipped:  # a line left out may span more samples than the rest: sum()'s shape
        shape = np.broadcast_shapes(*(ln.quantity.shape for ln in skipped))
        if monthly is None:  # every line adds nothing: sum() gives +0.0 where they are ±0
            monthly, owned = np.zeros(shape), True
        elif np.broadcast_shapes(monthly.shape, shape) != monthly.shape:
            monthly, owned = (
                np.broadcast_to(monthly, np.broadcast_shapes(monthly.shape, shape)),
                False,
            )
    if beginning is not None and beginning[0] == len(lines) and not beginning[1]:
        beginning[1].append(monthly)
        owned = False
    return monthly if owned else monthly.copy()


def _same_arrays(a: CostLine, b: CostLine) -> bool:
    """Whether two lines are built on the same arrays (one relabelled from the other)."""
    return (
        a.quantity is b.quantity
        and a.stated_unit_usd is b.stated_unit_usd
        and a.given_usd is b.given_usd
    )


def _adds_nothing(ln: CostLine, shared: SharedSums | None = None) -> bool:
    """Whether the line's ``quantity × unit_usd`` is ±0 in every month: an unread line whose
    unit price is held at exactly zero and whose quantity is finite (its sum is: a sum with an
    infinity or a NaN in it is not finite; one that overflows is taken as not finite too).
    With ``shared``, each quantity array's sum is looked at once (:meth:`SharedSums.finite_sum`)."""
    if not ln.zero_price or _computed(ln):
        return False
    if shared is not None:
        return shared.finite_sum(ln.quantity)
    return _sum_is_finite(ln.quantity)


def _sum_is_finite(quantity: np.ndarray) -> bool:
    """Whether the sum of ``quantity``'s values is finite (no infinity, no NaN, no overflow),
    summed over its values once, not over the axes it is broadcast along."""
    return bool(np.isfinite(np.sum(compact(quantity))))


def _held_at_zero(unit_usd: np.ndarray, size: int) -> bool:
    """Whether a unit price is stored with fewer than ``size`` values (the line's) and every
    one of them is zero (±0; a NaN is not). A full-size price is not looked at: that would be
    one more pass over samples x months."""
    held = compact(unit_usd) if 0 in unit_usd.strides else unit_usd
    return held.size < size and not held.any()


def compact(a: np.ndarray) -> np.ndarray:
    """The values of ``a`` without the axes it is broadcast along (stride 0): a view of shape
    1 on those axes, from which ``np.broadcast_to(..., a.shape)`` gives ``a`` again.

    Examples
    --------
    >>> compact(np.broadcast_to(np.array([[1.0], [2.0]]), (2, 60))).shape
    (2, 1)
    """
    if 0 not in a.strides:
        return a
    index = tuple(
        slice(0, 1) if stride == 0 and n > 1 else slice(None)
        for stride, n in zip(a.strides, a.shape, strict=True)
    )
    return a[index]


def _computed(ln: CostLine) -> bool:
    """Whether the line's total is at hand (given, or read once already)."""
    return ln.given_usd is not None or "usd" in ln.__dict__

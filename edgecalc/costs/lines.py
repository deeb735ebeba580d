"""A cost line: one item of one option in every month, traceable to its inputs."""

from __future__ import annotations

import dataclasses
import functools
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
    where a tiered price makes ``unit_usd`` the effective average (the line is then built with
    its total, ``given_usd``).
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
    unit_usd: np.ndarray
    given_usd: np.ndarray | None
    """The line's total when it is not ``quantity × unit_usd`` (a tiered bill), else None."""
    inputs: tuple[str, ...] = ()
    """Input paths the line is computed from (see Result.assumptions)."""

    @functools.cached_property
    def usd(self) -> np.ndarray:
        """The line's cost month by month [USD] (S, M): ``quantity × unit_usd``, or the given
        total. Computed when first read and kept: a Monte Carlo batch reads only each
        option's sum of its lines (:func:`monthly_sum_usd`), which does not keep them."""
        if self.given_usd is not None:
            return self.given_usd
        return self.quantity * self.unit_usd

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
    and at once otherwise (a product smaller than the line, broadcast to it).
    """
    quantity = np.asarray(quantity, dtype=float)
    unit_usd = np.asarray(unit_usd, dtype=float)
    if usd is None and shape is not None:
        shape = tuple(shape)
        if np.broadcast_shapes(quantity.shape, unit_usd.shape) == shape:
            quantity, unit_usd = (
                a if a.shape == shape else np.broadcast_to(a, shape) for a in (quantity, unit_usd)
            )
            return CostLine(option, category, item, unit, quantity, unit_usd, None, tuple(inputs))
    total = quantity * unit_usd if usd is None else np.asarray(usd, dtype=float)
    if shape is not None:
        shape = tuple(shape)
        quantity, unit_usd, total = (
            a if a.shape == shape else np.broadcast_to(a, shape)
            for a in (quantity, unit_usd, total)
        )
    return CostLine(option, category, item, unit, quantity, unit_usd, total, tuple(inputs))


def monthly_sum_usd(lines: list[CostLine]) -> np.ndarray:
    """The lines' sum, month by month [USD] (S, M), added in their order into one array.

    The numbers of ``sum(ln.usd for ln in lines)``: the same products and additions in the
    same order. A line whose total was never read is multiplied into one scratch array, added,
    and not kept, so that an engine call holds one array per option rather than one per line
    (on the peer scenario, 2,000 samples: 31 MB held instead of 52).
    """
    first = lines[0]
    if _computed(first):
        monthly = first.usd + 0.0  # a new array; -0.0 becomes 0.0, as in sum()
    else:
        monthly = first.quantity * first.unit_usd
        monthly += 0.0
    scratch = None
    for ln in lines[1:]:
        if _computed(ln):
            usd = ln.usd
        elif ln.quantity.shape == monthly.shape:
            if scratch is None:
                scratch = np.empty(monthly.shape)
            usd = np.multiply(ln.quantity, ln.unit_usd, out=scratch)
        else:
            usd = ln.quantity * ln.unit_usd
        if usd.shape == monthly.shape:
            np.add(monthly, usd, out=monthly)
        else:
            monthly = monthly + usd
    return monthly


def _computed(ln: CostLine) -> bool:
    """Whether the line's total is at hand (given, or read once already)."""
    return ln.given_usd is not None or "usd" in ln.__dict__

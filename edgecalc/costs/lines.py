"""A cost line: one item of one option in every month, traceable to its inputs."""

from __future__ import annotations

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
    where a tiered price makes ``unit_usd`` the effective average.
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
    usd: np.ndarray
    inputs: tuple[str, ...] = ()
    """Input paths the line is computed from (see Result.assumptions)."""

    @property
    def kind(self) -> str:
        """``capex`` or ``opex``."""
        return "capex" if self.category in CAPEX_CATEGORIES else "opex"


def line(option, category, item, unit, quantity, unit_usd, inputs=(), usd=None, shape=None):
    """Build a :class:`CostLine`, broadcasting every array to ``shape`` (S, M)."""
    quantity = np.asarray(quantity, dtype=float)
    unit_usd = np.asarray(unit_usd, dtype=float)
    total = quantity * unit_usd if usd is None else np.asarray(usd, dtype=float)
    if shape is not None:
        shape = tuple(shape)
        quantity, unit_usd, total = (
            a if a.shape == shape else np.broadcast_to(a, shape)
            for a in (quantity, unit_usd, total)
        )
    return CostLine(option, category, item, unit, quantity, unit_usd, total, tuple(inputs))

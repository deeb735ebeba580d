"""Plausibility checks of the fleet economics inputs: valid, but probably a mistake."""

from __future__ import annotations

from ..scenario.ranges import median

SUPPORT_FRACTION_HIGH = 0.25
"""A support contract above 25% of the hardware price a year is flagged: published quotes
for hardware maintenance run 10-15% (catalog ``operations.support_fraction_per_year``)."""


def fleet_checks(result) -> list[str]:
    """Warnings about labour, support and power inputs, each naming the check and figure."""
    values = {r.path: r.value for r in result.assumptions.itertuples()}
    out = []
    for prefix in ("edge", "hybrid"):
        idle, active = values.get(f"{prefix}.idle_power_w"), values.get(f"{prefix}.power_w")
        if idle is not None and active is not None and median(idle) > median(active):
            out.append(
                f"idle_above_active_power: {prefix}.idle_power_w is {median(idle):g} W, above "
                f"{prefix}.power_w {median(active):g} W; idle power is the lower of the two"
            )
    support = values.get("edge.support_fraction_per_year")
    if support is not None and median(support) > SUPPORT_FRACTION_HIGH:
        out.append(
            f"support_above_0_25: edge.support_fraction_per_year is {median(support):g}; "
            "hardware maintenance contracts are quoted at 10-15% of the price a year"
        )
    return out

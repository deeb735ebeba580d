"""Named plausibility checks: valid input that is probably a mistake.

Each check warns; ``edgecalc validate --strict`` turns the warnings into errors. Pydantic
guards types and ranges; these guard domain sense.
"""

from __future__ import annotations

import datetime as dt

from ..catalog import load_catalog
from ..catalog.cloud_prices import pricing_plausibility
from ..scenario.ranges import median
from .fleet_plausibility import fleet_checks

FACT_MAX_AGE_DAYS = 730
"""A catalog price (a fact in USD or EUR) older than two years is flagged; measured
performance does not age the same way and is not."""


def check_plausibility(result, today: dt.date | None = None) -> list[str]:
    """Warnings about a valid scenario's evaluation, each naming the check and the figure."""
    s = result.scenario
    today = today or dt.date.today()
    out: list[str] = []
    if median(s.cloud.target_utilization) > 0.95:
        out.append(
            f"utilisation_above_0_95: cloud.target_utilization is "
            f"{median(s.cloud.target_utilization):g}; queues grow without bound near 1"
        )
    if median(s.edge.target_utilization) > 0.95:
        out.append(
            f"utilisation_above_0_95: edge.target_utilization is "
            f"{median(s.edge.target_utilization):g}"
        )
    if median(s.edge.refresh_months) > 84:
        out.append(
            f"refresh_beyond_device_life: edge.refresh_months is "
            f"{median(s.edge.refresh_months):g}; embedded devices rarely last 7 years"
        )
    for row in result.facts.to_dict("records"):
        is_price = any(u in str(row["unit"]) for u in ("USD", "EUR"))
        if is_price and isinstance(row["as_of_date"], str):
            age = (today - dt.date.fromisoformat(row["as_of_date"])).days
            if age > FACT_MAX_AGE_DAYS:
                out.append(
                    f"stale_fact: {row['key']} ({row['used_for']}) is as of "
                    f"{row['as_of']} ({age // 365} years old); check it or override "
                    "it in the scenario"
                )
    out += pricing_plausibility(s.cloud, load_catalog())
    for opt, texts in result.decision.violations.items():
        for t in texts:
            if t.startswith("the model needs"):
                out.append(f"model_does_not_fit: {opt}: {t}")
    out += fleet_checks(result)
    return out


def unaccepted(warnings: list[str], accepted: tuple[str, ...]) -> list[str]:
    """The warnings not covered by the scenario's ``accept_warnings``.

    A warning reads ``check: key ...``; ``check`` accepts every warning of that check and
    ``check:key`` only that one.
    """
    out = []
    for w in warnings:
        check, _, rest = w.partition(": ")
        key = rest.split(" ", 1)[0]
        if check in accepted or f"{check}:{key}" in accepted:
            continue
        out.append(w)
    return out

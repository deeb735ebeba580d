"""Named plausibility checks: valid input that is probably a mistake.

Each check warns; ``edgecalc validate --strict`` turns the warnings into errors. Pydantic
guards types and ranges; these guard domain sense.
"""

from __future__ import annotations

import datetime as dt

from ..catalog import load_catalog
from ..catalog.cloud_prices import pricing_plausibility
from ..scenario.check_names import entry_check_and_key, warning_check_and_key
from ..scenario.ranges import median
from .fleet_plausibility import fleet_checks

FACT_MAX_AGE_DAYS = 730
"""A catalog price (a fact in USD or EUR) older than two years is flagged; measured
performance does not age the same way and is not."""

PRICE_UNITS = ("USD", "EUR")
"""A fact whose unit names one of these is a price, and ages (:func:`stale_fact_warning`)."""


def stale_fact_warning(row: dict, today: dt.date) -> str | None:
    """The ``stale_fact`` warning about one catalog fact used, or None.

    Parameters
    ----------
    row : dict
        A row of ``Result.facts``: ``key``, ``unit``, ``as_of``, ``as_of_date`` (ISO date, or
        None when ``as_of`` holds no date), ``used_for``.
    today : datetime.date
        The date ages are counted to.

    Returns
    -------
    str or None
        For a price (a unit in USD or EUR): a warning when it is older than
        `FACT_MAX_AGE_DAYS`, or when it has no date at all (``as_of`` "undated", "unknown"),
        since an undated price cannot be shown to be recent; None otherwise.

    Examples
    --------
    >>> row = {"key": "operations.truck_roll_usd", "unit": "USD", "as_of": "undated",
    ...        "as_of_date": None, "used_for": "edge.truck_roll_usd"}
    >>> stale_fact_warning(row, dt.date(2026, 12, 1))
    'stale_fact: operations.truck_roll_usd (edge.truck_roll_usd) has no date (as of: undated): \
check it against its source or override it in the scenario'
    >>> stale_fact_warning({**row, "as_of": "2026-01", "as_of_date": "2026-01-01"},
    ...                    dt.date(2026, 12, 1)) is None
    True
    """
    if not any(u in str(row["unit"]) for u in PRICE_UNITS):
        return None
    what = f"{row['key']} ({row['used_for']})"
    if not isinstance(row["as_of_date"], str):
        return (
            f"stale_fact: {what} has no date (as of: {row['as_of']}): check it against its "
            "source or override it in the scenario"
        )
    age = (today - dt.date.fromisoformat(row["as_of_date"])).days
    if age <= FACT_MAX_AGE_DAYS:
        return None
    return (
        f"stale_fact: {what} is as of {row['as_of']} ({age // 365} years old); check it or "
        "override it in the scenario"
    )


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
        if (warning := stale_fact_warning(row, today)) is not None:
            out.append(warning)
    out += pricing_plausibility(s.cloud, load_catalog())
    for opt, texts in result.decision.violations.items():
        for t in texts:
            if t.startswith(("the model needs", "the fast-path model needs")):
                out.append(f"model_does_not_fit: {opt}: {t}")
    out += fleet_checks(result)
    return out


def unaccepted(warnings: list[str], accepted: tuple[str, ...]) -> list[str]:
    """The warnings not covered by the scenario's ``accept_warnings``.

    A warning reads ``check: key ...``; ``check`` accepts every warning of that check and
    ``check:key`` only that one (:mod:`edgecalc.scenario.check_names`).

    Examples
    --------
    >>> fit = "model_does_not_fit: edge: the model needs 40.00 GB of the device's 32 GB"
    >>> unaccepted([fit], ("model_does_not_fit:edge",))
    []
    >>> unaccepted([fit], ("model_does_not_fit:hybrid",)) == [fit]
    True
    """
    entries = {entry_check_and_key(entry) for entry in accepted}
    out = []
    for w in warnings:
        check, key = warning_check_and_key(w)
        if (check, "") in entries or (check, key) in entries:
            continue
        out.append(w)
    return out

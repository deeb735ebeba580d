"""The stale-fact check: a catalog price older than two years, and a catalog price with no date
at all, each warn under ``stale_fact``; other facts never do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import edgecalc
from edgecalc.pipeline.plausibility import FACT_MAX_AGE_DAYS, check_plausibility, stale_fact_warning

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 4)


def _row(unit="USD", as_of="2023-10", as_of_date="2023-10-01"):
    return {
        "key": "operations.electricity_usd_per_kwh",
        "unit": unit,
        "as_of": as_of,
        "as_of_date": as_of_date,
        "used_for": "edge.electricity_usd_per_kwh",
    }


def test_a_price_older_than_two_years_is_stale():
    # 2023-10-01 -> 2026-12-04: 366 (to 2024-10-01, over 29 February) + 365 + 365 + 64 (31 October
    # + 30 November + 3) = 1,160 days > 730; 1160 // 365 = 3 years
    assert (TODAY - dt.date(2023, 10, 1)).days == 1160 > FACT_MAX_AGE_DAYS
    assert stale_fact_warning(_row(), TODAY) == (
        "stale_fact: operations.electricity_usd_per_kwh (edge.electricity_usd_per_kwh) is as of "
        "2023-10 (3 years old); check it or override it in the scenario"
    )


def test_a_price_two_years_old_to_the_day_is_not():
    # 2024-12-04 -> 2026-12-04: 365 + 365 = 730 days, not more than 730
    assert stale_fact_warning(_row(as_of="2024-12-04", as_of_date="2024-12-04"), TODAY) is None


def test_an_undated_price_says_it_has_no_date():
    # regression: an undated price used to pass the check silently (it only read dated rows)
    warning = stale_fact_warning(_row(as_of="undated (archived page)", as_of_date=None), TODAY)
    assert warning == (
        "stale_fact: operations.electricity_usd_per_kwh (edge.electricity_usd_per_kwh) has no "
        "date (as of: undated (archived page)): check it against its source or override it in "
        "the scenario"
    )


def test_facts_that_are_not_prices_never_warn():
    assert stale_fact_warning(_row(unit="W", as_of="undated", as_of_date=None), TODAY) is None
    assert stale_fact_warning(_row(unit="ms"), TODAY) is None


def test_a_scenario_using_the_together_price_is_told_it_has_no_date(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = edgecalc.evaluate("scenarios/llm-branch-assistant.yaml")
    warnings = check_plausibility(result, today=TODAY)
    key = "cloud_pricing.hosted_models.together/meta-llama-3-1-8b-instruct"
    for price in ("input", "output"):
        expected = (
            f"stale_fact: {key}.{price}_usd_per_million_tokens "
            f"(cloud.hosted_api.{price}_usd_per_million_tokens) has no date (as of: undated "
            "(archived page)): check it against its source or override it in the scenario"
        )
        assert expected in warnings
    # the load balancer price is dated now (2026-09-20), so a scenario using it is not warned
    alb = edgecalc.evaluate("scenarios/city-traffic-cameras.yaml")
    assert not [w for w in check_plausibility(alb, today=TODAY) if "load-balancer" in w]

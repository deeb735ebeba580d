"""Honest uncertainty: defaults marked as assumptions or low confidence are ranged in Monte
Carlo unless the scenario pins them; the output says which and how; --pinned-defaults keeps
today's behaviour."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.cli import main
from edgecalc.uncertainty.defaults import DEFAULT_WIDTH
from edgecalc.uncertainty.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
RETAIL = ROOT / "scenarios" / "retail-footfall.yaml"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def retail():
    return simulate(RETAIL, samples=2_000, seed=0)


def test_low_confidence_facts_and_assumed_defaults_are_ranged(retail):
    by_path = {d.path: d for d in retail.default_ranges}
    # catalog operations.truck_roll_usd is low confidence: 1,000 / 1.5 to 1,000 x 1.5
    truck = by_path["edge.truck_roll_usd"]
    assert (truck.range.low, truck.range.high) == pytest.approx((1000 / 1.5, 1500))
    assert "confidence low" in truck.why and DEFAULT_WIDTH == 1.5
    # electricity carries its source's spread: EIA 2023 state averages, ND 0.0738 to HI 0.3903
    power = by_path["edge.electricity_usd_per_kwh"]
    assert (power.range.low, power.range.high) == (0.0738, 0.3903)
    assert "source's spread" in power.how
    # a schema default whose doc says "no published figure: an assumption"
    offline = by_path["operations.offline_probability_per_day"]
    assert "schema default marked as an assumption" in offline.why
    # the samples really move: the offline probability is no longer a constant
    assert retail.inputs["operations.offline_probability_per_day"].std() > 0
    # the question's own terms are never ranged
    assert not {"latency.budget_ms", "horizon_months", "latency.percentile"} & set(by_path)


def test_one_catalog_fact_is_one_quantity(retail):
    # cloud and edge engineers come from the same catalog fact: sampled together
    assert "edge.engineer_usd_per_year" not in retail.inputs
    assert "cloud.engineer_usd_per_year" in retail.inputs


def test_a_value_the_scenario_sets_is_pinned():
    sim = simulate(RETAIL, samples=200, overrides={"edge.truck_roll_usd": 800})
    assert "edge.truck_roll_usd" not in {d.path for d in sim.default_ranges}


def test_pinned_defaults_give_the_old_behaviour(retail):
    pinned = simulate(RETAIL, samples=2_000, seed=0, pinned_defaults=True)
    assert pinned.default_ranges == []
    # only the scenario's own ranges (and the schema's own ranged defaults) are sampled
    assert set(pinned.ranges) == set(retail.ranges) - {d.path for d in retail.default_ranges}
    assert "edge.truck_roll_usd" not in pinned.ranges
    assert "no default was ranged" in pinned.to_text()


def test_cli_lists_the_ranged_defaults(capsys):
    assert main(["simulate", str(RETAIL), "--samples", "300", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    paths = {d["path"] for d in data["default_ranges"]}
    assert "edge.truck_roll_usd" in paths
    assert main(["simulate", str(RETAIL), "--samples", "300", "--pinned-defaults"]) == 0
    assert "no default was ranged" in capsys.readouterr().out


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_verdicts_hold_under_the_default_ranges(path):
    # the robustness each scenario teaches, re-checked with its defaults ranged: the point
    # recommendation stays the majority (each scenario's share is in the CHANGELOG)
    sim = simulate(path, samples=2_000, seed=0)
    assert sim.default_ranges
    assert sim.stability >= 0.5, (path.name, sim.stability)


def test_point_estimate_is_evaluates_when_a_spread_is_not_centred_on_the_value(retail):
    """Electricity's catalog value is 0.131 $/kWh, but its source's spread 0.0738..0.3903
    has a lognormal median of sqrt(0.0738 x 0.3903) = 0.1697: the samples follow the spread,
    the point estimate keeps the catalog's value, as ``evaluate`` does."""
    power = retail.inputs["edge.electricity_usd_per_kwh"]
    assert float(np.median(power)) == pytest.approx(math.sqrt(0.0738 * 0.3903), rel=0.05)
    point = edgecalc.evaluate(RETAIL)
    totals = dict(zip(point.summary.option, point.summary.total_usd, strict=True))
    assert retail.point_total_usd == totals  # the same figures, to the last bit
    assert retail.point_recommendation == point.recommendation


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_point_of_every_shipped_scenario_is_evaluates(path):
    sim = simulate(path, samples=50, seed=3)
    point = edgecalc.evaluate(path)
    assert sim.point_recommendation == point.recommendation
    npv = dict(zip(point.summary.option, point.summary.npv_usd, strict=True))
    assert sim.point_npv_usd == npv

"""decision.basis: the 25% rule compares NPVs by default, or undiscounted totals, and the
reasons say which."""

from __future__ import annotations

from pathlib import Path

import pytest

import edgecalc

HAND = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "hand-worked.yaml"
SETTINGS = {
    "discount_rate_per_year": 0.3,
    "horizon_months": 48,
    "decision.min_cost_saving_fraction": 0.04,
}


def _evaluate(basis: str | None):
    extra = {"decision.basis": basis} if basis else {}
    return edgecalc.evaluate(HAND, overrides=SETTINGS | extra)


def test_the_basis_decides_when_discounting_moves_the_saving_across_the_threshold():
    npv, total = _evaluate(None), _evaluate("total")
    cloud, edge = npv.option("cloud"), npv.option("edge")
    # undiscounted: 1 - 78,459.49 / 83,292.29 = 5.8% saving >= 4%: edge
    assert 1 - edge["total_usd"] / cloud["total_usd"] == pytest.approx(0.0580, abs=1e-4)
    assert total.recommendation == "edge"
    # discounted at 30% a year, edge's upfront weighs more: 1 - 51,052.90 / 52,144.33 = 2.1%
    assert 1 - edge["npv_usd"] / cloud["npv_usd"] == pytest.approx(0.0209, abs=1e-4)
    assert npv.recommendation == "cloud"  # NPV is the default basis


def test_reasons_name_the_basis_and_carry_its_figures():
    npv, total = _evaluate(None), _evaluate("total")
    assert npv.decision.reasons[0] == (
        "the cloud is feasible and no alternative saves enough on NPV: it is the default"
    )
    edge, cloud = npv.option("edge"), npv.option("cloud")
    assert (
        f"edge would save 2% against the cloud (${edge['npv_usd']:,.0f} vs "
        f"${cloud['npv_usd']:,.0f}, NPV at 30% a year over 48 months)"
    ) in " ".join(npv.decision.reasons)
    assert (
        "edge costs $78,459 against $83,292 for the cloud (undiscounted total over 48 months): "
        "6% less, at least the 4% that edge complexity has to pay for"
    ) in total.decision.reasons


def test_shipped_scenarios_default_to_npv():
    scenarios = sorted((HAND.parents[2] / "scenarios").glob("*.yaml"))
    for path in scenarios:
        result = edgecalc.evaluate(path)
        assert result.scenario.decision.basis == "npv"


@pytest.mark.parametrize(("basis", "column"), [(None, "npv_usd"), ("total", "total_usd")])
def test_device_ranking_uses_the_decision_basis(basis, column):
    from edgecalc.pipeline.devices import rank_devices
    from edgecalc.scenario import load_scenario

    extra = {"decision.basis": basis} if basis else {}
    scenario = load_scenario(HAND, overrides=SETTINGS | extra)
    ranking = rank_devices(scenario).set_index("device")
    named = edgecalc.evaluate(HAND, overrides=SETTINGS | extra).option("edge")
    # the scenario's own device is ranked by the cost the decision compares
    assert ranking.loc["jetson-orin-nano-super-8gb", "cost_usd"] == pytest.approx(named[column])

"""Monte Carlo over a scenario (edgecalc.uncertainty.simulate)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

import edgecalc
from edgecalc.errors import EdgecalcError
from edgecalc.scenario import load_scenario
from edgecalc.uncertainty.distributions import Z_95
from edgecalc.uncertainty.simulate import field_spec, simulate, with_overrides

FIXTURES = Path(__file__).parent.parent / "fixtures" / "uncertainty"
LINEAR = FIXTURES / "linear.yaml"
VOLUME = FIXTURES / "volume.yaml"


@pytest.fixture(scope="module")
def linear_sim():
    return simulate(LINEAR, samples=20_000, seed=3, pinned_defaults=True)  # analytic: one range


@pytest.fixture(scope="module")
def volume_sim():
    return simulate(VOLUME, samples=20_000, seed=1)


def test_linear_npv_percentiles_follow_the_input(linear_sim):
    # linear.yaml: 10 sites x (ceil(10 / (100 x 0.5)) = 1 device + 1 spare) = 20 devices, bought
    # once at month 0 (undiscounted), no failures: NPV(edge) = a + 20 x device_usd.
    a_usd = edgecalc.evaluate(LINEAR, overrides={"edge.device_usd": 0}).summary
    b_usd = edgecalc.evaluate(LINEAR, overrides={"edge.device_usd": 1000}).summary
    npv0 = float(a_usd.set_index("option").loc["edge", "npv_usd"])
    npv1000 = float(b_usd.set_index("option").loc["edge", "npv_usd"])
    assert npv1000 - npv0 == pytest.approx(20 * 1000, rel=1e-12)

    qs = (5, 10, 50, 90, 95)
    device = linear_sim.inputs["edge.device_usd"]
    expected = npv0 + 20 * np.percentile(device, qs)
    got = np.percentile(linear_sim.npv_usd["edge"], qs)
    np.testing.assert_allclose(got, expected, rtol=1e-12)

    # and against the analytic lognormal: P5 = 1000, P50 = sqrt(1000 x 4000) = 2000, P95 = 4000
    # (sampling error of a percentile of 20,000 draws is about 1-2%)
    sigma = np.log(4000 / 1000) / (2 * Z_95)
    analytic = {5: 1000.0, 50: 2000.0, 95: 4000.0, 10: 2000 * np.exp(-1.2815516 * sigma)}
    for q, device_usd in analytic.items():
        assert np.percentile(linear_sim.npv_usd["edge"], q) == pytest.approx(
            npv0 + 20 * device_usd, rel=0.02
        )


def test_linear_cloud_is_constant_and_fan_matches(linear_sim):
    cloud = linear_sim.npv_usd["cloud"]
    assert np.ptp(cloud) == 0.0
    assert cloud[0] == pytest.approx(linear_sim.point_npv_usd["cloud"], rel=1e-12)
    fan = linear_sim.fan[linear_sim.fan["option"] == "edge"]
    last = fan[fan["month"] == fan["month"].max()].iloc[0]
    # cumulative cost at the horizon is the total
    np.testing.assert_allclose(
        [last["p5"], last["p50"], last["p95"]],
        np.percentile(linear_sim.total_usd["edge"], (5, 50, 95)),
        rtol=1e-12,
    )


def test_same_seed_same_numbers_other_seed_other_numbers():
    a = simulate(VOLUME, samples=3_000, seed=7, chunk_size=1_000)
    b = simulate(VOLUME, samples=3_000, seed=7, chunk_size=1_000)
    c = simulate(VOLUME, samples=3_000, seed=8, chunk_size=1_000)
    for o in a.options:
        np.testing.assert_array_equal(a.npv_usd[o], b.npv_usd[o])
    assert a.fan.equals(b.fan)
    assert a.to_dict() == b.to_dict()
    assert not np.array_equal(a.npv_usd["edge"], c.npv_usd["edge"])


def test_rng_instead_of_seed_is_reproducible():
    a = simulate(VOLUME, samples=1_000, rng=np.random.default_rng(5))
    b = simulate(VOLUME, samples=1_000, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.total_usd["cloud"], b.total_usd["cloud"])
    assert a.seed is None


def test_probability_cheapest_sums_and_matches_a_count(volume_sim):
    sim = volume_sim
    cheapest = sim.probability_cheapest
    assert sum(cheapest.values()) == pytest.approx(1 - sim.probability_none_feasible, abs=1e-12)
    # count by hand: the feasible option with the smallest NPV (the decision's basis) in each
    # sample
    assert sim.basis == "npv"
    costs = np.stack([np.where(sim.feasible[o], sim.npv_usd[o], np.inf) for o in sim.options])
    winner = np.argmin(costs, axis=0)
    for i, o in enumerate(sim.options):
        assert cheapest[o] == pytest.approx(np.mean(winner == i), abs=1e-9)
    assert sum(sim.recommendation_shares.values()) == pytest.approx(1.0)


def test_correlation_achieved(volume_sim):
    # volume.yaml asks for Spearman 0.6 between volume and growth
    rho = spearmanr(
        volume_sim.inputs["workload.inferences_per_second"],
        volume_sim.inputs["workload.growth_per_year"],
    ).statistic
    assert rho == pytest.approx(0.6, abs=0.02)
    rho_other = spearmanr(
        volume_sim.inputs["workload.inferences_per_second"],
        volume_sim.inputs["edge.device_usd"],
    ).statistic
    assert abs(rho_other) < 0.03


def test_stability_is_share_of_point_recommendation(volume_sim):
    sim = volume_sim
    assert sim.point_recommendation == edgecalc.evaluate(VOLUME).recommendation
    assert sim.stability == pytest.approx(np.mean(sim.recommendations == sim.point_recommendation))
    assert sim.stability == sim.recommendation_shares[sim.point_recommendation]


def test_estimated_rtt_is_sampled_and_truncated_by_schema_bounds(volume_sim):
    # the RTT estimate is a range made by the resolver; it is sampled, above its floor
    rtt = volume_sim.inputs["sites.rtt_ms"]
    assert np.ptp(rtt) > 0
    floor = volume_sim.ranges["sites.rtt_ms"].min
    assert rtt.min() >= floor
    # growth is a normal range from 0 to 0.3: the schema bound growth > -1 is never crossed
    assert volume_sim.inputs["workload.growth_per_year"].min() > -1


def test_fraction_range_stays_in_its_bounds():
    scenario = with_overrides(
        load_scenario(VOLUME), {"sites.wan_availability": {"low": 0.99, "high": 1.0}}
    )
    sim = simulate(scenario, samples=2_000)
    availability = sim.inputs["sites.wan_availability"]
    assert availability.max() <= 1.0
    assert (availability > 0.999).any()


def test_hybrid_default_shares_edge_samples():
    # no hybrid device is named, so the hybrid device price is the edge device price
    sim = simulate(VOLUME, samples=500)
    assert "hybrid.device_usd" not in sim.inputs
    assert "edge.device_usd" in sim.inputs


def test_range_on_horizon_is_a_clear_error():
    scenario = with_overrides(load_scenario(VOLUME), {"horizon_months": {"low": 24, "high": 60}})
    with pytest.raises(EdgecalcError, match="horizon_months is a range"):
        simulate(scenario, samples=10)


def test_correlation_on_an_input_without_range_is_a_clear_error():
    scenario = with_overrides(
        load_scenario(VOLUME),
        {"correlations": [{"between": ["sites.count", "edge.device_usd"], "spearman": 0.5}]},
    )
    with pytest.raises(EdgecalcError, match=r"sites\.count is not a ranged input"):
        simulate(scenario, samples=10)


def test_resolver_only_range_is_flagged():
    # the RTT estimate reads the percentile when resolving: it cannot be sampled per sample
    scenario = with_overrides(
        load_scenario(VOLUME), {"latency.percentile": {"low": 95, "high": 99.5}}
    )
    sim = simulate(scenario, samples=200)
    assert any(w.startswith("latency.percentile is held at its median") for w in sim.warnings)


def test_flat_egress_price_range_is_sampled():
    scenario = with_overrides(
        load_scenario(VOLUME), {"cloud.egress_usd_per_gb": {"low": 0.05, "high": 0.09}}
    )
    sim = simulate(scenario, samples=200)
    assert not any(w.startswith("cloud.egress_usd_per_gb") for w in sim.warnings)


def test_outputs_user_sees(volume_sim):
    sim = volume_sim
    data = json.loads(sim.to_json())
    assert data["samples"] == 20_000 and data["seed"] == 1 and data["chunk_size"] > 0
    assert list(sim.bands.columns) == ["option", "month", "p10", "p50", "p90"]
    assert len(sim.fan) == 3 * 60
    fan = sim.fan
    assert (fan["p5"] <= fan["p10"]).all() and (fan["p90"] <= fan["p95"]).all()
    html = sim._repr_html_()
    assert html.index("holds in") < html.index("<table>")
    assert set(sim.summary["option"]) == {"cloud", "edge", "hybrid"}
    assert set(sim.break_even.columns) >= {"option", "against", "probability", "p50"}


def test_field_spec_reads_schema_bounds():
    spec = field_spec("sites.wan_availability")
    assert (spec.lower, spec.upper, spec.integer) == (0.0, 1.0, False)
    assert field_spec("edge.redundancy").integer
    assert field_spec("sites.list.0.uplink_mbps").lower_open
    assert field_spec("edge.device") is None
    assert field_spec("sites.rtt_ms") is None


@pytest.mark.parametrize("samples", [0, -3, 2.5, float("nan"), float("inf"), "100", True])
def test_samples_must_be_a_whole_number_of_one_or_more(samples):
    with pytest.raises(ValueError, match=r"samples must be a whole number >= 1, got"):
        simulate(VOLUME, samples=samples)


def test_resolver_probes_run_once_per_scenario(monkeypatch):
    # the probes for ranges held at their median resolve the scenario twice per range: another
    # seed or sample count reuses their answer, a changed input probes again
    import edgecalc.uncertainty.simulate as simulate_module

    calls = []
    probe = simulate_module._probe_resolver
    monkeypatch.setattr(simulate_module, "_probes", type(simulate_module._probes)())
    monkeypatch.setattr(
        simulate_module, "_probe_resolver", lambda *args: calls.append(1) or probe(*args)
    )
    scenario = with_overrides(
        load_scenario(VOLUME), {"latency.percentile": {"low": 95, "high": 99.5}}
    )
    first = simulate(scenario, samples=50, seed=1)
    again = simulate(scenario, samples=80, seed=2)
    assert len(calls) == 1
    assert again.warnings == first.warnings
    assert any(w.startswith("latency.percentile is held at its median") for w in again.warnings)
    simulate(with_overrides(scenario, {"sites.count": 13}), samples=50, seed=1)
    assert len(calls) == 2


def test_probability_cheapest_follows_a_total_basis():
    sim = simulate(VOLUME, samples=1_000, seed=2, overrides={"decision.basis": "total"})
    assert sim.basis == "total" and sim.to_dict()["basis"] == "total"
    costs = np.stack([np.where(sim.feasible[o], sim.total_usd[o], np.inf) for o in sim.options])
    winner = np.argmin(costs, axis=0)
    for i, o in enumerate(sim.options):
        assert sim.probability_cheapest[o] == pytest.approx(np.mean(winner == i), abs=1e-9)


def test_probabilities_table_puts_the_sign_before_the_dollar():
    # an option whose every sampled total is negative (a saving): the table reads -$74,700,
    # never $-74,700
    sim = simulate(LINEAR, samples=200, seed=3, pinned_defaults=True)
    first = sim.options[0]
    totals = {**sim.total_usd, first: np.full(sim.samples, -74_700.0)}
    sim = dataclasses.replace(sim, total_usd=totals)
    text = sim.to_text()
    (row,) = (line for line in text.splitlines() if line.startswith(f"{first} "))
    assert row.split()[-3:] == ["-$74,700", "-$74,700", "-$74,700"]
    assert "$-" not in text and "$-" not in sim._repr_html_()

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


# --------------------------------------------------------------------------- the draws, in place


def _plan_of(monkeypatch, scenario, samples, **kwargs):
    """The SamplingPlan ``simulate`` builds (its first batch evaluated as usual)."""
    import edgecalc.uncertainty.simulate as simulate_module

    plans = []
    real = simulate_module.evaluate_batch
    monkeypatch.setattr(
        simulate_module, "evaluate_batch", lambda plan, task: plans.append(plan) or real(plan, task)
    )
    simulate(scenario, samples=samples, **kwargs)
    monkeypatch.setattr(simulate_module, "evaluate_batch", real)
    return plans[0]


def _stacked_draw(plan, batch):
    """``SamplingPlan.draw`` as first written, from the public functions: per seed block the
    copula's uniforms and one ``uniforms`` call per other input, ``RangeSet.ppf`` of the
    stacked rows the batch keeps, the blocks joined."""
    from edgecalc.uncertainty.chunks import blocks_in, chunk_generator
    from edgecalc.uncertainty.correlation import correlated_uniforms
    from edgecalc.uncertainty.distributions import RangeSet, uniforms

    ranges = RangeSet(
        [(i.range.low, i.range.high, i.range.dist, i.range.mode, i.lower, i.upper)
         for i in plan.ranged]
    )  # fmt: skip
    parts = {inp.path: [] for inp in plan.ranged}
    for block in blocks_in(batch, plan.samples, plan.chunk_size):
        rng = chunk_generator(plan.seed, block.index)
        names = list(plan.correlated)
        u = correlated_uniforms(block.size, names, plan.correlations, rng) if names else {}
        for path in plan.independent:
            u[path] = uniforms(block.size, rng)
        keep = slice(max(batch.start, block.start) - block.start,
                     min(batch.stop, block.stop) - block.start)  # fmt: skip
        values = ranges.ppf(np.stack([u[inp.path][keep] for inp in plan.ranged]))
        for inp, row in zip(plan.ranged, values, strict=True):
            parts[inp.path].append(row)
    return {path: np.concatenate(rows) for path, rows in parts.items()}, u


@pytest.mark.parametrize(("samples", "chunk_size"), [(1, 2_000), (2_500, 1_000), (7, 3)])
def test_the_draws_are_the_stacked_ppf_of_each_blocks_uniforms(monkeypatch, samples, chunk_size):
    # volume.yaml correlates two inputs (the copula) and samples the others on their own; a
    # batch of one sample, of whole blocks, inside a block and across blocks
    from edgecalc.uncertainty.chunks import Chunk

    plan = _plan_of(monkeypatch, VOLUME, samples, seed=5, chunk_size=chunk_size)
    assert plan.correlated and plan.independent
    cuts = [(0, samples), (0, 1), (samples - 1, samples), (samples // 3, samples // 3 + 2)]
    for start, stop in cuts:
        batch = Chunk(0, start, min(stop, samples))
        drawn = plan.draw(batch)
        expected, _ = _stacked_draw(plan, batch)
        assert list(drawn) == list(expected)
        for path, values in expected.items():
            assert drawn[path].tobytes() == values.tobytes(), path


def test_the_uniforms_of_a_block_are_those_of_the_public_draws(monkeypatch):
    from edgecalc.uncertainty.chunks import Chunk

    plan = _plan_of(monkeypatch, VOLUME, 1_000, seed=6, chunk_size=400)
    block = Chunk(1, 400, 800)
    _, expected = _stacked_draw(plan, block)
    got = plan.uniforms_of_block(block)
    assert list(got) == list(expected)
    for name, u in expected.items():
        assert got[name].tobytes() == u.tobytes(), name


def test_ranged_paths_are_remembered_while_the_scenario_lives():
    import edgecalc.uncertainty.simulate as simulate_module

    scenario = load_scenario(VOLUME)
    paths = simulate_module._ranged_paths(scenario)
    assert paths == frozenset(scenario.ranged_paths())
    assert simulate_module._ranged_paths(scenario) is paths
    other = with_overrides(scenario, {"workload.peak_to_average": {"low": 1.2, "high": 2.0}})
    assert "workload.peak_to_average" in simulate_module._ranged_paths(other)
    assert "workload.peak_to_average" not in simulate_module._ranged_paths(scenario)


def test_the_probe_key_is_the_same_from_the_point_inputs_before_the_defaults(monkeypatch):
    # _unsampled_warnings given simulate's point inputs (before the default ranges) and the
    # paths that took one finds what it finds from point_inputs of the resolution itself
    import edgecalc.uncertainty.simulate as simulate_module
    from edgecalc.catalog import load_catalog
    from edgecalc.pipeline.prepare import prepare
    from edgecalc.pipeline.resolve import point_inputs

    calls = []
    monkeypatch.setattr(simulate_module, "_probes", type(simulate_module._probes)())
    monkeypatch.setattr(simulate_module, "_probe_resolver", lambda *a: calls.append(1) or ["w"])
    scenario, catalog = load_scenario(VOLUME), load_catalog()
    before = prepare(scenario, catalog, VOLUME.parent)
    defaults = simulate_module.default_ranges(before)
    assert defaults
    resolved = simulate_module.with_default_ranges(before, defaults)
    ranged = simulate_module.ranged_inputs(resolved)
    args = (scenario, resolved, ranged, catalog, VOLUME.parent)
    assert simulate_module._unsampled_warnings(*args) == ["w"]
    point, defaulted = point_inputs(before), tuple(d.path for d in defaults)
    assert simulate_module._unsampled_warnings(*args, point, defaulted) == ["w"]
    assert len(calls) == 1


def test_the_ranged_key_tells_every_number_apart():
    import edgecalc.uncertainty.simulate as simulate_module
    from edgecalc.scenario.ranges import Range

    def entry(low, upper):
        return simulate_module.RangedInput("a.b", Range(low=low, high=2.0), (), None, upper)

    key = simulate_module._ranged_key
    assert key([entry(1.0, 5.0)]) == key([entry(1.0, 5.0)])
    assert key([entry(1.0, 5.0)]) != key([entry(1.0, 5.0000000000000001e0 + 1e-15)])
    assert key([entry(-0.0, 5.0)]) != key([entry(0.0, 5.0)])
    assert key([entry(1.0, 5.0)]) != key([entry(1.0, None)])
    assert key([entry(1.0, np.float64(5.0))]) == repr([entry(1.0, np.float64(5.0))])


def test_a_fingerprint_reads_the_horizon_of_one_value_as_its_median():
    import edgecalc.uncertainty.simulate as simulate_module
    from edgecalc.catalog import load_catalog
    from edgecalc.pipeline.prepare import prepare
    from edgecalc.pipeline.resolve import point_inputs

    resolved = prepare(load_scenario(VOLUME), load_catalog(), VOLUME.parent)
    x = point_inputs(resolved)
    stacked = dict(x, horizon_months=np.repeat(x["horizon_months"], 3))
    one = simulate_module.fingerprint(resolved, x)
    assert one == simulate_module.fingerprint(resolved, stacked)
    assert one[0] == round(float(np.median(x["horizon_months"])))

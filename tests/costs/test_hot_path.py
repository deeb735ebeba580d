"""The Monte Carlo hot path's shortcuts give the numbers of the plain arithmetic, to the bit.

Each shortcut (issue 18) skips work when the inputs make it pointless: hybrid on the edge
option's device, a load that never shrinks, one refresh period, no depot pool, one zone, one
discount rate. Each test compares the shortcut with the plain computation on the same inputs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgecalc.costs.cloud_pricing import zone_redundant
from edgecalc.costs.finance import discount_factors, npv
from edgecalc.costs.options import Load, edge_lines
from edgecalc.costs.sizing import fleet_over_time
from edgecalc.pipeline.compute import compute
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs
from edgecalc.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
VOLUME = ROOT / "tests" / "fixtures" / "uncertainty" / "volume.yaml"  # no hybrid device named


def _stepwise(needed: np.ndarray, refresh: np.ndarray):
    """fleet_over_time month by month and sample by sample: the definition it vectorises."""
    installed = np.zeros_like(needed)
    bought = np.zeros_like(needed)
    for s in range(needed.shape[0]):
        r = max(round(float(refresh[s])), 1)
        fleet = 0.0
        for m in range(needed.shape[1]):
            if m % r == 0:
                fleet = needed[s, m]
                bought[s, m] = fleet
            else:
                grown = max(fleet, needed[s, m])
                bought[s, m] = grown - fleet
                fleet = grown
            installed[s, m] = fleet
    return installed, bought


def test_fleet_over_time_equals_stepping_month_by_month():
    rng = np.random.default_rng(3)
    growing = np.cumsum(rng.integers(0, 3, size=(40, 30)), axis=1).astype(float)
    wobbly = rng.integers(0, 9, size=(40, 30)).astype(float)  # shrinks now and then
    for needed in (growing, wobbly):
        for refresh in (np.full(40, 12.0), rng.choice([1.0, 7.0, 12.0, 48.0], size=40)):
            got = fleet_over_time(needed, refresh)
            want = _stepwise(needed, refresh)
            np.testing.assert_array_equal(got[0], want[0])
            np.testing.assert_array_equal(got[1], want[1])


def test_hybrid_on_the_edge_device_shares_the_edge_fleet_exactly():
    # the fixture names no hybrid device: hybrid's devices are the edge option's, so
    # one run computes them once and relabels the lines; a load that has never seen the edge
    # option computes them afresh, and every label, input and number is the same
    r = prepare(load_scenario(VOLUME))
    x = point_inputs(r)
    months = np.arange(r.scenario.horizon_months)
    shared_load = Load(x, r.groups, months)
    edge = edge_lines(x, r, shared_load, option="edge", prefix="edge")
    shared = edge_lines(x, r, shared_load, option="hybrid", prefix="hybrid")
    assert shared[0].quantity is edge[0].quantity  # computed once
    assert shared[0].unit_usd is edge[0].unit_usd
    fresh = edge_lines(x, r, Load(x, r.groups, months), option="hybrid", prefix="hybrid")
    assert [(ln.option, ln.category, ln.item, ln.unit, ln.inputs) for ln in shared] == [
        (ln.option, ln.category, ln.item, ln.unit, ln.inputs) for ln in fresh
    ]
    assert any("hybrid.device_usd" in ln.inputs for ln in shared)
    for a, b in zip(shared, fresh, strict=True):
        for field in ("quantity", "unit_usd", "usd"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


def test_hybrid_on_its_own_device_price_is_not_shared():
    # a hybrid device price of its own (2x the edge's): hybrid's hardware line doubles
    r = prepare(load_scenario(VOLUME))
    x = point_inputs(r)
    x["hybrid.device_usd"] = 2 * x["edge.device_usd"]
    out = compute(r, x)

    def hardware(option):
        return next(ln for ln in out.options[option].lines if ln.category == "hardware").unit_usd

    bom = x["edge.production_bom_usd"][0]
    assert hardware("hybrid")[0, 0] == 2 * x["edge.device_usd"][0] + bom
    assert hardware("edge")[0, 0] == x["edge.device_usd"][0] + bom


def test_npv_with_one_rate_for_every_sample_is_the_per_sample_sum():
    rng = np.random.default_rng(1)
    monthly = rng.uniform(0, 1e5, size=(500, 60))
    rate = np.full(500, 0.08)
    plain = np.sum(monthly * discount_factors(rate, 60), axis=-1)  # (S, M) factors
    np.testing.assert_array_equal(npv(monthly, rate), plain)
    varied = rate * rng.uniform(0.5, 1.5, size=500)  # rates that differ: per sample
    np.testing.assert_array_equal(
        npv(monthly, varied), np.sum(monthly * discount_factors(varied, 60), axis=-1)
    )


def test_one_zone_keeps_the_instances_and_two_zones_spread_them():
    instances = np.array([[0.0, 1.0, 5.0]])
    np.testing.assert_array_equal(zone_redundant(instances, np.array([[1.0]])), instances)
    # 5 instances over 3 zones: 3 x ceil(5 / 2) = 9; 1 over 3: at least one per zone, 3
    np.testing.assert_array_equal(
        zone_redundant(instances, np.array([[1.0], [3.0]])), [[0.0, 1.0, 5.0], [3.0, 3.0, 9.0]]
    )


def test_the_worst_months_upload_taken_after_the_maximum_is_the_plain_one():
    # positive peaks, shares and bytes: the scaling commutes with the maximum, to the bit;
    # a zero, NaN or -0.0 peak, or a share of 0, takes the plain (G, S, M) path
    from types import SimpleNamespace

    from edgecalc.pipeline.engine import _worst_month_upload

    rng = np.random.default_rng(8)
    peak = rng.lognormal(size=(3, 200, 24))
    x = {"workload.request_bytes": rng.lognormal(12, 2, size=200),
         "hybrid.escalation_bytes": np.array([3.5e5])}  # fmt: skip

    def plain(peak, share, path):
        p = peak if share is None else peak * share[:, None]
        return (p * np.asarray(x[path])[:, None] * 8 / 1e6).max(axis=-1)

    odd = peak.copy()
    odd[0, 3, 5], odd[1, 7, 0], odd[2, 9, 9] = 0.0, -0.0, np.nan
    for p in (peak, odd):
        # what Load keeps for every option of an engine call (costs/options.py)
        load = SimpleNamespace(
            peak_by_group=p, lowest_peak=float(np.min(p)), worst_month_peak=p.max(axis=-1)
        )
        for share in (None, rng.uniform(0, 1, size=200), np.zeros(200), np.array([0.2])):
            for path in ("workload.request_bytes", "hybrid.escalation_bytes"):
                got = _worst_month_upload(x, load, path, share)
                want = plain(p, share, path)
                np.testing.assert_array_equal(got, want)
                np.testing.assert_array_equal(np.signbit(got), np.signbit(want))


def test_an_option_serving_every_inference_reuses_the_load_and_the_sums_are_the_lines():
    # served(): x * 1.0 is x; the cost lines and the capacity check share one demand; hybrid
    # starts from the sum of the lines it shares with edge; zero-priced lines are skipped:
    # the monthly sums are still the lines' sums, sample by sample
    from edgecalc.costs.volume import served

    m = np.array([[-0.0, np.inf, np.nan, 2.5]])
    assert served(m, np.ones((1, 1))) is m
    assert served(m, np.ones((3, 1))).shape == (3, 4)  # more samples: a product
    path = ROOT / "scenarios" / "hybrid-self-checkout.yaml"
    r = prepare(load_scenario(path), base_dir=path.parent)
    rng = np.random.default_rng(4)
    x = {k: np.repeat(np.asarray(v, dtype=float), 64) for k, v in point_inputs(r).items()}
    x["workload.growth_per_year"] = x["workload.growth_per_year"] * rng.uniform(0, 2, 64)
    x["hybrid.escalation_rate"] = rng.uniform(0, 0.3, 64)
    x["edge.device_usd"] = x["edge.device_usd"] * rng.uniform(0.5, 2, 64)
    out = compute(r, x)
    for option in out.options.values():
        plain = sum(ln.usd for ln in option.lines) + 0.0
        np.testing.assert_array_equal(option.monthly_usd, plain)

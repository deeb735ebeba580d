"""The operations models wired into the engine, the Result and the decision.

Fixture: tests/fixtures/hand-worked.yaml (2 sites, 10 inferences/s, peak 20/s; per site
ceil(20 / 15) = 2 devices + 1 spare = 3, 6 devices; truck roll $500; 24 months; its operations
cost lines are switched off, and switched on here one at a time with overrides).
"""

from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.pipeline.engine import run
from edgecalc.pipeline.operations_figures import DayQuantiles
from edgecalc.pipeline.resolve import point_inputs, resolve
from edgecalc.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "hand-worked.yaml"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def total(result, option, category, item=None):
    c = result.costs
    rows = c[(c.option == option) & (c.category == category)]
    if item is not None:
        rows = rows[rows.item.str.contains(item)]
    return rows.usd.sum()


@pytest.fixture(scope="module")
def base():
    return edgecalc.evaluate(FIXTURE)


def test_switched_off_operations_cost_nothing(base):
    assert total(base, "edge", "site_visits") == 0
    assert total(base, "hybrid", "site_visits") == 0


def test_firmware_site_visits_hand_worked():
    result = edgecalc.evaluate(FIXTURE, overrides={"operations.firmware_failure_rate": 0.01})
    # 6 devices × 4 updates/year / 12 × 0.01 = 0.02 visits a month × $500 = $10 a month
    assert total(result, "edge", "site_visits", "firmware") == pytest.approx(10 * 24)
    visits = result.operations["edge"].site_visits
    assert visits.firmware_per_year == pytest.approx(0.24)  # 6 × 4 × 0.01


def test_unreached_devices_site_visits_hand_worked():
    overrides = {
        "operations.offline_probability_per_day": 0.2,
        "operations.mean_offline_spell_days": 10,
        "operations.site_visit_after_days": 31,
    }
    result = edgecalc.evaluate(FIXTURE, overrides=overrides)
    # stranded share 0.2 × (1 - 1/10) ** 30 = 0.2 × 0.0423912 = 0.00847823
    # 6 devices × 12/12 updates × 0.00847823 = 0.0508694 visits a month × $500 = $25.4347
    assert total(result, "edge", "site_visits", "rollout") == pytest.approx(25.4347 * 24, rel=1e-5)


def test_update_retries_download_again_hand_worked(base):
    result = edgecalc.evaluate(FIXTURE, overrides={"operations.update_failure_rate": 0.2})
    # 0.06 GB a month (see test_hand_worked) × 1 / (1 - 0.2) attempts = 0.075 GB × $0.10
    assert total(result, "edge", "updates") == pytest.approx(0.0075 * 24)
    assert total(base, "edge", "updates") == pytest.approx(0.006 * 24)


def test_edge_availability_is_the_binomial_figure(base):
    a = base.operations["edge"].availability
    # AFR 0.12/year, no firmware failures; repair = notice + 2 days × 24 h + 2 h on site, with
    # notice = 5 min / 2 = 0.0416667 h (never offline): MTTR 50.0416667 h
    lam_mttr = 0.12 / 8760 * (48 + 2 + 5 / 60 / 2)
    u = lam_mttr / (1 + lam_mttr)
    # 2 devices needed + 1 spare: down when 2 or 3 of the 3 are down
    down = 3 * u**2 * (1 - u) + u**3
    assert a.devices_needed_and_spares_per_site == ((2, 1),)
    assert a.device_unavailability == pytest.approx(u)
    assert a.site_down_share == pytest.approx(down)
    assert a.minutes_without_inference_per_site_month == pytest.approx(down * 43_800)


def test_cloud_and_hybrid_availability(base):
    cloud = base.operations["cloud"]
    # WAN availability 0.995 (default): 0.005 × 43,800 = 219 minutes a month
    assert cloud.wan_down_minutes_per_site_month == pytest.approx(219)
    assert cloud.availability.share_served == pytest.approx(0.995)
    s = base.operations["edge"].availability.site_down_share
    hybrid = base.operations["hybrid"].availability
    # cloud fallback allowed (residency anywhere): down only while edge and WAN are both down
    assert hybrid.minutes_without_inference_per_site_month == pytest.approx(s * 0.005 * 43_800)
    assert "cloud fallback recovers" in hybrid.fallback


def test_spares_never_lower_availability():
    minutes = [
        edgecalc.evaluate(FIXTURE, overrides={"edge.redundancy": k})
        .operations["edge"]
        .availability.minutes_without_inference_per_site_month
        for k in (0, 1, 2)
    ]
    assert minutes[0] > minutes[1] > minutes[2]


def test_rollout_without_offline_devices_ends_after_the_waves(base):
    rollout = base.operations["edge"].rollout
    # 6 devices: canary ceil(0.05 × 6) = 1, then waves of 2, 2, 1 starting on days 2, 4, 6;
    # nobody offline and no failures: the last device updates on day 6
    assert rollout.devices == 6
    assert rollout.days_to_100 == DayQuantiles(p10=6.0, p50=6.0, p90=6.0)
    assert rollout.never_updated_devices == 0
    curve = rollout.curve.share_updated_p50
    assert curve[6] == 1.0 and curve[0] == pytest.approx(1 / 6)


def test_monitoring_labour_and_ratio(base):
    edge = base.operations["edge"]
    # 6 × 1e6 B/day × 730/24 / 1e9 = 0.1825 GB a month; 6 / 60 = 0.1 FTE
    assert edge.monitoring.telemetry_gb_per_month == pytest.approx(0.1825)
    assert edge.monitoring.unobserved_device_days_per_month == 0
    assert edge.labour_fte == pytest.approx(0.1)
    assert base.operations["cloud"].labour_fte == pytest.approx(0.1)
    assert "2-3x" in edge.operating_cost_sentence
    assert edge.fit.fits and "the device has 8 GB" in edge.fit.reason


def test_fit_violation_names_the_precision_that_fits():
    result = edgecalc.evaluate(
        FIXTURE, overrides={"model.parameters": 4e9, "model.precision": "fp16"}
    )
    # 4e9 × 2 B × 1.2 = 9.6 GB > 8 GB; at int8 4e9 × 1 × 1.2 = 4.8 GB fits
    (text,) = result.decision.violations["edge"]
    assert text == (
        "the model needs 9.60 GB at fp16 but the device has 8 GB; at int8 it needs 4.8 GB and fits"
    )
    assert result.operations["edge"].fit.smallest_precision_that_fits == "int8"


def test_reasons_carry_the_operations_figures():
    # edge wins when raw data must stay on site
    result = edgecalc.evaluate(
        FIXTURE,
        overrides={
            "residency.raw_data": "on_site",
            "operations.offline_probability_per_day": 0.1,
            "operations.mean_offline_spell_days": 5,
        },
    )
    assert result.recommendation in ("edge", "hybrid")
    reasons = " | ".join(result.decision.reasons)
    assert "95% of the fleet runs a new model after" in reasons
    assert "of offline spells last more than a week" in reasons  # 0.8 ** 7 = 21%
    assert "21% of offline spells" in reasons
    assert "minutes per site and month without inference: cloud 219" in reasons


def test_engine_stays_vectorised_over_samples():
    scenario = load_scenario(FIXTURE)
    r = resolve(scenario)
    x = {k: np.repeat(v, 3) for k, v in point_inputs(r).items()}
    x["operations.firmware_failure_rate"] = np.array([0.0, 0.01, 0.02])
    out = run(x, r)
    visits = next(ln for ln in out.options["edge"].lines if ln.item.startswith("firmware"))
    assert visits.usd.shape == (3, 24)
    # $0, $10 and $20 a month (see test_firmware_site_visits_hand_worked)
    assert visits.usd[:, 0] == pytest.approx([0, 10, 20])
    assert out.options["edge"].total_usd.shape == (3,)
    assert out.options["edge"].feasible.shape == (3,)
    assert out.recommendation.shape == (3,)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_operations_visible_in_evaluate_output(path):
    result = edgecalc.evaluate(path)
    data = result.to_dict()
    by_name = {o["name"]: o for o in data["options"]}
    cloud = by_name["cloud"]["operations"]
    assert cloud["wan_down_minutes_per_site_month"] >= 0
    edge = by_name["edge"]["operations"]
    assert edge["rollout"]["days_to_95"]["p50"] is not None
    assert edge["site_visits"]["per_year"] >= 0
    assert 0 <= edge["availability"]["share_served"] <= 1
    assert "site_visits" in by_name["edge"]["costs_by_category_usd"]
    assert any("without inference" in r for r in data["decision"]["reasons"])
    result.to_json()  # plain JSON: no inf, no numpy types

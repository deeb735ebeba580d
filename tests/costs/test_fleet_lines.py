"""Fleet economics worked by hand: the labour floor, support, colocation, spares, power that
follows the work, custom hardware inline, and a published TCO study rebuilt as a scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.costs.fleet import (
    active_hours_per_month,
    cloud_labour_fte,
    cooling_kwh,
    depot_pool_devices,
    device_energy_kwh,
    edge_labour_fte,
    optimisation_engineer_days_per_month,
    support_usd_per_month,
)
from edgecalc.errors import ScenarioError
from edgecalc.scenario import load_scenario

FIXTURES = Path(__file__).parents[1] / "fixtures"
HAND = FIXTURES / "hand-worked.yaml"
LAMBDA = FIXTURES / "lambda-hyperplane16.yaml"


def _total(result, option, category, item=None):
    c = result.costs
    rows = c[(c.option == option) & (c.category == category)]
    if item is not None:
        rows = rows[rows["item"].str.contains(item, regex=False)]
    return float(rows.usd.sum())


# --- the pure functions ---------------------------------------------------------------------


def test_platform_floor_with_12_devices_and_with_5000():
    # platform 0.5 FTE + devices / 1,000: 12 devices 0.5 + 0.012 = 0.512 FTE (the floor is
    # 98% of it); 5,000 devices 0.5 + 5 = 5.5 FTE, where the first round's devices / 200 gave
    # 0.06 and 25 FTE
    fte = edge_labour_fte([12, 5000], [12, 5000], 0.5, 0.0, 1000)
    np.testing.assert_allclose(fte, [0.512, 5.5])
    # a share per site adds sites x share: 12 sites x 0.01 = 0.12
    assert float(edge_labour_fte(12, 12, 0.5, 0.01, 1000)) == pytest.approx(0.632)
    # no fleet, no platform
    assert float(edge_labour_fte(0, 0, 0.5, 0.01, 1000)) == 0.0


def test_cloud_labour_has_a_floor_and_grows_with_instances_and_requests():
    # 0.1 + 4 instances x 0.01 + 30 M requests x 0.001 = 0.1 + 0.04 + 0.03 = 0.17 FTE
    assert float(cloud_labour_fte(1, 4, 30, 0.1, 0.01, 0.001)) == pytest.approx(0.17)
    assert float(cloud_labour_fte(0, 4, 30, 0.1, 0.01, 0.001)) == 0.0


def test_two_hardware_targets_pay_the_optimisation_twice():
    # 12 updates a year, 3 days each: 1 update a month x 3 days = 3 days; two targets 6
    one = optimisation_engineer_days_per_month(12, 1, 3)
    two = optimisation_engineer_days_per_month(12, 2, 3)
    assert (float(one), float(two)) == (3.0, 6.0)


def test_support_at_12_percent_of_capex_a_year_over_60_months():
    # $300,000 of hardware x 12% / 12 = $3,000 a month; 60 months = $180,000 (60% of capex)
    monthly = support_usd_per_month(300_000, 0.12)
    assert float(monthly) == 3_000.0
    assert float(monthly) * 60 == 180_000.0


def test_idle_and_active_power_over_14_active_hours():
    # 14 h a day every day: 14 x 7 / 7 x 730 / 24 = 425.83 h active, 304.17 h idle.
    # Orin Nano at 14 W serving and 3 W idle: 14 x 425.83 + 3 x 304.17 = 5,961.67 + 912.5 =
    # 6,874.2 Wh = 6.874 kWh, against the rating 25 W x 730 h = 18.25 kWh (2.65x as much)
    hours = active_hours_per_month(14, 7)
    assert float(hours) == pytest.approx(425.8333333)
    kwh = float(device_energy_kwh(1, 0, 14, 3, hours))
    assert kwh == pytest.approx(6.874166667)
    # a hot spare idles all month: 3 W x 730 h = 2.19 kWh; a cold spare draws nothing
    assert float(device_energy_kwh(1, 1, 14, 3, hours)) - kwh == pytest.approx(2.19)
    # cooling at PUE 1.5: half as much again
    assert float(cooling_kwh(kwh, 1.5)) == pytest.approx(kwh / 2)


def test_depot_pool_of_5_percent_against_a_hot_spare_per_site():
    # 120 sites with 2 serving devices each: a hot spare per site is 120 more devices (50%);
    # a depot of 5% is ceil(240 x 0.05) = 12 devices (5%)
    assert float(depot_pool_devices(240, 0.05)) == 12.0
    assert float(depot_pool_devices(241, 0.05)) == 13.0  # ceil(12.05)
    assert float(depot_pool_devices(240, 0.0)) == 0.0


# --- through the engine: the hand-worked fixture (2 sites, 4 serving devices + 2 hot spares,
# device $1,000, 20 W, electricity $0.25/kWh, 24 months, refresh every 12) -----------------


def test_platform_floor_through_the_engine():
    # 0.5 FTE platform + 6 devices / 60 = 0.6 FTE x $120,000 / 12 = $6,000 a month x 24
    result = edgecalc.evaluate(HAND, overrides={"edge.platform_fte": 0.5})
    assert _total(result, "edge", "labour") == pytest.approx(6_000 * 24)
    assert result.operations["edge"]["labour_fte"] == pytest.approx(0.6)


def test_depot_pool_against_hot_spares_through_the_engine():
    hot = edgecalc.evaluate(HAND)
    depot = edgecalc.evaluate(
        HAND, overrides={"edge.redundancy": 0, "edge.depot_spare_fraction": 0.05}
    )
    # hardware: 6 devices x $1,000 at months 0 and 12 = $12,000; depot: 4 serving + ceil(0.2) = 1
    # spare = 5 devices x $1,000 x 2 = $10,000
    assert _total(hot, "edge", "hardware") == pytest.approx(12_000)
    assert _total(depot, "edge", "hardware") == pytest.approx(10_000)
    # power: the hot spares draw 20 W all month (no idle figure: idle = power_w);
    # 6 x 20 W x 730 h = 87.6 kWh x $0.25 = $21.90 a month; depot: 4 x 20 x 730 = 58.4 kWh,
    # $14.60 (the cold spare draws nothing)
    assert _total(hot, "edge", "power") == pytest.approx(21.90 * 24)
    assert _total(depot, "edge", "power") == pytest.approx(14.60 * 24)
    # labour and fleet software count devices at the sites: 4 instead of 6.
    # labour 4 / 60 x $10,000 = $666.67 a month; software 4 x $1 = $4 a month
    assert _total(depot, "edge", "labour") == pytest.approx(4 / 60 * 10_000 * 24)
    assert _total(depot, "edge", "software") == pytest.approx(4 * 24)


def test_idle_power_of_hot_spares_and_active_hours_through_the_engine():
    # 14 active hours a day: 4 serving x (20 W x 425.83 h + 5 W x 304.17 h) = 4 x 10,037.5 Wh
    # = 40.15 kWh; 2 hot spares x 5 W x 730 h = 7.3 kWh; 47.45 kWh x $0.25 = $11.8625 a month
    result = edgecalc.evaluate(
        HAND, overrides={"workload.active_hours_per_day": 14, "edge.idle_power_w": 5}
    )
    assert _total(result, "edge", "power") == pytest.approx(11.8625 * 24)


def test_colocation_per_site_month_and_cooling_by_pue():
    # 2 sites x $1,500 a site-month = $3,000 a month x 24 = $72,000
    # PUE 1.5: 87.6 kWh x 0.5 = 43.8 kWh x $0.25 = $10.95 a month of cooling
    result = edgecalc.evaluate(
        HAND, overrides={"edge.colocation_usd_per_site_month": 1500, "edge.pue": 1.5}
    )
    assert _total(result, "edge", "facilities") == pytest.approx(72_000)
    assert _total(result, "edge", "power", "cooling") == pytest.approx(10.95 * 24)


def test_support_contract_replaces_the_failed_device_price():
    # support 12% a year on 6 devices x $1,000 = $60 a month x 24 = $1,440;
    # failures 6 x 0.12 / 12 = 0.06 a month, now at the truck roll only ($500): $30 a month,
    # $720, instead of 0.06 x ($1,000 + $500) x 24 = $2,160
    plain = edgecalc.evaluate(HAND)
    contract = edgecalc.evaluate(HAND, overrides={"edge.support_fraction_per_year": 0.12})
    assert _total(contract, "edge", "support") == pytest.approx(1_440)
    assert _total(plain, "edge", "failures") == pytest.approx(2_160)
    assert _total(contract, "edge", "failures") == pytest.approx(720)


def test_production_bom_adds_to_every_device_bought_and_failed():
    # $150 BOM: hardware 12 devices x $1,150 = $13,800; failures 0.06 x ($1,150 + $500) x 24
    result = edgecalc.evaluate(HAND, overrides={"edge.production_bom_usd": 150})
    assert _total(result, "edge", "hardware") == pytest.approx(13_800)
    assert _total(result, "edge", "failures") == pytest.approx(0.06 * 1_650 * 24)


def test_one_time_integration_is_paid_in_month_0():
    result = edgecalc.evaluate(
        HAND, overrides={"edge.integration_usd": 40_000, "cloud.integration_usd": 10_000}
    )
    c = result.costs
    edge = c[(c.option == "edge") & (c.category == "integration")]
    assert edge.usd.sum() == pytest.approx(40_000)
    assert set(edge[edge.usd > 0].month) == {0}
    assert _total(result, "cloud", "integration") == pytest.approx(10_000)


def test_cloud_labour_per_instance():
    # the fixture's cloud runs max(1, ceil(40 / (100 x 0.5))) = 1 instance; 0.1 FTE platform +
    # 1 x 0.05 = 0.15 FTE x $10,000 = $1,500 a month x 24
    result = edgecalc.evaluate(HAND, overrides={"cloud.fte_per_instance": 0.05})
    assert _total(result, "cloud", "labour") == pytest.approx(1_500 * 24)


def test_custom_8_gpu_server_inline():
    # one 8-GPU server for the whole plant, written inline: $300,000, 400 inferences/s,
    # 10.2 kW. 2 sites x peak 20/s: ceil(20 / 400) = 1 server per site, no spare.
    server = {
        "name": "8x H100 server",
        "device_usd": 300_000,
        "inferences_per_second_per_device": 400,
        "inference_ms": 8,
        "memory_gb": 640,
        "power_w": 10_200,
        "accelerators": 8,
    }
    scenario = load_scenario(
        HAND,
        overrides={
            "edge.device": server,
            "edge.device_usd": None,
            "edge.inferences_per_second_per_device": None,
            "edge.inference_ms": None,
            "edge.memory_gb": None,
            "edge.power_w": None,
            "edge.redundancy": 0,
            "edge.refresh_months": 60,
            "edge.residual_value": "none",
        },
    )
    result = edgecalc.evaluate(scenario)
    c = result.costs
    hardware = c[(c.option == "edge") & (c.category == "hardware")]
    # the report names the server, not a catalog device
    assert hardware["item"].iloc[0].startswith("8x H100 server")
    # 2 servers x $300,000 at month 0 (no refresh within 24 months)
    assert hardware.usd.sum() == pytest.approx(600_000)
    # 2 x 10.2 kW x 730 h = 14,892 kWh x $0.25 = $3,723 a month
    assert _total(result, "edge", "power") == pytest.approx(3_723 * 24)


def test_inline_device_needs_its_figures():
    with pytest.raises(ScenarioError) as info:
        load_scenario(HAND, overrides={"edge.device": {"name": "box", "device_usd": 100}})
    assert "edge.device" in str(info.value) and "power_w" in str(info.value)


# --- a published study rebuilt ----------------------------------------------------------------


def test_lambda_hyperplane16_tco_is_reproduced():
    # Lambda, "Hyperplane-16 InfiniBand Cluster Total Cost of Ownership Analysis" (undated),
    # https://lambdalabs.com/blog/hyperplane-16-infiniband-cluster-total-cost-of-ownership/
    # 1x cluster: upfront $299,504; $10,000 a year administration + $16,146 a year
    # co-location = $26,146 a year. Published totals: year 1 $325,650, year 3 $377,942,
    # year 5 $430,234 (= 299,504 + 5 x 26,146); amortised $86,047 a year over 5 years.
    result = edgecalc.evaluate(LAMBDA)
    monthly = result.monthly
    cumulative = monthly[monthly.option == "edge"].set_index("month").cumulative_usd
    assert cumulative[11] == pytest.approx(325_650, abs=1)
    assert cumulative[35] == pytest.approx(377_942, abs=1)
    assert cumulative[59] == pytest.approx(430_234, abs=1)
    assert cumulative[59] / 5 == pytest.approx(86_047, abs=1)
    # the parts, as the study lists them
    assert _total(result, "edge", "hardware") == pytest.approx(299_504)
    assert _total(result, "edge", "facilities") == pytest.approx(5 * 16_146)
    assert _total(result, "edge", "labour") == pytest.approx(5 * 10_000)


def test_published_cluster_power_and_pue_are_reproduced():
    # AI Infra Map, "Datacenter Power Calculator" worked example (default inputs),
    # https://aiinframap.com/tools/energy/datacenter-power-calculator (undated): 10,000 H100 at
    # 700 W = 7,000 kW, x 1.3 server overhead = 9,100 kW IT load, x PUE 1.30 = 11.83 MW,
    # 103.6 GWh a year, $8.3 M a year at $0.08/kWh. Rebuilt: the cluster as one inline device
    # of 9,100 kW serving around the clock, pue 1.3, electricity $0.08/kWh.
    overrides = {
        "edge.device.power_w": 9.1e6,
        "edge.pue": 1.3,
        "edge.electricity_usd_per_kwh": 0.08,
        "edge.colocation_usd_per_site_month": 0,
    }
    result = edgecalc.evaluate(LAMBDA, overrides=overrides)
    c = result.costs
    power = c[(c.option == "edge") & (c.category == "power") & (c.month < 12)]
    # 9,100 kW x 730 h x 12 = 79.72 GWh IT + 30% cooling = 103.63 GWh; x $0.08 = $8.29 M
    assert power.quantity[power["item"].str.startswith("electricity")].sum() == pytest.approx(
        9_100 * 8_760
    )
    assert power.usd.sum() == pytest.approx(8.29e6, rel=0.001)
    assert power.usd.sum() / 0.08 / 1e6 == pytest.approx(103.6, rel=0.001)  # GWh a year


def test_implausible_fleet_inputs_warn():
    from edgecalc.pipeline.plausibility import check_plausibility

    result = edgecalc.evaluate(
        HAND, overrides={"edge.idle_power_w": 30, "edge.support_fraction_per_year": 0.4}
    )
    warnings = check_plausibility(result)
    assert any(w.startswith("idle_above_active_power: edge.idle_power_w is 30 W") for w in warnings)
    assert any(
        w.startswith("support_above_0_25: edge.support_fraction_per_year is 0.4") for w in warnings
    )
    assert not any(
        "idle_above" in w or "support_above" in w
        for w in check_plausibility(edgecalc.evaluate(HAND))
    )


def test_custom_cloud_instance_inline():
    # an 8x H100 instance from a GPU cloud, not in the catalog: $20/h, 2,000 inferences/s;
    # the fixture's 40/s peak needs max(1, ceil(40 / (2,000 x 0.5))) = 1 instance, 730 h a
    # month x $20 = $14,600 a month x 24
    instance = {
        "name": "8x H100 (GPU cloud)",
        "usd_per_hour": 20,
        "inferences_per_second_per_instance": 2_000,
        "inference_ms": 3,
        "memory_gb": 640,
    }
    unset = {
        f"cloud.{k}": None
        for k in ("usd_per_hour", "inferences_per_second_per_instance", "inference_ms")
    }
    result = edgecalc.evaluate(load_scenario(HAND, overrides={**unset, "cloud.instance": instance}))
    c = result.costs
    compute = c[(c.option == "cloud") & (c.category == "compute")]
    assert compute["item"].iloc[0] == "8x H100 (GPU cloud) instances"
    assert compute.usd.sum() == pytest.approx(14_600 * 24)
    memory = result.assumptions.set_index("path").loc["cloud.memory_gb"]
    assert memory.value == 640 and "written inline" in memory.note

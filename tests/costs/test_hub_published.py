"""A published TCO of a shared server in co-location, rebuilt with the hub's fields.

Fixture: tests/fixtures/lambda-hyperplane16-hub.yaml (Lambda's Hyperplane-16 TCO, field by
field in its comments).
"""

from pathlib import Path

import pytest

import edgecalc

FIXTURE = Path(__file__).parents[1] / "fixtures" / "lambda-hyperplane16-hub.yaml"


def _total(result, option, category):
    c = result.costs
    return float(c[(c.option == option) & (c.category == category)].usd.sum())


@pytest.fixture(scope="module")
def result():
    return edgecalc.evaluate(FIXTURE)


def test_lambda_hyperplane16_tco_is_reproduced_as_a_hub(result):
    # Lambda, "Hyperplane-16 InfiniBand Cluster Total Cost of Ownership Analysis" (undated),
    # https://lambdalabs.com/blog/hyperplane-16-infiniband-cluster-total-cost-of-ownership/
    # 1x cluster: upfront $299,504; $10,000 a year administration + $16,146 a year
    # co-location = $26,146 a year. Published totals: year 1 $325,650, year 3 $377,942,
    # year 5 $430,234 (= 299,504 + 5 x 26,146)
    monthly = result.monthly
    cumulative = monthly[monthly.option == "colo"].set_index("month").cumulative_usd
    assert cumulative[11] == pytest.approx(325_650, abs=1)
    assert cumulative[35] == pytest.approx(377_942, abs=1)
    assert cumulative[59] == pytest.approx(430_234, abs=1)
    # the parts, as the study lists them
    assert _total(result, "colo", "hardware") == pytest.approx(299_504)
    assert _total(result, "colo", "facilities") == pytest.approx(5 * 16_146)
    assert _total(result, "colo", "labour") == pytest.approx(5 * 10_000)


def test_lambda_administration_per_block_of_four_servers_is_a_share_per_hub():
    # "system administration cost of $10,000 / year / four servers": 2 sites, one hub each,
    # each hub needing 4 servers (400/s at 100/s per server) pays one block: 2 x $10,000 a
    # year: one block per hub, not one floor for the whole fleet
    overrides = {
        "sites.count": 2,
        "workload.inferences_per_second": 400,
        "hubs.0.inferences_per_second_per_server": 100,
    }
    r = edgecalc.evaluate(FIXTURE, overrides)
    c = r.costs
    hardware = c[(c.option == "colo") & (c.category == "hardware")]
    assert hardware.quantity.sum() == pytest.approx(8)  # 2 hubs x 4 servers
    assert _total(r, "colo", "labour") == pytest.approx(5 * 2 * 10_000)


def test_published_cluster_power_and_pue_are_reproduced_at_a_hub():
    # AI Infra Map, "Datacenter Power Calculator" worked example (default inputs),
    # https://aiinframap.com/tools/energy/datacenter-power-calculator (undated): 10,000 H100 at
    # 700 W = 7,000 kW, x 1.3 server overhead = 9,100 kW IT load, x PUE 1.30 = 11.83 MW,
    # 103.6 GWh a year, $8.3 M a year at $0.08/kWh. Rebuilt: the cluster as one hub server of
    # 9,100 kW serving around the clock, the hub's pue 1.3, electricity $0.08/kWh
    overrides = {
        "hubs.0.power_w": 9.1e6,
        "hubs.0.pue": 1.3,
        "edge.electricity_usd_per_kwh": 0.08,
        "hubs.0.facility_usd_per_hub_month": 0,
    }
    r = edgecalc.evaluate(FIXTURE, overrides=overrides)
    c = r.costs
    power = c[(c.option == "colo") & (c.category == "power") & (c.month < 12)]
    electricity = power[power["item"].str.startswith("hub electricity")]
    # 9,100 kW x 730 h x 12 = 79.72 GWh IT + 30% cooling = 103.63 GWh; x $0.08 = $8.29 M
    assert electricity.quantity.sum() == pytest.approx(9_100 * 8_760)
    assert power.usd.sum() == pytest.approx(8.29e6, rel=0.001)
    assert power.usd.sum() / 0.08 / 1e6 == pytest.approx(103.6, rel=0.001)  # GWh a year

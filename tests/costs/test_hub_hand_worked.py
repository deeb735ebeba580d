"""Every cost line and the latency of the hub kind, checked against arithmetic done by hand.

Fixture: tests/fixtures/hub-hand-worked.yaml (the hand-worked fixture with 5 sites): per site
10 inferences/s around the clock, peak 20/s; 24 months; no discounting.
"""

from pathlib import Path

import pytest

import edgecalc

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hub-hand-worked.yaml"


@pytest.fixture(scope="module")
def result():
    return edgecalc.evaluate(FIXTURE)


def total(result, option, category, item=None):
    c = result.costs
    c = c[(c.option == option) & (c.category == category)]
    if item is not None:
        c = c[c.item == item]
    return c.usd.sum()


def test_hubs_and_servers(result):
    # campus: ceil(5 / 2) = 3 hubs, each serving 5/3 sites: peak 20 × 5/3 = 33.3/s;
    # ceil(33.3 / (30 × 1.0)) = 2 serving servers + 1 hot spare = 3 per hub, 9 at the hubs;
    # a depot of ceil(6 serving × 0.2) = 2 cold spares; 11 bought at month 0 and again at the
    # refresh (month 12): 22 × $5,000 = $110,000
    assert total(result, "campus", "hardware") == pytest.approx(110_000)
    # the servers retire at month 24 = the horizon: no residual value
    assert total(result, "campus", "residual") == pytest.approx(0)


def test_owned_hub_running_costs(result):
    # installation 3 hubs × $1,000 at months 0 and 12
    assert total(result, "campus", "installation") == pytest.approx(6_000)
    # facility 3 hubs × $50 × 24 months
    assert total(result, "campus", "facilities") == pytest.approx(3_600)
    # support 11 owned servers (the depot's too) × $5,000 × 0.12 / 12 = $550 a month
    assert total(result, "campus", "support") == pytest.approx(550 * 24)
    # failures: 9 servers at the hubs × 0.12 / 12 = 0.09 a month; under the support contract
    # a failure costs its visit only: 0.09 × $500 = $45 a month (not $5,500 each)
    assert total(result, "campus", "failures") == pytest.approx(45 * 24)
    # fleet software 9 × $1 a month
    assert total(result, "campus", "software") == pytest.approx(216)
    # model updates 9 × 12/12 × 10e6 parameters × 1 byte / 1e9 = 0.09 GB × $0.10
    assert total(result, "campus", "updates") == pytest.approx(0.009 * 24)
    # integration $3,000 + ramp-up $1,000, once, in month 0
    one_time = result.costs[
        (result.costs.option == "campus") & (result.costs.category == "integration")
    ]
    assert one_time.usd.sum() == pytest.approx(4_000)
    assert set(one_time[one_time.usd > 0].month) == {0}


def test_hub_power_follows_the_work(result):
    # around the clock (730 active hours): 6 serving servers × 200 W × 730 h = 876 kWh and the
    # 3 hot spares idle at 100 W × 730 h = 219 kWh: 1,095 kWh (the 2 depot spares draw none)
    c = result.costs
    power = c[(c.option == "campus") & (c.category == "power") & (c.month == 0)]
    kwh = power.set_index("item").quantity
    assert kwh["hub electricity (active and idle hours; hot spares idle)"] == pytest.approx(1_095)
    # electricity 1,095 × $0.25 = $273.75; cooling 1,095 × ($0.25 × (1.5 - 1) + $0.02) =
    # $158.775: $432.525 a month
    assert power.usd.sum() == pytest.approx(432.525)
    # 14 active hours a day: 425.83 h; 6 × (200 × 425.83 + 100 × 304.17) + 3 × 100 × 730
    # = 693,500 + 219,000 Wh = 912.5 kWh
    short = edgecalc.evaluate(FIXTURE, {"workload.active_hours_per_day": 14}).costs
    item = "hub electricity (active and idle hours; hot spares idle)"
    rows = short[(short.option == "campus") & (short["item"] == item) & (short.month == 0)]
    assert rows.quantity.sum() == pytest.approx(912.5)


def test_hub_labour_has_a_floor_per_hub_per_site_and_per_server(result):
    # 0.5 platform + 3 hubs × 0.1 + 5 sites × 0.02 + 9 servers / 30 = 1.2 FTE
    # × $120,000 / 12 = $12,000 a month
    c = result.costs
    labour = c[(c.option == "campus") & (c.category == "labour") & (c.month == 0)]
    assert labour.quantity.sum() == pytest.approx(1.2)
    assert total(result, "campus", "labour") == pytest.approx(12_000 * 24)
    # the operations section splits it
    parts = result.operations["campus"].labour
    assert parts.platform_fte == pytest.approx(0.5)
    assert parts.per_hub_fte == pytest.approx(0.3)
    assert parts.per_site_fte == pytest.approx(0.1)
    assert parts.per_device_fte == pytest.approx(0.3)


def test_site_to_hub_link(result):
    # flat: 5 sites × $20 × 24 months = $2,400
    assert total(result, "campus", "network", "site-to-hub links") == pytest.approx(2_400)
    # traffic: 5 × 26.28e6 inferences × (100,000 + 1,000) B / 1e9 = 13,271.4 GB × $0.01
    assert total(result, "campus", "network", "site-to-hub traffic") == pytest.approx(132.714 * 24)


def test_owned_hub_total_is_the_sum_of_its_lines(result):
    # hardware 110,000 + installation 6,000 + facilities 3,600 + power 432.525 × 24 = 10,380.6
    # + support 13,200 + failures 1,080 + software 216 + labour 288,000 + updates 0.216
    # + integration 4,000 + links 2,400 + traffic 3,185.136 = 442,061.952
    total_usd = result.summary.set_index("option").loc["campus", "total_usd"]
    assert total_usd == pytest.approx(442_061.952)


def test_managed_zone(result):
    # one hub for 5 sites: peak 100/s; ceil(100 / 30) = 4 + 1 spare = 5 servers
    # 5 × 730 h × $0.50 × 24 months = $43,800; labour (0.2 platform + 5 / 30) FTE × $10,000
    # × 24 = $88,000
    assert total(result, "zone", "compute") == pytest.approx(43_800)
    assert total(result, "zone", "labour") == pytest.approx(88_000)
    assert set(result.costs[result.costs.option == "zone"].category) == {"compute", "labour"}


def test_hub_latency(result):
    # campus: 2 ms link RTT + 100,000 B × 8 / (100 Mbit/s × 1e3) = 8 ms up + 1,000 B: 0.08 ms
    # down + 3 ms inference = 13.08 ms
    lat = result.latency[result.latency.option == "campus"].set_index("component").ms
    assert lat["total"] == pytest.approx(13.08)
    assert lat["upload"] == pytest.approx(8)
    # zone: 6 + 100,000 × 8 / 50e3 = 16 + 0.16 + 3 = 25.16 ms
    zone = result.latency[result.latency.option == "zone"].set_index("component").ms
    assert zone["total"] == pytest.approx(25.16)


def test_hub_link_capacity_and_residency():
    # peak 20/s × 100,000 B × 8 / 1e6 = 16 Mbit/s per site; a 15 Mbit/s link × 0.8 usable
    # = 12 Mbit/s is too small
    r = edgecalc.evaluate(FIXTURE, {"hubs.0.link_mbps": 15, "residency.raw_data": "on_site"})
    rows = r.constraints.set_index(["option", "constraint"])
    assert not rows.loc[("campus", "uplink"), "ok"]
    # an in-country zone may not see raw data that must stay on site; the campus hub may
    assert not rows.loc[("zone", "residency"), "ok"]
    assert rows.loc[("campus", "residency"), "ok"]


def test_hub_reasons_say_why_it_won_or_lost(result):
    text = " ".join(result.decision.reasons)
    # no discounting in the fixture: NPV = the undiscounted total
    assert "campus (one hub per 2 sites) is feasible but costs $442,062" in text


def test_hub_constraints_in_words():
    r = edgecalc.evaluate(FIXTURE, {"hubs.0.link_mbps": 15, "residency.raw_data": "on_site"})
    detail = r.constraints.set_index(["option", "constraint"]).detail
    assert detail[("zone", "residency")] == "raw data must stay on site, but the hub is in-country"
    assert detail[("campus", "uplink")] == (
        "peak upload 16.0 Mbit/s per site exceeds the usable 12.0 Mbit/s of its link to the hub "
        "(1.3x)"
    )


def test_hub_availability_counts_the_depot_lead_and_the_zone_wan(result):
    # campus: no hot spare is short, but the depot ships in 5 days, later than the 2-day
    # technician: repair lead max(2, 5) = 5 days; MTTR = 5 min / 2 (noticed at the next
    # heartbeat) + 5 × 24 h + 2 h on site = 122.0417 h; λ = 0.12 / 8,760 h;
    # u = λ·MTTR / (1 + λ·MTTR); a hub needs n = 2 servers with k = 1 spare:
    # down = 3u²(1 - u) + u³
    campus = result.operations["campus"]
    assert campus.spares.repair_lead_days == pytest.approx(5)
    assert campus.spares.depot_spares == pytest.approx(2)
    assert campus.availability.devices_needed_and_spares_per_site == ((2, 1),)
    lam_mttr = 0.12 / 8760 * (5 / 60 / 2 + 5 * 24 + 2)
    u = lam_mttr / (1 + lam_mttr)
    down = 3 * u**2 * (1 - u) + u**3
    assert campus.availability.device_unavailability == pytest.approx(u)
    assert campus.availability.minutes_without_inference_per_site_month == pytest.approx(
        down * 43_800
    )
    # zone: a managed server is replaced once noticed (u ≈ 5.7e-7, negligible with a spare);
    # the zone is in the country, reached over the site's WAN (99.5 % available): down
    # 1 - (1 - s) × 0.995 ≈ 0.005, 219 minutes a month
    zone = result.operations["zone"]
    assert zone.spares.repair_lead_days == 0
    assert zone.availability.minutes_without_inference_per_site_month == pytest.approx(
        219, rel=1e-4
    )


def test_hub_availability_requirement_uses_the_same_figures():
    # at most 100 minutes a month without inference: the campus hub (0.37 min) meets it, the
    # zone behind the WAN (219 min) does not
    path = "operations.availability_requirement.max_minutes_without_inference_per_month"
    r = edgecalc.evaluate(FIXTURE, {path: 100})
    rows = r.constraints.set_index(["option", "constraint"])
    assert rows.loc[("campus", "availability"), "ok"]
    assert not rows.loc[("zone", "availability"), "ok"]


def test_local_zone_round_trip_comes_from_the_catalog():
    # managed_zones.aws_local_zone.rtt_ms = 10 ms ("single-digit millisecond", its upper
    # bound): 10 + 100,000 B × 8 / 50e3 = 16 ms up + 0.16 ms down + 3 ms = 29.16 ms
    r = edgecalc.evaluate(FIXTURE.parent / "hub-local-zone.yaml")
    lat = r.latency[r.latency.option == "local_zone"].set_index("component").ms
    assert lat["total"] == pytest.approx(29.16)
    rtt = r.assumptions.set_index("path").loc["hubs.0.link_rtt_ms"]
    assert rtt.origin == "catalog"
    assert "krististop.com" in rtt.source
    # the scenario's own figure wins over the zone's
    own = edgecalc.evaluate(FIXTURE.parent / "hub-local-zone.yaml", {"hubs.0.link_rtt_ms": 4})
    lat = own.latency[own.latency.option == "local_zone"].set_index("component").ms
    assert lat["total"] == pytest.approx(23.16)

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
    # ceil(33.3 / (30 × 1.0)) = 2 servers + 1 spare = 3 per hub, 9 servers;
    # bought at month 0 and again at the refresh (month 12): 18 × $5,000 = $90,000
    assert total(result, "campus", "hardware") == pytest.approx(90_000)
    # the servers retire at month 24 = the horizon: no residual value
    assert total(result, "campus", "residual") == pytest.approx(0)


def test_owned_hub_running_costs(result):
    # installation 3 hubs × $1,000 at months 0 and 12
    assert total(result, "campus", "installation") == pytest.approx(6_000)
    # facility 3 hubs × $50 × 24 months
    assert total(result, "campus", "facilities") == pytest.approx(3_600)
    # power 9 × 200 W × PUE 1.5 × 730 h / 1000 = 1,971 kWh × $0.25 = $492.75 a month
    assert total(result, "campus", "power") == pytest.approx(492.75 * 24)
    # support 9 × $5,000 × 0.12 / 12 = $450 a month
    assert total(result, "campus", "support") == pytest.approx(450 * 24)
    # failures 9 × 0.12 / 12 = 0.09 a month × ($5,000 + $500 truck roll) = $495 a month
    assert total(result, "campus", "failures") == pytest.approx(495 * 24)
    # fleet software 9 × $1 a month
    assert total(result, "campus", "software") == pytest.approx(216)
    # labour 9 / 30 servers per engineer × $120,000 / 12 = $3,000 a month
    assert total(result, "campus", "labour") == pytest.approx(72_000)
    # model updates 9 × 12/12 × 10e6 parameters × 1 byte / 1e9 = 0.09 GB × $0.10
    assert total(result, "campus", "updates") == pytest.approx(0.009 * 24)


def test_site_to_hub_link(result):
    # flat: 5 sites × $20 × 24 months = $2,400
    assert total(result, "campus", "network", "site-to-hub links") == pytest.approx(2_400)
    # traffic: 5 × 26.28e6 inferences × (100,000 + 1,000) B / 1e9 = 13,271.4 GB × $0.01
    assert total(result, "campus", "network", "site-to-hub traffic") == pytest.approx(132.714 * 24)


def test_owned_hub_total_is_the_sum_of_its_lines(result):
    # 90,000 + 6,000 + 3,600 + 11,826 + 10,800 + 11,880 + 216 + 72,000 + 0.216 + 2,400
    # + 3,185.136 = 211,907.352
    total_usd = result.summary.set_index("option").loc["campus", "total_usd"]
    assert total_usd == pytest.approx(211_907.352)


def test_managed_zone(result):
    # one hub for 5 sites: peak 100/s; ceil(100 / 30) = 4 + 1 spare = 5 servers
    # 5 × 730 h × $0.50 × 24 months = $43,800; labour 5 / 30 × $10,000 × 24 = $40,000
    assert total(result, "zone", "compute") == pytest.approx(43_800)
    assert total(result, "zone", "labour") == pytest.approx(40_000)
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
    assert "campus (one hub per 2 sites) is feasible but costs $211,907" in text


def test_hub_constraints_in_words():
    r = edgecalc.evaluate(FIXTURE, {"hubs.0.link_mbps": 15, "residency.raw_data": "on_site"})
    detail = r.constraints.set_index(["option", "constraint"]).detail
    assert detail[("zone", "residency")] == "raw data must stay on site, but the hub is in country"
    assert detail[("campus", "uplink")] == (
        "peak upload 16.0 Mbit/s per site exceeds the usable 12.0 Mbit/s of its link to the hub "
        "(1.3x)"
    )

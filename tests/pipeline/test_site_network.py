"""The site's link and the availability requirement through evaluate: hand-worked cost lines,
the constraints they add, and the words of the reasons.

The fixture (tests/fixtures/hand-worked.yaml): 2 sites, 10 inferences/s around the clock, 100 kB
up and 1 kB down per inference, no growth. Per site and month: 10 x 3,600 x 730 = 26,280,000
inferences, so 26.28e6 x 100,000 / 1e9 = 2,628 GB up and 26.28 GB down for the cloud.
"""

from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.scenario import load_scenario_text

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def evaluate(link: str = "", operations: str = "", redundancy: int = 1, **kw):
    text = FIXTURE.read_text()
    if link:
        text = text.replace("  uplink_mbps: 100\n", "  uplink_mbps: 100\n  link:\n" + link, 1)
    if operations:
        text = text.replace("operations:\n", "operations:\n" + operations, 1)
    text = text.replace("  redundancy: 1\n", f"  redundancy: {redundancy}\n", 1)
    return edgecalc.evaluate(load_scenario_text(text), **kw)


def month0(result, option, category="network"):
    costs = result.costs
    rows = costs[(costs.month == 0) & (costs.option == option) & (costs.category == category)]
    return {row.item: row for row in rows.itertuples()}


def constraint(result, option, name):
    rows = result.constraints
    row = rows[(rows.option == option) & (rows.constraint == name)]
    assert len(row) == 1, f"no {name} row for {option}"
    return bool(row.ok.iloc[0]), str(row.detail.iloc[0])


def test_metered_link_with_allowance_and_overage_in_every_option():
    result = evaluate(
        "    flat_usd_per_month: 300\n"
        "    upload: {included_gb_per_month: 1000, overage_usd_per_gb: 0.26}\n"
    )
    cloud = month0(result, "cloud")
    # (2,628 - 1,000) x 0.26 = 423.28 per site; x 2 sites = 846.56
    upload = cloud["site link: upload (raw inputs)"]
    assert upload.usd == pytest.approx(846.56)
    assert upload.quantity == pytest.approx(2 * 2628.0)
    assert cloud["site link: flat fee"].usd == pytest.approx(600.0)  # 300 x 2 sites
    # the edge's devices send telemetry only: 3 devices x 1 MB/day x 730 / 24 = 0.09125 GB per
    # site, inside the allowance: no traffic charge, the flat fee alone
    edge = month0(result, "edge")
    assert set(edge) == {"site link: flat fee"}
    cloud_total = result.option("cloud")["total_usd"]
    without = evaluate().option("cloud")["total_usd"]
    assert cloud_total - without == pytest.approx(24 * (846.56 + 600.0), rel=1e-9)


def test_a_hard_cap_rules_out_the_cloud_with_its_numbers():
    result = evaluate("    upload: {included_gb_per_month: 1000, beyond_allowance: cap}\n")
    ok, detail = constraint(result, "cloud", "link_cap")
    assert not ok
    assert detail == (
        "cloud sends 2,628 GB a month per site up, over the link's hard cap of 1,000 GB"
    )
    assert constraint(result, "edge", "link_cap")[0]
    # hybrid escalates 10 %: 26.28e6 x 0.1 x 10,000 / 1e9 = 26.28 GB + telemetry: within the cap
    assert constraint(result, "hybrid", "link_cap")[0]
    assert result.recommendation != "cloud"
    assert any("hard cap" in reason for reason in result.decision.reasons)


def test_a_throttled_link_rules_out_the_cloud_when_the_peak_needs_more():
    # beyond 1,000 GB the link slows to 10 Mbit/s, 8 usable (0.8); the cloud's peak upload is
    # 20/s x 100,000 B x 8 / 1e6 = 16 Mbit/s
    result = evaluate(
        "    upload: {included_gb_per_month: 1000, beyond_allowance: throttle, throttle_mbps: 10}\n"
    )
    ok, detail = constraint(result, "cloud", "link_throttle")
    assert not ok
    assert "needs 16.0 Mbit/s up at peak, but" in detail
    assert "slows to 8.0 Mbit/s usable once its 1,000 GB are used" in detail


def test_an_availability_requirement_rules_out_the_cloud():
    # WAN up 99.5 %: 0.005 x 43,800 = 219 minutes a month without the cloud; 30 allowed
    result = evaluate(
        operations="  availability_requirement: {max_minutes_without_inference_per_month: 30}\n"
    )
    ok, detail = constraint(result, "cloud", "availability")
    assert not ok
    assert detail == (
        "cloud is without inference 219 min per site and month, the requirement allows 30"
    )
    assert constraint(result, "edge", "availability")[0]  # 3 devices, 2 needed: a spare


def test_an_availability_requirement_rules_out_an_edge_without_spares():
    # no spare: 2 devices, both needed. One device is down u = l*T / (1 + l*T) with
    # l = 0.12 / 8,760 per hour and T = 48 h lead + 2 h on site + 2.5 min to notice = 50.042 h:
    # l*T = 6.8550e-4, u = 6.8503e-4; site down 1 - (1 - u)^2 = 1.3696e-3 -> 59.99 min a month
    result = evaluate(
        operations="  availability_requirement: {max_minutes_without_inference_per_month: 30}\n",
        redundancy=0,
    )
    ok, detail = constraint(result, "edge", "availability")
    assert not ok
    assert detail == (
        "edge is without inference 60 min per site and month, the requirement allows 30"
    )
    minutes = result.operations["edge"].availability.minutes_without_inference_per_site_month
    assert minutes == pytest.approx(59.99, abs=0.01)  # the Operations figures agree
    # hybrid falls back to the cloud while its edge is down: only both down counts
    assert constraint(result, "hybrid", "availability")[0]
    assert result.recommendation == "hybrid"


def test_a_price_per_minute_without_inference_is_a_cost_line():
    result = evaluate(
        operations="  availability_requirement: {usd_per_minute_without_inference: 2}\n"
    )
    line = month0(result, "cloud", "downtime")
    (row,) = line.values()
    # 219 min x 2 sites x $2 = $876 a month
    assert row.usd == pytest.approx(876.0)
    assert row.quantity == pytest.approx(438.0)


def test_failover_raises_the_availability_and_is_priced_for_the_cloud():
    # LTE behind the main link: WAN up 1 - 0.005 x (1 - 0.995) = 0.999975 -> 1.095 min a month;
    # LTE carries the traffic 0.005 x 0.995 = 0.4975 % of the time:
    # (2,628 + 26.28) GB x 0.004975 = 13.205 GB per site at $2 = $26.41, x 2 sites = $52.82
    result = evaluate(
        "    failover: {technology: lte, flat_usd_per_month: 40, usd_per_gb: 2}\n",
        operations="  availability_requirement: {max_minutes_without_inference_per_month: 30}\n",
    )
    assert constraint(result, "cloud", "availability")[0]
    cloud = month0(result, "cloud")
    assert cloud["failover link: flat fee"].usd == pytest.approx(80.0)
    assert cloud["failover link: traffic while the main link is down"].usd == pytest.approx(
        52.82, abs=0.01
    )
    assert "failover link: flat fee" not in month0(result, "edge")  # the edge infers without it
    wan = result.operations["cloud"].wan_down_minutes_per_site_month
    # LTE's availability is an assumption sampled as a range: the median maps to 1.095 min
    assert wan == pytest.approx(0.005 * 0.005 * 43_800, rel=1e-4)


def test_the_access_technology_enters_the_estimated_rtt():
    text = FIXTURE.read_text().replace("  rtt: {ms: 20}\n", "")
    lte = text.replace("  uplink_mbps: 100\n", "  uplink_mbps: 100\n  link: {technology: lte}\n")
    base = edgecalc.evaluate(load_scenario_text(text))
    on_lte = edgecalc.evaluate(load_scenario_text(lte))
    rtt_base = base.option("cloud")["latency_ms"]
    rtt_lte = on_lte.option("cloud")["latency_ms"]
    # the default adds 5 ms access at every percentile; LTE at p99 adds
    # 32 x exp(2.3263 x ln 2 / 1.2816) = 32 x 3.517 = 112.5 ms
    assert rtt_lte - rtt_base == pytest.approx(112.5 - 5.0, abs=0.2)
    assert any("LTE (4G): median 32 ms, p90 64 ms" in r for r in on_lte.decision.reasons)


def test_the_link_takes_its_availability_from_the_technology_unless_given():
    geo = evaluate("    technology: geo_satellite\n")
    wan = geo.operations["cloud"].wan_down_minutes_per_site_month
    assert wan == pytest.approx((1 - 0.995) * 43_800)  # the GEO assumption, 99.5 %
    fibre = evaluate("    technology: fibre\n")
    assert fibre.operations["cloud"].wan_down_minutes_per_site_month == pytest.approx(43.8)
    given = evaluate("    technology: fibre\n    availability: 0.99\n")
    assert given.operations["cloud"].wan_down_minutes_per_site_month == pytest.approx(438.0)


def test_monte_carlo_samples_the_link_price():
    sim = edgecalc.simulate(
        load_scenario_text(
            FIXTURE.read_text().replace(
                "  uplink_mbps: 100\n",
                "  uplink_mbps: 100\n  link:\n    upload: {usd_per_gb: {low: 0.1, high: 0.4}}\n",
            )
        ),
        samples=200,
        seed=1,
    )
    cloud = sim.total_usd["cloud"]
    assert np.std(cloud) > 0
    # every sample's link bill lies between 0.1 and 0.4 $/GB times 24 x 2 x 2,628 GB (truncated
    # lognormal samples may reach a little beyond the 90 % interval)
    assert np.ptp(cloud) > 0.3 * 24 * 2 * 2628 * 0.3


def test_estimated_rtts_of_site_groups_are_correlated_in_monte_carlo():
    text = FIXTURE.read_text().replace("  rtt: {ms: 20}\n", "")
    text = text.replace(
        "  count: 2\n",
        "  list:\n"
        "  - {name: Munich, count: 1}\n"
        "  - {name: Lisbon, count: 1, location: {lat: 38.72, lon: -9.14, country: PT}}\n",
    )
    sim = edgecalc.simulate(load_scenario_text(text), samples=400, seed=3)
    munich, lisbon = sim.inputs["sites.list.0.rtt_ms"], sim.inputs["sites.list.1.rtt_ms"]
    rank = np.corrcoef(np.argsort(np.argsort(munich)), np.argsort(np.argsort(lisbon)))[0, 1]
    assert rank == pytest.approx(0.8, abs=0.08)  # SHARED_REGION_RTT_SPEARMAN


def test_published_starlink_priority_plan_rebuilt():
    # Starlink Local Priority, 1 TB tier: $290 a month for 1,000 GB of priority data ($0.29 per
    # GB), more priority data at $125 per 500 GB ($0.25 per GB), 1 Mbit/s after the cap; the
    # tiers as tabulated by "Understanding Starlink Business Priority Data",
    # https://ifeeltech.github.io/ifeeltech-guides/starlink-business-data-cap-calculator (plans
    # since April 2025, https://www.starlink.com/support/article/1124df77-fdec-91e7-bed9-ba489cffda25).
    # The plan counts upload and download together.
    plan = "    technology: leo_satellite\n    flat_usd_per_month: 290\n"
    # the published cost per GB of the tier: a month that uses exactly the 1,000 GB
    assert 290 / 1000 == pytest.approx(0.29)
    topped_up = evaluate(
        plan + "    data_plan: {included_gb_per_month: 1000, overage_usd_per_gb: 0.25}\n"
    )
    cloud = month0(topped_up, "cloud")
    # the cloud moves 2,628 + 26.28 = 2,654.28 GB per site: (2,654.28 - 1,000) x 0.25 = 413.57
    data = cloud["site link: data plan (raw inputs; results)"]
    assert data.usd == pytest.approx(2 * 413.57, abs=0.01)
    assert cloud["site link: flat fee"].usd == pytest.approx(2 * 290.0)
    # without top-ups the dish drops to 1 Mbit/s (0.8 usable): the cloud's 16 Mbit/s cannot pass
    throttled = evaluate(
        plan + "    data_plan: {included_gb_per_month: 1000, beyond_allowance: throttle,"
        " throttle_mbps: 1}\n"
    )
    ok, detail = constraint(throttled, "cloud", "link_throttle")
    assert not ok and "slows to 0.8 Mbit/s usable once its 1,000 GB are used" in detail
    assert constraint(throttled, "edge", "link_throttle")[0]


def test_published_aws_site_to_site_vpn_price_as_a_per_site_charge():
    # AWS Site-to-Site VPN: $0.05 per connection-hour (https://aws.amazon.com/vpn/pricing/, as
    # quoted in public AWS lab notes); one connection per site, 730 h a month: $36.50 per site
    vpn_usd_per_month = 0.05 * 730
    assert vpn_usd_per_month == pytest.approx(36.5)
    result = evaluate(f"    vpn_usd_per_month: {vpn_usd_per_month}\n")
    for option in ("cloud", "edge", "hybrid"):
        assert month0(result, option)["site link: VPN / private link"].usd == pytest.approx(73.0)


def test_published_cost_of_downtime_as_the_price_per_minute():
    # Gartner's often-quoted average cost of IT downtime, $5,600 a minute (A. Lerner, "The Cost
    # of Downtime", Gartner blog, 2014-07-16): an enterprise-wide average, not a site's, used
    # here only to check the line: 219 min x 2 sites x $5,600 = $2,452,800 a month for the cloud
    result = evaluate(
        operations="  availability_requirement: {usd_per_minute_without_inference: 5600}\n"
    )
    (row,) = month0(result, "cloud", "downtime").values()
    assert row.usd == pytest.approx(219.0 * 2 * 5600)
    assert result.recommendation != "cloud"  # minutes without inference now decide


def test_the_reasons_say_what_the_link_costs_each_option():
    result = evaluate("    flat_usd_per_month: 300\n    upload: {usd_per_gb: 0.1}\n")
    # cloud: 24 months x 2 sites x (300 + 2,628 x 0.1) = 48 x 562.80 = $27,014; the edge's
    # telemetry 0.09125 GB x 0.1 x 48 = $0.44 rounds into its $14,400 of flat fees
    reason = next(r for r in result.decision.reasons if r.startswith("the sites' link"))
    assert reason.startswith("the sites' link over 24 months: cloud $27,014 (traffic $12,614)")
    assert "edge $14,400 (traffic $0)" in reason
    assert not any(r.startswith("the sites' link") for r in evaluate().decision.reasons)


def test_a_site_of_the_list_with_its_own_link():
    # two identical sites but the second on LTE with its own WAN availability: its link replaces
    # the sites' link for it alone
    text = FIXTURE.read_text().replace(
        "  count: 2\n",
        "  link: {technology: fibre}\n"
        "  list:\n"
        "  - {name: plant A, count: 1}\n"
        "  - {name: plant B, count: 1, wan_availability: 0.98, link: {technology: lte}}\n",
    )
    result = edgecalc.evaluate(load_scenario_text(text))
    values = result.assumptions.set_index("path")["value"]
    assert values["sites.link.availability"] == pytest.approx(0.999)  # fibre's assumption
    assert values["sites.list.1.link.availability"] == pytest.approx(0.98)  # the site's own
    assert values["sites.list.1.link.access_latency_ms"] == pytest.approx(32.0)  # LTE
    # the cloud's minutes without inference, averaged over the sites: (43.8 + 876) / 2 = 459.9
    minutes = result.operations["cloud"].wan_down_minutes_per_site_month
    assert minutes == pytest.approx((0.001 + 0.02) * 43_800 / 2)


def test_an_assumed_availability_is_a_range_monte_carlo_samples():
    text = FIXTURE.read_text().replace(
        "  uplink_mbps: 100\n", "  uplink_mbps: 100\n  link: {technology: lte}\n"
    )
    scenario = load_scenario_text(text)
    # LTE's 99.5 % is an assumption: downtime 0.005 within +-50 %, 90 % interval 0.9925-0.9975
    result = edgecalc.evaluate(scenario)
    row = result.assumptions.set_index("path").loc["sites.link.availability"]
    assert row["value"] == pytest.approx(0.995)
    assert row["range"] == "0.9925..0.9975"
    assert result.operations["cloud"].wan_down_minutes_per_site_month == pytest.approx(219.0)
    sim = edgecalc.simulate(scenario, samples=400, seed=2)
    sampled = sim.inputs["sites.link.availability"]
    assert np.all(sampled <= 1.0)
    assert np.quantile(sampled, [0.05, 0.95]) == pytest.approx([0.9925, 0.9975], abs=6e-4)


def test_a_slow_link_names_its_access_latency_with_thousands_separators():
    text = FIXTURE.read_text().replace("  rtt: {ms: 20}\n", "")
    slow = "  link: {access_latency_ms: 1500, access_latency_p90_ms: 3000}\n"
    text = text.replace("  uplink_mbps: 100\n", "  uplink_mbps: 100\n" + slow)
    reasons = edgecalc.evaluate(load_scenario_text(text)).decision.reasons
    assert any("(the site's link: median 1,500 ms, p90 3,000 ms)" in r for r in reasons)

"""Every cost line of a small scenario, checked against arithmetic done by hand.

Fixture: tests/fixtures/hand-worked.yaml. Per site 10 inferences/s around the clock, peak 20/s;
2 sites; 24 months; no discounting.
"""

from pathlib import Path

import pytest

import edgecalc

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


@pytest.fixture(scope="module")
def result():
    return edgecalc.evaluate(FIXTURE)


def total(result, option, category):
    costs = result.costs
    return costs[(costs.option == option) & (costs.category == category)].usd.sum()


def test_monthly_inferences(result):
    # 10/s × 3600 s × 24 h × 7/7 × 730/24 = 26,280,000 per site per month; 2 sites
    monthly = result.engine.load.total_monthly[0]
    assert monthly[0] == pytest.approx(52_560_000)


def test_cloud_compute(result):
    # peak 2 sites × 20/s = 40/s; one instance serves 100/s × 0.5 = 50/s -> 1 instance
    # 1 × 730 h × $1.00 × 24 months = $17,520
    assert total(result, "cloud", "compute") == pytest.approx(17_520)


def test_cloud_transfer(result):
    # out: 52.56e6 × 1,000 B / 1e9 = 52.56 GB × $0.10 = $5.256 a month; in: price 0
    assert total(result, "cloud", "transfer") == pytest.approx(5.256 * 24)


def test_cloud_labour(result):
    # 0.1 FTE × $120,000 / 12 = $1,000 a month
    assert total(result, "cloud", "labour") == pytest.approx(24_000)


def test_edge_hardware_with_refresh(result):
    # per site ceil(20 / (15 × 1.0)) = 2 + 1 spare = 3; 6 devices × $1,000 at month 0 and 12
    assert total(result, "edge", "hardware") == pytest.approx(12_000)


def test_edge_installation(result):
    # 2 sites × $100 at month 0 and again at the refresh (month 12)
    assert total(result, "edge", "installation") == pytest.approx(400)


def test_edge_failures(result):
    # 6 devices × 0.12 / 12 = 0.06 failures a month × ($1,000 + $500) = $90 a month
    assert total(result, "edge", "failures") == pytest.approx(90 * 24)


def test_edge_power(result):
    # 6 × 20 W × 730 h / 1000 = 87.6 kWh × $0.25 = $21.90 a month
    assert total(result, "edge", "power") == pytest.approx(21.9 * 24)


def test_edge_software_and_labour(result):
    # 6 device-months × $1 = $6 a month; 6 / 60 = 0.1 FTE × $10,000 = $1,000 a month
    assert total(result, "edge", "software") == pytest.approx(6 * 24)
    assert total(result, "edge", "labour") == pytest.approx(1_000 * 24)


def test_edge_updates_and_telemetry(result):
    # 6 × 12/12 × 10e6 params × 1 B / 1e9 = 0.06 GB × $0.10 = $0.006 a month
    assert total(result, "edge", "updates") == pytest.approx(0.006 * 24)
    # 6 × 1e6 B/day × 730/24 / 1e9 = 0.1825 GB a month at an ingress price of 0
    tele = result.costs[(result.costs.option == "edge") & (result.costs.category == "telemetry")]
    assert tele.quantity.iloc[0] == pytest.approx(0.1825)
    assert tele.usd.sum() == 0


def test_totals_and_npv_at_zero_discount(result):
    s = result.summary.set_index("option")
    cloud = 17_520 + 5.256 * 24 + 24_000  # 41,646.144
    edge = 12_000 + 400 + 2_160 + 525.6 + 144 + 24_000 + 0.144  # 39,229.744
    # hybrid = edge + cloud for 10%: 1 instance (730), out 0.5256/month, labour 1,000
    hybrid = edge + (730 + 0.5256 + 1_000) * 24
    assert s.loc["cloud", "total_usd"] == pytest.approx(cloud)
    assert s.loc["edge", "total_usd"] == pytest.approx(edge)
    assert s.loc["hybrid", "total_usd"] == pytest.approx(hybrid)
    for option in ("cloud", "edge", "hybrid"):
        assert s.loc[option, "npv_usd"] == pytest.approx(s.loc[option, "total_usd"])
    assert s.loc["edge", "capex_usd"] == pytest.approx(12_400)


def test_usd_per_1k_inferences(result):
    s = result.summary.set_index("option")
    # 41,646.144 / (52.56e6 × 24) × 1000
    assert s.loc["cloud", "usd_per_1k_inferences"] == pytest.approx(
        41_646.144 / (52_560_000 * 24) * 1000
    )


def test_break_even(result):
    # edge costs $5,582.65 more in month 0 and $617.35 a month less after; the refresh at
    # month 12 sets it back by $5,582.65 again; from month 20 on it stays cheaper.
    be = result.break_even.set_index(["option", "against"])["month"]
    assert be.loc[("edge", "cloud")] == 20


def test_latency_components(result):
    lat = result.latency.set_index(["option", "component"])["ms"]
    # 20 ms RTT + 100 kB × 8 / 100 Mbit/s = 8 ms + 1 kB down 0.08 ms + 5 ms inference
    assert lat.loc[("cloud", "upload")] == pytest.approx(8.0)
    assert lat.loc[("cloud", "total")] == pytest.approx(33.08)
    assert lat.loc[("edge", "total")] == pytest.approx(11.0)


def test_decision(result):
    # everything feasible; edge saves (41,646 - 39,230) / 41,646 = 5.8% < 25%: the cloud
    assert result.recommendation == "cloud"
    assert any("5.8%" in r or "6%" in r for r in result.decision.reasons)


def test_npv_discounting():
    # 8%/year: each month's cost divided by (1.08 ** (1/12)) ** m
    r = edgecalc.evaluate(FIXTURE, overrides={"discount_rate_per_year": 0.08})
    monthly = r.monthly[r.monthly.option == "cloud"].usd.to_numpy()
    expected = sum(c / (1.08 ** (m / 12)) for m, c in enumerate(monthly))
    assert r.option("cloud")["npv_usd"] == pytest.approx(expected)


def test_residual_value_credits_the_unused_life_at_the_horizon():
    # horizon 18, refresh 12: the 6 devices bought at month 12 serve until month 24, so half
    # of their $6,000 is still unused at the horizon: a $3,000 credit in month 17
    r = edgecalc.evaluate(FIXTURE, overrides={"horizon_months": 18})
    residual = r.costs[(r.costs.option == "edge") & (r.costs.category == "residual")]
    assert residual.usd.sum() == pytest.approx(-3_000)
    assert residual[residual.usd != 0].month.tolist() == [17]
    off = edgecalc.evaluate(
        FIXTURE, overrides={"horizon_months": 18, "edge.residual_value": "none"}
    )
    assert off.option("edge")["total_usd"] - r.option("edge")["total_usd"] == pytest.approx(3_000)
    # with 24 months the second fleet retires exactly at the horizon: no credit
    full = edgecalc.evaluate(FIXTURE)
    assert full.costs[full.costs.category == "residual"].usd.sum() == 0

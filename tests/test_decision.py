"""The decision rule and its reasons, on variations of the hand-worked fixture.

Baseline (tests/fixtures/hand-worked.yaml): cloud 33.08 ms at p99, edge 11 ms; cloud
$41,646, edge $39,230, hybrid $80,762 over 24 months; budget 50 ms; all feasible -> cloud.
"""

from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.pipeline.engine import decide

FIXTURE = Path(__file__).parent / "fixtures" / "hand-worked.yaml"


def evaluate(**overrides):
    return edgecalc.evaluate(FIXTURE, overrides=overrides)


def test_latency_rules_out_the_cloud():
    r = evaluate(**{"latency.budget_ms": 30})
    assert r.recommendation == "edge"
    assert not r.option("cloud")["feasible"]
    assert r.decision.reasons[0].startswith(
        "cloud is ruled out: cloud p99 is 33 ms against a 30 ms budget"
    )


def test_raw_data_on_site_rules_out_the_cloud_but_not_hybrid_escalations():
    r = evaluate(**{"residency.raw_data": "on_site"})
    assert "raw data must stay on site" in " ".join(r.decision.violations["cloud"])
    assert r.option("hybrid")["feasible"]  # escalations carry derived data: anywhere
    assert r.recommendation == "edge"  # edge ($39k) is cheaper than hybrid ($81k)


def test_hybrid_wins_when_cheaper_than_edge():
    # a cheap fast-path device for hybrid; the cloud is out on residency
    r = evaluate(
        **{"residency.raw_data": "on_site", "hybrid.device_usd": 100, "edge.device_usd": 5000}
    )
    assert r.recommendation == "hybrid"
    assert any("costs less than edge alone" in reason for reason in r.decision.reasons)


def test_in_country_and_in_region():
    # sites in DE, region eu-central-1 (Frankfurt, DE)
    assert evaluate(**{"residency.raw_data": "in_country"}).option("cloud")["feasible"]
    r = evaluate(**{"residency.raw_data": "in_country", "cloud.region": "aws/eu-west-1"})
    assert not r.option("cloud")["feasible"]
    assert "must stay in-country" in " ".join(r.decision.violations["cloud"])
    # Ireland is in the EEA with Germany
    r = evaluate(**{"residency.raw_data": "in_region", "cloud.region": "aws/eu-west-1"})
    assert r.option("cloud")["feasible"]
    r = evaluate(**{"residency.raw_data": "in_region", "cloud.region": "aws/us-east-1"})
    assert not r.option("cloud")["feasible"]


def test_uplink_capacity_rules_out_the_cloud():
    # peak upload 20/s × 100 kB × 8 = 16 Mbit/s; a 15 Mbit/s uplink offers 12 usable
    r = evaluate(**{"sites.uplink_mbps": 15})
    text = " ".join(r.decision.violations["cloud"])
    assert "peak upload 16.0 Mbit/s per site exceeds the usable uplink of 12.0 Mbit/s" in text


def test_uplink_upgrade_turns_the_constraint_into_a_cost():
    r = evaluate(
        **{
            "sites.uplink_mbps": 15,
            "sites.uplink_upgrade": {"uplink_mbps": 50, "usd_per_month": 200},
        }
    )
    assert r.option("cloud")["feasible"]
    network = r.costs[(r.costs.option == "cloud") & (r.costs.category == "network")]
    assert network.usd.sum() == pytest.approx(2 * 200 * 24)  # 2 sites, 24 months


def test_nothing_feasible_says_what_would_change():
    r = evaluate(**{"latency.budget_ms": 5})
    assert r.recommendation == "none"
    assert r.decision.what_would_change
    assert all(not f for f in r.summary.feasible)


def test_edge_recommended_when_it_saves_enough():
    # halve edge labour and hardware: edge becomes > 25% cheaper than the cloud
    r = evaluate(**{"edge.devices_per_engineer": 600, "edge.device_usd": 200})
    edge, cloud = r.option("edge")["total_usd"], r.option("cloud")["total_usd"]
    assert edge <= 0.75 * cloud
    assert r.recommendation == "edge"


def test_edge_saving_under_min_saving_is_flagged():
    r = evaluate()
    assert r.decision.edge_saving_ms == pytest.approx(33.08 - 11.0)
    assert any("under the 50 ms" in reason for reason in r.decision.reasons)


def test_model_that_does_not_fit_makes_edge_infeasible():
    r = evaluate(**{"model.parameters": 8e9, "model.precision": "fp16"})
    assert not r.option("edge")["feasible"]
    assert any("GB" in v for v in r.decision.violations["edge"])


def test_named_sites_each_with_their_own_uplink_and_country():
    sites = {
        "list": [
            {"name": "Munich", "count": 1},
            {
                "name": "Lyon",
                "count": 1,
                "uplink_mbps": 10,
                "location": {"lat": 45.76, "lon": 4.84, "country": "FR"},
            },
        ],
        "uplink_mbps": 100,
        "location": {"lat": 48.14, "lon": 11.58, "country": "DE"},
    }
    r = evaluate(**{"sites": sites, "residency.raw_data": "in_country"})
    assert list(r.sites.site) == ["Munich", "Lyon"]
    lyon, munich = r.sites.set_index("site").loc["Lyon"], r.sites.set_index("site").loc["Munich"]
    # Lyon: 100 kB up and 1 kB down over 10 Mbit/s, 80 + 0.8 ms; Munich at 100: 8 + 0.08 ms
    assert lyon.cloud_latency_ms - munich.cloud_latency_ms == pytest.approx(80.8 - 8.08)
    # a French site may not send raw data to Frankfurt under in_country
    assert "must stay in-country (sites in DE, FR)" in " ".join(r.decision.violations["cloud"])


def test_decide_vectorised_rules():
    totals = {
        "cloud": np.array([100.0, 100, 100, 100]),
        "edge": np.array([70.0, 80, 90, 60]),
        "hybrid": np.array([60.0, 90, 50, 50]),
    }
    feasible = {
        "cloud": np.array([True, True, False, False]),
        "edge": np.array([True, True, True, True]),
        "hybrid": np.array([True, True, True, False]),
    }
    out = decide(totals, feasible, 0.25)
    assert list(out) == ["hybrid", "cloud", "hybrid", "edge"]


def test_every_option_lists_every_hard_constraint():
    r = evaluate(**{"residency.raw_data": "on_site"})
    table = r.constraints.set_index(["option", "constraint"])
    for option in ("cloud", "edge", "hybrid"):
        for constraint in ("latency", "residency", "uplink", "fit"):
            assert (option, constraint) in table.index
    assert not table.loc[("cloud", "residency"), "ok"]
    assert table.loc[("edge", "residency"), "ok"]
    assert "stays on site" in table.loc[("edge", "residency"), "detail"]
    # 33.08 ms against 50 ms; 20/s × 100 kB × 8 = 16 Mbit/s of 80 usable
    assert table.loc[("cloud", "latency"), "detail"] == "33.1 ms at p99 within the 50 ms budget"
    assert table.loc[("cloud", "uplink"), "detail"] == (
        "peak upload 16.0 Mbit/s per site within the usable 80.0 Mbit/s"
    )
    # the violations the decision names are exactly the constraints that are not ok
    for option, texts in r.decision.violations.items():
        bad = r.constraints[(r.constraints.option == option) & ~r.constraints.ok]
        assert list(bad.detail) == texts

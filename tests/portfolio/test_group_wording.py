"""The per-group wording says one true thing: the why cell, the portfolio's reasons and the plan
table agree (regression tests for a "-$2,207 (-4014%) less than cloud" why, a group counted both
as going to edge for cost and as staying off the cloud for its fixed cost, "residency rules out
cloud (residency)", and a zero difference written both "+$0" and "$0")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import edgecalc
from edgecalc.format import usd
from edgecalc.portfolio.reasons import reason_buckets
from edgecalc.render.portfolio_tables import group_verdicts, plan_cells, signed_usd, why
from edgecalc.render.text import render_text

RETAIL = Path(__file__).resolve().parents[2] / "scenarios" / "retail-footfall.yaml"


def _site(name: str, country: str = "US", count: int = 1, uplink_mbps: float = 50) -> dict:
    location = {"lat": 41.88, "lon": -87.63, "country": country}
    return {"name": name, "count": count, "location": location, "uplink_mbps": uplink_mbps}


@pytest.fixture(scope="module")
def defect_a():
    """Group A (US) may use the cloud, group B (CA) may not: raw data stays in-country and the
    region is in the US. Both end on edge."""
    overrides = {
        "sites.list": [_site("A", "US"), _site("B", "CA")],
        "residency.raw_data": "in_country",
    }
    return edgecalc.evaluate(RETAIL, overrides=overrides, flips=False)


def _groups_in(reason: str) -> int:
    """Groups a bucket sentence counts (``1 group (1 site) by residency; 2 groups ...``)."""
    return sum(int(n.replace(",", "")) for n in re.findall(r"([\d,]+) groups? \(", reason))


BUCKETS = ("forced off the cloud:", "for cost (", "no option can serve")


def _bucket_reasons(reasons) -> list[str]:
    return [r for r in reasons if r.startswith(BUCKETS) or " is cheaper for " in r]


def test_a_group_the_cloud_serves_cheaper_says_so_without_a_negative_saving(defect_a):
    p = defect_a.portfolio
    v = group_verdicts(p).set_index("group")
    texts = list(v["why"])
    assert not any(re.search(r"-\$[\d,]+.*\bless\b", t) for t in texts), texts
    shares = [int(s) for t in texts for s in re.findall(r"\((-?\d+)%\)", t)]
    assert all(-100 <= s <= 100 for s in shares), texts
    # A: edge costs more than the cloud on its own; the cloud's fixed cost keeps it on edge
    g = p.groups.set_index("group")
    more = g.loc["A", "edge_npv_usd"] - g.loc["A", "cloud_npv_usd"]
    assert more > 0 and v.loc["A", "best"] == "edge" and v.loc["A", "runner_up"] == "cloud"
    assert v.loc["A", "why"] == (
        f"cost: {usd(more)} more than cloud on its own, too little to pay the cloud's fixed "
        f"{usd(p.fixed_usd['cloud'])}"
    )


def test_each_group_is_counted_under_exactly_one_reason(defect_a):
    p = defect_a.portfolio
    used = p.mixed["options_used"].split(", ")
    assert used == ["edge"]  # B must leave the cloud, so edge's fixed cost is paid anyway
    assert reason_buckets(p.groups, used, p.fixed_usd, "npv_usd") == ["fixed:cloud", "constraint"]
    buckets = _bucket_reasons(p.reasons)
    assert sum(_groups_in(r) for r in buckets) == len(p.groups) == 2
    assert not any(r.startswith("for cost") for r in p.reasons), p.reasons
    assert "forced off the cloud: 1 group (1 site) by residency" in p.reasons
    assert (
        "cloud is cheaper for 1 group (1 site) on its own cost but not by enough to pay its "
        f"fixed {usd(p.fixed_usd['cloud'])}: it stays on edge"
    ) in p.reasons


def test_a_group_edge_really_serves_for_less_reads_less_than_cloud():
    # Two equal groups of 5 sites at 200 inferences/s, hybrid escalating 90% (so the cloud is
    # the runner-up). With C the two-group fleet's cost on an option and c one group's alone
    # (from the summaries), the fixed cost is F = (2c - C) / (2 - 1) and a group's own cost
    # c - F = C - c; edge saves (C - c)_cloud - (C - c)_edge, as a share of (C - c)_cloud.
    o = {"workload.inferences_per_second": 200, "hybrid.escalation_rate": 0.9}
    sites = [_site("A", count=5, uplink_mbps=500), _site("B", count=5, uplink_mbps=500)]
    two = edgecalc.evaluate(RETAIL, overrides={"sites.list": sites, **o}, flips=False)
    one = edgecalc.evaluate(RETAIL, overrides={"sites.list": sites[:1], **o}, flips=False)
    fleet = two.summary.set_index("option")["npv_usd"]
    alone = one.summary.set_index("option")["npv_usd"]
    own = fleet - alone
    saving = own["cloud"] - own["edge"]
    share = saving / own["cloud"]
    assert saving > 0 and 0 < share < 1
    v = group_verdicts(two.portfolio)
    assert list(v["best"]) == ["edge", "edge"]
    assert list(v["why"]) == [f"cost: {usd(saving)} ({share:.0%}) less than cloud"] * 2
    buckets = _bucket_reasons(two.portfolio.reasons)
    assert buckets == [
        "for cost (cheaper than the cloud on their own cost): 2 groups (10 sites) to edge"
    ]


def test_a_constraint_is_named_once(defect_a):
    v = group_verdicts(defect_a.portfolio).set_index("group")
    assert v.loc["B", "why"] == "residency rules out cloud"
    row = {"best": "edge", "runner_up": "", "best_usd": 1.0, "runner_up_usd": float("nan")}
    group = {"cloud_feasible": False, "edge_feasible": True, "edge_why_not": ""}
    one = {**group, "cloud_why_not": "uplink"}
    assert why(("cloud", "edge"), one, {**row, "deciding": "constraint: uplink"}) == (
        "uplink rules out cloud"
    )
    two = {**group, "cloud_why_not": "latency 187 ms > 50 ms; uplink"}
    assert why(("cloud", "edge"), two, {**row, "deciding": "constraint: latency, uplink"}) == (
        "latency and uplink rule out cloud (latency 187 ms > 50 ms)"
    )


def test_a_zero_difference_reads_dollar_zero_in_every_plan_table(defect_a):
    assert (signed_usd(0.0), signed_usd(0.4), signed_usd(-0.4)) == ("$0", "$0", "$0")
    assert (signed_usd(155_026), signed_usd(-10_000)) == ("+$155,026", "-$10,000")
    retail = edgecalc.evaluate(RETAIL, flips=False)
    cells = {c[0]: c for c in plan_cells(retail.portfolio)}
    assert cells["all cloud"][3] == "$0"  # the same plan as the mixed one, 6e-11 apart
    cells_a = {c[0]: c for c in plan_cells(defect_a.portfolio)}
    assert cells_a["all edge"][3] == "$0"
    for result in (retail, defect_a):
        assert "+$0 " not in render_text(result)

"""The roll-up of several scenario diffs: the totals on the decision basis and per month by
hand, new and failed scenarios, one marker, and ``--skip-if-unchanged``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import edgecalc
from edgecalc.results.diff import COMMENT_MARKER, diff_results
from edgecalc.results.rollup import DiffRollup, Entry

FIXTURES = Path(__file__).parent / "fixtures" / "diff"


@pytest.fixture(scope="module")
def rollup():
    base, head = (
        edgecalc.evaluate(FIXTURES / "base.yaml"),
        edgecalc.evaluate(FIXTURES / "head.yaml"),
    )
    changed = Entry("scenarios/a.yaml", "scenarios/base/x.yaml", diff=diff_results(base, head))
    same = Entry("scenarios/b.yaml", diff=diff_results(base, base))
    new = Entry(
        "scenarios/c.yaml", new_recommendation="edge", new_monthly_usd=100.0,
        new_total_usd=3600.0, new_npv_usd=3200.0, new_basis="npv", new_horizon_months=36,
        new_name="C",
    )  # fmt: skip
    failed = Entry("scenarios/d.yaml", problem="d.yaml:3:5: budget_ms: must be > 0", exit_code=1)
    return DiffRollup((changed, same, new, failed), "main"), base, head


def test_totals_by_hand(rollup):
    r, base, head = rollup
    edge_before = base.option("edge")["steady_monthly_usd"]  # a.yaml recommended edge before
    cloud_after = head.option("cloud")["steady_monthly_usd"]  # ... and the cloud after
    # before: a (edge) + b (edge, unchanged) + c (new: $0) + d (failed: nothing)
    # after:  a (cloud) + b (edge) + c ($100)
    assert r.total_monthly_usd() == pytest.approx(
        (edge_before + edge_before + 0.0, cloud_after + edge_before + 100.0)
    )
    total_delta = head.option("cloud")["total_usd"] - base.option("edge")["total_usd"] + 3600.0
    assert r.total_delta_usd() == pytest.approx(total_delta)
    assert [e.status for e in r.entries] == ["changed", "unchanged", "new", "failed"]
    assert r.decisions_changed == 1
    assert math.isnan(r.entries[3].monthly_usd()[0])


def test_totals_on_the_decision_basis_by_hand(rollup):
    r, base, head = rollup
    assert r.basis == "npv"  # every scenario decides on NPV (the default)
    edge_before = base.option("edge")["npv_usd"]
    cloud_after = head.option("cloud")["npv_usd"]
    # before: a (edge NPV) + b (edge NPV, unchanged) + c (new: $0) + d (failed: nothing)
    # after:  a (cloud NPV) + b (edge NPV) + c (its NPV, $3,200)
    assert r.total_cost_usd() == pytest.approx(
        (edge_before + edge_before + 0.0, cloud_after + edge_before + 3200.0)
    )
    assert r.entries[2].cost_usd() == (0.0, 3200.0)
    assert all(math.isnan(v) for v in r.entries[3].cost_usd())
    total_before = 2 * base.option("edge")["total_usd"]
    total_after = head.option("cloud")["total_usd"] + base.option("edge")["total_usd"] + 3600.0
    assert r.total_undiscounted_usd() == pytest.approx((total_before, total_after))


def test_headline_speaks_of_the_decision_basis_not_the_month(rollup):
    # regression: the roll-up's headline gave the monthly cost while every decision is on NPV
    r, _, _ = rollup
    b, h = r.total_cost_usd()
    tb, th = r.total_undiscounted_usd()
    mb, mh = r.total_monthly_usd()
    pct = 100 * (h - b) / b
    money = (
        f"NPV of the recommendations over 36 months +${h - b:,.0f} ({pct:+.1f}%): ${b:,.0f} -> "
        f"${h:,.0f} (undiscounted total +${th - tb:,.0f}; a typical month +${mh - mb:,.0f})"
    )
    assert r.headline() == (
        f"edgecalc: 4 scenarios, 2 changed; {money}; 1 decision changed; 1 could not be compared"
    )
    assert "monthly cost" not in r.headline()


def test_a_rollup_of_total_basis_scenarios_says_total_and_drops_the_total_delta_column():
    new = Entry(
        "t.yaml", new_recommendation="cloud", new_monthly_usd=50.0, new_total_usd=1800.0,
        new_npv_usd=1500.0, new_basis="total", new_horizon_months=36, new_name="T",
    )  # fmt: skip
    r = DiffRollup((new,), "main")
    assert r.basis == "total"
    # basis total: the cost is the undiscounted total, $1,800 (not the NPV, $1,500)
    assert r.headline() == (
        "edgecalc: 1 scenario changed; total of the recommendations over 36 months +$1,800: "
        "$0 -> $1,800 (a typical month +$50)"
    )
    assert r.columns() == ["total base", "total head", "total delta", "monthly delta"]
    assert r.rows("->")[0] == ["new: CLOUD", "$0", "$1,800", "+$1,800", "+$50"]


def test_a_rollup_of_mixed_bases_says_so_and_names_the_total_ones():
    a = Entry(
        "a.yaml", new_recommendation="edge", new_monthly_usd=10.0, new_total_usd=360.0,
        new_npv_usd=300.0, new_basis="npv", new_horizon_months=36, new_name="A",
    )  # fmt: skip
    t = Entry(
        "t.yaml", new_recommendation="cloud", new_monthly_usd=50.0, new_total_usd=1800.0,
        new_npv_usd=1500.0, new_basis="total", new_horizon_months=60, new_name="T",
    )  # fmt: skip
    r = DiffRollup((a, t), "main")
    assert r.basis == "mixed"
    assert r.total_cost_usd() == (0.0, 300.0 + 1800.0)  # A's NPV + T's total
    # undiscounted: 360 + 1,800 = 2,160; a month: 10 + 50 = 60
    assert r.headline().startswith(
        "edgecalc: 2 scenarios changed; cost of the recommendations on each scenario's decision "
        "basis (NPV or total) over their horizons +$2,100: $0 -> $2,100 (undiscounted total "
        "+$2,160; a typical month +$60)"
    )
    assert r.columns()[:3] == ["cost base", "cost head", "cost delta"]
    assert "or its undiscounted total where the scenario decides on it (T)" in r.to_markdown()


def test_markdown_has_the_money_first_one_marker_and_a_total(rollup):
    r, _, _ = rollup
    md = r.to_markdown()
    first = md.splitlines()[0]
    assert first.startswith("**⚠️ edgecalc: 4 scenarios, 2 changed; NPV of the recommendations")
    assert "1 decision changed; 1 could not be compared**" in first
    assert md.count(COMMENT_MARKER) == 1 and md.rstrip().endswith(COMMENT_MARKER)
    assert (
        "| scenario | decision | NPV base | NPV head | NPV delta | total delta | monthly delta |"
        in md
    )
    b, h = r.total_cost_usd()
    assert f"| **Total** | | **${b:,.0f}** | **${h:,.0f}** | **+${h - b:,.0f}** |" in md
    # the new scenario: $0 before, its NPV $3,200 after; its total $3,600; $100 a month
    assert "| new: EDGE | $0 | $3,200 | +$3,200 | +$3,600 | +$100 |" in md
    assert "| could not be compared | — | — | — | — | — |" in md
    assert "NPV: the recommended option's NPV over 36 months, the decision's basis" in md
    assert "d.yaml:3:5: budget_ms: must be > 0" in md  # the error, folded away
    assert "Reached through the changed base file `scenarios/base/x.yaml`" in md
    assert md.count("<details><summary>") == 4 + 2  # one per scenario, plus the reasons


def test_json_is_plain_data(rollup):
    r, _, _ = rollup
    data = json.loads(r.to_json())
    assert data["total"]["decisions_changed"] == 1
    assert [s["status"] for s in data["scenarios"]] == ["changed", "unchanged", "new", "failed"]
    assert data["scenarios"][3]["base_monthly_usd"] is None
    assert data["scenarios"][2]["base_monthly_usd"] == 0.0
    assert data["total"]["decision_basis"] == "npv"
    assert (data["total"]["base_cost_usd"], data["total"]["head_cost_usd"]) == pytest.approx(
        r.total_cost_usd()
    )
    new, failed = data["scenarios"][2], data["scenarios"][3]
    assert (new["decision_basis"], new["base_cost_usd"], new["head_cost_usd"]) == ("npv", 0, 3200)
    assert (failed["decision_basis"], failed["head_cost_usd"]) == (None, None)


def test_details_are_left_out_past_the_comment_limit(rollup, monkeypatch):
    import edgecalc.results.rollup as module

    r, _, _ = rollup
    monkeypatch.setattr(module, "MAX_COMMENT_CHARS", len(r.to_markdown()) // 2)
    md = r.to_markdown()
    assert "more scenarios left out (see `--format json`)" in md
    assert md.count(COMMENT_MARKER) == 1

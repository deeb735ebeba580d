"""The roll-up of several scenario diffs: the monthly totals by hand, new and failed scenarios,
one marker, and ``--skip-if-unchanged``."""

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
        new_total_usd=3600.0, new_name="C",
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


def test_markdown_has_the_money_first_one_marker_and_a_total(rollup):
    r, _, _ = rollup
    md = r.to_markdown()
    first = md.splitlines()[0]
    assert first.startswith("**⚠️ edgecalc: 4 scenarios, 2 changed; monthly cost of the")
    assert "1 decision changed; 1 could not be compared**" in first
    assert md.count(COMMENT_MARKER) == 1 and md.rstrip().endswith(COMMENT_MARKER)
    b, h = r.total_monthly_usd()
    assert f"| **Total** | | **${b:,.0f}** | **${h:,.0f}** | **+${h - b:,.0f}** |" in md
    assert "| new: EDGE | $0 | $100 | +$100 | +$3,600 |" in md
    assert "| could not be compared | — | — | — | — |" in md
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


def test_details_are_left_out_past_the_comment_limit(rollup, monkeypatch):
    import edgecalc.results.rollup as module

    r, _, _ = rollup
    monkeypatch.setattr(module, "MAX_COMMENT_CHARS", len(r.to_markdown()) // 2)
    md = r.to_markdown()
    assert "more scenarios left out (see `--format json`)" in md
    assert md.count(COMMENT_MARKER) == 1

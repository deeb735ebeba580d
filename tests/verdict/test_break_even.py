"""Fractional break-even: in JSON beside the whole-month index, and in Markdown and HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import edgecalc
from edgecalc.render import render

ROOT = Path(__file__).resolve().parents[2]
HAND = ROOT / "tests" / "fixtures" / "hand-worked.yaml"


@pytest.fixture(scope="module")
def hand():
    return edgecalc.evaluate(HAND)


def test_edge_breaks_even_with_the_cloud_between_two_month_ends(hand):
    row = hand.break_even.query("option == 'edge' and against == 'cloud'").iloc[0]
    # cumulative at the end of month index 19 (20 months in): edge 34,758.12, cloud 34,705.12,
    # D = +53.00; at the end of month 20: edge 35,876.026, cloud 36,440.376, D = -564.35;
    # crossing = 20 + 53.00 / (53.00 + 564.35) = 20.0859 months after the start
    assert row["month"] == 20
    assert row["months"] == pytest.approx(20 + 53.0 / (53.0 + 564.35), abs=1e-4)


def test_break_even_months_agree_with_the_monthly_frame(hand):
    # independent of finance.break_even_months: walk the tidy monthly frame
    m = hand.monthly
    edge = m[m.option == "edge"]["cumulative_usd"].to_numpy()
    cloud = m[m.option == "cloud"]["cumulative_usd"].to_numpy()
    d = edge - cloud
    j = max(i for i in range(len(d)) if d[i] > 1e-6)
    expected = (j + 1) + d[j] / (d[j] - d[j + 1])
    row = hand.break_even.query("option == 'edge' and against == 'cloud'").iloc[0]
    assert row["months"] == pytest.approx(expected)
    assert int(row["month"]) <= row["months"] <= int(row["month"]) + 1


def test_json_keeps_the_month_index_beside_the_fraction(hand):
    rows = json.loads(hand.to_json())["break_even"]
    (row,) = [r for r in rows if r["option"] == "edge" and r["against"] == "cloud"]
    assert row["month"] == 20 and row["months"] == pytest.approx(20.0859, abs=1e-4)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_reports_show_the_break_even_against_the_cloud(hand, fmt):
    page = render(hand, fmt)
    assert "Break-even against the cloud" in page
    assert "edge catches up with the cloud after 20.1 months" in page
    # hybrid stays dearer than the cloud to the horizon
    assert "hybrid does not catch up with the cloud within 24 months" in page

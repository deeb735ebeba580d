"""``diff`` of two portfolios: the site groups whose verdict changed (the 20 largest, then a
count per change) and each plan's cost before -> after (tests/portfolio_fixture.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from portfolio_fixture import hand_built_portfolio

from edgecalc.pipeline.evaluate import evaluate
from edgecalc.results.diff import diff_results
from edgecalc.results.portfolio_diff import diff_portfolios

FACTORY = Path(__file__).resolve().parent / "fixtures" / "golden-factory.yaml"


def _head():
    """The base portfolio after a change: the 17 generated groups g06 .. g22 swap cloud and
    edge, g23 is removed, a group Nice (3 sites, cloud) is added, Paris goes edge -> cloud,
    Lyon cloud -> edge, the Island hub -> none; the mixed plan costs $100,000 more and the
    all-hub plan becomes feasible at $1,700,000."""
    p = hand_built_portfolio(none_group=True)
    g = p.groups.copy()
    swap = {"cloud": "edge", "edge": "cloud"}
    generated = g["group"].str.fullmatch(r"g\d\d") & (g["group"] != "g23")
    g.loc[generated, "best"] = g.loc[generated, "best"].map(swap)
    g.loc[g["group"] == "Paris", "best"] = "cloud"
    g.loc[g["group"] == "Lyon", "best"] = "edge"
    g = g[g["group"] != "g23"]
    nice = g[g["group"] == "g22"].copy()
    nice["group"], nice["best"] = "Nice", "cloud"
    g = pd.concat([g, nice], ignore_index=True)
    plans = p.plans.copy()
    plans.loc[plans["plan"] == "mixed", "npv_usd"] = 1_600_000
    hub = plans["plan"] == "all hub"
    plans.loc[hub, ["npv_usd", "feasible", "groups_infeasible"]] = [1_700_000, True, 0]
    return replace(p, groups=g, plans=plans)


@pytest.fixture(scope="module")
def diff():
    return diff_portfolios(hand_built_portfolio(), _head())


def test_groups_whose_verdict_changed_largest_first(diff):
    # 17 swapped + g23 removed + Nice added + Paris + Lyon + Island = 22 of 24 groups
    assert diff.headline() == "22 of 24 site groups changed verdict"
    order = list(diff.groups["group"])
    # 30 sites: Paris (|+$100,000|) before Lyon (|-$10,000|); at 5 sites the Island (no cost
    # now: the largest change) before g20; at 3 sites Nice (new) before g22; g23 (2 sites) last
    assert order[:3] == ["Paris", "Lyon", "g06"]
    assert order[16:] == ["Island", "g20", "g21", "Nice", "g22", "g23"]
    by = diff.groups.set_index("group")
    assert by.loc["Paris", ["base_best", "head_best"]].tolist() == ["edge", "cloud"]
    assert by.loc["Paris", "delta_usd"] == 300_000 - 200_000
    # g06 (19 sites) cloud -> edge: 10,000 x 19 = $190,000 -> 12,000 x 19 = $228,000
    assert by.loc["g06", ["base_usd", "head_usd", "delta_usd"]].tolist() == [
        190_000, 228_000, 38_000,
    ]  # fmt: skip
    assert by.loc["Nice", "base_best"] == "absent" and by.loc["g23", "head_best"] == "absent"
    assert np.isnan(by.loc["Island", "head_usd"])


def test_bounded_to_20_groups_then_a_count_per_change(diff):
    cells = diff.group_cells("->")
    assert len(cells) == 20
    assert cells[0] == ["Paris", "30", "edge -> cloud", "$200,000", "$300,000", "+$100,000"]
    assert cells[1][-1] == "-$10,000"
    assert diff.rest_sentence() == (
        "2 more groups changed verdict: 1 cloud -> edge, 1 edge -> absent"
    )


def test_plans_before_and_after(diff):
    cells = {c[0]: c for c in diff.plan_cells("->")}
    assert cells["mixed"] == ["mixed", "$1,500,000", "$1,600,000", "+$100,000", "yes -> yes"]
    assert cells["all hub"] == ["all hub", "—", "$1,700,000", "—", "NO -> yes"]
    assert cells["all edge"][3] == "$0"


def test_an_unchanged_portfolio_is_not_a_change():
    same = diff_portfolios(hand_built_portfolio(), hand_built_portfolio())
    assert not same.changed and len(same.groups) == 0
    assert same.rest_sentence() == ""


def test_diff_results_carries_it_into_markdown_text_and_json():
    single = evaluate(FACTORY, flips=False)
    base = replace(single, portfolio=hand_built_portfolio())
    head = replace(single, portfolio=_head())
    d = diff_results(base, head)
    assert d.changed  # no input and no option moved: the per-site verdicts did
    md = d.to_markdown()
    assert "#### Per-site verdicts: 22 of 24 site groups changed verdict" in md
    assert "| Paris | 30 | edge → cloud | $200,000 | $300,000 | +$100,000 |" in md
    assert "…and 2 more groups changed verdict: 1 cloud → edge, 1 edge → absent." in md
    assert md.index("Per-site verdicts") < md.index("#### Inputs changed")
    text = d.to_text()
    assert "Per-site verdicts: 22 of 24 site groups changed verdict" in text
    data = d.to_dict()["portfolio"]
    assert data["groups_changed"] == 22 and len(data["groups"]) == 22
    assert data["groups"][0]["group"] == "Paris"
    island = next(g for g in data["groups"] if g["group"] == "Island")
    assert island["head_usd"] is None


def test_a_diff_without_site_groups_has_no_section():
    single = evaluate(FACTORY, flips=False)
    d = diff_results(single, single)
    assert d.portfolio is None and d.to_dict()["portfolio"] is None
    assert "Per-site" not in d.to_markdown()


def test_the_roll_up_counts_site_groups_that_changed_verdict():
    from edgecalc.results.rollup import DiffRollup, Entry

    single = evaluate(FACTORY, flips=False)
    d = diff_results(
        replace(single, portfolio=hand_built_portfolio()), replace(single, portfolio=_head())
    )
    plain = diff_results(single, single)
    rollup = DiffRollup((Entry("stores.yaml", diff=d), Entry("plant.yaml", diff=plain)), "main")
    assert rollup.site_groups_changed == 22
    assert "22 site groups changed verdict" in rollup.headline()
    assert rollup.to_dict()["total"]["site_groups_changed"] == 22
    # each scenario's folded diff holds its per-group table
    assert "| Paris | 30 | edge → cloud |" in rollup.to_markdown()

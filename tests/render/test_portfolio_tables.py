"""The per-site verdict tables on the hand-built portfolio (tests/portfolio_fixture.py)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from portfolio_fixture import hand_built_portfolio

from edgecalc.render.portfolio_tables import (
    GROUP_HEADER,
    MAX_GROUPS_SHOWN,
    cost_column,
    group_cells,
    group_verdicts,
    plan_cells,
    rest_rows,
    rest_sentence,
)


@pytest.fixture(scope="module")
def verdicts():
    return group_verdicts(hand_built_portfolio())


def test_largest_groups_first_by_sites_then_by_cost(verdicts):
    # 40 sites: Berlin (cloud $400,000) before Bavaria (edge $300,000); 30 sites: Paris (edge
    # $200,000) before Lyon (cloud $100,000); then g06 .. g19 (19 .. 6 sites); at 5 sites the
    # Island (hub $60,000) before g20 (cloud 5 x $10,000 = $50,000); g21 .. g23 last.
    expected = ["Berlin Mitte", "Bavaria rural", "Paris", "Lyon"]
    expected += [f"g{i:02d}" for i in range(6, 20)] + ["Island", "g20", "g21", "g22", "g23"]
    assert list(verdicts["group"]) == expected
    assert verdicts["best_usd"].iloc[:4].tolist() == [400_000, 300_000, 200_000, 100_000]


def test_runner_up_is_the_cheapest_other_feasible_option(verdicts):
    by = verdicts.set_index("group")
    # Berlin: hub $450,000 < edge $520,000; Paris: the hub is ruled out, so cloud $300,000
    assert (by.loc["Berlin Mitte", "runner_up"], by.loc["Berlin Mitte", "runner_up_usd"]) == (
        "hub",
        450_000,
    )
    assert (by.loc["Paris", "runner_up"], by.loc["Paris", "runner_up_usd"]) == ("cloud", 300_000)
    # Bavaria: the cloud is ruled out and edge is the verdict: the hub is the only other one
    assert by.loc["Bavaria rural", "runner_up"] == "hub"


def test_why_in_words_with_the_figures(verdicts):
    why = verdicts.set_index("group")["why"]
    assert why["Berlin Mitte"] == "default: the cloud is also the cheapest"
    assert why["Bavaria rural"] == "latency rules out cloud (latency: 180 ms over the 50 ms budget)"
    # Paris: cloud $300,000 - edge $200,000 = $100,000, 100,000 / 300,000 = 33%
    assert why["Paris"] == "cost: $100,000 (33%) less than cloud"
    # Lyon: cloud $100,000 - edge $90,000 = $10,000, 10% of the cloud's $100,000
    assert why["Lyon"] == "default: edge would save $10,000 (10%), too little to leave the cloud"
    assert why["Island"] == "residency rules out cloud (residency: raw data must stay in IS)"
    # only the first 20 rows are explained by default
    assert (verdicts["why"].iloc[MAX_GROUPS_SHOWN:] == "").all()
    assert (verdicts["why"].iloc[:MAX_GROUPS_SHOWN] != "").all()


def test_a_group_nothing_serves_says_why_for_each_option():
    v = group_verdicts(hand_built_portfolio(none_group=True), explain=None)
    island = v.set_index("group").loc["Island"]
    assert island["best"] == "none"
    assert island["runner_up"] == ""
    assert island["why"] == (
        "no option can serve it: cloud (residency: raw data must stay in IS); "
        "edge (fit: the model needs 16 GB, the device has 8 GB); "
        "hub (residency: the hub is outside IS)"
    )
    # a group with no cost sorts after the others of its size (5 sites: g20 first)
    groups = list(v["group"])
    assert groups.index("g20") < groups.index("Island")


def test_the_rest_is_one_row_per_verdict(verdicts):
    # g21 (4 sites, edge), g22 (3, cloud), g23 (2, edge): 3 groups, 9 sites
    assert rest_sentence(verdicts) == "3 more groups (9 sites): 2 edge, 1 cloud"
    rows = rest_rows(verdicts)
    assert [(r.best, r.groups, r.sites) for r in rows] == [("edge", 2, 6.0), ("cloud", 1, 3.0)]
    # edge: 7,000 x (4 + 2) = $42,000; cloud: 10,000 x 3 = $30,000
    assert [r.cost_usd for r in rows] == [42_000, 30_000]
    cells = group_cells(verdicts)
    assert len(cells) == MAX_GROUPS_SHOWN + 2
    assert all(len(c) == len(GROUP_HEADER) for c in cells)
    assert cells[-2] == [
        "2 more groups", "6", "-", "-", "edge", "$42,000", "-", "decided by: cost (2)",
    ]  # fmt: skip
    assert rest_sentence(verdicts, shown=len(verdicts)) == ""


def test_group_cells_speak_to_users(verdicts):
    first = group_cells(verdicts)[0]
    assert first == [
        "Berlin Mitte", "40", "DE", "fibre", "cloud", "$400,000", "hub $450,000",
        "default: the cloud is also the cheapest",
    ]  # fmt: skip


def test_plan_cells_mark_infeasible_plans_and_compare_with_the_mixed_plan():
    cells = plan_cells(hand_built_portfolio())
    assert cells[0] == ["mixed", "yes", "$1,500,000", "-", "334", "cloud, edge, hub"]
    assert cells[1] == ["all cloud", "no: 2 groups unserved", "-", "-", "289", "cloud"]
    # all edge: $1,800,000 - $1,500,000 = +$300,000 over the mixed plan
    assert cells[2] == ["all edge", "yes", "$1,800,000", "+$300,000", "334", "edge"]
    assert cells[3][1] == "no: 1 group unserved"


def test_the_total_basis_reads_the_total_columns():
    p = hand_built_portfolio(basis="total")
    v = group_verdicts(p)
    assert cost_column("edge", "total") == "edge_total_usd"
    assert v["best_usd"].iloc[0] == 1.25 * 400_000
    assert plan_cells(p)[0][2] == "$1,875,000"
    with pytest.raises(ValueError, match="allowed are npv, total"):
        cost_column("edge", "irr")


def test_ten_thousand_groups_are_ordered_without_a_sentence_each():
    p = hand_built_portfolio()
    big = pd.concat([p.groups] * 435, ignore_index=True)  # 23 x 435 = 10,005 groups
    big["group"] = [f"site {i}" for i in range(len(big))]
    v = group_verdicts(replace(p, groups=big))
    assert len(v) == 10_005
    assert (v["sites"].diff().dropna() <= 0).all()
    assert rest_sentence(v).startswith("9,985 more groups")


def test_an_infeasible_plan_with_a_cost_is_not_compared_with_the_mixed_plan():
    # a plan that leaves groups unserved may carry the cost of the sites it serves; it is
    # shown, but "against the mixed plan" would compare plans that serve different sites
    p = hand_built_portfolio()
    plans = p.plans.copy()
    plans.loc[plans["plan"] == "all cloud", "npv_usd"] = 900_000
    cells = plan_cells(replace(p, plans=plans))
    assert cells[1] == ["all cloud", "no: 2 groups unserved", "$900,000", "-", "289", "cloud"]

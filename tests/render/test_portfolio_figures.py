"""The portfolio map and the plan comparison, as figure objects (tests/portfolio_fixture.py)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from portfolio_fixture import hand_built_portfolio

from edgecalc.render import figures as plots
from edgecalc.render.figures.portfolio import (
    BASE_MAP,
    base_map_json,
    geo_assets_script,
    plan_comparison,
    portfolio_map,
    verdict_colors,
)


@pytest.fixture(scope="module")
def fig():
    return portfolio_map(hand_built_portfolio(none_group=True))


def test_one_trace_per_verdict_with_its_count(fig):
    names = [t.name for t in fig.data]
    # verdicts: cloud (Berlin, Lyon + even g06..g22: 9) = 11; edge (Bavaria, Paris + odd g07..g23:
    # 9) = 11; the Island is "none" and the hub has no group left.
    # sites: cloud 40 + 30 + (19 + 17 + ... + 3 = 99) = 169;
    # edge 40 + 30 + (18 + 16 + ... + 2 = 90) = 160
    assert names == ["cloud: 11 groups, 169 sites", "edge: 11 groups, 160 sites",
                     "none: 1 group, 5 sites"]  # fmt: skip
    assert all(t.type == "scattergeo" for t in fig.data)
    assert sum(len(t.lat) for t in fig.data) == 23


def test_colours_follow_the_shared_palette_and_none_is_a_grey_cross(fig):
    by = {t.legendgroup: t for t in fig.data}
    assert by["cloud"].marker.color == plots.OPTION_COLORS["cloud"]
    assert by["edge"].marker.color == plots.OPTION_COLORS["edge"]
    assert by["none"].marker.symbol == "x"
    assert by["none"].marker.color == plots.OPTION_COLORS["none"]
    # a hub is not grey like "none": it takes a colour of its own
    colors = verdict_colors(("cloud", "edge", "hub", "edge_b"))
    assert len(set(colors.values())) == 5


def test_marker_area_is_proportional_to_sites(fig):
    t = next(t for t in fig.data if t.legendgroup == "cloud")
    assert t.marker.sizemode == "area"
    # the largest group has 40 sites and a 36 px marker: sizeref = 2 x 40 / 36^2
    assert t.marker.sizeref == pytest.approx(2 * 40 / 36**2)
    assert list(t.marker.size[:2]) == [40, 30]  # Berlin Mitte, Lyon


def test_hover_names_the_group_its_cost_runner_up_and_why(fig):
    t = next(t for t in fig.data if t.legendgroup == "edge")
    row = next(list(c) for c in t.customdata if c[0] == "Paris")
    assert row == ["Paris", "30", "$200,000", "cloud $300,000",
                   "cost: $100,000 (33%) less than cloud"]  # fmt: skip
    assert "cost (NPV) %{customdata[2]}" in t.hovertemplate
    none = next(t for t in fig.data if t.legendgroup == "none")
    assert none.customdata[0][3] == "no other option"
    assert none.customdata[0][4].startswith("no option can serve it: cloud (residency")


def test_groups_without_coordinates_are_counted_not_drawn():
    p = hand_built_portfolio()
    groups = p.groups.copy()
    groups.loc[groups["group"].isin(["Paris", "Lyon"]), "lat"] = np.nan
    fig = portfolio_map(replace(p, groups=groups))
    assert sum(len(t.lat) for t in fig.data) == 21
    assert "2 groups without coordinates not shown" in fig.layout.title.text


def test_the_map_needs_no_tiles_and_ships_its_base_map():
    fig = portfolio_map(hand_built_portfolio())
    assert fig.layout.geo.scope == "world" and fig.layout.geo.resolution == 110
    assert "mapbox" not in fig.to_json() and "map.layers" not in fig.to_json()
    topo = json.loads(base_map_json())
    assert topo["type"] == "Topology"
    assert {"land", "countries", "coastlines"} <= set(topo["objects"])
    script = geo_assets_script()
    assert script.startswith("<script>") and f"topojson['{BASE_MAP}']" in script


def test_plan_comparison_bars_and_infeasible_plans():
    fig = plan_comparison(hand_built_portfolio())
    bars, marks = fig.data
    assert list(bars.x) == ["mixed", "all edge"]
    assert list(bars.y) == [1_500_000, 1_800_000]
    assert list(bars.text) == ["$1,500,000", "$1,800,000"]
    assert list(bars.customdata) == ["-", "+$300,000"]
    assert bars.marker.color[1] == plots.OPTION_COLORS["edge"]
    assert list(marks.x) == ["all cloud", "all hub"]
    assert list(marks.text) == [
        "infeasible<br>(2 groups)",
        "infeasible<br>(1 group)",
    ]
    assert marks.hovertext[0] == "all cloud: 2 groups it cannot serve"
    assert list(fig.layout.xaxis.categoryarray) == ["mixed", "all cloud", "all edge", "all hub"]
    assert fig.layout.yaxis.title.text == "cost (NPV) [USD]"


def test_the_figures_are_reachable_from_the_figures_module():
    assert plots.portfolio_map is portfolio_map
    assert plots.plan_comparison is plan_comparison

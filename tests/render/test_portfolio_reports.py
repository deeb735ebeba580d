"""The per-site verdicts in the reports: Markdown, HTML (with the map, offline) and text.

The portfolio is the hand-built one of tests/portfolio_fixture.py, set on a real evaluation."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from portfolio_fixture import hand_built_portfolio

from edgecalc.pipeline.evaluate import evaluate
from edgecalc.render import render
from edgecalc.render.figures.portfolio import BASE_MAP

FACTORY = Path(__file__).resolve().parents[1] / "fixtures" / "golden-factory.yaml"


@pytest.fixture(scope="module")
def single():
    return evaluate(FACTORY, flips=False)


@pytest.fixture(scope="module")
def result(single):
    return replace(single, portfolio=hand_built_portfolio())


def _table_after(md: str, heading: str, first_header: str) -> list[list[str]]:
    lines = md.splitlines()
    start = lines.index(heading) if heading in lines else 0
    top = next(i for i in range(start, len(lines)) if lines[i].startswith(f"| {first_header} |"))
    rows = []
    for ln in lines[top + 2 :]:
        if not ln.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]])
    return rows


def test_markdown_has_the_plans_the_20_largest_groups_and_the_rest(result):
    md = render(result, "markdown")
    assert "**Per-site verdicts** (23 site groups, 334 sites: 11 cloud, 11 edge, 1 hub)" in md
    plans = _table_after(md, "", "plan")
    assert [r[0] for r in plans] == ["mixed", "all cloud", "all edge", "all hub"]
    assert plans[2][2:4] == ["$1,800,000", "+$300,000"]
    groups = _table_after(md, "The 20 largest site groups (by sites, then by cost):", "site group")
    assert len(groups) == 20 + 2  # 20 groups, then one row for edge and one for cloud
    assert groups[0][:6] == ["Berlin Mitte", "40", "DE", "fibre", "cloud", "$400,000"]
    assert groups[-2][0] == "2 more groups" and groups[-1][0] == "1 more group"
    assert "3 more groups (9 sites): 2 edge, 1 cloud." in md
    assert "- Bavaria rural and Island leave the cloud because a constraint forces it." in md


def test_markdown_speaks_to_users(result):
    section = render(result, "markdown").split("**Per-site verdicts**")[1].split("<details>")[0]
    for internal in ("_usd", "_feasible", "why_not", "forced_off_cloud", "nan", "None"):
        assert internal not in section


def test_a_result_without_a_portfolio_has_no_section(single):
    assert "Per-site verdicts" not in render(single, "markdown")
    assert "Per-site verdicts" not in render(single, "text")
    assert "Per-site verdicts" not in render(single, "html")


def test_html_has_the_map_offline_and_the_table(result):
    html = render(result, "html")
    assert "<h2>Per-site verdicts</h2>" in html
    assert 'id="edgecalc-portfolio-map"' in html and 'id="edgecalc-portfolio-plans"' in html
    # plotly.js once, in the map (the first chart of the page), and the base map before it
    assert html.count("plotly.js v") == 1
    assert html.index(f"topojson['{BASE_MAP}']") < html.index('id="edgecalc-portfolio-map"')
    assert html.index("plotly.js v") < html.index('id="edgecalc-cumulative"')
    assert "mapbox" not in html.split("plotly.js v")[0]
    assert "<td>Berlin Mitte</td>" in html
    assert "3 more groups (9 sites): 2 edge, 1 cloud." in html


def test_html_escapes_group_names(single):
    p = hand_built_portfolio()
    groups = p.groups.copy()
    groups.loc[0, "group"] = "<script>alert(1)</script>"
    html = render(replace(single, portfolio=replace(p, groups=groups)), "html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_text_lists_the_plans_and_groups(result):
    text = render(result, "text")
    assert "Per-site verdicts: 23 site groups, 334 sites: 11 cloud, 11 edge, 1 hub" in text
    lines = text.splitlines()
    mixed = next(ln for ln in lines if ln.startswith("  mixed "))
    assert mixed.split()[:3] == ["mixed", "yes", "$1,500,000"]
    berlin = next(ln for ln in lines if ln.startswith("  Berlin Mitte"))
    assert "hub $450,000" in berlin and berlin.endswith("default: the cloud is also the cheapest")
    assert "  3 more groups (9 sites): 2 edge, 1 cloud" in lines

"""The mixed plan's sentence sits under the recommendation when the plan mixes options."""

import dataclasses
from pathlib import Path

import edgecalc
from edgecalc.render.html import render_html
from edgecalc.render.markdown import render_markdown
from edgecalc.render.text import render_text
from tests.portfolio_fixture import CITY_AND_FARM, hand_built_portfolio

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def test_a_mixed_plan_has_a_headline_from_its_first_reason():
    p = hand_built_portfolio()  # the mixed plan runs cloud, edge and hub
    assert p.headline == "Per site group: " + p.reasons[0]


def test_a_plan_with_one_option_has_no_headline():
    p = hand_built_portfolio()
    plans = p.plans.copy()
    plans.loc[plans["plan"] == "mixed", "options_used"] = "cloud"
    assert dataclasses.replace(p, plans=plans).headline is None


def test_every_report_puts_it_under_the_recommendation():
    # two groups: the far one is ruled off the cloud by its 4 Mbit/s uplink (0.8 Mbit in
    # 200 ms against a 50 ms budget), the near one stays: the mixed plan runs cloud and edge
    r = edgecalc.evaluate(FIXTURE, {"sites": CITY_AND_FARM})
    line = r.portfolio.headline
    assert line is not None and line.startswith("Per site group: the mixed plan puts ")
    text = render_text(r).splitlines()
    assert text[1].startswith("Recommendation: ") and text[2] == line
    md = render_markdown(r)
    assert md.index(line[:40]) < md.index("| option")
    assert 'class="edgecalc-portfolio-headline"' in render_html(r)

"""The portfolio map in a real browser with no network: the HTML report draws the base map and
every site group from what it embeds; the app serves the base map itself."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from portfolio_fixture import hand_built_portfolio

from edgecalc.pipeline.evaluate import evaluate
from edgecalc.render.html import render_html

pytestmark = pytest.mark.browser

FACTORY = Path(__file__).resolve().parents[1] / "fixtures" / "golden-factory.yaml"


def test_the_html_report_draws_the_map_offline(page, artifacts, tmp_path):
    result = replace(evaluate(FACTORY, flips=False), portfolio=hand_built_portfolio(True))
    report = tmp_path / "portfolio.html"
    report.write_text(render_html(result), encoding="utf-8")
    asked: list[str] = []

    def offline(route):
        asked.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", offline)
    page.goto(report.as_uri())
    geo = page.locator("#edgecalc-portfolio-map .geo")
    geo.wait_for()
    page.wait_for_timeout(1000)
    # the base map's countries and land come from the embedded topojson
    assert page.locator("#edgecalc-portfolio-map .geo .countries path").count() >= 1
    assert page.locator("#edgecalc-portfolio-map .geo .land path").count() >= 1
    # 23 groups, one marker each, in three verdict layers (cloud, edge, none)
    assert page.locator("#edgecalc-portfolio-map .scattergeo path.point").count() == 23
    assert [u for u in asked if not u.startswith("file:")] == []
    page.locator("#edgecalc-portfolio-map").screenshot(path=str(artifacts / "portfolio-map.png"))


def test_the_app_serves_the_base_map(app_url):
    response = httpx.get(f"{app_url}/app/static/world_110m.json", timeout=30)
    assert response.status_code == 200
    assert json.loads(response.text)["type"] == "Topology"

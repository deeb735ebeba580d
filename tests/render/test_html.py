"""The HTML report (one self-contained, offline file) and the Jupyter table."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from edgecalc.pipeline.evaluate import evaluate
from edgecalc.render import render
from edgecalc.render.html import render_html, result_table_html
from edgecalc.render.markdown import verdict

FACTORY = Path(__file__).resolve().parents[1] / "fixtures" / "golden-factory.yaml"

PLOTLY_BANNER = "* plotly.js v"
"""The licence header at the top of the plotly.js bundle: once per embedded copy."""


@pytest.fixture(scope="module")
def factory():
    return evaluate(FACTORY)


@pytest.fixture(scope="module")
def page(factory):
    return render_html(factory)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.links: list[dict] = []
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag == "link":
            self.links.append(dict(attrs))
        if tag in ("table", "div", "ol", "ul", "details", "h1", "h2"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in ("table", "div", "ol", "ul", "details", "h1", "h2"):
            if not self.open or self.open[-1] != tag:
                self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
            else:
                self.open.pop()


def _parse(text: str) -> _Tags:
    t = _Tags()
    t.feed(text)
    t.close()
    return t


def test_self_contained_no_cdn(page):
    tags = _parse(page)
    assert "<script src=" not in page
    assert all("src" not in s for s in tags.scripts)
    assert not tags.links  # no stylesheet fetched either
    outside_plotly = page[: page.index(PLOTLY_BANNER)] + page[page.index("Plotly.newPlot(") :]
    assert "https://cdn" not in outside_plotly


def test_plotly_embedded_exactly_once(page):
    assert page.count(PLOTLY_BANNER) == 1
    assert page.count("window.PlotlyConfig") == 1
    # ... while every chart is drawn: cumulative, breakdown, latency (all), cloud waterfall,
    # monthly
    assert page.count("Plotly.newPlot(") == 5
    assert page.index(PLOTLY_BANNER) < page.index("Plotly.newPlot(")


def test_page_is_a_whole_well_nested_document(page):
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    tags = _parse(page)
    assert not tags.errors
    assert not tags.open


def test_contains_the_verdict_reasons_and_tables(factory, page):
    assert escape(verdict(factory)) in page
    assert "EDGE for Golden factory line visual QC" in page
    for reason in factory.decision.reasons:
        assert f"<li>{escape(reason)}</li>" in page
    for fact in factory.facts["key"]:
        assert f"<td>{fact}</td>" in page
    for path in factory.assumptions["path"]:
        assert f"<td>{path}</td>" in page
    assert "Cost lines, summed over 60 months" in page
    assert factory.provenance["catalog_as_of"] in page


def test_the_dispatcher_renders_html(factory):
    assert render(factory, "html").startswith("<!DOCTYPE html>")


def test_fact_sources_are_links(page):
    assert (
        '<a href="https://github.com/mlcommons/inference_results_v3.1/blob/'
        "eaf622a25c00f2b4b1d2c4f5b4f430570429d24a/closed/NVIDIA/results/L4x1_TRT/retinanet/"
        'Offline/performance/run_1/mlperf_log_summary.txt">'
    ) in page


def test_scenario_text_is_escaped():
    result = evaluate(FACTORY, overrides={"name": "<script>alert(1)</script>"})
    page = render_html(result)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in result_table_html(result)


def test_jupyter_table_has_the_verdict_on_top(factory):
    table = result_table_html(factory)
    assert factory._repr_html_() == table
    verdict_at = table.index(escape(verdict(factory)))
    assert verdict_at < table.index("<table")
    assert "<script" not in table  # a notebook cell: no plotly, no scripts
    assert table.count("<tr") == 1 + len(factory.summary)  # header + one row per option
    assert 'class="recommended"' in table
    tags = _parse(table)
    assert not tags.errors and not tags.open


@pytest.mark.browser
def test_page_draws_every_chart_offline_in_a_browser(page, tmp_path, browser):
    """Open the file in headless Chromium with every network request refused."""
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    requested, errors = [], []
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file:")
                else (requested.append(route.request.url), route.abort())
            ),
        )
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.goto(path.as_uri())
        tab.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length")
        drawn = tab.locator(".js-plotly-plot").count()
        verdict_text = tab.locator(".edgecalc-verdict").inner_text()
    finally:
        context.close()
    assert requested == []
    assert errors == []
    assert drawn == 5
    assert verdict_text.startswith("Recommendation: EDGE")


def test_a_simulation_adds_the_monte_carlo_table_and_bands():
    result = evaluate(FACTORY, samples=300)
    text = render_html(result)
    assert "<h2>Monte Carlo</h2>" in text and "300 samples, seed 0" in text
    assert "P10-P90" in text  # the band traces of the cumulative cost chart

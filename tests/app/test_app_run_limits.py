"""The app bounds the work of its Monte Carlo runs (``limits.check_monte_carlo``): the samples
offered fit the scenario, a portfolio too large is refused before anything is sampled, with
what is allowed and why, and a server busy with others' runs says so.

The numbers are worked out by hand from ``APP_MONTE_CARLO_CELLS`` = 40,000,000 cells, a cell
being one sample of one site group (plus two per month) in one month, or one ranged input.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import edgecalc
import edgecalc.uncertainty.simulate as simulate_module
from app_pages import state
from edgecalc import limits

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
UNCERTAINTY = str(ROOT / "app_pages" / "uncertainty.py")
TIMEOUT_S = 120


def portfolio(groups: int, name: str) -> bytes:
    """The template with ``groups`` site groups, each at a location of its own (so that each
    has an RTT estimated from distance: a ranged input of its own), 60 months."""
    text = (ROOT / "app_pages" / "template.yaml").read_text()
    rnd = random.Random(groups)
    rows = "".join(
        f"  - {{name: s{i}, location: {{lat: {47.5 + 7 * rnd.random():.4f}, "
        f"lon: {6 + 8 * rnd.random():.4f}, country: DE}}}}\n"
        for i in range(groups)
    )
    old = "  count: 1\n  uplink_mbps: 100\n  location: {lat: 52.52, lon: 13.40, country: DE}\n"
    assert old in text and "horizon_months: 60\n" in text
    text = text.replace(old, "  uplink_mbps: 100\n  list:\n" + rows)
    return text.replace("name: New scenario", f"name: {name}").encode()


def uncertainty_on(source: dict, samples: int | None = None) -> AppTest:
    """The Uncertainty page alone, on ``source``, after its first run."""
    at = AppTest.from_file(UNCERTAINTY, default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = source
    if samples is not None:
        at.session_state["ec.mc.samples"] = samples
    return at.run()


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


@pytest.fixture
def no_run(monkeypatch):
    """Any Monte Carlo run fails the test: what is refused must be refused before it."""

    def refuse(*args, **kwargs):
        raise AssertionError("a Monte Carlo run was started")

    monkeypatch.setattr(simulate_module, "simulate", refuse)
    monkeypatch.setattr(edgecalc, "simulate", refuse)


def test_the_store_portfolio_is_offered_the_samples_that_fit_and_told_why():
    # 40 site groups over 60 months: 60 x (40 + 2) = 2,520 cells a sample before its ranged
    # inputs, so 40,000,000 // 2,520 = 15,873 samples at most: 10,000 is offered, 50,000 not.
    # A visitor who had chosen 50,000 on another scenario gets the page's 10,000, and is told.
    at = uncertainty_on(state.shipped_source("store-portfolio.yaml"), samples=50_000)
    assert not at.exception, at.exception
    slider = at.select_slider(key="ec.mc.samples")
    assert list(slider.options) == ["1000", "5000", "10000"]
    assert slider.value == 10_000
    (caption,) = [c.value for c in at.caption if "At most" in c.value]
    assert "At most 15,873 samples for this scenario" in caption
    assert "40 site group(s) over 60 months" in caption
    assert "40,000,000 cells" in caption
    assert len(at.metric) == 3  # the run itself went ahead: one metric per option


def test_a_one_site_scenario_keeps_every_choice():
    # 60 x (1 + 2) = 180 cells a sample: 222,222 samples fit, all four choices are offered
    at = uncertainty_on(state.shipped_source("retail-footfall.yaml"), samples=1_000)
    assert not at.exception, at.exception
    assert len(at.select_slider(key="ec.mc.samples").options) == 4
    assert not [c.value for c in at.caption if "At most" in c.value]


def test_a_portfolio_too_large_for_any_choice_is_refused_at_once(no_run):
    # 700 site groups over 60 months: 60 x 702 = 42,120 cells a sample, so at most
    # 40,000,000 // 42,120 = 949 samples: fewer than the page's smallest choice (1,000)
    source = state.upload_source(portfolio(700, "Seven hundred"), "seven-hundred.yaml")
    at = uncertainty_on(source)
    assert not at.exception, at.exception
    (warning,) = warnings(at)
    assert warning.startswith("Monte Carlo is not run in the app for this scenario")
    assert "700 site group(s) over 60 months allow at most 949 samples" in warning
    assert "edgecalc simulate FILE" in warning
    assert not at.metric and not at.error


def test_decide_refuses_the_bands_of_a_portfolio_too_large_and_still_draws_the_chart(no_run):
    source = state.upload_source(portfolio(700, "Seven hundred"), "seven-hundred.yaml")
    at = AppTest.from_file(str(ROOT / "app_pages" / "decide.py"), default_timeout=TIMEOUT_S)
    at.session_state[state.SOURCE] = source
    at.run()
    at.checkbox(key="ec.decide.bands").check().run()
    assert not at.exception, at.exception
    (warning,) = [w for w in warnings(at) if "uncertainty bands" in w]
    assert warning.startswith("No uncertainty bands in the app: samples: 1,000 asked for;")
    assert "at most 949 samples here" in warning
    assert not at.error
    assert at.get("plotly_chart")  # the cumulative cost, without bands


def test_too_many_ranged_inputs_times_site_groups_is_refused_before_sampling(monkeypatch):
    # 100 groups pass the cells check at 1,000 samples (60 x 102 = 6,120 cells a sample:
    # 6,535 samples at most), but each group's estimated RTT is a ranged input: at least
    # 100 x 100 = 10,000 probes plus the scenario's other ranges, over the 10,000 the app takes
    probed = []
    monkeypatch.setattr(
        simulate_module, "_unsampled_warnings", lambda *a, **k: probed.append(1) or []
    )
    source = state.upload_source(portfolio(100, "One hundred"), "one-hundred.yaml")
    at = uncertainty_on(source, samples=1_000)
    assert not at.exception, at.exception
    assert list(at.select_slider(key="ec.mc.samples").options) == ["1000", "5000"]
    (warning,) = warnings(at)
    assert warning.startswith("ranged inputs x site groups: ")
    assert " x 100 = " in warning
    assert "the app's Monte Carlo takes at most 10,000" in warning
    assert not at.metric and not probed


def test_a_visitor_beyond_the_runs_at_once_is_asked_to_try_again(monkeypatch):
    monkeypatch.setattr(state, "MONTE_CARLO_WAIT_S", 0.01)
    held = 0
    try:
        while state._MONTE_CARLO_RUNS.acquire(blocking=False):  # other visitors' runs
            held += 1
        assert held == limits.APP_MONTE_CARLO_RUNS
        at = AppTest.from_file(UNCERTAINTY, default_timeout=TIMEOUT_S)
        at.session_state[state.SOURCE] = state.shipped_source("retail-footfall.yaml")
        at.session_state["ec.mc.samples"] = 1_000
        at.session_state["ec.mc.seed"] = 987_654  # a run no other test has kept
        at.run()
    finally:
        for _ in range(held):
            state._MONTE_CARLO_RUNS.release()
    assert not at.exception, at.exception
    (warning,) = warnings(at)
    assert warning == (
        f"The server is running {limits.APP_MONTE_CARLO_RUNS} Monte Carlo runs for other "
        "visitors, the most it runs at once; try again in a minute."
    )
    assert not at.metric
    at.run()  # the slots are free again: the same visitor's next try runs
    assert not warnings(at) and len(at.metric) >= 2

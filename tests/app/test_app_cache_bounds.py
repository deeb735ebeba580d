"""What the app keeps across sessions is bounded by an estimate of its size, not only by a count
of entries: parsed trees by bytes of source, scenarios and results by site groups, figures by
points, Monte Carlo runs by bytes (``edgecalc.limits``, docs/security.md). Large uploads from
many visitors leave at most the budget kept; the least recently used go first.

Counts below are worked out by hand from the limits: 2 MiB of source, 24,000 site groups,
200,000 points.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from app_pages import state
from edgecalc import limits
from edgecalc.scenario import load_scenario_text
from edgecalc.uncertainty.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = (ROOT / "app_pages" / "template.yaml").read_text()
SITES = 5_000
"""Site entries of each large upload below."""


def sites_upload(i: int, entries: int = SITES) -> bytes:
    """A valid upload of ``entries`` site entries (its own name, so its own cache key)."""
    rows = "".join(f"  - {{name: s{k}}}\n" for k in range(entries))
    text = TEMPLATE.replace("  count: 1\n", "  list:\n" + rows)
    return text.replace("name: New scenario", f"name: Upload {i}").encode()


def padded_upload(i: int, size: int) -> bytes:
    """The template padded with comments to ``size`` bytes (a large source, a small scenario)."""
    head = TEMPLATE.replace("name: New scenario", f"name: Padded {i}").encode()
    line = b"# " + b"x" * 97 + b"\n"
    return head + line * ((size - len(head)) // len(line))


@pytest.fixture
def empty_caches():
    """Each cache starts empty (they are the process's, shared with every other test)."""
    for kept in (state._TREES, state._SCENARIOS, state._RESULTS, state._FIGURES):
        kept.clear()
    yield
    for kept in (state._TREES, state._SCENARIOS, state._RESULTS, state._FIGURES):
        kept.clear()


def test_the_largest_scenario_fits_every_budget_and_the_records_outlast_the_app():
    # so that the scenario a visitor works on is never dropped for its size alone
    assert limits.SCENARIO_FILE_BYTES < limits.APP_KEPT_SOURCE_BYTES
    assert limits.SITE_ENTRIES < limits.APP_KEPT_SITE_GROUPS
    assert limits.SITE_ENTRIES + state.FIGURE_OWN_POINTS < limits.APP_KEPT_FIGURE_POINTS
    assert limits.APP_KEPT_SITE_GROUPS < limits.SCENARIO_RECORDS_SITE_ENTRIES


def test_parsed_trees_are_bounded_by_the_bytes_of_their_sources(empty_caches):
    # uploads of 0.9 MiB: two fit in 2 MiB (1.8 MiB), a third drops the oldest
    size = 9 * 1024 * 1024 // 10
    sources = [state.upload_source(padded_upload(i, size), f"padded-{i}.yaml") for i in range(5)]
    trees = [state.tree(source) for source in sources]
    assert len(state._TREES) == 2
    assert state._TREES.weight == sum(len(s["text"]) for s in sources[-2:])
    assert state._TREES.weight <= limits.APP_KEPT_SOURCE_BYTES
    assert state.tree(sources[-1]) is trees[-1]  # kept
    assert state.tree(sources[-2]) is trees[-2]
    assert state.tree(sources[0]) is not trees[0]  # dropped, parsed again


def test_loaded_scenarios_are_bounded_by_their_site_groups(empty_caches):
    # 5,000 site entries each: four fit in 24,000 (20,000), a fifth would make 25,000
    sources = [state.upload_source(sites_upload(i), f"sites-{i}.yaml") for i in range(6)]
    loaded = [state.load(source) for source in sources]
    assert len(state._SCENARIOS) == 4
    assert state._SCENARIOS.weight == 4 * SITES <= limits.APP_KEPT_SITE_GROUPS
    for source, scenario in zip(sources[2:], loaded[2:], strict=True):
        assert state.load(source) is scenario  # the four newest are kept
    assert state.load(sources[0]) is not loaded[0]  # the oldest was dropped
    assert state._SCENARIOS.weight == 4 * SITES


def test_results_are_bounded_by_their_site_groups(empty_caches, monkeypatch):
    # the results of 5,000-group scenarios: four fit in 24,000 site groups
    scenarios = [load_scenario_text(sites_upload(10 + i), f"r-{i}.yaml") for i in range(6)]
    evaluated = []

    def evaluate(scenario, overrides=None):  # a stand-in: only the weights matter here
        evaluated.append(scenario)
        return object()

    monkeypatch.setattr(state.edgecalc, "evaluate", evaluate)
    results = [state.evaluate(s) for s in scenarios]
    assert len(state._RESULTS) == 4
    assert state._RESULTS.weight == 4 * SITES <= limits.APP_KEPT_SITE_GROUPS
    assert state.evaluate(scenarios[-1]) is results[-1]
    assert state.evaluate(scenarios[0]) is not results[0]
    assert len(evaluated) == 7


def test_figures_are_bounded_by_their_points(empty_caches):
    # a map of 50,000 points weighs 50,300: three fit in 200,000 (150,900), four do not
    built = []

    def build():
        built.append(1)
        x = np.arange(50_000, dtype=float)
        return go.Figure(go.Scattergeo(lat=x % 90, lon=x % 180))

    figures = [state.figure("map", f"result-{i}", build) for i in range(5)]
    assert state.figure_points(figures[0]) == 50_300
    assert len(state._FIGURES) == 3
    assert state._FIGURES.weight == 3 * 50_300 <= limits.APP_KEPT_FIGURE_POINTS
    assert state.figure("map", "result-4", build) is figures[4]
    assert state.figure("map", "result-0", build) is not figures[0]
    assert len(built) == 6


def test_a_monte_carlo_run_weighs_its_arrays():
    # volume.yaml with its defaults pinned: 3 options, 6 ordered pairs, 5 ranged inputs;
    # 1,000 samples of float64 totals, NPVs, break-even months and inputs, bool feasibility
    sim = simulate(
        ROOT / "tests" / "fixtures" / "uncertainty" / "volume.yaml",
        samples=1_000,
        pinned_defaults=True,
    )
    arrays = 8_000 * (3 + 3 + 6 + 5) + 1_000 * 3 + sim.recommendation_codes.nbytes
    fan = int(sim.fan.memory_usage(deep=True).sum())
    assert state.simulation_bytes(sim) == arrays + fan
    assert 136_000 < state.simulation_bytes(sim) < limits.APP_KEPT_SIMULATION_BYTES


def test_an_entry_heavier_than_the_budget_is_returned_and_not_kept():
    kept = state.Kept(max_entries=8, budget=100)
    assert kept.get("a", lambda: "small", lambda v: 60) == "small"
    assert kept.get("b", lambda: "huge", lambda v: 101) == "huge"
    assert len(kept) == 1 and kept.weight == 60  # "a" is still there, "b" was not kept
    assert kept.get("c", lambda: "medium", lambda v: 50) == "medium"
    assert len(kept) == 1 and kept.weight == 50  # 60 + 50 > 100: "a" made room


def test_the_count_bound_holds_too_and_a_failure_is_not_kept():
    kept = state.Kept(max_entries=2, budget=1_000)
    for key in "abc":
        kept.get(key, lambda key=key: key, lambda v: 1)
    assert len(kept) == 2 and kept.weight == 2

    def fail():
        raise ValueError("bad upload")

    with pytest.raises(ValueError, match="bad upload"):
        kept.get("d", fail, lambda v: 1)
    assert len(kept) == 2


def test_sessions_asking_at_once_compute_a_value_once():
    kept = state.Kept(max_entries=8, budget=100)
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return object()

    got = []
    threads = [
        threading.Thread(target=lambda: got.append(kept.get("k", compute, lambda v: 1)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len({id(v) for v in got}) == 1

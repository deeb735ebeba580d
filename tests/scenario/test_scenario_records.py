"""The loader remembers where each scenario came from (``scenario_source``) for the most
recently used scenarios only, bounded by a count and by their site entries
(``limits.SCENARIO_RECORDS``, ``limits.SCENARIO_RECORDS_SITE_ENTRIES``): each record holds its
scenario, so a count alone would let large scenarios fill the memory."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pytest

from edgecalc import limits
from edgecalc.scenario import loader, read_scenario_text_tree, scenario_source

TEMPLATE = (Path(__file__).resolve().parents[2] / "app_pages" / "template.yaml").read_text()


@pytest.fixture(autouse=True)
def records_restored():
    """The records other tests' scenarios had are back after each test."""
    with loader._SOURCES_LOCK:
        saved, entries = OrderedDict(loader._SOURCES), loader._sources_site_entries
    yield
    with loader._SOURCES_LOCK:
        loader._SOURCES.clear()
        loader._SOURCES.update(saved)
        loader._sources_site_entries = entries


def with_sites(entries: int) -> bytes:
    rows = "".join(f"  - {{name: s{k}}}\n" for k in range(entries))
    return TEMPLATE.replace("  count: 1\n", "  list:\n" + rows).encode()


def test_records_of_large_scenarios_stay_within_the_site_entries_budget():
    # 5,000 entries each: eight records fill 40,000; the ninth drops the oldest
    tree = read_scenario_text_tree(with_sites(5_000), "large.yaml")
    scenarios = [tree.with_overrides({"name": f"Large {i}"}) for i in range(9)]
    assert scenario_source(scenarios[0]) is None
    for scenario in scenarios[1:]:
        assert scenario_source(scenario).scenario is scenario
    assert loader._sources_site_entries <= limits.SCENARIO_RECORDS_SITE_ENTRIES
    assert sum(n for _, n in loader._SOURCES.values()) == loader._sources_site_entries


def test_records_are_dropped_least_recently_used_first(monkeypatch):
    monkeypatch.setattr(limits, "SCENARIO_RECORDS", 3)
    tree = read_scenario_text_tree(TEMPLATE.encode(), "small.yaml")
    a, b, c = (tree.with_overrides({"name": n}) for n in "abc")
    assert scenario_source(a) is not None  # looked up: now the most recent
    d = tree.with_overrides({"name": "d"})
    assert len(loader._SOURCES) == 3
    assert scenario_source(b) is None  # the least recently used went
    for kept in (a, c, d):
        assert scenario_source(kept).scenario is kept


def test_the_newest_record_is_kept_even_over_the_budget(monkeypatch):
    monkeypatch.setattr(limits, "SCENARIO_RECORDS_SITE_ENTRIES", 10)
    tree = read_scenario_text_tree(with_sites(20), "twenty.yaml")
    first, second = (tree.with_overrides({"name": n}) for n in ("one", "two"))
    assert scenario_source(second).scenario is second  # a library user's scenario has one
    assert scenario_source(first) is None
    assert len(loader._SOURCES) == 1 and loader._sources_site_entries == 20

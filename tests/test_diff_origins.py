"""Where each changed input of ``edgecalc diff`` came from: the origin ``Result.assumptions``
gives (a schema default reads ``default``, not ``scenario``), and a list that grows from empty
lists its items without also reading as removed."""

from __future__ import annotations

from pathlib import Path

import pytest

import edgecalc
from edgecalc.results.diff import diff_results

ROOT = Path(__file__).resolve().parents[1]
FACTORY = ROOT / "scenarios" / "factory-visual-qc.yaml"
PLANT_SERVER = ROOT / "scenarios" / "factory-plant-server.yaml"


@pytest.fixture(scope="module")
def results():
    return edgecalc.evaluate(FACTORY), edgecalc.evaluate(PLANT_SERVER)


@pytest.fixture(scope="module")
def rows(results):
    return diff_results(*results).inputs.set_index("path")


def test_hub_fields_the_file_leaves_out_read_as_defaults(rows):
    # factory-plant-server.yaml writes none of these under hubs: (its hubs entry has 12 keys)
    for path, value in [
        ("hubs.0.depot_lead_days", 3),
        ("hubs.0.refresh_months", 60),
        ("hubs.0.install_usd_per_hub", 2_000),
        ("hubs.0.target_utilization", 0.7),
    ]:
        assert rows.loc[path, ["base", "head", "origin"]].tolist() == [None, value, "default"]
    fte = rows.loc["hubs.0.platform_fte", "head"]
    assert (fte["low"], fte["high"]) == (0.1, 1.0)  # the default range
    assert rows.loc["hubs.0.platform_fte", "origin"] == "default"
    # not a number, so not in Result.assumptions: the schema's default all the same
    assert rows.loc["hubs.0.pricing", ["head", "origin"]].tolist() == ["owned", "default"]


def test_hub_fields_the_file_writes_read_as_scenario(rows):
    assert rows.loc["hubs.0.server_usd", ["head", "origin"]].tolist() == [12_000, "scenario"]
    assert rows.loc["hubs.0.sites_per_hub", ["head", "origin"]].tolist() == [8, "scenario"]
    assert rows.loc["hubs.0.name", ["head", "origin"]].tolist() == ["plant_server", "scenario"]
    assert rows.loc["sites.count", ["base", "head", "origin"]].tolist() == [6, 48, "scenario"]


def test_every_origin_is_the_one_result_assumptions_gives(rows, results):
    _, head = results
    given = head.assumptions.set_index("path")["origin"]
    listed = [p for p in rows.index if p in given.index]
    assert len(listed) >= 30
    for path in listed:
        expected = "scenario" if given[path] in ("scenario", "override") else given[path]
        assert rows.loc[path, "origin"] == expected, path


def test_a_list_that_grows_from_empty_is_not_also_shown_removed(rows, results):
    base, head = results
    assert len(base.scenario.hubs) == 0 and len(head.scenario.hubs) == 1
    assert "hubs" not in rows.index  # no "hubs: [] -> —"
    assert any(p.startswith("hubs.0.") for p in rows.index)
    # and the other way round: the items read as removed, the empty list not as added
    back = diff_results(head, base).inputs.set_index("path")
    assert "hubs" not in back.index
    assert back.loc["hubs.0.server_usd", ["base", "head", "origin"]].tolist() == [
        12_000,
        None,
        "scenario",
    ]


def test_text_says_default_for_a_default(results):
    text = diff_results(*results).to_text()
    assert "  hubs.0.depot_lead_days: — -> 3  (default)\n" in text
    assert "  hubs.0.server_usd: — -> 12,000  (scenario)\n" in text
    assert "  hubs: " not in text


def test_an_override_of_a_default_moves_its_origin():
    base = edgecalc.evaluate(FACTORY)
    head = edgecalc.evaluate(FACTORY, overrides={"edge.refresh_months": 36})
    row = diff_results(base, head).inputs.set_index("path").loc["edge.refresh_months"]
    assert row[["base", "head", "origin"]].tolist() == [48, 36, "default -> scenario"]

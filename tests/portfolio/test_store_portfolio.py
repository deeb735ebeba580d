"""The shipped 5,000-store portfolio: its CSV is what the script generates, and the mixed plan
beats every single-option plan by the margin its comments explain."""

import importlib.util
from pathlib import Path

import pytest

import edgecalc

ROOT = Path(__file__).parents[2]
SCENARIO = ROOT / "scenarios" / "store-portfolio.yaml"


def generator():
    spec = importlib.util.spec_from_file_location(
        "make_store_portfolio", ROOT / "scripts" / "make_store_portfolio.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_csv_is_what_the_script_generates():
    shipped = (ROOT / "scenarios" / "store-portfolio.csv").read_text(encoding="utf-8")
    assert generator().csv_text() == shipped


def test_the_script_writes_the_file(tmp_path):
    out = tmp_path / "stores.csv"
    assert generator().main([str(out), "--towns", "12", "--stores", "100"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 13 and sum(int(line.split(",")[1]) for line in lines[1:]) == 100


@pytest.fixture(scope="module")
def portfolio():
    return edgecalc.evaluate(SCENARIO).portfolio


def test_five_thousand_stores_in_their_groups(portfolio):
    g = portfolio.groups
    assert g["sites"].sum() == 5_000 and len(g) == 40
    assert set(g["access"]) == {"fibre", "lte"} and set(g["country"]) == {"US", "CA"}


def test_city_stores_stay_in_the_cloud_and_the_rest_are_forced_to_the_edge(portfolio):
    g = portfolio.groups
    city = g[(g["access"] == "fibre") & (g["country"] == "US")]
    rural = g[g["access"] == "lte"]
    canada = g[g["country"] == "CA"]
    assert (city["best"] == "cloud").all() and (city["deciding"] == "default").all()
    assert (rural["best"] == "edge").all() and rural["forced_off_cloud"].all()
    assert rural["deciding"].str.contains("latency").all()
    assert (canada["best"] == "edge").all()
    assert (canada["deciding"] == "constraint: residency").all()


def test_the_mixed_plan_beats_every_single_option_plan(portfolio):
    mixed = portfolio.mixed
    assert mixed["feasible"] and mixed["options_used"] == "cloud, edge"
    cloud = portfolio.plan("all cloud")
    # the cloud cannot serve the 13 LTE towns and the 4 Canadian ones
    assert not cloud["feasible"] and cloud["groups_infeasible"] == 13 + 4
    for name in ("all edge", "all hybrid"):
        single = portfolio.plan(name)
        assert single["feasible"]
        # the mixed plan costs about half: a device in each of 4,332 city stores costs more
        # than their share of the cloud, and the cloud's fixed costs are paid once
        assert mixed["npv_usd"] < 0.55 * single["npv_usd"], name
    assert "less than the cheapest single-option plan, all edge" in portfolio.reasons[0]

"""A cost line's quantity is counted in the unit it names, and quantity x unit price = USD on
every line of every shipped scenario: the report's rows read true (``edgecalc report``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.pipeline.compute import compute
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs
from edgecalc.render.markdown import render_markdown
from edgecalc.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_quantity_times_unit_price_is_the_lines_usd_month_by_month(path):
    resolved = prepare(load_scenario(path), base_dir=path.parent)
    out = compute(resolved, point_inputs(resolved))
    for option in out.options.values():
        for ln in option.lines:
            np.testing.assert_allclose(
                ln.quantity * ln.unit_usd, ln.usd, rtol=1e-9, atol=1e-9, err_msg=ln.item
            )


def _row(result, option: str, category: str):
    rows = result.costs[(result.costs.option == option) & (result.costs.category == category)]
    assert rows["item"].nunique() == 1
    return rows.iloc[0]["item"], rows.iloc[0]["unit"], rows["quantity"].sum(), rows["usd"].sum()


def _report_row(report: str, option: str, item: str) -> str:
    (row,) = [r for r in report.splitlines() if r.startswith(f"| {option} |") and item in r]
    return row


def test_installation_counts_site_installs_not_sites():
    # 6 plants, installed at month 0 and again at the 48-month refresh: 12 installs x $500
    path = ROOT / "scenarios" / "factory-visual-qc.yaml"
    result = edgecalc.evaluate(path)
    assert result.scenario.sites.count == 6
    item, unit, quantity, usd = _row(result, "edge", "installation")
    assert (unit, quantity, usd) == ("site installs", 6 * 2, 6 * 2 * 500)
    assert "again at each refresh" in item
    report = render_markdown(result)
    assert "| capex | 12 site installs | $500 | $6,000 |" in _report_row(report, "edge", item)


def test_support_is_device_months_at_a_monthly_share_of_the_device_price():
    # 10 devices at $18,000 owned all 60 months (refresh 60) = 600 device-months; 12% a year
    # of $18,000 / 12 = $180 a device-month; 600 x $180 = $108,000 (12% x 5 years of $180,000)
    path = ROOT / "scenarios" / "hospital-imaging.yaml"
    result = edgecalc.evaluate(path)
    item, unit, quantity, usd = _row(result, "edge", "support")
    assert (unit, quantity) == ("device-months", 10 * 60)
    assert usd == pytest.approx(10 * 60 * 18_000 * 0.12 / 12)
    assert usd == pytest.approx(0.12 * 5 * 180_000)
    report = render_markdown(result)
    row = _report_row(report, "edge", item)
    assert "| opex | 600 device-months | $180 | $108,000 |" in row


def test_tokens_are_counted_in_millions_and_say_so():
    # 50 branches x 0.01 requests/s, 9 h x 5 days a week: 9 x 5 / 7 x 730 / 24 = 195.5 h a
    # month; 0.5/s x 3,600 x 195.5 h x 60 months = 21.1M requests x 1,600 input tokens
    path = ROOT / "scenarios" / "llm-branch-assistant.yaml"
    result = edgecalc.evaluate(path)
    rows = result.costs[(result.costs.option == "cloud") & (result.costs.item == "input tokens")]
    requests = 50 * 0.01 * 3_600 * (9 * 5 / 7 * 730 / 24) * 60
    assert set(rows["unit"]) == {"million tokens"}
    assert rows["quantity"].sum() == pytest.approx(requests * 1_600 / 1e6)  # 33,789
    assert rows["usd"].sum() == pytest.approx(requests * 1_600 / 1e6 * 0.20)  # $0.20 a million
    report = render_markdown(result)
    row = _report_row(report, "cloud", "| input tokens |")
    assert "| 33,789 million tokens | $0.20 | $6,758 |" in row


def test_hub_installation_counts_hub_installs_over_the_horizon_not_hubs():
    # regression: the line read "6 hubs" for 3 hubs. campus: ceil(5 sites / 2 per hub) = 3
    # hubs, installed at month 0 and again at the 12-month refresh within the 24-month
    # horizon: 3 x 2 = 6 hub installs x $1,000 = $6,000
    result = edgecalc.evaluate(ROOT / "tests" / "fixtures" / "hub-hand-worked.yaml")
    item, unit, quantity, usd = _row(result, "campus", "installation")
    assert (item, unit) == ("installation at each hub (again at each refresh)", "hub installs")
    assert (quantity, usd) == (3 * 2, 3 * 2 * 1_000)
    report = render_markdown(result)
    assert "| capex | 6 hub installs | $1,000 | $6,000 |" in _report_row(report, "campus", item)


def test_a_hubs_failure_rate_and_visit_keep_the_edge_figures_origin():
    # regression: hubs.N.annual_failure_rate and hubs.N.truck_roll_usd, taken from the edge's
    # figures, read "default" whatever the edge's came from
    rows = edgecalc.evaluate(ROOT / "tests" / "fixtures" / "hub-hand-worked.yaml").assumptions
    origin = rows.set_index("path")["origin"]
    # the fixture writes edge.annual_failure_rate 0.12 and edge.truck_roll_usd 500
    for name in ("annual_failure_rate", "truck_roll_usd"):
        assert origin[f"edge.{name}"] == "scenario"
        assert origin[f"hubs.0.{name}"] == origin[f"hubs.1.{name}"] == "scenario"
    # factory-plant-server leaves the failure rate to the catalog: the hub's is the catalog
    # fact too, with its source and date, and the facts table says the hub uses it
    result = edgecalc.evaluate(ROOT / "scenarios" / "factory-plant-server.yaml")
    rows = result.assumptions.set_index("path")
    hub, edge = rows.loc["hubs.0.annual_failure_rate"], rows.loc["edge.annual_failure_rate"]
    assert hub["origin"] == edge["origin"] == "catalog"
    assert (hub["source"], hub["as_of"]) == (edge["source"], edge["as_of"]) != ("", "")
    assert hub["note"] == "edge.annual_failure_rate (the edge's figure)"
    facts = result.facts.set_index("key")
    assert "hubs.0.annual_failure_rate" in facts.loc["operations.annual_failure_rate", "used_for"]

"""A two-group portfolio worked by hand: each group alone, the fixed costs counted once, the
mixed plan and the single-option plans (tests/fixtures/hand-worked.yaml, with two site groups
from a CSV)."""

import re
from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs
from edgecalc.portfolio.groups import evaluate_groups

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"
ROWS = (
    "name,count,lat,lon,country,uplink_mbps,access,inferences_per_second\n"
    "munich,3,48.1,11.6,DE,50,fibre,10\n"
    "rural,2,48.5,12.0,DE,5,lte,4\n"
)


@pytest.fixture
def portfolio_file(tmp_path) -> Path:
    (tmp_path / "stores.csv").write_text(ROWS, encoding="utf-8")
    sites = "sites:\n  file: stores.csv\n  uplink_mbps: 100\n"
    text = re.sub(r"sites:\n(  .*\n)+", sites, FIXTURE.read_text(encoding="utf-8"))
    path = tmp_path / "portfolio.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_single_site_group_has_no_portfolio():
    assert edgecalc.evaluate(FIXTURE).portfolio is None


def test_the_cloud_fixed_cost_is_one_pooled_instance_and_one_operations_share(portfolio_file):
    p = edgecalc.evaluate(portfolio_file).portfolio
    # Alone, munich (3 sites x 10/s x peak 2 = 60/s) needs ceil(60 / (100 x 0.5)) = 2
    # instances and rural (2 x 4 x 2 = 16/s) 1; the fleet (76/s) needs 2. Each alone also pays
    # the 0.1 FTE operations share. Fixed = 1 instance x $1/h x 730 h x 24 months = $17,520
    # plus 0.1 x $120,000 / 12 x 24 = $24,000: $41,520 (discount rate 0: NPV = total).
    assert p.fixed_usd["cloud"] == pytest.approx(41_520, abs=0.01)
    # no platform floor and no integration on the edge in this fixture: nothing fixed
    assert p.fixed_usd["edge"] == pytest.approx(0, abs=0.01)


def test_a_platform_floor_is_the_edge_fixed_cost(portfolio_file):
    base = edgecalc.evaluate(portfolio_file).portfolio
    floor = edgecalc.evaluate(portfolio_file, overrides={"edge.platform_fte": 0.5}).portfolio
    # 0.5 FTE x $120,000 / 12 x 24 months = $120,000, once for the fleet
    assert floor.fixed_usd["edge"] - base.fixed_usd["edge"] == pytest.approx(120_000, abs=0.01)
    # the groups' own edge costs do not carry it
    assert floor.groups["edge_total_usd"].tolist() == pytest.approx(
        base.groups["edge_total_usd"].tolist()
    )


def test_mixed_plan_counts_each_fixed_cost_once(portfolio_file):
    result = edgecalc.evaluate(portfolio_file)
    p = result.portfolio
    g = p.groups.set_index("group")
    # rural on LTE cannot use the cloud (upload of 100 kB over 5 Mbit/s; peak uplink)
    assert not g.loc["rural", "cloud_feasible"] and g.loc["rural", "forced_off_cloud"]
    assert g.loc["rural", "deciding"] == "constraint: latency, uplink"
    assert g.loc["rural", "cloud_why_not"].startswith("latency 187 ms > 50 ms")
    # munich: edge's own cost is not 25 % under the cloud's own cost plus the cloud's fixed
    # (58,845 > 0.75 x (17,709 + 41,520)): it stays on the cloud, the default
    assert (g.loc["munich", "best"], g.loc["munich", "deciding"]) == ("cloud", "default")
    assert (g.loc["rural", "best"]) == "edge"
    mixed = p.mixed
    # cloud fixed + munich's own cloud cost + edge fixed (0) + rural's own edge cost
    expected = p.fixed_usd["cloud"] + g.loc["munich", "cloud_total_usd"]
    expected += g.loc["rural", "edge_total_usd"]
    assert mixed["total_usd"] == pytest.approx(expected)
    assert mixed["total_usd"] == pytest.approx(41_520 + 17_709.22 + 26_286.50, abs=0.05)
    assert (mixed["feasible"], mixed["sites"], mixed["options_used"]) == (True, 5, "cloud, edge")
    # each single-option plan is the engine's fleet figure; all cloud cannot serve rural
    for option in ("cloud", "edge", "hybrid"):
        row = p.plan(f"all {option}")
        assert row["total_usd"] == pytest.approx(result.option(option)["total_usd"])
    assert p.plan("all cloud")["groups_infeasible"] == 1
    # all edge is $385 cheaper in dollars; the reasons say the cloud stays the default
    assert p.plan("all edge")["total_usd"] == pytest.approx(mixed["total_usd"] - 384.6, abs=0.5)
    assert "$385 more than all edge" in p.reasons[0]


def test_groups_alone_sum_to_the_fleet_with_the_fixed_part_once(portfolio_file):
    p = edgecalc.evaluate(portfolio_file).portfolio
    for option in p.options:
        plan = p.plan(f"all {option}")
        own = p.groups[f"{option}_total_usd"].sum()
        assert plan["total_usd"] == pytest.approx(own + p.fixed_usd[option])


def test_a_slice_and_samples_give_the_same_figures_as_the_whole(portfolio_file):
    resolved = prepare(edgecalc.load_scenario(portfolio_file))
    x = point_inputs(resolved)
    whole = evaluate_groups(resolved, x)
    second = evaluate_groups(resolved, x, [1])
    assert second.total_usd["edge"][0, 0] == pytest.approx(whole.total_usd["edge"][0, 1])
    # three samples: the middle one doubles rural's rate; the others equal the point run
    samples = {k: np.repeat(v, 3) for k, v in x.items()}
    samples["sites.list.1.inferences_per_second"] = np.array([4.0, 8.0, 4.0])
    three = evaluate_groups(resolved, samples)
    assert three.total_usd["cloud"].shape == (3, 2)
    assert three.total_usd["edge"][[0, 2], 1] == pytest.approx([whole.total_usd["edge"][0, 1]] * 2)
    assert three.total_usd["edge"][1, 1] > whole.total_usd["edge"][0, 1]
    assert three.total_usd["edge"][:, 0] == pytest.approx([whole.total_usd["edge"][0, 0]] * 3)


def test_json_carries_the_portfolio(portfolio_file):
    data = edgecalc.evaluate(portfolio_file).to_dict()["portfolio"]
    assert [p["plan"] for p in data["plans"]] == ["mixed", "all cloud", "all edge", "all hybrid"]
    assert data["groups"][1]["best"] == "edge" and data["basis"] == "npv"


def test_a_hub_option_is_a_plan_of_its_own_with_its_floor_once(tmp_path):
    # the plant-server scenario's 48 sites as three plants from a CSV (40, 8 and 2 lines)
    root = Path(__file__).parents[2] / "scenarios"
    text = (root / "factory-plant-server.yaml").read_text(encoding="utf-8")
    text = text.replace("extends: base/", f"extends: {root}/base/")
    text = re.sub(r"sites:\n  count: 48\n", "sites:\n  file: lines.csv\n", text)
    (tmp_path / "lines.csv").write_text(
        "name,count,uplink_mbps,access\nplant-a,40,200,fibre\nplant-b,8,200,fibre\n"
        "plant-c,2,10,lte\n",
        encoding="utf-8",
    )
    (tmp_path / "plants.yaml").write_text(text, encoding="utf-8")
    p = edgecalc.evaluate(tmp_path / "plants.yaml").portfolio
    hub = p.plan("all plant_server")
    assert hub["feasible"] and p.mixed["options_used"] == "plant_server"
    # the hub's own costs per plant plus its fixed part once: the fleet's figure
    own = p.groups["plant_server_npv_usd"].sum()
    assert hub["npv_usd"] == pytest.approx(own + p.fixed_usd["plant_server"])
    assert p.fixed_usd["plant_server"] > 0  # its labour floor and one-time costs


def test_why_not_writes_a_slow_latency_with_a_thousands_separator():
    from edgecalc.portfolio.reasons import why_not

    text = why_not({"latency": np.array([True])}, np.array([4_524.2]), 1_500.0)
    assert text == ["latency 4,524 ms > 1,500 ms"]

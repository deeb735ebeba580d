"""Tornado, flips and sweeps (edgecalc.uncertainty.sensitivity)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.cli import main
from edgecalc.errors import EdgecalcError, ScenarioError
from edgecalc.uncertainty.sensitivity import flips, sweep, tornado

FIXTURES = Path(__file__).parent.parent / "fixtures" / "uncertainty"
VOLUME = FIXTURES / "volume.yaml"
VOLUME_PATH = "workload.inferences_per_second"
ROOT = Path(__file__).resolve().parents[2]


def _recommendation(**overrides) -> str:
    return edgecalc.evaluate(VOLUME, overrides=overrides).recommendation


def _recommendation_of(path: str, overrides: dict) -> str:
    return edgecalc.evaluate(ROOT / path, overrides=overrides).recommendation


@pytest.fixture(scope="module")
def volume_flips():
    return flips(VOLUME, paths=["sites.count"])


def test_flip_value_holds_just_below_and_above(volume_flips):
    row = volume_flips[volume_flips["path"] == VOLUME_PATH].iloc[0]
    flip = row["flip_value"]
    assert row["direction"] == "above"
    assert 20 < flip < 80  # the point value is 20 and the volume range's high (80) is edge
    below = _recommendation(**{VOLUME_PATH: flip * (1 - 1e-3)})
    above = _recommendation(**{VOLUME_PATH: flip * (1 + 1e-3)})
    assert (below, above) == (row["from_recommendation"], row["to_recommendation"])
    assert below != above
    assert f"becomes the recommendation when {VOLUME_PATH} is above " in row["sentence"]


def test_integer_flip_is_a_whole_number(volume_flips):
    row = volume_flips[volume_flips["path"] == "sites.count"].iloc[0]
    count = row["flip_value"]
    assert count == int(count) and row["direction"] == "below"
    assert f"when sites.count is {int(count):,} or less" in row["sentence"]
    assert _recommendation(**{"sites.count": int(count)}) == row["to_recommendation"]
    assert _recommendation(**{"sites.count": int(count) + 1}) == row["from_recommendation"]


def test_no_flip_within_search_range():
    frame = flips(
        VOLUME,
        paths=["edge.annual_failure_rate"],
        top=0,
        search={"edge.annual_failure_rate": (0.0, 0.2)},
    )
    (row,) = frame.itertuples(index=False)
    assert np.isnan(row.flip_value)
    assert "no flip from 0 to 0.2" in row.sentence


def test_tornado_sorted_by_swing_and_ends_match_evaluate():
    frame = tornado(VOLUME)
    assert list(frame["swing_usd"]) == sorted(frame["swing_usd"], reverse=True)
    assert frame.iloc[0]["path"] == VOLUME_PATH
    row = frame.iloc[0]
    summary = edgecalc.evaluate(VOLUME, overrides={VOLUME_PATH: row["high"]}).summary
    npv = summary.set_index("option")["npv_usd"]
    assert row["basis"] == "npv"
    assert row["cost_diff_high_usd"] == pytest.approx(
        npv[row["recommended"]] - npv[row["alternative_high"]], rel=1e-9
    )


def test_tornado_rejects_an_input_without_range():
    with pytest.raises(EdgecalcError, match=r"sites\.count is not a range"):
        tornado(VOLUME, paths=["sites.count"])


def test_sweep_shape_is_grid_times_options():
    grid = {VOLUME_PATH: [5, 10, 20, 40, 80], "sites.count": [6, 12]}
    frame = sweep(VOLUME, grid)
    assert len(frame) == 5 * 2 * 3
    assert list(frame.columns[:2]) == [VOLUME_PATH, "sites.count"]
    assert set(frame["option"]) == {"cloud", "edge", "hybrid"}


def test_sweep_point_equals_deterministic_evaluate():
    frame = sweep(VOLUME, {VOLUME_PATH: [7.5, 40]})
    result = edgecalc.evaluate(VOLUME, overrides={VOLUME_PATH: 40})
    got = frame[frame[VOLUME_PATH] == 40].set_index("option")
    want = result.summary.set_index("option")
    for o in want.index:
        assert got.loc[o, "total_usd"] == pytest.approx(want.loc[o, "total_usd"], rel=1e-12)
        assert got.loc[o, "npv_usd"] == pytest.approx(want.loc[o, "npv_usd"], rel=1e-12)
        assert bool(got.loc[o, "feasible"]) == bool(want.loc[o, "feasible"])
    assert set(got["recommendation"]) == {result.recommendation}


def test_sweep_over_horizon_groups_engine_calls():
    frame = sweep(VOLUME, {"horizon_months": [24, 60]})
    result = edgecalc.evaluate(VOLUME, overrides={"horizon_months": 24})
    cloud = frame[(frame["horizon_months"] == 24) & (frame["option"] == "cloud")]
    want = result.summary.set_index("option").loc["cloud", "total_usd"]
    assert cloud["total_usd"].iloc[0] == pytest.approx(want, rel=1e-12)


def test_structure_is_not_sweepable():
    with pytest.raises(EdgecalcError, match=r"edge\.device is not a number"):
        sweep(VOLUME, {"edge.device": [1, 2]})
    with pytest.raises(EdgecalcError, match="not an input"):
        sweep(VOLUME, {"workload.no_such_field": [1]})
    with pytest.raises(ScenarioError, match=r"sites\.count"):
        sweep(VOLUME, {"sites.count": [0]})


def test_cli_sweep_and_usage_errors(capsys):
    assert main(["sweep", str(VOLUME), "--param", f"{VOLUME_PATH}=5,80", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"{VOLUME_PATH},option,total_usd")
    assert len(out.splitlines()) == 1 + 2 * 3
    assert main(["sweep", str(VOLUME), "--param", "edge.device=abc"]) == 2
    # edge.device selects a catalog item, not a number: the command line named no input it
    # can vary, a usage error
    assert (
        main(["sweep", str(VOLUME), "--param", "edge.device_usd=1,2", "--param", "edge.device=1"])
        == 2
    )
    assert "edge.device is not a number: it selects structure" in capsys.readouterr().err
    # nor is a value that is not finite: refused as typed, before anything is evaluated
    assert main(["sweep", str(VOLUME), "--param", f"{VOLUME_PATH}=5,1e400"]) == 2
    assert f"--param {VOLUME_PATH}: '1e400' is not a finite number" in capsys.readouterr().err


def test_cli_simulate_prints_the_verdict(capsys):
    assert main(["simulate", str(VOLUME), "--samples", "500", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "the recommendation holds in" in out.splitlines()[0]
    # simulate always samples: 0 is refused with the range it takes (report --samples 0
    # means no Monte Carlo, so its range starts at 0)
    with pytest.raises(SystemExit) as stop:
        main(["simulate", str(VOLUME), "--samples", "0"])
    assert stop.value.code == 2
    assert "0 is outside the allowed 1 to 1,000,000 samples" in capsys.readouterr().err


def test_flips_terminate_when_a_refinement_round_sees_no_change():
    # Regression: a bracket whose interior points all kept the near recommendation was never
    # narrowed, and flips() looped for ever on the hand-worked fixture.
    import signal

    fixture = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"

    def too_slow(signum, frame):
        raise TimeoutError("flips() did not finish in 60 s")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(60)
    try:
        table = flips(fixture)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    found = table[table.flip_value.notna()]
    assert len(found) >= 1
    for row in found.to_dict("records"):
        if row["path"] != "edge.device_usd":
            continue
        # the flip lies between just above and just below the reported value
        near = edgecalc.evaluate(fixture, overrides={row["path"]: row["flip_value"] * 1.001})
        far = edgecalc.evaluate(fixture, overrides={row["path"]: row["flip_value"] * 0.999})
        assert near.recommendation == row["from_recommendation"]
        assert far.recommendation == row["to_recommendation"]


def test_a_constraint_that_rules_out_a_cheaper_option_is_searched():
    """factory-visual-qc: the cloud is the cheapest option but its p99 latency (113 ms, of
    which 80 ms is uploading 2 MB over a 200 Mbit/s uplink) breaks the 50 ms budget, so edge
    is recommended. A cost tornado ranks prices; the inputs behind the latency constraint are
    what would change the verdict, and the search must include them."""
    table = flips(ROOT / "scenarios" / "factory-visual-qc.yaml", top=2)
    paths = list(dict.fromkeys(table["path"]))
    assert paths[:4] == ["sites.uplink_mbps", "workload.request_bytes", "sites.rtt_ms",
                         "latency.budget_ms"]  # fmt: skip
    uplink = table[table["path"] == "sites.uplink_mbps"].iloc[0]
    # cloud's p99 is 112.5 ms (the budget's own flip), 80 ms of it the upload (16 Mbit at
    # 200 Mbit/s): within 50 ms the upload may take 50 - 32.5 = 17.5 ms, so the uplink needs
    # about 16 Mbit / 17.5 ms = 914 Mbit/s (the p99 of a sum is not quite additive)
    assert uplink["to_recommendation"] == "cloud" and uplink["direction"] == "above"
    assert 850 < uplink["flip_value"] < 980
    faster = {"sites.uplink_mbps": uplink["flip_value"] * 1.01}
    assert _recommendation_of("scenarios/factory-visual-qc.yaml", faster) == "cloud"
    assert len(paths) == 4 + 2  # the constraint's four, then the tornado's top two


def test_no_constraint_paths_when_the_cheapest_option_is_feasible():
    # retail-footfall: the cloud is feasible and recommended: only the tornado's inputs
    table = flips(ROOT / "scenarios" / "retail-footfall.yaml", top=2)
    assert "latency.budget_ms" not in set(table["path"])


def test_flip_sentences_write_values_as_format_input_value_does():
    # the values of an input: thousands separators from 1,000, a tiny value written out
    from edgecalc.uncertainty.sensitivity import _edge_sentence, _intervals_sentence

    edges = [(13_000.0, "cloud", "edge"), (1.5e6, "edge", "none")]
    assert _intervals_sentence("x", edges, 2_500, "cloud", 0.2, 2e6) == (
        "x over the scanned 0.2 to 2,000,000 (now 2,500: cloud): cloud from 0.2 to 13,000, "
        "edge from 13,000 to 1,500,000, no option feasible from 1,500,000 to 2,000,000"
    )
    sentence = _edge_sentence("p", "below", 0.000012345, "cloud", "edge", 0.5, "cloud", False, "")
    assert sentence.startswith("edge becomes the recommendation when p is below 0.00001234 ")


def test_an_input_both_options_pay_alike_has_no_swing_and_is_not_searched():
    # factory-visual-qc recommends edge against hybrid; the edge platform team's FTE is paid
    # by both (hybrid runs the same fleet), so their difference does not move with it: the
    # two ends' differences agree to the last bits only (summed in another order), and the
    # swing is 0, not 6e-11
    path = ROOT / "scenarios" / "factory-visual-qc.yaml"
    table = tornado(path).set_index("path")
    row = table.loc["edge.platform_fte"]
    assert (row["recommended"], row["runner_up"]) == ("edge", "hybrid")
    assert row["cost_diff_low_usd"] == pytest.approx(row["cost_diff_high_usd"], abs=1e-6)
    assert row["swing_usd"] == 0.0
    assert table.loc["cloud.ops_engineer_fraction", "swing_usd"] > 100_000
    # flips takes its top inputs from the tornado's real swings only
    searched = set(flips(path, top=3)["path"])
    assert "edge.platform_fte" not in searched
    assert {"cloud.ops_engineer_fraction", "cloud.usd_per_hour"} <= searched


def test_cli_sensitivity_searches_a_given_range_and_refuses_a_path_it_cannot_vary(capsys):
    args = ["sensitivity", str(VOLUME), "--no-progress", "--format", "json"]
    assert main([*args, "--search", "sites.count=2,40"]) == 0
    import json

    found = json.loads(capsys.readouterr().out)["flips"]
    row = next(r for r in found if r["path"] == "sites.count")
    assert (row["search_low"], row["search_high"]) == (2, 40)
    # a misspelt path is a usage error (2), not a scenario that cannot be evaluated (3)
    assert main([*args, "--param", "workload.nope"]) == 2
    assert "workload.nope is not an input of this scenario" in capsys.readouterr().err
    assert main([*args, "--search", "sites.count=2"]) == 2
    assert "--search is written path=low,high, got 'sites.count=2'" in capsys.readouterr().err
    assert main([*args, "--search", "sites.count=2,inf"]) == 2
    assert "--search sites.count: 'inf' is not a finite number" in capsys.readouterr().err


def test_a_field_the_scenario_does_not_write_says_to_write_it_not_to_search_it(capsys):
    # the fixture has no commitment: there is no discount to search from
    assert main(["sensitivity", str(VOLUME), "--no-progress", "--param",
                 "cloud.commitment.discount_fraction"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "cloud.commitment.discount_fraction is not set in this scenario" in err
    assert "search=" not in err


def test_a_site_count_of_a_listed_scenario_points_to_a_groups_count(capsys):
    path = ROOT / "scenarios" / "retail-footfall.yaml"
    assert main(["sensitivity", str(path), "--no-progress", "--param", "sites.count"]) == 2
    assert "search one group's, such as sites.list.0.count" in capsys.readouterr().err

"""Limits checked before allocating, outputs that cannot be written, JSON that stays JSON
(issue #10 items 7, 11 and 17), from the user's side: the message and the exit code."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import edgecalc
from edgecalc import limits
from edgecalc.cli import main
from edgecalc.errors import EdgecalcError
from edgecalc.render.json_text import dumps

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_evaluate_out_a_directory_is_a_usage_error(tmp_path, capsys):
    code, err = run_cli(capsys, "evaluate", str(FIXTURE), "--out", str(tmp_path))
    assert code == 2
    assert err == f"edgecalc: --out {tmp_path}: is a directory; give a file name\n"


def test_report_out_below_a_file_is_a_usage_error(tmp_path, capsys):
    file = tmp_path / "a.txt"
    file.write_text("keep me")
    target = file / "x.html"
    code, err = run_cli(capsys, "report", str(FIXTURE), "--no-flips", "--out", str(target))
    assert code == 2
    assert f"--out {target}: {file} is a file, not a folder" in err
    assert file.read_text() == "keep me"


def test_out_that_cannot_be_written_names_the_reason(tmp_path, capsys, monkeypatch):
    import edgecalc.io

    def refuse(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(edgecalc.io, "write_atomic", refuse)
    code, err = run_cli(capsys, "evaluate", str(FIXTURE), "--out", str(tmp_path / "r.txt"))
    assert code == 2
    assert err == f"edgecalc: --out {tmp_path / 'r.txt'}: cannot be written (Permission denied)\n"


def test_too_many_samples_are_refused_before_sampling(capsys):
    with pytest.raises(SystemExit) as info:
        main(["simulate", str(FIXTURE), "--samples", "100000000"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "--samples: 100,000,000 is outside the allowed 1 to 1,000,000 samples" in err
    with pytest.raises(ValueError, match="at most 1,000,000 samples"):
        edgecalc.simulate(FIXTURE, samples=limits.SAMPLES + 1)


def test_a_fleet_too_large_to_simulate_says_which_field_to_lower():
    # 100,000 sites x (ceil(20 x 2 / 15) = 3 devices + 1 spare) = 400,000 devices; x 100 runs
    # = 40,000,000 device-runs > 10,000,000, so at most 10,000,000 / 400,000 = 25 runs
    with pytest.raises(EdgecalcError) as info:
        edgecalc.evaluate(
            FIXTURE,
            overrides={"sites.count": 100_000, "workload.inferences_per_second": 20},
        )
    assert "400,000 devices in 100 runs" in str(info.value)
    assert "set operations.simulation_runs to 25 or fewer" in str(info.value)


def test_a_fleet_beyond_any_number_of_runs_names_the_fields_behind_its_size():
    # 100,000 sites (the most a scenario stands for) x (ceil(1,000 x 2 / 15) = 134 devices
    # + 1 spare) = 13,500,000 devices: more than 10,000,000 device-runs with a single run
    with pytest.raises(EdgecalcError) as info:
        edgecalc.evaluate(
            FIXTURE,
            overrides={"sites.count": 100_000, "workload.inferences_per_second": 1_000},
        )
    message = str(info.value)
    assert "13,500,000 devices in 100 runs" in message
    assert (
        "the fleet is too large to simulate: lower sites.count or the devices each site" in message
    )
    assert "(workload.inferences_per_second, workload.peak_to_average, edge.redundancy)" in message


def test_a_rollout_of_decades_is_refused():
    with pytest.raises(EdgecalcError, match="the rollout would last"):
        edgecalc.evaluate(FIXTURE, overrides={"operations.days_between_waves": 74_743_464})


def test_a_throughput_of_1e_300_is_refused_with_the_field():
    with pytest.raises(edgecalc.ScenarioError) as info:
        edgecalc.load_scenario(FIXTURE, overrides={"edge.inferences_per_second_per_device": 1e-300})
    assert "edge.inferences_per_second_per_device: 10^-300 is out of bounds" in str(info.value)
    assert "at least 10^-12" in str(info.value)


def test_json_never_holds_bare_infinity_or_nan():
    text = dumps({"a": [1.0, float("inf")], "b": {"c": float("nan")}, "d": -math.inf})
    data = json.loads(text, parse_constant=lambda token: pytest.fail(f"bare {token}"))
    assert data["a"] == [1.0, None] and data["b"]["c"] is None and data["d"] is None
    assert data["non_finite"] == [
        {"path": "a.1", "was": "Infinity"},
        {"path": "b.c", "was": "NaN"},
        {"path": "d", "was": "-Infinity"},
    ]


def test_a_result_with_an_infinite_latency_is_valid_json():
    # an uplink of 0.001 Mbit/s cannot carry 10 x 2 x 100 kB/s: the cloud's queueing is
    # unbounded; JSON shows null where a number was not finite
    result = edgecalc.evaluate(FIXTURE, overrides={"sites.uplink_mbps": 0.001})
    json.loads(result.to_json(), parse_constant=lambda token: pytest.fail(f"bare {token}"))


def test_every_limit_is_documented_with_its_value():
    page = (Path(__file__).parents[2] / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    names = [n for n in dir(limits) if n.isupper()]
    assert len(names) >= 15
    for name in names:
        value = getattr(limits, name)
        shown = (
            "1 MiB"
            if name == "SCENARIO_FILE_BYTES"
            else (f"{value:g}".replace("e+", "e") if isinstance(value, float) else f"{value:,}")
        )
        assert f"| `{name}` | {shown} |" in page, f"{name} = {value} is not in the table"


def test_a_bad_set_on_the_command_line_names_the_override(capsys):
    code, err = run_cli(capsys, "evaluate", str(FIXTURE), "--set", "foo.bar=1")
    assert code == 1
    assert err.startswith("override: foo: unknown key (misspelt?)")
    code, err = run_cli(capsys, "evaluate", str(FIXTURE), "--set", "latency.budget_ms=yes")
    assert code == 1
    assert err.startswith("override: latency.budget_ms: a number is needed here")
    assert "(got 'yes')" in err


def test_a_sweep_grid_too_large_is_refused_before_evaluating():
    # 400 x 400 values = 160,000 points > 100,000
    values = [float(v) for v in range(1, 401)]
    grid = {"workload.inferences_per_second": values, "edge.device_usd": values}
    with pytest.raises(EdgecalcError, match="the sweep grid has 160,000 points"):
        edgecalc.sweep(FIXTURE, grid)
    with pytest.raises(EdgecalcError, match="must be finite"):
        edgecalc.sweep(FIXTURE, {"edge.device_usd": [1.0, math.inf]})

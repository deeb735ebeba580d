"""The command line end to end, as a reviewer uses it (in a subprocess for one, in-process
for the rest)."""

import json
import subprocess
import sys
from pathlib import Path

from edgecalc.cli import main

FIXTURE = str(Path(__file__).parent / "fixtures" / "hand-worked.yaml")


def test_validate_ok(capsys):
    assert main(["validate", FIXTURE]) == 0
    assert "ok" in capsys.readouterr().out


def test_validate_bad_file_exit_1_and_no_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(FIXTURE).read_text().replace("power_w: 20", "power_w: lots"))
    assert main(["validate", FIXTURE, str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:" in err and "edge.power_w" in err and "Traceback" not in err


def test_validate_fails_a_file_that_cannot_be_evaluated(capsys):
    # each value is allowed, but together impossible: with spells of 2 days offline on
    # average, a device offline with probability 0.9999 a day would have to go offline more
    # often than every online day (p <= L / (L + 1) = 2/3); plain validate evaluates, so that
    # "ok" means report runs
    shipped = str(Path(__file__).parents[1] / "scenarios" / "retail-footfall.yaml")
    settings = [
        "--set",
        "operations.offline_probability_per_day=0.9999",
        "--set",
        "operations.mean_offline_spell_days=2",
    ]
    assert main(["validate", shipped, *settings]) == 1
    err = capsys.readouterr().err
    assert "retail-footfall.yaml: cannot evaluate: operations.offline_probability_per_day" in err
    assert "need p <= L/(L+1) = 0.6667" in err
    assert main(["validate", shipped]) == 0


def test_evaluate_json_has_the_contract_fields(capsys):
    assert main(["evaluate", FIXTURE, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decision"]["recommendation"] in ("cloud", "edge", "hybrid", "none")
    assert data["decision"]["reasons"]
    names = [o["name"] for o in data["options"]]
    assert names == ["cloud", "edge", "hybrid"]
    for option in data["options"]:
        for key in ("feasible", "total_usd", "npv_usd", "latency_ms", "violations"):
            assert key in option
    assert data["scenario"]["name"] == "Hand-worked fixture"


def test_evaluate_set_changes_the_verdict(capsys):
    assert main(["evaluate", FIXTURE, "--set", "latency.budget_ms=20"]) == 0
    text = capsys.readouterr().out
    # cloud takes 33.08 ms > 20 ms; edge (11 ms) wins
    assert "Recommendation: EDGE" in text
    assert "cloud p99 is 33 ms against a 20 ms budget" in text


def test_evaluate_text_out_file_written(tmp_path):
    out = tmp_path / "r.txt"
    assert main(["evaluate", FIXTURE, "--out", str(out)]) == 0
    assert "Recommendation: CLOUD" in out.read_text()


def test_evaluate_cannot_evaluate_exit_3(capsys):
    code = main(
        [
            "evaluate",
            FIXTURE,
            "--set",
            "edge.device=jetson-agx-orin-64gb-maxp",
            "--set",
            "edge.device_usd=null",
        ]
    )
    assert code == 3
    assert "edge.device_usd is required" in capsys.readouterr().err


def test_schema_prints_json(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "edgecalc scenario"
    assert "workload" in schema["$defs"]["Scenario"]["properties"]
    assert "workload" in schema["$defs"]["Scenario"]["required"]
    assert "required" not in schema["$defs"]["ScenarioFragment"]


def test_schema_fragment_requires_nothing(capsys):
    assert main(["schema", "--fragment"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$ref"] == "#/$defs/ScenarioFragment"
    assert schema["$defs"]["ScenarioFragment"]["additionalProperties"] is False


def test_console_script_runs():
    proc = subprocess.run(
        [sys.executable, "-m", "edgecalc.cli", "evaluate", FIXTURE],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Hand-worked fixture\nRecommendation: CLOUD")


def test_report_shows_flips_and_monte_carlo(capsys):
    code = main(
        ["report", FIXTURE, "--samples", "300", "--set", "edge.device_usd={low: 500, high: 2000}"]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "**What would flip it**" in text
    # edge saves 6% at the point estimate; far cheaper devices make it worth its complexity
    assert "becomes the recommendation" in text
    assert "**Monte Carlo** (300 samples, seed 0)" in text


def test_evaluate_flips_are_checked_just_below_and_above():
    import edgecalc

    result = edgecalc.evaluate(FIXTURE, flips=True)
    assert result.decision.flips
    # the inputs that change the recommendation come first, those that do not after them
    first = result.decision.flips[0]
    assert "becomes the recommendation" in first or " over the scanned " in first
    assert "no flip" not in first


def _cli_stdin(args: list[str], data: bytes, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "edgecalc.cli", *args], input=data, cwd=cwd,
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip


def test_a_scenario_on_stdin_resolves_extends_against_base_dir(tmp_path):
    root = Path(__file__).resolve().parents[1]
    text = (root / "scenarios" / "factory-visual-qc.yaml").read_bytes()
    proc = _cli_stdin(["validate", "-", "--base-dir", str(root / "scenarios")], text, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == "-: ok\n"
    # the default is the working directory
    proc = _cli_stdin(["evaluate", "-"], text, root / "scenarios")
    assert proc.returncode == 0, proc.stderr
    assert b"Recommendation: EDGE" in proc.stdout
    # from elsewhere, the base file is not found: the error says where it looked
    proc = _cli_stdin(["validate", "-"], text, tmp_path)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert str(tmp_path / "base" / "eu-operations.yaml") in err
    assert f"`extends` resolves against {tmp_path.resolve()} (--base-dir)" in err


def test_a_scenario_on_stdin_is_bounded(tmp_path):
    proc = _cli_stdin(["validate", "-"], b"# " + b"x" * (2 * 1024 * 1024), tmp_path)
    assert proc.returncode == 1
    assert b"limited to 1 MiB" in proc.stderr

"""``edgecalc diff``: changed inputs old -> new, totals before -> after, gates and their exit
codes, and ``--base-ref`` against a real (temporary) git repository."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

import edgecalc
from edgecalc.cli import main
from edgecalc.results.diff import diff_results, flatten, format_value

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
BASE = FIXTURES / "base.yaml"
HEAD = FIXTURES / "head.yaml"


@pytest.fixture(scope="module")
def results():
    return edgecalc.evaluate(BASE), edgecalc.evaluate(HEAD)


@pytest.fixture(scope="module")
def diff(results):
    return diff_results(*results)


def test_inputs_written_in_the_file_are_listed_old_to_new(diff):
    rows = diff.inputs.set_index("path")
    # head.yaml changes exactly these four keys of base.yaml
    assert rows.loc["sites.count", ["base", "head", "origin"]].tolist() == [4, 6, "scenario"]
    assert rows.loc["latency.budget_ms", ["base", "head"]].tolist() == [500, 400]
    assert rows.loc["cloud.instance", ["base", "head"]].tolist() == [
        "aws/g6.xlarge",
        "aws/g4dn.xlarge",
    ]
    assert rows.loc["edge.devices_per_engineer", ["base", "head"]].tolist() == [200, 10]


def test_catalog_values_that_follow_a_changed_input_are_listed(diff, results):
    base, head = results
    # the instance type changed, so its catalog price changed with it
    row = diff.inputs.set_index("path").loc["cloud.usd_per_hour"]
    price = {
        r.path: r.value for r in base.assumptions.itertuples() if r.path == "cloud.usd_per_hour"
    }
    assert row["origin"] == "catalog"
    assert row["base"] == pytest.approx(price["cloud.usd_per_hour"])
    assert row["head"] == pytest.approx(
        head.assumptions.set_index("path").loc["cloud.usd_per_hour", "value"]
    )
    assert row["base"] != row["head"]


def test_unchanged_inputs_are_not_listed(diff):
    paths = set(diff.inputs["path"])
    assert "workload.inferences_per_second" not in paths  # 5 on both sides
    assert "name" not in paths
    assert "extends" not in paths  # merged away by the loader on both sides


def test_totals_delta_and_percent_by_hand(diff, results):
    base, head = results
    for option in ("cloud", "edge", "hybrid"):
        b = base.option(option)["total_usd"]
        h = head.option(option)["total_usd"]
        row = diff.options.set_index("option").loc[option]
        # delta = head - base; delta % = 100 * delta / base
        assert row["delta_usd"] == pytest.approx(h - b)
        assert row["delta_pct"] == pytest.approx(100 * (h - b) / b)
        assert row["base_npv_usd"] == pytest.approx(base.option(option)["npv_usd"])
        assert row["head_npv_usd"] == pytest.approx(head.option(option)["npv_usd"])
    # edge: 200 -> 10 devices per engineer makes operations labour 20x dearer, so edge grows
    # and the cloud falls (the cheaper g4dn.xlarge): signs a reviewer can check at a glance
    assert diff.options.set_index("option").loc["edge", "delta_pct"] > 0
    assert diff.options.set_index("option").loc["cloud", "delta_usd"] < 0


def test_delta_percent_worked_example():
    import pandas as pd

    from edgecalc.results.diff import _options_frame

    base = pd.DataFrame(
        {
            "option": ["cloud", "edge"],
            "steady_monthly_usd": [25.0, 0.0],
            "total_usd": [1000.0, 0.0],
            "npv_usd": [900.0, 0.0],
            "feasible": [True, False],
        }
    )
    head = pd.DataFrame(
        {
            "option": ["cloud", "edge"],
            "steady_monthly_usd": [31.0, 0.25],
            "total_usd": [1250.0, 10.0],
            "npv_usd": [1100.0, 9.0],
            "feasible": [True, True],
        }
    )
    rows = _options_frame(base, head).set_index("option")
    # cloud: 1250 - 1000 = 250; 250 / 1000 = 25 %
    assert rows.loc["cloud", "delta_usd"] == 250.0
    assert rows.loc["cloud", "delta_pct"] == 25.0
    # a typical month: 31 - 25 = 6 USD more
    assert rows.loc["cloud", "delta_monthly_usd"] == 6.0
    assert rows.loc["edge", "base_monthly_usd"] == 0.0
    # edge grows from nothing: an infinite increase, which any --fail-on-increase trips
    assert math.isinf(rows.loc["edge", "delta_pct"])


def test_decision_change_is_flagged_in_bold_at_the_top(diff, results):
    base, head = results
    assert (base.recommendation, head.recommendation) == ("edge", "cloud")
    assert diff.decision_changed
    first = diff.to_markdown().splitlines()[0]
    assert first.startswith("**") and first.endswith("**")
    assert "Decision changed" in first and "EDGE → CLOUD" in first
    # the money: what the decision compares (NPV) of what is recommended, edge's before and
    # the cloud's after; then how its total and a typical month moved
    b = base.option("edge")["npv_usd"]
    h = head.option("cloud")["npv_usd"]
    assert diff.recommended_cost_usd() == (b, h)
    tb, th = base.option("edge")["total_usd"], head.option("cloud")["total_usd"]
    mb, mh = base.option("edge")["steady_monthly_usd"], head.option("cloud")["steady_monthly_usd"]
    assert diff.recommended_monthly_usd() == (mb, mh)

    def signed(v):
        return f"+${v:,.0f}" if v > 0 else f"-${-v:,.0f}"

    assert diff.to_text().splitlines()[0] == (
        f"Decision changed: EDGE -> CLOUD; NPV of the recommendation over 36 months "
        f"{signed(h - b)} ({100 * (h - b) / b:+.1f}%): ${b:,.0f} -> ${h:,.0f} "
        f"(undiscounted total {signed(th - tb)}; a typical month {signed(mh - mb)})"
    )


def test_same_file_twice_is_no_change(results):
    base, _ = results
    d = diff_results(base, base)
    assert not d.decision_changed
    assert d.inputs.empty
    assert (d.options["delta_usd"] == 0).all()
    assert not d.changed
    npv = base.option("edge")["npv_usd"]
    assert d.to_markdown().splitlines()[0] == (
        f"**Decision unchanged: EDGE; NPV of the recommendation over 36 months unchanged at "
        f"${npv:,.0f}**"
    )


def test_markdown_fits_a_pr_comment_and_lists_changes(diff):
    md = diff.to_markdown()
    assert len(md) < 65_536
    assert "| `sites.count` | 4 | 6 | scenario |" in md
    assert "| edge |" in md


def test_json_is_plain_data(diff):
    data = json.loads(diff.to_json())
    assert data["edgecalc_diff"] == 1
    assert data["decision_changed"] is True
    assert {o["option"] for o in data["options"]} == {"cloud", "edge", "hybrid"}
    assert {"path": "sites.count", "base": 4, "head": 6, "origin": "scenario"} in data["inputs"]


def test_flatten_keeps_ranges_whole_and_indexes_lists():
    data = {"w": {"x": {"low": 1.0, "high": 2.0, "dist": None}}, "s": [{"u": 1}, {"u": 2}]}
    assert flatten(data) == {"w.x": {"low": 1.0, "high": 2.0, "dist": None}, "s.0.u": 1, "s.1.u": 2}
    assert format_value({"low": 20.0, "high": 60.0, "dist": None}) == "20..60"


def test_a_number_becoming_a_range_is_one_row(results):
    base, _ = results
    head = edgecalc.evaluate(
        BASE, overrides={"workload.inferences_per_second": {"low": 3, "high": 12}}
    )
    rows = diff_results(base, head).inputs.set_index("path")
    assert rows.loc["workload.inferences_per_second", "base"] == 5
    assert rows.loc["workload.inferences_per_second", "head"]["low"] == 3
    assert not any(p.startswith("workload.inferences_per_second.") for p in rows.index)


# ---- command line and gates ------------------------------------------------------------


def test_cli_no_gate_exits_0_and_prints_markdown(capsys):
    assert main(["diff", str(BASE), str(HEAD), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("**⚠️ Decision changed: EDGE → CLOUD; NPV of the recommendation")
    assert out.count("<!-- edgecalc-diff -->") == 1  # CI finds and updates this comment


def test_cli_decision_change_gate_exits_4(capsys):
    assert main(["diff", str(BASE), str(HEAD), "--fail-on", "decision-change"]) == 4
    assert "gate tripped: the recommendation changed" in capsys.readouterr().err


def test_cli_decision_gate_passes_when_unchanged(capsys):
    assert main(["diff", str(BASE), str(BASE), "--fail-on", "decision-change"]) == 0


def test_cli_increase_gate(diff, capsys):
    grew = diff.options.set_index("option")["delta_pct"]
    worst = float(grew.max())  # edge grows by far the most
    assert main(["diff", str(BASE), str(HEAD), "--fail-on-increase", f"{worst - 1}"]) == 4
    err = capsys.readouterr().err
    assert "gate tripped: edge total grew by" in err
    assert main(["diff", str(BASE), str(HEAD), "--fail-on-increase", f"{worst + 1}"]) == 0
    # the reverse change makes every option that grew fall: the gate holds at 0 %
    cloud_fell = -float(grew["cloud"])
    assert cloud_fell > 0
    code = main(["diff", str(HEAD), str(BASE), "--fail-on-increase", f"{cloud_fell * 2}"])
    assert code == 0


def test_cli_invalid_scenario_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE.read_text().replace("budget_ms: 500", "budget_ms: -5"))
    assert main(["diff", str(BASE), str(bad), "--fail-on", "decision-change"]) == 1
    assert "latency.budget_ms" in capsys.readouterr().err


def test_cli_usage_errors_exit_2(capsys):
    assert main(["diff", str(BASE)]) == 2
    assert main(["diff", str(BASE), str(HEAD), str(HEAD)]) == 2
    assert main(["diff", str(BASE), str(HEAD), "--fail-on-increase", "nan"]) == 2
    capsys.readouterr()
    # a negative allowance would trip the gate on every change, a fall in cost included
    assert main(["diff", str(BASE), str(HEAD), "--fail-on-increase", "-5"]) == 2
    assert "percentage of 0 or more, got -5" in capsys.readouterr().err


def test_cli_writes_json_to_a_file(tmp_path):
    out = tmp_path / "diff.json"
    assert main(["diff", str(BASE), str(HEAD), "--format", "json", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["decision_changed"] is True


# ---- --base-ref against a temporary git repository ---------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=30,
    )


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "scenarios" / "base").mkdir(parents=True)
    shutil.copy(BASE, repo / "scenarios" / "base" / "common.yaml")
    (repo / "scenarios" / "plant.yaml").write_text(
        "edgecalc: 1\nname: Plant\nextends: base/common.yaml\nsites:\n  count: 4\n"
    )
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "scenario")
    return repo


def test_base_ref_compares_the_committed_file_with_the_working_tree(repo, capsys):
    plant = repo / "scenarios" / "plant.yaml"
    plant.write_text(plant.read_text().replace("count: 4", "count: 6"))
    assert main(["diff", str(plant), "--base-ref", "main", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["base"]["label"] == "main:scenarios/plant.yaml"
    assert {"path": "sites.count", "base": 4, "head": 6, "origin": "scenario"} in data["inputs"]


def test_base_ref_resolves_extends_at_the_same_revision(repo, capsys):
    # only the base file changes in the working tree: the committed side must still read the
    # committed base file, so the change shows up (it would vanish if base read the tree)
    common = repo / "scenarios" / "base" / "common.yaml"
    text = common.read_text()
    assert "  devices_per_engineer: 200\n" in text
    common.write_text(text.replace("  devices_per_engineer: 200\n", "  devices_per_engineer: 10\n"))
    plant = repo / "scenarios" / "plant.yaml"
    code = main(
        [
            "diff",
            str(plant),
            "--base-ref",
            "main",
            "--format",
            "json",
            "--fail-on",
            "decision-change",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert {
        "path": "edge.devices_per_engineer",
        "base": 200,
        "head": 10,
        "origin": "scenario",
    } in data["inputs"]
    assert code == (4 if data["decision_changed"] else 0)


def test_base_ref_works_from_another_working_directory(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo / "scenarios")
    assert main(["diff", "plant.yaml", "--base-ref", "HEAD", "--format", "text"]) == 0
    assert capsys.readouterr().out.startswith("Decision unchanged: EDGE")


def test_base_ref_new_file_exits_0_and_says_so(repo, capsys):
    new = repo / "scenarios" / "new.yaml"
    shutil.copy(repo / "scenarios" / "plant.yaml", new)
    assert main(["diff", str(new), "--base-ref", "main", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    result = edgecalc.evaluate(new)
    edge = result.option("edge")
    months = result.scenario.horizon_months
    # on the decision's basis (NPV, the default), as every other headline; regression: it gave
    # the monthly cost alone
    assert out.startswith(
        f"**New scenario `{new}`: EDGE, NPV of the recommendation over {months} months "
        f"${edge['npv_usd']:,.0f} (undiscounted total ${edge['total_usd']:,.0f}; a typical "
        f"month ${edge['steady_monthly_usd']:,.0f})**"
    )
    assert out.count("<!-- edgecalc-diff -->") == 1
    assert main(["diff", str(new), "--base-ref", "main", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decision_basis"] == "npv"
    assert data["head_cost_usd"] == pytest.approx(edge["npv_usd"])
    assert data["head_monthly_usd"] == pytest.approx(edge["steady_monthly_usd"])


def test_base_ref_unknown_revision_exits_2(repo, capsys):
    assert main(["diff", str(repo / "scenarios" / "plant.yaml"), "--base-ref", "nope"]) == 2
    assert "unknown revision 'nope'" in capsys.readouterr().err


def test_base_ref_outside_a_repository_exits_2(tmp_path, capsys):
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(BASE, lone / "s.yaml")
    assert main(["diff", str(lone / "s.yaml"), "--base-ref", "main"]) == 2


def test_skip_if_unchanged_writes_nothing(tmp_path, capsys):
    out = tmp_path / "diff.md"
    args = ["diff", str(BASE), str(BASE), "--format", "markdown", "--skip-if-unchanged"]
    assert main([*args, "--out", str(out)]) == 0
    assert not out.exists()
    assert "unchanged, nothing written" in capsys.readouterr().err
    assert main(["diff", str(BASE), str(HEAD), "--skip-if-unchanged", "--out", str(out)]) == 0
    assert out.read_text().startswith("Decision changed: EDGE -> CLOUD")


def test_base_ref_on_a_base_file_rolls_up_its_scenarios(repo, capsys):
    common = repo / "scenarios" / "base" / "common.yaml"
    common.write_text(common.read_text().replace("budget_ms: 500", "budget_ms: 450"))
    (repo / "scenarios" / "other.yaml").write_text(
        "edgecalc: 1\nname: Other\nextends: base/common.yaml\nsites:\n  count: 2\n"
    )
    code = main(["diff", str(common), "--base-ref", "main", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    by_path = {Path(s["path"]).name: s for s in data["scenarios"]}
    assert set(by_path) == {"plant.yaml", "other.yaml"}
    assert by_path["other.yaml"]["status"] == "new"  # not at main: $0 before
    assert by_path["plant.yaml"]["via"] == str(common)
    inputs = by_path["plant.yaml"]["diff"]["inputs"]
    assert {"path": "latency.budget_ms", "base": 500, "head": 450, "origin": "scenario"} in inputs


def test_a_negative_amount_reads_with_the_sign_before_the_dollar():
    # a monthly credit of 74,700 before (no figure after): usd(-74700) = "-$74,700", not "$-74,700"
    from edgecalc.results.diff import money_phrase

    text = money_phrase(-74_700.0, float("nan"))
    assert text == "monthly cost -$74,700 -> —"
    assert "$-" not in money_phrase(-74_700.0, -70_000.0)


def test_increase_gate_message_puts_the_sign_before_the_dollar(capsys):
    # a total that was a saving (negative) and grew: -$1,234 -> $5,678, never $-1,234
    import argparse
    import types

    import pandas as pd

    from edgecalc.commands.diff import _gates

    row = {"option": "edge", "delta_pct": 560.1, "base_total_usd": -1234, "head_total_usd": 5678}
    grew = pd.DataFrame([row])
    stub = types.SimpleNamespace(decision_changed=False, increases_over=lambda pct: grew)
    args = argparse.Namespace(fail_on=[], fail_on_increase=10.0)
    assert _gates(stub, args)
    err = capsys.readouterr().err
    assert "edge total grew by 560.1% (-$1,234 -> $5,678), over the 10% allowed" in err

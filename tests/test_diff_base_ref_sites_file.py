"""``edgecalc diff FILE --base-ref REV`` reads the CSV that ``sites.file`` names as committed at
REV (regression: it looked for it in its temporary copy and every scenario with a sites file
failed), errors name the files at REV as the repository does, never the temporary folder, and
the roll-up shows a scenario that could not be compared in full and by its path once."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from edgecalc.cli import main
from edgecalc.results.rollup import DiffRollup, Entry

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "diff_sites_file"
TEMP_FOLDER = "edgecalc-diff-"
"""The prefix of the temporary folder the files at REV are copied to: never in an output."""

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@t", "-c", "user.name=t", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=30,
    )


def _commit_all(repo: Path) -> None:
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "scenarios")


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository with ``scenarios/stores.yaml`` and the ``stores.csv`` it names committed."""
    repo = tmp_path / "repo"
    (repo / "scenarios").mkdir(parents=True)
    for name in ("stores.yaml", "stores.csv"):
        shutil.copy(FIXTURES / name, repo / "scenarios" / name)
    _git(repo, "init", "-q", "-b", "main")
    _commit_all(repo)
    return repo


def _set_berlin_count(csv: Path, count: int) -> None:
    text = csv.read_text()
    assert "Berlin,6," in text
    csv.write_text(text.replace("Berlin,6,", f"Berlin,{count},"))


def _inside_a_git_checkout(path: Path) -> bool:
    proc = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
        cwd=path,
        capture_output=True,
        timeout=30,
        check=False,
    )
    return proc.returncode == 0


def test_the_shipped_store_portfolio_diffs_against_head_without_error(capsys):
    # regression: "sites.file: the file it names does not exist: /tmp/edgecalc-diff-.../
    # scenarios/store-portfolio.csv", exit 1, although the CSV is committed
    if not _inside_a_git_checkout(ROOT):
        pytest.skip("the project is not a git checkout")
    scenario = ROOT / "scenarios" / "store-portfolio.yaml"
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", "scenarios/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    if changed.strip():
        pytest.skip("scenarios/ has uncommitted changes: the diff would show them")
    assert main(["diff", str(scenario), "--base-ref", "HEAD", "--format", "text"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Decision unchanged: EDGE")
    assert "0 of 40 site groups changed verdict" in out
    assert "Inputs changed (0):" in out
    assert TEMP_FOLDER not in out + err


def test_a_changed_cell_of_the_sites_csv_shows_in_the_diff(repo, capsys):
    _set_berlin_count(repo / "scenarios" / "stores.csv", 60)
    scenario = repo / "scenarios" / "stores.yaml"
    assert main(["diff", str(scenario), "--base-ref", "HEAD", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # the CSV's second row (Berlin) had 6 sites at HEAD and has 60 in the working tree
    assert data["inputs"] == [
        {"path": "sites.list.1.count", "base": 6, "head": 60, "origin": "scenario"}
    ]
    groups = {g["group"]: g for g in data["portfolio"]["groups"]}
    assert groups["Berlin"]["sites"] == 60
    edge = next(o for o in data["options"] if o["option"] == "edge")
    assert edge["head_total_usd"] > edge["base_total_usd"]  # ten times the Berlin devices


def test_an_unchanged_sites_csv_diffs_as_no_change(repo, capsys):
    scenario = repo / "scenarios" / "stores.yaml"
    assert main(["diff", str(scenario), "--base-ref", "HEAD", "--format", "text"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Decision unchanged: EDGE")
    assert "Inputs changed (0):" in out
    assert TEMP_FOLDER not in out + err


def test_a_sites_csv_named_by_an_extended_base_file_is_read_at_the_revision(tmp_path, capsys):
    # the base file names the CSV, relative to its own folder; only the CSV changes
    repo = tmp_path / "repo"
    (repo / "scenarios" / "base").mkdir(parents=True)
    shutil.copy(FIXTURES / "stores.yaml", repo / "scenarios" / "base" / "stores.yaml")
    shutil.copy(FIXTURES / "stores.csv", repo / "scenarios" / "base" / "stores.csv")
    (repo / "scenarios" / "chain.yaml").write_text(
        "edgecalc: 1\nname: Chain\nextends: base/stores.yaml\n"
    )
    _git(repo, "init", "-q", "-b", "main")
    _commit_all(repo)
    _set_berlin_count(repo / "scenarios" / "base" / "stores.csv", 60)
    chain = repo / "scenarios" / "chain.yaml"
    assert main(["diff", str(chain), "--base-ref", "HEAD", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"path": "sites.list.1.count", "base": 6, "head": 60, "origin": "scenario"} in data[
        "inputs"
    ]


def test_a_sites_csv_missing_at_the_revision_is_named_in_repository_terms(tmp_path, capsys):
    repo = tmp_path / "repo"
    (repo / "scenarios").mkdir(parents=True)
    shutil.copy(FIXTURES / "stores.yaml", repo / "scenarios" / "stores.yaml")
    _git(repo, "init", "-q", "-b", "main")
    _commit_all(repo)  # the scenario without its CSV
    shutil.copy(FIXTURES / "stores.csv", repo / "scenarios" / "stores.csv")  # not committed
    scenario = repo / "scenarios" / "stores.yaml"
    assert main(["diff", str(scenario), "--base-ref", "HEAD"]) == 1
    err = capsys.readouterr().err
    # the line and column of `file: stores.csv` in the committed scenario
    assert (
        "HEAD:scenarios/stores.yaml:18:9: sites.file: the file it names does not exist: "
        "HEAD:scenarios/stores.csv"
    ) in err
    assert TEMP_FOLDER not in err


def test_a_sites_csv_that_leaves_the_repository_is_not_read_at_the_revision(tmp_path, capsys):
    # the working tree reads ../../outside.csv from disk; the revision holds no such file, and
    # the copy at the revision must not find one outside the repository either
    repo = tmp_path / "repo"
    (repo / "scenarios").mkdir(parents=True)
    text = (FIXTURES / "stores.yaml").read_text().replace("file: stores.csv", "file: ../../x.csv")
    (repo / "scenarios" / "stores.yaml").write_text(text)
    shutil.copy(FIXTURES / "stores.csv", tmp_path / "x.csv")
    _git(repo, "init", "-q", "-b", "main")
    _commit_all(repo)
    scenario = repo / "scenarios" / "stores.yaml"
    assert main(["diff", str(scenario), "--base-ref", "HEAD"]) == 1
    err = capsys.readouterr().err
    assert "sites.file: the file it names does not exist: HEAD:scenarios/../../x.csv" in err
    assert TEMP_FOLDER not in err


def test_a_sites_csv_too_large_at_the_revision_is_refused_unread(repo, monkeypatch, capsys):
    from edgecalc import limits

    monkeypatch.setattr(limits, "SITES_FILE_BYTES", 16)  # stores.csv is 75 bytes
    scenario = repo / "scenarios" / "stores.yaml"
    assert main(["diff", str(scenario), "--base-ref", "HEAD"]) == 1
    err = capsys.readouterr().err
    size = (FIXTURES / "stores.csv").stat().st_size
    assert f"HEAD:scenarios/stores.csv: sites.file: {size:,} bytes; sites files are limited" in err
    assert TEMP_FOLDER not in err


# ---- the roll-up with a scenario that could not be compared ----------------------------------


@pytest.fixture
def rollup_repo(repo) -> Path:
    """``stores.yaml`` and ``bad.yaml``: bad is invalid at HEAD and fixed in the working tree."""
    good = (FIXTURES / "stores.yaml").read_text()
    bad = repo / "scenarios" / "bad.yaml"
    bad.write_text(good.replace("budget_ms: 500", "budget_ms: -5"))
    _commit_all(repo)
    bad.write_text(good)
    return repo


def _rollup(repo: Path, fmt: str, capsys) -> tuple[int, str, str]:
    files = [str(repo / "scenarios" / n) for n in ("bad.yaml", "stores.yaml")]
    code = main(["diff", *files, "--base-ref", "HEAD", "--format", fmt])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_rollup_shows_could_not_be_compared_in_full(rollup_repo, capsys):
    # regression: the decision column was cut at 18 characters: "could not be compa"
    code, out, err = _rollup(rollup_repo, "text", capsys)
    assert code == 1
    bad = str(rollup_repo / "scenarios" / "bad.yaml")
    row = next(line for line in out.splitlines() if line.startswith(f"  {bad} "))
    assert row.split()[1:4] == ["could", "not", "be"]
    assert row.split()[4] == "compared"
    assert "HEAD:scenarios/bad.yaml:" in out and "latency.budget_ms" in out
    assert TEMP_FOLDER not in out + err


def test_text_rollup_columns_line_up_with_the_widest_cell():
    long_path = "scenarios/a-scenario-with-a-rather-long-file-name-indeed.yaml"  # 61 characters
    failed = Entry(long_path, problem="x.yaml:1:1: name: must be text", exit_code=1)
    new = Entry(
        "scenarios/n.yaml", new_recommendation="edge", new_monthly_usd=10.0,
        new_total_usd=360.0, new_npv_usd=300.0, new_horizon_months=36, new_name="N",
    )  # fmt: skip
    text = DiffRollup((failed, new), "main").to_text()
    lines = text.splitlines()
    header = lines[3]
    table = lines[4:7]
    assert table[0].startswith(f"  {long_path} could not be compared ")  # nothing cut
    decision_at = header.index("decision")
    assert all(line[decision_at - 1] == " " for line in table)
    assert table[1][decision_at:].startswith("new: EDGE")
    # every row ends its last money cell where the header ends its last column name
    assert {len(line) for line in table} == {len(header)}


def test_markdown_rollup_names_a_failed_scenario_once(rollup_repo, capsys):
    # regression: "scenarios/bad.yaml<br>`scenarios/bad.yaml`": the name of a scenario that
    # could not be compared is its path, and the cell gave both
    code, out, err = _rollup(rollup_repo, "markdown", capsys)
    assert code == 1
    bad = str(rollup_repo / "scenarios" / "bad.yaml")
    row = next(line for line in out.splitlines() if line.startswith("| ") and bad in line)
    assert row.startswith(f"| `{bad}` | could not be compared |")
    assert row.count(bad) == 1 and "<br>" not in row
    stores = next(line for line in out.splitlines() if "stores.yaml" in line and "| " in line)
    assert stores.startswith("| Stores from a CSV<br>`")  # a named scenario keeps its name
    assert TEMP_FOLDER not in out + err

"""The CI loop of docs/ci-example.md, run as written in a scratch git repository: a branch
that changes only a base file gets one comment listing every scenario that extends it, with
one marker and a total; a branch that changes nothing gets no comment. And the pre-commit
hook's command fails on a broken base file instead of skipping it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edgecalc.cli import main
from edgecalc.results.diff import COMMENT_MARKER

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "ci-example.md"
EU_BASE = "scenarios/base/eu-operations.yaml"
TIMEOUT_S = 600


def ci_script() -> str:
    """The ``sh`` block of docs/ci-example.md that starts ``# scenario-diff.sh``."""
    blocks = re.findall(r"```sh\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    (script,) = [b for b in blocks if b.startswith("# scenario-diff.sh")]
    return script


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository with the shipped scenarios and base files committed on ``main``."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "scenarios", repo / "scenarios")
    (repo / "scenario-diff.sh").write_text(ci_script(), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "scenarios")
    git(repo, "checkout", "-q", "-b", "change")
    return repo


def extends(repo: Path, base: str) -> list[str]:
    """The scenarios whose ``extends`` names ``base`` (read independently of edgecalc)."""
    name = Path(base).relative_to("scenarios").as_posix()
    return sorted(
        f"scenarios/{p.name}"
        for p in (repo / "scenarios").glob("*.yaml")
        if re.search(rf"^extends: {re.escape(name)}$", p.read_text(encoding="utf-8"), re.M)
    )


def run_script(repo: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BASE_REF": "main"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["sh", "scenario-diff.sh"], cwd=repo, env=env, capture_output=True, text=True,
        timeout=TIMEOUT_S, check=False,
    )  # fmt: skip


def test_a_changed_base_file_reaches_every_scenario_that_extends_it(repo):
    base = repo / EU_BASE
    text = base.read_text(encoding="utf-8")
    assert text.count("engineer_usd_per_year: 120000") == 2
    base.write_text(text.replace("engineer_usd_per_year: 120000", "engineer_usd_per_year: 150000"))
    git(repo, "commit", "-q", "-am", "EU engineers cost more")

    proc = run_script(repo)
    assert proc.returncode in (0, 4), proc.stderr
    comment = (repo / "diff.md").read_text(encoding="utf-8")
    dependents = extends(repo, EU_BASE)
    assert len(dependents) >= 4
    for path in dependents:
        assert f"`{path}`" in comment, path
    assert "us-operations" not in comment and "retail-footfall" not in comment
    assert comment.count(COMMENT_MARKER) == 1
    first = comment.splitlines()[0]
    assert first.startswith("**") and f"edgecalc: {len(dependents)} scenarios changed" in first
    (total,) = [line for line in comment.splitlines() if line.startswith("| **Total**")]
    # every engineer costs 30,000 USD a year more, so every NPV (the decision basis) grows
    cells = [c.strip().strip("*") for c in total.strip("|").split("|")]
    assert cells[4].startswith("+$"), total
    assert f"Reached through the changed base file `{EU_BASE}`" in comment
    assert (proc.returncode == 4) == ("⚠️" in comment.splitlines()[0])


def test_no_change_no_comment(repo):
    # a comment-only change: nothing a reviewer reads moved, so no comment is written
    path = repo / "scenarios" / "factory-visual-qc.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "a comment")
    proc = run_script(repo)
    assert proc.returncode == 0, proc.stderr
    assert not (repo / "diff.md").exists()
    assert "unchanged" in proc.stderr


def test_validate_checks_a_base_file_through_its_scenarios(repo, monkeypatch, capsys):
    # the pre-commit hook passes scenarios/base/*.yaml to `edgecalc validate --strict`
    hook = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    files = re.search(r"^\s*files: (\S+)$", hook, re.M)[1]
    assert re.search(files, EU_BASE) and "exclude:" not in hook
    entry = re.search(r"^\s*entry: edgecalc (.+)$", hook, re.M)[1].split()
    monkeypatch.chdir(repo)
    assert main([*entry, EU_BASE]) == 0
    out = capsys.readouterr().out
    n = len(extends(repo, EU_BASE))
    assert f"a base file, checked through the {n} scenarios that extend it" in out
    base = repo / EU_BASE
    base.write_text(base.read_text().replace("truck_roll_usd: 600", "truck_roll_usd: -600"))
    assert main([*entry, EU_BASE]) == 1
    err = capsys.readouterr().err
    line = 1 + base.read_text().splitlines().index("  truck_roll_usd: -600")
    assert f"{EU_BASE}:{line}" in err and "edge.truck_roll_usd" in err

"""A scenario read once (``read_scenario_tree``) and loaded with many sets of overrides gives
exactly what ``load_scenario`` gives with those overrides: the same scenario, the same errors,
the same checks on the files it may read, and the tree itself never changes."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

import edgecalc
from edgecalc import ScenarioError
from edgecalc.scenario import (
    ScenarioTree,
    extends_roots,
    load_scenario,
    load_scenario_text,
    read_scenario_text_tree,
    read_scenario_tree,
    scenario_source,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))

OVERRIDES = [
    {},
    {"latency.budget_ms": 33},
    {"name": "Edited", "workload.inferences_per_second": {"low": 1, "high": 3}},
    {
        "latency.budget_ms": 41.5,
        "workload.active_hours_per_day": 10,
        "workload.peak_to_average": 1.5,
    },
]

BAD_OVERRIDES = [
    {"latency.budget_ms": "abc"},
    {"latency.budget_ms": -5},
    {"latency.no_such_key": 1},
    {"extends": "other.yaml"},
    {"latency.budget_ms": 1, "latency": {"budget_ms": 2}},
    {"name.0": "x"},
    {"workload.inferences_per_second": {"low": 5, "high": 1}},
]


def _error(call) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        call()
    return info.value


def _same_error(a: ScenarioError, b: ScenarioError) -> None:
    assert a.problems == b.problems
    assert str(a) == str(b)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_a_tree_gives_what_load_scenario_gives_for_every_shipped_scenario(path):
    tree = read_scenario_tree(path)
    assert isinstance(tree, ScenarioTree)
    for overrides in OVERRIDES:
        expected = load_scenario(path, overrides)
        got = tree.with_overrides(overrides)
        assert got == expected
        assert got.model_dump_json() == expected.model_dump_json()
        a, b = scenario_source(got), scenario_source(expected)
        assert (a.path, a.chain, a.overrides, a.allowed_roots) == (
            b.path,
            b.chain,
            b.overrides,
            b.allowed_roots,
        )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_a_text_tree_gives_what_load_scenario_text_gives(path):
    text = path.read_bytes()
    roots = extends_roots(SCENARIOS)
    tree = read_scenario_text_tree(text, path.name, base_dir=SCENARIOS, allowed_roots=roots)
    for overrides in OVERRIDES:
        expected = load_scenario_text(
            text, path.name, overrides, base_dir=SCENARIOS, allowed_roots=roots
        )
        assert tree.with_overrides(overrides).model_dump_json() == expected.model_dump_json()


def test_the_package_exports_the_tree_beside_load_scenario():
    assert edgecalc.scenario.read_scenario_tree is read_scenario_tree
    assert "read_scenario_tree" in edgecalc.scenario.__all__
    assert "ScenarioTree" in edgecalc.scenario.__all__


@pytest.mark.parametrize("name", ["store-portfolio.yaml", "factory-visual-qc.yaml"])
def test_applying_overrides_never_changes_the_tree(name):
    path = SCENARIOS / name
    tree = read_scenario_tree(path)
    snapshot = copy.deepcopy(vars(tree))
    as_read = tree.with_overrides().model_dump_json()
    value = {"low": 1, "high": 3}
    edits = [
        {"latency.budget_ms": 1, "name": "Changed"},
        {"workload.inferences_per_second": value},
    ]
    if name == "store-portfolio.yaml":
        edits.append({"sites.list.0.name": "Renamed"})
    for overrides in edits:
        tree.with_overrides(overrides)
    for overrides in [*BAD_OVERRIDES, {"workload": {"inferences_per_second": 7}}]:
        with pytest.raises(ScenarioError):
            tree.with_overrides(overrides)
    value["low"] = 2  # an override's value is copied, not kept
    assert vars(tree) == snapshot
    assert tree.with_overrides().model_dump_json() == as_read
    assert tree.with_overrides() == load_scenario(path)


def test_the_tree_is_frozen():
    tree = read_scenario_tree(SCENARIOS / "retail-footfall.yaml")
    with pytest.raises(AttributeError):
        tree.path = None  # type: ignore[misc]


@pytest.mark.parametrize("overrides", BAD_OVERRIDES, ids=repr)
@pytest.mark.parametrize("name", ["factory-visual-qc.yaml", "store-portfolio.yaml"])
def test_a_bad_override_gives_the_same_error(name, overrides):
    path = SCENARIOS / name
    tree = read_scenario_tree(path)
    _same_error(
        _error(lambda: tree.with_overrides(overrides)),
        _error(lambda: load_scenario(path, overrides)),
    )


@pytest.mark.parametrize("overrides", [{}, {"name": "Edited"}], ids=repr)
def test_an_error_in_a_file_the_visitor_did_not_send_is_not_quoted(tmp_path, overrides):
    shutil.copytree(SCENARIOS, tmp_path, dirs_exist_ok=True)
    base = (SCENARIOS / "retail-footfall.yaml").read_text()
    assert "budget_ms: " in base
    lines = [
        "  budget_ms: -5.25" if line.startswith("  budget_ms: ") else line
        for line in base.splitlines()
    ]
    (tmp_path / "base.yaml").write_text("\n".join(lines) + "\n")
    upload = b"extends: base.yaml\nname: Mine\n"
    tree = read_scenario_text_tree(upload, "mine.yaml", base_dir=tmp_path, allowed_roots=tmp_path)
    got = _error(lambda: tree.with_overrides(overrides))
    expected = _error(
        lambda: load_scenario_text(
            upload, "mine.yaml", overrides, base_dir=tmp_path, allowed_roots=tmp_path
        )
    )
    _same_error(got, expected)
    assert "-5.25" not in str(got)
    assert any(p.field == "latency.budget_ms" and p.line for p in got.problems)


def _same_refusal(text, folder):
    """Reading ``text`` as a tree from ``folder`` (its only allowed root) fails as loading it
    does."""
    _same_error(
        _error(
            lambda: read_scenario_text_tree(
                text, "mine.yaml", base_dir=folder, allowed_roots=folder
            )
        ),
        _error(
            lambda: load_scenario_text(text, "mine.yaml", base_dir=folder, allowed_roots=folder)
        ),
    )


def test_extends_outside_the_allowed_roots_is_refused_when_the_tree_is_read(tmp_path):
    (tmp_path / "outside.yaml").write_text((SCENARIOS / "retail-footfall.yaml").read_text())
    upload = b"extends: ../outside.yaml\nname: Mine\n"
    inside = tmp_path / "inside"
    inside.mkdir()
    _same_refusal(upload, inside)


def test_a_sites_file_is_read_once_and_held_to_the_roots(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, folder)
    tree = read_scenario_tree(folder / "store-portfolio.yaml", allowed_roots=folder)
    (folder / "store-portfolio.csv").unlink()  # applying overrides reads no file
    assert tree.with_overrides({"latency.budget_ms": 300}).latency.budget_ms == 300
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SCENARIOS / "store-portfolio.csv", elsewhere / "store-portfolio.csv")
    text = (SCENARIOS / "store-portfolio.yaml").read_text()
    text = text.replace("file: store-portfolio.csv", "file: ../elsewhere/store-portfolio.csv")
    assert "../elsewhere/" in text
    _same_refusal(text, folder)


def test_a_file_over_the_size_limit_is_refused_when_the_tree_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("name: big\n" + "# padding\n" * 120_000)
    _same_error(_error(lambda: read_scenario_tree(big)), _error(lambda: load_scenario(big)))


def test_an_extends_cycle_is_refused_when_the_tree_is_read(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    _same_error(
        _error(lambda: read_scenario_tree(tmp_path / "a.yaml")),
        _error(lambda: load_scenario(tmp_path / "a.yaml")),
    )

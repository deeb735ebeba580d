"""The app reads and parses a scenario once per source (file name and times, or an upload's
bytes): an edit applies its overrides to the kept tree and validates, reading no file. The
trees kept are bounded, and a shipped file edited on disk is read again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app_pages import state
from edgecalc import ScenarioError
from edgecalc.scenario import extends_roots, load_scenario, load_scenario_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scenarios(tmp_path, monkeypatch):
    """A copy of the shipped scenarios (its own cache keys), with the reads counted."""
    folder = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios", folder)
    monkeypatch.setattr(state, "SCENARIO_DIR", folder)
    reads: list[str] = []
    real_file, real_text = state.read_scenario_tree, state.read_scenario_text_tree

    def read_file(path, *args, **kwargs):
        reads.append(Path(path).name)
        return real_file(path, *args, **kwargs)

    def read_text(text, name, *args, **kwargs):
        reads.append(name)
        return real_text(text, name, *args, **kwargs)

    monkeypatch.setattr(state, "read_scenario_tree", read_file)
    monkeypatch.setattr(state, "read_scenario_text_tree", read_text)
    return folder, reads


def test_edits_read_the_shipped_file_once(scenarios):
    folder, reads = scenarios
    source = state.shipped_source("store-portfolio.yaml")
    for budget in (100, 200, 300, 400.5):
        scenario = state.load(source, {"latency.budget_ms": budget})
        expected = load_scenario(folder / "store-portfolio.yaml", {"latency.budget_ms": budget})
        assert scenario.model_dump_json() == expected.model_dump_json()
    assert reads == ["store-portfolio.yaml"]
    assert state.tree(source) is state.tree(source)


def test_an_upload_is_read_once_on_its_bytes(scenarios):
    folder, reads = scenarios
    text = (folder / "retail-footfall.yaml").read_bytes()
    for budget in (60, 70):
        scenario = state.load(state.upload_source(text, "mine.yaml"), {"latency.budget_ms": budget})
        expected = load_scenario_text(
            text,
            "mine.yaml",
            {"latency.budget_ms": budget},
            base_dir=folder,
            allowed_roots=extends_roots(folder),
        )
        assert scenario.model_dump_json() == expected.model_dump_json()
    assert reads == ["mine.yaml"]
    other = text.replace(b"name: ", b"name: Other ", 1)
    assert state.load(state.upload_source(other, "mine.yaml")).name.startswith("Other ")
    assert reads == ["mine.yaml", "mine.yaml"]


def test_a_bad_edit_gives_the_error_load_scenario_gives(scenarios):
    folder, _ = scenarios
    source = state.shipped_source("factory-visual-qc.yaml")
    for overrides in ({"latency.budget_ms": "abc"}, {"latency.nope": 1}, {"extends": "x.yaml"}):
        with pytest.raises(ScenarioError) as app:
            state.load(source, overrides)
        with pytest.raises(ScenarioError) as lib:
            load_scenario(folder / "factory-visual-qc.yaml", overrides)
        assert str(app.value) == str(lib.value)
    assert state.load(source).name == load_scenario(folder / "factory-visual-qc.yaml").name


def test_a_shipped_file_its_base_or_its_sites_file_changed_on_disk_is_read_again(scenarios):
    folder, reads = scenarios
    source = state.shipped_source("store-portfolio.yaml")
    first = state.tree(source)
    assert state.tree(source) is first
    csv = folder / "store-portfolio.csv"
    csv.write_text(csv.read_text() + "\n")  # size changes
    second = state.tree(source)
    assert second is not first
    base = folder / "base" / "us-operations.yaml"
    base.write_text(base.read_text() + "\n# edited\n")
    assert state.tree(source) is not second
    assert reads == ["store-portfolio.yaml"] * 3


def test_the_trees_kept_are_bounded(scenarios):
    _, reads = scenarios
    text = (ROOT / "app_pages" / "template.yaml").read_bytes()
    uploads = [
        state.upload_source(text.replace(b"name: ", f"name: N{i} ".encode(), 1), "u.yaml")
        for i in range(state.MAX_TREES + 8)
    ]
    for source in uploads:
        state.tree(source)
    assert len(reads) == len(uploads)
    state.tree(uploads[-1])  # kept
    assert len(reads) == len(uploads)
    state.tree(uploads[0])  # the oldest was dropped
    assert len(reads) == len(uploads) + 1


def test_a_source_that_does_not_load_is_not_kept(scenarios):
    _, reads = scenarios
    source = state.upload_source(b"name: [unclosed\n", "bad.yaml")
    for _ in range(2):
        with pytest.raises(ScenarioError):
            state.tree(source)
    assert reads == ["bad.yaml", "bad.yaml"]


def test_an_upload_may_not_extend_outside_the_shipped_scenarios(scenarios, tmp_path):
    (tmp_path / "secret.yaml").write_text((ROOT / "scenarios" / "retail-footfall.yaml").read_text())
    source = state.upload_source(b"extends: ../secret.yaml\nname: Mine\n", "mine.yaml")
    with pytest.raises(ScenarioError, match="may name only the shipped scenarios"):
        state.load(source)

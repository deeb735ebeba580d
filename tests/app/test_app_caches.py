"""The app keeps what a rerun would redo: loaded scenarios, results and figures, each on what
it depends on, so that an edit costs one evaluation and nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

from app_pages import state

ROOT = Path(__file__).resolve().parents[2]


def test_a_shipped_scenario_is_parsed_once_and_again_when_its_file_changes(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios", folder)
    monkeypatch.setattr(state, "SCENARIO_DIR", folder)
    source = state.shipped_source("retail-footfall.yaml")
    first = state.load(source, {"latency.budget_ms": 40})
    assert state.load(source, {"latency.budget_ms": 40}) is first  # kept
    assert state.load(source, {"latency.budget_ms": 41}) is not first  # other edits
    path = folder / "retail-footfall.yaml"
    path.write_text(path.read_text().replace("name: ", "name: Renamed ", 1))
    again = state.load(source, {"latency.budget_ms": 40})
    assert again is not first
    assert again.name.startswith("Renamed ")


def test_an_upload_is_kept_on_its_bytes():
    text = (ROOT / "app_pages" / "template.yaml").read_bytes()
    a = state.load(state.upload_source(text, "mine.yaml"))
    assert state.load(state.upload_source(bytes(text), "mine.yaml")) is a
    other = text.replace(b"name: ", b"name: Other ", 1)
    assert state.load(state.upload_source(other, "mine.yaml")) is not a


def test_one_result_object_per_scenario_and_edits():
    scenario = state.load(state.shipped_source("retail-footfall.yaml"), {"latency.budget_ms": 70})
    result = state.evaluate(scenario, {"latency.budget_ms": 70})
    assert state.evaluate(scenario, {"latency.budget_ms": 70}) is result
    assert result.provenance["overrides"] == {"latency.budget_ms": 70}
    assert state.result_key(scenario, {"latency.budget_ms": 70}) != state.result_key(scenario, {})


def test_a_figure_is_built_once_per_key():
    calls = []

    def build():
        calls.append(1)
        return object()

    a = state.figure("test.figure", "key-1", build)
    assert state.figure("test.figure", "key-1", build) is a
    state.figure("test.figure", "key-2", build)
    assert len(calls) == 2

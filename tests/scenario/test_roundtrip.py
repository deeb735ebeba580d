"""The round-trip writer: an edit changes the edited keys and keeps every other byte, and the
edited file loads to the scenario the same edit gives as an override."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from edgecalc.errors import ScenarioError
from edgecalc.scenario import load_scenario_text
from edgecalc.scenario.roundtrip import edit_text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    *sorted((ROOT / "scenarios").rglob("*.yaml")),
    ROOT / "app_pages" / "template.yaml",
]
FACTORY = ROOT / "scenarios" / "factory-visual-qc.yaml"


def changed_lines(before: str, after: str) -> list[str]:
    """The ``-``/``+`` lines of a unified diff, without its headers."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "-+" and line[:3] not in ("---", "+++")]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_an_edit_of_one_key_changes_one_line_of_every_shipped_file(path):
    text = path.read_text(encoding="utf-8")
    assert edit_text(text, {}) == text
    key, value = ("name", "Renamed") if "\nname:" in text else ("horizon_months", 36)
    edited = edit_text(text, {key: value})
    lines = changed_lines(text, edited)
    assert len(lines) == 2 and lines[1] == f"+{key}: {value}", lines
    assert lines[0].startswith(f"-{key}: ")


def test_comments_schema_line_and_extends_stay():
    text = FACTORY.read_text(encoding="utf-8")
    edited = edit_text(text, {"latency.budget_ms": 40.0})
    assert changed_lines(text, edited) == ["-  budget_ms: 50", "+  budget_ms: 40"]
    assert edited.startswith("# yaml-language-server: $schema=../schemas/scenario.schema.json\n")
    assert "\nextends: base/eu-operations.yaml\n" in edited
    assert "parameters: 36.4e6" in edited  # the number keeps its spelling


EDITS = [
    {"latency.budget_ms": 40.0},  # a key the file writes
    {"residency.raw_data": "anywhere"},  # a section the file does not write
    {"cloud.usd_per_hour": {"low": 1.1, "high": 1.4}},  # a range over the base file's range
    {"edge.truck_roll_usd": 900},  # a key only the extended file writes
    {"sites.location.country": "AT", "workload.inferences_per_second": 3.5},
    {"edge.inference_ms": 9.5, "model.parameters": 40e6},
]


@pytest.mark.parametrize("edits", EDITS, ids=lambda e: ",".join(e))
def test_the_edited_file_loads_as_the_override_does(edits):
    text = FACTORY.read_text(encoding="utf-8")
    base_dir = FACTORY.parent
    edited = edit_text(text, edits)
    want = load_scenario_text(text, "f.yaml", overrides=edits, base_dir=base_dir)
    got = load_scenario_text(edited, "f.yaml", base_dir=base_dir)
    assert got.model_dump() == want.model_dump()
    # and only lines the edit names were touched: every removed line held an edited key
    keys = {path.split(".")[-1] for path in edits}
    for line in changed_lines(text, edited):
        if line.startswith("-"):
            assert any(f"{k}:" in line for k in keys), line


def test_null_clears_what_the_extended_file_sets():
    # base/eu-operations.yaml sets edge.truck_roll_usd 600; null in the file clears it
    text = FACTORY.read_text(encoding="utf-8")
    edited = edit_text(text, {"edge.truck_roll_usd": None})
    assert changed_lines(text, edited) == ["+  truck_roll_usd: null"]
    loaded = load_scenario_text(edited, "f.yaml", base_dir=FACTORY.parent)
    assert loaded.edge.truck_roll_usd is None


def test_a_string_a_yaml11_reader_would_misread_is_quoted():
    # Norway's ISO code must stay a string for every reader, YAML 1.1 ones included
    text = "edgecalc: 1\nsites: {location: {lat: 59.9, lon: 10.7, country: SE}}\n"
    edited = edit_text(text, {"sites.location.country": "NO"})
    assert edited == 'edgecalc: 1\nsites: {location: {lat: 59.9, lon: 10.7, country: "NO"}}\n'


def test_null_keeps_its_spelling():
    # ruamel.yaml writes a null back as an empty value; a file that spells it `null` keeps it
    spelt = "edgecalc: 1\nname: x\nhybrid: null\n"
    assert edit_text(spelt, {"name": "z"}) == "edgecalc: 1\nname: z\nhybrid: null\n"
    empty = "edgecalc: 1\nname: x\nhybrid:\n"
    assert edit_text(empty, {"name": "z"}) == "edgecalc: 1\nname: z\nhybrid:\n"


def test_list_items_by_index_and_the_file_indentation():
    text = "edgecalc: 1\nsites:\n  list:\n  - name: a\n    uplink_mbps: 100\n  - name: b\n"
    edited = edit_text(text, {"sites.list.1.uplink_mbps": 50})
    assert edited == text + "  uplink_mbps: 50\n".rjust(len("    uplink_mbps: 50\n"))


@pytest.mark.parametrize(
    ("text", "edits", "message"),
    [
        ("accept_warnings: [a]\n", {"accept_warnings.0.x": 1}, "accept_warnings.0 is not a"),
        ("edgecalc: 1\nsites:\n  list:\n    - name: a\n", {"sites.list.3.name": "b"}, "no list"),
        ("- a\n- b\n", {"name": "x"}, "must be a mapping"),
        ("edgecalc: [1\n", {"name": "x"}, "YAML syntax error"),
    ],
)
def test_edits_that_cannot_be_written_say_why(text, edits, message):
    with pytest.raises(ScenarioError, match=message):
        edit_text(text, edits, "f.yaml")

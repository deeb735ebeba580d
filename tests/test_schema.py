"""The checked-in JSON Schema (schemas/scenario.schema.json) matches the code, and it accepts
every shipped scenario, so editors that validate while typing agree with ``edgecalc``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from edgecalc.scenario import merge
from edgecalc.scenario.schema import scenario_json_schema
from edgecalc.scenario.yaml_io import parse

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schemas" / "scenario.schema.json"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def _checked_in() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


YAML12_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$")
"""Exponent scalars YAML 1.2 reads as numbers. YAML 1.1 (PyYAML) reads ``11.2e6`` (no sign in the
exponent) as a string, which pydantic then accepts as a number; editors (yaml-language-server)
read YAML 1.2, where it is a number. The test reads the files as an editor does."""


def _as_yaml12(node):
    if isinstance(node, dict):
        return {k: _as_yaml12(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_yaml12(v) for v in node]
    if isinstance(node, str) and YAML12_FLOAT.match(node):
        return float(node)
    return node


def _tree(path: Path) -> dict:
    """The data the loader validates: the file merged over the files it ``extends``."""
    data, _ = parse(path.read_text(encoding="utf-8"), str(path))
    data = _as_yaml12(data)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    return merge(_tree(path.parent / parent), data)


def test_checked_in_schema_matches_the_code():
    assert SCHEMA_FILE.exists(), "schemas/scenario.schema.json is missing: run `make schema`"
    assert _checked_in() == scenario_json_schema(), (
        "schemas/scenario.schema.json has drifted from the pydantic models: run `make schema` "
        "and commit the result"
    )


def test_checked_in_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(_checked_in())


@pytest.fixture(params=SCENARIOS or [None], ids=lambda p: p.name if p else "none")
def scenario_file(request) -> Path:
    if request.param is None:
        pytest.skip("no shipped scenarios/*.yaml yet: nothing to validate against the schema")
    return request.param


def test_schema_accepts_every_shipped_scenario(scenario_file):
    validator = jsonschema.Draft202012Validator(_checked_in())
    errors = [
        f"{'.'.join(map(str, e.absolute_path)) or '<top>'}: {e.message}"
        for e in validator.iter_errors(_tree(scenario_file))
    ]
    assert not errors, f"{scenario_file.name} fails the schema:\n" + "\n".join(errors)


def test_schema_rejects_a_misspelt_key(scenario_file):
    # the editor must flag what the loader refuses: an unknown key (extra="forbid")
    data = _tree(scenario_file)
    data["workload"] = {**data["workload"], "inferences_per_sec": 1}
    validator = jsonschema.Draft202012Validator(_checked_in())
    assert any(list(e.absolute_path)[:1] == ["workload"] for e in validator.iter_errors(data)), (
        "a misspelt workload key passed the schema"
    )

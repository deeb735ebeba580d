"""The checked-in JSON Schemas (schemas/*.schema.json) match the code, and an editor that
validates a shipped file *as written* (YAML 1.2, no merging of ``extends``, the schema its
first line names) finds no error, while a misspelt key is still flagged.

Two validators read the files the way the real clients do: the ``jsonschema`` library, and
the ``check-jsonschema`` command (what a pre-commit hook or CI runs)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from edgecalc.scenario.schema import SCHEMA_FILES

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = ROOT / "schemas"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
FRAGMENTS = sorted((ROOT / "scenarios" / "base").glob("*.yaml"))
SHIPPED = SCENARIOS + FRAGMENTS
MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(?P<path>\S+)\s*$")
"""The first-line comment that tells yaml-language-server which schema a file follows."""


def _read_yaml12(path: Path):
    """The file as an editor reads it: YAML 1.2 (``NO`` is a string, ``36.4e6`` a number)."""
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _schema_of(path: Path) -> tuple[Path, dict]:
    """The schema file named on the first line of ``path`` (relative to the file), loaded."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = MODELINE.match(first)
    assert m, f"{path.name}: the first line must name its schema: {first!r}"
    schema_path = (path.parent / m["path"]).resolve()
    assert schema_path.parent == SCHEMA_DIR, f"{path.name} points outside schemas/: {schema_path}"
    return schema_path, json.loads(schema_path.read_text(encoding="utf-8"))


def _errors(schema: dict, data) -> list[str]:
    """Every error, with those under an ``anyOf`` branch (``context``) listed too."""

    def lines(errors) -> list[str]:
        out = []
        for e in errors:
            out.append(f"{'.'.join(map(str, e.absolute_path)) or '<top>'}: {e.message}")
            out += lines(e.context)
        return out

    return lines(jsonschema.Draft202012Validator(schema).iter_errors(data))


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_checked_in_schema_matches_the_code(name):
    path = SCHEMA_DIR / name
    assert path.exists(), f"schemas/{name} is missing: run `make schema`"
    assert json.loads(path.read_text(encoding="utf-8")) == SCHEMA_FILES[name](), (
        f"schemas/{name} has drifted from the pydantic models: run `make schema` and commit it"
    )


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_checked_in_schema_is_a_valid_draft_2020_12_schema(name):
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)


def test_scenarios_and_fragments_name_the_right_schema():
    assert SCENARIOS and FRAGMENTS
    for path in SCENARIOS:
        assert _schema_of(path)[0].name == "scenario.schema.json", path.name
    for path in FRAGMENTS:
        assert _schema_of(path)[0].name == "scenario-fragment.schema.json", path.name


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_as_written_passes_its_schema(path):
    # what yaml-language-server shows: the raw file, its `extends` NOT merged
    _, schema = _schema_of(path)
    errors = _errors(schema, _read_yaml12(path))
    assert not errors, f"{path.name} shows errors in an editor:\n" + "\n".join(errors)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_misspelt_key_is_still_flagged(path):
    _, schema = _schema_of(path)
    data = _read_yaml12(path)
    top = {**data, "horizon_month": 60}
    assert any("horizon_month" in e for e in _errors(schema, top)), "misspelt top-level key"
    section = next(k for k in ("workload", "cloud", "edge", "sites") if k in data)
    nested = {**data, section: {**data[section], "usd_per_hr": 1.0}}
    assert any(e.startswith(section) and "usd_per_hr" in e for e in _errors(schema, nested)), (
        f"misspelt key in {section} passed"
    )


def test_a_scenario_without_extends_still_needs_its_required_fields():
    # only `extends` makes the required fields optional: a standalone file must be whole
    schema = json.loads((SCHEMA_DIR / "scenario.schema.json").read_text(encoding="utf-8"))
    data = _read_yaml12(ROOT / "app_pages" / "template.yaml")
    assert _errors(schema, data) == []
    del data["workload"]
    assert any("'workload' is a required property" in e for e in _errors(schema, data))
    assert _errors(schema, {**data, "extends": "base/eu-operations.yaml"}) == []


def test_the_schema_carries_the_loaders_magnitude_limit():
    # validate refuses any number above 1e15 in size (edgecalc.limits.NUMBER_MAGNITUDE); an
    # editor flags it too, in a field without an upper bound of its own

    schema = json.loads((SCHEMA_DIR / "scenario.schema.json").read_text(encoding="utf-8"))
    data = _read_yaml12(ROOT / "app_pages" / "template.yaml")
    assert _errors(schema, data) == []
    huge = {**data, "workload": {**data["workload"], "inferences_per_second": 2e15}}
    assert any(
        e.startswith("workload.inferences_per_second") and "greater than the maximum" in e
        for e in _errors(schema, huge)
    )
    edge = {**data["workload"], "inferences_per_second": 1e15}
    assert _errors(schema, {**data, "workload": edge}) == []


def test_list_items_in_a_fragment_stay_whole():
    # a list replaces the list it extends, so each item must be complete on its own
    schema = json.loads((SCHEMA_DIR / "scenario.schema.json").read_text(encoding="utf-8"))
    data = {"extends": "base/eu-operations.yaml", "sites": {"list": [{"count": 2}]}}
    assert any("'name' is a required property" in e for e in _errors(schema, data))


def test_yaml12_values_are_what_the_schema_expects():
    # `country: NO` (Norway) is a string and `36.4e6` a number in YAML 1.2, as editors read them
    schema = json.loads((SCHEMA_DIR / "scenario-fragment.schema.json").read_text("utf-8"))
    data = YAML(typ="safe", pure=True).load(
        "sites: {location: {lat: 59.9, lon: 10.7, country: NO}}\nmodel: {parameters: 36.4e6}\n"
    )
    assert data["sites"]["location"]["country"] == "NO"
    assert data["model"]["parameters"] == 36.4e6
    assert _errors(schema, data) == []


def _check_jsonschema() -> Path:
    exe = Path(sys.executable).with_name("check-jsonschema")
    if not exe.exists():
        pytest.skip("check-jsonschema is not installed (it is in the test extra)")
    return exe


@pytest.mark.parametrize(
    ("schema", "files"),
    [("scenario.schema.json", SCENARIOS), ("scenario-fragment.schema.json", FRAGMENTS)],
)
def test_check_jsonschema_accepts_the_shipped_files(schema, files):
    proc = subprocess.run(
        [str(_check_jsonschema()), "--schemafile", str(SCHEMA_DIR / schema), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_jsonschema_flags_a_misspelt_key(tmp_path):
    text = (ROOT / "scenarios" / "factory-visual-qc.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("  peak_to_average:", "  peak_to_averag:"), encoding="utf-8")
    proc = subprocess.run(
        [
            str(_check_jsonschema()),
            "--schemafile",
            str(SCHEMA_DIR / "scenario.schema.json"),
            str(bad),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert "peak_to_averag" in proc.stdout + proc.stderr

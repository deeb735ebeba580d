"""The JSON Schemas of scenario files, for editors (yaml-language-server, check-jsonschema) and
reviewers, honest about ``extends``.

An editor validates the file it shows, as written: it does not merge the files it ``extends``.
So the schemas say what a file may hold *on its own*:

- ``schemas/scenario.schema.json`` (:func:`scenario_json_schema`): a file without ``extends``
  is a whole scenario, with every required field; a file with ``extends`` is a *fragment*: no
  field is required of it, because the file it extends may give it.
- ``schemas/scenario-fragment.schema.json`` (:func:`fragment_json_schema`): always a fragment;
  for the files under ``scenarios/base/`` that other scenarios extend.

A fragment is the scenario schema with ``required`` dropped wherever the loader merges key by
key (mappings, recursively), and kept inside lists, because a list in a file replaces the
list it extends whole (:func:`edgecalc.scenario.merge`). A misspelt key is an error in both
(``additionalProperties: false``), as it is for the loader.
"""

from __future__ import annotations

import copy
from typing import Any

from .models import Scenario

SCHEMA_BASE = "https://github.com/edgecalc/edgecalc/schemas/"
SCHEMA_ID = SCHEMA_BASE + "scenario.schema.json"
FRAGMENT_SCHEMA_ID = SCHEMA_BASE + "scenario-fragment.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
FRAGMENT_SUFFIX = "Fragment"
"""``$defs/Cloud`` (whole) has a fragment twin ``$defs/CloudFragment``."""
_REF_PREFIX = "#/$defs/"
_LIST_KEYWORDS = ("items", "prefixItems", "contains")
"""Keywords whose subschemas describe list items: a list replaces whole, so they stay whole."""
_NAMED_SUBSCHEMAS = ("properties", "patternProperties", "$defs")
"""Keywords whose value maps names (field names, not keywords) to subschemas."""


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file as an editor reads it.

    Returns
    -------
    dict
        ``if`` the file has ``extends`` ``then`` ``$defs/ScenarioFragment`` (nothing
        required) ``else`` ``$defs/Scenario`` (the pydantic model's schema, every required
        field).
    """
    defs = _definitions()
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "edgecalc scenario",
        "description": (
            "A scenario file. One that `extends` another needs none of the required fields "
            "itself: the file it extends may give them. Checked whole by `edgecalc validate`."
        ),
        "$defs": defs,
        "if": {"type": "object", "required": ["extends"]},
        "then": {"$ref": _REF_PREFIX + "Scenario" + FRAGMENT_SUFFIX},
        "else": {"$ref": _REF_PREFIX + "Scenario"},
    }


def fragment_json_schema() -> dict[str, Any]:
    """The JSON Schema of a fragment that scenarios ``extends`` (``scenarios/base/*.yaml``):
    every key a scenario may hold, none required, no unknown key."""
    return {
        "$schema": DRAFT,
        "$id": FRAGMENT_SCHEMA_ID,
        "title": "edgecalc scenario fragment",
        "description": (
            "A file that scenarios `extends`: any part of a scenario, nothing required. "
            "Checked through the scenarios that extend it by `edgecalc validate`."
        ),
        "$defs": _definitions(),
        "$ref": _REF_PREFIX + "Scenario" + FRAGMENT_SUFFIX,
    }


def _definitions() -> dict[str, Any]:
    """Every model's whole schema and its fragment twin, ``Scenario`` itself included."""
    top = Scenario.model_json_schema(mode="validation")
    whole = top.pop("$defs", {})
    whole["Scenario"] = top
    out = dict(whole)
    for name, schema in whole.items():
        out[name + FRAGMENT_SUFFIX] = _as_fragment(schema)
    return dict(sorted(out.items()))


def _as_fragment(node: Any) -> Any:
    """A copy of a subschema that requires nothing where the loader merges key by key.

    ``required`` goes; ``$ref`` points at the fragment twin; ``oneOf`` becomes ``anyOf``
    (a fragment can fit more than one branch until it is merged); list items stay whole.
    """
    if isinstance(node, list):
        return [_as_fragment(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NAMED_SUBSCHEMAS:
            out[key] = {name: _as_fragment(sub) for name, sub in value.items()}
        elif key == "required":
            continue
        elif key == "$ref" and isinstance(value, str) and value.startswith(_REF_PREFIX):
            out[key] = value + FRAGMENT_SUFFIX
        elif key in _LIST_KEYWORDS:
            out[key] = copy.deepcopy(value)
        elif key == "oneOf":
            out["anyOf"] = _as_fragment(value)
        elif key in ("default", "examples", "const", "enum"):
            out[key] = copy.deepcopy(value)
        else:
            out[key] = _as_fragment(value)
    return out


SCHEMA_FILES = {
    "scenario.schema.json": scenario_json_schema,
    "scenario-fragment.schema.json": fragment_json_schema,
}
"""File name under ``schemas/`` -> the function that makes it (``make schema`` writes both)."""

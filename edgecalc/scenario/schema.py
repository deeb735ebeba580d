"""The JSON Schema of scenario files, for editors (yaml-language-server) and reviewers."""

from __future__ import annotations

from typing import Any

from .models import Scenario

SCHEMA_ID = "https://github.com/edgecalc/edgecalc/schemas/scenario.schema.json"


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) generated from the pydantic models."""
    schema = Scenario.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}

"""``edgecalc schema``: the JSON Schema of scenario files (checked in at
schemas/scenario.schema.json)."""

from __future__ import annotations

import json


def add_parser(sub) -> None:
    p = sub.add_parser(
        "schema", help="print the JSON Schema of scenario files", description=__doc__
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from ..scenario.schema import scenario_json_schema

    print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
    return 0

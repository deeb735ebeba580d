"""``edgecalc schema [--fragment]``: the JSON Schema of scenario files (checked in at
schemas/scenario.schema.json), or with ``--fragment`` of the files scenarios ``extends``
(schemas/scenario-fragment.schema.json)."""

from __future__ import annotations

import json


def add_parser(sub) -> None:
    p = sub.add_parser(
        "schema", help="print the JSON Schema of scenario files", description=__doc__
    )
    p.add_argument(
        "--fragment",
        action="store_true",
        help="the schema of a fragment that scenarios extend (nothing required)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from ..scenario.schema import fragment_json_schema, scenario_json_schema

    schema = fragment_json_schema() if args.fragment else scenario_json_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0

"""``edgecalc evaluate FILE [--set k=v]... [--format text|json|markdown]``."""

from __future__ import annotations

from ..errors import EdgecalcError
from .common import (
    EXIT_INVALID,
    add_set_argument,
    load_or_report,
    report_evaluation_error,
    write_output,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "evaluate", help="evaluate a scenario and print the recommendation", description=__doc__
    )
    p.add_argument("file", metavar="FILE")
    add_set_argument(p)
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--out", metavar="PATH", help="write to a file (atomically) instead")
    p.add_argument(
        "--flips",
        action="store_true",
        help="also find the input values that flip the recommendation",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from ..pipeline.evaluate import evaluate
    from ..render import render

    scenario = load_or_report(args.file, args.overrides, args.base_dir)
    if scenario is None:
        return EXIT_INVALID
    try:
        result = evaluate(scenario, flips=args.flips)
    except EdgecalcError as exc:
        return report_evaluation_error(args.file, exc)
    write_output(render(result, args.format), args.out)
    return 0

"""``edgecalc report FILE [--set k=v]... [--format markdown|html|json|text] [--out PATH]``.

The review rendering of one scenario: Markdown for a pull-request comment (the default), one
self-contained HTML file with the charts, JSON (with its ``edgecalc_result`` version field), or
plain text. ``--out`` writes the file atomically; without it the report goes to stdout. The
report searches for the input values that flip the recommendation (``--no-flips`` skips it)
and, with ``--samples N``, runs Monte Carlo to show P10-P90 bands and probabilities.
"""

from __future__ import annotations

from ..errors import EdgecalcError
from .common import (
    EXIT_INVALID,
    add_set_argument,
    load_or_report,
    report_evaluation_error,
    sample_count,
    write_output,
)

FORMATS = ("markdown", "html", "json", "text")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report",
        help="a review report of a scenario (Markdown for a PR comment, HTML, JSON, text)",
        description=__doc__,
    )
    p.add_argument("file", metavar="FILE")
    add_set_argument(p)
    p.add_argument("--format", choices=FORMATS, default="markdown")
    p.add_argument("--out", metavar="PATH", help="write to a file (atomically) instead")
    p.add_argument(
        "--no-flips",
        dest="flips",
        action="store_false",
        help="skip the search for the input values that flip the recommendation (a few seconds)",
    )
    p.add_argument(
        "--samples",
        type=sample_count,
        default=0,
        metavar="N",
        help="also run Monte Carlo with N samples: P10-P90 bands and probabilities",
    )
    p.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default 0)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..pipeline.evaluate import evaluate
    from ..render import render

    scenario = load_or_report(args.file, args.overrides, args.base_dir)
    if scenario is None:
        return EXIT_INVALID
    try:
        result = evaluate(scenario, flips=args.flips, samples=max(args.samples, 0), seed=args.seed)
    except EdgecalcError as exc:
        return report_evaluation_error(args.file, exc)
    write_output(render(result, args.format), args.out)
    return 0

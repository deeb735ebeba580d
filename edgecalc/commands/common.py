"""What subcommands share: loading a scenario with ``--set`` overrides and printing errors."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EdgecalcError, ScenarioError
from ..scenario import load_scenario, parse_overrides

EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_CANNOT_EVALUATE = 3


def add_set_argument(parser) -> None:
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a field, e.g. --set workload.inferences_per_second=80 "
        "(the value is YAML: 80, true, '{low: 20, high: 60}'); repeatable",
    )


def load_or_report(path: str, overrides: list[str]):
    """Load a scenario; on error print it to stderr and return None."""
    try:
        return load_scenario(Path(path), parse_overrides(overrides))
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return None


def report_evaluation_error(path: str, exc: EdgecalcError) -> int:
    print(f"{path}: cannot evaluate: {exc}", file=sys.stderr)
    return EXIT_CANNOT_EVALUATE


def write_output(text: str, out: str | None) -> None:
    """Print, or write atomically to ``out``."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from ..io import write_atomic

    write_atomic(Path(out), text)

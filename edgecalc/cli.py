"""The ``edgecalc`` command line.

Each subcommand lives in its own module under :mod:`edgecalc.commands` (or elsewhere) with
``add_parser(subparsers)`` registering it and setting ``func``; this file only lists them.

Exit codes: 0 success; 1 a scenario is invalid; 2 bad command-line usage; 3 a scenario is
valid but cannot be evaluated (a required figure is missing, a measurement file is unreadable);
4 a CI gate tripped (``diff --fail-on decision-change``, ``diff --fail-on-increase PCT``).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ._version import __version__
from .commands.common import EXIT_USAGE, OutputError

COMMANDS = (
    "edgecalc.commands.validate",
    "edgecalc.commands.evaluate",
    "edgecalc.commands.schema",
    "edgecalc.commands.measure",
    "edgecalc.commands.report",
    "edgecalc.commands.diff",
    "edgecalc.commands.simulate",
    "edgecalc.commands.devices",
    "edgecalc.commands.app",
)
"""Modules providing ``add_parser(subparsers)``, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edgecalc",
        description="Cloud, edge or hybrid for one ML inference workload, and why.",
    )
    parser.add_argument("--version", action="version", version=f"edgecalc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (never raises for user errors)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except OutputError as exc:
        print(f"edgecalc: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

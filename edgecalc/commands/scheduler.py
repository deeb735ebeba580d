"""``--scheduler`` and ``--workers``: where ``simulate`` and ``sweep`` evaluate their batches.

By default in this process. ``--scheduler local`` (or ``--workers N``) starts a Dask
LocalCluster on 127.0.0.1 for the run; ``--scheduler tcp://host:8786`` uses an existing Dask
scheduler. ``EDGECALC_SCHEDULER`` stands for ``--scheduler`` when it is not given (docs/dask.md).
"""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import EdgecalcError
from ..uncertainty.backend import MAX_LOCAL_WORKERS, SCHEDULER_ENV, parse_scheduler
from .common import EXIT_USAGE

__all__ = ["add_scheduler_arguments", "scheduler_settings"]


def _worker_count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number is needed, got {text!r}") from None
    if not 1 <= n <= MAX_LOCAL_WORKERS:
        raise argparse.ArgumentTypeError(f"{n} is outside the allowed 1 to {MAX_LOCAL_WORKERS}")
    return n


def add_scheduler_arguments(parser) -> None:
    """``--scheduler ADDRESS|local`` and ``--workers N``."""
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="evaluate on Dask: 'local' (worker processes on this machine, 127.0.0.1) or a "
        f"scheduler's address, e.g. tcp://10.0.0.5:8786; default ${SCHEDULER_ENV}, else "
        "in this process. The numbers are the same (docs/dask.md)",
    )
    parser.add_argument(
        "--workers",
        type=_worker_count,
        metavar="N",
        help="worker processes of a local Dask cluster (implies --scheduler local)",
    )


def scheduler_settings(args, environ=None) -> tuple[str | None, int | None] | int:
    """``(scheduler, workers)`` from the arguments and ``EDGECALC_SCHEDULER``, checked.

    Returns
    -------
    tuple or int
        The settings, or the usage exit code after printing what is wrong.
    """
    environ = os.environ if environ is None else environ
    given = args.scheduler if args.scheduler is not None else environ.get(SCHEDULER_ENV)
    source = "--scheduler" if args.scheduler is not None else SCHEDULER_ENV
    try:
        choice = parse_scheduler(given)
    except EdgecalcError as exc:
        print(f"{source}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if choice.kind == "address" and args.workers is not None:
        print(
            f"--workers is for a local cluster; the scheduler {choice.address} ({source}) has "
            "the workers it has",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if choice.kind == "inprocess":
        return None, args.workers
    return ("local" if choice.kind == "local" else choice.address), args.workers

"""``--scheduler`` and ``--workers``: where ``simulate`` and ``sweep`` evaluate their batches.

``--scheduler local`` (or ``--workers N``) starts a Dask LocalCluster on 127.0.0.1 for the run;
``--scheduler tcp://host:8786`` uses an existing Dask scheduler; ``--scheduler none`` keeps the
run in this process. ``EDGECALC_SCHEDULER`` stands for ``--scheduler`` when it is not given.
With neither, a large portfolio Monte Carlo (``simulate --by-group`` over at least
:data:`LOCAL_BY_DEFAULT_GROUP_SAMPLES` group-samples) or a large sweep (at least
:data:`LOCAL_BY_DEFAULT_SWEEP_POINTS` points) runs on a LocalCluster, and a small one in this
process, where starting worker processes would cost more than they save (docs/dask.md).
"""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import EdgecalcError
from ..uncertainty.backend import MAX_LOCAL_WORKERS, SCHEDULER_ENV, parse_scheduler
from .common import EXIT_USAGE

__all__ = [
    "LOCAL_BY_DEFAULT_GROUP_SAMPLES",
    "LOCAL_BY_DEFAULT_SWEEP_POINTS",
    "add_scheduler_arguments",
    "default_scheduler",
    "scheduler_settings",
]

LOCAL_BY_DEFAULT_GROUP_SAMPLES = 10_000_000
"""Site groups times samples from which ``simulate --by-group`` runs on a LocalCluster when no
scheduler is named: about 15 s in one process on a 2-core machine, where two workers save
more than the few seconds they take to start [group-samples]."""

LOCAL_BY_DEFAULT_SWEEP_POINTS = 50_000
"""Grid points from which ``sweep`` runs on a LocalCluster when no scheduler is named
[points]."""


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
        f"scheduler's address, e.g. tcp://10.0.0.5:8786, or 'none' (this process); default "
        f"${SCHEDULER_ENV}, else a local cluster for a large run and this process for a small "
        "one. The numbers are the same (docs/dask.md)",
    )
    parser.add_argument(
        "--workers",
        type=_worker_count,
        metavar="N",
        help="worker processes of a local Dask cluster (implies --scheduler local)",
    )


UNSET = "unset"
"""The scheduler :func:`scheduler_settings` gives when neither ``--scheduler`` nor
``EDGECALC_SCHEDULER`` names one: :func:`default_scheduler` decides by the run's size."""


def default_scheduler(scheduler: str | None, work: int, threshold: int) -> str | None:
    """The scheduler a run uses: the one named, else a LocalCluster for a large run.

    Parameters
    ----------
    scheduler : str or None
        From :func:`scheduler_settings`: an address, ``"local"``, None (this process, asked
        for) or :data:`UNSET` (nothing named).
    work : int
        The run's size: group-samples or grid points [count].
    threshold : int
        The size from which an unnamed scheduler is a LocalCluster [count].

    Returns
    -------
    str or None
        ``"local"``, an address, or None (this process).

    Examples
    --------
    >>> default_scheduler(UNSET, 20_000_000, LOCAL_BY_DEFAULT_GROUP_SAMPLES)
    'local'
    >>> default_scheduler(UNSET, 1_000, LOCAL_BY_DEFAULT_GROUP_SAMPLES) is None
    True
    >>> default_scheduler(None, 20_000_000, LOCAL_BY_DEFAULT_GROUP_SAMPLES) is None
    True
    """
    if scheduler != UNSET:
        return scheduler
    return "local" if work >= threshold else None


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
        return (None if given else UNSET), args.workers
    return ("local" if choice.kind == "local" else choice.address), args.workers

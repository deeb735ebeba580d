"""``edgecalc simulate``, ``edgecalc sensitivity`` and ``edgecalc sweep``: uncertainty on the
command line.

- ``edgecalc simulate FILE [--samples N] [--seed S] [--format text|json|markdown]
  [--scheduler local|tcp://host:port] [--workers N]``
- ``edgecalc sensitivity FILE [--param PATH]... [--format text|json|markdown]`` (tornado and
  flips)
- ``edgecalc sweep FILE --param k=v1,v2,... [--param ...] [--format text|json|markdown|csv]
  [--scheduler local|tcp://host:port] [--workers N]``
"""

from __future__ import annotations

import json
import math
import sys

import pandas as pd

from ..errors import EdgecalcError, ScenarioError
from ..uncertainty.backend import SchedulerError
from .common import (
    EXIT_CANNOT_EVALUATE,
    EXIT_INVALID,
    EXIT_USAGE,
    add_set_argument,
    load_or_report,
    report_evaluation_error,
    sample_count,
    write_output,
)
from .progress import add_no_progress_argument, terminal_progress
from .scheduler import (
    LOCAL_BY_DEFAULT_GROUP_SAMPLES,
    LOCAL_BY_DEFAULT_SWEEP_POINTS,
    UNSET,
    add_scheduler_arguments,
    default_scheduler,
    scheduler_settings,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "simulate",
        help="Monte Carlo over the scenario's ranges",
        description="Sample every range {low, high} and report how likely each option is "
        "feasible and cheapest, and how often the recommendation holds.",
    )
    p.add_argument("file", metavar="FILE")
    add_set_argument(p)
    p.add_argument(
        "--samples", type=sample_count, default=10_000, metavar="N", help="default 10000"
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="default 0")
    p.add_argument(
        "--pinned-defaults",
        action="store_true",
        help="keep every default at its value: sample only the scenario's own ranges (by "
        "default, low-confidence catalog facts and assumed schema defaults are ranged too)",
    )
    p.add_argument(
        "--by-group",
        action="store_true",
        help="with several site groups: also each group's verdict per sample and the mixed "
        "plan's cost (cut by groups and samples; --scheduler spreads it)",
    )
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--out", metavar="PATH", help="write to a file (atomically) instead")
    add_no_progress_argument(p)
    add_scheduler_arguments(p)
    p.set_defaults(func=run_simulate)

    p = sub.add_parser(
        "sensitivity",
        help="tornado of the ranged inputs and the values that flip the recommendation",
        description="Which input matters most (tornado) and at which value the "
        "recommendation changes (flips).",
    )
    p.add_argument("file", metavar="FILE")
    add_set_argument(p)
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="PATH",
        help="also search this input for a flip, e.g. sites.count; repeatable",
    )
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--out", metavar="PATH", help="write to a file (atomically) instead")
    add_no_progress_argument(p)
    p.set_defaults(func=run_sensitivity)

    p = sub.add_parser(
        "sweep",
        help="evaluate over a grid of input values",
        description="Evaluate the scenario for each combination of the given values.",
    )
    p.add_argument("file", metavar="FILE")
    add_set_argument(p)
    p.add_argument(
        "--param",
        action="append",
        default=[],
        required=True,
        metavar="PATH=V1,V2,...",
        help="an input and its values, e.g. workload.inferences_per_second=5,10,20; "
        "several make a grid",
    )
    p.add_argument("--format", choices=("text", "json", "markdown", "csv"), default="text")
    p.add_argument("--out", metavar="PATH", help="write to a file (atomically) instead")
    add_no_progress_argument(p)
    add_scheduler_arguments(p)
    p.set_defaults(func=run_sweep)


def _frame_text(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "markdown":
        return _markdown_table(frame)
    if fmt == "csv":
        return frame.to_csv(index=False)
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        return frame.to_string(index=False)


def _markdown_table(frame: pd.DataFrame) -> str:
    def cell(v) -> str:
        if isinstance(v, float):
            return "" if v != v else f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"
        return "" if v is None else str(v)

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records"))


def _announce(chosen: str | None, named: str | None) -> str | None:
    """Say on stderr when a large run goes to a local cluster nobody named."""
    if named == UNSET and chosen == "local":
        print(
            "a large run: evaluating on a local Dask cluster on 127.0.0.1 (--scheduler none "
            "keeps it in this process)",
            file=sys.stderr,
        )
    return chosen


def run_simulate(args) -> int:
    from ..uncertainty.simulate import simulate

    if args.samples < 1:
        print("--samples must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.seed < 0:
        print("--seed must be a non-negative integer", file=sys.stderr)
        return EXIT_USAGE
    where = scheduler_settings(args)
    if isinstance(where, int):
        return where
    scenario = load_or_report(args.file, args.overrides, args.base_dir)
    if scenario is None:
        return EXIT_INVALID
    groups = len(scenario.sites.list) if scenario.sites.list else 1
    work = groups * args.samples if args.by_group else 0
    where = (
        _announce(default_scheduler(where[0], work, LOCAL_BY_DEFAULT_GROUP_SAMPLES), where[0]),
        where[1],
    )
    try:
        progress = terminal_progress(sys.stderr, "sampling", args.no_progress)
        sim = simulate(
            scenario,
            samples=args.samples,
            seed=args.seed,
            pinned_defaults=args.pinned_defaults,
            progress=progress,
            scheduler=where[0],
            workers=where[1],
            by_group=args.by_group,
        )
    except SchedulerError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_CANNOT_EVALUATE
    except EdgecalcError as exc:
        return report_evaluation_error(args.file, exc)
    if args.format == "json":
        text = sim.to_json()
    elif args.format == "markdown":
        text = sim.to_markdown()
    else:
        text = sim.to_text()
    write_output(text, args.out)
    return 0


def run_sensitivity(args) -> int:
    from ..uncertainty.sensitivity import flips, tornado, tornado_title

    scenario = load_or_report(args.file, args.overrides, args.base_dir)
    if scenario is None:
        return EXIT_INVALID
    try:
        t = tornado(scenario)
        bar = terminal_progress(sys.stderr, "sensitivity", args.no_progress)
        f = flips(scenario, paths=args.param, progress=bar)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except EdgecalcError as exc:
        return report_evaluation_error(args.file, exc)
    columns = [
        "path", "low", "high", "alternative_low", "cost_diff_low_usd", "alternative_high",
        "cost_diff_high_usd", "swing_usd",
    ]  # fmt: skip
    if args.format == "json":
        text = json.dumps({"tornado": _records(t), "flips": _records(f)}, indent=2)
    elif args.format == "markdown":
        text = (
            f"### Tornado ({tornado_title(t)})\n\n"
            + _markdown_table(t[columns])
            + "\n### What flips the recommendation\n\n"
            + "\n".join(f"- {s}" for s in f["sentence"])
            + "\n"
        )
    else:
        body = _frame_text(t[columns], "text") if len(t) else "no ranged inputs"
        text = (
            f"Tornado ({tornado_title(t)}, USD):\n{body}\n\nWhat flips the recommendation:\n"
            + "\n".join(f"  {s}" for s in f["sentence"])
            + "\n"
        )
    write_output(text, args.out)
    return 0


def parse_param(text: str) -> tuple[str, list[float]]:
    """Parse ``path=v1,v2,...`` into the path and its numbers.

    Raises
    ------
    ValueError
        When there is no ``=``, no value, or a value is not a number.
    """
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path or not raw.strip():
        raise ValueError(f"--param is written path=v1,v2,..., got {text!r}")
    values = []
    for item in raw.split(","):
        try:
            values.append(float(item))
        except ValueError:
            raise ValueError(
                f"--param {path}: {item.strip()!r} is not a number (only numeric inputs can "
                "be swept)"
            ) from None
    return path, values


def run_sweep(args) -> int:
    from ..uncertainty.sensitivity import sweep

    grid: dict[str, list[float]] = {}
    try:
        for item in args.param:
            path, values = parse_param(item)
            if path in grid:
                raise ValueError(f"--param {path} is given twice")
            grid[path] = values
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    where = scheduler_settings(args)
    if isinstance(where, int):
        return where
    scenario = load_or_report(args.file, args.overrides, args.base_dir)
    if scenario is None:
        return EXIT_INVALID
    points = math.prod(len(v) for v in grid.values())
    where = (
        _announce(default_scheduler(where[0], points, LOCAL_BY_DEFAULT_SWEEP_POINTS), where[0]),
        where[1],
    )
    try:
        bar = terminal_progress(sys.stderr, "sweeping", args.no_progress)
        frame = sweep(scenario, grid, progress=bar, scheduler=where[0], workers=where[1])
    except SchedulerError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_CANNOT_EVALUATE
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except EdgecalcError as exc:
        return report_evaluation_error(args.file, exc)
    if args.format == "json":
        text = json.dumps(_records(frame), indent=2)
    else:
        text = _frame_text(frame, args.format)
    write_output(text, args.out)
    return 0

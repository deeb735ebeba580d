"""``edgecalc simulate``, ``edgecalc sensitivity`` and ``edgecalc sweep``: uncertainty on the
command line.

- ``edgecalc simulate FILE [--samples N] [--seed S] [--format text|json|markdown]
  [--scheduler local|tcp://host:port] [--workers N]``
- ``edgecalc sensitivity FILE [--param PATH]... [--search PATH=LOW,HIGH]...
  [--format text|json|markdown]`` (tornado and flips)
- ``edgecalc sweep FILE --param k=v1,v2,... [--param ...] [--format text|json|markdown|csv]
  [--scheduler local|tcp://host:port] [--workers N]``
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import EdgecalcError, ScenarioError
from ..format import input_value, is_missing, usd
from ..uncertainty.backend import SchedulerError
from .common import (
    EXIT_CANNOT_EVALUATE,
    EXIT_INVALID,
    EXIT_USAGE,
    add_set_argument,
    load_or_report,
    report_evaluation_error,
    run_sample_count,
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
        "--samples", type=run_sample_count, default=10_000, metavar="N", help="default 10,000"
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
    p.add_argument(
        "--search",
        action="append",
        default=[],
        metavar="PATH=LOW,HIGH",
        help="search this input between LOW and HIGH (default a tenth of its low to ten times "
        "its high), e.g. sites.count=1,500; repeatable",
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


@dataclass(frozen=True)
class _Column:
    """One column of a sweep or tornado table as a reader sees it."""

    key: str
    """The frame's column."""
    header: str
    """What the table calls it, the unit in brackets."""
    cell: Callable[[Any], str]
    """The formatter of its values (:mod:`edgecalc.format`)."""
    right: bool = False
    """Right-aligned (numbers)."""


def _word(v: Any) -> str:
    return "-" if is_missing(v) else str(v)


def _yes_no(v: Any) -> str:
    return "yes" if v else "NO"


def _with_unit(path: str) -> str:
    """``path [unit]``, or the bare path of a unitless input (a count)."""
    from ..pipeline.evaluate import input_unit

    unit = input_unit(path)
    return f"{path} [{unit}]" if unit else path


def _sweep_columns(swept: Sequence[str]) -> list[_Column]:
    """The sweep as ``edgecalc sweep`` prints it: the swept inputs, each with its unit, then
    each option's cost at that point."""
    return [
        *(_Column(p, _with_unit(p), input_value, right=True) for p in swept),
        _Column("option", "option", _word),
        _Column("total_usd", "total [USD]", usd, right=True),
        _Column("npv_usd", "NPV [USD]", usd, right=True),
        _Column("feasible", "feasible", _yes_no),
        _Column("recommendation", "recommendation", _word),
    ]


_TORNADO_COLUMNS = (
    _Column("path", "input", _word),
    _Column("low", "low", input_value, right=True),
    _Column("high", "high", input_value, right=True),
    _Column("unit", "unit", str),
    _Column("alternative_low", "alternative at low", _word),
    _Column("cost_diff_low_usd", "difference at low [USD]", usd, right=True),
    _Column("alternative_high", "alternative at high", _word),
    _Column("cost_diff_high_usd", "difference at high [USD]", usd, right=True),
    _Column("swing_usd", "swing [USD]", usd, right=True),
)
"""The tornado as ``edgecalc sensitivity`` prints it; ``unit`` is the input's
(:func:`edgecalc.pipeline.evaluate.input_unit`)."""


def _tornado_frame(t: pd.DataFrame) -> pd.DataFrame:
    from ..pipeline.evaluate import input_unit

    return t.assign(unit=[input_unit(p) for p in t["path"]])


def _table(frame: pd.DataFrame, columns: Sequence[_Column], fmt: str) -> str:
    """``frame`` as a table a person reads: aligned text, or Markdown; every cell formatted by
    its column (money as ``-$74,700``, numbers without an exponent)."""
    from ..markdown_text import esc
    from ..render.markdown import markdown_table
    from ..render.text import text_table

    header = [c.header for c in columns]
    shown = frame[[c.key for c in columns]]
    rows = [
        [c.cell(v) for c, v in zip(columns, values, strict=True)]
        for values in shown.itertuples(index=False)
    ]
    if fmt == "markdown":
        align = "".join("r" if c.right else "l" for c in columns)
        cells = [[esc(v) for v in row] for row in rows]
        return "\n".join(markdown_table([esc(h) for h in header], cells, align)) + "\n"
    right = {i for i, c in enumerate(columns) if c.right}
    return "\n".join(text_table(header, rows, right)) + "\n"


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
    from ..uncertainty.sensitivity import InputPathError, flips, tornado, tornado_title

    try:
        search = dict(parse_search(item) for item in args.search)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    scenario = load_or_report(args.file, args.overrides, args.base_dir)
    if scenario is None:
        return EXIT_INVALID
    try:
        t = tornado(scenario)
        bar = terminal_progress(sys.stderr, "sensitivity", args.no_progress)
        f = flips(scenario, paths=args.param, search=search, progress=bar)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except InputPathError as exc:  # --param or --search named no input it can vary
        print(f"{args.file}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except EdgecalcError as exc:
        return report_evaluation_error(args.file, exc)
    if args.format == "json":
        text = json.dumps({"tornado": _records(t), "flips": _records(f)}, indent=2)
    elif args.format == "markdown":
        body = _table(_tornado_frame(t), _TORNADO_COLUMNS, "markdown") if len(t) else ""
        from ..markdown_text import esc

        text = (
            f"### Tornado ({esc(tornado_title(t))})\n\n"
            + body
            + "\n### What flips the recommendation\n\n"
            + "\n".join(f"- {esc(s)}" for s in f["sentence"])
            + "\n"
        )
    else:
        body = _table(_tornado_frame(t), _TORNADO_COLUMNS, "text") if len(t) else ""
        text = (
            f"Tornado ({tornado_title(t)}):\n{body}\nWhat flips the recommendation:\n"
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
    return path, [_finite(item, f"--param {path}") for item in raw.split(",")]


def parse_search(text: str) -> tuple[str, tuple[float, float]]:
    """Parse ``path=low,high`` (``--search``) into the path and its two numbers.

    Raises
    ------
    ValueError
        When there is no ``=``, not two values, or a value is not a finite number.
    """
    path, sep, raw = text.partition("=")
    path = path.strip()
    items = raw.split(",")
    if not sep or not path or len(items) != 2:
        raise ValueError(f"--search is written path=low,high, got {text!r}")
    low, high = (_finite(item, f"--search {path}") for item in items)
    return path, (low, high)


def _finite(item: str, what: str) -> float:
    """One number of a ``--param`` or ``--search`` list; ``what`` names the option."""
    try:
        value = float(item)
    except ValueError:
        raise ValueError(
            f"{what}: {item.strip()!r} is not a number (only numeric inputs can be varied)"
        ) from None
    if not math.isfinite(value):
        raise ValueError(f"{what}: {item.strip()!r} is not a finite number")
    return value


def run_sweep(args) -> int:
    from ..uncertainty.sensitivity import InputPathError, sweep

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
    except InputPathError as exc:  # --param named no input it can vary
        print(f"{args.file}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except EdgecalcError as exc:
        return report_evaluation_error(args.file, exc)
    if args.format == "json":
        text = json.dumps(_records(frame), indent=2)
    elif args.format == "csv":
        text = frame.to_csv(index=False)
    else:
        lead = (
            f"Sweep of {', '.join(grid)}: {points:,} point{'s' if points != 1 else ''}, one row "
            "per point and option (total: undiscounted over the horizon)"
        )
        table = _table(frame, _sweep_columns(list(grid)), args.format)
        if args.format == "markdown":
            from ..markdown_text import esc

            text = f"**{esc(lead)}**\n\n{table}"
        else:
            text = f"{lead}:\n{table}"
    write_output(text, args.out)
    return 0

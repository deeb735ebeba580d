"""``edgecalc devices FILE [--set k=v]... [--format text|csv|json]``: rank every catalog device
for the scenario's model and load (fits? meets the latency budget? devices per site; cost over
the horizon; why it lost). ``edge.device: auto`` picks the first feasible row."""

from __future__ import annotations

import math

from ..errors import EdgecalcError
from ..format import ms, usd
from ..render.json_text import dumps
from .common import (
    EXIT_INVALID,
    add_set_argument,
    load_or_report,
    report_evaluation_error,
    scenario_folder,
    write_output,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "devices",
        help="rank the catalog's edge devices for a scenario",
        description=__doc__,
    )
    p.add_argument("file", metavar="FILE")
    add_set_argument(p)
    p.add_argument("--format", choices=("text", "csv", "json"), default="text")
    p.add_argument("--out", metavar="PATH", help="write to a file (atomically) instead")
    p.set_defaults(func=run)


def _text(frame) -> str:
    lines = []
    for r in frame.itertuples():
        if r.feasible:
            verdict = "feasible"
        elif math.isnan(r.total_usd):
            verdict = "cannot be evaluated"
        else:
            verdict = "not feasible"
        head = f"{r.rank:>2}. {r.device}: {verdict}"
        figures = []
        if not math.isnan(r.total_usd):
            figures.append(f"{usd(r.total_usd)} over the horizon")
        if not math.isnan(r.devices_per_site):
            figures.append(f"{r.devices_per_site:.0f} per site")
        if not math.isnan(r.latency_ms):
            figures.append(ms(r.latency_ms))
        if figures:
            head += " (" + ", ".join(figures) + ")"
        if r.why_lost:
            head += f"\n    {r.why_lost}"
        lines.append(head)
    best = frame[frame.feasible]
    footer = (
        f"edge.device: auto would choose {best.iloc[0].device}"
        if len(best)
        else "no feasible device: edge.device: auto would fail"
    )
    return "\n".join([*lines, "", footer]) + "\n"


def run(args) -> int:

    from ..pipeline.devices import rank_devices

    scenario = load_or_report(args.file, args.overrides, args.base_dir)
    if scenario is None:
        return EXIT_INVALID
    try:
        frame = rank_devices(scenario, base_dir=scenario_folder(args.file, args.base_dir))
    except EdgecalcError as exc:
        return report_evaluation_error(args.file, exc)
    if args.format == "csv":
        text = frame.to_csv(index=False)
    elif args.format == "json":
        records = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in frame.to_dict("records")
        ]
        text = dumps(records, indent=2, default=str)
    else:
        text = _text(frame)
    write_output(text, args.out)
    return 0

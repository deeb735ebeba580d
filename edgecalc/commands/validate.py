"""``edgecalc validate FILES... [--strict]``: check that scenario files load, are priced and
evaluate, so that "ok" means ``report`` will run on them (``--strict`` also turns plausibility
warnings into errors). An evaluation takes milliseconds (``benchmarks/bench_evaluate.py``).

A FILE that other files ``extends`` (a base such as ``scenarios/base/eu-operations.yaml``) is
checked through every scenario that extends it, directly or through other bases: a broken
base file fails the scenarios it breaks."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EdgecalcError
from .common import EXIT_INVALID, add_set_argument, load_or_report


def add_parser(sub) -> None:
    p = sub.add_parser(
        "validate", help="check scenario files (exit 1 when any is invalid)", description=__doc__
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--strict", action="store_true", help="also fail on plausibility warnings")
    add_set_argument(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..scenario.dependents import expand

    bad = 0
    targets = expand([Path(f) for f in args.files])
    for base, through in _by_base(targets).items():
        names = ", ".join(str(t) for t in through)
        print(
            f"{base}: a base file, checked through the {len(through)} scenarios that extend "
            f"it: {names}"
        )
    for target in targets:
        path = str(target.path)
        scenario = load_or_report(path, args.overrides, args.base_dir)
        if scenario is None:
            bad += 1
            continue
        problems = resolve_problems(scenario, path) or evaluation_problems(scenario, args.strict)
        if problems:
            bad += 1
            for p in problems:
                print(f"{path}: {p}", file=sys.stderr)
        else:
            print(f"{path}: ok")
    return EXIT_INVALID if bad else 0


def _by_base(targets) -> dict[Path, list[Path]]:
    out: dict[Path, list[Path]] = {}
    for t in targets:
        if t.via is not None:
            out.setdefault(t.via, []).append(t.path)
    return out


def resolve_problems(scenario, path) -> list[str]:
    """What keeps a valid scenario from being priced: a figure neither in the file nor in the
    catalog (a spot price, an unknown hosted model), named by its field."""
    from pathlib import Path

    from ..pipeline.prepare import prepare

    try:
        prepare(scenario, base_dir=Path(path).parent)
    except EdgecalcError as exc:
        return [f"cannot be priced: {exc}"]
    return []


def evaluation_problems(scenario, strict: bool = True) -> list[str]:
    """What keeps a valid scenario from being evaluated (inputs that are each allowed but
    impossible together, such as an offline probability that leaves no online day), and with
    ``strict`` its plausibility warnings not accepted, in words."""
    from ..pipeline.evaluate import evaluate
    from ..pipeline.plausibility import check_plausibility, unaccepted

    try:
        result = evaluate(scenario)
    except EdgecalcError as exc:
        return [f"cannot evaluate: {exc}"]
    if not strict:
        return []
    warnings = unaccepted(check_plausibility(result), scenario.accept_warnings)
    return [f"plausibility: {w}" for w in warnings]

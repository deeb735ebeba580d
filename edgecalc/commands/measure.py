"""``edgecalc measure`` and ``edgecalc echo-server`` (see :mod:`edgecalc.commands.measure_cli`).

``measure --scenario FILE`` takes its defaults from a scenario: the POST payload size is the
workload's ``request_bytes``, the target is the scenario's cloud region (its catalog probe
endpoint) and ``--from`` is the sites' location.
"""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    from . import measure_cli

    measure = measure_cli.add_measure_parser(sub)
    measure.add_argument(
        "--scenario",
        metavar="FILE",
        help="take defaults from a scenario: payload = workload.request_bytes, target = the "
        "cloud region's probe endpoint, --from = the sites' location",
    )
    measure.set_defaults(func=run_measure)
    echo = measure_cli.add_echo_server_parser(sub)
    echo.set_defaults(func=lambda args: args.handler(args))


def run_measure(args) -> int:
    from . import measure_cli
    from .common import EXIT_INVALID, load_or_report

    if args.scenario:
        scenario = load_or_report(args.scenario, [])
        if scenario is None:
            return EXIT_INVALID
        if not args.payload_bytes and args.urls:
            args.payload_bytes = round(_median(scenario.workload.request_bytes))
        if not args.urls and not args.provider:
            provider, _, region = scenario.cloud.region.partition("/")
            args.provider, args.region = provider, [region]
        location = scenario.sites.location
        if args.from_latlon is None and location is not None:
            args.from_latlon = (location.lat, location.lon)
        print(f"measuring with defaults from {args.scenario}", file=sys.stderr)
    return measure_cli.run_measure(args)


def _median(value) -> float:
    from ..scenario.ranges import median

    return median(value)

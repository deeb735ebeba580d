"""The ``edgecalc measure`` and ``edgecalc echo-server`` commands (argparse parts and handlers).

Exit codes of ``edgecalc measure``:

- 0: every target answered at least once in every mode it was measured in;
- 1: at least one target failed every request of a mode (the table and file still hold it);
- 2: a usage error (bad URL, ``--from`` not ``LAT,LON``, catalog unavailable, file not
  writable); a message on stderr, no traceback.

``edgecalc echo-server`` serves until interrupted and exits with 0 (2 when it cannot bind).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from edgecalc.commands.progress import add_no_progress_argument, terminal_progress
from edgecalc.errors import printable
from edgecalc.format import ms
from edgecalc.measure.api import (
    MAX_CONCURRENCY,
    MAX_PAUSE_S,
    MAX_PAYLOAD_BYTES,
    MAX_SAMPLES,
    MAX_SECONDS,
    measure,
)
from edgecalc.measure.echo_server import DEFAULT_MAX_BODY_BYTES, EchoServer
from edgecalc.measure.measurement import Measurement, save_measurement
from edgecalc.measure.probe import DEFAULT_MAX_RESPONSE_BYTES, MODES, PHASES
from edgecalc.measure.stats import PERCENTILE_METHOD_NOTE

EXIT_OK = 0
EXIT_TARGET_FAILED = 1
EXIT_USAGE = 2


def _latlon(text: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = text.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected LAT,LON in degrees (e.g. 48.14,11.58), got {text!r}"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise argparse.ArgumentTypeError(f"latitude or longitude out of range: {text!r}")
    return lat, lon


def _whole(text: str, low: int, high: int) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}, got {value:,}")
    return value


def _seconds(text: str, low: float, high: float, *, zero: bool = False) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text[:40]!r}") from None
    if not math.isfinite(value) or not (low <= value <= high) or (value == low and not zero):
        bound = f"from {low:g}" if zero else f"above {low:g}"
        raise argparse.ArgumentTypeError(f"must be {bound} to {high:,.0f} s, got {text[:40]}")
    return value


def _samples(text: str) -> int:
    return _whole(text, 1, MAX_SAMPLES)


def _concurrency(text: str) -> int:
    return _whole(text, 1, MAX_CONCURRENCY)


def _payload_bytes(text: str) -> int:
    return _whole(text, 0, MAX_PAYLOAD_BYTES)


def _body_bytes(text: str) -> int:
    return _whole(text, 1, 2**40)


def _port(text: str) -> int:
    return _whole(text, 0, 65535)


def _timeout(text: str) -> float:
    return _seconds(text, 0.0, MAX_SECONDS)


def _pause(text: str) -> float:
    return _seconds(text, 0.0, MAX_PAUSE_S, zero=True)


def add_measure_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``measure`` to an argparse sub-parser collection; returns the new parser."""
    parser = subparsers.add_parser(
        "measure",
        help="measure round trips (cold, warm, payload) to URLs or cloud regions",
        description=(
            "Time DNS, connect, TLS, time to first byte and total for cold requests (new "
            "connection each) and warm requests (one kept-alive connection, first request "
            "discarded), and the round trip of a POSTed payload. Percentiles: "
            f"{PERCENTILE_METHOD_NOTE}. Exit codes: 0 all targets answered, 1 a target "
            "failed every request of a mode, 2 usage error."
        ),
    )
    parser.add_argument("urls", nargs="*", metavar="URL", help="http:// or https:// targets")
    parser.add_argument("--provider", choices=["aws", "gcp", "azure"], help="cloud provider")
    parser.add_argument(
        "--region", action="append", default=[], help="region of --provider (repeatable)"
    )
    parser.add_argument(
        "--all", dest="all_regions", action="store_true", help="every region of --provider"
    )
    parser.add_argument(
        "--samples", type=_samples, default=20, help=f"per mode (20; at most {MAX_SAMPLES:,})"
    )
    parser.add_argument(
        "--payload-bytes",
        type=_payload_bytes,
        default=0,
        help="POST this many bytes to each URL target and time the answer; 0 (default) skips "
        "the payload mode. Use the scenario's request_bytes, against an edgecalc echo-server "
        f"(at most {MAX_PAYLOAD_BYTES:,})",
    )
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=8,
        help=f"targets at once (8; at most {MAX_CONCURRENCY})",
    )
    parser.add_argument(
        "--timeout",
        type=_timeout,
        default=5.0,
        help="total per request, lookup to the end of the answer, seconds (5)",
    )
    parser.add_argument("--deadline", type=_timeout, default=120.0, help="whole run, seconds (120)")
    parser.add_argument(
        "--pause", type=_pause, default=0.05, help="between requests to a target, seconds (0.05)"
    )
    parser.add_argument(
        "--max-response-bytes",
        type=_body_bytes,
        default=DEFAULT_MAX_RESPONSE_BYTES,
        help="longest answer read; longer ones fail as too_large (64 MiB)",
    )
    parser.add_argument(
        "--from",
        dest="from_latlon",
        type=_latlon,
        metavar="LAT,LON",
        help="site coordinates: adds the ratio of the minimum RTT to the fibre floor",
    )
    parser.add_argument("--site", help="name of the site, recorded in the measurement")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--out", metavar="FILE.json", help="write the measurement file")
    add_no_progress_argument(parser)
    parser.set_defaults(handler=run_measure)
    return parser


def add_echo_server_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``echo-server`` to an argparse sub-parser collection; returns the new parser."""
    parser = subparsers.add_parser(
        "echo-server",
        help="serve POST/GET echo answers for payload round-trip measurements",
        description=(
            "A small HTTP server to deploy next to a cloud model: POST any body (up to "
            "--max-body-bytes), ?bytes=N returns N bytes, ?delay_ms=D simulates inference. "
            "No file access. Binds to 127.0.0.1 unless --host says otherwise."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8080, help="port (8080; 0 picks one)")
    parser.add_argument(
        "--max-body-bytes",
        type=_body_bytes,
        default=DEFAULT_MAX_BODY_BYTES,
        help="largest request body and answer, bytes (64 MiB)",
    )
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    parser.set_defaults(handler=run_echo_server_command)
    return parser


def _fmt_ms(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:,.1f}" if value >= 10 else f"{value:.2f}"


def format_text(measurement: Measurement) -> str:
    """The measurement as a table a person reads at a glance.

    One block per target: a row per mode and phase with p50, p90 and p99 [ms] and n, the loss
    of each mode on its first row; then failures by kind, requests not run, and the
    fibre-floor ratio when ``--from`` was given.
    """
    summary = measurement.summary_frame()
    failures = measurement.failures()
    floors = measurement.floor_ratios()
    settings = measurement.settings
    lines = [
        f"edgecalc measure  {measurement.created_at}  host {measurement.host}"
        + (f"  site {measurement.site}" if measurement.site else ""),
        f"{settings.get('samples')} samples per mode; warm and payload on a kept-alive "
        f"connection, first request discarded; {PERCENTILE_METHOD_NOTE}",
        "",
    ]
    names = [t.name for t in measurement.targets]
    width = max([len("target"), *map(len, names)])
    header = (
        f"{'target':<{width}}  {'mode':<7}  {'phase':<8}  {'p50 ms':>8}  {'p90 ms':>8}  "
        f"{'p99 ms':>8}  {'n':>3}  loss"
    )
    lines += [header, "-" * len(header)]
    for target in measurement.targets:
        rows = summary[summary["url"] == target.url]
        first_of_target = True
        if rows.empty:
            lines.append(f"{target.name:<{width}}  (no request made)")
        for mode in MODES:
            mode_rows = rows[rows["mode"] == mode]
            first_of_mode = True
            for phase in PHASES:
                row = mode_rows[mode_rows["phase"] == phase]
                if row.empty:
                    continue
                r = row.iloc[0]
                loss = (
                    f"{r['loss']:.0%} ({int(r['failed'])}/{int(r['attempts'])})"
                    if first_of_mode
                    else ""
                )
                lines.append(
                    f"{target.name if first_of_target else '':<{width}}  "
                    f"{mode if first_of_mode else '':<7}  {phase:<8}  "
                    f"{_fmt_ms(r['p50_ms']):>8}  {_fmt_ms(r['p90_ms']):>8}  "
                    f"{_fmt_ms(r['p99_ms']):>8}  {int(r['n']):>3}  {loss}".rstrip()
                )
                first_of_target = first_of_mode = False
    problems = []
    for target in measurement.targets:
        kinds = failures.get(target.url, {})
        not_run = measurement.not_run.get(target.url, {})
        if kinds or not_run:
            text = ", ".join(f"{kind} {count}" for kind, count in kinds.items()) or "none"
            if not_run:
                text += "; not run: " + ", ".join(f"{k} {v}" for k, v in not_run.items())
            example = next(
                (
                    s["error"]
                    for s in measurement.samples
                    if s["target"] == target.url and s["error"]
                ),
                None,
            )
            # the error may quote what a server sent: shown with its control characters escaped
            example = printable(example) if example else None
            problems.append(f"  {target.name}: {text}" + (f" (e.g. {example})" if example else ""))
    if problems:
        lines += ["", "failures by kind:", *problems]
    unusable = measurement.unusable_modes()
    no_figures = [
        f"  {target.name} {mode}: {reason}"
        for target in measurement.targets
        for mode, reason in unusable.get(target.url, {}).items()
    ]
    if no_figures:
        lines += ["", "modes without a figure:", *no_figures]
    if floors:
        lines += ["", "minimum warm RTT against the fibre floor (great circle / 102.1 km per ms):"]
        for target in measurement.targets:
            floor = floors.get(target.url)
            if floor is not None:
                lines.append(
                    f"  {target.name}: {floor['distance_km']:.0f} km, floor "
                    f"{ms(floor['floor_ms'], 2)}, measured {_fmt_ms(floor['min_rtt_ms'])} ms, "
                    "ratio " + (f"{floor['ratio']:.2f}" if math.isfinite(floor["ratio"]) else "-")
                )
    sources = [t for t in measurement.targets if t.source or t.provider]
    if sources:
        lines += ["", "endpoints:"]
        lines += [
            f"  {t.name}: {t.method} {t.url} (source {t.source}, as of {t.as_of})"
            + (f"; {t.note}" if t.note else "")
            for t in sources
        ]
    return "\n".join(lines) + "\n"


def _exit_code(measurement: Measurement) -> int:
    summary = measurement.summary_frame()
    if summary.empty:
        return EXIT_TARGET_FAILED
    per_mode = summary.groupby(["url", "mode"])["n"].max()
    measured_urls = set(summary["url"])
    if (per_mode == 0).any() or len(measured_urls) < len(measurement.targets):
        return EXIT_TARGET_FAILED
    return EXIT_OK


def _unwritable(path: Path) -> str:
    """Why ``path`` cannot take the measurement file, found before measuring; ``""`` if it can."""
    if path.is_dir():
        return "it is a folder; name a file such as site.json"
    if path.exists() and not path.is_file():
        return (
            "it is not a regular file (a device, pipe or socket), which the file written "
            "atomically would replace; name a file such as site.json"
        )
    folder = next((p for p in path.parents if p.exists()), None)
    if folder is not None and not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if folder is not None and not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is not writable"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is not writable"
    return ""


def run_measure(args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    """Handler of ``edgecalc measure``; returns the exit code (see the module docstring)."""
    out = stdout or sys.stdout
    err = sys.stderr
    if not args.urls and not args.provider:
        err.write("edgecalc measure: give target URLs, or --provider with --region or --all\n")
        return EXIT_USAGE
    if args.provider and not (args.region or args.all_regions):
        err.write("edgecalc measure: --provider needs --region R or --all\n")
        return EXIT_USAGE
    if (args.region or args.all_regions) and not args.provider:
        err.write("edgecalc measure: --region and --all need --provider\n")
        return EXIT_USAGE
    if args.out:
        problem = _unwritable(Path(args.out))
        if problem:
            err.write(f"edgecalc measure: cannot write --out {args.out}: {problem}\n")
            return EXIT_USAGE
    progress = terminal_progress(err, "measuring", args.no_progress)
    try:
        measurement = measure(
            args.urls,
            provider=args.provider,
            region=args.region or None,
            all_regions=args.all_regions,
            samples=args.samples,
            payload_bytes=args.payload_bytes,
            concurrency=args.concurrency,
            timeout_s=args.timeout,
            deadline_s=args.deadline,
            pause_s=args.pause,
            from_latlon=args.from_latlon,
            progress=progress,
            site=args.site,
            max_response_bytes=args.max_response_bytes,
        )
    except (ValueError, LookupError, ImportError) as exc:
        err.write(f"edgecalc measure: {exc}\n")
        return EXIT_USAGE
    if args.out:
        try:
            path = save_measurement(measurement, args.out)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            err.write(f"edgecalc measure: cannot write --out {args.out}: {reason}\n")
            return EXIT_USAGE
        err.write(f"measurement written to {path}\n")
    if args.format == "json":
        out.write(json.dumps(measurement.to_dict(), indent=1) + "\n")
    else:
        out.write(format_text(measurement))
    return _exit_code(measurement)


def run_echo_server_command(args: argparse.Namespace) -> int:
    """Handler of ``edgecalc echo-server``: serve until Ctrl-C; returns the exit code."""
    try:
        server = EchoServer(
            (args.host, args.port), max_body_bytes=args.max_body_bytes, verbose=args.verbose
        )
    except OSError as exc:
        sys.stderr.write(f"edgecalc echo-server: cannot listen on {args.host}:{args.port}: {exc}\n")
        return EXIT_USAGE
    sys.stderr.write(
        f"edgecalc echo-server on {server.url} (POST up to {args.max_body_bytes:,} bytes; "
        "?bytes=N, ?delay_ms=D; Ctrl-C stops)\n"
    )
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return EXIT_OK

"""What subcommands share: loading a scenario with ``--set`` overrides and printing errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import limits
from ..errors import EdgecalcError, ScenarioError
from ..scenario import load_scenario, parse_overrides

EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_CANNOT_EVALUATE = 3


def add_set_argument(parser) -> None:
    """``--set KEY=VALUE`` (repeatable) and ``--base-dir DIR`` (for a scenario on stdin)."""
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a field, e.g. --set workload.inferences_per_second=80 "
        "(the value is YAML: 80, true, '{low: 20, high: 60}'); repeatable",
    )
    parser.add_argument(
        "--base-dir",
        metavar="DIR",
        help="with FILE '-' (the scenario on standard input): the folder its `extends` "
        "resolves against (default: the working directory; a measurement file named in it "
        "resolves against the working directory)",
    )


STDIN = "-"
"""The FILE that means standard input."""
STDIN_NAME = "<stdin>"


def load_or_report(path: str, overrides: list[str], base_dir: str | None = None):
    """Load a scenario (``-``: from standard input, ``extends`` resolved against
    ``base_dir``, default the working directory); on error print it to stderr and return
    None."""
    try:
        if path == STDIN:
            return _load_stdin(parse_overrides(overrides), base_dir)
        return load_scenario(Path(path), parse_overrides(overrides))
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        if path == STDIN and any(p.field in ("extends", "sites.file") for p in exc.problems):
            folder = scenario_folder(path, base_dir).resolve()
            print(
                f"{STDIN_NAME}: `extends` resolves against {folder} (--base-dir)", file=sys.stderr
            )
        return None


def _load_stdin(overrides, base_dir: str | None):
    from ..scenario import load_scenario_text
    from ..scenario.yaml_io import MAX_FILE_BYTES

    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)  # one byte over: the loader says too big
    folder = Path(base_dir) if base_dir else Path.cwd()
    return load_scenario_text(data, STDIN_NAME, overrides=overrides, base_dir=folder)


def scenario_folder(path: str, base_dir: str | None) -> Path:
    """The folder a scenario's relative paths resolve against: its own, or for ``-`` the
    ``--base-dir`` (default the working directory)."""
    if path == STDIN:
        return Path(base_dir) if base_dir else Path.cwd()
    return Path(path).parent


def report_evaluation_error(path: str, exc: EdgecalcError) -> int:
    print(f"{path}: cannot evaluate: {exc}", file=sys.stderr)
    return EXIT_CANNOT_EVALUATE


def sample_count(text: str, least: int = 0) -> int:
    """``--samples N``: a whole number from ``least`` to :data:`edgecalc.limits.SAMPLES`
    (argparse type; 0 means no Monte Carlo where a command allows it)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number is needed, got {text!r}") from None
    if not least <= n <= limits.SAMPLES:
        raise argparse.ArgumentTypeError(
            f"{n:,} is outside the allowed {least:,} to {limits.SAMPLES:,} samples"
        )
    return n


def run_sample_count(text: str) -> int:
    """``--samples N`` of a command that always samples: 1 to
    :data:`edgecalc.limits.SAMPLES`."""
    return sample_count(text, least=1)


class OutputError(Exception):
    """``--out`` names a place that cannot be written; the message names it and why."""


def write_output(text: str, out: str | None) -> None:
    """Print, or write atomically to ``out``.

    Raises
    ------
    OutputError
        When ``out`` is empty, a directory, a device, pipe or socket (``/dev/stdout``: a
        rename would replace it), its folder is a file, or it cannot be written.
    """
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from ..io import NotARegularFileError, write_atomic

    if not out.strip():
        raise OutputError("--out is empty; give a file name, or leave --out out to print")
    path = Path(out)
    if path.is_dir():
        raise OutputError(f"--out {out}: is a directory; give a file name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"--out {out}: {parent} is a file, not a folder")
            break
    try:
        write_atomic(path, text)
    except NotARegularFileError:
        raise OutputError(
            f"--out {out}: is not a regular file (a device, pipe or socket), which a file "
            "written atomically would replace; give a file name, or leave --out out to print"
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise OutputError(f"--out {out}: cannot be written ({reason})") from None

"""``edgecalc app [--port N]``: start the browser app (Streamlit) on this machine.

The app is an extra: ``pip install 'edgecalc[app]'`` adds Streamlit and pyarrow, which the
command line, CI and the pre-commit hook do without. It runs from a clone of the repository
(``app.py`` and ``app_pages/`` beside the package; ``make app`` does all of it). When the port
asked for is taken, the next free one is used and the command says so.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
from pathlib import Path

from .common import EXIT_USAGE

DEFAULT_PORT = 8501
"""Streamlit's own default port."""
PORTS_TRIED = 20
"""How many ports from the one asked for are tried before giving up."""
APP_FILE = Path(__file__).resolve().parents[2] / "app.py"
"""The app's entry point in a clone of the repository."""
INSTALL_HINT = (
    "the app needs the 'app' extra: pip install 'edgecalc[app]' "
    "(in a clone of the repository: make app)"
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "app", help="start the browser app (needs the 'app' extra)", description=__doc__
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="first port to try (8501)")
    p.add_argument(
        "--address",
        default="127.0.0.1",
        help="address to serve on (default 127.0.0.1: this machine only)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    if not streamlit_installed():
        print(f"edgecalc app: {INSTALL_HINT}", file=sys.stderr)
        return EXIT_USAGE
    if not APP_FILE.exists():
        print(
            "edgecalc app: the app runs from a clone of the edgecalc repository (app.py and "
            "app_pages/ are not in the installed package): clone it and run `make app`",
            file=sys.stderr,
        )
        return EXIT_USAGE
    port = free_port(args.address, args.port)
    if port is None:
        print(
            f"edgecalc app: ports {args.port}-{args.port + PORTS_TRIED - 1} are all in use; "
            "give another with --port",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if port != args.port:
        print(f"edgecalc app: port {args.port} is in use, so the app moves to port {port}")
    print(f"edgecalc app: http://{args.address}:{port}  (Ctrl+C stops it)", flush=True)
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP_FILE),
        "--server.address", args.address, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    return subprocess.run(command, cwd=APP_FILE.parent, check=False).returncode


def streamlit_installed() -> bool:
    """Whether Streamlit can be imported (without importing it)."""
    try:
        return importlib.util.find_spec("streamlit") is not None
    except (ImportError, ValueError):
        return False


def free_port(address: str, first: int) -> int | None:
    """The first port from ``first`` on that nothing listens on at ``address`` (None: none of
    :data:`PORTS_TRIED`)."""
    for port in range(first, min(first + PORTS_TRIED, 65536)):
        with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as s:
            try:
                s.bind((address, port))
            except OSError:
                continue
            return port
    return None

"""The app served on 0.0.0.0, asked over raw HTTP (through 127.0.0.1) for files of the
server: nothing of them comes back, whatever the path spelling (issue 10: the app reads only
the files it ships and never echoes a server file). Runs in ``make test``: no browser needed."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lines that only these files hold: the server's password file and the app's own source.
MARKERS = ["root:x:0:0", "def accept_upload(", "EDGECALC_MEASURE_ALLOW"]
PATHS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/app/static/../../../../etc/passwd",
    "/app/static/..%2f..%2fapp_pages%2fstate.py",
    "/app_pages/state.py",
    "/app_pages/measure_policy.py",
    "/scenarios/../app_pages/state.py",
    "/media/../../etc/passwd",
    "/component/..%2f..%2fapp_pages%2fstate.py",
    "/_stcore/../app_pages/state.py",
    "/static/../app_pages/state.py",
    "//etc/passwd",
    "/\\..\\..\\etc\\passwd",
]


@pytest.fixture(scope="module")
def public_app(launch_app) -> str:
    return launch_app("0.0.0.0")


def _raw_get(base: str, path: str) -> bytes:
    """GET with the path sent byte for byte (an HTTP client would normalise it)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("path", PATHS)
def test_no_server_file_is_served_whatever_the_path(public_app, path):
    answer = _raw_get(public_app, path).decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.1 "), answer[:200]
    for marker in MARKERS:
        assert marker not in answer, (path, marker)

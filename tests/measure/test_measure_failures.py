"""Dead, silent, garbled and failing targets: each reported as its kind, within the deadline."""

import argparse
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from edgecalc.commands.measure_cli import add_measure_parser
from edgecalc.measure.api import measure

TIMEOUT_S = 0.8  # per request: generous for a busy 2-core machine, far below the deadline
DEADLINE_S = 5.0
SAMPLES = 3


def _listener() -> tuple[socket.socket, int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    return listener, listener.getsockname()[1]


@pytest.fixture
def refused_url():
    # Bind, learn the port, close: nothing listens there any more.
    listener, port = _listener()
    listener.close()
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def silent_url():
    """Accepts connections (the kernel does, from the backlog) and never answers."""
    listener, port = _listener()
    yield f"http://127.0.0.1:{port}/"
    listener.close()


@pytest.fixture
def garbage_url():
    """Reads the request, answers bytes that are not HTTP, closes."""
    listener, port = _listener()

    def loop() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"SSH-2.0-not-http\r\n\r\nrubbish\r\n")

    threading.Thread(target=loop, daemon=True).start()
    yield f"http://127.0.0.1:{port}/"
    listener.close()


class _Status500(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"boom"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def status_500_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Status500)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _measure(url: str):
    started = time.monotonic()
    m = measure(url, samples=SAMPLES, timeout_s=TIMEOUT_S, deadline_s=DEADLINE_S, pause_s=0.0)
    return m, time.monotonic() - started


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("refused_url", "refused"),
        ("silent_url", "timeout"),
        ("garbage_url", "protocol"),
        ("status_500_url", "http_status"),
    ],
)
def test_each_failure_is_reported_as_its_kind(fixture, kind, request):
    url = request.getfixturevalue(fixture)
    m, elapsed_s = _measure(url)
    assert elapsed_s < DEADLINE_S + 0.5
    failures = m.failures()[url]
    assert set(failures) == {kind}
    assert m.loss()[url]["all"] == 1.0
    # Three failures in a row give the target up: of the 3 cold + 4 warm requests planned
    # (payload_bytes is 0: no payload mode), 3 were made and 4 are not.
    assert failures[kind] == 3
    assert m.not_run[url] == {"abandoned": SAMPLES + (SAMPLES + 1) - 3}
    if kind == "http_status":
        assert {s["status"] for s in m.samples} == {500}


def test_unresolvable_host_fails_fast_as_dns():
    # A name under .invalid never resolves (RFC 6761): no network needed to fail.
    url = "http://edgecalc-test.invalid/"
    m, elapsed_s = _measure(url)
    assert elapsed_s < DEADLINE_S
    assert set(m.failures()[url]) == {"dns"}
    assert all("does not resolve" in s["error"] for s in m.samples)


def test_a_slow_target_cannot_outlast_the_deadline(silent_url):
    # 3 cold samples with 5 s timeouts would take 15 s; the deadline of 0.6 s stops them.
    started = time.monotonic()
    m = measure(silent_url, samples=3, timeout_s=5.0, deadline_s=0.6, pause_s=0.0)
    elapsed_s = time.monotonic() - started
    assert elapsed_s < 0.6 + 0.5
    # 3 cold + 4 warm requests planned (no payload mode): each was made or is not_run.
    assert len(m.samples) + sum(m.not_run[silent_url].values()) == 3 + 4
    assert m.not_run[silent_url].get("deadline", 0) > 0


def test_a_dead_target_does_not_spoil_a_live_one(silent_url, status_500_url):
    m = measure([silent_url, status_500_url], samples=2, timeout_s=TIMEOUT_S, deadline_s=3.0)
    failures = m.failures()
    assert set(failures[silent_url]) == {"timeout"}
    assert set(failures[status_500_url]) == {"http_status"}


def test_cli_reports_failures_without_traceback_and_exits_1(refused_url, capsys):
    parser = argparse.ArgumentParser()
    add_measure_parser(parser.add_subparsers())
    args = parser.parse_args(
        ["measure", refused_url, "--samples", "2", "--timeout", "0.5", "--deadline", "3"]
    )
    assert args.handler(args) == 1
    out = capsys.readouterr().out
    assert "refused 3" in out
    assert "not run: abandoned 0" not in out

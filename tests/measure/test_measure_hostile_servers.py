"""Hostile servers on 127.0.0.1: each request ends by its deadline, answers are bounded, a
redirect is never followed, and the kind of every failure is the one a user would name
(issue 10, items 5, 6 and 16)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from edgecalc.measure.api import measure
from edgecalc.measure.probe import cold_request


def _serve(handle: Callable[[socket.socket], None]) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that runs ``handle(conn)`` for each connection."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_guarded, args=(handle, conn), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    listener.close()


def _guarded(handle: Callable[[socket.socket], None], conn: socket.socket) -> None:
    with conn:
        try:
            handle(conn)
        except OSError:
            pass


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _drip(conn: socket.socket) -> None:
    """Answers one byte every 0.1 s, for ever: no read ever waits long enough to time out."""
    _read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(100_000):
        conn.sendall(b"X-Slow: a\r\n"[:1])
        time.sleep(0.1)


@pytest.fixture
def drip_url():
    yield from _serve(_drip)


def _measure_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("edgecalc-measure-")]


def test_a_dripping_server_cannot_stretch_a_request_past_its_deadline(drip_url):
    # Each read gets a byte within 0.1 s, so the 5 s step timeout never fires; the request's
    # total deadline (timeout_s = 0.6 s from its start) does.
    started = time.monotonic()
    result = cold_request(drip_url, timeout_s=0.6)
    elapsed_s = time.monotonic() - started
    assert not result.ok and result.kind == "timeout"
    assert "deadline" in result.error
    assert elapsed_s < 0.6 + 0.5


def test_the_run_ends_at_its_deadline_and_leaves_no_request_running(drip_url):
    started = time.monotonic()
    m = measure(drip_url, samples=5, timeout_s=30.0, deadline_s=1.0, pause_s=0.0)
    elapsed_s = time.monotonic() - started
    assert elapsed_s < 1.0 + 0.25 + 0.5
    assert set(m.failures()[drip_url]) == {"timeout"}
    # The workers end with their last request, which the deadline ended: none lingers.
    for _ in range(20):
        if not [t for t in _measure_threads() if t.name != "edgecalc-measure-deadlines"]:
            break
        time.sleep(0.05)
    lingering = [t.name for t in _measure_threads() if t.name != "edgecalc-measure-deadlines"]
    assert lingering == []


DRIP_ARGS = ["--samples", "3", "--timeout", "60", "--deadline", "1.5", "--no-progress"]


def test_the_cli_exits_at_the_deadline_against_a_dripping_server(drip_url):
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "edgecalc.cli", "measure", drip_url, *DRIP_ARGS],
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed_s = time.monotonic() - started
    # The interpreter's start and imports take a few seconds on a busy machine; before the
    # fix the process never exited at all (a worker thread kept it alive).
    assert elapsed_s < 1.5 + 20
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "timeout 1" in proc.stdout


def _huge_body(conn: socket.socket) -> None:
    """200 OK with a body of 10 GB announced and sent as fast as the client reads it."""
    _read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n")
    chunk = bytes(65536)
    for _ in range(10_000_000_000 // len(chunk)):
        conn.sendall(chunk)


def _endless_chunked(conn: socket.socket) -> None:
    """200 OK, chunked, with chunks that never end (no length announced)."""
    _read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"10000\r\n" + bytes(0x10000) + b"\r\n"
    for _ in range(1_000_000):
        conn.sendall(chunk)


@pytest.fixture
def huge_url():
    yield from _serve(_huge_body)


@pytest.fixture
def endless_url():
    yield from _serve(_endless_chunked)


def test_an_announced_10_gb_body_fails_at_once_as_too_large(huge_url):
    result = cold_request(huge_url, timeout_s=5.0, max_response_bytes=1_000_000)
    assert not result.ok and result.kind == "too_large"
    assert "10,000,000,000 bytes" in result.error
    assert result.response_bytes == 0


def test_an_endless_body_is_read_only_up_to_the_cap(endless_url):
    # 4 MiB cap: read in chunks and discarded; the failure names its limit.
    result = cold_request(endless_url, timeout_s=10.0, max_response_bytes=4 * 1024 * 1024)
    assert not result.ok and result.kind == "too_large"
    assert "4,194,304 bytes" in result.error


class _Recorder:
    """Remembers the request lines a server received."""

    def __init__(self) -> None:
        self.lines: list[str] = []


@pytest.fixture
def redirect_server():
    seen = _Recorder()

    def handle(conn: socket.socket) -> None:
        request = _read_request(conn)
        line = request.split(b"\r\n", 1)[0].decode()
        seen.lines.append(line)
        if " /ok" in line:
            answer = b"HTTP/1.1 302 Found\r\nLocation: /secret-admin\r\nContent-Length: 0\r\n\r\n"
        else:
            answer = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret"
        conn.sendall(answer)

    for url in _serve(handle):
        yield url + "ok", seen


def test_a_redirect_is_a_failure_and_is_never_followed(redirect_server):
    url, seen = redirect_server
    m = measure(url, samples=2, timeout_s=2.0, deadline_s=10.0, pause_s=0.0)
    assert set(m.failures()[url]) == {"redirect"}
    assert all(s["status"] == 302 for s in m.samples)
    assert "redirects are not followed" in m.samples[0]["error"]
    assert "/secret-admin" in m.samples[0]["error"]  # where it points, for the user to measure
    assert seen.lines and all(line.startswith("GET /ok ") for line in seen.lines)
    assert m.summary_frame()["n"].max() == 0  # a redirect never counts as a latency


@pytest.fixture
def silent_tls_url():
    """Accepts TCP connections and never says a word: the TLS handshake cannot finish."""
    for url in _serve(lambda conn: time.sleep(5)):
        yield url.replace("http://", "https://")


def test_tls_to_a_silent_server_is_a_tls_failure(silent_tls_url):
    result = cold_request(silent_tls_url, timeout_s=0.8)
    assert not result.ok and result.kind == "tls", result
    assert "TLS handshake" in result.error


@pytest.mark.parametrize("deadline_passed", [True, False])
def test_an_unfinished_tls_handshake_reads_the_same_whichever_timeout_ends_it(deadline_passed):
    # the client's own timeout (the same limit) may end the handshake before the watchdog does:
    # the user reads the same words either way (the raw ssl text was shown before)
    from edgecalc.measure.probe import failure_words

    exc = httpx.ConnectTimeout("_ssl.c:989: The handshake operation timed out")
    kind, error = failure_words(exc, "tls", deadline_passed, 0.8)
    assert kind == "tls"
    assert error == "no end of the TLS handshake within 0.8 s (the request's deadline)"


def test_other_failures_keep_their_words_unless_the_deadline_ended_them():
    from edgecalc.measure.probe import failure_words

    refused = ConnectionRefusedError(111, "Connection refused")
    assert failure_words(refused, "refused", False, 2.0) == (
        "refused",
        "ConnectionRefusedError: [Errno 111] Connection refused",
    )
    assert failure_words(refused, "refused", True, 2.0) == (
        "timeout",
        "no end of a complete answer within 2 s (the request's deadline)",
    )


@pytest.fixture
def http10_url():
    """HTTP/1.0: answers and closes the connection every time."""

    def handle(conn: socket.socket) -> None:
        _read_request(conn)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")

    yield from _serve(handle)


def test_a_server_that_closes_every_connection_says_why_there_is_no_warm_rtt(http10_url):
    m = measure(http10_url, samples=3, timeout_s=2.0, deadline_s=10.0, pause_s=0.0)
    reasons = m.unusable_modes()[http10_url]
    assert set(reasons) == {"warm"}
    assert "closed the connection after every answer" in reasons["warm"]
    from edgecalc.commands.measure_cli import format_text

    text = format_text(m)
    assert "closed the connection after every answer" in text

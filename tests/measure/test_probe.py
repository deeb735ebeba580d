"""Phase timing against servers started on 127.0.0.1: a delaying server and a throttling proxy."""

import socket
import threading
import time

import numpy as np
import pytest

from edgecalc.measure.api import measure
from edgecalc.measure.echo_server import serve_in_thread
from edgecalc.measure.probe import DnsLookupError, cold_request, resolve

DELAY_S = 0.025
BANDWIDTH_BYTES_PER_S = 4_000_000
PAYLOAD_BYTES = 1_000_000


def _serve(listener: socket.socket, handle) -> None:
    """Accept connections on ``listener`` and run ``handle(conn)`` for each in a thread."""

    def loop() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def _listener() -> tuple[socket.socket, int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    return listener, listener.getsockname()[1]


@pytest.fixture
def delaying_server():
    """A minimal keep-alive HTTP server that answers every request after DELAY_S.

    Hand-written on purpose: http.server's own request handling costs about a millisecond on
    a slow machine, which would blur the 2 ms check below.
    """
    body = b"ok"
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\n" + body

    def handle(conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                _, buffer = buffer.split(b"\r\n\r\n", 1)
                time.sleep(DELAY_S)
                conn.sendall(answer)

    listener, port = _listener()
    _serve(listener, handle)
    yield f"http://127.0.0.1:{port}/"
    listener.close()


@pytest.fixture
def throttled_echo():
    """An echo server behind a TCP proxy that forwards uploads at BANDWIDTH_BYTES_PER_S."""
    server, _ = serve_in_thread()
    upstream_port = server.server_address[1]
    chunk_bytes = 16 * 1024

    def pump(source: socket.socket, sink: socket.socket, throttle: bool) -> None:
        next_send = time.perf_counter()
        try:
            while chunk := source.recv(chunk_bytes):
                if throttle:
                    # Token pacing: chunk k may leave no earlier than sum(previous) / bandwidth.
                    now = time.perf_counter()
                    next_send = max(next_send, now)
                    if next_send > now:
                        time.sleep(next_send - now)
                    next_send += len(chunk) / BANDWIDTH_BYTES_PER_S
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def handle(client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
        for s in (client, upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        uploader = threading.Thread(target=pump, args=(client, upstream, True), daemon=True)
        uploader.start()
        pump(upstream, client, False)
        uploader.join()
        client.close()
        upstream.close()

    listener, port = _listener()
    _serve(listener, handle)
    yield f"http://127.0.0.1:{port}/"
    listener.close()
    server.shutdown()
    server.server_close()


def _closest_of_attempts(url: str, attempts: int = 5):
    """Measure up to ``attempts`` times and keep the run whose warm median is nearest the
    server's delay: on a busy 2-core machine the scheduler can add milliseconds to a whole
    run, while a tool that measured the wrong thing would be off in every run."""
    best = None
    for _ in range(attempts):
        frame = measure(url, samples=20, modes=("cold", "warm"), pause_s=0.0).to_frame()
        warm = frame[(frame["mode"] == "warm") & (frame["phase"] == "ttfb")]["ms"]
        error = abs(float(np.median(warm)) - DELAY_S * 1000)
        if best is None or error < best[0]:
            best = (error, frame)
        if error < 1.0:
            break
    return best[1]


def test_warm_p50_is_the_server_delay_and_cold_adds_the_connect(delaying_server):
    frame = _closest_of_attempts(delaying_server)

    def phase(mode: str, name: str) -> np.ndarray:
        return frame[(frame["mode"] == mode) & (frame["phase"] == name)]["ms"].to_numpy()

    warm_ttfb = phase("warm", "ttfb")
    assert warm_ttfb.size == 20  # the warm-up request is not among them
    # never below the server's delay (a little clock slack), and above it by at most what a
    # busy machine's scheduler adds to a loopback round trip
    assert -0.5 < np.median(warm_ttfb) - DELAY_S * 1000 < 3.0
    # Warm requests reuse the connection: no connect phase at all.
    assert phase("warm", "connect").size == 0
    connect = phase("cold", "connect")
    assert connect.size == 20 and np.all(connect > 0)
    # Cold = connect + the same request; the difference of the medians is the connect cost
    # (loopback: a fraction of a millisecond) give or take scheduling noise.
    cold_extra_ms = np.median(phase("cold", "total")) - np.median(phase("warm", "total"))
    # At least most of the connect cost, and not much more than it: a new client per cold
    # request also pays its own set-up, a millisecond or two on a busy machine.
    assert cold_extra_ms >= 0.5 * np.median(connect)
    assert cold_extra_ms <= np.median(connect) + 5.0


def test_payload_time_follows_the_uplink_bandwidth(throttled_echo):
    # 1,000,000 bytes at 4,000,000 bytes/s = 250 ms; the answer is a short JSON line.
    expected_ms = PAYLOAD_BYTES / BANDWIDTH_BYTES_PER_S * 1000  # 250 ms
    best = None
    for _ in range(3):  # the closest of up to three runs, as for the delay test above
        m = measure(
            throttled_echo,
            samples=3,
            payload_bytes=PAYLOAD_BYTES,
            modes=("payload",),
            pause_s=0.0,
        )
        frame = m.to_frame()
        totals = frame[(frame["mode"] == "payload") & (frame["phase"] == "total")]["ms"]
        assert len(totals) == 3
        error = abs(float(np.median(totals)) - expected_ms)
        if best is None or error < best:
            best = error
        if error < 0.05 * expected_ms:
            break
    assert best <= 0.15 * expected_ms


def test_cold_request_to_echo_server_has_all_plain_http_phases():
    server, url = serve_in_thread()
    try:
        result = cold_request(url.replace("127.0.0.1", "localhost"), timeout_s=2.0)
    finally:
        server.shutdown()
        server.server_close()
    assert result.ok and result.status == 200 and result.new_connection
    assert {"dns", "connect", "request", "ttfb", "response", "total"} <= set(result.phases_ms)
    assert "tls" not in result.phases_ms  # plain http
    # The total runs from the lookup to the end of the body: it holds the other phases.
    parts = sum(result.phases_ms[p] for p in ("dns", "connect", "ttfb", "response"))
    assert result.phases_ms["total"] >= parts


def test_resolving_an_ip_literal_skips_dns():
    resolved = resolve("http://127.0.0.1:9/x", timeout_s=1.0)
    assert resolved.dns_ms is None and resolved.host_header == "127.0.0.1:9"


def test_resolving_an_invalid_name_fails_as_dns():
    # .invalid never resolves (RFC 6761).
    with pytest.raises(DnsLookupError, match="does not resolve"):
        resolve("http://edgecalc-test.invalid/", timeout_s=2.0)

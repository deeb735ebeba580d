"""Benchmark: ``edgecalc measure`` stays bounded against hostile servers on loopback.

Two figures:

1. **Memory against an endless answer**: a server on 127.0.0.1 sends a chunked body without
   end; one cold request with the default cap (64 MiB) reads it, streamed and discarded. The
   growth of this process's peak resident memory during the request is printed; the target is
   well under the cap (the body is never held: about one chunk at a time). Before the fix the
   whole body was buffered (a 10 GB body reached 3.6 GB).
2. **Time against a dripping server**: a server that answers one byte every 0.1 s; a run with
   ``timeout_s=60`` and ``deadline_s=2`` must return by about 2.25 s and leave no worker thread.

Run: ``.venv/bin/python benchmarks/bench_measure_bounds.py``.
"""

from __future__ import annotations

import resource
import socket
import threading
import time

from edgecalc.measure.api import measure
from edgecalc.measure.probe import DEFAULT_MAX_RESPONSE_BYTES, cold_request


def _serve(handle) -> str:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def loop() -> None:
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=_guarded, args=(handle, conn), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}/"


def _guarded(handle, conn) -> None:
    with conn:
        try:
            conn.recv(65536)
            handle(conn)
        except OSError:
            pass


def _endless(conn) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"10000\r\n" + bytes(0x10000) + b"\r\n"
    while True:
        conn.sendall(chunk)


def _drip(conn) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    while True:
        conn.sendall(b"X")
        time.sleep(0.1)


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    """Print the figures."""
    endless, drip = _serve(_endless), _serve(_drip)
    before = _peak_rss_mib()
    started = time.perf_counter()
    result = cold_request(endless, timeout_s=60)
    read_s = time.perf_counter() - started
    growth = _peak_rss_mib() - before
    cap_mib = DEFAULT_MAX_RESPONSE_BYTES / 2**20
    print(f"endless answer: kind {result.kind} after {read_s:.2f} s ({cap_mib:.0f} MiB cap)")
    print(f"  peak memory growth {growth:.1f} MiB (target: far below {cap_mib:.0f} MiB)")
    started = time.perf_counter()
    m = measure(drip, samples=5, timeout_s=60, deadline_s=2, pause_s=0)
    wall_s = time.perf_counter() - started
    time.sleep(0.5)
    workers = [t.name for t in threading.enumerate() if t.name.startswith("edgecalc-measure-")]
    workers = [name for name in workers if name != "edgecalc-measure-deadlines"]
    print(f"dripping server: run returned after {wall_s:.2f} s (deadline 2 s + 0.25 s grace)")
    print(f"  failures {m.failures()[drip]}; worker threads left 0.5 s later: {len(workers)}")


if __name__ == "__main__":
    main()

"""Benchmark of ``edgecalc measure`` on loopback.

Two figures:

1. **Concurrency**: 30 local echo servers x 20 samples, all measured at once
   (``concurrency=30``); the wall time of the run against the slowest target's own time
   measured alone. A ratio near 1 means targets do not wait for each other; the ratio at the
   default ``concurrency=8`` is printed too (about 30 / 8 rounds).
2. **Connect overhead**: the tool's ``connect`` phase (httpx, via the trace extension) against
   a bare ``socket.create_connection`` on loopback, medians of 200 each.

Run: ``.venv/bin/python benchmarks/bench_measure.py``. The echo servers run in one child
process so that their Python work does not compete with the measuring process for the GIL.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import numpy as np

from edgecalc.measure.api import measure
from edgecalc.measure.probe import cold_request

TARGETS = 30
SAMPLES = 20
DELAY_MS = 5.0
CONNECTS = 200

_SERVERS = """
import sys, threading
from edgecalc.measure.echo_server import EchoServer
servers = [EchoServer(("127.0.0.1", 0)) for _ in range(int(sys.argv[1]))]
for s in servers:
    threading.Thread(target=s.serve_forever, daemon=True).start()
print(" ".join(s.url for s in servers), flush=True)
sys.stdin.read()
"""


def _start_servers(count: int) -> tuple[subprocess.Popen, list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVERS, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().split()


def concurrency_figures(urls: list[str]) -> dict[str, float]:
    """Wall time of all targets at once against the slowest target alone [s]."""
    targets = [f"{url}?delay_ms={DELAY_MS:g}" for url in urls]
    common = {"samples": SAMPLES, "modes": ("cold", "warm"), "deadline_s": 300.0}
    alone_s = []
    for target in targets[:3]:  # three targets alone; they are alike, the slowest stands for all
        started = time.perf_counter()
        measure(target, concurrency=1, **common)
        alone_s.append(time.perf_counter() - started)
    figures = {"slowest_alone_s": max(alone_s)}
    for concurrency in (len(targets), 8):
        started = time.perf_counter()
        m = measure(targets, concurrency=concurrency, **common)
        wall_s = time.perf_counter() - started
        lost = sum(not s["ok"] for s in m.samples)
        figures[f"wall_c{concurrency}_s"] = wall_s
        figures[f"ratio_c{concurrency}"] = wall_s / figures["slowest_alone_s"]
        figures[f"failed_c{concurrency}"] = lost
    return figures


def connect_figures(url: str) -> dict[str, float]:
    """Median connect time: the tool's connect phase against a bare socket connect [ms]."""
    host, port = "127.0.0.1", int(url.rsplit(":", 1)[1].strip("/"))
    bare_ms = []
    for _ in range(CONNECTS):
        started = time.perf_counter()
        sock = socket.create_connection((host, port), timeout=5)
        bare_ms.append((time.perf_counter() - started) * 1000)
        sock.close()
    tool_ms = []
    for _ in range(CONNECTS):
        result = cold_request(url, timeout_s=5)
        tool_ms.append(result.phases_ms["connect"])
    bare, tool = float(np.median(bare_ms)), float(np.median(tool_ms))
    return {"bare_connect_p50_ms": bare, "tool_connect_p50_ms": tool, "overhead_ms": tool - bare}


def main() -> None:
    """Print the figures."""
    proc, urls = _start_servers(TARGETS)
    try:
        c = concurrency_figures(urls)
        k = connect_figures(urls[0])
    finally:
        proc.kill()
        proc.wait()
    print(f"edgecalc measure benchmark: {TARGETS} loopback targets x {SAMPLES} samples")
    print(f"  slowest target alone:          {c['slowest_alone_s']:.2f} s")
    for concurrency in (TARGETS, 8):
        print(
            f"  all at once, concurrency {concurrency:>2}:  {c[f'wall_c{concurrency}_s']:.2f} s"
            f"  ratio {c[f'ratio_c{concurrency}']:.2f}"
            f"  ({c[f'failed_c{concurrency}']} failed requests)"
        )
    print(
        f"  connect p50: tool {k['tool_connect_p50_ms']:.3f} ms, bare socket "
        f"{k['bare_connect_p50_ms']:.3f} ms, overhead {k['overhead_ms']:.3f} ms"
    )


if __name__ == "__main__":
    main()

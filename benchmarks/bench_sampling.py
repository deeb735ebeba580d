"""Time and peak memory of drawing 1,000,000 samples of 30 ranged inputs.

Run: ``.venv/bin/python benchmarks/bench_sampling.py``. Prints three figures:

1. all samples at once (30 arrays of 1e6 float64 = 240 MB of results);
2. the same in chunks of 100,000 (what a streamed simulation does), keeping one running sum;
3. the exact streaming fan of 1e6 samples x 60 months (one option) with StreamingQuantiles.

Peak memory is from ``tracemalloc`` (numpy reports its buffers to it), so it counts Python and
numpy allocations, not the interpreter's baseline.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from edgecalc.uncertainty import (
    StreamingQuantiles,
    correlated_uniforms,
    iter_seeded_chunks,
    ppf,
)

SAMPLES = 1_000_000
CHUNK = 100_000
MONTHS = 60

# 30 inputs: a mix of the four distributions, some bounded
RANGES: dict[str, dict] = {}
for k in range(30):
    kind = k % 4
    if kind == 0:
        RANGES[f"x{k}"] = {"low": 10.0 + k, "high": 40.0 + 3 * k}
    elif kind == 1:
        RANGES[f"x{k}"] = {"low": -5.0, "high": 5.0 + k, "min": -8.0}
    elif kind == 2:
        RANGES[f"x{k}"] = {"low": 0.0, "high": 1.0 + k, "dist": "triangular", "mode": 0.5}
    else:
        RANGES[f"x{k}"] = {"low": 1.0, "high": 2.0 + k, "dist": "uniform"}
CORRELATIONS = {("x0", "x1"): 0.6, ("x0", "x4"): 0.4, ("x8", "x9"): -0.3}


def draw(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Correlated uniforms, then each input's inverse CDF."""
    u = correlated_uniforms(n, list(RANGES), CORRELATIONS, rng)
    return {name: ppf(u[name], **spec) for name, spec in RANGES.items()}


def measure(label: str, work: Callable[[], object]) -> None:
    """Print wall time and tracemalloc peak of ``work()``."""
    tracemalloc.start()
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    _, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<58} {seconds:7.2f} s   peak {peak_bytes / 2**20:8.1f} MiB")


def all_at_once() -> dict[str, np.ndarray]:
    return draw(SAMPLES, np.random.default_rng(0))


def chunked() -> float:
    total = 0.0
    for chunk, rng in iter_seeded_chunks(SAMPLES, CHUNK, seed=0):
        samples = draw(chunk.size, rng)
        total += float(sum(x.sum() for x in samples.values()))
    return total


def streaming_fan() -> np.ndarray:
    stream = StreamingQuantiles()
    for chunk, rng in iter_seeded_chunks(SAMPLES, CHUNK, seed=0):
        monthly_usd = rng.lognormal(8.0, 0.5, size=(chunk.size, MONTHS))
        stream.update(np.cumsum(monthly_usd, axis=1))
    return stream.result()


def main() -> None:
    print(f"{SAMPLES:,} samples of {len(RANGES)} inputs ({len(CORRELATIONS)} correlations)")
    measure("all at once", all_at_once)
    measure(f"in chunks of {CHUNK:,}", chunked)
    measure(f"exact streaming fan, {MONTHS} months, one option", streaming_fan)


if __name__ == "__main__":
    main()

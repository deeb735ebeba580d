"""Speed and memory of Monte Carlo (issue 5).

Run: ``.venv/bin/python benchmarks/bench_simulate.py [SAMPLES]``. Prints:

1. 10,000 samples x 60 months x 3 options: the time of ``simulate`` divided by the time of one
   deterministic ``evaluate`` (the aim is under 30: vectorised, not a loop);
2. 1,000,000 samples (or ``SAMPLES``): wall time, ``tracemalloc`` peak (numpy reports its
   buffers to it) and the process's peak resident set (``resource.getrusage``, which includes
   the interpreter and libraries).

The scenario is ``tests/fixtures/uncertainty/volume.yaml`` (five ranged inputs, one rank
correlation, 60 months, cloud, edge and hybrid).
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

import edgecalc
from edgecalc.scenario import load_scenario
from edgecalc.uncertainty.simulate import simulate

SCENARIO = Path(__file__).resolve().parent.parent / "tests/fixtures/uncertainty/volume.yaml"


def _best_of(n: int, work) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main(large_samples: int = 1_000_000) -> None:
    """Print the speed ratio and the large run's time and memory."""
    scenario = load_scenario(SCENARIO)
    edgecalc.evaluate(scenario)  # warm the catalog cache
    simulate(scenario, samples=1_000)
    evaluate_s = _best_of(5, lambda: edgecalc.evaluate(scenario))
    simulate_s = _best_of(3, lambda: simulate(scenario, samples=10_000))
    print(f"scenario: {SCENARIO.name}")
    print(f"evaluate (deterministic):        {evaluate_s * 1e3:8.1f} ms")
    print(f"simulate 10,000 x 60 x 3:        {simulate_s * 1e3:8.1f} ms")
    print(f"ratio simulate / evaluate:       {simulate_s / evaluate_s:8.1f}  (aim < 30)")

    tracemalloc.start()
    start = time.perf_counter()
    sim = simulate(scenario, samples=large_samples)
    wall_s = time.perf_counter() - start
    _, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    verdict = "holds" if wall_s < 10 else "MISSED"
    print(f"simulate {large_samples:,} samples:  {wall_s:8.1f} s wall  (aim < 10 s: {verdict})")
    print(f"  tracemalloc peak:              {peak_bytes / 1e6:8.1f} MB  (aim < 1000)")
    print(f"  peak resident set (process):   {rss_kib / 1e3:8.1f} MB")
    print(f"  recommendation holds in {sim.stability:.1%} of samples")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

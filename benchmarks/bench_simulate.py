"""Speed and memory of Monte Carlo (issue 5).

Run: ``.venv/bin/python benchmarks/bench_simulate.py [SAMPLES]``. Prints:

1. 10,000 samples x 60 months x 3 options: the time of ``simulate`` divided by the time of one
   deterministic ``evaluate`` (the aim is under 30: vectorised, not a loop);
2. 1,000,000 samples (or ``SAMPLES``), in a child process of its own: wall time and that
   process's peak resident set (``resource.getrusage``, which includes the interpreter and
   libraries). ``tracemalloc`` is not on during the timed run: it traces every numpy buffer and
   made the run about 1.5 times slower (200,000 samples: 3.7 s plain, 5.7 s traced, one run).

The scenario is ``tests/fixtures/uncertainty/volume.yaml`` (five ranged inputs, one rank
correlation, 60 months, cloud, edge and hybrid).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import edgecalc
from edgecalc.scenario import load_scenario
from edgecalc.uncertainty.simulate import simulate

_LARGE_RUN = """
import resource, sys, time
from edgecalc.scenario import load_scenario
from edgecalc.uncertainty.simulate import simulate
scenario = load_scenario(sys.argv[1])
simulate(scenario, samples=1_000)
start = time.perf_counter()
sim = simulate(scenario, samples=int(sys.argv[2]))
wall_s = time.perf_counter() - start
print(wall_s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, sim.stability)
"""
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

    done = subprocess.run(
        [sys.executable, "-c", _LARGE_RUN, str(SCENARIO), str(large_samples)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall_s, rss_bytes, stability = (float(v) for v in done.stdout.split())
    verdict = "holds" if wall_s < 10 else "MISSED"
    print(f"simulate {large_samples:,} samples:  {wall_s:8.1f} s wall  (aim < 10 s: {verdict})")
    memory = "holds" if rss_bytes < 1e9 else "MISSED"
    print(f"  peak resident set (process):   {rss_bytes / 1e6:8.1f} MB  (aim < 1000: {memory})")
    print(f"  recommendation holds in {stability:.1%} of samples")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

"""Sweeps, flips and the tornado on a shipped scenario: the grid goes through the sample axis.

A sweep of one input over 200 values, a 20 x 20 grid of two, the flips of the default inputs
(a scan of 65 values each, then bisection of every bracket) and the tornado, on
``city-traffic-cameras.yaml``. Each figure is the best of ``RUNS`` runs, wall and CPU time of
this process (on a shared machine the CPU time is the figure a quiet one would show).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[1]
SCENARIO = ROOT / "scenarios" / "city-traffic-cameras.yaml"
RUNS = 5


def _best(fn) -> tuple[float, float]:
    fn()  # warm the catalog
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return min(wall) * 1000, min(cpu) * 1000


def main() -> None:
    import edgecalc
    from edgecalc.uncertainty.sensitivity import flips, sweep, tornado

    scenario = edgecalc.load_scenario(SCENARIO)
    rate = list(np.geomspace(1, 100, 200))
    price = list(np.linspace(100, 5000, 20))
    cases = {
        "sweep, 200 values of workload.inferences_per_second": lambda: sweep(
            scenario, {"workload.inferences_per_second": rate}
        ),
        "sweep, 20 x 20 grid (inferences/s x edge.device_usd)": lambda: sweep(
            scenario,
            {"workload.inferences_per_second": rate[::10], "edge.device_usd": price},
        ),
        "flips of the default inputs": lambda: flips(scenario),
        "tornado": lambda: tornado(scenario),
    }
    for name, fn in cases.items():
        wall, cpu = _best(fn)
        print(f"{name} ({SCENARIO.name}): best {wall:.0f} ms (CPU {cpu:.0f} ms) of {RUNS}")


if __name__ == "__main__":
    main()

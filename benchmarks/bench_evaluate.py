"""Deterministic evaluation of the shipped scenarios: the slowest one beside the aim.

Each scenario is evaluated once to warm the catalog, then timed ``RUNS`` times; the figure is
the best run (this machine's cores are shared: the best run is the one least disturbed). The
rollout memo (:func:`edgecalc.pipeline.fleet_ops.rollout_summary`) is emptied before every run,
so each run pays for its rollout simulation as a first evaluation does; the frames
(``result.costs`` ...) are built on first access, so a caller that reads only the verdict does
not pay for them. The issue's aim: the slowest shipped scenario under 15 ms.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
RUNS = 30
AIM_MS = 15.0


def _times_ms(scenario, clear) -> tuple[list[float], list[float]]:
    """Wall and CPU (this process) times of ``RUNS`` evaluations [ms]."""
    import edgecalc

    edgecalc.evaluate(scenario)  # warm caches (catalog)
    wall, cpu = [], []
    for _ in range(RUNS):
        clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        edgecalc.evaluate(scenario)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def main() -> None:
    import edgecalc
    from edgecalc.pipeline.fleet_ops import _rollout_figures

    figures = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        wall, cpu = _times_ms(edgecalc.load_scenario(path), _rollout_figures.cache_clear)
        figures[path.name] = (min(wall), min(cpu))
        print(f"evaluate {path.name}: best {min(wall):.1f} ms (CPU {min(cpu):.1f} ms), median "
              f"{statistics.median(wall):.1f} ms over {RUNS} runs")  # fmt: skip
    slowest = max(figures, key=lambda k: figures[k][0])
    best, best_cpu = figures[slowest]
    print(
        f"evaluate, slowest shipped scenario ({slowest}): best {best:.1f} ms, CPU "
        f"{best_cpu:.1f} ms (aim under {AIM_MS:g} ms: {'met' if best < AIM_MS else 'NOT met'}"
        "; on a busy machine the CPU time is the figure a quiet one would show)"
    )
    scenario = edgecalc.load_scenario(ROOT / "scenarios" / slowest)
    warm, _ = _times_ms(scenario, lambda: None)
    print(f"  the same with the rollout memo warm (an app edit that leaves the rollout plan "
          f"alone): best {min(warm):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()

"""Deterministic evaluation of one scenario: median wall time over repeated runs."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]


def main() -> None:
    import edgecalc

    path = ROOT / "tests" / "fixtures" / "hand-worked.yaml"
    scenario = edgecalc.load_scenario(path)
    edgecalc.evaluate(scenario)  # warm caches (catalog)
    times = []
    for _ in range(30):
        start = time.perf_counter()
        edgecalc.evaluate(scenario)
        times.append(time.perf_counter() - start)
    print(
        f"evaluate {path.name} ({scenario.horizon_months} months, 3 options): "
        f"median {statistics.median(times) * 1000:.1f} ms over {len(times)} runs "
        f"(min {min(times) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()

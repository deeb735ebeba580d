"""Wall time of the rollout Monte Carlo: 10,000 devices x 365 days x 100 runs.

Run: ``.venv/bin/python benchmarks/bench_rollout.py``.
"""

from __future__ import annotations

import time

import numpy as np

from edgecalc.operations import simulate_rollout

DEVICES = 10_000
HORIZON_DAYS = 365
RUNS = 100
REPEATS = 3

CASES = {
    # name: (offline share p, mean offline spell L [days], update failure probability)
    "typical (p 5%, L 3 d, 2% failures)": (0.05, 3.0, 0.02),
    "one-day spells (p 50%, L 1 d, 10% failures)": (0.5, 1.0, 0.1),
    "long spells (p 90%, L 30 d, 5% failures)": (0.9, 30.0, 0.05),
}


def main() -> None:
    """Print best-of-three wall and CPU time per case and the median figures it produced.

    CPU time is shown too because wall time on a shared machine includes waiting for a core.
    """
    print(f"rollout: {DEVICES:,} devices x {HORIZON_DAYS} days x {RUNS} runs, canary 1% + 4 waves")
    for name, (p, spell_days, failure) in CASES.items():
        times, cpu_times = [], []
        for repeat in range(REPEATS):
            start, cpu_start = time.perf_counter(), time.process_time()
            result = simulate_rollout(
                DEVICES,
                p,
                spell_days,
                HORIZON_DAYS,
                np.random.default_rng(repeat),
                runs=RUNS,
                canary_fraction=0.01,
                waves=4,
                days_between_waves=7,
                update_failure_probability=failure,
                pause_failure_rate=0.5,
            )
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
        print(
            f"  {name}: wall {min(times):.3f} s, CPU {min(cpu_times):.3f} s "
            f"(median days to 95% {np.median(result.days_to_95):g}, "
            f"to 100% {np.median(result.days_to_100):g})"
        )


if __name__ == "__main__":
    main()

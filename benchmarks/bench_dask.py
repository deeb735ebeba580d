"""Monte Carlo of a portfolio on Dask: the speed-up of two workers over one (issue 16).

Run: ``.venv/bin/python benchmarks/bench_dask.py [GROUPS] [SAMPLES]``. The portfolio is the
hand-worked fixture with 2,000 site groups, each at its own location (as
``bench_portfolio.py`` builds it); 4,000 samples. The run is timed on a LocalCluster of one
worker process and of two (one thread each, 127.0.0.1), cluster start-up excluded, after one
warm-up run on each (workers import edgecalc and receive the scenario). Also printed: the
in-process time, and that the three runs agree sample for sample.

Aim: two workers at least 1.5x faster than one (on a quiet 2-core machine; two workers cannot
beat one by much when other processes hold the cores).
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def _portfolio_text(groups: int) -> str:
    spec = importlib.util.spec_from_file_location("bench_portfolio", HERE / "bench_portfolio.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.portfolio_text(groups)


def _timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    out = work()
    return time.perf_counter() - start, out


def main(groups: int = 2_000, samples: int = 4_000) -> None:
    """Print the in-process time, the one- and two-worker times and the speed-up."""
    from edgecalc.uncertainty.backend import DaskBackend, local_cluster
    from edgecalc.uncertainty.simulate import simulate

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portfolio.yaml"
        path.write_text(_portfolio_text(groups), encoding="utf-8")
        here_s, here = _timed(lambda: simulate(path, samples=samples, seed=0))
        times = {}
        for workers in (1, 2):
            with local_cluster(workers) as client:
                backend = DaskBackend(client)
                simulate(path, samples=samples // 4, seed=1, scheduler=backend)  # warm-up
                times[workers], there = _timed(
                    lambda b=backend: simulate(path, samples=samples, seed=0, scheduler=b)
                )
            for o in here.options:
                np.testing.assert_array_equal(there.total_usd[o], here.total_usd[o])
            np.testing.assert_array_equal(there.fan.drop(columns="option"), here.fan.drop(
                columns="option"))  # fmt: skip
    print(f"portfolio: {groups:,} site groups, {samples:,} samples, {len(here.options)} options")
    print(f"in this process:                 {here_s:8.1f} s")
    print(f"Dask, one worker:                {times[1]:8.1f} s")
    print(f"Dask, two workers:               {times[2]:8.1f} s")
    print(f"speed-up two workers / one:      {times[1] / times[2]:8.2f}x  (aim >= 1.5x)")
    print("the three runs agree sample for sample (totals and fan)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))

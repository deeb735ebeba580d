"""edgecalc beside its peers, in one run (issue 18).

Run: ``.venv/bin/python benchmarks/bench_peers.py [LARGE_SAMPLES]`` (``make bench`` runs it).

The peers live in ``/work/shared/peers/`` (or ``EDGECALC_PEERS``): one Monte Carlo edge-vs-cloud
cost model written as a squigglepy user would (``squigglepy_model.py``), the same arithmetic
hand-vectorised in numpy (``numpy_floor.py``, the floor) and as an edgecalc scenario
(``edgecalc_peer.yaml``). The machine is shared and noisy, so every figure is the best of a few
runs and the ratios are measured within this one run; compare ratios, not absolute times.

Printed, each with its aim:

1. ``simulate``, 10,000 samples of the peer scenario: ratio to the numpy floor (aim under 3) and
   squigglepy's time over ours (aim at least 50), twice: with edgecalc's default ranges (what a
   user gets) and with ``pinned_defaults`` (only the 16 ranges the peers sample: the
   like-for-like figure); edgecalc runs its batches on the machine's cores (at most 4
   threads), the peers on one, so the one-thread time is printed beside them;
2. ``simulate``, 1,000,000 samples (or ``LARGE_SAMPLES``): wall time, the better of two runs
   (aim under 5 s), and the process's peak resident set (aim under 1 GB); this runs in a child
   process of its own so that its peak is not the peers';
3. ``evaluate`` of every shipped scenario: the slowest one's median of 15 calls, the best of
   three rounds (aim under 15 ms), each call a first evaluation (its fleet's rollout simulated,
   as ``bench_evaluate.py`` measures it), and beside it the same with the rollout memo warm.

squigglepy is a benchmark-only dependency (``pip install -e '.[bench]'``); without it that
figure says so and the rest still run.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEERS = Path(os.environ.get("EDGECALC_PEERS", "/work/shared/peers"))
SCENARIOS = ROOT / "scenarios"
SMALL_SAMPLES = 10_000
SMALL_ROUNDS = 7
"""Rounds of the 10,000-sample figures: in each, one run of every edgecalc figure and one of
the numpy floor; each figure is its best round."""
EVALUATE_ROUNDS = 3
"""Rounds of 15 evaluate calls per scenario; the figure is the best round's median, as every
other figure here is a best of a few runs (one round read 21 ms against 11 ms in the next,
seconds apart, on the shared 2-core machine)."""

LARGE_RUNS = 2
"""Runs of the 1,000,000-sample figure, one after the other in its child process; the figure is
the faster, as every other figure here is a best of a few (on the shared 2-core machine one
run read 6.9 s, alternating runs minutes before 4.3-4.9 s); the peak is over both."""

_LARGE_RUN = f"""
LARGE_RUNS = {LARGE_RUNS}
import resource, sys, time
from edgecalc.scenario import load_scenario
from edgecalc.uncertainty.simulate import simulate
scenario = load_scenario(sys.argv[1])
simulate(scenario, samples=1_000)
wall_s = float("inf")
for _ in range(LARGE_RUNS):
    start = time.perf_counter()
    simulate(scenario, samples=int(sys.argv[2]))
    wall_s = min(wall_s, time.perf_counter() - start)
print(wall_s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def _best_of(n: int, work) -> float:
    """The shortest wall time of ``n`` calls of ``work``, in seconds."""
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _peer_seconds(script: str, samples: int, runs: int) -> float | None:
    """The best time a peer script reports for ``samples`` samples, in seconds (None: not run).

    Each script prints ``... N samples: 12.3 ms; ...`` or ``... N samples: 1.234 s; ...``.
    """
    best = None
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, str(PEERS / script), str(samples)],
            capture_output=True,
            text=True,
            check=False,
        )
        found = re.search(r"samples: ([0-9.]+) (ms|s);", done.stdout)
        if done.returncode or not found:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"  {script}: not run ({tail})")
            return None
        seconds = float(found.group(1)) / (1e3 if found.group(2) == "ms" else 1.0)
        best = seconds if best is None else min(best, seconds)
    return best


def _verdict(holds: bool) -> str:
    return "holds" if holds else "MISSED"


def _simulate_small(scenario_path: Path) -> None:
    from edgecalc.scenario import load_scenario
    from edgecalc.uncertainty.backend import InProcess, default_threads
    from edgecalc.uncertainty.simulate import simulate

    scenario = load_scenario(scenario_path)
    simulate(scenario, samples=1_000)  # warm the catalog and imports
    # edgecalc and the floor in alternating rounds, the best of each kept: on a shared machine
    # a slow spell then slows both, not only the one measured during it
    runs = {False: float("inf"), True: float("inf")}
    one_thread_s = float("inf")
    floor_s: float | None = float("inf")
    for round_ in range(SMALL_ROUNDS):
        # the two configurations take turns going first: the first run after the floor's
        # process (the machine idle for this one) is the slower, and it used to be always the
        # default ranges' (3.5x the floor against 2.8x pinned; back to back, alternating,
        # 78 ms each)
        for pinned in (False, True) if round_ % 2 == 0 else (True, False):
            runs[pinned] = min(
                runs[pinned],
                _best_of(1, lambda p=pinned: simulate(scenario, SMALL_SAMPLES, pinned_defaults=p)),
            )
        one_thread_s = min(
            one_thread_s,
            _best_of(1, lambda: simulate(scenario, SMALL_SAMPLES, scheduler=InProcess(threads=1))),
        )
        if floor_s is not None:
            floor_once = _peer_seconds("numpy_floor.py", SMALL_SAMPLES, runs=1)
            floor_s = None if floor_once is None else min(floor_s, floor_once)
    squiggle_s = _peer_seconds("squigglepy_model.py", SMALL_SAMPLES, runs=1)
    # The peers sample only the scenario's own 16 ranges; by default edgecalc also samples
    # the defaults it ranges itself (issue 12), so the like-for-like figure is the pinned one.
    for pinned, ours_s in runs.items():
        how = "pinned defaults (the peers' ranges only)" if pinned else "default ranges"
        print(
            f"simulate {SMALL_SAMPLES:,} samples of {scenario_path.name}, {how}:"
            f" {ours_s * 1e3:8.1f} ms"
        )
        if floor_s is not None:
            ratio = ours_s / floor_s
            print(
                f"  numpy floor {floor_s * 1e3:8.1f} ms; edgecalc / floor = {ratio:6.1f}x"
                f"  (aim under 3x: {_verdict(ratio < 3)})"
            )
        if squiggle_s is not None:
            ratio = squiggle_s / ours_s
            print(
                f"  squigglepy {squiggle_s:8.2f} s; squigglepy / edgecalc = {ratio:6.1f}x"
                f"  (aim at least 50x: {_verdict(ratio >= 50)})"
            )
    # the runs above use default_threads() threads; the peers use one core
    print(
        f"  (the runs above on {default_threads()} threads; on one thread, default ranges:"
        f" {one_thread_s * 1e3:.1f} ms"
        + (f", {one_thread_s / floor_s:.1f}x the floor)" if floor_s is not None else ")")
    )


def _simulate_large(scenario_path: Path, samples: int) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _LARGE_RUN, str(scenario_path), str(samples)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"simulate {samples:,} samples: FAILED ({tail})")
        return
    wall_s, peak_bytes = (float(word) for word in done.stdout.split()[-2:])
    print(
        f"simulate {samples:,} samples of {scenario_path.name}, default ranges:"
        f" {wall_s:8.1f} s wall"
        f"  (aim under 5 s: {_verdict(wall_s < 5)})"
    )
    print(
        f"  peak resident set {peak_bytes / 1e6:8.0f} MB"
        f"  (aim under 1000 MB: {_verdict(peak_bytes < 1e9)})"
    )


def _evaluate_medians(clear) -> dict[str, float]:
    """Per shipped scenario, the best of ``EVALUATE_ROUNDS`` medians of 15 ``evaluate`` calls,
    ``clear()`` before each call [s]."""
    import edgecalc

    medians = {}
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = edgecalc.load_scenario(path)
        edgecalc.evaluate(scenario)  # warm the catalog
        rounds = []
        for _ in range(EVALUATE_ROUNDS):
            times = []
            for _ in range(15):
                clear()
                start = time.perf_counter()
                edgecalc.evaluate(scenario)
                times.append(time.perf_counter() - start)
            rounds.append(statistics.median(times))
        medians[path.name] = min(rounds)
    return medians


def _evaluate_shipped() -> None:
    """The aim is read on a first evaluation: the rollout memo emptied before each call, so that
    each call simulates its fleet's rollout, as ``benchmarks/bench_evaluate.py`` does; an edit
    that leaves the fleet size and the rollout plan alone (a latency budget, a price) is
    printed beside it."""
    from edgecalc.pipeline.fleet_ops import _rollout_figures

    first = _evaluate_medians(_rollout_figures.cache_clear)
    again = _evaluate_medians(lambda: None)
    for name, seconds in sorted(first.items(), key=lambda item: -item[1]):
        print(
            f"  evaluate {name:32s} median {seconds * 1e3:7.1f} ms"
            f" (rollout memo warm: {again[name] * 1e3:5.1f} ms)"
        )
    slowest, seconds = max(first.items(), key=lambda item: item[1])
    print(
        f"evaluate, slowest shipped scenario ({slowest}): {seconds * 1e3:.1f} ms"
        f"  (aim under 15 ms: {_verdict(seconds < 0.015)});"
        f" with the rollout memo warm {max(again.values()) * 1e3:.1f} ms"
    )


def main(large_samples: int = 1_000_000) -> None:
    """Print every figure of issue 18's table with its aim."""
    scenario_path = PEERS / "edgecalc_peer.yaml"
    if not scenario_path.is_file():
        print(f"peers not found in {PEERS} (set EDGECALC_PEERS); evaluate only")
    else:
        _simulate_small(scenario_path)
        _simulate_large(scenario_path, large_samples)
    _evaluate_shipped()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

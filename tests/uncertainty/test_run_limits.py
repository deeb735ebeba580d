"""``simulate(..., bounded=True)`` refuses a run over the app's limits before it samples or
probes anything, and says how many samples fit; without it the library runs any size.

``volume.yaml`` with its defaults pinned has 1 site group, 60 months and 5 ranged inputs
(its four ranges and the RTT estimated from distance): 60 x (1 + 2) + 5 = 185 cells a sample.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import edgecalc.uncertainty.simulate as simulate_module
from edgecalc import limits
from edgecalc.uncertainty.simulate import simulate

VOLUME = Path(__file__).parents[1] / "fixtures" / "uncertainty" / "volume.yaml"


@pytest.fixture
def no_probe(monkeypatch):
    """The resolver probes (the first costly step after the check) fail the test."""

    def probe(*args, **kwargs):
        raise AssertionError("the run went past its size check")

    monkeypatch.setattr(simulate_module, "_unsampled_warnings", probe)


def test_the_measure_and_the_samples_allowed_worked_out_by_hand():
    # the shipped store portfolio: 40 groups, 60 months, 59 ranged inputs
    assert limits.monte_carlo_cells(10_000, groups=40, months=60, ranged=59) == 25_790_000
    assert limits.monte_carlo_samples_allowed(40, 60, 59) == 40_000_000 // 2_579 == 15_509
    # 240 months of a one-site scenario with 16 ranged inputs: 240 x 3 + 16 = 736 a sample
    assert limits.monte_carlo_samples_allowed(1, 240, 16) == 54_347
    # 100 groups with 119 ranged inputs: 11,900 probes, over 10,000: nothing runs
    assert limits.monte_carlo_samples_allowed(100, 60, 119) == 0


def test_one_sample_over_the_cells_limit_is_refused_before_any_work(no_probe):
    allowed = 40_000_000 // 185
    assert allowed == 216_216
    with pytest.raises(limits.MonteCarloTooLarge) as caught:
        simulate(VOLUME, samples=allowed + 1, pinned_defaults=True, bounded=True)
    assert caught.value.samples_allowed == 216_216
    assert str(caught.value) == (
        "samples: 216,217 asked for; with 1 site group(s) over 60 months and 5 ranged inputs "
        "a sample is 185 cells (months x (groups + 2) + ranged inputs), and one run in the app "
        "is at most 40,000,000 cells: at most 216,216 samples here. `edgecalc simulate FILE "
        "--samples N` on your own machine has no such limit"
    )


def test_the_most_samples_allowed_run(monkeypatch):
    monkeypatch.setattr(limits, "APP_MONTE_CARLO_CELLS", 185 * 2_000)
    assert simulate(VOLUME, samples=2_000, pinned_defaults=True, bounded=True).samples == 2_000
    with pytest.raises(limits.MonteCarloTooLarge, match="at most 2,000 samples here"):
        simulate(VOLUME, samples=2_001, pinned_defaults=True, bounded=True)


def test_the_library_runs_any_size_unless_bounded(monkeypatch):
    monkeypatch.setattr(limits, "APP_MONTE_CARLO_CELLS", 185)  # one sample
    monkeypatch.setattr(limits, "APP_MONTE_CARLO_PROBES", 1)
    assert simulate(VOLUME, samples=2_000, pinned_defaults=True).samples == 2_000


def test_too_many_ranged_inputs_times_site_groups_is_refused_before_any_work(monkeypatch, no_probe):
    monkeypatch.setattr(limits, "APP_MONTE_CARLO_PROBES", 4)  # 5 ranged inputs x 1 group
    with pytest.raises(limits.MonteCarloTooLarge) as caught:
        simulate(VOLUME, samples=1_000, pinned_defaults=True, bounded=True)
    assert caught.value.samples_allowed == 0
    assert str(caught.value).startswith(
        "ranged inputs x site groups: 5 x 1 = 5; the app's Monte Carlo takes at most 4 "
    )

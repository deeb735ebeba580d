"""Ranking the sampled inputs by rank correlation with the deciding cost gap."""

from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.uncertainty.influence import rank_by_influence

ROOT = Path(__file__).parents[2]


def test_rank_by_influence_hand_worked():
    # outcome ranks 1..4 (centred -1.5 -0.5 0.5 1.5). "down" runs against it: -1. "mixed" ranks
    # 4 1 3 2 (centred 1.5 -1.5 0.5 -0.5): sum of products -2.25 + 0.75 + 0.25 - 0.75 = -2,
    # over sqrt(5 x 5) = 5 gives -0.4. "flat" does not vary: 0, last.
    inputs = {"flat": [7, 7, 7, 7], "mixed": [4, 1, 3, 2], "down": [9, 8, 2, 1]}
    frame = rank_by_influence(inputs, [10.0, 20.0, 35.0, 90.0])
    assert frame["path"].tolist() == ["down", "mixed", "flat"]
    np.testing.assert_allclose(frame["spearman"], [-1.0, -0.4, 0.0], atol=1e-15)


def test_ties_share_their_average_rank():
    # x ranks 1.5 1.5 3 4 (centred -1 -1 0.5 1.5), y 1..4 (-1.5 -0.5 0.5 1.5):
    # (1.5 + 0.5 + 0.25 + 2.25) / sqrt(4.5 x 5) = 4.5 / sqrt(22.5)
    frame = rank_by_influence({"x": [1, 1, 2, 3]}, [1, 2, 3, 4])
    assert frame["spearman"][0] == pytest.approx(4.5 / np.sqrt(22.5), rel=1e-12)


def test_refuses_mismatched_or_non_finite_input():
    with pytest.raises(ValueError, match="x: 3 samples, the outcome has 4"):
        rank_by_influence({"x": [1, 2, 3]}, [1, 2, 3, 4])
    with pytest.raises(ValueError, match="not finite"):
        rank_by_influence({"x": [1, 2]}, [1, np.nan])


def test_simulation_ranks_the_input_that_drives_the_gap_first():
    # the device price from $100 to $500,000 moves edge's cost against the cloud's far more
    # than any other range of the scenario; the local hop's 1-3 ms moves no cost at all
    sim = edgecalc.simulate(
        ROOT / "scenarios" / "factory-visual-qc.yaml", samples=2_000, seed=3,
        overrides={"edge.device_usd": {"low": 100, "high": 500_000},
                   "latency.local_hop_ms": {"low": 1, "high": 3}},
    )  # fmt: skip
    frame = sim.input_influence()
    assert frame["path"][0] == "edge.device_usd"
    assert frame["spearman"][0] > 0.5  # dearer devices widen edge's gap
    hop = frame.loc[frame["path"] == "latency.local_hop_ms", "spearman"].item()
    assert abs(hop) < 0.1
    assert set(frame["path"]) == set(sim.inputs)
    assert np.all(np.diff(frame["spearman"].abs().to_numpy()) <= 0)

"""Portfolio Monte Carlo cut by site groups and samples: same verdicts however it is cut."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgecalc.uncertainty import portfolio_runs
from edgecalc.uncertainty import simulate as simulate_module
from edgecalc.uncertainty.simulate import simulate

FIXTURE = Path(__file__).parent.parent / "fixtures" / "hand-worked.yaml"


def _run(path, **kwargs):
    return simulate(path, samples=120, seed=5, chunk_size=50, by_group=True, **kwargs)


def assert_same_verdicts(a, b) -> None:
    assert a.group_verdicts.equals(b.group_verdicts)
    assert a.mixed_plan == b.mixed_plan


def test_every_group_gets_verdict_shares_that_sum_to_one(portfolio):
    sim = _run(portfolio)
    frame = sim.group_verdicts
    assert list(frame["group"]) == ["small-a", "small-b", "mid-a", "mid-b", "big-a", "big-b"]
    shares = frame[[f"p_{o}" for o in (*sim.options, "none")]].to_numpy()
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    # 120 samples: every share is a whole number of samples
    np.testing.assert_allclose(shares * 120, np.round(shares * 120))
    mixed = sim.mixed_plan
    assert mixed["cost_p10_usd"] <= mixed["cost_p50_usd"] <= mixed["cost_p90_usd"]
    assert 0 <= mixed["probability_beats_every_single_plan"] <= 1
    assert sim.to_dict()["group_verdicts"][0]["group"] == "small-a"
    # mid-b: 40/s x 100 kB x 8 bit x peak 2 = 64 Mbit/s over a 50 Mbit/s uplink; big-b: 128
    # over 30: the cloud cannot serve them in any sample
    by_name = frame.set_index("group")
    assert by_name.loc["mid-b", "p_cloud"] == 0 and by_name.loc["big-b", "p_cloud"] == 0
    # the prices are uncertain: some group's verdict is not the same in every sample
    assert ((shares > 0) & (shares < 1)).any()


def test_cut_by_groups_and_samples_changes_no_verdict(portfolio, monkeypatch):
    whole = _run(portfolio)
    # two groups per task, 7 samples per task (cutting the 50-sample seed blocks)
    monkeypatch.setattr(portfolio_runs, "GROUP_SLICE", 2)
    monkeypatch.setattr(simulate_module, "batch_size", lambda *args: 7)
    assert_same_verdicts(_run(portfolio), whole)


def test_one_site_group_has_no_group_verdicts():
    sim = simulate(FIXTURE, samples=50, seed=1, by_group=True)
    assert sim.group_verdicts is None and sim.mixed_plan is None
    assert "group_verdicts" not in sim.to_dict()

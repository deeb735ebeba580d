"""Closed-form rollout expectations used by the cost lines, checked against the simulation;
and the rollout figure."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import edgecalc
from edgecalc.operations import simulate_rollout
from edgecalc.operations.expected import expected_attempts_per_update, stranded_share
from edgecalc.pipeline.fleet_ops import rollout_horizon_days
from edgecalc.render.figures.operations import rollout_curve

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def test_stranded_share_hand_worked():
    # 0.2 × 0.9 ** 29 = 0.2 × 0.0471013 = 0.00942
    assert float(stranded_share(0.2, 10, 30)) == pytest.approx(0.2 * 0.9**29)
    assert float(stranded_share(0.0, 10, 30)) == 0
    assert float(stranded_share(1.0, 10, 30)) == 1


def test_stranded_share_matches_the_simulation():
    devices, p, spell, days = 20_000, 0.2, 10.0, 31
    sim = simulate_rollout(devices, p, spell, days, np.random.default_rng(3), runs=4)
    expected = float(stranded_share(p, spell, days)) * devices  # 169.6 devices
    sd = np.sqrt(expected)
    assert np.abs(sim.never_updated.mean() - expected) < 3 * sd / 2  # 4 runs: sd / 2


def test_expected_attempts_match_the_simulation():
    sim = simulate_rollout(20_000, 0.0, 1.0, 200, np.random.default_rng(5),
                           update_failure_probability=0.2)  # fmt: skip
    # 1 / (1 - 0.2) = 1.25 attempts per device; sd of the mean about 0.004
    assert sim.update_attempts[0] / 20_000 == pytest.approx(1.25, abs=0.02)
    assert float(expected_attempts_per_update(0.2)) == 1.25


@given(
    p=st.floats(0, 1),
    more=st.floats(0, 1),
    spell=st.floats(1, 60),
    days=st.integers(1, 365),
)
def test_stranded_share_never_falls_with_more_offline_days(p, more, spell, days):
    higher = p + (1 - p) * more
    assert stranded_share(higher, spell, days) >= stranded_share(p, spell, days) - 1e-15
    assert stranded_share(p, spell, days + 1) <= stranded_share(p, spell, days) + 1e-15


def test_rollout_horizon_days():
    # canary + 3 waves two days apart: the last starts on day 6, then 30 days
    assert rollout_horizon_days(4, 2, 30) == 36
    assert rollout_horizon_days(4, 2, 30, pause_days=7) == 6 + 21 + 30


def test_rollout_curve_marks_50_95_100():
    result = edgecalc.evaluate(FIXTURE)
    fig = rollout_curve(result)
    names = [t.name for t in fig.data]
    assert names == [
        "edge (6 devices)", "edge: 50/95/100%", "hybrid (6 devices)", "hybrid: 50/95/100%"
    ]  # fmt: skip
    marks = fig.data[1]
    # 6 devices, no offline spells: 50% (3 devices) after the first wave of 2 plus the
    # canary on day 2; 95% and 100% on day 6
    assert list(marks.y) == [0.5, 0.95, 1.0]
    assert list(marks.x) == [2.0, 6.0, 6.0]
    assert fig.layout.yaxis.title.text == "fleet updated [fraction]"


ROLLOUT_INPUTS = {
    "operations.offline_probability_per_day": 0.2,
    "operations.mean_offline_spell_days": 3.0,
    "operations.update_failure_rate": 0.25,
}


def test_rollout_figures_without_a_pause_are_the_day_counts_and_exact_means():
    from edgecalc.operations.rollout_counts import simulate_rollout_counts
    from edgecalc.pipeline.fleet_ops import ROLLOUT_SEED

    result = edgecalc.evaluate(FIXTURE, overrides=ROLLOUT_INPUTS)
    rollout = result.operations["edge"].rollout
    counts = simulate_rollout_counts(
        rollout.devices, 0.2, 3.0, rollout.horizon_days, np.random.default_rng(ROLLOUT_SEED),
        runs=rollout.runs, canary_fraction=result.scenario.operations.canary_fraction,
        waves=result.scenario.operations.waves,
        days_between_waves=result.scenario.operations.days_between_waves,
        update_failure_probability=0.25,
    )  # fmt: skip
    assert rollout.pauses == 0
    assert rollout.never_updated_devices == counts.never_updated_devices
    assert rollout.mean_staleness_days == counts.mean_staleness_days
    assert rollout.update_attempts_per_device == counts.update_attempts / rollout.devices
    assert rollout.days_to_95.p50 == float(np.quantile(counts.days_to_95, 0.5,
                                                       method="inverted_cdf"))  # fmt: skip
    assert rollout.curve.share_updated_p50 == tuple(np.median(counts.share_updated, axis=0))


def test_rollout_figures_with_a_pause_follow_every_device():
    # every attempt fails before the next wave is due: the canary's failure share (1) is over
    # the pause's 0.5, so each run pauses; only the device-by-device walk models that
    overrides = {**ROLLOUT_INPUTS, "operations.update_failure_rate": 0.99,
                 "operations.pause_failure_rate": 0.5}  # fmt: skip
    rollout = edgecalc.evaluate(FIXTURE, overrides=overrides).operations["edge"].rollout
    assert rollout.pauses >= 0.9

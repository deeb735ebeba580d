"""The rollout counted day by day (no pause): hand-worked distributions, the walk's edge cases,
and agreement in distribution with the device-by-device simulation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgecalc.operations import simulate_rollout
from edgecalc.operations.rollout_counts import simulate_rollout_counts, update_day_distribution

PLAN = {"canary_fraction": 0.01, "waves": 3, "days_between_waves": 7}


def test_update_day_distribution_hand_worked_one_day_spells():
    # p = 0.5, L = 1: go = 0.5 / 0.5 / 1 = 1, stay = 0. Day 0: online with probability 0.5
    # and updates (f = 0); an offline device is online on day 1 and updates then.
    on_day, attempts = update_day_distribution(0.5, 1.0, 0.0, 4)
    assert on_day.tolist() == [0.5, 0.5, 0.0, 0.0]
    assert attempts.tolist() == [0.5, 1.0, 1.0, 1.0]


def test_update_day_distribution_hand_worked_geometric_tail():
    # p = 0.2, L = 2: stay = 1 - 1/2 = 0.5. Online devices (0.8) update on day 0; an offline
    # one stays offline each day with probability 0.5, so it updates on day t >= 1 with
    # probability 0.2 x 0.5 ** (t - 1) x 0.5 = 0.2 x 0.5 ** t.
    on_day, _ = update_day_distribution(0.2, 2.0, 0.0, 5)
    np.testing.assert_allclose(on_day, [0.8, 0.1, 0.05, 0.025, 0.0125], rtol=1e-15)


def test_update_day_distribution_failures_retry_on_online_days():
    # always online, f = 0.2: day t with probability 0.2 ** t x 0.8; attempts on day t are
    # the devices still waiting, 0.2 ** t
    on_day, attempts = update_day_distribution(0.0, 1.0, 0.2, 3)
    np.testing.assert_allclose(on_day, [0.8, 0.16, 0.032], rtol=1e-15)
    np.testing.assert_allclose(attempts, [1.0, 1.2, 1.24], rtol=1e-15)


def test_update_day_distribution_refuses_bad_inputs():
    with pytest.raises(ValueError, match="update failure probability"):
        update_day_distribution(0.1, 2.0, 1.5, 10)
    with pytest.raises(ValueError, match="impossible"):
        update_day_distribution(0.9, 1.0, 0.0, 10)  # needs p <= L / (L + 1) = 0.5


def test_no_offline_devices_ends_exactly_after_the_waves():
    result = simulate_rollout_counts(1000, 0.0, 1.0, 60, np.random.default_rng(3), runs=4, **PLAN)
    # stages of 10, 330, 330, 330 start on days 0, 7, 14, 21 (the walk's test, same figures)
    assert result.days_to_50.tolist() == [14.0] * 4
    assert result.days_to_95.tolist() == [21.0] * 4
    assert result.days_to_100.tolist() == [21.0] * 4
    # (10 x 0 + 330 x 7 + 330 x 14 + 330 x 21) / 1000 = 13.86 days
    assert result.mean_staleness_days == pytest.approx(13.86, rel=1e-12)
    assert result.update_attempts == 1000
    assert result.never_updated_devices == 0
    assert result.share_updated[0, 6] == pytest.approx(0.01)
    assert result.share_updated[0, 7] == pytest.approx(0.34)
    assert result.stage_start_day.tolist() == [0.0, 7.0, 14.0, 21.0]


def test_always_offline_devices_never_update():
    result = simulate_rollout_counts(200, 1.0, 5.0, 90, np.random.default_rng(0), runs=3, **PLAN)
    assert result.never_updated_devices == 200
    assert np.all(np.isinf(result.days_to_50))
    assert result.update_attempts == 0
    assert result.mean_staleness_days == 90.0
    assert np.all(result.share_updated == 0)


def test_a_stage_starting_after_the_horizon_reaches_nobody():
    # 2 waves of 50, 30 days apart, horizon 20 days: the second never starts
    result = simulate_rollout_counts(100, 0.0, 1.0, 20, np.random.default_rng(0), runs=2,
                                     waves=2, days_between_waves=30)  # fmt: skip
    assert result.never_updated_devices == 50
    assert result.days_to_50.tolist() == [0.0, 0.0]
    assert np.all(np.isinf(result.days_to_95))
    # 50 devices stale 0 days, 50 the whole 20: mean 10
    assert result.mean_staleness_days == 10.0
    assert result.stage_start_day.tolist() == [0.0, np.inf]


def test_zero_devices():
    result = simulate_rollout_counts(0, 0.1, 2.0, 10, np.random.default_rng(0), runs=2)
    assert result.days_to_100.tolist() == [0.0, 0.0]
    assert result.never_updated_devices == 0
    assert np.all(result.share_updated == 1)


def test_same_seed_same_counts_and_runs_on_the_leading_axis():
    args = (400, 0.15, 3.0, 40, np.random.default_rng(11))
    first = simulate_rollout_counts(*args, runs=5, update_failure_probability=0.1, **PLAN)
    again = simulate_rollout_counts(400, 0.15, 3.0, 40, np.random.default_rng(11), runs=5,
                                    update_failure_probability=0.1, **PLAN)  # fmt: skip
    assert first.share_updated.shape == (5, 40)
    np.testing.assert_array_equal(first.share_updated, again.share_updated)
    # the share never falls and ends at the share reached
    assert np.all(np.diff(first.share_updated, axis=1) >= 0)


def test_agrees_in_distribution_with_the_device_walk():
    # a plan with offline spells, failed attempts and devices left unreached
    devices, p, spell, horizon, runs = 300, 0.3, 4.0, 30, 2000
    plan = {**PLAN, "update_failure_probability": 0.3}
    walk = simulate_rollout(devices, p, spell, horizon, np.random.default_rng(1), runs=runs,
                            **plan)  # fmt: skip
    counts = simulate_rollout_counts(devices, p, spell, horizon, np.random.default_rng(2),
                                     runs=runs, **plan)  # fmt: skip
    for simulated, exact in (
        (walk.mean_staleness_days, counts.mean_staleness_days),
        (walk.never_updated, counts.never_updated_devices),
        (walk.update_attempts, counts.update_attempts),
    ):
        standard_error = simulated.std() / np.sqrt(runs)
        assert abs(simulated.mean() - exact) < 4 * standard_error + 1e-12
    assert counts.never_updated_devices > 1  # the check above is not of zeros
    for name in ("days_to_50", "days_to_95"):
        quantiles = [np.quantile(getattr(r, name), [0.1, 0.5, 0.9]) for r in (walk, counts)]
        np.testing.assert_allclose(quantiles[0], quantiles[1], atol=1.0)
    np.testing.assert_allclose(walk.share_updated.mean(0), counts.share_updated.mean(0),
                               atol=0.005)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    p=st.floats(0, 0.5),
    spell=st.floats(1, 30),
    failure=st.floats(0, 1),
    days=st.integers(0, 400),
)
def test_distribution_is_a_probability_and_attempts_grow(p, spell, failure, days):
    on_day, attempts = update_day_distribution(p, spell, failure, days)
    assert np.all(on_day >= 0) and on_day.sum() <= 1 + 1e-12
    assert np.all(np.diff(attempts) >= -1e-15)
    assert np.all(np.isfinite(attempts))

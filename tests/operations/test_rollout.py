"""Staged rollout, rollback and update-stream figures."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgecalc.operations import (
    firmware_site_visits_per_year,
    offline_spell_survival,
    offline_transition_probabilities,
    rollout_site_visits_per_year,
    simulate_rollback,
    simulate_rollout,
    stage_sizes,
    update_transfer_bytes,
)

PLAN = {"canary_fraction": 0.01, "waves": 3, "days_between_waves": 7}


def test_stage_sizes_canary_then_even_waves():
    # canary ceil(0.01 x 1000) = 10; 990 / 3 = 330 each
    assert stage_sizes(1000, 0.01, 3).tolist() == [10, 330, 330, 330]
    # no canary; 10 / 3 = 3 rest 1 -> the first wave takes the extra device
    assert stage_sizes(10, 0.0, 3).tolist() == [4, 3, 3]
    assert stage_sizes(0, 0.05, 2).tolist() == [0, 0, 0]


def test_no_offline_devices_rollout_ends_exactly_after_the_waves():
    result = simulate_rollout(1000, 0.0, 1.0, 60, np.random.default_rng(3), runs=4, **PLAN)
    # stages start on days 0, 7, 14, 21; cumulative 10, 340, 670, 1000 devices
    # 50% (500) reached on day 14, 95% (950) and 100% on day 21
    assert result.days_to_50.tolist() == [14.0] * 4
    assert result.days_to_95.tolist() == [21.0] * 4
    assert result.days_to_100.tolist() == [21.0] * 4
    # staleness: (10 x 0 + 330 x 7 + 330 x 14 + 330 x 21) / 1000 = 13.86 days
    np.testing.assert_allclose(result.mean_staleness_days, 13.86)
    assert result.update_attempts.tolist() == [1000] * 4
    assert result.never_updated.tolist() == [0] * 4
    # share at the end of day 6: the canary only; day 7: 340 / 1000
    assert result.share_updated[0, 6] == pytest.approx(0.01)
    assert result.share_updated[0, 7] == pytest.approx(0.34)
    assert result.stage_start_day[0].tolist() == [0.0, 7.0, 14.0, 21.0]


def test_always_offline_device_never_updates():
    result = simulate_rollout(200, 1.0, 5.0, 90, np.random.default_rng(0), runs=3, **PLAN)
    assert result.never_updated.tolist() == [200] * 3
    assert np.all(np.isinf(result.days_to_50))
    assert result.update_attempts.tolist() == [0] * 3
    np.testing.assert_allclose(result.mean_staleness_days, 90.0)


def test_always_offline_sites_strand_only_their_devices():
    # per-device offline probabilities: the first half never online, the second always
    p = np.repeat([1.0, 0.0], 50)
    result = simulate_rollout(100, p, 3.0, 30, np.random.default_rng(0), runs=2)
    assert result.never_updated.tolist() == [50, 50]
    assert result.days_to_50.tolist() == [0.0, 0.0]
    assert np.all(np.isinf(result.days_to_95))


def test_every_attempt_failing_retries_daily_until_the_horizon():
    result = simulate_rollout(
        1000, 0.0, 1.0, 30, np.random.default_rng(0), update_failure_probability=1.0, **PLAN
    )
    # online every day from its stage start to day 29:
    # 10 x 30 + 330 x (23 + 16 + 9) = 300 + 15,840 = 16,140 attempts
    assert result.update_attempts.tolist() == [16_140]
    assert result.never_updated.tolist() == [1000]


def test_pause_halts_the_rollout_after_a_failing_canary():
    result = simulate_rollout(
        1000,
        0.0,
        1.0,
        30,
        np.random.default_rng(0),
        update_failure_probability=1.0,
        pause_failure_rate=0.5,
        **PLAN,
    )
    # only the canary ever tries: 10 devices x 30 days
    assert result.update_attempts.tolist() == [300]
    assert result.pauses.tolist() == [1]
    assert result.stage_start_day[0, 0] == 0.0
    assert np.all(np.isinf(result.stage_start_day[0, 1:]))


def test_pause_with_resume_delays_each_later_wave():
    result = simulate_rollout(
        1000,
        0.0,
        1.0,
        60,
        np.random.default_rng(0),
        update_failure_probability=1.0,
        pause_failure_rate=0.5,
        pause_days=10,
        **PLAN,
    )
    # each check fails and holds the next stage 10 days: starts 0, 17, 34, 51
    assert result.stage_start_day[0].tolist() == [0.0, 17.0, 34.0, 51.0]
    # 10 x 60 + 330 x (43 + 26 + 9) = 600 + 25,740 = 26,340 attempts
    assert result.update_attempts.tolist() == [26_340]
    assert result.pauses.tolist() == [3]


def test_pause_threshold_not_reached_changes_nothing():
    rng_args = dict(update_failure_probability=0.0, **PLAN)
    plain = simulate_rollout(500, 0.1, 3.0, 90, np.random.default_rng(5), runs=3, **rng_args)
    guarded = simulate_rollout(
        500, 0.1, 3.0, 90, np.random.default_rng(5), runs=3, pause_failure_rate=0.5, **rng_args
    )
    np.testing.assert_array_equal(plain.days_to_100, guarded.days_to_100)
    assert guarded.pauses.tolist() == [0, 0, 0]


def test_zero_devices():
    result = simulate_rollout(0, 0.1, 3.0, 30, np.random.default_rng(0), runs=2, **PLAN)
    assert result.days_to_100.tolist() == [0.0, 0.0]
    assert result.update_attempts.tolist() == [0, 0]
    assert result.never_updated.tolist() == [0, 0]


def test_mean_wait_matches_the_chain():
    # one wave on day 0, p = 0.2, L = 5, failure 0.5, go = 0.2 / 0.8 / 5 = 0.05:
    # E[T] = p L (offline at the start) + E[K - 1] (1 + go L) (gaps after failed attempts)
    #      = 0.2 x 5 + 1 x (1 + 0.25) = 2.25 days; sd of T is about 3, n = 1e6 -> SE 0.003
    result = simulate_rollout(
        10_000, 0.2, 5.0, 365, np.random.default_rng(11), runs=100, update_failure_probability=0.5
    )
    assert result.mean_staleness_days.mean() == pytest.approx(2.25, abs=0.03)
    # attempts per device: E[K] = 1 / (1 - 0.5) = 2
    assert result.update_attempts.mean() / 10_000 == pytest.approx(2.0, abs=0.01)


def test_same_seed_same_result():
    a = simulate_rollout(300, 0.2, 4.0, 60, np.random.default_rng(9), runs=3, **PLAN)
    b = simulate_rollout(300, 0.2, 4.0, 60, np.random.default_rng(9), runs=3, **PLAN)
    np.testing.assert_array_equal(a.share_updated, b.share_updated)


def test_transition_probabilities_give_the_stationary_share():
    go, stay = offline_transition_probabilities(0.1, 2.0)
    # go = 0.1 / 0.9 / 2 = 0.0556; stationary share go / (go + 1/L) = 0.1
    assert float(go / (go + (1 - stay))) == pytest.approx(0.1)
    assert offline_transition_probabilities(1.0, 1.0) == (1.0, 1.0)
    with pytest.raises(ValueError, match="impossible"):
        # L = 1 allows at most p = 0.5
        offline_transition_probabilities(0.6, 1.0)
    with pytest.raises(ValueError):
        offline_transition_probabilities(0.1, 0.5)


def test_offline_spell_survival():
    # (1 - 1/3)^7 = 0.0585: 6% of spells of mean 3 days last more than a week
    assert float(offline_spell_survival(7, 3.0)) == pytest.approx((2 / 3) ** 7)
    assert float(offline_spell_survival(1, 1.0)) == 0.0


def test_update_transfer_and_site_visits():
    # 1,020 attempts x 22.4 MB x 0.25 (delta) = 5.712 GB
    assert float(update_transfer_bytes(1020, 22.4e6, 0.25)) == pytest.approx(5.712e9)
    # 500 devices x 4 firmware updates x 0.2% bricked = 4 visits/year
    assert float(firmware_site_visits_per_year(500, 4, 0.002)) == pytest.approx(4.0)
    assert float(rollout_site_visits_per_year(2.5, 12)) == pytest.approx(30.0)


def test_rollback_with_the_same_plan_is_the_rollout_shifted_by_detection():
    rollout = simulate_rollout(400, 0.1, 3.0, 120, np.random.default_rng(4), runs=3, **PLAN)
    rollback = simulate_rollback(
        400, 0.1, 3.0, 130, np.random.default_rng(4), runs=3, detection_days=10, **PLAN
    )
    np.testing.assert_array_equal(rollback.days_to_100, rollout.days_to_100 + 10)
    np.testing.assert_allclose(rollback.mean_staleness_days, rollout.mean_staleness_days + 10)
    assert rollback.share_updated.shape == (3, 130)
    assert np.all(rollback.share_updated[:, :10] == 0)


def test_rollback_detected_after_the_horizon_never_arrives():
    result = simulate_rollback(50, 0.0, 1.0, 30, np.random.default_rng(0), detection_days=40)
    assert np.isinf(result.days_to_50[0])
    assert result.mean_staleness_days[0] == 30.0


@st.composite
def _offline_pair(draw):
    spell = draw(st.floats(1.0, 30.0))
    limit = spell / (spell + 1)
    low = draw(st.floats(0.0, limit))
    high = draw(st.floats(low, limit))
    return spell, low, high


@settings(max_examples=40, deadline=None)
@given(
    pair=_offline_pair(),
    failure=st.floats(0.0, 0.6),
    waves=st.integers(1, 4),
    canary=st.sampled_from([0.0, 0.05]),
    gap=st.integers(0, 10),
    seed=st.integers(0, 2**32 - 1),
)
def test_more_offline_days_never_shorten_the_rollout(pair, failure, waves, canary, gap, seed):
    # Same seed = common random numbers; the sampler is monotone in p for a fixed draw, so
    # every device updates no earlier when devices are offline more (pathwise, cannot flake).
    spell, low, high = pair
    plan = dict(
        runs=4,
        canary_fraction=canary,
        waves=waves,
        days_between_waves=gap,
        update_failure_probability=failure,
    )
    less = simulate_rollout(150, low, spell, 120, np.random.default_rng(seed), **plan)
    more = simulate_rollout(150, high, spell, 120, np.random.default_rng(seed), **plan)
    for field in ("days_to_50", "days_to_95", "days_to_100", "mean_staleness_days"):
        assert np.all(getattr(more, field) >= getattr(less, field)), field
    assert np.all(more.never_updated >= less.never_updated)
    assert np.all(more.share_updated <= less.share_updated + 1e-12)


@settings(max_examples=25, deadline=None)
@given(
    low=st.floats(0.0, 0.9),
    extra=st.floats(0.0, 0.1),
    p=st.floats(0.0, 0.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_more_update_failures_never_shorten_the_rollout(low, extra, p, seed):
    plan = dict(runs=3, **PLAN)
    less = simulate_rollout(
        150, p, 2.0, 90, np.random.default_rng(seed), update_failure_probability=low, **plan
    )
    more = simulate_rollout(
        150, p, 2.0, 90, np.random.default_rng(seed), update_failure_probability=low + extra, **plan
    )
    assert np.all(more.days_to_100 >= less.days_to_100)
    assert np.all(more.mean_staleness_days >= less.mean_staleness_days)

"""Pure cost functions: hand-worked numbers and edge cases."""

import math

import numpy as np
import pytest

from edgecalc.costs.finance import break_even_month, monthly_rate, npv
from edgecalc.costs.sizing import devices_per_site, fleet_over_time, instances_needed
from edgecalc.costs.transfer import tiered_cost_usd
from edgecalc.costs.volume import growth_factor, monthly_inferences


def test_monthly_inferences_duty_cycle():
    # 40/s × 3600 × 16 h × 5/7 × 730/24 = 50,057,142.857
    assert monthly_inferences(40, 16, 5) == pytest.approx(50_057_142.857, rel=1e-9)


def test_growth_compounds_monthly():
    # 10%/year: month 12 is exactly 1.1, month 6 is sqrt(1.1)
    f = growth_factor(0.10, np.array([0, 6, 12]))
    assert f == pytest.approx([1.0, 1.1**0.5, 1.1])


def test_growth_over_many_samples_splits_years_and_months():
    # g = 0.21 (1.21 = 1.1 ** 2): month 18 = year 1 x month 6 of a year = 1.21 x 1.1 = 1.331;
    # month 30 = 1.21 ** 2 x 1.1 = 1.61051
    g = np.array([[0.21], [0.0], [-0.5]])
    f = growth_factor(g, np.arange(37))
    assert f.shape == (3, 37) and f.flags.c_contiguous
    assert f[0, [0, 6, 12, 18, 30, 36]] == pytest.approx([1, 1.1, 1.21, 1.331, 1.61051, 1.771561])
    assert np.all(f[1] == 1.0)
    assert f[2, 24] == 0.25  # whole years are the integer powers: 0.5 ** 2
    # within a few units in the last place of the single power; the first year the same
    wide = np.random.default_rng(0).uniform(-0.9, 3.0, (500, 1))
    months = np.arange(61)
    single = np.power(1.0 + wide, months / 12.0)
    np.testing.assert_allclose(growth_factor(wide, months), single, rtol=1e-15, atol=0)
    np.testing.assert_array_equal(growth_factor(wide, months)[:, :12], single[:, :12])


def test_zero_volume_needs_no_devices():
    assert devices_per_site(0.0, 100, 0.7, 1) == 0
    assert devices_per_site(0.1, 100, 0.7, 1) == 2


def test_instances_never_below_minimum():
    assert instances_needed(0.0, 100, 0.6, 2) == 2
    # 130/s on 100/s at 60% = 2.17 -> 3
    assert instances_needed(130, 100, 0.6, 1) == 3


def test_exact_capacity_does_not_round_up():
    # 70/s on 100/s at 70% is exactly one device
    assert devices_per_site(70, 100, 0.7, 0) == 1


def test_fleet_refresh_and_growth():
    needed = np.array([[2, 2, 3, 3, 3, 2]], dtype=float)
    installed, bought = fleet_over_time(needed, np.array([4]))
    # grows to 3 in month 2 (buys 1); refresh at month 4 buys the 3 needed then; month 5 the
    # load needs 2 but devices are not sold
    assert installed[0].tolist() == [2, 2, 3, 3, 3, 3]
    assert bought[0].tolist() == [2, 0, 1, 0, 3, 0]


def test_refresh_longer_than_horizon_buys_once():
    _installed, bought = fleet_over_time(np.full((1, 12), 4.0), np.array([60]))
    assert bought.sum() == 4


def test_npv_zero_rate_is_plain_sum():
    flows = np.array([100.0, 50.0, 25.0])
    assert npv(flows, 0.0) == pytest.approx(175.0)


def test_monthly_rate_compounds_to_annual():
    assert (1 + monthly_rate(0.08)) ** 12 == pytest.approx(1.08)


def test_break_even_cases():
    a = np.cumsum([10.0, 1, 1, 1])  # 10, 11, 12, 13
    b = np.cumsum([2.0, 4, 4, 4])  # 2, 6, 10, 14
    assert break_even_month(a, b) == 3
    assert np.isnan(break_even_month(b * 0 + 100, b))  # never
    assert break_even_month(b * 0, b) == 0  # never dearer


def test_tiered_egress():
    # 60,000 GB, 100 free: 10,240 × 0.09 + 40,960 × 0.085 + 8,700 × 0.07
    tiers = [(10_240, 0.09), (51_200, 0.085), (153_600, 0.07), (np.inf, 0.05)]
    expected = 10_240 * 0.09 + 40_960 * 0.085 + 8_700 * 0.07
    assert tiered_cost_usd(60_000, tiers, 100) == pytest.approx(expected)
    assert tiered_cost_usd(50, tiers, 100) == 0


def _break_even_by_hand(a, b):
    """The last month at which A costs more than B (beyond B's tolerance), plus one; NaN when
    that is the horizon's last month; 0 when A is never dearer: one sample, month by month."""
    last = -1
    for month, (x, y) in enumerate(zip(a, b, strict=True)):
        if x > y + 1e-9 * max(abs(y), 1.0):
            last = month
    return math.nan if last == len(a) - 1 else float(last + 1)


@pytest.mark.parametrize("months", [1, 2, 60, 240])
def test_break_even_month_agrees_with_a_month_by_month_reading(months):
    # whole-dollar steps make ties; NaN costs are never dearer; months on either axis
    rng = np.random.default_rng(months)
    a = np.cumsum(rng.integers(0, 5, (200, months)).astype(float), axis=1)
    b = np.cumsum(rng.integers(0, 5, (200, months)).astype(float), axis=1)
    a[rng.random(a.shape) < 0.05] = np.nan
    expected = np.array([_break_even_by_hand(x, y) for x, y in zip(a, b, strict=True)])
    assert np.array_equal(break_even_month(a, b), expected, equal_nan=True)
    assert np.array_equal(break_even_month(a.T, b.T, axis=0), expected, equal_nan=True)


def _threshold_as_written(b):
    """dearer_threshold's formula, one temporary an operation."""
    b = np.asarray(b, dtype=float)
    return b + 1e-9 * np.maximum(np.abs(b), 1.0)


def _bits(x):
    return np.ascontiguousarray(x, dtype=float).view(np.uint64)


def test_dearer_threshold_is_its_formula_bit_for_bit():
    from edgecalc.costs.finance import dearer_threshold

    # around 1 (where max(|b|, 1) switches), zeros of either sign, NaN of either sign,
    # infinities, subnormals, the largest numbers; contiguous, strided and 0-d
    special = [0.0, -0.0, 1.0, -1.0, np.nextafter(1.0, 0), np.nextafter(1.0, 2), 0.5, -0.5,
               np.nan, -np.nan, np.inf, -np.inf, 5e-324, -5e-324, 1.7e308, -1.7e308]  # fmt: skip
    rng = np.random.default_rng(0)
    values = np.concatenate([special, rng.normal(size=998) * 10.0 ** rng.integers(-12, 12, 998)])
    with np.errstate(invalid="ignore"):  # -inf + inf
        for b in (values, values.reshape(2, -1).T, values[::3], values[5], [1.0, 2.0]):
            got, expected = dearer_threshold(b), _threshold_as_written(b)
            assert type(got) is type(expected) and np.shape(got) == np.shape(expected)
            assert np.array_equal(_bits(got), _bits(expected))


@pytest.mark.parametrize("months", [1, 255, 256, 300])
def test_break_even_month_on_any_axis_is_the_formula_bit_for_bit(months):
    # up to 255 months the month numbers are bytes (multiplied in place), beyond 2-byte
    # integers; months on the last axis, the first, or the third of a broadcast stack
    from edgecalc.costs.finance import dearer_threshold

    rng = np.random.default_rng(months)
    a = np.cumsum(rng.integers(0, 5, (3, 40, months)).astype(float), axis=-1)
    b = np.cumsum(rng.integers(0, 5, (3, 40, months)).astype(float), axis=-1)
    a[rng.random(a.shape) < 0.05] = np.nan
    by_hand = [[_break_even_by_hand(x, y) for x, y in zip(ra, rb, strict=True)]
               for ra, rb in zip(a, b, strict=True)]  # fmt: skip
    expected = np.array(by_hand)
    assert np.array_equal(break_even_month(a, b), expected, equal_nan=True)
    threshold = _threshold_as_written(b)
    assert np.array_equal(break_even_month(a, b, threshold), expected, equal_nan=True)
    by_month_a, by_month_b = np.moveaxis(a, -1, 0), np.moveaxis(b, -1, 0)
    got = break_even_month(by_month_a, by_month_b, dearer_threshold(by_month_b), axis=0)
    assert np.array_equal(got, expected, equal_nan=True)
    # every option of a stack against every other: (3, 1, M, 40) against (1, 3, M, 40)
    stack_a, stack_b = np.moveaxis(a, -1, 1), np.moveaxis(b, -1, 1)
    got = break_even_month(stack_a[:, None], stack_b[None], axis=2)
    for i in range(3):
        for j in range(3):
            row = [_break_even_by_hand(x, y) for x, y in zip(a[i], b[j], strict=True)]
            assert np.array_equal(got[i, j], row, equal_nan=True)


def test_break_even_month_of_one_series_is_a_0d_array():
    a = np.cumsum([10.0, 1, 1, 1])
    b = np.cumsum([2.0, 4, 4, 4])
    for got, expected in ((break_even_month(a, b), 3.0), (break_even_month(a + 100, b), np.nan)):
        assert isinstance(got, np.ndarray) and got.shape == () and got.dtype == float
        assert np.array_equal(got, expected, equal_nan=True)

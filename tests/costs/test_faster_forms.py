"""The engine's faster forms give the bits of the forms they replace (issue 18).

Each test compares a new form with the expression it replaced, bit for bit (``view(uint64)``:
a -0.0 is not a +0.0, and a NaN's payload counts), on the values that make forms differ:
-0.0, NaN, infinities, negatives.
"""

from __future__ import annotations

import numpy as np
import pytest

from edgecalc.costs.lines import SharedSums, line, monthly_sum_usd
from edgecalc.costs.options import _within_allowance
from edgecalc.costs.sizing import _at_least_zero, units_needed

NASTY = [-0.0, 0.0, -1.0, 2.0, np.nan, -np.inf, np.inf, 5e-324, -5e-324]


def bits(a) -> list[int]:
    return np.asarray(a, dtype=float).view(np.uint64).ravel().tolist()


@pytest.mark.parametrize(
    "values",
    [
        [-0.0, 0.0, 1.0, 3.0],  # only -0.0 to change: the addition's path
        [-0.0, np.nan, 3.0],  # a NaN: numpy.maximum's path
        [-2.0, -0.0, 5.0],  # a negative: numpy.maximum's path
        [np.inf, -0.0],
        [-np.inf, 1.0],
        NASTY,
        [],
    ],
)
def test_at_least_zero_is_clip_min_zero_bit_for_bit(values):
    a = np.array(values, dtype=float)
    assert bits(_at_least_zero(a.copy())) == bits(a.clip(min=0))


def test_at_least_zero_of_a_2d_block_and_of_a_scalar():
    rng = np.random.default_rng(4)
    block = np.ceil(rng.normal(size=(300, 60)) - 1e-9)  # negatives, -0.0 and positives
    assert bits(_at_least_zero(block.copy())) == bits(block.clip(min=0))
    whole = np.ceil(rng.uniform(0, 5, size=(300, 60)) - 1e-9)  # none negative: the addition
    assert bits(_at_least_zero(whole.copy())) == bits(whole.clip(min=0))
    assert float(_at_least_zero(np.float64(-0.0))) == 0.0
    assert not np.signbit(_at_least_zero(np.float64(-0.0)))


def test_units_needed_hand_worked_and_as_the_old_expression():
    # 60/s on devices of 148.713/s at 70%: 60 / 104.0991 = 0.576 -> 1; no load -> 0, not -0
    assert int(units_needed(60, 148.713, 0.7)) == 1
    peak = np.array([[0.0, 60.0, 104.0991, 104.0992, 1e9]])
    got = units_needed(peak, 148.713, 0.7)
    assert got.tolist() == [[0.0, 1.0, 1.0, 2.0, 9606231.0]]
    assert not np.signbit(got).any()
    old = np.ceil(peak / (148.713 * 0.7) - 1e-9).clip(min=0)
    assert bits(got) == bits(old)


@pytest.mark.parametrize("free", [0.0, 10.0, 1e12])
def test_within_allowance_is_the_largest_month_test(free):
    rng = np.random.default_rng(1)
    q = rng.uniform(0, 20, size=(50, 12))
    allowance = np.full((50, 1), free)
    old = bool(np.all(q.max(axis=-1, keepdims=True) <= allowance))
    assert _within_allowance(q, allowance) is old
    q[3, 7] = np.nan  # a NaN is never within the allowance
    assert _within_allowance(q, allowance) is False


def test_within_allowance_cannot_tell_for_an_infinite_or_nan_allowance():
    q = np.ones((2, 3))
    assert _within_allowance(q, np.array([[np.inf], [1.0]])) is None
    assert _within_allowance(q, np.array([[np.nan], [1.0]])) is None
    assert _within_allowance(np.ones((0, 3)), np.ones((0, 1))) is None


def test_finite_sum_is_worked_out_once_per_array_and_tells_nan_and_inf():
    sums = SharedSums()
    finite, with_nan, with_inf = np.ones((4, 3)), np.ones((4, 3)), np.ones((4, 3))
    with_nan[1, 2], with_inf[0, 0] = np.nan, np.inf
    assert sums.finite_sum(finite) is True
    assert sums.finite_sum(with_nan) is False
    assert sums.finite_sum(with_inf) is False
    with np.errstate(over="ignore"):  # a sum that overflows is taken as not finite
        assert sums.finite_sum(np.full((2, 2), 1e308)) is False
    finite[0, 0] = np.nan  # the answer is kept for the array (an engine call never writes)
    assert sums.finite_sum(finite) is True


def test_zero_priced_lines_skipped_with_shared_sums_as_without():
    shape = (3, 4)
    q = np.arange(12.0).reshape(shape)
    free = line("cloud", "transfer", "in", "GB", q, np.broadcast_to(0.0, (3, 1)), shape=shape)
    paid = line("cloud", "compute", "hours", "h", q, np.full((3, 1), 2.5), shape=shape)
    nan_q = q.copy()
    nan_q[2, 3] = np.nan
    nan_free = line(
        "cloud", "transfer", "in", "GB", nan_q, np.broadcast_to(0.0, (3, 1)), shape=shape
    )
    for lines in ([free, paid], [paid, free, free], [paid, nan_free], [free]):
        plain = monthly_sum_usd(lines)
        shared = monthly_sum_usd(lines, SharedSums())
        assert bits(plain) == bits(shared)
    # hand-worked: 2.5 $/h x the hours, the free line adds nothing; a NaN quantity gives NaN
    assert monthly_sum_usd([free, paid], SharedSums()).tolist() == (q * 2.5).tolist()
    assert np.isnan(monthly_sum_usd([paid, nan_free], SharedSums())[2, 3])

"""fleet_over_time with a different refresh period per sample (the vectorised cycles)."""

from __future__ import annotations

import numpy as np

from edgecalc.costs.sizing import fleet_over_time


def test_each_sample_follows_its_own_refresh_cycle():
    # needed 2, 3, 1, 4, 2 in months 0..4.
    # Sample 0, refresh 2: cycles [0,1], [2,3], [4]: installed 2, 3 | 1, 4 | 2;
    #   bought 2, 1 | 1, 3 | 2 (a refresh buys what that month needs, then only growth).
    # Sample 1, refresh 60 (beyond the horizon): running max 2, 3, 3, 4, 4; bought 2, 1, 0, 1, 0.
    needed = np.array([[2, 3, 1, 4, 2], [2, 3, 1, 4, 2]], dtype=float)
    installed, bought = fleet_over_time(needed, np.array([2, 60]))
    np.testing.assert_array_equal(installed, [[2, 3, 1, 4, 2], [2, 3, 3, 4, 4]])
    np.testing.assert_array_equal(bought, [[2, 1, 1, 3, 2], [2, 1, 0, 1, 0]])


def test_one_run_is_the_first_row_of_many():
    # one code path for one run and N samples: a (M,) input gives the (1, M) answer
    needed = np.array([1, 1, 2, 2, 5, 3], dtype=float)
    one = fleet_over_time(needed, 4)
    many = fleet_over_time(needed[None, :].repeat(3, axis=0), np.array([4, 4, 4]))
    np.testing.assert_array_equal(one[0], many[0][0])
    np.testing.assert_array_equal(one[1], many[1][2])

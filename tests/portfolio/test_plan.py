"""The mixed plan's rule, worked by hand: fixed costs once per option used, the cloud the
default unless another option saves the required share, a kind used by few groups pays its
floor or goes."""

import numpy as np
import pytest

from edgecalc.portfolio.plan import NONE_INDEX, PlanInputs, choose, fixed_and_own, plan_cost

CLOUD, EDGE = 0, 1


def inputs(own, fixed, feasible=None, fraction=0.25):
    own = np.asarray(own, dtype=float)
    return PlanInputs(
        own=own,
        fixed=np.asarray(fixed, dtype=float),
        feasible=np.ones(own.shape, bool) if feasible is None else np.asarray(feasible),
        weight=np.array([1.0, 1 / (1 - fraction)]),
    )


def test_fixed_cost_is_what_groups_alone_pay_beyond_the_fleet():
    # three groups alone: 1,100 + 1,200 + 1,300 = 3,600; the fleet pays 1,600 -> the fixed
    # part is (3,600 - 1,600) / 2 = 1,000 and each group's own 100, 200, 300 (sum + 1,000 =
    # the fleet's 1,600)
    fixed, own = fixed_and_own(np.array([1100.0, 1200.0, 1300.0]), 1600.0)
    assert fixed == pytest.approx(1000.0)
    assert own.tolist() == pytest.approx([100.0, 200.0, 300.0])
    assert fixed + own.sum() == pytest.approx(1600.0)


def test_a_saving_smaller_than_the_fixed_cost_keeps_groups_on_the_cloud():
    # edge saves 30 and 40 on the groups' own costs (all over the 25 % margin: 40/70, 60/100)
    # but its fixed cost is 100: cloud 70 + 100 = 170 against edge 100 + 40 + 60 = 200
    p = inputs([[70, 100], [40, 60]], [0, 100])
    assert choose(p).tolist() == [CLOUD, CLOUD]
    # a fixed cost of 10: edge 10 + 40 + 60 = 110, weighted 110 / 0.75 = 146.7 < 170
    assert choose(inputs([[70, 100], [40, 60]], [0, 10])).tolist() == [EDGE, EDGE]


def test_a_group_forced_to_the_edge_pays_its_floor_once_for_the_others():
    # group 0 cannot use the cloud; edge's fixed 100 is paid anyway, so group 1, for which
    # edge's own 50 is at most 0.75 x the cloud's 80 (= 60), joins it; group 2 (edge 70 vs
    # cloud 80: 12 % saving, under 25 %) stays on the cloud
    feasible = [[False, True, True], [True, True, True]]
    p = inputs([[90, 80, 80], [40, 50, 70]], [0, 100], feasible)
    assignment = choose(p)
    assert assignment.tolist() == [EDGE, EDGE, CLOUD]
    # the plan's cost: edge 100 + 40 + 50, cloud 0 + 80 = 270
    assert plan_cost(assignment, p.own, p.fixed) == pytest.approx(270.0)


def test_a_kind_used_by_a_handful_of_groups_is_dropped_when_its_floor_outweighs_them():
    # the cloud's fixed 500 for one group saving 30 on its own costs: all groups go to edge
    p = inputs([[10, 1000, 1000], [40, 100, 100]], [500, 0])
    assert choose(p).tolist() == [EDGE, EDGE, EDGE]


def test_a_group_no_option_serves_is_left_out():
    feasible = [[False, True], [False, True]]
    assert choose(inputs([[1, 1], [1, 1]], [0, 0], feasible))[0] == NONE_INDEX

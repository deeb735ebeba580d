"""The mixed plan: each site group on its best option, each option's fixed costs paid once.

Notes
-----
**Fixed and per-group costs.** Evaluated alone (:func:`edgecalc.portfolio.groups.evaluate_groups`),
every group pays the whole of an option's fleet-wide costs (the labour platform floor, platform
fees, one-time integration, optimisation per hardware target, the cloud's minimum instances and
operations share); the whole fleet on the option pays them once. With ``c_g`` group g's cost
alone and ``C`` the fleet's on the option (both from the engine), the option's fixed cost is

    F = max(0, (sum_g c_g - C) / (G - 1))

and group g's own cost ``m_g = c_g - F``. For a cost made of a fixed part plus a part per
group this is exact, and ``F + sum_g m_g = C`` for every single-option plan; where the fleet
pools capacity (a cloud instance shared by small groups) the saving of pooling is counted with
the fixed part.

**The plan.** A plan assigns each group to one option; its cost is the sum over the options it
uses of ``F_k + sum of m_k`` over their groups. Choices follow the decision rule of the single
scenario (the cloud is the default; another kind must save ``min_cost_saving_fraction``): they
minimise the *weighted* cost, in which a cost of a non-cloud option counts
``1 / (1 - min_cost_saving_fraction)`` times. Starting from each group's cheapest feasible option
on its own cost (the rule applied per group), a greedy pass repeats until nothing improves:

- drop: an option a plan uses moves all its groups to their next best feasible option when that
  saves more than its fixed cost (a kind used by a handful of groups pays its floor or goes);
- add: an option the plan does not use takes the groups it serves for less when the saving
  exceeds its fixed cost.

The single-option plans and the greedy result are compared on the weighted cost; the lowest
feasible one is the mixed plan (it may equal a single-option plan).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NONE_INDEX = -1
"""Assignment of a group no option can serve."""


@dataclass(frozen=True)
class PlanInputs:
    """The figures a plan is chosen from, for one sample (the point values).

    Attributes
    ----------
    own : ndarray (K, G)
        Each group's own cost per option on the decision basis, fixed costs excluded [USD].
    fixed : ndarray (K,)
        Each option's fleet-wide fixed cost on the decision basis [USD].
    feasible : ndarray of bool (K, G)
        Whether the option can serve the group.
    weight : ndarray (K,)
        1 for a cloud-kind option, ``1 / (1 - min_cost_saving_fraction)`` for the others.
    """

    own: np.ndarray
    fixed: np.ndarray
    feasible: np.ndarray
    weight: np.ndarray


def fixed_and_own(alone: np.ndarray, fleet: float) -> tuple[float, np.ndarray]:
    """An option's fixed cost and each group's own cost (see the module notes).

    Parameters
    ----------
    alone : ndarray (G,)
        Each group's cost on the option evaluated alone [USD].
    fleet : float
        The whole fleet's cost on the option [USD].

    Returns
    -------
    fixed : float
        ``max(0, (sum(alone) - fleet) / (G - 1))`` [USD]; 0 for one group.
    own : ndarray (G,)
        ``alone - fixed`` [USD].

    Examples
    --------
    >>> fixed, own = fixed_and_own(np.array([150.0, 250.0]), 300.0)
    >>> float(fixed), own.tolist()
    (100.0, [50.0, 150.0])
    """
    g = len(alone)
    fixed = 0.0 if g < 2 else max(0.0, (float(alone.sum()) - fleet) / (g - 1))
    return fixed, alone - fixed


def plan_cost(assign: np.ndarray, cost: np.ndarray, fixed: np.ndarray) -> float:
    """Sum over the options used of the fixed cost plus the own costs of their groups; a
    group assigned :data:`NONE_INDEX` costs nothing (it is not served) [USD]."""
    served = assign >= 0
    used = np.unique(assign[served])
    own = cost[assign[served], np.flatnonzero(served)].sum()
    return float(own + fixed[used].sum())


def choose(p: PlanInputs, max_rounds: int = 50) -> np.ndarray:
    """The mixed plan's option index per group (:data:`NONE_INDEX` where none is feasible).

    Examples
    --------
    Two groups; option 1 (edge) is cheaper for both but carries a fixed cost of 100 that the
    saving (10 + 20) does not pay: both stay on option 0 (cloud).

    >>> p = PlanInputs(own=np.array([[50.0, 60.0], [40.0, 40.0]]), fixed=np.array([0.0, 100.0]),
    ...                feasible=np.ones((2, 2), bool), weight=np.array([1.0, 1.0]))
    >>> choose(p).tolist()
    [0, 0]
    """
    weighted = np.where(p.feasible, p.own * p.weight[:, None], np.inf)
    wfixed = p.fixed * p.weight
    k = weighted.shape[0]
    servable = np.isfinite(weighted).any(axis=0)
    start = np.where(servable, np.argmin(weighted, axis=0), NONE_INDEX)
    candidates = [_improve(start, weighted, wfixed, max_rounds)]
    for option in range(k):  # the single-option plans, where feasible for every servable group
        if p.feasible[option, servable].all():
            candidates.append(np.where(servable, option, NONE_INDEX))
    costs = [
        plan_cost(a, np.where(np.isfinite(weighted), weighted, 0.0), wfixed) for a in candidates
    ]
    return candidates[int(np.argmin(costs))]


def _improve(assign, weighted, wfixed, max_rounds) -> np.ndarray:
    assign = assign.copy()
    k = weighted.shape[0]
    finite = np.where(np.isfinite(weighted), weighted, 0.0)
    for _ in range(max_rounds):
        best = plan_cost(assign, finite, wfixed)
        trial = None
        for option in range(k):
            moved = _dropped(assign, option, weighted) if option in assign else None
            if moved is None:
                moved = _added(assign, option, weighted)
            if moved is not None:
                cost = plan_cost(moved, finite, wfixed)
                if cost < best * (1 - 1e-12):
                    best, trial = cost, moved
        if trial is None:
            return assign
        assign = trial
    return assign


def _dropped(assign, option, weighted) -> np.ndarray | None:
    """The plan without ``option``: its groups on their next best feasible option."""
    mine = assign == option
    others = weighted.copy()
    others[option] = np.inf
    if not np.isfinite(others[:, mine]).any(axis=0).all():
        return None  # some group has nowhere else to go
    out = assign.copy()
    out[mine] = np.argmin(others[:, mine], axis=0)
    return out


def _added(assign, option, weighted) -> np.ndarray | None:
    """The plan with ``option`` taking every group it serves for less."""
    served = assign >= 0
    current = np.full(assign.shape, np.inf)
    current[served] = weighted[assign[served], np.flatnonzero(served)]
    takes = weighted[option] < current
    if not takes.any():
        return None
    out = assign.copy()
    out[takes] = option
    return out

"""Monte Carlo of a portfolio, cut by site groups and by samples: each group's verdict per sample.

For a scenario with several site groups, ``simulate(..., by_group=True)`` also answers, per
group, how often the mixed plan (:mod:`edgecalc.portfolio.plan`) puts it on each option, and
how often the mixed plan beats every single-option plan.

How the work is cut
-------------------
A task is one batch of samples x one slice of groups (:class:`GroupTask`): it draws the
batch's inputs from their seed blocks (:meth:`~edgecalc.uncertainty.batches.SamplingPlan.draw`,
the same samples as the fleet-wide run) and evaluates each group of the slice alone
(:func:`edgecalc.portfolio.groups.evaluate_groups`), returning arrays of shape
(samples in the batch, groups in the slice). No task holds the whole (groups x samples)
array. This process joins the slices of one batch (one batch x all groups at a time), splits
each option's fixed cost from the groups' own per sample
(:func:`edgecalc.portfolio.plan.fixed_and_own`, with the fleet's cost of the same sample) and
chooses the plan per sample (:func:`edgecalc.portfolio.plan.choose`), keeping only counts.

Every figure of a sample depends on that sample's inputs alone, so the cut (batch size, slice
size, backend) changes no number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..portfolio.groups import evaluate_groups
from ..portfolio.plan import NONE_INDEX, PlanInputs, choose, fixed_and_own, plan_cost
from .backend import Backend
from .batches import SamplingPlan
from .chunks import Chunk, iter_batches

__all__ = ["GROUP_SLICE", "GroupTask", "PortfolioCounts", "group_verdicts"]

GROUP_SLICE = 500
"""Most site groups one task evaluates [groups]."""


@dataclass(frozen=True)
class GroupTask:
    """Samples ``batch`` of groups ``[first, stop)``."""

    batch: Chunk
    first: int
    stop: int


@dataclass
class GroupSlice:
    """What one task gives back, arrays of shape (samples of the batch, groups of the slice)."""

    task: GroupTask
    cost_usd: dict[str, np.ndarray]
    """Per option, each group's cost alone on the decision basis [USD]."""
    feasible: dict[str, np.ndarray]
    """Per option, whether it can serve each group [bool]."""


def evaluate_group_slice(plan: SamplingPlan, task: GroupTask) -> GroupSlice:
    """Draw the batch's samples and evaluate groups ``[task.first, task.stop)`` alone."""
    drawn = plan.draw(task.batch)
    x = plan.full_inputs(drawn, task.batch.size)
    alone = evaluate_groups(plan.resolved, x, range(task.first, task.stop))
    basis = plan.resolved.scenario.decision.basis
    cost = alone.npv_usd if basis == "npv" else alone.total_usd
    return GroupSlice(task, dict(cost), dict(alone.feasible))


@dataclass
class PortfolioCounts:
    """Counts over the samples of a portfolio run."""

    options: tuple[str, ...]
    verdicts: np.ndarray
    """(options + 1, groups): samples in which the mixed plan puts the group on each option
    (last row: on none) [samples]."""
    mixed_cost_usd: np.ndarray
    """Per sample, the mixed plan's cost on the decision basis [USD]."""
    mixed_beats_all: np.ndarray
    """Per sample, whether the mixed plan costs less than every feasible single-option plan
    [bool]."""


def _weights(plan: SamplingPlan, fraction: float) -> np.ndarray:
    """1 for a cloud-kind option, ``1 / (1 - min_cost_saving_fraction)`` for the others."""
    specs = plan.resolved.options
    return np.array([1.0 if s.kind == "cloud" else 1 / max(1 - fraction, 1e-9) for s in specs])


def _choose_batch(plan, batch: Chunk, cost, feasible, fleet_usd, counts, fraction) -> None:
    """Per sample of the batch: split fixed costs, choose the plan, count the verdicts."""
    names = plan.options
    for s in range(batch.size):
        weight = _weights(plan, float(fraction[s]))
        split = [fixed_and_own(cost[k][s], float(fleet_usd[k][s])) for k in names]
        fixed = np.array([f for f, _ in split])
        own = np.stack([o for _, o in split])
        able = np.stack([feasible[k][s] for k in names])
        assign = choose(PlanInputs(own=own, fixed=fixed, feasible=able, weight=weight))
        row = np.where(assign == NONE_INDEX, len(names), assign)
        np.add.at(counts.verdicts, (row, np.arange(row.size)), 1)
        i = batch.start + s
        counts.mixed_cost_usd[i] = plan_cost(assign, own, fixed) if (assign >= 0).all() else np.nan
        singles = [float(fleet_usd[k][s]) for j, k in enumerate(names) if able[j].all()]
        counts.mixed_beats_all[i] = bool(
            np.isfinite(counts.mixed_cost_usd[i])
            and all(counts.mixed_cost_usd[i] < c * (1 - 1e-12) for c in singles)
        )


def group_verdicts(
    plan: SamplingPlan,
    where: Backend,
    batch_size: int,
    fleet_usd: dict[str, np.ndarray],
    saving_fraction: np.ndarray,
    group_slice: int | None = None,
) -> PortfolioCounts:
    """Each group's verdict in every sample, cut by samples and groups, counted.

    Parameters
    ----------
    plan : SamplingPlan
        The run (its samples are those of the fleet-wide run).
    where : Backend
        Where the tasks run.
    batch_size : int
        Samples per task [samples].
    fleet_usd : dict of str to ndarray
        Per option, the whole fleet's cost of every sample on the decision basis [USD].
    saving_fraction : ndarray
        Per sample, ``decision.min_cost_saving_fraction`` [-].
    group_slice : int, optional
        Most groups per task [groups]; default :data:`GROUP_SLICE`.

    Returns
    -------
    PortfolioCounts
    """
    groups = len(plan.resolved.groups)
    names = plan.options
    counts = PortfolioCounts(
        names,
        np.zeros((len(names) + 1, groups), dtype=np.int64),
        np.empty(plan.samples),
        np.zeros(plan.samples, dtype=bool),
    )
    slices = max(1, math.ceil(groups / (group_slice or GROUP_SLICE)))
    bounds = [(j * groups // slices, (j + 1) * groups // slices) for j in range(slices)]
    tasks = (
        GroupTask(batch, first, stop)
        for batch in iter_batches(0, plan.samples, batch_size)
        for first, stop in bounds
    )
    pending: list[GroupSlice] = []
    for part in where.map_batches(evaluate_group_slice, tasks, plan):
        pending.append(part)
        if len(pending) < slices:
            continue
        batch = part.task.batch
        cost = {k: np.concatenate([p.cost_usd[k] for p in pending], axis=1) for k in names}
        able = {k: np.concatenate([p.feasible[k] for p in pending], axis=1) for k in names}
        fleet = {k: fleet_usd[k][batch.slice] for k in names}
        _choose_batch(plan, batch, cost, able, fleet, counts, saving_fraction[batch.slice])
        pending = []
    return counts


def verdict_frame(plan: SamplingPlan, counts: PortfolioCounts) -> pd.DataFrame:
    """One row per site group: ``group``, then per option ``p_<option>`` (share of samples in
    which the mixed plan puts the group on it) and ``p_none`` [-]."""
    columns: dict[str, object] = {"group": [g.name for g in plan.resolved.groups]}
    shares = counts.verdicts / plan.samples
    for j, k in enumerate((*counts.options, "none")):
        columns[f"p_{k}"] = shares[j]
    return pd.DataFrame(columns)

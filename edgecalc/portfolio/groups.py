"""Every site group evaluated on its own, vectorised: the groups are the sample axis.

A scenario's site groups differ in a few numbers (count, rate, uplink, RTT, link prices) and
in a little structure (country and residency zone, link technology and pricing terms, which
fields a group sets itself). Groups of the same structure are evaluated together as the
samples of one :func:`edgecalc.pipeline.engine.run` of a one-group scenario: the group's own
inputs vary along the sample axis, every other input is repeated. A portfolio of 10,000
groups is then a handful of engine runs of a few thousand samples each, not 10,000 runs.

:func:`evaluate_groups` takes any slice of groups and any number of samples of the inputs,
so that a caller can chunk a portfolio by groups and by samples (Monte Carlo on Dask).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..pipeline.engine import OptionArrays, run
from ..pipeline.resolve import Resolved

GROUP_PATH = re.compile(r"^sites\.list\.(\d+)\.(.+)$")
"""An input of one listed site group: ``sites.list.<i>.<field>``."""

CHUNK_ROWS = 2048
"""Most (sample, group) pairs one engine run evaluates: bounds the memory of the cost lines
(about 0.15 MB per row over 60 months) [rows]."""


@dataclass(frozen=True)
class GroupCosts:
    """Each option's figures for each site group evaluated on its own.

    Attributes
    ----------
    options : tuple of str
        Option names, in report order.
    groups : ndarray of int (G,)
        Indices of the groups evaluated (into ``Resolved.groups``).
    total_usd, npv_usd : dict of str to ndarray (S, G)
        The group's cost on the option over the horizon as if it were the whole fleet:
        undiscounted and discounted [USD].
    feasible : dict of str to ndarray of bool (S, G)
        True where the option meets every hard constraint at that group.
    broken : dict of str to dict of str to ndarray of bool (S, G)
        Per option, per constraint (``latency``, ``residency``, ``uplink``, ``link_cap``,
        ``availability`` ...), True where the group breaks it.
    latency_ms : dict of str to ndarray (S, G)
        The option's end-to-end latency at the percentile at the group [ms].
    """

    options: tuple[str, ...]
    groups: np.ndarray
    total_usd: dict[str, np.ndarray]
    npv_usd: dict[str, np.ndarray]
    feasible: dict[str, np.ndarray]
    broken: dict[str, dict[str, np.ndarray]]
    latency_ms: dict[str, np.ndarray]


def evaluate_groups(
    resolved: Resolved,
    x: Mapping[str, np.ndarray],
    groups: Sequence[int] | None = None,
) -> GroupCosts:
    """Evaluate each site group of ``groups`` alone, for every sample of ``x``.

    Parameters
    ----------
    resolved : Resolved
        The portfolio scenario (several site groups).
    x : mapping of str to ndarray (S,)
        The inputs: :func:`edgecalc.pipeline.resolve.point_inputs` (S = 1) or S Monte Carlo
        samples.
    groups : sequence of int, optional
        Which groups (indices into ``resolved.groups``); default all. Any slice gives the
        same figures for its groups as the whole portfolio does.

    Returns
    -------
    GroupCosts
        Arrays of shape (S, len(groups)).

    Notes
    -----
    Groups are split into classes of equal structure (:func:`structure`); each class runs
    through the engine as a one-group scenario whose sample axis holds (sample, group) pairs,
    at most :data:`CHUNK_ROWS` per run.
    """
    index = np.arange(len(resolved.groups)) if groups is None else np.asarray(groups, dtype=int)
    samples = len(next(iter(x.values())))
    own = _own_inputs(x)
    shared = {path: v for path, v in x.items() if not GROUP_PATH.match(path)}
    names = tuple(spec.name for spec in resolved.options)
    out = _Collector(names, samples, len(index))
    classes: dict[tuple, list[int]] = defaultdict(list)
    for j, i in enumerate(index):
        classes[structure(resolved.groups[i], int(i), own.get(int(i), ()))].append(j)
    per_chunk = max(1, CHUNK_ROWS // samples)
    for members in classes.values():
        first = int(index[members[0]])
        template = _one_group(resolved, first)
        for start in range(0, len(members), per_chunk):
            chunk = members[start : start + per_chunk]
            members_i = [int(index[j]) for j in chunk]
            xs = _class_inputs(x, shared, own.get(first, ()), first, members_i)
            engine = run(xs, template)
            out.add(engine.options, chunk)
    return out.result(index)


def structure(group, i: int, own_fields: tuple[str, ...]) -> tuple:
    """What must be equal for two groups to share one engine run: which inputs the group
    sets itself (its ``sites.list.<i>.*`` paths), where its figures live, its country and
    residency zone, and its link's technology and pricing terms."""

    def pattern(path: str) -> str:
        return path.replace(f"sites.list.{i}.", "sites.list.*.")

    link = group.link
    link_shape = (
        None if link is None else (pattern(link.prefix), link.technology, link.terms, link.failover)
    )
    return (
        own_fields,
        pattern(group.count),
        pattern(group.inferences_per_second),
        pattern(group.uplink_mbps),
        pattern(group.downlink_mbps),
        pattern(group.wan_availability),
        pattern(group.rtt_ms),
        group.country,
        group.zone,
        link_shape,
    )


def _own_inputs(x) -> dict[int, tuple[str, ...]]:
    """Per listed group, the fields of its own inputs (``sites.list.<i>.<field>``), sorted."""
    own: dict[int, list[str]] = defaultdict(list)
    for path in x:
        m = GROUP_PATH.match(path)
        if m:
            own[int(m.group(1))].append(m.group(2))
    return {i: tuple(sorted(fields)) for i, fields in own.items()}


def _one_group(resolved: Resolved, i: int) -> Resolved:
    """The scenario with group ``i`` as its only site group (extra cloud options too)."""
    variants = {
        name: dataclasses.replace(v, groups=[v.groups[i]]) for name, v in resolved.variants.items()
    }
    return dataclasses.replace(resolved, groups=[resolved.groups[i]], variants=variants)


def _class_inputs(x, shared, fields: tuple[str, ...], first: int, members: list[int]) -> dict:
    """The inputs of one engine run: row ``s * n + j`` is sample s of group ``members[j]``,
    under the paths of group ``first`` (the template). Only the inputs every group shares
    (``shared``) and the template's own are passed: the other groups' inputs would cost memory
    in proportion to the portfolio's size for every row."""
    n = len(members)
    xs = {path: np.repeat(np.asarray(v, dtype=float), n) for path, v in shared.items()}
    for name in fields:
        stacked = np.stack([np.asarray(x[f"sites.list.{i}.{name}"]) for i in members], axis=1)
        xs[f"sites.list.{first}.{name}"] = stacked.reshape(-1)  # (S, n) -> S * n
    return xs


class _Collector:
    """Gathers each run's per-option figures into (S, G) arrays."""

    def __init__(self, names, samples, count):
        self.names, self.samples = names, samples

        def empty(dtype=float):
            return {k: np.zeros((samples, count), dtype=dtype) for k in names}

        self.total, self.npv, self.latency = empty(), empty(), empty()
        self.feasible = empty(bool)
        self.broken: dict[str, dict[str, np.ndarray]] = {k: {} for k in names}
        self.count = count

    def add(self, options: dict[str, OptionArrays], chunk: list[int]) -> None:
        shape = (self.samples, len(chunk))
        for name in self.names:
            o = options[name]
            self.total[name][:, chunk] = o.total_usd.reshape(shape)
            self.npv[name][:, chunk] = o.npv_usd.reshape(shape)
            self.feasible[name][:, chunk] = o.feasible.reshape(shape)
            self.latency[name][:, chunk] = np.asarray(o.latency["total"]).reshape(shape)
            for v in o.violations:
                table = self.broken[name].setdefault(
                    v.constraint, np.zeros((self.samples, self.count), dtype=bool)
                )
                table[:, chunk] |= np.broadcast_to(v.mask, (self.samples * len(chunk),)).reshape(
                    shape
                )

    def result(self, index) -> GroupCosts:
        return GroupCosts(
            self.names, index, self.total, self.npv, self.feasible, self.broken, self.latency
        )

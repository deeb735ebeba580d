"""Grid points (a sweep) cut into batches and evaluated where the batches run.

:func:`evaluate_grid` cuts a list of points into consecutive batches, evaluates each with the
caller's ``evaluate(base, points)`` on a backend (:mod:`edgecalc.uncertainty.backend`: this
process, or a Dask cluster) and joins the results in point order. Every point is computed from
its own inputs, so the cut changes no number. In this process the whole grid is one batch
(one call, as without a backend).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .backend import Backend, InProcess, open_backend

__all__ = ["TASKS_PER_THREAD", "evaluate_grid", "join_results"]

TASKS_PER_THREAD = 4
"""On Dask, the grid is cut into this many tasks per worker thread, to even out their
lengths [-]."""

Point = Mapping[str, float]


def join_results(parts: Sequence[Any]) -> Any:
    """Concatenate results of consecutive batches: arrays end to end, dicts key by key.

    Examples
    --------
    >>> join_results([{"a": np.array([1]), "b": {"x": np.array([2.0])}},
    ...               {"a": np.array([3]), "b": {"x": np.array([4.0])}}])
    {'a': array([1, 3]), 'b': {'x': array([2., 4.])}}
    """
    first = parts[0]
    if isinstance(first, dict):
        return {key: join_results([p[key] for p in parts]) for key in first}
    return np.concatenate([np.asarray(p) for p in parts])


def _evaluate_task(shared: tuple[Callable, Any], points: list[Point]) -> Any:
    evaluate, base = shared
    return evaluate(base, points)


def _batches(points: Sequence[Point], where: Backend) -> list[list[Point]]:
    if isinstance(where, InProcess):
        return [list(points)]
    threads = getattr(where, "threads", 1)
    size = max(1, math.ceil(len(points) / (TASKS_PER_THREAD * threads)))
    return [list(points[i : i + size]) for i in range(0, len(points), size)]


def evaluate_grid(
    evaluate: Callable[[Any, Sequence[Point]], Any],
    base: Any,
    points: Sequence[Point],
    scheduler: str | Backend | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """``evaluate(base, points)``, cut into batches on the backend asked for, joined in order.

    Parameters
    ----------
    evaluate : callable
        A module-level function (Dask ships it by reference) of ``(base, points)`` that
        returns arrays, or dicts of arrays, with one entry per point.
    base : object
        What every batch needs (the prepared scenario); sent to each Dask worker once.
    points : sequence of mapping
        The grid points, input path -> value [unit of the input].
    scheduler, workers
        As in :func:`edgecalc.uncertainty.backend.open_backend`.
    progress : callable, optional
        ``progress(done, total)`` after each batch [points].

    Returns
    -------
    object
        The same as ``evaluate(base, points)`` in one call.
    """
    with open_backend(scheduler, workers) as where:
        batches = _batches(points, where)
        parts = []
        for part in where.map_batches(_evaluate_task, batches, (evaluate, base)):
            parts.append(part)
            if progress is not None:
                progress(sum(len(b) for b in batches[: len(parts)]), len(points))
    return parts[0] if len(parts) == 1 else join_results(parts)

"""What each chart of the Decide page draws, as a key: a figure is kept on the numbers it
shows, not on the whole result, so an edit that leaves a chart's numbers alone (a new latency
budget leaves every cost where it was) rebuilds nothing and sends the browser the same chart.

Each key names what the figure function in ``edgecalc.render.figures`` reads from a Result;
tests/app/test_app_chart_keys.py checks that a figure kept on its key is the figure edgecalc
builds for every shipped scenario and a range of edits.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd


def digest(*parts: Any) -> str:
    """A SHA-256 of ``parts``: each frame by its column names and every cell (in row order),
    each array by its dtype, shape and bytes, anything else by its ``repr``."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, pd.DataFrame):
            h.update(repr(list(part.columns)).encode())
            h.update(pd.util.hash_pandas_object(part, index=False).to_numpy().tobytes())
        elif isinstance(part, np.ndarray):
            h.update(f"{part.dtype.str}{part.shape}".encode())
            h.update(np.ascontiguousarray(part).tobytes())
        else:
            h.update(repr(part).encode())
        h.update(b"\x00")
    return h.hexdigest()


def _options(result) -> list[str]:
    return [str(o) for o in result.summary["option"]]


def _first_sample(values) -> np.ndarray:
    """The first sample's row of an engine array (S, M), as the tidy frames read it."""
    return np.asarray(np.asarray(values)[0], dtype=float)


def cumulative(result, bands: pd.DataFrame | None = None) -> str:
    """What ``cumulative_cost(result, bands)`` reads: the options, the monthly cumulative cost
    and the bands. The cumulative cost is the running sum of each option's monthly cost, so
    the key reads the engine's monthly costs (``result.engine``) where it has them: the
    ``monthly`` frame is then not built for a key."""
    out = getattr(result, "engine", None)
    if out is None:
        monthly = result.monthly[["option", "month", "cumulative_usd"]]
        return digest("cumulative", _options(result), monthly, bands)
    parts = [np.asarray(out.months)]
    for name, option in out.options.items():
        parts += [name, _first_sample(option.monthly_usd)]
    return digest("cumulative from the engine", _options(result), *parts, bands)


def breakdown(result) -> str:
    """What ``cost_breakdown(result)`` reads: the options, each cost line's category and USD
    (in order: the stacks follow it) and the horizon; from the engine's lines
    (``result.engine``) where it has them, so that the ``costs`` frame is not built for a
    key."""
    horizon = result.scenario.horizon_months
    out = getattr(result, "engine", None)
    if out is None:
        costs = result.costs[["category", "option", "usd"]]
        return digest("breakdown", _options(result), costs, horizon)
    parts = []
    for name, option in out.options.items():
        for ln in option.lines:
            parts += [name, ln.category, _first_sample(ln.usd)]
    return digest("breakdown from the engine", _options(result), *parts, horizon)


def waterfall(result, option: str) -> str:
    """What ``latency_waterfall(result, option)`` reads: the options, the latency components,
    the budget and its percentile."""
    budget_ms = result.value("latency.budget_ms")
    percentile = result.value("latency.percentile")
    latency = result.latency[["option", "component", "ms"]]
    return digest("waterfall", option, _options(result), latency, budget_ms, percentile)

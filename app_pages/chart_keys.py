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

import pandas as pd


def digest(*parts: Any) -> str:
    """A SHA-256 of ``parts``: each frame by its column names and every cell (in row order),
    anything else by its ``repr``."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, pd.DataFrame):
            h.update(repr(list(part.columns)).encode())
            h.update(pd.util.hash_pandas_object(part, index=False).to_numpy().tobytes())
        else:
            h.update(repr(part).encode())
        h.update(b"\x00")
    return h.hexdigest()


def _options(result) -> list[str]:
    return [str(o) for o in result.summary["option"]]


def cumulative(result, bands: pd.DataFrame | None = None) -> str:
    """What ``cumulative_cost(result, bands)`` reads: the options, the monthly cumulative cost
    and the bands."""
    monthly = result.monthly[["option", "month", "cumulative_usd"]]
    return digest("cumulative", _options(result), monthly, bands)


def breakdown(result) -> str:
    """What ``cost_breakdown(result)`` reads: the options, each cost line's category and USD
    (in order: the stacks follow it) and the horizon."""
    costs = result.costs[["category", "option", "usd"]]
    return digest("breakdown", _options(result), costs, result.scenario.horizon_months)


def waterfall(result, option: str) -> str:
    """What ``latency_waterfall(result, option)`` reads: the options, the latency components,
    the budget and its percentile."""
    budget_ms = result.value("latency.budget_ms")
    percentile = result.value("latency.percentile")
    latency = result.latency[["option", "component", "ms"]]
    return digest("waterfall", option, _options(result), latency, budget_ms, percentile)

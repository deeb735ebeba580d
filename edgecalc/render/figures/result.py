"""Plotly figures of a Result: cumulative cost, cost breakdown, latency waterfall, monthly cost.

Every function takes a :class:`~edgecalc.results.Result` and returns a
``plotly.graph_objects.Figure``; the app, the HTML report and notebooks all call these. Each
option has one colour on every chart (:data:`OPTION_COLORS`), each cost category one colour
(:data:`CATEGORY_COLORS`), each latency component one colour (:data:`COMPONENT_COLORS`). Every
axis carries its unit. No streamlit here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from ...format import ms, number, usd
from .theme import apply_template

if TYPE_CHECKING:
    from ...results import Result


OPTION_COLORS: dict[str, str] = {
    "cloud": "#1f77b4",  # blue
    "edge": "#ff7f0e",  # orange
    "hybrid": "#2ca02c",  # green
    "none": "#7f7f7f",
}
"""Colour of each option, the same on every chart."""

CATEGORY_COLORS: dict[str, str] = {
    # cloud
    "compute": "#4c78a8",
    "transfer": "#72b7b2",
    "network": "#54a24b",
    "storage": "#b79a20",
    # edge
    "hardware": "#f58518",
    "installation": "#e45756",
    "failures": "#b2182b",
    "power": "#eeca3b",
    "software": "#b279a2",
    "updates": "#9d755d",
    "telemetry": "#bab0ac",
    "site_visits": "#d67195",
    "residual": "#8c8c8c",
    "support": "#7b4173",
    "facilities": "#637939",
    # both
    "labour": "#ff9da6",
    "integration": "#393b79",
}
"""Colour of each cost category, the same on every chart (unknown categories get grey)."""

COMPONENT_COLORS: dict[str, str] = {
    "rtt": "#4c78a8",
    "upload": "#f58518",
    "download": "#72b7b2",
    "handshakes": "#e45756",
    "local_hop": "#54a24b",
    "inference": "#b279a2",
    "cold_start": "#eeca3b",
    "escalation": "#9d755d",
}
"""Colour of each latency component (unknown components get grey)."""

COMPONENT_LABELS: dict[str, str] = {
    "rtt": "network RTT",
    "upload": "request upload",
    "download": "response download",
    "handshakes": "handshakes",
    "local_hop": "local hop",
    "inference": "inference",
    "cold_start": "cold start",
}
"""How a latency component is named in legends."""

BUDGET_COLOR = "#d62728"
"""Colour of the dashed latency budget line."""

_OTHER_COLOR = "#7f7f7f"
_BAND_ALPHA = 0.18


def option_color(option: str) -> str:
    """The colour of an option (grey for an unknown one)."""
    return OPTION_COLORS.get(option, _OTHER_COLOR)


def category_color(category: str) -> str:
    """The colour of a cost category (grey for an unknown one)."""
    return CATEGORY_COLORS.get(category, _OTHER_COLOR)


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _options(result: Result) -> list[str]:
    return [str(o) for o in result.summary["option"]]


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    apply_template(fig)
    fig.update_layout(
        title={"text": title, "y": 0.98, "yanchor": "top"},
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "traceorder": "normal",
        },
        margin={"t": 120, "l": 70, "r": 20, "b": 60},
        hovermode="closest",
    )
    return fig


def latency_budget_ms(result: Result) -> float:
    """The end-to-end latency budget used by the evaluation (the median of a range) [ms]."""
    return result.value("latency.budget_ms")


def cumulative_cost(result: Result, bands: pd.DataFrame | None = None) -> go.Figure:
    """Cumulative cost of each option over the horizon, one line per option.

    Parameters
    ----------
    result : Result
        An evaluation; reads ``result.monthly`` (option, month, cumulative_usd).
    bands : DataFrame, optional
        Monte Carlo percentiles of the cumulative cost with columns option, month, p10, p50,
        p90 [USD]; each option gets a shaded P10-P90 band in its own colour behind its line.

    Returns
    -------
    plotly.graph_objects.Figure
        x: month [month], y: cumulative cost [USD]. One trace named after each option (the
        point estimate); band traces are named ``"<option> P10-P90"``.
    """
    fig = go.Figure()
    m = result.monthly
    for option in _options(result):
        color = option_color(option)
        if bands is not None:
            b = bands[bands["option"] == option].sort_values("month")
            if len(b):
                fig.add_trace(
                    go.Scatter(
                        x=list(b["month"]) + list(b["month"])[::-1],
                        y=list(b["p90"]) + list(b["p10"])[::-1],
                        fill="toself",
                        fillcolor=_rgba(color, _BAND_ALPHA),
                        line={"width": 0},
                        hoverinfo="skip",
                        name=f"{option} P10-P90",
                        legendgroup=option,
                        showlegend=True,
                    )
                )
        d = m[m["option"] == option].sort_values("month")
        fig.add_trace(
            go.Scatter(
                x=d["month"],
                y=d["cumulative_usd"],
                mode="lines",
                name=option,
                legendgroup=option,
                line={"color": color, "width": 2.5},
                hovertemplate=f"{option}<br>month %{{x}}<br>cumulative %{{y:$,.0f}}<extra></extra>",
            )
        )
    title = "Cumulative cost"
    if bands is not None:
        title += " (shaded: P10-P90)"
    return _layout(fig, title, "month", "cumulative cost [USD]")


def monthly_cost(result: Result) -> go.Figure:
    """Cost in each month of the horizon, one line per option.

    Returns
    -------
    plotly.graph_objects.Figure
        x: month [month], y: cost in that month [USD]; one trace per option. Month 0 carries
        the upfront purchases, refresh months show as spikes.
    """
    fig = go.Figure()
    m = result.monthly
    for option in _options(result):
        d = m[m["option"] == option].sort_values("month")
        fig.add_trace(
            go.Scatter(
                x=d["month"],
                y=d["usd"],
                mode="lines+markers",
                marker={"size": 4},
                name=option,
                legendgroup=option,
                line={"color": option_color(option), "width": 2},
                hovertemplate=f"{option}<br>month %{{x}}<br>%{{y:$,.0f}} this month<extra></extra>",
            )
        )
    return _layout(fig, "Cost per month", "month", "cost per month [USD]")


def cost_breakdown(result: Result) -> go.Figure:
    """Total cost over the horizon per option, stacked by category.

    Returns
    -------
    plotly.graph_objects.Figure
        x: option, y: total over the horizon [USD]; one bar trace per category (named after
        it, coloured by :data:`CATEGORY_COLORS`), stacked. The stacks sum to each option's
        ``total_usd``.
    """
    options = _options(result)
    by = result.costs.groupby(["category", "option"], sort=False)["usd"].sum().unstack("option")
    by = by.reindex(columns=options).fillna(0.0)
    totals = by.sum(axis=0)
    order = list(by.sum(axis=1).sort_values(ascending=False).index)
    fig = go.Figure()
    for category in order:
        values = by.loc[category]
        shares = [v / t if t else 0.0 for v, t in zip(values, totals, strict=True)]
        fig.add_trace(
            go.Bar(
                x=options,
                y=list(values),
                name=category,
                marker_color=category_color(category),
                customdata=shares,
                hovertemplate=(
                    f"{category}<br>%{{x}}: %{{y:$,.0f}} (%{{customdata:.0%}} of total)"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="relative")  # the residual credit goes below zero
    # each option's total written above its stack: the stack's top is the sum of its positive
    # categories, above the total when a residual credit goes below zero
    tops = by.clip(lower=0.0).sum(axis=0)
    fig.add_trace(
        go.Scatter(
            x=options,
            y=list(tops),
            mode="text",
            text=[usd(t) for t in totals],
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    months = result.scenario.horizon_months
    return _layout(fig, f"Cost by category over {months} months", "option", "total cost [USD]")


def latency_components(result: Result, option: str) -> pd.DataFrame:
    """The latency components of one option without the total row: component, ms [ms]."""
    lat = result.latency
    d = lat[(lat["option"] == option) & (lat["component"] != "total")]
    return d[["component", "ms"]].reset_index(drop=True)


def latency_waterfall(result: Result, option: str | None = "cloud") -> go.Figure:
    """End-to-end latency at the percentile, component by component, against the budget.

    Parameters
    ----------
    result : Result
        Reads ``result.latency`` (option, component, ms; worst site).
    option : str or None
        One option (a waterfall: each component starts where the previous one ended, the last
        bar is the total), or None for every option side by side as stacked bars.

    Returns
    -------
    plotly.graph_objects.Figure
        y: latency [ms]; a dashed horizontal line at the budget. For one option, a single
        ``Waterfall`` trace named after the option whose components sum to its total.
    """
    budget_ms = latency_budget_ms(result)
    pct = result.value("latency.percentile")
    fig = go.Figure()
    if option is None:
        comps: list[str] = []
        for o in _options(result):
            for c in latency_components(result, o)["component"]:
                if c not in comps:
                    comps.append(c)
        for c in comps:
            ys = []
            for o in _options(result):
                d = latency_components(result, o)
                ys.append(float(d.loc[d.component == c, "ms"].sum()))
            fig.add_trace(
                go.Bar(
                    x=_options(result),
                    y=ys,
                    name=COMPONENT_LABELS.get(c, c),
                    marker_color=COMPONENT_COLORS.get(c, _OTHER_COLOR),
                    hovertemplate=f"{COMPONENT_LABELS.get(c, c)}<br>%{{x}}: %{{y:,.1f}} ms"
                    "<extra></extra>",
                )
            )
        fig.update_layout(barmode="stack")
        title = f"Latency at p{pct:g} by component (worst site)"
        x_title = "option"
    else:
        d = latency_components(result, option)
        if d.empty:
            raise ValueError(
                f"no latency for option {option!r}; options are {', '.join(_options(result))}"
            )
        labels = [COMPONENT_LABELS.get(c, c) for c in d["component"]]
        total_ms = float(d["ms"].sum())
        fig.add_trace(
            go.Waterfall(
                x=[*labels, "total"],
                y=[*map(float, d["ms"]), total_ms],
                measure=["relative"] * len(d) + ["total"],
                name=option,
                text=[f"{v:,.1f}" for v in [*d["ms"], total_ms]],
                textposition="outside",
                connector={"line": {"color": "#999", "width": 1}},
                increasing={"marker": {"color": option_color(option)}},
                totals={"marker": {"color": _rgba(option_color(option), 0.55)}},
                hovertemplate="%{x}: %{y:,.1f} ms<extra></extra>",
            )
        )
        title = f"{option} latency at p{pct:g}: {ms(total_ms)} against {number(budget_ms)} ms"
        x_title = "component"
    budget_label = f"budget {number(budget_ms)} ms"
    fig.add_hline(y=budget_ms, line_dash="dash", line_color=BUDGET_COLOR, line_width=2)
    # a legend entry for the budget line (a shape has none)
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            name=budget_label,
            line={"color": BUDGET_COLOR, "dash": "dash", "width": 2},
            hoverinfo="skip",
        )
    )
    return _layout(fig, title, x_title, f"latency at p{pct:g} [ms]")


__all__ = [
    "CATEGORY_COLORS",
    "COMPONENT_COLORS",
    "OPTION_COLORS",
    "cost_breakdown",
    "cumulative_cost",
    "latency_budget_ms",
    "latency_waterfall",
    "monthly_cost",
    "option_color",
]

# Figures of the uncertainty and operations layers, re-exported so that one module holds every
# chart an analyst calls; loaded on first use (those modules import the colours above).
_ELSEWHERE = {
    "fan_chart": "edgecalc.render.figures.uncertainty",
    "tornado_chart": "edgecalc.render.figures.uncertainty",
    "sweep_chart": "edgecalc.render.figures.uncertainty",
    "rollout_curve": "edgecalc.render.figures.operations",
    "portfolio_map": "edgecalc.render.figures.portfolio",
    "plan_comparison": "edgecalc.render.figures.portfolio",
}
__all__ += list(_ELSEWHERE)


def __getattr__(name: str):
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module 'edgecalc.render.figures.result' has no attribute {name!r}")

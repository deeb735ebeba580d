"""Plotly figures of uncertainty: the cost fan, the tornado and a sweep.

Every function returns a ``plotly.graph_objects.Figure``; options keep the colours of
:data:`edgecalc.render.figures.OPTION_COLORS`. Every axis carries its unit. No streamlit here.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ...format import input_value
from ...uncertainty.simulate import Simulation
from .result import OPTION_COLORS
from .theme import apply_template

__all__ = ["fan_chart", "sweep_chart", "tornado_chart"]

_GREY = "#7f7f7f"


def _color(option: str) -> str:
    return OPTION_COLORS.get(option, _GREY)


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    apply_template(fig)
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
    )
    return fig


def _band(
    fig: go.Figure,
    d: pd.DataFrame,
    low: str,
    high: str,
    color: str,
    alpha: float,
    name: str,
    group: str,
) -> None:
    fig.add_trace(
        go.Scatter(
            x=list(d["month"]) + list(d["month"])[::-1],
            y=list(d[high]) + list(d[low])[::-1],
            fill="toself",
            fillcolor=_rgba(color, alpha),
            line={"width": 0},
            hoverinfo="skip",
            name=name,
            legendgroup=group,
        )
    )


def fan_chart(simulation: Simulation) -> go.Figure:
    """Cumulative cost per option: median line, P10-P90 and P5-P95 bands.

    Parameters
    ----------
    simulation : Simulation
        A Monte Carlo run; reads ``simulation.fan`` (option, month, p5 ... p95) [USD].

    Returns
    -------
    plotly.graph_objects.Figure
        x: month [month], y: cumulative cost [USD]; traces ``"<option> P50"``,
        ``"<option> P10-P90"`` and ``"<option> P5-P95"``.
    """
    fig = go.Figure()
    falling = []  # options whose median cumulative cost falls in the last month: a credit
    for option in simulation.options:
        d = simulation.fan[simulation.fan["option"] == option].sort_values("month")
        if len(d) >= 2 and d["p50"].iloc[-1] < d["p50"].iloc[-2]:
            falling.append(option)
        color = _color(option)
        _band(fig, d, "p5", "p95", color, 0.10, f"{option} P5-P95", option)
        _band(fig, d, "p10", "p90", color, 0.22, f"{option} P10-P90", option)
        fig.add_trace(
            go.Scatter(
                x=d["month"],
                y=d["p50"],
                mode="lines",
                name=f"{option} P50",
                legendgroup=option,
                line={"color": color, "width": 2.5},
                hovertemplate=f"{option}<br>month %{{x}}<br>P50 %{{y:$,.0f}}<extra></extra>",
            )
        )
    title = f"Cumulative cost, {simulation.samples:,} samples (bands: P10-P90, P5-P95)"
    _layout(fig, title, "month", "cumulative cost [USD]")
    if falling:
        fig.add_annotation(
            text=(
                f"{' and '.join(falling)}: the last month credits the hardware's remaining value"
                " (edge.residual_value), so the cumulative cost falls"
            ),
            xref="paper", yref="paper", x=1.0, y=1.0, xanchor="right", yanchor="bottom",
            showarrow=False, font={"size": 11, "color": "#555"},
        )  # fmt: skip
    return fig


def tornado_chart(tornado_df: pd.DataFrame) -> go.Figure:
    """Horizontal bars: the cost gap (recommended minus the best feasible alternative, on the
    decision's basis) at each input's low and high.

    Parameters
    ----------
    tornado_df : pandas.DataFrame
        The frame :func:`edgecalc.uncertainty.sensitivity.tornado` returns.

    Returns
    -------
    plotly.graph_objects.Figure
        y: input (largest swing on top), x: cost difference [USD]; bars start at the point
        estimate's gap; a vertical line at 0 marks where the two options cost the same.
    """
    from ...uncertainty.sensitivity import tornado_title

    fig = go.Figure()
    if tornado_df.empty:
        return _layout(fig, "Tornado: no ranged inputs", "cost difference [USD]", "input")
    d = tornado_df.iloc[::-1]
    point = float(d["cost_diff_point_usd"].iloc[0])
    if not math.isfinite(point):
        point = 0.0
    for end, color in (("low", "#4c78a8"), ("high", "#e45756")):
        fig.add_trace(
            go.Bar(
                y=d["path"],
                x=d[f"cost_diff_{end}_usd"] - point,
                base=point,
                orientation="h",
                name=f"input at its {end}",
                marker_color=color,
                customdata=[input_value(v) for v in d[end]],
                hovertemplate=f"%{{y}} = %{{customdata}} ({end})<br>"
                "cost difference %{x:$,.0f}<extra></extra>",
            )
        )
    fig.add_vline(x=0, line_dash="dash", line_color=_GREY)
    fig.update_layout(barmode="overlay")
    recommended = d["recommended"].iloc[0]
    title = f"Tornado: {tornado_title(tornado_df)}; below 0: {recommended} cheaper"
    return _layout(fig, title, "cost difference [USD]", "input")


def sweep_chart(sweep_df: pd.DataFrame, path: str, metric: str = "total_usd") -> go.Figure:
    """Cost of each option against one swept input; infeasible points drawn as open markers.

    Parameters
    ----------
    sweep_df : pandas.DataFrame
        The frame :func:`edgecalc.uncertainty.sensitivity.sweep` returns.
    path : str
        The swept input on the x axis; other swept inputs make one line per combination.
    metric : {"total_usd", "npv_usd"}
        The cost plotted [USD].

    Returns
    -------
    plotly.graph_objects.Figure
        x: the input [its unit], y: the metric [USD]; hover shows the recommendation.
    """
    if path not in sweep_df.columns:
        raise ValueError(f"{path} was not swept; swept: {_swept(sweep_df)}")
    others = [c for c in _swept(sweep_df) if c != path]
    fig = go.Figure()
    keys = sweep_df[others].drop_duplicates().itertuples(index=False) if others else [()]
    dashes = ("solid", "dash", "dot", "dashdot", "longdash")
    for k, combo in enumerate(keys):
        d = sweep_df
        suffix = ""
        if others:
            for c, v in zip(others, combo, strict=True):
                d = d[d[c] == v]
            suffix = (
                " ("
                + ", ".join(f"{c}={input_value(v)}" for c, v in zip(others, combo, strict=True))
                + ")"
            )
        for option in d["option"].unique():
            o = d[d["option"] == option].sort_values(path)
            color = _color(option)
            fig.add_trace(
                go.Scatter(
                    x=o[path],
                    y=o[metric],
                    mode="lines+markers",
                    name=option + suffix,
                    line={"color": color, "dash": dashes[k % len(dashes)]},
                    marker={
                        "symbol": ["circle" if f else "circle-open" for f in o["feasible"]],
                        "size": 8,
                    },
                    customdata=[
                        [input_value(x), rec]
                        for x, rec in zip(o[path], o["recommendation"], strict=True)
                    ],
                    hovertemplate=f"{option}<br>{path} %{{customdata[0]}}<br>%{{y:$,.0f}}<br>"
                    "recommended: %{customdata[1]}<extra></extra>",
                )
            )
    label = "total cost" if metric == "total_usd" else "NPV"
    return _layout(
        fig, f"{label} against {path} (open markers: infeasible)", path, f"{label} [USD]"
    )


def _swept(sweep_df: pd.DataFrame) -> list[str]:
    fixed = {"option", "total_usd", "npv_usd", "feasible", "recommendation"}
    return [c for c in sweep_df.columns if c not in fixed]

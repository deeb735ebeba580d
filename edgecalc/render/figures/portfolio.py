"""Figures of a portfolio: a map of the site groups coloured by their verdict, and the plans.

:func:`portfolio_map` is a plotly ``scattergeo`` (no map tiles, no token): each site group is
a marker at its latitude and longitude, coloured by its verdict (the option the mixed plan puts
it on; ``none`` as a grey cross), its area proportional to the group's sites; hovering shows
the group, its sites, the verdict with its cost, the runner-up and why. The base map (coasts
and borders) is the Natural Earth file that plotly.js would fetch from its CDN; it ships with
edgecalc (``data/world_110m.json``) and :func:`geo_assets_script` hands it to plotly.js in a
page, so the map draws offline. :func:`plan_comparison` draws the mixed plan beside every
single-option plan, infeasible plans marked.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ...format import number, usd
from ...results.portfolio import BEST_NONE, PLAN_MIXED, plan_name
from ..portfolio_tables import (
    cost_label,
    group_verdicts,
    plan_cells,
    plan_cost_column,
)
from .result import OPTION_COLORS, option_color
from .theme import apply_template

if TYPE_CHECKING:
    from ...results.portfolio import Portfolio

BASE_MAP = "world_110m"
"""The plotly.js topojson the map uses (scope ``world``, resolution 110)."""

MAX_MARKER_PX = 36
"""Diameter of the marker of the largest group [px]; the others scale by area."""

MIN_MARKER_PX = 5
"""Smallest marker diameter, so a one-site group stays visible [px]."""

MIXED_COLOR = "#444444"
"""Colour of the mixed plan's bar."""

NONE_SYMBOL = "x"
"""Marker of a group that nothing can serve (grey cross, so it reads without colour too)."""

_EXTRA_COLORS = ("#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#d62728")
"""Colours of options the shared palette does not name (a hub, a second edge device)."""


def verdict_colors(options: tuple[str, ...] | list[str]) -> dict[str, str]:
    """A colour for every option and for ``none``: the shared palette where it names the
    option, else the next unused colour (so a hub never looks like ``none``)."""
    out = {}
    spare = iter(c for c in _EXTRA_COLORS if c not in OPTION_COLORS.values())
    for o in options:
        out[o] = OPTION_COLORS[o] if o in OPTION_COLORS else next(spare, option_color(o))
    out[BEST_NONE] = OPTION_COLORS[BEST_NONE]
    return out


def portfolio_map(portfolio: Portfolio, verdicts: pd.DataFrame | None = None) -> go.Figure:
    """The site groups on a map, coloured by verdict, sized by sites.

    Parameters
    ----------
    portfolio : Portfolio
        Reads ``groups`` (lat, lon [degrees], sites) and the verdicts.
    verdicts : DataFrame, optional
        :func:`~edgecalc.render.portfolio_tables.group_verdicts` with every ``why`` filled
        (``explain=None``), when the caller has it already.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Scattergeo`` trace per verdict, named ``"<verdict>: N groups, M sites"``,
        options in the portfolio's order then ``none``; marker area proportional to sites
        (``sizemode="area"``, the largest group :data:`MAX_MARKER_PX` across). Groups without
        coordinates are left out and counted in the title.
    """
    v = group_verdicts(portfolio, explain=None) if verdicts is None else verdicts
    located = v[np.isfinite(v["lat"].to_numpy(dtype=float))]
    located = located[np.isfinite(located["lon"].to_numpy(dtype=float))]
    sites = located["sites"].to_numpy(dtype=float)
    biggest = float(sites.max()) if len(sites) else 1.0
    sizeref = 2.0 * max(biggest, 1e-9) / MAX_MARKER_PX**2
    colors = verdict_colors(portfolio.options)
    fig = go.Figure()
    for verdict in [*portfolio.options, BEST_NONE]:
        part = located[located["best"] == verdict]
        if not len(part):
            continue
        fig.add_trace(_verdict_trace(part, verdict, colors[verdict], sizeref, portfolio.basis))
    title = "Site groups by verdict (marker area: sites)"
    missing = len(v) - len(located)
    if missing:
        title += f"; {missing:,} group{'s' if missing != 1 else ''} without coordinates not shown"
    apply_template(fig)
    fig.update_layout(
        title={"text": title, "y": 0.98, "yanchor": "top"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        margin={"t": 80, "l": 10, "r": 10, "b": 10},
        geo={
            "scope": "world",
            "resolution": 110,
            "projection": {"type": "natural earth"},
            "fitbounds": "locations",
            "showcountries": True,
            "countrycolor": "#b8b8b8",
            "showland": True,
            "landcolor": "#f2f2ee",
            "showocean": True,
            "oceancolor": "#eaf1f7",
            "coastlinecolor": "#9a9a9a",
        },
    )
    return fig


def _verdict_trace(
    part: pd.DataFrame, verdict: str, color: str, sizeref: float, basis: str
) -> go.Scattergeo:
    """The markers of the groups that share one verdict, with their hover text."""
    sites = part["sites"].to_numpy(dtype=float)
    runner = [
        f"{r} {usd(c)}" if r else "no other option"
        for r, c in zip(part["runner_up"], part["runner_up_usd"], strict=True)
    ]
    custom = np.column_stack(
        [
            [escape(str(g)) for g in part["group"]],
            [number(s) for s in sites],
            [usd(c) for c in part["best_usd"]],
            [escape(r) for r in runner],
            [escape(str(w)) for w in part["why"]],
        ]
    )
    none = verdict == BEST_NONE
    label = cost_label(basis)
    return go.Scattergeo(
        lat=part["lat"].to_numpy(dtype=float),
        lon=part["lon"].to_numpy(dtype=float),
        mode="markers",
        name=f"{verdict}: {len(part):,} group{'s' if len(part) != 1 else ''}, "
        f"{number(sites.sum())} sites",
        legendgroup=verdict,
        customdata=custom,
        marker={
            "size": sites,
            "sizemode": "area",
            "sizeref": sizeref,
            "sizemin": MIN_MARKER_PX,
            "color": color,
            "opacity": 0.85,
            "symbol": NONE_SYMBOL if none else "circle",
            "line": {"width": 1.5 if none else 0.6, "color": color if none else "white"},
        },
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>%{customdata[1]} sites<br>"
            f"verdict: {verdict}, {label} %{{customdata[2]}}<br>"
            "runner-up: %{customdata[3]}<br>%{customdata[4]}<extra></extra>"
        ),
    )


def plan_comparison(portfolio: Portfolio) -> go.Figure:
    """The mixed plan beside each single-option plan, on the decision basis.

    Returns
    -------
    plotly.graph_objects.Figure
        A ``Bar`` trace ``"cost"`` with one bar per feasible plan (x: plan, y: its cost on
        the basis [USD], the mixed plan dark grey, an ``all <option>`` plan in the option's
        colour), and a text trace ``"infeasible"`` at zero naming, for each plan that cannot
        serve every group, how many groups it leaves unserved.
    """
    plans = portfolio.plans
    column = plan_cost_column(portfolio.basis)
    colors = verdict_colors(portfolio.options)
    cells = {c[0]: c for c in plan_cells(portfolio)}
    feasible = plans[plans["feasible"].astype(bool) & plans[column].notna()]
    infeasible = plans.drop(feasible.index)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=list(feasible["plan"]),
            y=feasible[column].to_numpy(dtype=float),
            name="cost",
            marker_color=[_plan_color(p, colors) for p in feasible["plan"]],
            text=[usd(c) for c in feasible[column]],
            textposition="outside",
            customdata=[cells[p][3] for p in feasible["plan"]],
            hovertemplate="%{x}: %{text}<br>against the mixed plan: %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    if len(infeasible):
        fig.add_trace(
            go.Scatter(
                x=list(infeasible["plan"]),
                y=[0.0] * len(infeasible),
                mode="text+markers",
                marker={"symbol": "x", "size": 12, "color": "#b00020"},
                name="infeasible",
                text=[
                    f"infeasible<br>({int(k):,} group{'s' if int(k) != 1 else ''})"
                    for k in infeasible["groups_infeasible"]
                ],
                hovertext=[
                    f"{p}: {int(k):,} group{'s' if int(k) != 1 else ''} it cannot serve"
                    for p, k in zip(
                        infeasible["plan"], infeasible["groups_infeasible"], strict=True
                    )
                ],
                textposition="top center",
                hoverinfo="text",
                cliponaxis=False,
            )
        )
    basis = cost_label(portfolio.basis)
    apply_template(fig)
    fig.update_layout(
        title={"text": f"Plans compared: {basis}", "y": 0.98, "yanchor": "top"},
        xaxis_title="plan",
        yaxis_title=f"{basis} [USD]",
        margin={"t": 70, "l": 70, "r": 20, "b": 60},
        xaxis={"categoryorder": "array", "categoryarray": list(plans["plan"])},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
    )
    return fig


def _plan_color(plan: str, colors: dict[str, str]) -> str:
    if plan == PLAN_MIXED:
        return MIXED_COLOR
    by_plan = {plan_name(o): c for o, c in colors.items()}
    return by_plan.get(plan, MIXED_COLOR)


@lru_cache(maxsize=1)
def base_map_json() -> str:
    """The base map as TopoJSON text (Natural Earth 1:110m, ``data/world_110m.json``)."""
    return resources.files(__package__).joinpath("data", f"{BASE_MAP}.json").read_text("utf-8")


def geo_assets_script() -> str:
    """A ``<script>`` that hands the base map to plotly.js (``window.PlotlyGeoAssets``), so
    a page's maps draw without fetching it: put it before the first map."""
    return (
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};"
        "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};"
        f"window.PlotlyGeoAssets.topojson[{BASE_MAP!r}] = {base_map_json()};</script>"
    )


__all__ = [
    "BASE_MAP", "base_map_json", "geo_assets_script", "plan_comparison", "portfolio_map",
    "verdict_colors",
]  # fmt: skip

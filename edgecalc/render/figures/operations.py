"""Plotly figure of a model rollout: the share of the fleet running the new model, day by day.

No streamlit here; the app, the HTML report and notebooks call :func:`rollout_curve`.
"""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["rollout_curve"]

_MARKS = (("days_to_50", 0.5, "50%"), ("days_to_95", 0.95, "95%"), ("days_to_100", 1.0, "100%"))


def _colors() -> dict[str, str]:
    try:
        from .result import OPTION_COLORS
    except ImportError:  # pragma: no cover - the shared palette is optional
        return {"edge": "#ff7f0e", "hybrid": "#2ca02c"}
    return OPTION_COLORS


def rollout_curve(result) -> go.Figure:
    """Share of the fleet updated over the days after a release, per edge-side option.

    Parameters
    ----------
    result : Result
        An evaluated scenario; reads ``result.operations[option].rollout`` of each edge-side
        option (kind edge or hybrid).

    Returns
    -------
    plotly.graph_objects.Figure
        One line per option (edge, hybrid): the median over the simulation runs of the share
        of the fleet running the new model at the end of each day [fraction]; markers where
        the median run reaches 50%, 95% and 100% (with the p10-p90 range over runs in the
        hover text) [days].
    """
    colors = _colors()
    fig = go.Figure()
    for name, section in result.operations.items():
        rollout = getattr(section, "rollout", None)
        if rollout is None:
            continue
        color = colors.get(name, "#7f7f7f")
        curve = rollout.curve
        fig.add_trace(
            go.Scatter(
                x=list(curve.day),
                y=list(curve.share_updated_p50),
                mode="lines",
                name=f"{name} ({rollout.devices} devices)",
                line={"color": color, "shape": "hv"},
                hovertemplate="day %{x}: %{y:.1%} updated<extra>" + name + "</extra>",
            )
        )
        xs, ys, texts = [], [], []
        for key, share, label in _MARKS:
            q = getattr(rollout, key)
            if q.p50 is None:
                continue
            xs.append(q.p50)
            ys.append(share)
            low = "-" if q.p10 is None else f"{q.p10:g}"
            high = f">{rollout.horizon_days}" if q.p90 is None else f"{q.p90:g}"
            texts.append(f"{label} after {q.p50:g} days (p10-p90 {low}-{high})")
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                name=f"{name}: 50/95/100%",
                marker={"color": color, "size": 9, "symbol": "diamond"},
                text=texts,
                hovertemplate="%{text}<extra></extra>",
            )
        )
    for _, share, _label in _MARKS:
        fig.add_hline(y=share, line={"dash": "dot", "width": 1, "color": "#999999"})
    fig.update_layout(
        title="Model rollout: share of the fleet running the new model",
        xaxis_title="days after the release [days]",
        yaxis_title="fleet updated [fraction]",
        yaxis={"tickformat": ".0%", "range": [0, 1.05]},
    )
    return fig

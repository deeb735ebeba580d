"""Plotly figure of a measurement: p50, p90 and p99 per target, mode and phase.

No streamlit here; the app, the HTML report and notebooks call :func:`measurement_chart`.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ...measure.measurement import Measurement
from .theme import apply_template

__all__ = ["STAT_COLORS", "measurement_chart"]

STAT_COLORS: dict[str, str] = {"p50_ms": "#9ecae1", "p90_ms": "#4292c6", "p99_ms": "#08519c"}
"""Colour of each statistic, light (p50) to dark (p99)."""

_STAT_LABELS = {"p50_ms": "p50", "p90_ms": "p90", "p99_ms": "p99"}
_ROW_HEIGHT_PX = 260
_MAX_TITLE_CHARS = 60
_GAP_PX = 90


def _short(name: str) -> str:
    return name if len(name) <= _MAX_TITLE_CHARS else name[: _MAX_TITLE_CHARS - 3] + "..."


def measurement_chart(measurement: Measurement) -> go.Figure:
    """Percentiles of every phase of every mode, one panel per target.

    Parameters
    ----------
    measurement : Measurement
        A measurement (:func:`edgecalc.measure` or a loaded file).

    Returns
    -------
    plotly.graph_objects.Figure
        One panel per target with at least one successful request (in the measurement's
        order); on the x axis the mode (cold, warm, payload) and under it its phases in the
        order of a request; three bars each, the p50, p90 and p99 over the samples that make
        statistics [ms]. The hover text gives the figure, the number of samples and the loss
        of the mode. Targets without a successful request get no panel: the title names them.
        The height grows with the number of panels (260 px each).

    Notes
    -----
    The figures are the columns ``p50_ms``, ``p90_ms`` and ``p99_ms`` of
    :meth:`Measurement.summary_frame` (Hyndman-Fan type 7 percentiles); rows with ``n`` = 0
    carry no bar.
    """
    frame = measurement.summary_frame()
    frame = frame[frame["n"] > 0]
    names = [t.name for t in measurement.targets]
    shown = [n for n in names if (frame["target"] == n).any()]
    dead = [n for n in names if n not in shown]
    rows_n = max(len(shown), 1)
    plot_px = _ROW_HEIGHT_PX * rows_n - 10
    fig = make_subplots(
        rows=rows_n,
        cols=1,
        subplot_titles=[_short(n) for n in shown] or [""],
        vertical_spacing=min(_GAP_PX / plot_px, 0.9 / max(rows_n - 1, 1)),
    )
    for row, name in enumerate(shown, start=1):
        rows = frame[frame["target"] == name]
        x = [list(rows["mode"]), list(rows["phase"])]
        for stat, color in STAT_COLORS.items():
            label = _STAT_LABELS[stat]
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=rows[stat],
                    name=label,
                    legendgroup=label,
                    showlegend=row == 1,
                    marker={"color": color},
                    customdata=list(zip(rows["n"], rows["loss"], strict=True)),
                    hovertemplate=(
                        f"{name}<br>%{{x}}<br>{label} %{{y:.1f}} ms"
                        "<br>%{customdata[0]} samples, loss %{customdata[1]:.0%}<extra></extra>"
                    ),
                ),
                row=row,
                col=1,
            )
        fig.update_yaxes(title_text="[ms]", rangemode="tozero", row=row, col=1)
    title = {
        "text": "Measured round trips: p50, p90, p99 per mode and phase",
        "y": 0.98,
        "yanchor": "top",
    }
    if dead:
        title["subtitle"] = {"text": "no successful request: " + ", ".join(map(_short, dead))}
    if not shown:
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    apply_template(fig)
    fig.update_layout(
        title=title,
        barmode="group",
        height=_ROW_HEIGHT_PX * rows_n + 130,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
        margin={"t": 100, "l": 70, "r": 20, "b": 40},
    )
    return fig

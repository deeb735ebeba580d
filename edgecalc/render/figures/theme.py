"""The one look of every edgecalc chart: plotly's ``plotly_white`` template, set quickly."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE = "plotly_white"
"""The plotly template every chart is drawn with."""


def apply_template(fig: go.Figure) -> go.Figure:
    """Give ``fig`` the :data:`TEMPLATE` template, in place; returns ``fig``.

    ``fig.update_layout(template="plotly_white")`` validates and copies every property of the
    template: 13-17 ms a figure on the development machine (2026-12-03), most of the 55 ms a
    latency waterfall took to build, paid on every input change the chart shows. The template
    is plotly's own and already valid, so it is set the way plotly sets its default template
    on a new figure (``BaseFigure._initialize_layout_template``: validation off for that one
    assignment), in about 1 ms. The figure is the same to its JSON
    (``tests/render/test_theme.py``). A figure built without validation, or a plotly without
    that switch, gets the validated assignment.
    """
    template = pio.templates[TEMPLATE]
    layout = fig.layout
    if getattr(layout, "_validate", None) is not True:
        fig.update_layout(template=template)
        return fig
    layout._validate = False
    try:
        layout.template = template
    finally:
        layout._validate = True
    return fig

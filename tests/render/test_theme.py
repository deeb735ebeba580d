"""Charts take plotly's white template quickly, and are the same figure as with plotly's own
validated assignment."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

import edgecalc
from edgecalc.render.figures import result as figures
from edgecalc.render.figures.theme import TEMPLATE, apply_template

ROOT = Path(__file__).resolve().parents[2]


def _json(fig: go.Figure) -> str:
    return json.dumps(fig.to_plotly_json(), sort_keys=True, default=str)


def _chart(**kwargs) -> go.Figure:
    fig = go.Figure([go.Bar(x=["a", "b"], y=[1, 2]), go.Scatter(x=[0, 1], y=[3, 4])], **kwargs)
    return fig.update_layout(title="t", margin={"t": 40}, legend={"orientation": "h"})


def test_the_template_is_the_one_plotly_validates():
    plain = _chart().update_layout(template=TEMPLATE)
    quick = apply_template(_chart())
    assert _json(quick) == _json(plain)
    assert quick.layout.template.layout.plot_bgcolor == "white"  # plotly_white's own
    # a figure built without validation takes the validated assignment: the same template
    unvalidated = apply_template(_chart(_validate=False))
    assert _json(unvalidated.layout.template) == _json(plain.layout.template)


def test_a_figure_s_template_is_its_own_copy():
    fig = apply_template(_chart())
    fig.update_layout(template_layout_font_size=30)
    assert pio.templates[TEMPLATE].layout.font.size is None
    assert apply_template(_chart()).layout.template.layout.font.size is None


def test_every_result_chart_is_a_valid_figure_with_the_template():
    result = edgecalc.evaluate(ROOT / "scenarios" / "factory-visual-qc.yaml")
    for fig in (
        figures.latency_waterfall(result),
        figures.cumulative_cost(result),
        figures.cost_breakdown(result),
        figures.monthly_cost(result),
    ):
        again = go.Figure(fig.to_dict())  # every property validated again, the template too
        assert _json(again) == _json(fig)
        assert fig.layout.template.layout.plot_bgcolor == "white"

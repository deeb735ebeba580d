"""Numbers in the charts read as in the reports: a negative amount is ``-$1,234``, never
``$-1,234``; a latency has thousands separators; an input value has no exponent.

Plotly formats a hover number in the browser with d3-format. Written ``$%{y:,.0f}``, the
dollar sign is text before the number, so a credit hovers as ``$-35,982``; the specifier
``%{y:$,.0f}`` lets d3-format place the sign before the currency (``-$35,982``; the d3-format
bundled with plotly.js 4.1 gives ``-$1,234`` for -1234.4). Text that edgecalc writes itself
goes through :mod:`edgecalc.format`.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import pytest

import edgecalc
from edgecalc.render import figures as plots
from edgecalc.uncertainty.sensitivity import sweep, tornado

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FACTORY = FIXTURES / "golden-factory.yaml"
VOLUME = FIXTURES / "uncertainty" / "volume.yaml"

_DOLLAR_BEFORE_PLACEHOLDER = re.compile(r"\$%\{")
"""``$%{y:...}``: the sign would follow the dollar sign (``$-1,234``)."""
_MONEY_PLACEHOLDER = re.compile(r"%\{[xy]:\$,\.0f\}")


@pytest.fixture(scope="module")
def result():
    return edgecalc.evaluate(FACTORY)


@pytest.fixture(scope="module")
def tornado_frame():
    return tornado(VOLUME)


def _templates(fig: go.Figure) -> list[str]:
    return [
        t
        for trace in fig.data
        for t in (getattr(trace, "hovertemplate", None), getattr(trace, "texttemplate", None))
        if isinstance(t, str)
    ]


def _every_figure(result, tornado_frame) -> dict[str, go.Figure]:
    sim = edgecalc.simulate(VOLUME, samples=200, seed=1)
    swept = sweep(VOLUME, {"workload.inferences_per_second": [5, 80], "sites.count": [1, 12]})
    return {
        "cumulative": plots.cumulative_cost(result),
        "monthly": plots.monthly_cost(result),
        "breakdown": plots.cost_breakdown(result),
        "waterfall": plots.latency_waterfall(result, option="cloud"),
        "latency by option": plots.latency_waterfall(result, option=None),
        "fan": plots.fan_chart(sim),
        "tornado": plots.tornado_chart(tornado_frame),
        "sweep": plots.sweep_chart(swept, "workload.inferences_per_second"),
    }


def test_no_chart_writes_the_dollar_sign_before_a_signed_number(result, tornado_frame):
    # regression: the residual credit hovered as "$-35,982", a tornado gap as "$-73,384"
    for name, fig in _every_figure(result, tornado_frame).items():
        for template in _templates(fig):
            assert not _DOLLAR_BEFORE_PLACEHOLDER.search(template), (name, template)
            assert "e+" not in template and ":.4g" not in template, (name, template)


def test_the_residual_credit_is_below_zero_and_hovers_with_the_sign_first(result):
    fig = plots.cost_breakdown(result)
    (residual,) = [t for t in fig.data if t.name == "residual"]
    assert min(residual.y) < 0  # a credit: the very case the sign matters for
    assert _MONEY_PLACEHOLDER.search(residual.hovertemplate)
    assert "%{y:$,.0f}" in residual.hovertemplate


def test_cost_lines_hover_money_with_the_sign_before_the_dollar(result):
    for fig in (plots.cumulative_cost(result), plots.monthly_cost(result)):
        for trace in fig.data:
            if trace.hovertemplate:
                assert "%{y:$,.0f}" in trace.hovertemplate


def test_a_negative_total_is_labelled_minus_dollar():
    # a hand-made result whose edge total is a net credit: hardware $1,000, residual -$1,500
    costs = pd.DataFrame(
        {
            "option": ["cloud", "edge", "edge"],
            "category": ["compute", "hardware", "residual"],
            "usd": [1234.4, 1000.0, -1500.0],
        }
    )
    fake = SimpleNamespace(
        costs=costs,
        summary=pd.DataFrame({"option": ["cloud", "edge"]}),
        scenario=SimpleNamespace(horizon_months=12),
    )
    fig = plots.cost_breakdown(fake)
    (labels,) = [t for t in fig.data if isinstance(t, go.Scatter) and t.mode == "text"]
    assert list(labels.text) == ["$1,234", "-$500"]
    # written above each stack, not inside it: the edge's stack reaches $1,000 (its hardware)
    # above zero, though its total is -$500
    assert list(labels.y) == [1234.4, 1000.0]


def test_tornado_gaps_are_negative_and_hover_with_the_sign_first(tornado_frame):
    fig = plots.tornado_chart(tornado_frame)
    point = float(tornado_frame["cost_diff_point_usd"].iloc[0])
    assert min(tornado_frame["cost_diff_low_usd"].min(), point) < 0
    for bar in fig.data:
        if isinstance(bar, go.Bar):
            assert "cost difference %{x:$,.0f}" in bar.hovertemplate
            # the input's value, written by edgecalc: no exponent, thousands separators
            assert all(isinstance(c, str) and "e" not in c for c in bar.customdata)


def test_sweep_hover_shows_the_input_value_as_written():
    swept = sweep(VOLUME, {"workload.inferences_per_second": [5, 2_000_000]})
    fig = plots.sweep_chart(swept, "workload.inferences_per_second")
    trace = fig.data[0]
    assert [row[0] for row in trace.customdata] == ["5", "2,000,000"]  # not "2e+06"
    assert "%{y:$,.0f}" in trace.hovertemplate


def test_latency_labels_have_thousands_separators(result):
    slow = edgecalc.evaluate(FACTORY, overrides={"cloud.rtt.ms": 4_500, "latency.budget_ms": 5000})
    fig = plots.latency_waterfall(slow, option="cloud")
    (waterfall,) = [t for t in fig.data if isinstance(t, go.Waterfall)]
    assert "%{y:,.1f} ms" in waterfall.hovertemplate
    assert waterfall.text[-1].count(",") == 1  # the total, over 4,500 ms
    assert "against 5,000 ms" in fig.layout.title.text

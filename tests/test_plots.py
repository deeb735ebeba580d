"""The plotly figures: one trace per option, the same colours everywhere, units on every axis."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from edgecalc.pipeline.evaluate import evaluate
from edgecalc.render import figures as plots

FACTORY = Path(__file__).resolve().parent / "fixtures" / "golden-factory.yaml"
OPTIONS = ["cloud", "edge", "hybrid"]


@pytest.fixture(scope="module")
def result():
    return evaluate(FACTORY)


def _bands(result) -> pd.DataFrame:
    m = result.monthly
    return pd.DataFrame(
        {
            "option": m["option"],
            "month": m["month"],
            "p10": 0.9 * m["cumulative_usd"],
            "p50": m["cumulative_usd"],
            "p90": 1.2 * m["cumulative_usd"],
        }
    )


def _line_traces(fig: go.Figure) -> dict[str, go.Scatter]:
    return {t.name: t for t in fig.data if isinstance(t, go.Scatter) and t.name in OPTIONS}


def test_every_figure_is_a_plotly_figure(result):
    figures = [
        plots.cumulative_cost(result),
        plots.cumulative_cost(result, bands=_bands(result)),
        plots.cost_breakdown(result),
        plots.latency_waterfall(result),
        plots.latency_waterfall(result, option=None),
        plots.monthly_cost(result),
    ]
    assert all(isinstance(f, go.Figure) for f in figures)


def test_cumulative_cost_one_line_per_option_ending_at_the_total(result):
    fig = plots.cumulative_cost(result)
    lines = _line_traces(fig)
    assert list(lines) == OPTIONS
    for option, trace in lines.items():
        assert len(trace.x) == 60
        assert trace.y[-1] == pytest.approx(result.option(option)["total_usd"])
        assert "$" in trace.hovertemplate and "month" in trace.hovertemplate


def test_cumulative_cost_bands_in_the_option_colour(result):
    fig = plots.cumulative_cost(result, bands=_bands(result))
    bands = [t for t in fig.data if t.name.endswith("P10-P90")]
    assert [t.name for t in bands] == [f"{o} P10-P90" for o in OPTIONS]
    for option, band in zip(OPTIONS, bands, strict=True):
        assert band.fill == "toself"
        r, g, b = (int(plots.OPTION_COLORS[option][i : i + 2], 16) for i in (1, 3, 5))
        assert band.fillcolor.startswith(f"rgba({r},{g},{b},")
        # the polygon runs along p90 and back along p10
        cumulative = result.monthly[result.monthly.option == option].cumulative_usd
        assert max(band.y) == pytest.approx(1.2 * cumulative.max())
    assert list(_line_traces(fig)) == OPTIONS


def test_monthly_cost_one_line_per_option_summing_to_the_total(result):
    lines = _line_traces(plots.monthly_cost(result))
    assert list(lines) == OPTIONS
    for option, trace in lines.items():
        assert sum(trace.y) == pytest.approx(result.option(option)["total_usd"])


def test_option_colours_are_the_same_on_every_chart(result):
    cumulative = _line_traces(plots.cumulative_cost(result))
    monthly = _line_traces(plots.monthly_cost(result))
    for option in OPTIONS:
        expected = plots.OPTION_COLORS[option]
        assert cumulative[option].line.color == expected
        assert monthly[option].line.color == expected
        if option in set(result.latency.option):
            fig = plots.latency_waterfall(result, option=option)
            assert fig.data[0].increasing.marker.color == expected
    assert len(set(plots.OPTION_COLORS[o] for o in OPTIONS)) == 3


def test_cost_breakdown_stacks_categories_to_each_total(result):
    fig = plots.cost_breakdown(result)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    # relative: positive categories stack up, the residual-value credit goes below zero
    assert fig.layout.barmode == "relative"
    assert {b.name for b in bars} == set(result.costs.category)
    for b in bars:
        assert list(b.x) == OPTIONS
        assert b.marker.color == plots.CATEGORY_COLORS[b.name]
        assert "$" in b.hovertemplate
    for i, option in enumerate(OPTIONS):
        stacked = sum(b.y[i] for b in bars)
        assert stacked == pytest.approx(result.option(option)["total_usd"])


def test_category_colours_are_distinct_and_cover_the_engine_categories(result):
    assert set(result.costs.category) <= set(plots.CATEGORY_COLORS)
    assert len(set(plots.CATEGORY_COLORS.values())) == len(plots.CATEGORY_COLORS)


def test_every_axis_carries_its_unit(result):
    expected = {
        "cumulative_cost": ("month", "[USD]"),
        "monthly_cost": ("month", "[USD]"),
        "cost_breakdown": ("option", "[USD]"),
        "latency_waterfall": ("component", "[ms]"),
    }
    for name, (x_unit, y_unit) in expected.items():
        fig = getattr(plots, name)(result)
        assert x_unit in fig.layout.xaxis.title.text, name
        assert y_unit in fig.layout.yaxis.title.text, name
    fig = plots.latency_waterfall(result, option=None)
    assert fig.layout.yaxis.title.text == "latency at p99 [ms]"


def test_waterfall_components_sum_to_the_results_latency(result):
    fig = plots.latency_waterfall(result, option="cloud")
    w = fig.data[0]
    assert isinstance(w, go.Waterfall) and w.name == "cloud"
    parts = [y for y, m in zip(w.y, w.measure, strict=True) if m == "relative"]
    total = [y for y, m in zip(w.y, w.measure, strict=True) if m == "total"]
    lat = result.latency[result.latency.option == "cloud"].set_index("component")["ms"]
    # rtt 18 (given) + upload 300 kB x 8 / 100 Mbit/s = 24 + download 2 kB -> 0.16
    # + handshakes 0 (connection reuse) + inference 4.8 = 47.0 ms
    assert parts == pytest.approx([18.0, 24.0, 0.16, 0.0, 4.808])
    assert sum(parts) == pytest.approx(lat["total"])
    assert total == pytest.approx([lat["total"]])
    assert sum(parts) == pytest.approx(result.option("cloud")["latency_ms"])


def test_waterfall_draws_the_budget_as_a_dashed_line(result):
    fig = plots.latency_waterfall(result)
    budget = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(budget) == 1
    assert budget[0].y0 == budget[0].y1 == 40.0  # latency.budget_ms in the fixture
    assert budget[0].line.dash == "dash"
    assert "budget 40 ms" in [t.name for t in fig.data]


def test_waterfall_of_all_options_side_by_side(result):
    fig = plots.latency_waterfall(result, option=None)
    bars = [t for t in fig.data if isinstance(t, go.Bar)]
    assert fig.layout.barmode == "stack"
    for i, option in enumerate(OPTIONS):
        assert bars[0].x[i] == option
        assert sum(b.y[i] for b in bars) == pytest.approx(result.option(option)["latency_ms"])
    for b in bars:
        component = next(k for k, v in plots.COMPONENT_LABELS.items() if v == b.name)
        assert b.marker.color == plots.COMPONENT_COLORS[component]


def test_waterfall_of_an_unknown_option_names_the_known_ones(result):
    with pytest.raises(ValueError, match="cloud, edge, hybrid"):
        plots.latency_waterfall(result, option="fog")

"""Every chart an analyst calls is in edgecalc.render.figures, in the option colours."""

from pathlib import Path

import edgecalc
from edgecalc.render import figures as plots

FIXTURE = Path(__file__).parent / "fixtures" / "hand-worked.yaml"


def test_fan_chart_from_a_simulation_uses_the_option_colours():
    sim = edgecalc.simulate(
        FIXTURE, samples=200, seed=1, overrides={"edge.device_usd": {"low": 500, "high": 2000}}
    )
    fig = plots.fan_chart(sim)
    names = " ".join(t.name or "" for t in fig.data)
    for option in ("cloud", "edge", "hybrid"):
        assert option in names
    assert "USD" in fig.layout.yaxis.title.text


def test_rollout_curve_reaches_the_whole_fleet():
    result = edgecalc.evaluate(FIXTURE, overrides={"operations.offline_probability_per_day": 0.1})
    fig = plots.rollout_curve(result)
    assert fig.data, "no traces"
    top = max(max(t.y) for t in fig.data if t.y is not None and len(t.y))
    assert 0.95 <= top <= 1.0 + 1e-9 or 95 <= top <= 100 + 1e-9


def test_unknown_chart_is_an_attribute_error():
    try:
        plots.no_such_chart  # noqa: B018
    except AttributeError as exc:
        assert "no_such_chart" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_fan_chart_says_why_a_cost_falls_in_the_last_month():
    # straight-line residual value (the default): the edge devices' remaining value is
    # credited in the last month, so edge's and hybrid's cumulative cost falls there
    scenario = Path(__file__).parents[1] / "scenarios" / "factory-visual-qc.yaml"
    sim = edgecalc.simulate(scenario, samples=200, seed=1)
    p50 = sim.fan[sim.fan["option"] == "edge"].sort_values("month")["p50"].to_numpy()
    assert p50[-1] < p50[-2]
    notes = [a.text for a in plots.fan_chart(sim).layout.annotations]
    assert len(notes) == 1 and notes[0].startswith("edge and hybrid: the last month credits")
    none = edgecalc.simulate(scenario, samples=200, seed=1,
                             overrides={"edge.residual_value": "none"})  # fmt: skip
    assert not plots.fan_chart(none).layout.annotations

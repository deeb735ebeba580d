"""measurement_chart: p50/p90/p99 per target, mode and phase, from Measurement.summary_frame."""

from __future__ import annotations

import pytest

from edgecalc.measure.measurement import Measurement, Target
from edgecalc.render.figures.measurement import STAT_COLORS, measurement_chart

A, B, DEAD = "http://a.test/", "http://b.test/", "http://dead.test/"


def sample(url, mode, i, ms, ok=True, new=False):
    return {
        "target": url, "mode": mode, "sample": i, "warmup": mode != "cold" and i == 0,
        "ok": ok, "kind": None if ok else "refused", "error": None, "status": 200 if ok else None,
        "new_connection": new, "phases_ms": {"ttfb": ms, "total": ms + 1} if ok else {},
    }  # fmt: skip


def measurement() -> Measurement:
    samples = [sample(A, "warm", 0, 99.0, new=True)]  # the warm-up: not in the statistics
    samples += [sample(A, "warm", i, float(10 * i)) for i in range(1, 6)]  # 10..50 ms
    samples += [sample(B, "cold", i, 5.0) for i in range(3)]
    samples += [sample(DEAD, "cold", i, 0.0, ok=False) for i in range(3)]
    return Measurement(
        targets=[Target(A, label="a"), Target(B), Target(DEAD)],
        samples=samples,
        settings={},
        created_at="2026-01-02T03:04:05Z",
        host="here",
    )


def test_one_panel_per_target_with_data_three_bars_per_phase() -> None:
    fig = measurement_chart(measurement())
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["a", B]  # the dead target has no panel; the subtitle names it
    assert "no successful request: " + DEAD in fig.layout.title.subtitle.text
    assert len(fig.data) == 3 * 2  # three statistics in each of two panels
    assert [t.name for t in fig.data[:3]] == ["p50", "p90", "p99"]
    assert [t.marker.color for t in fig.data[:3]] == list(STAT_COLORS.values())
    assert sum(t.showlegend for t in fig.data) == 3  # one legend entry per statistic
    assert fig.layout.height == 260 * 2 + 130
    assert fig.layout.yaxis.title.text == "[ms]"


def test_bars_are_the_summary_percentiles() -> None:
    fig = measurement_chart(measurement())
    p50, p90, p99 = fig.data[:3]  # target a
    assert [list(level) for level in p50.x] == [["warm", "warm"], ["ttfb", "total"]]
    # warm ttfb 10, 20, 30, 40, 50 ms (type 7): p50 30; p90 = 40 + 0.6 x 10 = 46;
    # p99 = 40 + 0.96 x 10 = 49.6
    assert p50.y[0] == pytest.approx(30.0)
    assert p90.y[0] == pytest.approx(46.0)
    assert p99.y[0] == pytest.approx(49.6)
    assert p50.y[1] == pytest.approx(31.0)  # total = ttfb + 1 ms
    assert [list(level) for level in fig.data[3].x] == [["cold", "cold"], ["ttfb", "total"]]
    assert fig.data[3].y[0] == 5.0


def test_nothing_successful_gives_an_empty_chart_that_says_so() -> None:
    m = measurement()
    m.targets = [t for t in m.targets if t.url == DEAD]
    m.samples = [s for s in m.samples if s["target"] == DEAD]
    fig = measurement_chart(m)
    assert len(fig.data) == 0
    assert "no successful request: " + DEAD in fig.layout.title.subtitle.text


def test_hover_names_the_target_statistic_and_unit() -> None:
    fig = measurement_chart(measurement())
    assert "a<br>%{x}<br>p90 %{y:.1f} ms" in fig.data[1].hovertemplate
    assert "samples, loss" in fig.data[1].hovertemplate

"""The Decide page keeps each chart on the numbers it shows (``app_pages/chart_keys.py``): a
chart kept on its key is the chart edgecalc builds, and a new latency budget, which moves no
cost, rebuilds neither cost chart."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import edgecalc
from app_pages import chart_keys
from edgecalc.render import figures as plots

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
EDITS = [
    {},
    {"latency.budget_ms": 20.0},
    {"latency.budget_ms": 1000.0},
    {"latency.percentile": 90.0},
    {"workload.inferences_per_second": 7.0},
]


def _results(path: Path) -> list:
    return [edgecalc.evaluate(path, overrides=edit or None) for edit in EDITS]


def _same_key_same_figure(pairs: list[tuple[str, str]]) -> None:
    """Every key names one figure: results with equal keys draw identical figures."""
    by_key: dict[str, set[str]] = {}
    for key, figure_json in pairs:
        by_key.setdefault(key, set()).add(figure_json)
    assert all(len(figures) == 1 for figures in by_key.values())


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_chart_kept_on_its_key_is_the_chart_edgecalc_builds(path: Path) -> None:
    results = _results(path)
    _same_key_same_figure(
        [(chart_keys.cumulative(r), plots.cumulative_cost(r).to_json()) for r in results]
    )
    _same_key_same_figure(
        [(chart_keys.breakdown(r), plots.cost_breakdown(r).to_json()) for r in results]
    )
    for option in results[0].summary["option"]:
        _same_key_same_figure(
            [
                (chart_keys.waterfall(r, option), plots.latency_waterfall(r, option).to_json())
                for r in results
            ]
        )


def test_a_new_budget_keeps_the_cost_charts_and_redraws_the_waterfall() -> None:
    path = ROOT / "scenarios" / "factory-visual-qc.yaml"
    tight, loose = (edgecalc.evaluate(path, overrides={"latency.budget_ms": b}) for b in (20, 1000))
    assert tight.recommendation != loose.recommendation  # the verdict flips, the costs do not
    assert chart_keys.cumulative(tight) == chart_keys.cumulative(loose)
    assert chart_keys.breakdown(tight) == chart_keys.breakdown(loose)
    assert chart_keys.waterfall(tight, "cloud") != chart_keys.waterfall(loose, "cloud")


def test_the_bands_are_part_of_the_cumulative_key() -> None:
    result = edgecalc.evaluate(ROOT / "scenarios" / "factory-visual-qc.yaml")
    bands = pd.DataFrame(
        {"option": ["cloud"], "month": [0], "p10": [1.0], "p50": [2.0], "p90": [3.0]}
    )
    wider = bands.assign(p90=4.0)
    keys = {chart_keys.cumulative(result, b) for b in (None, bands, wider)}
    assert len(keys) == 3


def test_a_digest_tells_frames_apart_by_cells_order_and_columns() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    same = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    assert chart_keys.digest(frame) == chart_keys.digest(same)
    others = [
        frame.assign(a=[1.0, 2.000001]),
        frame.iloc[::-1],
        frame.rename(columns={"b": "c"}),
        frame.assign(b=["x", "z"]),
    ]
    digests = {chart_keys.digest(f) for f in others} | {chart_keys.digest(frame)}
    assert len(digests) == len(others) + 1

"""Sweeps, flips and the tornado evaluate their points as batches through the sample axis, and
give exactly what evaluating each point on its own gives."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.errors import ScenarioError
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs
from edgecalc.uncertainty import sensitivity
from edgecalc.uncertainty.fields import field_spec
from edgecalc.uncertainty.simulate import with_overrides

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
PATHS = (
    *sensitivity.DEFAULT_FLIP_PATHS,
    "latency.budget_ms",
    "latency.percentile",  # acts through the RTT estimate: re-resolved, not substituted
    "horizon_months",  # another horizon is another structure: its own engine call
    "sites.rtt_ms",  # derived by the resolver: set in the input arrays
)
FACTORS = (0.25, 0.5, 0.9, 1.1, 2.0, 4.0)


def _values(base, path: str) -> list[float]:
    v0 = base.point_value(path)
    if path == "latency.percentile":
        return [90.0, 95.0, 99.0, 99.9]
    if path == "horizon_months":
        return [12.0, 24.0, 36.0, 72.0]
    values = [v0 * f if v0 else f for f in FACTORS]
    spec = field_spec(path)
    if spec is not None and spec.integer:
        values = [float(max(1, round(v))) for v in values]
    if spec is not None and spec.upper <= 1:
        values = [min(v, 0.99) for v in values]
    return values


def _one_at_a_time(base, point: dict[str, float]) -> dict:
    """The reference: the point resolved and evaluated on its own, one engine call."""
    in_file = {p: v for p, v in point.items() if field_spec(p) is not None}
    r = prepare(with_overrides(base.scenario, in_file), base.catalog, base.base_dir)
    x = point_inputs(r)
    aliases = {inp.path: inp.aliases for inp in base.ranged}
    for p, v in point.items():
        if p not in in_file:
            for q in (p, *aliases.get(p, ())):
                x[q] = np.array([v])
    return sensitivity.evaluate_batch(r, x)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_batched_points_equal_each_point_on_its_own(path):
    base = sensitivity._prepare(edgecalc.load_scenario(path), None, None, None)
    points = [{p: v} for p in PATHS if p in base.x for v in _values(base, p)]
    batched = sensitivity._evaluate_points(base, points)
    for i, point in enumerate(points):
        alone = _one_at_a_time(base, point)
        assert batched["recommendation"][i] == alone["recommendation"][0], point
        for key in ("total_usd", "npv_usd", "feasible"):
            for option in base.options:
                # exactly equal: the same arrays through the same arithmetic
                assert batched[key][option][i] == alone[key][option][0], (point, key, option)


def test_substituted_fields_and_what_copies_them():
    base = sensitivity._prepare(SHIPPED[0], None, None, None)  # city-traffic-cameras
    points = [{"edge.device_usd": v} for v in (500.0, 900.0, 1500.0, 4000.0)]
    points += [{"latency.percentile": v} for v in (90.0, 95.0, 99.0, 99.9)]
    sensitivity._evaluate_points(base, points)
    # the hybrid device is the edge's: its price follows (a default copied from edge)
    assert base.probed["edge.device_usd"].direct
    assert base.probed["edge.device_usd"].aliases == ("hybrid.device_usd",)
    # the percentile moves the estimated RTT: re-resolved at every value
    assert not base.probed["latency.percentile"].direct


def test_batches_are_bounded(monkeypatch):
    # 23 points in batches of at most 5: ceil(23 / 5) = 5 engine calls, progress after each
    monkeypatch.setattr(sensitivity, "BATCH_POINTS", 5)
    calls, seen = [], []
    real = sensitivity.compute

    def counting(resolved, x):
        calls.append(len(x["workload.inferences_per_second"]))
        return real(resolved, x)

    base = sensitivity._prepare(SHIPPED[0], None, None, None)
    monkeypatch.setattr(sensitivity, "compute", counting)
    values = list(np.geomspace(1, 100, 23))
    out = sensitivity._evaluate_points(
        base,
        [{"workload.inferences_per_second": v} for v in values],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert calls[-5:] == [5, 5, 5, 5, 3]
    assert seen == [(5, 23), (10, 23), (15, 23), (20, 23), (23, 23)]
    assert len(out["recommendation"]) == 23


def test_auto_device_is_always_re_resolved():
    # two catalog devices with MLPerf figures, priced (as tests/pipeline/test_devices.py)
    figures = {
        "edge.device": "auto",
        "edge.device_figures": {
            "jetson-orin-nx-16gb-maxp": {"device_usd": 600},
            "jetson-agx-orin-64gb-maxp": {"device_usd": 2000},
        },
    }
    scenario = edgecalc.load_scenario(ROOT / "tests" / "fixtures" / "hand-worked.yaml")
    base = sensitivity._prepare(with_overrides(scenario, figures), None, None, None)
    assert base.resolved.device_selection is not None
    points = [{"workload.inferences_per_second": v} for v in (1.0, 2.0, 5.0, 10.0, 20.0)]
    sensitivity._evaluate_points(base, points)
    assert "workload.inferences_per_second" not in base.probed


def test_a_refused_value_gives_the_files_error_for_the_first_bad_point():
    base = sensitivity._prepare(SHIPPED[0], None, None, None)
    points = [{"sites.count": v} for v in (10.0, 20.0, 2.5, 30.0, 40.0, -3.0)]
    with pytest.raises(ScenarioError) as info:
        sensitivity._evaluate_points(base, points)
    assert info.value.problems[0].field == "sites.count"
    assert math.isclose(info.value.problems[0].value, 2.5)

"""Invariants of the engine, checked with hypothesis over the hand-worked fixture."""

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import edgecalc
from edgecalc.pipeline.engine import run
from edgecalc.pipeline.resolve import point_inputs, resolve

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"
SCENARIO = edgecalc.load_scenario(FIXTURE)
RESOLVED = resolve(SCENARIO)
BASE = point_inputs(RESOLVED)


def run_with(**changes):
    x = dict(BASE)
    for path, value in changes.items():
        x[path] = np.atleast_1d(np.asarray(value, dtype=float))
    return run(x, RESOLVED)


volumes = st.floats(min_value=0.0, max_value=5_000.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(ips=volumes, growth=st.floats(min_value=-0.5, max_value=2.0))
def test_no_negative_or_nan_cost(ips, growth):
    out = run_with(**{"workload.inferences_per_second": ips, "workload.growth_per_year": growth})
    for option in out.options.values():
        for line in option.lines:
            assert np.all(np.isfinite(line.usd)), line.item
            if line.category == "residual":  # a credit, never more than the fleet cost
                assert np.all(line.usd <= 0), line.item
                bought = sum(ln.usd.sum() for ln in option.lines if ln.category == "hardware")
                assert -line.usd.sum() <= bought + 1e-6
            else:
                assert np.all(line.usd >= 0), line.item


@settings(max_examples=40, deadline=None)
@given(a=volumes, b=volumes)
def test_cost_non_decreasing_in_volume(a, b):
    lo, hi = sorted((a, b))
    out_lo = run_with(**{"workload.inferences_per_second": lo})
    out_hi = run_with(**{"workload.inferences_per_second": hi})
    for name in out_lo.options:
        assert out_hi.options[name].total_usd[0] >= out_lo.options[name].total_usd[0] - 1e-6


@settings(max_examples=30, deadline=None)
@given(ips=volumes)
def test_zero_discount_npv_equals_sum(ips):
    out = run_with(**{"workload.inferences_per_second": ips, "discount_rate_per_year": 0.0})
    for o in out.options.values():
        assert np.isclose(o.npv_usd[0], o.monthly_usd.sum())


@settings(max_examples=30, deadline=None)
@given(ips=volumes)
def test_hybrid_with_no_escalation_equals_edge(ips):
    out = run_with(**{"workload.inferences_per_second": ips, "hybrid.escalation_rate": 0.0})
    assert np.isclose(out.options["hybrid"].total_usd[0], out.options["edge"].total_usd[0])


def test_vectorised_equals_one_by_one():
    # a batch of samples gives the same numbers as each sample alone (one code path)
    values = [1.0, 10.0, 100.0, 1000.0]
    batch = run_with(**{"workload.inferences_per_second": values})
    for i, v in enumerate(values):
        single = run_with(**{"workload.inferences_per_second": v})
        for name, o in single.options.items():
            assert np.isclose(batch.options[name].total_usd[i], o.total_usd[0])
        assert batch.recommendation[i] == single.recommendation[0]

"""The tornado measures the recommendation against the best *feasible* alternative, in the
quantity the decision compares (NPV by default, the undiscounted total with basis: total)."""

from __future__ import annotations

from pathlib import Path

import pytest

import edgecalc
from edgecalc.uncertainty.sensitivity import tornado, tornado_title

ROOT = Path(__file__).resolve().parents[2]
HOSPITAL = ROOT / "scenarios" / "hospital-imaging.yaml"
CITY = ROOT / "scenarios" / "city-traffic-cameras.yaml"
RANGE = {"edge.device_usd": {"low": 10_000, "high": 30_000}}


def _feasible(result) -> dict[str, bool]:
    return dict(zip(result.summary["option"], result.summary["feasible"], strict=True))


def test_no_infeasible_option_is_the_comparison():
    # hospital: cloud and hybrid are ruled out by residency, so edge has no feasible
    # alternative: the bars are NaN ("none feasible"), not a gap against an infeasible option
    frame = tornado(HOSPITAL, overrides=RANGE)
    row = frame.iloc[0]
    assert row["recommended"] == "edge"
    assert row["runner_up"] is None and row["alternative_low"] is None
    assert pytest.approx(float("nan"), nan_ok=True) == row["swing_usd"]
    assert tornado_title(frame).endswith("(none is feasible at the point estimate)")


@pytest.mark.parametrize("basis", ["npv", "total"])
def test_each_end_is_compared_with_the_best_feasible_alternative_there(basis):
    overrides = {"decision.basis": basis, "cloud.usd_per_hour": {"low": 0.5, "high": 3.0}}
    frame = tornado(CITY, overrides=overrides)
    row = frame[frame["path"] == "cloud.usd_per_hour"].iloc[0]
    column = "npv_usd" if basis == "npv" else "total_usd"
    for end in ("low", "high"):
        result = edgecalc.evaluate(
            CITY, overrides={"decision.basis": basis, "cloud.usd_per_hour": row[end]}
        )
        cost = result.summary.set_index("option")[column]
        feasible = _feasible(result)
        others = [o for o in cost.index if o != row["recommended"] and feasible[o]]
        best = min(others, key=lambda o: cost[o])
        assert row[f"alternative_{end}"] == best
        assert feasible[best]
        assert row[f"cost_diff_{end}_usd"] == pytest.approx(cost[row["recommended"]] - cost[best])
    assert row["basis"] == basis

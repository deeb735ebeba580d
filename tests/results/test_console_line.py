"""What a console or a log shows of a Result or a Simulation: one line, with the verdict.

A dataclass's own repr printed every table and every per-sample array (about 90 kB for a
shipped scenario, each table built first to print it); an analyst who types ``result`` in a
terminal, or logs it, wants the verdict and the names of what to read next.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import edgecalc

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
HAND = ROOT / "tests" / "fixtures" / "hand-worked.yaml"


def option_costs(line: str) -> dict[str, tuple[str, bool]]:
    """Option -> (its cost as written, whether it is marked ruled out), from a Result's line."""
    found = re.findall(r"(\w+) (-?\$[\d,]+)( \(ruled out\))?[,;]", line)
    return {name: (cost, bool(out)) for name, cost, out in found}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_result_is_one_short_line_with_its_verdict(path):
    result = edgecalc.evaluate(path)
    line = repr(result)
    assert "\n" not in line
    assert len(line) < 600
    assert line.startswith(f"<Result {result.scenario.name!r}: ")
    summary = result.summary
    column = "npv_usd" if result.scenario.decision.basis == "npv" else "total_usd"
    assert option_costs(line) == {
        name: (f"${cost:,.0f}" if round(cost) >= 0 else f"-${-cost:,.0f}", not feasible)
        for name, cost, feasible in zip(
            summary["option"], summary[column], summary["feasible"], strict=True
        )
    }
    assert "nan" not in line and "e+" not in line


def test_the_hand_worked_line_reads_its_figures():
    # the fixture's NPV at 0% is its undiscounted total: cloud 2 x 730 h x $1 x 24 months of
    # compute and the rest of its lines (tests/costs/test_hand_worked.py); here the line must
    # carry the summary's figures as a person reads them
    result = edgecalc.evaluate(HAND)
    npv = result.summary.set_index("option")["npv_usd"]
    line = repr(result)
    for name in ("cloud", "edge", "hybrid"):
        assert f"{name} ${npv[name]:,.0f}" in line
    assert "cloud recommended; NPV at 0% a year over 24 months" in line


def test_a_ruled_out_option_says_so():
    # 15e9 parameters at int8 need 18 GB: not on the fixture's 8 GB device
    result = edgecalc.evaluate(HAND, overrides={"model.parameters": 15e9})
    costs = option_costs(repr(result))
    assert (costs["edge"][1], costs["hybrid"][1], costs["cloud"][1]) == (True, True, False)
    line = repr(result)
    assert "cloud recommended" in line


def test_the_console_line_does_not_build_the_cost_table():
    from edgecalc.results.result import Result

    result = edgecalc.evaluate(HAND)
    repr(result)
    built = [
        name
        for name in ("costs", "monthly", "assumptions", "facts", "sites", "constraints")
        if vars(Result)[name].is_built(result)
    ]
    assert built == []  # the lazy tables were not built to print their names
    result.costs  # noqa: B018
    assert vars(Result)["costs"].is_built(result)


def test_a_simulation_is_one_short_line_with_its_stability():
    sim = edgecalc.simulate(HAND, samples=200, seed=4)
    line = repr(sim)
    assert "\n" not in line and len(line) < 400
    assert line.startswith("<Simulation 'Hand-worked fixture': 200 samples, seed 4; ")
    assert f"in {sim.stability:.0%} of samples" in line
    assert "array(" not in line

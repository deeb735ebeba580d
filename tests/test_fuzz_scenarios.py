"""A mutation fuzzer over the shipped scenarios (issue #10): hostile or careless edits of real
files give a clear error naming the file and the field or line, or a result whose totals are
finite and non-negative and whose JSON is valid JSON. Never a traceback.

Bounded in count and time: a fixed number of examples from a derandomised search, each a few
tenths of a second; the search is the same on every run, so a failure reproduces.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edgecalc
from edgecalc.docs_gen import field_docs
from edgecalc.errors import EdgecalcError, ScenarioError
from edgecalc.scenario import load_scenario_text

SCENARIOS = Path(__file__).parents[1] / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in SHIPPED}

NASTY_VALUES = [
    "yes",
    "no",
    "true",
    "false",
    "NO",
    "~",
    "''",
    "0",
    "-1",
    "-0.0",
    "1e308",
    "-1e308",
    "1e300",
    "9223372036854775808",
    "9" * 60,
    ".nan",
    ".inf",
    "-.inf",
    "0x10",
    "0o17",
    "1_000",
    "[]",
    "{}",
    "[1, 2]",
    "{low: 5, high: 1}",
    "{low: 1, high: 2, min: 100}",
    "{low: 1, high: 2, max: -1000}",
    "{low: 0.5, high: 1e15}",
    "{low: -1e15, high: 1e15}",
    "{low: 1, high: 2, dist: triangular, mode: 5}",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    "2024-01-01",
    "&anchor 3",
    "*undefined",
    "'" + "x" * 300 + "'",
    '"\\u0000"',
    "/etc/passwd",
    "/dev/zero",
    "../../../../etc/passwd",
    "base/../../pyproject.toml",
]
NUMERIC_FIELDS = [
    d.name
    for d in field_docs()
    if "number" in d.type and "[]" not in d.name and not d.name.startswith("cloud.rtt")
]


@st.composite
def mutated(draw):
    """A shipped scenario's text with one to three edits of lines."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        kind = draw(
            st.sampled_from(["value", "value", "value", "drop", "twice", "indent", "extends"])
        )
        if kind == "extends":  # what an attacker tries first: read a server file
            lines = [ln for ln in lines if not ln.startswith("extends:")]
            lines.insert(0, f"extends: {draw(st.sampled_from(NASTY_VALUES))}")
        elif kind == "value" and ":" in line and not line.lstrip().startswith("#"):
            key, _, _ = line.partition(":")
            lines[i] = f"{key}: {draw(st.sampled_from(NASTY_VALUES))}"
        elif kind == "drop":
            del lines[i]
            if not lines:
                lines = ["edgecalc: 1"]
        elif kind == "twice":
            lines.insert(i, line)
        else:
            lines[i] = "  " + line
    return name, "\n".join(lines) + "\n"


@st.composite
def numeric_override(draw):
    name = draw(st.sampled_from(sorted(TEXTS)))
    path = draw(st.sampled_from(NUMERIC_FIELDS))
    value = draw(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(min_value=-(2**70), max_value=2**70),
            st.sampled_from([0, 1, 1e15, 1e-300, -1e-300]),
            st.fixed_dictionaries({"low": st.floats(-1e16, 1e16), "high": st.floats(-1e16, 1e16)}),
        )
    )
    return name, {path: value}


def check_outcome(name: str, text: str, overrides: dict | None = None) -> None:
    """The property: a clear error, or finite non-negative totals and valid JSON."""
    try:
        scenario = load_scenario_text(
            text, name, overrides=overrides, base_dir=SCENARIOS, allowed_roots=[SCENARIOS]
        )
    except ScenarioError as exc:
        assert exc.problems, "an error with no problem in it"
        for problem in exc.problems:
            assert problem.file, f"no file named: {problem}"
            assert problem.field or problem.line, f"neither field nor line: {problem}"
            assert "Traceback" not in str(problem)
        return
    try:
        result = edgecalc.evaluate(scenario, base_dir=SCENARIOS)
    except EdgecalcError as exc:
        assert str(exc), "an evaluation error with no message"
        return
    for row in result.summary.to_dict("records"):
        for column in ("total_usd", "npv_usd"):
            value = float(row[column])
            assert math.isfinite(value), f"{row['option']} {column} is {value}"
        assert float(row["total_usd"]) >= 0, f"{row['option']} total is negative"
    text_json = result.to_json()
    json.loads(text_json, parse_constant=_refuse_constant)
    if scenario.ranged_paths() and any(isinstance(v, dict) for v in (overrides or {}).values()):
        try:  # a range was fuzzed: Monte Carlo over it is refused clearly or valid too
            sim = edgecalc.simulate(scenario, samples=32, seed=1, base_dir=SCENARIOS)
        except EdgecalcError as exc:
            assert str(exc), "a simulation error with no message"
            return
        json.loads(sim.to_json(), parse_constant=_refuse_constant)


def _refuse_constant(token: str):
    raise AssertionError(f"invalid JSON: bare {token}")


FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@FUZZ
@given(mutated())
def test_mutated_shipped_scenarios_fail_clearly_or_evaluate_finitely(case):
    name, text = case
    check_outcome(name, text)


@FUZZ
@given(numeric_override())
def test_any_number_in_any_numeric_field_fails_clearly_or_evaluates_finitely(case):
    name, overrides = case
    check_outcome(name, TEXTS[name], overrides)


def test_the_shipped_scenarios_themselves_pass_the_property():
    for name, text in TEXTS.items():
        check_outcome(name, text)

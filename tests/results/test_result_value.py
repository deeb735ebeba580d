"""``Result.value``: the value an input took, as the assumptions table lists it."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import edgecalc

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "factory-visual-qc.yaml"


def test_an_input_s_value_is_its_row_in_the_assumptions():
    result = edgecalc.evaluate(SCENARIO, overrides={"latency.budget_ms": 42.5})
    assert result.value("latency.budget_ms") == 42.5  # the edit, not the file's budget
    frame = result.assumptions
    for path in frame["path"].drop_duplicates():
        first = frame.loc[frame["path"] == path, "value"].iloc[0]
        try:
            expected = float(first)
        except (TypeError, ValueError):
            continue  # a value in words: value() is for numbers
        got = result.value(path)
        assert got == expected or (math.isnan(got) and math.isnan(expected)), path


def test_an_input_the_evaluation_did_not_read_is_refused_by_name():
    result = edgecalc.evaluate(SCENARIO)
    with pytest.raises(KeyError, match=r"no input 'latency\.nothing' in this evaluation"):
        result.value("latency.nothing")

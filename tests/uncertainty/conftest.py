"""Shared by the Monte Carlo tests: two runs compared array by array."""

from __future__ import annotations

import numpy as np
import pytest


def assert_same_run(a, b) -> None:
    """Every per-sample array and the fan, bit for bit."""
    assert a.options == b.options
    for o in a.options:
        np.testing.assert_array_equal(a.total_usd[o], b.total_usd[o])
        np.testing.assert_array_equal(a.npv_usd[o], b.npv_usd[o])
        np.testing.assert_array_equal(a.feasible[o], b.feasible[o])
    np.testing.assert_array_equal(a.recommendation_codes, b.recommendation_codes)
    assert a.break_even_months.keys() == b.break_even_months.keys()
    for pair, months in a.break_even_months.items():
        np.testing.assert_array_equal(months, b.break_even_months[pair])
    assert a.inputs.keys() == b.inputs.keys()
    for path, values in a.inputs.items():
        np.testing.assert_array_equal(values, b.inputs[path])
    np.testing.assert_array_equal(a.fan.drop(columns="option"), b.fan.drop(columns="option"))


@pytest.fixture
def same_run():
    """``same_run(a, b)``: assert two simulations are equal sample for sample."""
    return assert_same_run

"""Shared by the Monte Carlo tests: two runs compared array by array; a small portfolio."""

from __future__ import annotations

import re
from pathlib import Path

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


HAND_WORKED = Path(__file__).parent.parent / "fixtures" / "hand-worked.yaml"

# six groups: small and large stores, slow and fast uplinks, two rates
GROUPS = [
    ("small-a", 2, 10, 100), ("small-b", 3, 12, 20), ("mid-a", 20, 30, 100),
    ("mid-b", 25, 40, 50), ("big-a", 80, 60, 200), ("big-b", 120, 80, 30),
]  # fmt: skip


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> Path:
    """The hand-worked fixture as six site groups, with two uncertain prices."""
    sites = "sites:\n  location: {lat: 48.14, lon: 11.58, country: DE}\n  list:\n" + "".join(
        f"  - {{name: {name}, count: {count}, inferences_per_second: {rate}, "
        f"uplink_mbps: {uplink}}}\n"
        for name, count, rate, uplink in GROUPS
    )
    text = re.sub(r"sites:\n(  .*\n)+", sites, HAND_WORKED.read_text(encoding="utf-8"))
    # the cloud's hourly price and the device price uncertain: verdicts vary between samples
    text = text.replace("usd_per_hour: 1.0", "usd_per_hour: {low: 0.2, high: 6}")
    text = text.replace("device_usd: 1000", "device_usd: {low: 300, high: 3000}")
    path = tmp_path_factory.mktemp("portfolio") / "portfolio.yaml"
    path.write_text(text, encoding="utf-8")
    return path

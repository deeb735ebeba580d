"""Statistics of latency samples: hand-worked numbers and invariants."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edgecalc.measure.stats import percentile_ms, summarize


def test_summary_of_one_to_ten():
    # x = 1..10, n = 10. Type 7: h = (n - 1) q / 100.
    # p50: h = 4.5 -> x[4] + 0.5 (x[5] - x[4]) = 5 + 0.5 = 5.5
    # p90: h = 8.1 -> 9 + 0.1 * 1 = 9.1;  p99: h = 8.91 -> 9 + 0.91 = 9.91
    # mean 5.5; std (ddof=1) = sqrt(sum((x - 5.5)^2) / 9) = sqrt(82.5 / 9) = 3.0277
    s = summarize(np.arange(1.0, 11.0))
    assert s["n"] == 10
    assert s["min_ms"] == 1.0 and s["max_ms"] == 10.0
    assert s["p50_ms"] == pytest.approx(5.5)
    assert s["p90_ms"] == pytest.approx(9.1)
    assert s["p99_ms"] == pytest.approx(9.91)
    assert s["mean_ms"] == pytest.approx(5.5)
    assert s["std_ms"] == pytest.approx(math.sqrt(82.5 / 9))


def test_failed_samples_are_ignored():
    # NaN marks failed samples: the stats are those of [10, 20, 30, 40].
    # p90: h = 3 * 0.9 = 2.7 -> 30 + 0.7 * 10 = 37
    s = summarize([10.0, np.nan, 20.0, 30.0, np.nan, 40.0])
    assert s["n"] == 4
    assert s["p90_ms"] == pytest.approx(37.0)


def test_no_sample_gives_nan_and_zero_count():
    s = summarize([np.nan, np.nan])
    assert s["n"] == 0
    assert all(math.isnan(s[k]) for k in s if k != "n")


def test_single_sample_has_no_spread():
    s = summarize([7.0])
    assert s["p99_ms"] == 7.0 and math.isnan(s["std_ms"])


def test_percentiles_work_on_numbers_not_strings():
    # Sorted as strings, "100" < "9": the p50 of [9, 100, 20] would be wrong.
    assert summarize(np.array(["9", "100", "20"], dtype=object).astype(float))["p50_ms"] == 20.0


def test_percentile_along_a_sample_axis_with_an_empty_row():
    samples = np.array([[1.0, 2.0, 3.0], [np.nan, np.nan, np.nan]])
    result = percentile_ms(samples, 50, axis=1)
    assert result[0] == 2.0 and math.isnan(result[1])


def test_percentile_out_of_range_is_an_error():
    with pytest.raises(ValueError, match=r"\[0, 100\]"):
        percentile_ms([1.0], 101)


@given(st.lists(st.floats(0.0, 1e5, allow_nan=False), min_size=1, max_size=50))
def test_statistics_are_ordered(values):
    s = summarize(values)
    tolerance = 1e-9 * max(1.0, s["max_ms"])
    assert s["min_ms"] <= s["p50_ms"] + tolerance
    assert s["p50_ms"] <= s["p90_ms"] + tolerance
    assert s["p90_ms"] <= s["p99_ms"] + tolerance
    assert s["p99_ms"] <= s["max_ms"] + tolerance
    assert s["min_ms"] - tolerance <= s["mean_ms"] <= s["max_ms"] + tolerance

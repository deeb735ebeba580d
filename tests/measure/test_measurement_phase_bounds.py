"""A measurement file's phase times are bounded: no request lasts longer than its deadline.

A ttfb of 1.7e308 ms used to load, print as a number of 309 digits and turn ``summary_frame``'s
mean and standard deviation into inf. Now it is an error naming the file, the sample, the
phase and the value; a phase as long as the longest deadline a run accepts still loads.
"""

from __future__ import annotations

import json
import math

import pytest

from edgecalc.measure.api import MAX_SECONDS
from edgecalc.measure.measurement import (
    MeasurementFileError,
    load_measurement,
    loads_measurement,
)
from edgecalc.measure.measurement_schema import MAX_PHASE_MS


def _with_ttfb(tiny_measurement, ms: float) -> str:
    data = tiny_measurement().to_dict()
    data["samples"][2]["phases_ms"]["ttfb"] = ms
    return json.dumps(data)


@pytest.mark.parametrize("ms", [1.7e308, 1e20, MAX_PHASE_MS + 1.0])
def test_a_phase_longer_than_any_request_names_file_sample_phase_and_value(
    tmp_path, tiny_measurement, ms
):
    path = tmp_path / "site-a.json"
    path.write_text(_with_ttfb(tiny_measurement, ms), encoding="utf-8")
    with pytest.raises(MeasurementFileError) as info:
        load_measurement(path)
    message = str(info.value)
    assert message.startswith(f"{path}: samples[2].phases_ms.ttfb: {ms!r} ms is longer")
    assert "at most 172,800,000 ms (two days" in message
    assert len(message) < 300  # no 309-digit number


def test_an_upload_with_a_huge_phase_is_refused_the_same_way(tiny_measurement):
    with pytest.raises(MeasurementFileError) as info:
        loads_measurement(_with_ttfb(tiny_measurement, 1.7e308), "upload.json")
    assert str(info.value).startswith(
        "upload.json: samples[2].phases_ms.ttfb: 1.7e+308 ms is longer than any request"
    )


@pytest.mark.parametrize(
    "ms",
    [MAX_SECONDS * 1000.0, MAX_SECONDS * 1000.0 + 5_000.0, MAX_PHASE_MS],
    ids=["the longest deadline", "the longest deadline overrun by 5 s", "the bound"],
)
def test_a_phase_as_long_as_a_request_may_take_loads_with_finite_statistics(tiny_measurement, ms):
    # timeout_s may be up to MAX_SECONDS (a day): a file of such a run must read back.
    m = loads_measurement(_with_ttfb(tiny_measurement, ms), "long.json")
    frame = m.summary_frame()
    row = frame[(frame["mode"] == "warm") & (frame["phase"] == "ttfb")].iloc[0]
    assert row["max_ms"] == ms
    assert math.isfinite(row["mean_ms"]) and math.isfinite(row["std_ms"])

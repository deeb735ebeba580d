"""loads_measurement: a measurement from the text of a file (an upload), as load_measurement."""

from __future__ import annotations

import json

import pytest

from edgecalc.measure.measurement import (
    MeasurementFileError,
    load_measurement,
    loads_measurement,
)


def test_loads_reads_what_load_reads(tmp_path, tiny_measurement) -> None:
    text = tiny_measurement().to_json()
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    from_text = loads_measurement(text.encode("utf-8"), "m.json")
    from_file = load_measurement(path)
    assert from_text.source_path is None
    assert from_text.to_json() == from_file.to_json()
    # warm samples 1..3 (sample 0 opened the connection): ttfb 11, 12, 13 ms; median 12 ms
    frame = from_text.summary_frame()
    row = frame[(frame["mode"] == "warm") & (frame["phase"] == "ttfb")].iloc[0]
    assert row["n"] == 3 and row["p50_ms"] == pytest.approx(12.0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00", "up.json: not a text file (not UTF-8)"),
        ("{\n  oops", "up.json: not valid JSON (line 2, column 3"),
        ("[]", "up.json: not a JSON object"),
        ('{"a": 1}', "up.json: no 'edgecalc_measurement' key"),
        (json.dumps({"edgecalc_measurement": 99}), "format version 99 is not supported"),
    ],
)
def test_loads_names_the_file_and_what_is_wrong(data, message) -> None:
    with pytest.raises(MeasurementFileError) as info:
        loads_measurement(data, "up.json")
    assert message in str(info.value)

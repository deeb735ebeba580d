"""The measurement file: round trip, clear errors, and measured_rtt for the latency check."""

import json
from datetime import UTC, datetime

import pytest

from edgecalc.measure.api import measure
from edgecalc.measure.echo_server import serve_in_thread
from edgecalc.measure.measurement import (
    Measurement,
    MeasurementFileError,
    Target,
    load_measurement,
    measured_rtt,
    save_measurement,
)

URL = "http://198.51.100.7:8080/"


def _sample(mode, i, ms, *, ok=True, kind=None, new_connection=False):
    phases = {"ttfb": ms, "total": ms + 1.0} if ok else {}
    return {
        "target": URL,
        "mode": mode,
        "sample": i,
        "warmup": mode != "cold" and i == 0,
        "ok": ok,
        "kind": kind,
        "error": None if ok else "ReadTimeout: timed out",
        "status": 200 if ok else None,
        "new_connection": new_connection,
        "phases_ms": phases,
    }


def _hand_made() -> Measurement:
    # Warm: warm-up 99 ms (discarded), then 10, 20, 30, 40 ms on the reused connection and one
    # sample of 500 ms on a new connection (a reconnect: not warm, excluded).
    # Payload (total = ttfb + 1): warm-up, then 101, 201, 301, 401 ms.
    warm = [_sample("warm", 0, 99.0, new_connection=True)]
    warm += [_sample("warm", i + 1, ms) for i, ms in enumerate([10.0, 20.0, 30.0, 40.0])]
    warm += [_sample("warm", 5, 500.0, new_connection=True)]
    payload = [_sample("payload", 0, 999.0, new_connection=True)]
    payload += [_sample("payload", i + 1, ms) for i, ms in enumerate([100.0, 200.0, 300.0, 400.0])]
    cold = [
        _sample("cold", 0, 50.0, new_connection=True),
        _sample("cold", 1, 0, ok=False, kind="timeout"),
    ]
    return Measurement(
        targets=[Target(url=URL, label="echo-fra")],
        samples=cold + warm + payload,
        settings={"samples": 4, "payload_bytes": 300_000},
        created_at="2026-11-20T08:00:00Z",
        host="factory-gw-1",
        site="munich",
        tool_version="0.1.0",
    )


def test_round_trip_keeps_everything(tmp_path):
    original = _hand_made()
    path = save_measurement(original, tmp_path / "sub" / "munich.json")
    loaded = load_measurement(path)
    assert loaded.samples == original.samples
    assert loaded.targets == original.targets
    assert (loaded.created_at, loaded.host, loaded.site) == (
        "2026-11-20T08:00:00Z",
        "factory-gw-1",
        "munich",
    )
    assert loaded.source_path == path
    assert loaded.summary_frame().equals(original.summary_frame())
    data = json.loads(path.read_text())
    assert data["edgecalc_measurement"] == 1
    assert data["tool"] == {"name": "edgecalc", "version": "0.1.0"}
    assert data["failures"] == {URL: {"timeout": 1}}
    # cold: 1 of 2 failed; warm and payload: 0 of 6 and 0 of 5; all: 1 of 13
    assert data["loss"][URL] == {"cold": 0.5, "warm": 0.0, "payload": 0.0, "all": 1 / 13}
    assert list(tmp_path.joinpath("sub").iterdir()) == [path]  # no temporary file left


def test_measured_rtt_uses_warm_reused_samples_at_the_percentile():
    # Warm ttfb samples 10, 20, 30, 40 (warm-up and reconnect excluded).
    # p90, type 7: h = 3 * 0.9 = 2.7 -> 30 + 0.7 * 10 = 37 ms.
    # Payload totals 101, 201, 301, 401: h = 2.7 -> 301 + 0.7 * 100 = 371 ms.
    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    rtt = measured_rtt(_hand_made(), 90, now=now)
    assert rtt.rtt_ms == pytest.approx(37.0)
    assert rtt.payload_ms == pytest.approx(371.0)
    assert rtt.payload_bytes == 300_000
    assert rtt.age_days == pytest.approx(10.0)
    assert rtt.target == "echo-fra"
    assert "p90 of 4 samples" in rtt.method_note and "site munich" in rtt.method_note


def test_measured_rtt_reads_a_path_and_records_it(tmp_path):
    path = save_measurement(_hand_made(), tmp_path / "m.json")
    rtt = measured_rtt(path, 50, target="echo-fra")
    assert rtt.source_path == path
    assert rtt.rtt_ms == pytest.approx(25.0)  # median of 10, 20, 30, 40


def test_measured_rtt_names_unknown_targets():
    with pytest.raises(ValueError, match=r"not in the measurement.*echo-fra"):
        measured_rtt(_hand_made(), 50, target="aws/eu-west-1")


def test_a_real_local_measurement_round_trips(tmp_path):
    server, url = serve_in_thread()
    try:
        m = measure(url, samples=3, payload_bytes=10_000, pause_s=0.0, site="lab")
    finally:
        server.shutdown()
        server.server_close()
    loaded = load_measurement(save_measurement(m, tmp_path / "lab.json"))
    assert loaded.to_frame().equals(m.to_frame())
    assert set(loaded.to_frame()["mode"]) == {"cold", "warm", "payload"}
    assert measured_rtt(loaded, 99).payload_ms is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON (line 1, column 2"),
        ("[]", "not a JSON object"),
        ('{"edgecalc": 1}', "not an edgecalc measurement file"),
        ('{"edgecalc_measurement": 9}', "format version 9 is not supported"),
        (
            '{"edgecalc_measurement": 1, "created_at": "x", "targets": [], "samples": []}',
            "not an ISO 8601 time",
        ),
    ],
)
def test_bad_files_say_which_file_and_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(MeasurementFileError) as error:
        load_measurement(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_sample_with_a_bad_phase_is_named(tmp_path):
    data = _hand_made().to_dict()
    data["samples"][3]["phases_ms"]["ttfb"] = "12 ms"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(MeasurementFileError, match=r"samples\[3\]\.phases_ms"):
        load_measurement(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(MeasurementFileError, match="no such measurement file"):
        load_measurement(tmp_path / "absent.json")

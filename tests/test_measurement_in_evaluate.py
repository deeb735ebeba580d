"""A measurement file made by `edgecalc measure` feeds the latency check of `evaluate`.

The server is an echo server the test starts on 127.0.0.1 with a 30 ms simulated delay.
"""

import json
import os
import time
from pathlib import Path

import pytest

import edgecalc
from edgecalc.cli import main
from edgecalc.measure.echo_server import serve_in_thread

FIXTURE = Path(__file__).parent / "fixtures" / "hand-worked.yaml"


@pytest.fixture(scope="module")
def measurement_file(tmp_path_factory):
    server, url = serve_in_thread("127.0.0.1", 0)
    try:
        out = tmp_path_factory.mktemp("m") / "site.json"
        code = main(
            [
                "measure",
                f"{url}/?delay_ms=30",
                "--samples",
                "6",
                "--payload-bytes",
                "100000",
                "--site",
                "test-site",
                "--out",
                str(out),
                "--format",
                "json",
                "--no-progress",
            ]
        )
        assert code == 0
        yield out
    finally:
        server.shutdown()
        server.server_close()


def scenario_with(measurement: Path, tmp_path: Path, **extra) -> Path:
    text = FIXTURE.read_text().replace(
        "  rtt: {ms: 20}\n", f"  rtt: {{measurement: {measurement.name}}}\n"
    )
    for line in extra.values():
        text += line
    path = measurement.parent / f"scenario-{tmp_path.name}.yaml"
    path.write_text(text)
    return path


def test_evaluate_uses_the_measured_rtt(measurement_file, tmp_path):
    path = scenario_with(measurement_file, tmp_path)
    result = edgecalc.evaluate(path)
    rtt = result.latency.set_index(["option", "component"])["ms"]
    # the measured payload round trip replaces RTT + upload; it includes the 30 ms delay
    assert rtt[("cloud", "rtt")] >= 30
    assert rtt[("cloud", "upload")] == 0
    assert any("measured by edgecalc measure" in r for r in result.decision.reasons)
    origins = result.assumptions.set_index("path")["origin"]
    assert origins["sites.rtt_ms"] == "measurement"


def test_old_measurement_warns(measurement_file, tmp_path):
    data = json.loads(measurement_file.read_text())
    data["created_at"] = "2020-01-01T00:00:00Z"
    old = measurement_file.parent / "old.json"
    old.write_text(json.dumps(data))
    os.utime(old, (time.time(), time.time()))
    path = scenario_with(old, tmp_path)
    result = edgecalc.evaluate(path)
    assert any("days old" in w for w in result.warnings)


def test_missing_measurement_file_is_a_clear_error(tmp_path):
    path = scenario_with(tmp_path / "nope.json", tmp_path)
    with pytest.raises(edgecalc.EdgecalcError) as info:
        edgecalc.evaluate(path)
    assert "cloud.rtt.measurement" in str(info.value) and "nope.json" in str(info.value)


def test_measure_takes_the_payload_size_from_the_scenario(tmp_path):
    # `measure URL --scenario FILE`: the POST carries the workload's request_bytes (100,000)
    server, url = serve_in_thread("127.0.0.1", 0)
    try:
        out = tmp_path / "m.json"
        code = main(
            [
                "measure",
                url,
                "--scenario",
                str(FIXTURE),
                "--samples",
                "3",
                "--out",
                str(out),
                "--no-progress",
            ]
        )
        assert code == 0
    finally:
        server.shutdown()
        server.server_close()
    data = json.loads(out.read_text())
    assert data["settings"]["payload_bytes"] == 100_000
    modes = {s["mode"] for s in data["samples"]}
    assert "payload" in modes

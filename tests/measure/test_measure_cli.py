"""``edgecalc measure`` and ``edgecalc echo-server`` as a user sees them (local targets only)."""

import argparse
import json

import pytest

from edgecalc.commands.measure_cli import add_echo_server_parser, add_measure_parser, format_text
from edgecalc.measure.measurement import Measurement, Target, load_measurement


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edgecalc")
    sub = parser.add_subparsers()
    add_measure_parser(sub)
    add_echo_server_parser(sub)
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return args.handler(args)


def test_text_table_on_a_local_target(echo_url, capsys, tmp_path):
    out_file = tmp_path / "site.json"
    code = _run(
        [
            "measure",
            echo_url,
            "--samples",
            "3",
            "--payload-bytes",
            "2000",
            "--pause",
            "0",
            "--site",
            "lab",
            "--out",
            str(out_file),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    lines = captured.out.splitlines()
    assert "site lab" in lines[0]
    header = next(line for line in lines if line.startswith("target"))
    assert header.split() == [
        "target",
        "mode",
        "phase",
        "p50",
        "ms",
        "p90",
        "ms",
        "p99",
        "ms",
        "n",
        "loss",
    ]
    first_row = lines[lines.index(header) + 2].split()
    assert first_row[:3] == [echo_url, "cold", "connect"]
    assert first_row[-2:] == ["0%", "(0/3)"]
    # Each mode starts its block with its first phase and its loss (warm-up included: 4 made).
    assert any(line.split()[:2] == ["warm", "request"] and "(0/4)" in line for line in lines)
    assert any(line.split()[:2] == ["payload", "request"] for line in lines)
    assert sum(line.split()[0] == "ttfb" for line in lines[lines.index(header) + 2 :]) == 3
    assert "failures" not in captured.out
    # Progress goes to stderr only on a terminal; the file message always.
    assert "measuring [" not in captured.err
    assert f"written to {out_file}" in captured.err
    assert load_measurement(out_file).site == "lab"


def test_json_format_is_the_file_format(echo_url, capsys):
    assert _run(["measure", echo_url, "--samples", "2", "--format", "json", "--pause", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["edgecalc_measurement"] == 1
    assert {row["mode"] for row in data["stats"]} == {"cold", "warm"}


def test_from_adds_the_fibre_floor_ratio():
    # Target in Frankfurt (50.11, 8.68), site in Munich (48.14, 11.58): 304.1 km apart
    # (edgecalc.latency.geo's example); floor = 304.1 / 102.1 = 2.98 ms. Warm RTT samples
    # 6 and 9 ms: min 6 ms, ratio 6 / 2.98 = 2.01.
    url = "https://example.test/ping"
    target = Target(
        url=url,
        label="aws/eu-central-1",
        lat=50.11,
        lon=8.68,
        source="test",
        as_of="2026-11-01",
        provider="aws",
        region="eu-central-1",
    )
    m = _from_munich(target, [30.0, 6.0, 9.0])
    floor = m.floor_ratios()[url]
    assert floor["distance_km"] == pytest.approx(304.1, abs=0.1)
    assert floor["floor_ms"] == pytest.approx(304.1 / 102.1, rel=1e-3)
    assert floor["ratio"] == pytest.approx(6.0 / (304.1 / 102.1), rel=1e-3)
    text = format_text(m)
    assert "304 km, floor 2.98 ms, measured 6.00 ms, ratio 2.01" in text
    assert "aws/eu-central-1: GET https://example.test/ping (source test, as of 2026-11-01)" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["measure"], "give target URLs"),
        (["measure", "ftp://example.test/"], "not an http:// or https:// URL"),
        (["measure", "--provider", "aws"], "needs --region R or --all"),
        (["measure", "--region", "eu-west-1", "http://127.0.0.1:9/"], "need --provider"),
    ],
)
def test_usage_errors_exit_2_with_a_message(argv, message, capsys):
    assert _run(argv) == 2
    assert message in capsys.readouterr().err


def test_bad_from_is_rejected_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        _parser().parse_args(["measure", "http://127.0.0.1:9/", "--from", "munich"])
    assert exit_info.value.code == 2
    assert "expected LAT,LON" in capsys.readouterr().err


def test_echo_server_parser_defaults_to_loopback():
    args = _parser().parse_args(["echo-server"])
    assert (args.host, args.port, args.max_body_bytes) == ("127.0.0.1", 8080, 64 * 1024 * 1024)


def test_a_slow_target_reads_with_thousands_separators():
    # warm samples of 4.5 and 9 seconds (the first, a warm-up, left out): min 4,500 ms against
    # the 2.98 ms floor from Munich to Frankfurt, p50 6,750 ms
    url = "https://example.test/ping"
    target = Target(url=url, label="far", lat=50.11, lon=8.68, source="test", as_of="2026-11-01")
    m = _from_munich(target, [30.0, 4500.0, 9000.0])
    text = format_text(m)
    assert "304 km, floor 2.98 ms, measured 4,500.0 ms, ratio " in text
    assert "6,750.0" in text and "6750.0" not in text


def _from_munich(target: Target, ttfb_ms: list[float]) -> Measurement:
    """A measurement from Munich of warm requests to ``target`` with these times to first byte
    [ms], the first a warm-up."""
    samples = [
        {
            "target": target.url,
            "mode": "warm",
            "sample": i,
            "warmup": i == 0,
            "ok": True,
            "kind": None,
            "error": None,
            "status": 200,
            "new_connection": i == 0,
            "phases_ms": {"ttfb": ms},
        }
        for i, ms in enumerate(ttfb_ms)
    ]
    return Measurement(
        targets=[target],
        samples=samples,
        settings={"samples": 2},
        created_at="2026-11-26T09:00:00Z",
        host="h",
        from_latlon=(48.14, 11.58),
    )

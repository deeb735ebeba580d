"""A site group's own RTT (sites.list[].rtt_ms) wins over cloud.rtt for that group only."""

from pathlib import Path

import edgecalc

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def test_a_site_rtt_overrides_cloud_rtt_for_that_group_only():
    sites = {
        "count": None,
        "list": [{"name": "near", "count": 1}, {"name": "far", "count": 1, "rtt_ms": 80}],
    }
    r = edgecalc.evaluate(FIXTURE, {"sites": sites})
    rtt = r.sites.set_index("site").rtt_ms
    # near keeps cloud.rtt.ms = 20; far gives its own 80 ms
    assert rtt["near"] == 20
    assert rtt["far"] == 80


def _rtt_reason(result) -> str:
    (reason,) = (r for r in result.decision.reasons if r.startswith("RTT "))
    return reason


def test_a_given_rtt_over_a_second_reads_with_a_thousands_separator():
    r = edgecalc.evaluate(FIXTURE, {"cloud.rtt": {"ms": 4500}})
    assert _rtt_reason(r) == "RTT given in the scenario: 4,500.0 ms at p99"


def test_a_measured_rtt_over_a_second_reads_with_a_thousands_separator(monkeypatch):
    from edgecalc.measure import measurement

    measured = measurement.MeasuredRtt(
        rtt_ms=4500.0,
        payload_ms=12_345.6,
        payload_bytes=100_000,
        target="far",
        created_at="2026-01-01T00:00:00Z",
        age_days=0.0,
        source_path=None,
        method_note="",
    )
    monkeypatch.setattr(measurement, "load_measurement", lambda path: None)
    monkeypatch.setattr(measurement, "measured_rtt", lambda m, pct, target=None: measured)
    r = edgecalc.evaluate(FIXTURE, {"cloud.rtt": {"measurement": "site.json"}})
    reason = _rtt_reason(r)
    assert "warm p99 4,500.0 ms; payload round trip p99 12,345.6 ms" in reason


def test_estimated_rtts_of_many_groups_read_with_thousands_separators():
    # 5,000 ms of access puts every group's RTT over five seconds; groups 1-6 by name, the
    # last two by their range
    sites = {
        "count": None,
        "list": [
            {
                "name": f"g{i}",
                "count": 1,
                "location": {"lat": 40 + 3 * i, "lon": 11.58, "country": "DE"},
            }
            for i in range(8)
        ],
    }
    r = edgecalc.evaluate(FIXTURE, {"sites": sites, "cloud.rtt": {"access_ms": 5000}})
    reason = _rtt_reason(r)
    assert "g0 1,147 km, 5,067.7 ms at p99" in reason
    assert "2 more groups 5,034.1-5,071.2 ms at p99" in reason
    assert "+access 5,000 ms at p99" in reason

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

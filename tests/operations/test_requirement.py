"""Availability as a requirement: hand-worked checks and the reason's numbers."""

import numpy as np
import pytest

from edgecalc.operations.availability import (
    device_unavailability,
    edge_availability,
    minutes_per_month,
    site_down_probability,
)
from edgecalc.operations.requirement import (
    check_availability,
    downtime_cost_usd_per_month,
    requirement_reason,
)


def test_a_requirement_that_rules_out_the_cloud():
    # a retail store on a WAN up 99.5 % of the time: the cloud is down 0.005 x 43,800 = 219 min
    # a month and serves 99.5 %; the store needs 99.9 % (43.8 min a month)
    minutes = float(minutes_per_month(1 - 0.995))
    assert minutes == pytest.approx(219.0)
    assert not bool(check_availability(minutes, 0.995, min_share_served=0.999).met)
    reason = requirement_reason("cloud", minutes, 0.995, min_share_served=0.999)
    assert reason == (
        "cloud serves 99.50% of inferences, the requirement is 99.90% "
        "(down 219 min per site and month, the requirement allows 44)"
    )


def test_a_requirement_that_rules_out_an_edge_without_spares():
    # one device per site, AFR 5 %, 48 h until a technician arrives, 2 h on site:
    # down share = 0.05 x 50 / 8,760 = 2.854e-4 -> 12.5 min a month; the requirement allows 5.
    # With one spare on site (2 devices, 1 needed) both must fail: about (2.854e-4)^2 x 2 -> 0.
    u = device_unavailability(0.05, 48.0, 2.0)
    alone = edge_availability(site_down_probability(u, devices_needed=1, spares=0))
    spare = edge_availability(site_down_probability(u, devices_needed=1, spares=1))
    minutes_alone = float(alone.minutes_without_inference_per_month)
    assert minutes_alone == pytest.approx(0.05 * 50 / 8760 * 43800, rel=1e-3)  # 12.5 min
    check = check_availability(
        [minutes_alone, float(spare.minutes_without_inference_per_month)],
        [float(alone.share_served), float(spare.share_served)],
        max_minutes_without_inference_per_month=5.0,
    )
    np.testing.assert_array_equal(check.met, [False, True])
    assert (
        requirement_reason(
            "edge",
            minutes_alone,
            float(alone.share_served),
            max_minutes_without_inference_per_month=5.0,
        )
        == "edge is without inference 12 min per site and month, the requirement allows 5"
    )


def test_no_requirement_is_always_met():
    assert bool(check_availability(10_000.0, 0.5).met)
    assert requirement_reason("cloud", 10_000.0, 0.5) is None


def test_meeting_the_requirement_exactly_passes():
    assert bool(check_availability(219.0, 0.995, 0.995, 219.0).met)


def test_downtime_cost_is_minutes_times_sites_times_price():
    # 219 min x 120 stores x $12/min = $315,360 a month
    assert float(downtime_cost_usd_per_month(219.0, 120, 12.0)) == pytest.approx(315_360.0)

"""Minutes without inference for cloud, edge and hybrid, and the redundancy arithmetic."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edgecalc.operations import (
    cloud_availability,
    device_unavailability,
    edge_availability,
    hybrid_availability,
    minutes_per_month,
    site_down_probability,
    wan_outages_per_month,
)

shares = st.floats(0.0, 1.0)


def test_site_with_one_spare_is_down_only_when_two_devices_are():
    # n = 2 needed, k = 1 spare, u = 0.01: P(>= 2 of 3 down) = 3 u^2 (1 - u) + u^3
    # = 3 x 0.0001 x 0.99 + 0.000001 = 0.000297 + 0.000001 = 0.000298
    assert float(site_down_probability(0.01, 2, 1)) == pytest.approx(0.000298)


def test_no_spares_is_down_when_any_needed_device_is():
    # k = 0, n = 3: 1 - 0.99^3 = 0.029701
    assert float(site_down_probability(0.01, 3, 0)) == pytest.approx(0.029701)
    assert float(site_down_probability(0.3, 0, 2)) == 0.0
    assert float(site_down_probability(1.0, 1, 0)) == 1.0


@given(
    u=shares,
    needed=st.integers(0, 4),
    spares=st.integers(0, 3),
)
def test_site_down_matches_enumerating_every_device_state(u, needed, spares):
    total = needed + spares
    expected = 0.0
    for states in itertools.product([0, 1], repeat=total):
        down = sum(states)
        if down >= spares + 1:
            expected += u**down * (1 - u) ** (total - down)
    assert float(site_down_probability(u, needed, spares)) == pytest.approx(expected, abs=1e-12)


@given(u=shares, needed=st.integers(0, 20), spares=st.integers(0, 10))
def test_more_spares_never_lower_availability(u, needed, spares):
    fewer = float(site_down_probability(u, needed, spares))
    more = float(site_down_probability(u, needed, spares + 1))
    assert more <= fewer + 1e-12


def test_device_unavailability_hand_worked():
    # AFR 0.05 -> lambda = 0.05 / 8760 = 5.7078e-6 /h; MTTR 44 + 4 = 48 h
    # lambda MTTR = 2.7397e-4; u = 2.7397e-4 / 1.00027397 = 2.7390e-4
    assert float(device_unavailability(0.05, 44, 4)) == pytest.approx(2.7390e-4, rel=1e-4)
    assert float(device_unavailability(0.0, 48, 4)) == 0.0


def test_cloud_minutes_follow_wan_availability():
    # (1 - 0.999) x 730 x 60 = 43.8 minutes per month
    cloud = cloud_availability(0.999, cloud_within_budget_share=0.9)
    assert float(cloud.minutes_without_inference_per_month) == pytest.approx(43.8)
    assert float(cloud.share_served) == pytest.approx(0.999)
    assert float(cloud.share_within_budget) == pytest.approx(0.999 * 0.9)
    # 0.001 x 730 h / 0.5 h per outage = 1.46 outages per month
    assert float(wan_outages_per_month(0.999, 0.5)) == pytest.approx(1.46)
    assert float(wan_outages_per_month(1.0, 2.0)) == 0.0


def test_edge_fallback_to_cloud_down_only_when_both_are():
    # s = 0.01, WAN 0.99: both down 0.0001 -> 0.0001 x 43,800 = 4.38 minutes
    alone = edge_availability(0.01)
    backed = edge_availability(0.01, wan_availability=0.99, fallback_to_cloud=True)
    assert float(alone.minutes_without_inference_per_month) == pytest.approx(438.0)
    assert float(backed.minutes_without_inference_per_month) == pytest.approx(4.38)
    # recovered: edge down, WAN up = 0.01 x 0.99
    assert float(backed.share_recovered_by_fallback) == pytest.approx(0.0099)


def test_hybrid_hand_worked_without_fallback():
    # s = 0.01, w = 0.01, e = 0.1, edge_ok 0.95, cloud_ok 0.6, escalations dropped
    hybrid = hybrid_availability(
        0.01,
        0.99,
        0.1,
        fallback_to_cloud=False,
        edge_within_budget_share=0.95,
        cloud_within_budget_share=0.6,
    )
    # nothing served while the edge is down: 0.01 x 43,800 = 438 minutes
    assert float(hybrid.minutes_without_inference_per_month) == pytest.approx(438.0)
    # served = 0.9801 + 0.9 x 0.0099 = 0.98901; lost = 0.1 x 0.0099 = 0.00099
    assert float(hybrid.share_served) == pytest.approx(0.98901)
    assert float(hybrid.share_lost_escalations) == pytest.approx(0.00099)
    # within = 0.9801 x (0.9 x 0.95 + 0.1 x 0.6) + 0.0099 x 0.9 x 0.95 = 0.905256
    assert float(hybrid.share_within_budget) == pytest.approx(0.905256)


def test_queued_escalations_are_served_late_not_lost():
    kwargs = dict(fallback_to_cloud=True, cloud_within_budget_share=0.5)
    drop = hybrid_availability(0.02, 0.95, 0.2, escalation_policy="drop", **kwargs)
    queue = hybrid_availability(0.02, 0.95, 0.2, escalation_policy="queue", **kwargs)
    # the queue recovers e (1 - s) w = 0.2 x 0.98 x 0.05 = 0.0098 of inferences, all late
    assert float(queue.share_served - drop.share_served) == pytest.approx(0.0098)
    assert float(queue.share_within_budget) == pytest.approx(float(drop.share_within_budget))
    assert float(queue.share_lost_escalations) == 0.0
    with pytest.raises(ValueError):
        hybrid_availability(0.02, 0.95, 0.2, fallback_to_cloud=True, escalation_policy="retry")


@given(s=shares, a=shares, fallback=st.booleans(), ok=shares)
def test_hybrid_without_escalations_is_edge(s, a, fallback, ok):
    edge = edge_availability(
        s, wan_availability=a, fallback_to_cloud=fallback, edge_within_budget_share=ok
    )
    hybrid = hybrid_availability(s, a, 0.0, fallback_to_cloud=fallback, edge_within_budget_share=ok)
    assert edge == hybrid


@given(s=shares, a=shares, e=shares, fallback=st.booleans(), queue=st.booleans(), ok=shares)
def test_shares_stay_in_range(s, a, e, fallback, queue, ok):
    result = hybrid_availability(
        s,
        a,
        e,
        fallback_to_cloud=fallback,
        escalation_policy="queue" if queue else "drop",
        edge_within_budget_share=ok,
        cloud_within_budget_share=ok,
    )
    served = float(result.share_served)
    assert -1e-12 <= float(result.share_within_budget) <= served + 1e-12
    assert served <= 1 + 1e-12
    assert 0 <= float(result.minutes_without_inference_per_month) <= 43_800 + 1e-6
    assert served + float(result.share_lost_escalations) <= 1 + 1e-12


def test_vectorised_over_samples():
    u = device_unavailability(np.array([0.02, 0.05, 0.2]), 44.0, 4.0)
    down = site_down_probability(u[:, None], 1, np.array([0, 1, 2]))
    assert down.shape == (3, 3)
    assert np.all(np.diff(down, axis=1) <= 0)
    assert minutes_per_month(down).shape == (3, 3)

"""The site's link bill: allowance, overage, throttle, cap; failover availability."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgecalc.costs.link import failover_availability, failover_share, link_direction_bill


def test_metered_link_with_allowance_and_overage():
    # a satellite plan: 500 GB included at $0 (the flat fee pays for them), $0.26/GB beyond;
    # a wind farm uploads 3,900 GB a month: (3,900 - 500) x 0.26 = 3,400 x 0.26 = $884
    bill = link_direction_bill(3900.0, 0.0, 500.0, "overage", 0.26)
    assert float(bill.usd_per_month) == pytest.approx(884.0)
    assert float(bill.gb_beyond_allowance) == pytest.approx(3400.0)
    assert not bill.over_cap and not bill.throttled


def test_per_gb_price_within_and_a_different_one_beyond():
    # 1,200 GB: 1,000 x $0.05 + 200 x $0.15 = 50 + 30 = $80
    bill = link_direction_bill(1200.0, 0.05, 1000.0, "overage", 0.15)
    assert float(bill.usd_per_month) == pytest.approx(80.0)
    # without an overage price the beyond part costs the in-allowance price: 1,200 x 0.05 = 60
    assert float(link_direction_bill(1200.0, 0.05, 1000.0).usd_per_month) == pytest.approx(60.0)


def test_unlimited_plan_bills_every_gb_at_its_price():
    # 3,900 GB x $0.26 = $1,014 (the wind farm on a pay-per-GB satellite link)
    bill = link_direction_bill(3900.0, 0.26)
    assert float(bill.usd_per_month) == pytest.approx(1014.0)
    assert float(bill.gb_beyond_allowance) == 0.0


def test_a_hard_cap_flags_traffic_beyond_it_and_bills_none_of_it():
    # 3,900 GB on a 1,000 GB capped plan at $0.10: billed 1,000 x 0.10 = $100, 2,900 GB not carried
    bill = link_direction_bill(3900.0, 0.10, 1000.0, "cap")
    assert bool(bill.over_cap)
    assert float(bill.usd_per_month) == pytest.approx(100.0)
    assert float(bill.gb_beyond_allowance) == pytest.approx(2900.0)
    assert not bool(link_direction_bill(900.0, 0.10, 1000.0, "cap").over_cap)


def test_throttle_bills_the_allowance_and_flags_the_slow_part():
    bill = link_direction_bill(np.array([800.0, 1500.0]), 0.0, 1000.0, "throttle")
    np.testing.assert_array_equal(bill.throttled, [False, True])
    np.testing.assert_allclose(bill.usd_per_month, [0.0, 0.0])


def test_refuses_negative_volumes_and_prices():
    with pytest.raises(ValueError, match="gb_per_month"):
        link_direction_bill(-1.0)
    with pytest.raises(ValueError, match="usd_per_gb"):
        link_direction_bill(1.0, float("nan"))


@settings(deadline=None)
@given(st.floats(0, 1e6), st.floats(0, 1e6), st.floats(0, 10), st.floats(0, 10))
def test_overage_bill_never_falls_with_more_traffic(q1, q2, price, overage):
    low, high = sorted((q1, q2))
    bills = [link_direction_bill(q, price, 1000.0, "overage", overage) for q in (low, high)]
    assert bills[0].usd_per_month <= bills[1].usd_per_month + 1e-9


def test_failover_availability_and_share():
    # fibre 99.9 % behind LTE 99.5 %: WAN down 0.001 x 0.005 = 5e-6 of the time;
    # on LTE 0.001 x 0.995 = 0.000995 of the time (43.6 min a month)
    assert float(failover_availability(0.999, 0.995)) == pytest.approx(1 - 5e-6)
    assert float(failover_share(0.999, 0.995)) == pytest.approx(0.000995)
    with pytest.raises(ValueError):
        failover_availability(1.2, 0.9)

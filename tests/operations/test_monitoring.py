"""Telemetry volume, unobserved device-days and time to notice a failure."""

import numpy as np
import pytest

from edgecalc.operations import (
    mean_time_to_notice_hours,
    telemetry_bytes_per_month,
    unobserved_device_days_per_month,
)


def test_telemetry_volume_hand_worked():
    # 500 devices x 2.4 MB/day x 730/24 days = 36.5 GB per month
    assert float(telemetry_bytes_per_month(500, 2.4e6)) == pytest.approx(36.5e9)
    assert float(telemetry_bytes_per_month(0, 2.4e6)) == 0.0


def test_unobserved_device_days():
    # 500 x 0.05 x 30.4167 = 760.4 device-days per month
    assert float(unobserved_device_days_per_month(500, 0.05)) == pytest.approx(760.4167, rel=1e-5)
    assert float(unobserved_device_days_per_month(500, 0.0)) == 0.0
    # p = 1: every device-day of the month
    assert float(unobserved_device_days_per_month(2, 1.0)) == pytest.approx(730 / 12)


def test_time_to_notice_hand_worked():
    # interval 1 h -> 0.5 h; p = 0.05 x (3 - 0.5) days x 24 = 3 h; total 3.5 h
    assert float(mean_time_to_notice_hours(1.0, 0.05, 3.0)) == pytest.approx(3.5)
    # never offline: half an interval
    assert float(mean_time_to_notice_hours(6.0, 0.0, 10.0)) == pytest.approx(3.0)
    # L = 1: half a day of the offline share, 0.2 x 12 h = 2.4 h
    assert float(mean_time_to_notice_hours(1.0, 0.2, 1.0)) == pytest.approx(2.9)
    # never online: never noticed remotely
    assert np.isinf(mean_time_to_notice_hours(1.0, 1.0, 5.0))


def test_time_to_notice_grows_with_offline_share_and_spells():
    notice = mean_time_to_notice_hours(1.0, np.array([[0.0], [0.1], [0.3]]), [1.0, 3.0, 10.0])
    assert notice.shape == (3, 3)
    assert np.all(np.diff(notice, axis=0) >= 0)
    assert np.all(np.diff(notice, axis=1) >= 0)
    with pytest.raises(ValueError):
        mean_time_to_notice_hours(0.0, 0.1, 2.0)

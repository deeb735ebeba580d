"""Monitoring without central logs: telemetry volume, unobserved device-days, time to notice."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DAYS_PER_MONTH",
    "mean_time_to_notice_hours",
    "telemetry_bytes_per_month",
    "unobserved_device_days_per_month",
]

FloatArray = NDArray[np.float64]

DAYS_PER_MONTH = 730.0 / 24.0
"""Days in an average month, 730 h / 24 [days/month] (about 30.42)."""


def telemetry_bytes_per_month(devices: ArrayLike, bytes_per_device_day: ArrayLike) -> FloatArray:
    """Telemetry a fleet sends home per month.

    Parameters
    ----------
    devices : float or array
        Fleet size [devices].
    bytes_per_device_day : float or array
        Telemetry (metrics, heartbeats, sampled logs) one device sends per day [bytes/day].

    Returns
    -------
    ndarray
        ``devices x bytes_per_device_day x 730 / 24`` [bytes/month].

    Notes
    -----
    Counts the volume generated; telemetry buffered through an offline spell is sent when the
    device is back, so offline days do not reduce it. Zero devices give 0.

    Examples
    --------
    >>> float(telemetry_bytes_per_month(500, 2.4e6))
    36500000000.0
    """
    return np.asarray(devices, dtype=float) * np.asarray(bytes_per_device_day) * DAYS_PER_MONTH


def unobserved_device_days_per_month(
    devices: ArrayLike, offline_probability: ArrayLike
) -> FloatArray:
    """Device-days per month in which a device is offline, so nobody can see it.

    Parameters
    ----------
    devices : float or array
        Fleet size [devices].
    offline_probability : float or array
        Stationary share of days a device is offline, ``p`` [fraction].

    Returns
    -------
    ndarray
        ``devices x p x 730 / 24`` [device-days/month].

    Notes
    -----
    ``p = 0`` gives 0; ``p = 1`` gives every device-day of the month.

    Examples
    --------
    >>> round(float(unobserved_device_days_per_month(500, 0.05)), 1)
    760.4
    """
    p = np.asarray(offline_probability, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("offline_probability must be in [0, 1]")
    return np.asarray(devices, dtype=float) * p * DAYS_PER_MONTH


def mean_time_to_notice_hours(
    telemetry_interval_hours: ArrayLike,
    offline_probability: ArrayLike,
    mean_offline_spell_days: ArrayLike,
) -> FloatArray:
    """Mean time from a device failing to the operators noticing its silence.

    Parameters
    ----------
    telemetry_interval_hours : float or array
        Time between heartbeats [h], > 0.
    offline_probability : float or array
        Stationary share of days a device is offline, ``p`` [fraction].
    mean_offline_spell_days : float or array
        Mean offline spell length ``L`` >= 1 [days].

    Returns
    -------
    ndarray
        Mean time to notice [h]; ``inf`` when ``p = 1``.

    Notes
    -----
    A failure at a random moment is noticed at the first missed heartbeat, on average half an
    interval later. If the device was in an offline spell (probability ``p``), its silence is
    expected until the spell would have ended, so the failure is noticed only after the rest of
    the spell. With day-long steps the rest of a spell is half the current day plus the further
    days, geometric with mean ``L - 1``:

    .. math:: T = \\frac{\\Delta}{2} + p \\left(L - \\tfrac{1}{2}\\right) \\times 24

    ``p = 0`` gives :math:`\\Delta / 2`; ``L = 1`` adds ``12 p`` hours; ``p = 1`` (never online)
    is never noticed remotely (``inf``). This is a lower bound: operators usually wait for
    several missed heartbeats before raising an alert.

    Examples
    --------
    >>> float(mean_time_to_notice_hours(1.0, 0.05, 3.0))
    3.5
    """
    interval = np.asarray(telemetry_interval_hours, dtype=float)
    p = np.asarray(offline_probability, dtype=float)
    spell_days = np.asarray(mean_offline_spell_days, dtype=float)
    if np.any(interval <= 0) or np.any((p < 0) | (p > 1)) or np.any(spell_days < 1):
        raise ValueError("need interval > 0, p in [0, 1] and a mean spell of at least 1 day")
    rest_of_spell_hours = (spell_days - 0.5) * 24.0
    notice = interval / 2.0 + p * rest_of_spell_hours
    return np.where(p >= 1, np.inf, notice)

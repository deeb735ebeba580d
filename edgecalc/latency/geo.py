"""Distance on the Earth and the physical floor of a round trip through fibre.

Two facts only: the great-circle distance between two points (haversine on a sphere of the IUGG
mean Earth radius) and the shortest round trip light in fibre can make over that distance. The
fibre speed is a dated fact read from ``edgecalc/catalog/data/rtt_calibration.yaml``, like the
calibration rows the estimate in :mod:`edgecalc.latency.estimate` is fitted on.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

EARTH_MEAN_RADIUS_KM = 6371.0088
"""Mean Earth radius R1 = (2a + b) / 3 of the WGS 84 ellipsoid (IUGG, Moritz 2000) [km]."""

RTT_CALIBRATION_PATH = (
    Path(__file__).resolve().parent.parent / "catalog" / "data" / "rtt_calibration.yaml"
)
"""The data file with the fibre speed, the fixed overhead and the measured RTTs."""

ArrayLike = float | npt.ArrayLike


@lru_cache(maxsize=1)
def load_rtt_calibration() -> dict[str, Any]:
    """Read ``rtt_calibration.yaml`` once per process.

    Returns
    -------
    dict
        The parsed file: ``fibre_speed``, ``fixed_overhead``, ``inflation_fit_min_distance`` (each
        with ``value``, ``unit``, ``source``, ``as_of``) and ``datasets`` with their ``rows``.
        Shared by every caller; do not mutate it.
    """
    with RTT_CALIBRATION_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def fibre_speed_km_per_ms() -> float:
    """Speed of light in standard single-mode fibre, from the calibration file [km/ms]."""
    speed_km_per_s = float(load_rtt_calibration()["fibre_speed"]["value"])
    return speed_km_per_s / 1000.0


def great_circle_km(
    lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike, lon2_deg: ArrayLike
) -> float | np.ndarray:
    r"""Great-circle distance between two points on a spherical Earth (haversine).

    Parameters
    ----------
    lat1_deg, lon1_deg : float or array_like
        Latitude in [-90, 90] and longitude of the first point [degrees].
    lat2_deg, lon2_deg : float or array_like
        Latitude in [-90, 90] and longitude of the second point [degrees].
        All four broadcast against each other.

    Returns
    -------
    float or numpy.ndarray
        Distance along the surface [km]; a float when all inputs are scalars.

    Raises
    ------
    ValueError
        If a latitude is outside [-90, 90] or any coordinate is not finite.

    Notes
    -----
    With :math:`\varphi` latitudes, :math:`\lambda` longitudes (radians) and
    :math:`R = 6371.0088` km,

    .. math::

        a = \sin^2\frac{\Delta\varphi}{2}
            + \cos\varphi_1 \cos\varphi_2 \sin^2\frac{\Delta\lambda}{2},
        \qquad d = 2 R \arcsin\sqrt{a}.

    The sphere is within about 0.5 % of the ellipsoidal (Vincenty) distance, far below the
    100-300 km uncertainty of city-level region coordinates.

    References
    ----------
    H. Moritz, "Geodetic Reference System 1980", Journal of Geodesy 74 (2000): mean radius
    R1 = 6371.0088 km.

    Examples
    --------
    >>> round(great_circle_km(48.14, 11.58, 50.11, 8.68), 1)  # Munich to Frankfurt
    304.1
    """
    coords = [np.asarray(value, dtype=float) for value in (lat1_deg, lon1_deg, lat2_deg, lon2_deg)]
    if not all(np.all(np.isfinite(value)) for value in coords):
        raise ValueError("coordinates must be finite numbers of degrees")
    lat1, lon1, lat2, lon2 = (np.radians(value) for value in coords)
    if np.any(np.abs(lat1) > np.pi / 2) or np.any(np.abs(lat2) > np.pi / 2):
        raise ValueError("latitudes must lie in [-90, 90] degrees")

    half_dlat_sin_sq = np.sin((lat2 - lat1) / 2.0) ** 2
    half_dlon_sin_sq = np.sin((lon2 - lon1) / 2.0) ** 2
    haversine = half_dlat_sin_sq + np.cos(lat1) * np.cos(lat2) * half_dlon_sin_sq
    central_angle_rad = 2.0 * np.arcsin(np.sqrt(np.clip(haversine, 0.0, 1.0)))
    distance_km = EARTH_MEAN_RADIUS_KM * central_angle_rad
    return float(distance_km) if distance_km.ndim == 0 else distance_km


def fibre_floor_rtt_ms(distance_km: ArrayLike) -> float | np.ndarray:
    r"""Shortest possible round trip over a distance: light in fibre, there and back.

    Parameters
    ----------
    distance_km : float or array_like
        One-way distance, usually the great-circle distance, >= 0 [km].

    Returns
    -------
    float or numpy.ndarray
        Round-trip time at the speed of light in fibre [ms]; a float for a scalar input.
        No real path is faster: fibre runs longer than the great circle, and switching,
        queueing and the end hosts add time.

    Raises
    ------
    ValueError
        If a distance is negative or not finite.

    Notes
    -----
    :math:`t = 2 d / v` with :math:`v = 204.19` km/ms (group index 1.467 at 1550 nm, from
    ``rtt_calibration.yaml``), i.e. :math:`d / 102.1` ms, about 1 ms per 100 km.

    Examples
    --------
    >>> round(fibre_floor_rtt_ms(1000.0), 3)
    9.795
    """
    distance = np.asarray(distance_km, dtype=float)
    if not np.all(np.isfinite(distance)) or np.any(distance < 0):
        raise ValueError("distance_km must be finite and >= 0")
    path_km = 2.0 * distance
    floor_ms = path_km / fibre_speed_km_per_ms()
    return float(floor_ms) if floor_ms.ndim == 0 else floor_ms

"""Fleet economics as fleets are run: labour with a floor, support, facilities, spares, power.

Pure, vectorised functions: every argument is a float or an array, and the result broadcasts
to their common shape (``(S, M)`` in the engine: samples by months). They know nothing of the
scenario file; :mod:`edgecalc.costs.options` reads the inputs and builds the cost lines.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .volume import HOURS_PER_MONTH

__all__ = [
    "WORKING_DAYS_PER_YEAR",
    "active_hours_per_month",
    "cloud_labour_fte",
    "cooling_kwh",
    "depot_pool_devices",
    "device_energy_kwh",
    "edge_labour_fte",
    "hub_labour_fte",
    "optimisation_engineer_days_per_month",
    "support_usd_per_month",
]

FloatArray = NDArray[np.float64]

WORKING_DAYS_PER_YEAR = 230.0
"""Working days of one engineer per year (52 weeks x 5 days, less about 30 days of leave and
public holidays); a convention, not a sourced figure [days/year]."""


def _f(value: ArrayLike) -> FloatArray:
    return np.asarray(value, dtype=float)


def edge_labour_fte(
    sites: ArrayLike,
    devices: ArrayLike,
    platform_fte: ArrayLike,
    fte_per_site: ArrayLike,
    devices_per_engineer: ArrayLike,
) -> FloatArray:
    """Engineers that run an edge fleet: a platform floor, plus a share per site and per device.

    Parameters
    ----------
    sites : float or array
        Sites with devices installed [sites].
    devices : float or array
        Devices that need looking after: serving devices and hot spares, not spares in a depot
        [devices].
    platform_fte : float or array
        Engineering that exists as soon as the fleet exists, whatever its size: the OTA
        pipeline, the monitoring stack, on-call [FTE].
    fte_per_site : float or array
        Engineering per site (local contacts, network changes, site audits) [FTE/site].
    devices_per_engineer : float or array
        Devices one engineer looks after on top of the platform [devices/FTE], > 0.

    Returns
    -------
    ndarray
        ``platform_fte + sites x fte_per_site + devices / devices_per_engineer`` [FTE]; 0 when
        there are no devices (no fleet, no platform).

    Examples
    --------
    A 0.5 FTE platform, 12 devices at 12 sites, 1,000 devices per engineer: the floor
    dominates, 0.5 + 0.012 = 0.512 FTE.

    >>> float(edge_labour_fte(12, 12, 0.5, 0.0, 1000))
    0.512
    """
    per_engineer = _f(devices_per_engineer)
    if np.any(per_engineer <= 0):
        raise ValueError("devices_per_engineer must be > 0")
    devices = _f(devices)
    variable = _f(sites) * _f(fte_per_site) + devices / per_engineer
    return np.where(devices > 0, _f(platform_fte) + variable, 0.0)


def hub_labour_fte(
    hubs: ArrayLike,
    sites: ArrayLike,
    servers: ArrayLike,
    platform_fte: ArrayLike,
    fte_per_hub: ArrayLike,
    fte_per_site: ArrayLike,
    servers_per_engineer: ArrayLike,
) -> FloatArray:
    """Engineers that run a hub option: the edge's form (:func:`edge_labour_fte`) with a share
    per hub on top.

    Parameters
    ----------
    hubs : float or array
        Hubs in service [hubs].
    sites : float or array
        Sites the hubs serve [sites].
    servers : float or array
        Servers that need looking after: serving servers and hot spares, not spares in a depot
        [servers].
    platform_fte, fte_per_site : float or array
        As for the edge [FTE], [FTE/site].
    fte_per_hub : float or array
        Engineering per hub (rack visits, the hub's network, local contacts) [FTE/hub].
    servers_per_engineer : float or array
        Servers one engineer runs on top of the platform [servers/FTE], > 0.

    Returns
    -------
    ndarray
        ``platform + hubs x per_hub + sites x per_site + servers / servers_per_engineer``
        [FTE]; 0 without servers.

    Examples
    --------
    A 0.3 FTE platform, 3 hubs at 0.1 each serving 24 sites, 9 servers at 30 per engineer:
    0.3 + 0.3 + 0 + 0.3 = 0.9 FTE.

    >>> round(float(hub_labour_fte(3, 24, 9, 0.3, 0.1, 0.0, 30)), 6)
    0.9
    """
    servers = _f(servers)
    per_hub = np.where(servers > 0, _f(hubs) * _f(fte_per_hub), 0.0)
    return (
        edge_labour_fte(sites, servers, platform_fte, fte_per_site, servers_per_engineer) + per_hub
    )


def cloud_labour_fte(
    serving: ArrayLike,
    instances: ArrayLike,
    million_requests_per_month: ArrayLike,
    platform_fte: ArrayLike,
    fte_per_instance: ArrayLike,
    fte_per_million_requests_per_month: ArrayLike,
) -> FloatArray:
    """Engineers that run a cloud deployment: a platform floor plus shares that grow with it.

    Parameters
    ----------
    serving : float or array
        1 where the option sends inferences to the cloud, 0 where it sends none [flag].
    instances : float or array
        Instances running (0 for per-request pricing) [instances].
    million_requests_per_month : float or array
        Requests served [million/month].
    platform_fte : float or array
        Engineering that exists as soon as the deployment exists (pipeline, monitoring,
        on-call) [FTE].
    fte_per_instance : float or array
        Engineering per running instance [FTE/instance].
    fte_per_million_requests_per_month : float or array
        Engineering per million requests a month (support load that grows with traffic)
        [FTE per million requests/month].

    Returns
    -------
    ndarray
        ``serving x (platform + instances x per_instance + requests x per_million)`` [FTE].

    Examples
    --------
    >>> float(cloud_labour_fte(1, 4, 30, 0.1, 0.01, 0.001))
    0.17
    """
    total = _f(platform_fte)
    # a share with a rate of exactly 0 adds exactly 0 (instances and requests are finite):
    # left out, the sum is the same number without two samples x months products
    per_instance, per_million = _f(fte_per_instance), _f(fte_per_million_requests_per_month)
    if np.any(per_instance != 0) or np.any(per_million != 0):
        variable = _f(instances) * per_instance + _f(million_requests_per_month) * per_million
        total = total + variable
    shape = np.broadcast_shapes(
        np.shape(serving), np.shape(instances), np.shape(million_requests_per_month)
    )
    return np.broadcast_to(_f(serving) * total, np.broadcast_shapes(shape, np.shape(total)))


def optimisation_engineer_days_per_month(
    updates_per_year: ArrayLike, hardware_targets: ArrayLike, days_per_update_per_target: ArrayLike
) -> FloatArray:
    """Engineering time spent fitting each model update to each hardware target.

    Operators quantise, compile and validate a new model version for every distinct device
    type in the fleet rather than copy the cloud model, so two device kinds pay twice.

    Parameters
    ----------
    updates_per_year : float or array
        Model versions shipped per year [1/year].
    hardware_targets : float or array
        Distinct device types the model runs on [count].
    days_per_update_per_target : float or array
        Engineering per update per target [engineer-days].

    Returns
    -------
    ndarray
        ``updates / 12 x targets x days`` [engineer-days/month].

    Examples
    --------
    12 updates a year on 2 device types at 3 days each: 1 x 2 x 3 = 6 engineer-days a month.

    >>> float(optimisation_engineer_days_per_month(12, 2, 3))
    6.0
    """
    return _f(updates_per_year) / 12.0 * _f(hardware_targets) * _f(days_per_update_per_target)


def support_usd_per_month(
    hardware_usd: ArrayLike, fraction_of_price_per_year: ArrayLike
) -> FloatArray:
    """A support or maintenance contract priced as a share of the hardware price.

    Parameters
    ----------
    hardware_usd : float or array
        Purchase price of the hardware under contract (devices installed x price) [USD].
    fraction_of_price_per_year : float or array
        Contract price per year as a share of the purchase price; 10-12% is the range quoted
        for hardware maintenance contracts (catalog ``operations.support_fraction_per_year``)
        [fraction/year].

    Returns
    -------
    ndarray
        ``hardware_usd x fraction / 12`` [USD/month].

    Examples
    --------
    A $300,000 server at 12% a year: $3,000 a month, $180,000 over 60 months.

    >>> float(support_usd_per_month(300_000, 0.12))
    3000.0
    """
    return _f(hardware_usd) * _f(fraction_of_price_per_year) / 12.0


def active_hours_per_month(
    active_hours_per_day: ArrayLike, active_days_per_week: ArrayLike
) -> FloatArray:
    """Hours a month in which the site produces inferences.

    Returns
    -------
    ndarray
        ``hours/day x days/week / 7 x 730 / 24`` [h/month], at most 730.

    Examples
    --------
    >>> float(active_hours_per_month(14, 7))
    425.8333333333333
    """
    hours = _f(active_hours_per_day) * _f(active_days_per_week) / 7.0 * HOURS_PER_MONTH / 24.0
    return np.minimum(hours, HOURS_PER_MONTH)


def device_energy_kwh(
    serving: ArrayLike,
    hot_spares: ArrayLike,
    active_w: ArrayLike,
    idle_w: ArrayLike,
    active_hours: ArrayLike,
) -> FloatArray:
    """Electricity the devices draw in a month, following the work.

    Parameters
    ----------
    serving : float or array
        Devices that serve inferences [devices].
    hot_spares : float or array
        Powered spares that wait idle all month (cold spares in a depot draw nothing)
        [devices].
    active_w : float or array
        Power of a device while it serves [W].
    idle_w : float or array
        Power of a powered device with nothing to do [W].
    active_hours : float or array
        Hours a month in which the site is active [h/month], at most 730.

    Returns
    -------
    ndarray
        ``(serving x (active_w x h + idle_w x (730 - h)) + spares x idle_w x 730) / 1000``
        [kWh/month].

    Examples
    --------
    One Orin Nano at 14 W active and 3 W idle, 14 active hours a day (425.83 h a month):
    (14 x 425.83 + 3 x 304.17) / 1000 = 6.874 kWh, against 25 W x 730 h = 18.25 kWh at its
    rating.

    >>> round(float(device_energy_kwh(1, 0, 14, 3, active_hours_per_month(14, 7))), 3)
    6.874
    """
    hours = _f(active_hours)
    idle_hours = HOURS_PER_MONTH - hours
    per_serving_wh = _f(active_w) * hours + _f(idle_w) * idle_hours
    spares_wh = _f(hot_spares) * _f(idle_w) * HOURS_PER_MONTH
    return (_f(serving) * per_serving_wh + spares_wh) / 1000.0


def cooling_kwh(it_kwh: ArrayLike, pue: ArrayLike) -> FloatArray:
    """Electricity for cooling and power distribution on top of the IT load.

    Parameters
    ----------
    it_kwh : float or array
        Electricity the devices draw [kWh].
    pue : float or array
        Power usage effectiveness of the room: facility energy / IT energy, >= 1 (1 = no
        cooling overhead, as for a fanless box in a shop) [ratio].

    Returns
    -------
    ndarray
        ``it_kwh x (pue - 1)`` [kWh].

    Examples
    --------
    >>> float(cooling_kwh(1000, 1.5))
    500.0
    """
    return _f(it_kwh) * (_f(pue) - 1.0)


def depot_pool_devices(fleet_devices: ArrayLike, fraction: ArrayLike) -> FloatArray:
    """Spares kept cold in a depot and shipped to a site on failure.

    Parameters
    ----------
    fleet_devices : float or array
        Serving devices in the fleet [devices].
    fraction : float or array
        Pool size as a share of the fleet [fraction].

    Returns
    -------
    ndarray
        ``ceil(fleet x fraction)`` [devices]; a pool exists (at least one device) as soon as
        the fraction is above 0.

    Examples
    --------
    5% of 240 devices is a pool of 12, against 120 hot spares at one per site for 120 sites.

    >>> float(depot_pool_devices(240, 0.05))
    12.0
    """
    return np.ceil(_f(fleet_devices) * _f(fraction) - 1e-9)

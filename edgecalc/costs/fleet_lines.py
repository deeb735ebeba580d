"""Cost lines of running a fleet: labour with a floor, support, facilities, power, one-time costs.

Built from the pure functions of :mod:`edgecalc.costs.fleet` on the engine's inputs (dotted
path -> array of shape ``(S,)``); every line has arrays of shape ``(S, M)``. The edge and
hybrid options take their fleet figures from ``edge.*``; device figures (power, price) from
``edge.*`` or ``hybrid.*`` (``prefix``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fleet import (
    WORKING_DAYS_PER_YEAR,
    active_hours_per_month,
    cloud_labour_fte,
    cooling_kwh,
    depot_pool_devices,
    device_energy_kwh,
    edge_labour_fte,
    optimisation_engineer_days_per_month,
    support_usd_per_month,
)
from .lines import CostLine, line
from .sizing import fleet_over_time, units_needed
from .volume import served


def _col(x):
    def col(path):
        return np.asarray(x[path], dtype=float)[:, None]

    return col


@dataclass(frozen=True)
class FleetSize:
    """Devices of an edge (or hybrid) fleet by role, month by month; arrays (S, M)."""

    on_site: np.ndarray
    """Devices installed at the sites: serving devices and hot spares [devices]."""
    hot_spares: np.ndarray
    """Powered spares at the sites (``redundancy`` per site with load) [devices]."""
    depot: np.ndarray
    """Cold spares in a depot: unpowered, not counted in labour or fleet software [devices]."""
    bought: np.ndarray
    """Devices bought in each month, depot spares included [devices]."""

    @property
    def serving(self) -> np.ndarray:
        """Devices that serve inferences [devices]."""
        return self.on_site - self.hot_spares

    @property
    def owned(self) -> np.ndarray:
        """Every device owned: at the sites and in the depot [devices]."""
        return self.on_site + self.depot


def fleet_size(x, load, prefix: str = "edge") -> FleetSize:
    """Devices per role: the peak needs per site, hot spares per site, a depot pool.

    Notes
    -----
    Serving devices per site ``ceil(peak / (throughput x utilisation))``; hot spares
    ``redundancy`` at each site with load; depot ``ceil(serving x depot_spare_fraction)``.
    Each is bought at month 0, as growth needs, and again at every refresh
    (:func:`~edgecalc.costs.sizing.fleet_over_time`). Computed once per engine run for each
    device throughput (the one input of the option's own it reads): hybrid on the edge's
    device and the operations figures reuse the edge option's fleet (``load.shared``).
    """
    return load.shared(
        x,
        ("fleet_size",),
        [x[f"{prefix}.inferences_per_second_per_device"]],
        lambda: _fleet_size(x, load, prefix),
    )


def _fleet_size(x, load, prefix: str) -> FleetSize:
    """:func:`fleet_size`, computed."""
    col = _col(x)
    redundancy = np.round(col("edge.redundancy"))
    capacity = col(f"{prefix}.inferences_per_second_per_device")
    utilisation = col("edge.target_utilization")
    peaks = load.peak_by_group  # (G, S, M)
    serving = 0.0
    hot = 0.0
    # the groups' devices a block of groups at a time (one call, not one per group; blocks
    # bound the temporary arrays), summed group after group in their order: the numbers of
    # one group at a time
    for block in group_blocks(peaks.shape):
        needed = units_needed(peaks[block], capacity, utilisation)
        spares = np.where(needed > 0, redundancy, 0.0)
        for i, count in enumerate(load.count[block]):
            serving = serving + count * needed[i]
            hot = hot + count * spares[i]
    return sized_fleet(serving, hot, col("edge.depot_spare_fraction"), x["edge.refresh_months"])


GROUP_BLOCK_BYTES = 4 * 2**20
"""Most bytes of one (groups, samples, months) temporary array when site groups are computed
a block at a time (:func:`group_blocks`) [bytes]."""


def group_blocks(shape: tuple[int, ...], block_bytes: int = GROUP_BLOCK_BYTES) -> list[slice]:
    """Slices of the leading (group) axis of an array of ``shape`` (G, S, M), each block of
    groups holding at most ``block_bytes`` of float64 (at least one group a block).

    Examples
    --------
    >>> group_blocks((40, 1, 60))  # one sample: every group in one block
    [slice(0, 40, None)]
    >>> group_blocks((5, 2_000, 60), block_bytes=2 * 960_000)  # two groups a block
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    """
    groups = shape[0]
    per_group = 8 * int(np.prod(shape[1:]))
    step = max(1, block_bytes // max(per_group, 1))
    return [slice(start, min(start + step, groups)) for start in range(0, groups, step)]


def sized_fleet(serving, hot, depot_spare_fraction, refresh_months) -> FleetSize:
    """Units by role over time from the units that serve and the hot spares (each (S, M)): a
    depot pool ``ceil(serving x fraction)``, each bought at month 0, as growth needs, and again
    at every refresh (:func:`~edgecalc.costs.sizing.fleet_over_time`). The edge's devices and
    a hub's servers both."""
    pool = depot_pool_devices(serving, depot_spare_fraction)
    on_site, bought = fleet_over_time(serving + hot, refresh_months)
    owned = on_site
    if np.any(pool):  # a depot pool: the units bought include it
        owned, bought = fleet_over_time(serving + hot + pool, refresh_months)
    hot_spares = np.minimum(np.broadcast_to(hot, on_site.shape), on_site)
    return FleetSize(on_site, hot_spares, owned - on_site, bought)


def edge_fleet_lines(
    x, load, fleet: FleetSize, option: str, prefix: str, hardware_unit_usd: np.ndarray
) -> list[CostLine]:
    """Support, power and cooling, facilities, fleet software, labour and one-time costs.

    Notes
    -----
    Support ``owned x (device + BOM) x support_fraction / 12``: device-months owned at
    ``(device + BOM) x support_fraction / 12`` each. Electricity: serving devices
    at ``power_w`` for the workload's active hours and ``idle_power_w`` for the rest, hot
    spares at ``idle_power_w`` all month (:func:`~edgecalc.costs.fleet.device_energy_kwh`);
    cooling ``kWh x (electricity x (PUE - 1) + cooling price)``. Colocation ``sites x
    USD/site-month``. Fleet software per device at the sites. Labour ``platform + sites x
    per-site + on-site devices / devices_per_engineer`` FTE
    (:func:`~edgecalc.costs.fleet.edge_labour_fte`); model optimisation ``updates / 12 x
    targets x days`` engineer-days at ``salary / 230``. Integration and ramp-up in month 0.
    """
    col = _col(x)
    shape = load.total_monthly.shape
    has_fleet = (fleet.on_site > 0).astype(float)
    sites = load.sites * has_fleet
    salary = col("edge.engineer_usd_per_year")
    it_kwh = fleet_energy_kwh(x, fleet, prefix)
    electricity = col("edge.electricity_usd_per_kwh")
    cooling_unit = electricity * cooling_kwh(1.0, col("edge.pue")) + col("edge.cooling_usd_per_kwh")
    fte = edge_labour_fte(
        sites,
        fleet.on_site,
        col("edge.platform_fte"),
        col("edge.fte_per_site"),
        col("edge.devices_per_engineer"),
    )
    optimisation_days = has_fleet * optimisation_engineer_days_per_month(
        col("model.updates_per_year"),
        col("edge.hardware_targets"),
        col("edge.optimisation_days_per_update_per_target"),
    )
    month0 = (load.months[None, :] == 0).astype(float)
    contract = col("edge.support_fraction_per_year")
    lines = [
        electricity_line(
            option, "electricity (active and idle hours; hot spares idle)", it_kwh, x, prefix
        ),
        line(
            option,
            "software",
            "fleet management software",
            "device-months",
            fleet.on_site,
            col("edge.fleet_software_usd_per_device_month"),
            shape=shape,
            inputs=("edge.fleet_software_usd_per_device_month",),
        ),
        line(
            option,
            "labour",
            "edge operations (platform + per site + per device)",
            "FTE-month",
            fte,
            salary / 12,
            shape=shape,
            inputs=(
                "edge.platform_fte",
                "edge.fte_per_site",
                "edge.devices_per_engineer",
                "edge.engineer_usd_per_year",
            ),
        ),
    ]
    if np.any(optimisation_days > 0):
        lines.append(
            line(
                option,
                "labour",
                "model optimisation per update per hardware target",
                "engineer-days",
                optimisation_days,
                salary / WORKING_DAYS_PER_YEAR,
                shape=shape,
                inputs=(
                    "model.updates_per_year",
                    "edge.hardware_targets",
                    "edge.optimisation_days_per_update_per_target",
                    "edge.engineer_usd_per_year",
                ),
            )
        )
    optional = [
        (
            contract,
            "support",
            "support contract (share of the device price)",
            "device-months",
            lambda: fleet.owned,
            hardware_unit_usd * contract / 12,
            ("edge.support_fraction_per_year", f"{prefix}.device_usd", "edge.production_bom_usd"),
        ),
        (
            col("edge.pue") - 1 + col("edge.cooling_usd_per_kwh"),
            "power",
            "cooling (PUE and cooling price)",
            "kWh",
            lambda: it_kwh,
            cooling_unit,
            ("edge.pue", "edge.cooling_usd_per_kwh", "edge.electricity_usd_per_kwh"),
        ),
        (
            col("edge.colocation_usd_per_site_month"),
            "facilities",
            "rack space or colocation",
            "site-months",
            lambda: sites,
            col("edge.colocation_usd_per_site_month"),
            ("edge.colocation_usd_per_site_month",),
        ),
        (
            col("edge.integration_usd") + col("edge.staff_ramp_up_usd"),
            "integration",
            "integration engineering and staff ramp-up (one-time)",
            "one-time",
            lambda: month0,
            col("edge.integration_usd") + col("edge.staff_ramp_up_usd"),
            ("edge.integration_usd", "edge.staff_ramp_up_usd"),
        ),
    ]
    # each quantity is computed only for a line that is there (a price above 0)
    for price, category, item, unit, quantity_of, unit_usd, inputs in optional:
        if np.any(price > 0):
            quantity = quantity_of()
            usd = None
            if category == "support":  # the contract's price on the devices owned
                usd = support_usd_per_month(quantity * hardware_unit_usd, contract)
            lines.append(
                line(
                    option,
                    category,
                    item,
                    unit,
                    quantity,
                    unit_usd,
                    shape=shape,
                    inputs=inputs,
                    usd=usd,
                )
            )
    return lines


def fleet_energy_kwh(x, fleet: FleetSize, prefix: str) -> np.ndarray:
    """Electricity a fleet draws each month (S, M) [kWh]: units that serve at
    ``{prefix}.power_w`` for the workload's active hours and ``idle_power_w`` for the rest, hot
    spares idle all month, depot spares not at all
    (:func:`~edgecalc.costs.fleet.device_energy_kwh`)."""
    col = _col(x)
    hours = active_hours_per_month(
        col("workload.active_hours_per_day"), col("workload.active_days_per_week")
    )
    return device_energy_kwh(
        fleet.serving,
        fleet.hot_spares,
        col(f"{prefix}.power_w"),
        col(f"{prefix}.idle_power_w"),
        hours,
    )


def electricity_line(option: str, item: str, it_kwh: np.ndarray, x, prefix: str) -> CostLine:
    """The fleet's electricity at the edge's price: ``kWh x edge.electricity_usd_per_kwh``."""
    return line(
        option,
        "power",
        item,
        "kWh",
        it_kwh,
        _col(x)("edge.electricity_usd_per_kwh"),
        shape=it_kwh.shape,
        inputs=(
            f"{prefix}.power_w",
            f"{prefix}.idle_power_w",
            "workload.active_hours_per_day",
            "workload.active_days_per_week",
            "edge.electricity_usd_per_kwh",
        ),
    )


def failure_unit_usd(x, hardware_unit_usd: np.ndarray, prefix: str = "edge") -> np.ndarray:
    """Cost of one failure (S, 1): the truck roll, plus the device unless a support contract
    replaces it [USD]; ``prefix`` is where the contract and the truck roll are read (``edge``,
    or a hub's ``hubs.0``)."""
    col = _col(x)
    covered = col(f"{prefix}.support_fraction_per_year") > 0
    return np.where(covered, 0.0, hardware_unit_usd) + col(f"{prefix}.truck_roll_usd")


def cloud_fleet_lines(
    x, load, option: str, share, instances, shape: tuple[int, int]
) -> list[CostLine]:
    """Cloud labour (platform + per instance + per million requests) and one-time costs.

    Notes
    -----
    ``serving x (ops_engineer_fraction + instances x fte_per_instance + requests / 1e6 x
    fte_per_million_requests_per_month)`` FTE at ``salary / 12``
    (:func:`~edgecalc.costs.fleet.cloud_labour_fte`); integration and ramp-up in month 0 for
    the cloud option only (hybrid pays its own through ``edge.*``).
    """
    col = _col(x)
    serving = (share > 0).astype(float)
    per_instance = col("cloud.fte_per_instance")
    per_million = col("cloud.fte_per_million_requests_per_month")
    if np.any(per_instance != 0) or np.any(per_million != 0):
        requests_million = served(load.total_monthly, share) / 1e6
    else:  # neither rate is read (cloud_labour_fte): only the shape of the requests counts
        requests_million = np.broadcast_to(0.0, load.total_monthly.shape)
    fte = cloud_labour_fte(
        serving,
        0.0 if instances is None else instances,
        requests_million,
        col("cloud.ops_engineer_fraction"),
        per_instance,
        per_million,
    )
    lines = [
        line(
            option,
            "labour",
            "cloud operations (platform + per instance + per million requests)",
            "FTE-month",
            fte,
            col("cloud.engineer_usd_per_year") / 12,
            shape=shape,
            inputs=(
                "cloud.ops_engineer_fraction",
                "cloud.fte_per_instance",
                "cloud.fte_per_million_requests_per_month",
                "cloud.engineer_usd_per_year",
            ),
        )
    ]
    if option == "cloud":
        lines += one_time_lines(x, load, option, "cloud")
    return lines


def one_time_lines(x, load, option: str, prefix: str) -> list[CostLine]:
    """Integration engineering and staff ramp-up (``{prefix}.integration_usd +
    staff_ramp_up_usd``) in month 0; none when both are 0."""
    col = _col(x)
    one_time = col(f"{prefix}.integration_usd") + col(f"{prefix}.staff_ramp_up_usd")
    if not np.any(one_time > 0):
        return []
    month0 = (load.months[None, :] == 0).astype(float)
    return [
        line(
            option,
            "integration",
            "integration engineering and staff ramp-up (one-time)",
            "one-time",
            month0,
            one_time,
            shape=load.total_monthly.shape,
            inputs=(f"{prefix}.integration_usd", f"{prefix}.staff_ramp_up_usd"),
        )
    ]

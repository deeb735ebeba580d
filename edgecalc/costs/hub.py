"""Monthly cost lines of a hub: compute shared by several sites (a server per plant or campus,
a regional on-premises hub, a managed edge zone).

The pricer is a thin composition of small functions (sizing, hardware, running, labour, link)
built on the edge's fleet economics (:mod:`edgecalc.costs.fleet`,
:mod:`edgecalc.costs.fleet_lines`): labour with a platform floor, a depot spare pool, support
that turns a failure into a visit only, power over active hours, cooling, one-time costs.
Inputs are the same ``{path: (S,)}`` mapping as :mod:`edgecalc.costs.options`; the hub's
figures live under its prefix (``hubs.0.server_usd``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fleet import cooling_kwh, hub_labour_fte
from .fleet_lines import (
    FleetSize,
    electricity_line,
    failure_unit_usd,
    fleet_energy_kwh,
    one_time_lines,
    sized_fleet,
)
from .lines import CostLine, line
from .options import GB, Load, _col, model_update_line, residual_devices
from .sizing import units_needed


def hubs_needed(site_count, sites_per_hub):
    """Hubs a site group needs: ``ceil(count / sites_per_hub)`` [count].

    Examples
    --------
    >>> float(hubs_needed(10, 4))
    3.0
    """
    return np.ceil(np.asarray(site_count, dtype=float) / np.round(sites_per_hub))


@dataclass(frozen=True)
class HubFleet:
    """The hubs of one option and their servers by role, month by month; arrays (S, M)."""

    hubs: np.ndarray
    """Hubs in service [hubs]."""
    servers: FleetSize
    """Servers by role: at the hubs (serving and hot spares), in the depot, bought."""


def hub_fleet(x, load: Load, prefix: str, pricing: str = "owned") -> HubFleet:
    """Hubs and servers over every site group.

    Notes
    -----
    A group of ``n`` sites gets ``h = ceil(n / sites_per_hub)`` hubs, each serving ``n / h``
    sites, so its peak is ``peak per site x n / h``; a hub has ``ceil(peak / (throughput x
    utilisation))`` serving servers and ``redundancy`` hot spares. Owned servers add a depot
    pool ``ceil(serving x depot_spare_fraction)``; each is bought at month 0, when growth
    needs more, and all again every ``refresh_months``
    (:func:`~edgecalc.costs.fleet_lines.sized_fleet`). A managed zone rents what serves and
    its spares: no depot, no refresh.
    """
    col = _col(x)
    redundancy = np.round(col(f"{prefix}.redundancy"))
    hubs = serving = hot = 0.0
    for count, peak in zip(load.count, load.peak, strict=True):
        h = hubs_needed(count, col(f"{prefix}.sites_per_hub"))
        per_hub_peak = peak * np.divide(count, h, out=np.zeros_like(count), where=h > 0)
        needed = units_needed(
            per_hub_peak,
            col(f"{prefix}.inferences_per_second_per_server"),
            col(f"{prefix}.target_utilization"),
        )
        hubs = hubs + h + 0 * peak
        serving = serving + h * needed
        hot = hot + h * np.where(needed > 0, redundancy, 0.0)
    if pricing == "managed":
        size = sized_fleet(serving, hot, 0.0, len(load.months) + 1)  # never refreshed
    else:
        size = sized_fleet(
            serving, hot, col(f"{prefix}.depot_spare_fraction"), x[f"{prefix}.refresh_months"]
        )
    return HubFleet(hubs, size)


def hub_servers(x, load: Load, prefix: str):
    """Hubs and servers at the hubs (serving and hot spares) per month, each (S, M)."""
    fleet = hub_fleet(x, load, prefix)
    return fleet.hubs, fleet.servers.on_site


def hub_lines(x, resolved, load: Load, option: str, prefix: str, pricing: str) -> list[CostLine]:
    """Every cost line of one hub option.

    Parameters
    ----------
    option, prefix : str
        The option's name and where its inputs live (``hubs.0``).
    pricing : {"owned", "managed"}
        Owned servers (hardware, installation, facility, power and cooling, support, failures,
        fleet software, updates) or a managed zone rented per server-hour.

    Notes
    -----
    Both: labour with the edge's form, ``platform + hubs x fte_per_hub + sites x fte_per_site
    + servers / servers_per_engineer`` FTE at the edge's salary
    (:func:`~edgecalc.costs.fleet.hub_labour_fte`), integration and ramp-up in month 0, and
    the site-to-hub link (:func:`link_lines`). Owned: :func:`owned_server_lines`. Managed:
    ``servers x hours_per_month x usd_per_hour`` (:func:`managed_server_lines`).
    """
    fleet = hub_fleet(x, load, prefix, pricing)
    if pricing == "managed":
        lines = managed_server_lines(x, load, option, prefix, fleet.servers.on_site)
    else:
        lines = owned_server_lines(x, resolved, load, option, prefix, fleet)
    lines.append(hub_labour_line(x, load, option, prefix, fleet))
    lines += one_time_lines(x, load, option, prefix)
    lines += link_lines(x, load, option, prefix)
    return lines


def managed_server_lines(x, load: Load, option, prefix, servers) -> list[CostLine]:
    """Server-hours in a managed edge zone: ``servers x hours_per_month x usd_per_hour``."""
    col = _col(x)
    return [
        line(
            option,
            "compute",
            "edge zone servers",
            "server-h",
            servers * col(f"{prefix}.hours_per_month"),
            col(f"{prefix}.usd_per_hour"),
            shape=load.total_monthly.shape,
            inputs=(f"{prefix}.usd_per_hour", f"{prefix}.hours_per_month"),
        )
    ]


def owned_server_lines(x, resolved, load: Load, option, prefix, fleet: HubFleet):
    """Hardware, installation, facility, power and cooling, support, failures, fleet software
    and model updates of owned hub servers.

    Notes
    -----
    Hardware ``bought x server_usd`` (depot spares included; less the straight-line residual
    value at the horizon when ``edge.residual_value`` says so); installation ``hubs x
    install_usd_per_hub`` at month 0 and each refresh (so over the horizon the line counts hub
    installs, every hub once and again at each refresh, not hubs); facility ``hubs x
    facility_usd_per_hub_month``. Electricity as the edge's
    (:func:`~edgecalc.costs.fleet.device_energy_kwh`): serving servers at ``power_w`` for the
    workload's active hours and ``idle_power_w`` for the rest, hot spares at ``idle_power_w``,
    depot spares not at all, at the edge's electricity price; cooling ``kWh x (electricity x
    (PUE - 1) + cooling_usd_per_kwh)``. Support ``owned x server_usd x
    support_fraction_per_year / 12``; failures ``servers at the hubs x AFR / 12 x (visit +
    the server unless a support contract repairs it)``
    (:func:`~edgecalc.costs.fleet_lines.failure_unit_usd`); fleet software per server at the
    hubs as per edge device; model updates as the edge's
    (:func:`~edgecalc.costs.options.model_update_line`).
    """
    col = _col(x)
    shape = load.total_monthly.shape
    size = fleet.servers
    server_usd = col(f"{prefix}.server_usd")
    refresh = np.round(col(f"{prefix}.refresh_months"))
    renew = (load.months[None, :] % refresh == 0).astype(float)
    it_kwh = fleet_energy_kwh(x, size, prefix)
    electricity = col("edge.electricity_usd_per_kwh")
    support = col(f"{prefix}.support_fraction_per_year")
    lines = [
        line(
            option,
            "hardware",
            "hub servers bought",
            "servers",
            size.bought,
            server_usd,
            shape=shape,
            inputs=(
                f"{prefix}.server_usd",
                f"{prefix}.inferences_per_second_per_server",
                f"{prefix}.sites_per_hub",
                f"{prefix}.redundancy",
                f"{prefix}.depot_spare_fraction",
                f"{prefix}.refresh_months",
            ),
        ),
        line(
            option,
            "installation",
            "installation at each hub (again at each refresh)",
            "hub installs",
            fleet.hubs * renew,
            col(f"{prefix}.install_usd_per_hub"),
            shape=shape,
            inputs=(f"{prefix}.install_usd_per_hub", f"{prefix}.refresh_months"),
        ),
        line(
            option,
            "facilities",
            "hub rack space and cooling",
            "hub-months",
            fleet.hubs,
            col(f"{prefix}.facility_usd_per_hub_month"),
            shape=shape,
            inputs=(f"{prefix}.facility_usd_per_hub_month",),
        ),
        electricity_line(
            option, "hub electricity (active and idle hours; hot spares idle)", it_kwh, x, prefix
        ),
        line(
            option,
            "failures",
            "server failures (replacement unless under contract, + visit)",
            "failures",
            size.on_site * col(f"{prefix}.annual_failure_rate") / 12,
            failure_unit_usd(x, server_usd, prefix),
            shape=shape,
            inputs=(
                f"{prefix}.annual_failure_rate",
                f"{prefix}.server_usd",
                f"{prefix}.support_fraction_per_year",
                f"{prefix}.truck_roll_usd",
            ),
        ),
        line(
            option,
            "software",
            "fleet management software",
            "server-months",
            size.on_site,
            col("edge.fleet_software_usd_per_device_month"),
            shape=shape,
            inputs=("edge.fleet_software_usd_per_device_month",),
        ),
    ]
    cooling_unit = electricity * cooling_kwh(1.0, col(f"{prefix}.pue")) + col(
        f"{prefix}.cooling_usd_per_kwh"
    )
    if np.any(cooling_unit > 0):
        lines.append(
            line(
                option,
                "power",
                "hub cooling (PUE and cooling price)",
                "kWh",
                it_kwh,
                cooling_unit,
                shape=shape,
                inputs=(f"{prefix}.pue", f"{prefix}.cooling_usd_per_kwh"),
            )
        )
    if np.any(support > 0):
        lines.append(
            line(
                option,
                "support",
                "hardware support contract (share of the server price)",
                "server-months",
                size.owned,
                server_usd * support / 12,
                shape=shape,
                inputs=(f"{prefix}.support_fraction_per_year", f"{prefix}.server_usd"),
            )
        )
    if resolved.scenario.edge.residual_value == "straight_line":
        lines.insert(
            0,
            line(
                option,
                "residual",
                "residual value of hub servers at the horizon (straight-line, a credit)",
                "servers",
                -residual_devices(size.bought, load.months, refresh),
                server_usd,
                shape=shape,
                inputs=(f"{prefix}.server_usd", f"{prefix}.refresh_months"),
            ),
        )
    lines.append(model_update_line(x, resolved, option, size.on_site, shape))
    return lines


def hub_labour_line(x, load: Load, option, prefix, fleet: HubFleet) -> CostLine:
    """Hub operations: :func:`~edgecalc.costs.fleet.hub_labour_fte` at the edge's salary."""
    col = _col(x)
    servers = fleet.servers.on_site
    fte = hub_labour_fte(
        fleet.hubs,
        load.sites * (servers > 0),
        servers,
        col(f"{prefix}.platform_fte"),
        col(f"{prefix}.fte_per_hub"),
        col(f"{prefix}.fte_per_site"),
        col(f"{prefix}.servers_per_engineer"),
    )
    return line(
        option,
        "labour",
        "hub operations (platform + per hub + per site + per server)",
        "FTE-month",
        fte,
        col("edge.engineer_usd_per_year") / 12,
        shape=load.total_monthly.shape,
        inputs=(
            f"{prefix}.platform_fte",
            f"{prefix}.fte_per_hub",
            f"{prefix}.fte_per_site",
            f"{prefix}.servers_per_engineer",
            "edge.engineer_usd_per_year",
        ),
    )


def link_lines(x, load: Load, option, prefix) -> list[CostLine]:
    """The sites' links to the hub: a flat price per site and a price per GB carried.

    Notes
    -----
    ``sites × link_usd_per_site_month``, and ``inferences × (request + response bytes) /
    1e9`` GB at ``link_usd_per_gb``. Lines with a zero price are left out.
    """
    col = _col(x)
    shape = load.total_monthly.shape
    lines = []
    flat = col(f"{prefix}.link_usd_per_site_month")
    if np.any(flat > 0):
        lines.append(
            line(
                option,
                "network",
                "site-to-hub links",
                "site-months",
                load.sites + 0 * load.total_monthly,
                flat,
                shape=shape,
                inputs=(f"{prefix}.link_usd_per_site_month",),
            )
        )
    per_gb = col(f"{prefix}.link_usd_per_gb")
    if np.any(per_gb > 0):
        gb = load.total_monthly * (col("workload.request_bytes") + col("workload.response_bytes"))
        lines.append(
            line(
                option,
                "network",
                "site-to-hub traffic",
                "GB",
                gb / GB,
                per_gb,
                shape=shape,
                inputs=(f"{prefix}.link_usd_per_gb", "workload.request_bytes"),
            )
        )
    return lines

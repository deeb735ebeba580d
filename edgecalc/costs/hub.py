"""Monthly cost lines of a hub: compute shared by several sites (a server per plant or campus,
a regional on-premises hub, a managed edge zone).

The pricer is a thin composition of small functions (sizing, hardware, running, link) so that
the fleet-cost functions the edge uses can replace a part without touching the rest. Inputs
are the same ``{path: (S,)}`` mapping as :mod:`edgecalc.costs.options`; the hub's figures
live under its prefix (``hubs.0.server_usd``).
"""

from __future__ import annotations

import numpy as np

from .lines import CostLine, line
from .options import GB, Load, _col, model_update_line, residual_devices
from .sizing import devices_per_site, fleet_over_time
from .volume import HOURS_PER_MONTH


def hubs_needed(site_count, sites_per_hub):
    """Hubs a site group needs: ``ceil(count / sites_per_hub)`` [count].

    Examples
    --------
    >>> float(hubs_needed(10, 4))
    3.0
    """
    return np.ceil(np.asarray(site_count, dtype=float) / np.round(sites_per_hub))


def hub_servers(x, load: Load, prefix: str):
    """Hubs and servers per month over every site group (each array (S, M)).

    Notes
    -----
    A group of ``n`` sites gets ``h = ceil(n / sites_per_hub)`` hubs, each serving ``n / h``
    sites, so its peak is ``peak per site × n / h``; a hub has ``ceil(peak / (throughput ×
    utilisation)) + redundancy`` servers. Servers are bought at month 0, when growth needs
    more, and all again every ``refresh_months``.
    """
    col = _col(x)
    hubs = 0.0
    needed = 0.0
    for count, peak in zip(load.count, load.peak, strict=True):
        h = hubs_needed(count, col(f"{prefix}.sites_per_hub"))
        per_hub_peak = peak * np.divide(count, h, out=np.zeros_like(count), where=h > 0)
        servers = devices_per_site(
            per_hub_peak,
            col(f"{prefix}.inferences_per_second_per_server"),
            col(f"{prefix}.target_utilization"),
            col(f"{prefix}.redundancy"),
        )
        hubs = hubs + h + 0 * peak
        needed = needed + h * servers
    return hubs, needed


def hub_lines(x, resolved, load: Load, option: str, prefix: str, pricing: str) -> list[CostLine]:
    """Every cost line of one hub option.

    Parameters
    ----------
    option, prefix : str
        The option's name and where its inputs live (``hubs.0``).
    pricing : {"owned", "managed"}
        Owned servers (hardware, installation, facility, power, support, failures, updates)
        or a managed zone rented per server-hour.

    Notes
    -----
    Both: labour ``servers / servers_per_engineer × salary / 12`` (the edge's engineer cost),
    and the site-to-hub link (:func:`link_lines`). Owned: :func:`owned_server_lines`.
    Managed: ``servers × hours_per_month × usd_per_hour`` (:func:`managed_server_lines`).
    """
    hubs, needed = hub_servers(x, load, prefix)
    if pricing == "managed":
        lines = managed_server_lines(x, load, option, prefix, needed)
        installed = needed
    else:
        installed, bought = fleet_over_time(needed, x[f"{prefix}.refresh_months"])
        lines = owned_server_lines(x, resolved, load, option, prefix, hubs, installed, bought)
    lines.append(_labour(x, load, option, prefix, installed))
    lines += link_lines(x, load, option, prefix)
    return lines


def managed_server_lines(x, load: Load, option, prefix, servers) -> list[CostLine]:
    """Server-hours in a managed edge zone: ``servers × hours_per_month × usd_per_hour``."""
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


def owned_server_lines(x, resolved, load: Load, option, prefix, hubs, installed, bought):
    """Hardware, installation, facility, power, support, failures and model updates of owned
    hub servers.

    Notes
    -----
    Hardware ``bought × server_usd`` (less the straight-line residual value at the horizon
    when ``edge.residual_value`` says so); installation ``hubs × install_usd_per_hub`` at
    month 0 and each refresh; facility ``hubs × facility_usd_per_hub_month``; power
    ``installed × W × PUE × 730 h / 1000 × USD/kWh`` (the edge's electricity price); support
    ``installed × server_usd × support_fraction_per_year / 12``; failures ``installed × AFR /
    12 × (server_usd + truck roll)`` (the edge's AFR and truck roll); fleet software per
    server as per edge device; model updates as the edge's
    (:func:`~edgecalc.costs.options.model_update_line`).
    """
    col = _col(x)
    shape = load.total_monthly.shape
    server_usd = col(f"{prefix}.server_usd")
    refresh = np.round(col(f"{prefix}.refresh_months"))
    renew = (load.months[None, :] % refresh == 0).astype(float)
    lines = [
        line(
            option,
            "hardware",
            "hub servers bought",
            "servers",
            bought,
            server_usd,
            shape=shape,
            inputs=(
                f"{prefix}.server_usd",
                f"{prefix}.inferences_per_second_per_server",
                f"{prefix}.sites_per_hub",
                f"{prefix}.redundancy",
                f"{prefix}.refresh_months",
            ),
        ),
        line(
            option,
            "installation",
            "installation at each hub",
            "hubs",
            hubs * renew,
            col(f"{prefix}.install_usd_per_hub"),
            shape=shape,
            inputs=(f"{prefix}.install_usd_per_hub", f"{prefix}.refresh_months"),
        ),
        line(
            option,
            "facilities",
            "hub rack space and cooling",
            "hub-months",
            hubs,
            col(f"{prefix}.facility_usd_per_hub_month"),
            shape=shape,
            inputs=(f"{prefix}.facility_usd_per_hub_month",),
        ),
        line(
            option,
            "power",
            "hub electricity (with PUE)",
            "kWh",
            installed * col(f"{prefix}.power_w") * col(f"{prefix}.pue") * HOURS_PER_MONTH / 1000,
            col("edge.electricity_usd_per_kwh"),
            shape=shape,
            inputs=(f"{prefix}.power_w", f"{prefix}.pue", "edge.electricity_usd_per_kwh"),
        ),
        line(
            option,
            "support",
            "hardware support contract",
            "server-months",
            installed,
            server_usd * col(f"{prefix}.support_fraction_per_year") / 12,
            shape=shape,
            inputs=(f"{prefix}.support_fraction_per_year", f"{prefix}.server_usd"),
        ),
        line(
            option,
            "failures",
            "server failures (replacement + site visit)",
            "failures",
            installed * col("edge.annual_failure_rate") / 12,
            server_usd + col("edge.truck_roll_usd"),
            shape=shape,
            inputs=("edge.annual_failure_rate", f"{prefix}.server_usd", "edge.truck_roll_usd"),
        ),
        line(
            option,
            "software",
            "fleet management software",
            "server-months",
            installed,
            col("edge.fleet_software_usd_per_device_month"),
            shape=shape,
            inputs=("edge.fleet_software_usd_per_device_month",),
        ),
    ]
    if resolved.scenario.edge.residual_value == "straight_line":
        lines.insert(
            0,
            line(
                option,
                "residual",
                "residual value of hub servers at the horizon (straight-line, a credit)",
                "servers",
                -residual_devices(bought, load.months, refresh),
                server_usd,
                shape=shape,
                inputs=(f"{prefix}.server_usd", f"{prefix}.refresh_months"),
            ),
        )
    lines.append(model_update_line(x, resolved, option, installed, shape))
    return lines


def _labour(x, load: Load, option, prefix, servers) -> CostLine:
    col = _col(x)
    return line(
        option,
        "labour",
        "hub operations",
        "FTE-month",
        servers / col(f"{prefix}.servers_per_engineer"),
        col("edge.engineer_usd_per_year") / 12,
        shape=load.total_monthly.shape,
        inputs=(f"{prefix}.servers_per_engineer", "edge.engineer_usd_per_year"),
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

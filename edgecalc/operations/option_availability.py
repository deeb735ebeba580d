"""Availability of each option for every sample: the figures the requirement is checked on.

The same model as ``Result.operations`` (:func:`edgecalc.operations.fleet_ops.operations_section`,
which reports it at the point values), vectorised over samples so that the availability
requirement can rule an option out per Monte Carlo sample and price its minutes without
inference as a cost line:

- cloud: down while the WAN is down, ``(1 - a) x 43,800`` min/month;
- edge: down while more devices are down than the site has spares (binomial), a device down a
  share ``u = λ·MTTR / (1 + λ·MTTR)`` with ``λ = (AFR + firmware updates x failure rate) / 8760``
  and ``MTTR`` = time to notice + repair lead + on-site time;
- hybrid: as edge, with the cloud fallback and the escalations queued or dropped while the WAN
  is down;
- hub: a site is down while its hub has more servers down than spares (binomial over the
  hub's servers, with the hub's own failure rate and repair lead: the later of the technician
  and a spare shipped from the hub's depot; a managed zone replaces a server once the failure
  is noticed), and, for a hub off the campus (``placement`` in country or in region), also
  while the site's WAN is down: ``1 - (1 - s)·a``.

The repair lead of a device or server is :func:`~edgecalc.operations.spares.repair_lead_days`:
with a depot and no hot spare, a site waits for the spare to arrive.

Per site group, then weighted by the number of sites: the requirement applies to the average
site. ``a`` is the WAN's availability including a failover link.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..costs.sizing import devices_per_site, units_needed
from .availability import (
    Availability,
    cloud_availability,
    device_unavailability,
    hybrid_availability,
    site_down_probability,
)
from .monitoring import mean_time_to_notice_hours
from .spares import repair_lead_days

FloatArray = NDArray[np.float64]

__all__ = ["OptionAvailability", "option_availability"]


@dataclass(frozen=True)
class OptionAvailability:
    """One option's availability at the average site, per sample."""

    minutes_without_inference_per_month: FloatArray
    """Expected minutes per site and month without inference, shape (S,) [min/month]."""
    share_served: FloatArray
    """Share of inferences served, late ones included, shape (S,) [fraction]."""


def option_availability(
    kind: str,
    x: dict[str, np.ndarray],
    wan_availability: list[np.ndarray],
    counts: list[np.ndarray],
    peaks: list[np.ndarray],
    *,
    prefix: str = "edge",
    fallback_to_cloud: bool = False,
    escalation_policy: str = "queue",
    hub_remote: bool = False,
    hub_managed: bool = False,
) -> OptionAvailability:
    """Availability of one option at the average site, for every sample.

    Parameters
    ----------
    kind : {"cloud", "edge", "hybrid", "hub"}
        The option's kind.
    x : dict of str to numpy.ndarray
        The engine's inputs, each of shape (S,).
    wan_availability : list of numpy.ndarray
        Per site group, the WAN's availability with any failover, shape (S,) [fraction].
    counts : list of numpy.ndarray
        Per site group, the number of sites, shape (S, 1) or (S,) [count].
    peaks : list of numpy.ndarray
        Per site group, the peak inference rate per site by month, shape (S, M) [1/s].
    prefix : str, optional
        Input prefix of the devices (``edge`` or ``hybrid``).
    fallback_to_cloud : bool, optional
        Hybrid sends requests to the cloud while its edge is down.
    escalation_policy : {"queue", "drop"}, optional
        What hybrid escalations do while the WAN is down.
    hub_remote : bool, optional
        A hub off the sites' campus: the sites reach it over their WAN.
    hub_managed : bool, optional
        A managed zone: a failed server is replaced once the failure is noticed.

    Returns
    -------
    OptionAvailability
    """
    parts: list[Availability] = []
    if kind == "cloud":
        parts = [cloud_availability(w) for w in wan_availability]
    elif kind == "hub":
        u = server_unavailability(x, prefix, managed=hub_managed)
        parts = [
            hybrid_availability(
                hub_site_down_share(x, prefix, u, count, peak, w, remote=hub_remote),
                1.0,
                0.0,
                fallback_to_cloud=False,
            )
            for count, peak, w in zip(counts, peaks, wan_availability, strict=True)
        ]
    else:
        u = _device_unavailability(x)
        redundancy = np.asarray(x["edge.redundancy"], dtype=float)
        for peak, w in zip(peaks, wan_availability, strict=True):
            total = devices_per_site(
                np.asarray(peak, dtype=float)[:, 0],
                np.asarray(x[f"{prefix}.inferences_per_second_per_device"], dtype=float),
                np.asarray(x["edge.target_utilization"], dtype=float),
                redundancy,
            )
            needed = np.round(np.maximum(total - redundancy, 0.0))
            spares = np.round(np.where(total > 0, redundancy, 0.0))
            down = site_down_probability(u, needed, spares)
            escalation = np.asarray(x["hybrid.escalation_rate"]) if kind == "hybrid" else 0.0
            parts.append(
                hybrid_availability(
                    down,
                    w,
                    escalation,
                    fallback_to_cloud=kind == "hybrid" and fallback_to_cloud,
                    escalation_policy=escalation_policy,
                )
            )
    weights = [np.asarray(c, dtype=float).reshape(-1) for c in counts]
    total_sites = sum(weights)
    minutes = sum(
        w * np.asarray(p.minutes_without_inference_per_month, dtype=float)
        for w, p in zip(weights, parts, strict=True)
    )
    served = sum(
        w * np.asarray(p.share_served, dtype=float) for w, p in zip(weights, parts, strict=True)
    )
    return OptionAvailability(
        minutes_without_inference_per_month=np.asarray(minutes / total_sites, dtype=float),
        share_served=np.asarray(served / total_sites, dtype=float),
    )


def _device_unavailability(x: dict[str, np.ndarray]) -> FloatArray:
    """Down share of one edge device, with the time until a failure is noticed (S,)."""
    return unit_unavailability(x, "edge", managed=False)


def server_unavailability(x: dict[str, np.ndarray], prefix: str, managed: bool) -> FloatArray:
    """Down share of one hub server (S,): :func:`unit_unavailability` with the hub's own
    failure rate, depot and lead."""
    return unit_unavailability(x, prefix, managed=managed)


def unit_unavailability(x: dict[str, np.ndarray], prefix: str, managed: bool) -> FloatArray:
    """Down share of one device or server, ``u = λ·MTTR / (1 + λ·MTTR)`` (S,).

    Notes
    -----
    ``λ = (AFR + firmware updates x failure rate) / 8760`` with the AFR under ``prefix``
    (``edge`` or a hub's ``hubs.0``); ``MTTR`` = time to notice + repair lead x 24 + on-site
    hours, the lead being :func:`~edgecalc.operations.spares.repair_lead_days` of the
    technician and the depot under ``prefix``. A managed zone (``managed``) replaces a failed
    server as soon as the failure is noticed: ``MTTR`` = time to notice.
    """
    notice_hours = mean_time_to_notice_hours(
        np.asarray(x["operations.telemetry_interval_minutes"], dtype=float) / 60,
        np.asarray(x["operations.offline_probability_per_day"], dtype=float),
        np.asarray(x["operations.mean_offline_spell_days"], dtype=float),
    )
    firmware_rate = np.asarray(x["operations.firmware_updates_per_year"]) * np.asarray(
        x["operations.firmware_failure_rate"]
    )
    lead_days = repair_lead_days(
        np.asarray(x["operations.repair_lead_days"], dtype=float),
        np.asarray(x[f"{prefix}.depot_spare_fraction"], dtype=float),
        np.asarray(x[f"{prefix}.depot_lead_days"], dtype=float),
    )
    repair_hours = lead_days * 24 + np.asarray(x["operations.repair_onsite_hours"])
    if managed:
        repair_hours = np.zeros_like(repair_hours)
    return device_unavailability(
        np.asarray(x[f"{prefix}.annual_failure_rate"]) + firmware_rate,
        repair_hours + notice_hours,
        0.0,
    )


def hub_servers_per_hub(x, prefix: str, count, peak) -> tuple[FloatArray, FloatArray]:
    """Servers one hub's peak needs ``n`` and its spares ``k`` at month 0 (each (S,)).

    A group of ``count`` sites shares ``h = ceil(count / sites_per_hub)`` hubs; each serves
    ``count / h`` sites (:func:`~edgecalc.costs.hub.hub_fleet`).
    """
    count = np.asarray(count, dtype=float).reshape(-1)
    per_site = np.asarray(peak, dtype=float)[:, 0]
    hubs = np.ceil(count / np.round(np.asarray(x[f"{prefix}.sites_per_hub"], dtype=float)))
    per_hub = per_site * np.divide(count, hubs, out=np.zeros_like(count), where=hubs > 0)
    needed = units_needed(
        per_hub,
        np.asarray(x[f"{prefix}.inferences_per_second_per_server"], dtype=float),
        np.asarray(x[f"{prefix}.target_utilization"], dtype=float),
    )
    spares = np.where(needed > 0, np.round(np.asarray(x[f"{prefix}.redundancy"])), 0.0)
    return np.round(needed), spares


def hub_site_down_share(x, prefix: str, u, count, peak, wan, *, remote: bool) -> FloatArray:
    """Share of time a site served by a hub gets no inference (S,): its hub has more servers
    down than spares (:func:`~.availability.site_down_probability`), or, for a ``remote`` hub,
    the site's WAN is down: ``1 - (1 - s)·a``."""
    needed, spares = hub_servers_per_hub(x, prefix, count, peak)
    down = site_down_probability(u, needed, spares)
    if remote:
        down = 1.0 - (1.0 - down) * np.asarray(wan, dtype=float)
    return np.asarray(down, dtype=float)

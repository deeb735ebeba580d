"""The typed operations section of a result (``Result.operations``): per option, frozen
records of the operations figures at the point values, as pvlib's ``ModelChainResult`` holds a
model chain's outputs.

:func:`~edgecalc.pipeline.fleet_ops.operations_section` builds them; reasons, figures and the
app read their attributes; :func:`plain` turns one into JSON-ready data once, in
``Result.to_dict()``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import Any

__all__ = [
    "CloudOperations",
    "DayQuantiles",
    "FleetAvailability",
    "FleetOperations",
    "LabourParts",
    "ModelFit",
    "Monitoring",
    "OptionOperations",
    "RolloutCurve",
    "RolloutFigures",
    "ServiceAvailability",
    "SiteVisits",
    "Spares",
    "plain",
]


@dataclass(frozen=True)
class DayQuantiles:
    """Days after a release until a share of the fleet runs it, over the simulation runs
    [days]; ``None`` where not reached within the simulated horizon."""

    p10: float | None
    p50: float | None
    p90: float | None


@dataclass(frozen=True)
class RolloutCurve:
    """The median run's share of the fleet running the new model at the end of each day."""

    day: tuple[int, ...]
    """Days after the release [days]."""
    share_updated_p50: tuple[float, ...]
    """Share of the fleet updated, median over runs [fraction]."""


@dataclass(frozen=True)
class RolloutFigures:
    """The rollout Monte Carlo at the point values (``rollout``)."""

    devices: int
    """Devices installed at month 0 that the rollout follows [devices]."""
    updates_per_year: float
    """Model updates released per year [1/year]."""
    runs: int
    """Simulated rollouts [count]."""
    horizon_days: int
    """Days each rollout is simulated [days]."""
    days_to_50: DayQuantiles
    """Days until 50% of the fleet runs the new model [days]."""
    days_to_95: DayQuantiles
    """Days until 95% of the fleet runs it [days]."""
    days_to_100: DayQuantiles
    """Days until the last device runs it [days]."""
    mean_staleness_days: float
    """Mean days a device runs the old model, over runs [days]."""
    never_updated_devices: float
    """Devices not reached within the horizon, mean over runs [devices]."""
    update_attempts_per_device: float
    """Download attempts per device per release [count]."""
    pauses: float
    """Rollout pauses for failures, mean over runs [count]."""
    offline_spells_longer_than_a_week: float
    """Share of offline spells longer than 7 days [fraction]."""
    curve: RolloutCurve
    """Share of the fleet updated per day (median run)."""


@dataclass(frozen=True)
class SiteVisits:
    """Site visits for bricked or unreached devices (``site_visits``)."""

    firmware_per_year: float
    """Visits for failed firmware updates, from the cost lines [visits/year]."""
    rollout_per_year: float
    """Visits for devices a model rollout did not reach, from the cost lines [visits/year]."""
    per_year: float
    """Both together [visits/year]."""
    usd_per_year: float
    """``per_year`` x the truck-roll price [USD/year]."""
    hardware_failures_per_year: float
    """Installed devices (mean) x annual failure rate [failures/year]."""
    firmware_per_year_formula: float
    """Firmware visits from the closed form, for comparison [visits/year]."""
    rollout_per_year_formula: float
    """Rollout visits from the closed form, for comparison [visits/year]."""


@dataclass(frozen=True)
class ServiceAvailability:
    """How much inference an option serves, weighted over site groups by their sites."""

    minutes_without_inference_per_site_month: float
    """Minutes per site and month with no inference [min/month]."""
    share_served: float
    """Share of inferences answered [fraction]."""
    share_within_budget: float
    """Share of inferences answered within the latency budget [fraction]."""
    share_lost_escalations: float
    """Share of inferences that are escalations dropped while the WAN is down [fraction]."""
    share_recovered_by_fallback: float
    """Share recovered by the cloud fallback while the edge is down [fraction]."""


@dataclass(frozen=True)
class FleetAvailability(ServiceAvailability):
    """The availability of an edge-side option, with its site and device figures."""

    site_down_share: float
    """Share of time more devices are down than the site has spares [fraction]."""
    device_unavailability: float
    """Share of time one device is down, ``λ·MTTR / (1 + λ·MTTR)`` [fraction]."""
    devices_needed_and_spares_per_site: tuple[tuple[int, int], ...]
    """Per site group: devices the peak needs and spares at month 0 [devices]."""
    answered_from_cache_share: float
    """Share of time answered from a cached result (``offline_fallback: cache``) [fraction]."""
    fallback: str
    """What the fallback policy recovers, in words."""


@dataclass(frozen=True)
class Monitoring:
    """Fleet telemetry (``monitoring``)."""

    telemetry_gb_per_month: float
    """Telemetry the fleet sends [GB/month]."""
    unobserved_device_days_per_month: float
    """Device-days offline, so unobserved [device-days/month]."""
    mean_time_to_notice_hours: float
    """Mean time until a failed device is noticed [hours]."""


@dataclass(frozen=True)
class ModelFit:
    """Whether the option's model fits its device's memory (``fit``)."""

    fits: bool
    required_bytes: float
    """Weights, runtime overhead and KV cache [bytes]."""
    available_bytes: float
    """The device's memory [bytes]."""
    smallest_precision_that_fits: str | None
    """The smallest precision at which the model fits; ``None`` when none does."""
    reason: str
    """The check in words."""


@dataclass(frozen=True)
class LabourParts:
    """The labour line of an edge, hybrid or hub option in its parts, averaged over the horizon
    (``labour``); a hub's "devices" are its servers."""

    platform_fte: float
    """The platform floor [FTE]."""
    per_site_fte: float
    """Sites x FTE per site [FTE]."""
    per_device_fte: float
    """Devices / devices per engineer [FTE]."""
    optimisation_engineer_days_per_month: float
    """Model optimisation [engineer-days/month]."""
    per_hub_fte: float = 0.0
    """Hubs x FTE per hub, for a hub option (0 for the edge) [FTE]."""


@dataclass(frozen=True)
class Spares:
    """Spares by kind, averaged over the horizon (``spares``)."""

    hot_spares: float
    """Spares installed at the sites [devices]."""
    depot_spares: float
    """Cold spares in a depot [devices]."""
    depot_spare_fraction: float
    """Depot spares per installed device [fraction]."""
    repair_lead_days: float
    """Days until a failed device is replaced [days]."""


@dataclass(frozen=True)
class CloudOperations:
    """The operations figures of a cloud-kind option."""

    availability: ServiceAvailability
    wan_down_minutes_per_site_month: float
    """Minutes per site and month the WAN is down [min/month]."""
    wan_outages_per_month: float
    """WAN outages per site and month [1/month]."""
    labour_fte: float
    """Engineers priced per FTE-month, mean over the horizon [FTE]."""
    operating_usd_per_month: float
    """Operations cost lines, mean over the horizon [USD/month]."""


@dataclass(frozen=True)
class FleetOperations:
    """The operations figures of an option with a fleet: devices at the sites (kind edge or
    hybrid) or servers at hubs (kind hub: ``devices`` are the hub servers, ``per site`` figures
    are per hub)."""

    rollout: RolloutFigures
    site_visits: SiteVisits
    availability: FleetAvailability
    minutes_without_inference_per_site_month: float
    """As ``availability.minutes_without_inference_per_site_month`` [min/month]."""
    monitoring: Monitoring
    fit: ModelFit
    labour_fte: float
    """Engineers priced per FTE-month, mean over the horizon [FTE]."""
    labour: LabourParts
    spares: Spares
    devices_installed_mean: float
    """Installed devices, mean over the horizon [devices]."""
    operating_usd_per_month: float
    """Operations cost lines, mean over the horizon [USD/month]."""
    operating_cost_ratio_to_cloud: float | None
    """Operating cost over the cloud's; ``None`` when the cloud's is zero [ratio]."""
    operating_cost_sentence: str
    """The operating cost against the cloud's, in words."""
    device_selection: dict[str, Any] | None = None
    """With ``edge.device: auto``: which device was chosen and why (left out when absent)."""


OptionOperations = CloudOperations | FleetOperations
"""The operations section of one option."""


def plain(value: Any) -> Any:
    """JSON-ready data from an operations record: dataclasses become dicts in field order,
    tuples lists; a ``device_selection`` of ``None`` is left out."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in fields(value):
            v = getattr(value, f.name)
            if f.name == "device_selection" and v is None:
                continue
            out[f.name] = plain(v)
        return out
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value

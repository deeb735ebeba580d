"""Scenario fields for fleet economics: labour with a floor, support, facilities, spares, power,
one-time costs, and hardware written inline instead of named from the catalog.

The edge and cloud models (:mod:`edgecalc.scenario.models`) inherit these fields, so that the
file keeps one flat ``edge:`` and ``cloud:`` section. Defaults without a published source are
assumptions, given as ranges (a 90% interval) so that Monte Carlo shows how much they matter;
a deterministic run uses the median.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from .precision import DeviceSpeed, InstanceSpeed, Precision
from .ranges import Num, Range

AUTO_DEVICE = "auto"
"""``edge.device: auto`` picks the cheapest feasible catalog device."""


def catalog_key(kind: str, allow_auto: bool = False) -> Callable[[object], object]:
    """A field validator: a string must name a catalog item of ``kind`` (``region``,
    ``instance`` or ``device``), so that a misspelt key fails validation, with the nearest
    keys suggested, instead of evaluation.

    Examples
    --------
    >>> check = catalog_key("device")
    >>> try:
    ...     check("jetson-orin-nano-supr-8gb")
    ... except ValueError as exc:
    ...     print(str(exc)[:71])
    unknown device 'jetson-orin-nano-supr-8gb': did you mean jetson-orin-na
    """

    def check(value: object) -> object:
        if not isinstance(value, str) or (allow_auto and value == AUTO_DEVICE):
            return value
        from ..catalog import CatalogError, load_catalog

        try:
            getattr(load_catalog(), kind)(value)
        except CatalogError as exc:
            raise ValueError(exc.message) from None
        return value

    return check


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class CustomDevice(_Fields):
    """A device that is not in the catalog, written with its own figures (an industrial PC, a
    Hailo module, an 8-GPU server: one box is one device)."""

    name: str = Field(min_length=1, max_length=80)
    """Name shown in reports, e.g. ``8x H100 server``."""
    device_usd: Num(ge=0) = Field(...)
    """Price of one device as bought [USD]."""
    inferences_per_second_per_device: Num(gt=0) = Field(...)
    """Throughput of one device for this model [1/s]."""
    inference_ms: Num(ge=0) = Field(...)
    """Inference time on the device at the latency percentile [ms]."""
    memory_gb: Num(gt=0) = Field(...)
    """Memory available to the model (all accelerators of the box together) [GB]."""
    power_w: Num(ge=0) = Field(...)
    """Electrical power while serving [W]."""
    accelerators: Num(ge=1, integer=True) = 1
    """Accelerators in the box, for reports; figures above are for the whole box [count]."""


class CustomInstance(_Fields):
    """A cloud instance that is not in the catalog (another provider, a GPU cloud), written with
    its own figures."""

    name: str = Field(min_length=1, max_length=80)
    """Name shown in reports, e.g. ``8x H100 (GPU cloud)``."""
    usd_per_hour: Num(ge=0) = Field(...)
    """Price of one instance [USD/h]."""
    inferences_per_second_per_instance: Num(gt=0) = Field(...)
    """Throughput of one instance for this model [1/s]."""
    inference_ms: Num(ge=0) = Field(...)
    """Inference time on the instance at the latency percentile [ms]."""
    memory_gb: Num(gt=0) = Field(...)
    """Memory available to the model on one instance [GB]."""


class CloudFleetFields(_Fields):
    """Labour that grows with the cloud deployment, and its one-time costs."""

    fte_per_instance: Num(ge=0) = 0.0
    """Engineering per running instance on top of ``ops_engineer_fraction`` (the platform
    share that exists whatever the size) [FTE/instance]."""
    fte_per_million_requests_per_month: Num(ge=0) = 0.0
    """Engineering per million requests a month (support load that grows with traffic)
    [FTE per million requests/month]."""
    figures_by_precision: dict[Precision, InstanceSpeed] = {}
    """Throughput and latency of the instance per precision; the model's precision picks its
    own where the scenario gives no single figure."""
    integration_usd: Num(ge=0) = 0.0
    """One-time integration engineering to put the model behind the cloud endpoint, paid in
    month 0 [USD]."""
    staff_ramp_up_usd: Num(ge=0) = 0.0
    """One-time hiring and training of the people who run the cloud option, month 0 [USD]."""


PLATFORM_FTE_DEFAULT = Range(low=0.1, high=1.0)
"""Edge platform share: OTA pipeline, device monitoring, on-call, hardware logistics. No
published figure: an assumption, median 0.32 FTE [FTE]."""

CLOUD_PLATFORM_FTE_DEFAULT = Range(low=0.05, high=0.5)
"""Cloud platform share: deployment pipeline, monitoring, on-call on managed infrastructure.
No published figure: an assumption, median 0.16 FTE, half the edge's (no devices, sites or
hardware logistics) [FTE]."""

DEVICES_PER_ENGINEER_DEFAULT = Range(low=300, high=3000)
"""Devices one engineer looks after on top of the platform. No published figure: an
assumption, median 949; a vendor's 10,000-device example (Lemberg Solutions, edge-notes)
implies about 5,000 per engineer [devices/FTE]."""

OPTIMISATION_DAYS_DEFAULT = Range(low=0.5, high=5.0)
"""Engineering per model update per hardware target (quantise, compile, validate). No
published figure: an assumption, median 1.6 days [engineer-days]."""


class EdgeFleetFields(_Fields):
    """How an edge fleet is run and paid for, beyond the devices themselves."""

    platform_fte: Num(ge=0) = PLATFORM_FTE_DEFAULT
    """Engineering that exists as soon as there is a fleet, whatever its size: the OTA
    pipeline, the monitoring stack, on-call; an assumption (default a range, median 0.32)
    [FTE]."""
    fte_per_site: Num(ge=0) = 0.0
    """Engineering per site (local contacts, network changes, audits) [FTE/site]."""
    devices_per_engineer: Num(gt=0) = DEVICES_PER_ENGINEER_DEFAULT
    """Devices (serving and hot spares) one engineer looks after on top of the platform; an
    assumption (default a range, median 949) [devices/FTE]."""
    hardware_targets: Num(ge=1, integer=True) = 1
    """Distinct device types the model is optimised for; each update is quantised, compiled
    and validated once per type [count]."""
    optimisation_days_per_update_per_target: Num(ge=0) = OPTIMISATION_DAYS_DEFAULT
    """Engineering per model update per hardware target; an assumption (default a range,
    median 1.6) [engineer-days]."""
    support_fraction_per_year: Num(ge=0, le=1) = 0.0
    """Support or maintenance contract per year as a share of the hardware price; 0 replaces
    a failed device at full price instead. With a contract, a failure costs its truck roll
    only; hardware maintenance contracts run 10-12% a year (catalog
    ``operations.support_fraction_per_year``) [fraction/year]."""
    colocation_usd_per_site_month: Num(ge=0) = 0.0
    """Rack space or colocation per site (space, power feed, remote hands) [USD/site-month]."""
    pue: Num(ge=1, le=5) = 1.0
    """Power usage effectiveness of the room: facility energy / IT energy; 1 for a fanless box
    on a shop wall, about 1.5 in a server room [ratio]."""
    cooling_usd_per_kwh: Num(ge=0) = 0.0
    """Price of cooling per kWh the devices draw, where it is billed apart [USD/kWh]."""
    production_bom_usd: Num(ge=0) = 0.0
    """Bill of materials on top of a dev-kit price in production: enclosure, storage, power
    supply, mounting [USD/device]."""
    figures_by_precision: dict[Precision, DeviceSpeed] = {}
    """Throughput and latency of the device per precision; the model's precision picks its
    own where the scenario gives no single figure (catalog figures are at the benchmark's
    precision)."""
    idle_power_w: Num(ge=0) | None = None
    """Power of a device with nothing to do, outside the workload's active hours and for hot
    spares; default ``power_w`` (always at full power) [W]."""
    depot_spare_fraction: Num(ge=0, le=1) = 0.0
    """Cold spares kept in a depot as a share of the serving fleet, bought at every refresh,
    unpowered and not counted in labour; use ``redundancy: 0`` to replace hot spares at each
    site by the depot [fraction]."""
    depot_lead_days: Num(ge=0) = 3.0
    """Days to ship a spare from the depot to a site, added to the repair lead when a site
    has no hot spare; an assumption [days]."""
    integration_usd: Num(ge=0) = 0.0
    """One-time integration engineering (sensors, site network, model packaging), month 0
    [USD]."""
    staff_ramp_up_usd: Num(ge=0) = 0.0
    """One-time hiring and training of the people who run the fleet, month 0 [USD]."""


HUB_PLATFORM_FTE_DEFAULT = Range(low=0.1, high=1.0)
"""Hub platform share: deployment pipeline, server monitoring, on-call. No published figure: an
assumption with the edge's range (median 0.32 FTE), a range of its own so that Monte Carlo
samples it apart from the edge's (the hubs of one scenario share it) [FTE]."""

SERVERS_PER_ENGINEER_DEFAULT = Range(low=20, high=125)
"""Hub servers one engineer runs on top of the platform. No published figure: an assumption,
median 50 (the hub kind's first fixed default) [servers/FTE]."""


class HubFleetFields(_Fields):
    """How a hub's servers are run and paid for: the edge's fleet economics for servers shared
    by several sites (labour with a floor, depot spares, power over active hours, cooling,
    one-time costs)."""

    platform_fte: Num(ge=0) = HUB_PLATFORM_FTE_DEFAULT
    """Engineering that exists as soon as the hub option exists, whatever its size: deployment
    pipeline, monitoring, on-call; an assumption (default a range, median 0.32, as the
    edge's) [FTE]."""
    fte_per_hub: Num(ge=0) = 0.0
    """Engineering per hub (rack visits, local contacts, the hub's network); Lambda's
    system administration of $10,000 a year per block of four servers is this share for a
    hub of up to four servers [FTE/hub]."""
    fte_per_site: Num(ge=0) = 0.0
    """Engineering per site the hubs serve (site links, local contacts) [FTE/site]."""
    servers_per_engineer: Num(gt=0) = SERVERS_PER_ENGINEER_DEFAULT
    """Servers (serving and hot spares) one engineer runs on top of the platform; an
    assumption (default a range, median 50) [servers/FTE]."""
    idle_power_w: Num(ge=0) | None = None
    """Power of a server with nothing to do, outside the workload's active hours and for hot
    spares (owned); default ``power_w`` (always at full power) [W]."""
    cooling_usd_per_kwh: Num(ge=0) = 0.0
    """Price of cooling per kWh the servers draw, where it is billed apart from the PUE
    (owned) [USD/kWh]."""
    depot_spare_fraction: Num(ge=0, le=1) = 0.0
    """Cold spare servers in a depot as a share of the serving servers, bought at every
    refresh, unpowered and not counted in labour (owned); ``redundancy: 0`` replaces the hot
    spare at each hub by the depot [fraction]."""
    depot_lead_days: Num(ge=0) = 3.0
    """Days to ship a spare server from the depot to a hub, added to the repair lead when a
    hub has no spare of its own; an assumption [days]."""
    annual_failure_rate: Num(ge=0, le=1) | None = None
    """Share of servers failing per year (owned); default the edge's [1/year]."""
    truck_roll_usd: Num(ge=0) | None = None
    """Cost of one visit to a hub for a failed server (owned); default the edge's [USD]."""
    integration_usd: Num(ge=0) = 0.0
    """One-time integration engineering (site links, model packaging for the servers, the
    zone's network), month 0 [USD]."""
    staff_ramp_up_usd: Num(ge=0) = 0.0
    """One-time hiring and training of the people who run the hubs, month 0 [USD]."""

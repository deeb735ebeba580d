"""The scenario file as pydantic models: strict, frozen, units in names.

The docstring under each field is its documentation (``use_attribute_docstrings``); it feeds
the JSON Schema, the nomenclature page and editor hovers. Every numeric field accepts a number
or a range ``{low, high}`` (:class:`edgecalc.scenario.ranges.Range`).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .. import limits
from .base import Strict
from .cloud_pricing import (
    STANDARD_NAMES,
    CloudPricing,
    CloudPricingKind,
    merge_cloud_options,
    option_differences,
)
from .fleet import (
    CLOUD_PLATFORM_FTE_DEFAULT,
    CloudFleetFields,
    CustomDevice,
    CustomInstance,
    EdgeFleetFields,
    HubFleetFields,
    catalog_key,
)
from .precision import Precision
from .ranges import Num, Range
from .site_network import AccessTechnology, AvailabilityRequirement, SiteLink

Residency = Literal["on_site", "in_country", "in_region", "anywhere"]
Benchmark = Literal["resnet50", "retinanet", "bert99", "gptj99", "unet3d"]


class Workload(Strict):
    """The inference load of one site."""

    inferences_per_second: Num(ge=0) = Field(...)
    """Average inference rate per site while the site is active [1/s]."""
    peak_to_average: Num(ge=1) = 1.5
    """Peak rate divided by the average rate; sizing uses the peak [ratio]."""
    active_hours_per_day: Num(ge=0, le=24) = 24
    """Hours per day in which the site produces inferences [h/day]."""
    active_days_per_week: Num(ge=0, le=7) = 7
    """Days per week in which the site produces inferences [days/week]."""
    request_bytes: Num(ge=0) = Field(...)
    """Raw input one inference reads, as sent to the cloud (image, audio, prompt) [bytes]."""
    response_bytes: Num(ge=0) = 1000
    """Result of one inference sent back to the site [bytes]."""
    growth_per_year: Num(gt=-1, le=10) = 0.0
    """Growth of the inference volume per year, compounded monthly [fraction/year]."""


class Latency(Strict):
    """The latency requirement, end to end, at a percentile."""

    budget_ms: Num(gt=0) = Field(...)
    """End-to-end budget for one inference at the percentile [ms]."""
    percentile: Num(gt=0, lt=100) = 99
    """Percentile at which the budget must hold [%]."""
    min_saving_ms: Num(ge=0) = 50
    """Latency the edge must save over the cloud to be worth its complexity; the default 50 is a
    practitioners' rule of thumb with no published source (catalog
    ``claims.edge_only_worth_it_above_50ms_saving``) [ms]."""
    local_hop_ms: Num(ge=0) = 1.0
    """Round trip from the sensor to an on-site device over the site LAN; an assumption [ms]."""


class ResidencyRules(Strict):
    """Where data may go."""

    raw_data: Residency = "anywhere"
    """Where the raw input of an inference may be processed or stored."""
    derived_data: Residency = "anywhere"
    """Where derived data (results, escalation features, telemetry) may go."""


class Location(Strict):
    """A point on Earth and its country."""

    lat: float = Field(ge=-90, le=90)
    """Latitude [degrees]."""
    lon: float = Field(ge=-180, le=180)
    """Longitude [degrees]."""
    country: str = Field(pattern=r"^[A-Z]{2}$")
    """ISO 3166-1 alpha-2 country code, e.g. DE."""

    @field_validator("country")
    @classmethod
    def _known_country(cls, code: str) -> str:
        from ..latency.macro_regions import known_country

        if not known_country(code):
            raise ValueError(
                f"{code!r} is not an ISO 3166-1 alpha-2 country code (two capital letters "
                "such as DE, US or GB; UK and EL are accepted for GB and GR)"
            )
        return code


class UplinkUpgrade(Strict):
    """What a site pays when its uplink is too small for the cloud path."""

    uplink_mbps: Num(gt=0) = Field(...)
    """Uplink after the upgrade [Mbit/s]."""
    usd_per_month: Num(ge=0) = Field(...)
    """Extra cost of the upgraded line per site [USD/month]."""


class Site(Strict):
    """A named site (or a group of identical sites); unset fields take the sites' defaults."""

    name: str
    """Name shown in reports."""
    count: Num(ge=1, integer=True) = 1
    """Number of identical sites this entry stands for."""
    location: Location | None = None
    """Where the site is; default the sites' location."""
    uplink_mbps: Num(gt=0) | None = None
    """Upload capacity of the site's WAN link [Mbit/s]; default the sites' value."""
    downlink_mbps: Num(gt=0) | None = None
    """Download capacity of the site's WAN link [Mbit/s]; default the sites' value."""
    wan_availability: Num(ge=0, le=1) | None = None
    """Share of time the WAN link is up [fraction]; default the sites' value."""
    inferences_per_second: Num(ge=0) | None = None
    """Average inference rate of this site [1/s]; default the workload's."""
    rtt_ms: Num(gt=0) | None = None
    """Network round trip from this site to the cloud region at the latency percentile (a
    measured or known figure); default ``cloud.rtt`` [ms]."""
    link: SiteLink | None = None
    """This site's WAN link (technology, price, failover); default the sites' link."""


class Sites(Strict):
    """A count of identical sites with defaults, or a list of named sites."""

    count: Num(ge=1, integer=True) | None = None
    """Number of identical sites (give either count or list)."""
    uplink_mbps: Num(gt=0) = 100
    """Upload capacity of a site's WAN link [Mbit/s]."""
    downlink_mbps: Num(gt=0) | None = None
    """Download capacity of a site's WAN link [Mbit/s]; default the uplink."""
    uplink_usable_fraction: Num(gt=0, le=1) = 0.8
    """Share of the uplink the inference traffic may use at peak [fraction]."""
    wan_availability: Num(ge=0, le=1) = 0.995
    """Share of time the WAN link is up [fraction]."""
    location: Location | None = None
    """Where the sites are (needed for residency and the RTT estimate)."""
    uplink_upgrade: UplinkUpgrade | None = None
    """If set, a site whose uplink is too small is upgraded at this price instead of making the
    cloud path infeasible."""
    link: SiteLink | None = None
    """The sites' WAN link: access technology, price per GB and allowance, VPN, failover;
    none = a link that costs nothing per GB, with ``wan_availability``."""
    list: tuple[Site, ...] | None = None
    """Named sites, each overriding the defaults above."""
    file: str | None = None
    """A CSV file of site groups, one per row, relative to the scenario file (the loader reads
    it into ``list`` and drops ``file``; columns name, count, lat, lon, country, uplink_mbps,
    downlink_mbps, wan_availability, inferences_per_second, rtt_ms, access,
    link_flat_usd_per_month: see docs/portfolio.md). The other fields here are every row's
    defaults."""
    access_links: dict[AccessTechnology, SiteLink] | None = None
    """The link a row of ``file`` gets by its ``access`` column (e.g. a data plan for lte, a
    flat fee for fibre); a technology not named here takes ``link`` with that technology."""

    @model_validator(mode="after")
    def _count_or_list(self) -> Sites:
        if self.file is not None and self.list is None:
            raise ValueError(
                "'file' is read by the scenario loader (edgecalc.load_scenario); load the "
                "scenario from its file"
            )
        if self.list is None and self.count is None:
            raise ValueError("give either 'count' or 'list' of sites (or a CSV 'file')")
        if self.list is not None and self.count is not None:
            raise ValueError("give either 'count' or 'list' of sites, not both")
        if self.list is not None and len(self.list) == 0:
            raise ValueError("'list' needs at least one site")
        if self.list is not None and len(self.list) > limits.SITE_ENTRIES:
            raise ValueError(
                f"'list' has {len(self.list):,} entries; the limit is {limits.SITE_ENTRIES:,}"
            )
        total = (
            _largest(self.count)
            if self.list is None
            else sum(_largest(site.count) for site in self.list)
        )
        if total > limits.SITES_TOTAL:
            raise ValueError(
                f"the sites add up to {total:,.0f}; a scenario may stand for at most "
                f"{limits.SITES_TOTAL:,} sites"
            )
        return self


def _largest(count: float | Range) -> float:
    return count.high if isinstance(count, Range) else float(count)


class Model(Strict):
    """The ML model being served."""

    name: str = "model"
    """Name shown in reports."""
    parameters: Num(gt=0) = Field(...)
    """Number of parameters [count]."""
    precision: Precision = "int8"
    """Numeric precision of the deployed weights; it sets the memory the model needs and,
    with ``figures_by_precision`` or ``speed_measured_at``, its speed."""
    speed_measured_at: Precision | None = None
    """Precision at which the throughput and latency figures (catalog or scenario) were
    measured, for a memory-bound LLM decode: figures are scaled by bytes per parameter,
    measured / deployed (see docs/model.md). Unset: figures are used as they are."""
    benchmark: Benchmark | None = None
    """MLPerf workload closest to this model; devices' measured throughput and latency for it
    come from the catalog when not given explicitly."""
    updates_per_year: Num(ge=0) = 12
    """New model versions shipped per year [1/year]."""
    runtime_overhead_fraction: Num(ge=0) | None = None
    """Memory on top of the weights for activations and runtime [fraction]; default from the
    catalog (0.20, Hugging Face accelerate / EleutherAI)."""
    runtime_overhead_bytes: Num(ge=0) = 0
    """Fixed runtime memory (framework, CUDA context) [bytes]."""
    kv_cache_bytes: Num(ge=0) = 0
    """KV cache of a language model at the served context and concurrency [bytes]."""
    delta_update_fraction: Num(gt=0, le=1) = 1.0
    """Share of the model size an update transfers (1 = full model, below 1 = delta) [fraction]."""


class RttGiven(Strict):
    """An RTT the user knows."""

    ms: Num(gt=0) = Field(...)
    """Network round trip from the site to the region at the latency percentile [ms]."""


class RttMeasured(Strict):
    """An RTT from a file written by ``edgecalc measure`` at the site."""

    measurement: str
    """Path of the measurement file, relative to the scenario file."""
    target: str | None = None
    """Target in the file to use, by its URL, label or provider/region; needed when the file
    holds several."""
    max_age_days: Num(gt=0) = 90
    """Warn when the measurement is older than this [days]."""

    @field_validator("measurement")
    @classmethod
    def _names_a_file(cls, path: str) -> str:
        if not path.strip():
            raise ValueError(
                "name the measurement file (written by `edgecalc measure --out FILE.json`), "
                "as a path relative to this scenario"
            )
        return path


class RttEstimated(Strict):
    """An RTT estimated from the great-circle distance between site and region."""

    access_ms: Num(ge=0) = 5.0
    """Last-mile access latency added to the backbone estimate; an assumption [ms]."""
    route_inflation: float | None = Field(default=None, gt=0, le=10)
    """Route inflation over the great-circle fibre path, at every distance; default the fit per
    distance band on published cloud-backbone RTTs (2.23 at 630 km falling to 1.60 at 13,000
    km). A site on the public Internet: about 2.1 (Bozkurt et al., arXiv:1811.10737) [ratio]."""


def _TLS_SCHEMA(schema: dict) -> None:
    """``cloud.tls`` in the JSON Schema: the versions as text or as the numbers YAML reads
    ``tls: 1.3`` as, so that an editor does not flag what the loader accepts."""
    schema.pop("type", None)
    schema["enum"] = ["1.3", "1.2", 1.3, 1.2]


class Cloud(Strict, CloudPricing, CloudFleetFields):
    """The cloud option: a region, and instances, a serverless function or a hosted API."""

    region: str = Field(...)
    """Provider and region, e.g. aws/eu-central-1."""
    instance: str | CustomInstance | None = None
    """Provider and instance type from the catalog, e.g. aws/g6.xlarge, or a mapping with its
    own name and figures (pricing: instances)."""

    _known_region = field_validator("region")(catalog_key("region"))
    _known_instance = field_validator("instance")(catalog_key("instance"))
    pricing: CloudPricingKind = "instances"
    """Provisioned instances sized for peak (on demand, or with ``commitment``, ``spot``,
    ``autoscaling``), a flat price per request, a serverless function (``serverless``), or a
    hosted model API priced per token (``hosted_api``)."""
    usd_per_hour: Num(ge=0) | None = None
    """Instance price; default the catalog's on-demand price in its reference region [USD/h]."""
    inferences_per_second_per_instance: Num(gt=0) | None = None
    """Throughput of one instance for this model; default the catalog's MLPerf figure for the
    model's benchmark on the instance's accelerator [1/s]."""
    inference_ms: Num(ge=0) | None = None
    """Inference time of one request on the instance at the percentile; default the catalog's
    MLPerf single-stream figure [ms]."""
    memory_gb: Num(gt=0) | None = None
    """Memory available to the model on one instance (accelerator memory, or RAM for a
    CPU-only instance); default the catalog's [GB]."""
    target_utilization: Num(gt=0, le=1) = 0.6
    """Share of an instance's throughput used at peak [fraction]."""
    min_instances: Num(ge=0, integer=True) = 1
    """Instances always running, whatever the load [count]."""
    hours_per_month: Num(gt=0, le=730) = 730
    """Hours an instance runs per month (730 = always on) [h/month]."""
    usd_per_1k_requests: Num(ge=0) | None = None
    """Price per 1,000 requests when pricing is per_request [USD/1k]."""
    egress_usd_per_gb: Num(ge=0) | None = None
    """Internet egress price, flat; default the catalog's tiered prices [USD/GB]."""
    ingress_usd_per_gb: Num(ge=0) | None = None
    """Ingress price; default the catalog's [USD/GB]."""
    egress_free_gb_per_month: Num(ge=0) | None = None
    """Egress free each month; default the catalog's free tier [GB/month]."""
    retained_raw_fraction: Num(ge=0, le=1) = 0.0
    """Share of raw inputs stored in the cloud [fraction]."""
    retention_months: Num(ge=0) = 0
    """How long stored raw inputs are kept [months]."""
    storage_usd_per_gb_month: Num(ge=0) | None = None
    """Object storage price; required when raw inputs are retained [USD/GB-month]."""
    rtt: RttGiven | RttMeasured | RttEstimated = RttEstimated()
    """Network round trip: measured (file), given (ms) or estimated (default)."""
    connection_reuse: bool = True
    """Requests reuse a warm connection; when false each pays the TCP and TLS handshakes."""
    tls: Literal["1.3", "1.2"] = Field("1.3", json_schema_extra=_TLS_SCHEMA)
    """TLS version for the handshake cost of cold connections: ``1.3`` or ``1.2`` (a number
    or text; it is held as text)."""
    ops_engineer_fraction: Num(ge=0) = CLOUD_PLATFORM_FTE_DEFAULT
    """Platform share of engineering running the cloud deployment, whatever its size: the
    deployment pipeline, monitoring, on-call (see also fte_per_instance and
    fte_per_million_requests_per_month); an assumption (default a range, median 0.16) [FTE]."""
    engineer_usd_per_year: Num(ge=0) | None = None
    """Loaded cost of the engineer running the cloud deployment; default the catalog's
    [USD/year]."""

    @field_validator("tls", mode="before")
    @classmethod
    def _tls_as_text(cls, version: Any) -> Any:
        # YAML reads `tls: 1.3` as a number; the version is the same either way
        if isinstance(version, float) and version in (1.3, 1.2):
            return f"{version:.1f}"
        return version


class CloudOption(Cloud):
    """Another cloud option beside ``cloud:``, e.g. the same fleet with a 3-year commitment, or
    a hosted API; only what differs from ``cloud:`` is written, the rest is the cloud's."""

    model_config = ConfigDict(
        **Strict.model_config,
        # in the file only kind is required: the rest comes from the cloud: section
        json_schema_extra=lambda schema: schema.update(required=["kind"]),
    )

    kind: Literal["cloud"] = Field(...)
    """The option's kind; ``cloud`` (the only extra kind edgecalc prices so far)."""


class DeviceFigures(Strict):
    """Figures of one catalog device where the catalog has none (for ``edge.device: auto`` and
    ``edgecalc devices``); each unset figure comes from the catalog."""

    device_usd: Num(ge=0) | None = None
    """Price of one device [USD]."""
    inferences_per_second_per_device: Num(gt=0) | None = None
    """Throughput of one device for this model [1/s]."""
    inference_ms: Num(ge=0) | None = None
    """Inference time on the device at the percentile [ms]."""
    memory_gb: Num(gt=0) | None = None
    """Memory available to the model [GB]."""
    power_w: Num(ge=0) | None = None
    """Average electrical power of one device [W]."""


class Edge(Strict, EdgeFleetFields):
    """The edge option: devices at each site."""

    device: str | CustomDevice = Field(...)
    """Device from the catalog, e.g. jetson-agx-orin-64gb; ``auto``: the cheapest catalog
    device that fits the model and meets the latency budget (``edgecalc devices`` ranks them);
    or a mapping with its own name and figures for hardware the catalog lacks."""

    _known_device = field_validator("device")(catalog_key("device", allow_auto=True))

    @field_validator("device_figures")
    @classmethod
    def _known_figure_devices(cls, value: dict) -> dict:
        check = catalog_key("device")
        for key in value:
            check(key)
        return value

    device_figures: dict[str, DeviceFigures] = {}
    """Per catalog device key, figures the catalog lacks (a price, a measured throughput), used
    when ranking devices and by ``device: auto``; the fields below apply to the named device."""
    device_usd: Num(ge=0) | None = None
    """Price of one device; default the catalog's, required where it has none [USD]."""
    inferences_per_second_per_device: Num(gt=0) | None = None
    """Throughput of one device for this model; default the catalog's MLPerf figure [1/s]."""
    inference_ms: Num(ge=0) | None = None
    """Inference time on the device at the percentile; default the catalog's MLPerf figure [ms]."""
    memory_gb: Num(gt=0) | None = None
    """Memory available to the model; default the catalog's [GB]."""
    power_w: Num(ge=0) | None = None
    """Average electrical power of one device; default the catalog's measured figure [W]."""
    target_utilization: Num(gt=0, le=1) = 0.7
    """Share of a device's throughput used at peak [fraction]."""
    redundancy: Num(ge=0, integer=True) = 1
    """Spare devices per site on top of those the peak needs [count]."""
    refresh_months: Num(ge=1, integer=True) = 48
    """Hardware life: devices are bought again after this many months [months]."""
    residual_value: Literal["straight_line", "none"] = "straight_line"
    """Credit, in the last month, for the service life devices still have at the horizon
    (straight-line over the refresh period), so that a fleet bought shortly before the horizon
    is not charged in full for a few months of use; ``none`` charges it in full."""
    annual_failure_rate: Num(ge=0, le=1) | None = None
    """Share of devices failing per year; default the catalog's (low confidence) [1/year]."""
    truck_roll_usd: Num(ge=0) | None = None
    """Cost of one site visit; default the catalog's fully loaded figure [USD]."""
    install_usd_per_site: Num(ge=0) = 500
    """Installation at each site, at the start and at every refresh; an assumption [USD]."""
    electricity_usd_per_kwh: Num(ge=0) | None = None
    """Electricity price at the sites; default the catalog's US commercial average [USD/kWh]."""
    fleet_software_usd_per_device_month: Num(ge=0) | None = None
    """Fleet management software per device at the sites (OTA, monitoring, logs, security
    agents); default the catalog's (balena, $2) [USD/device-month]."""
    engineer_usd_per_year: Num(ge=0) | None = None
    """Loaded cost of an engineer; default the catalog's [USD/year]."""
    telemetry_bytes_per_device_day: Num(ge=0) = 5_000_000
    """Logs and metrics each device sends per day; an assumption [bytes/day]."""


class Hybrid(Strict):
    """Edge handles the fast, simple cases; the cloud takes the hard ones."""

    escalation_rate: Num(ge=0, le=1) = 0.1
    """Share of inferences escalated to the cloud [fraction]."""
    escalation_bytes: Num(ge=0) | None = None
    """Bytes sent per escalation; default the workload's request_bytes [bytes]."""
    escalation_carries_raw_data: bool = False
    """Whether escalations carry raw data (then raw_data residency applies to them)."""
    escalation_budget_ms: Num(gt=0) | None = None
    """Latency budget for escalated inferences; none means escalations are not latency-critical
    [ms]."""
    device: str | CustomDevice | None = None
    """Smaller edge device for the fast path (a catalog key or a mapping with its own figures);
    default the edge device."""

    _known_device = field_validator("device")(catalog_key("device"))
    device_usd: Num(ge=0) | None = None
    """Price of the hybrid device; default the catalog's [USD]."""
    inferences_per_second_per_device: Num(gt=0) | None = None
    """Throughput of the hybrid device for the fast-path model [1/s]."""
    inference_ms: Num(ge=0) | None = None
    """Fast-path inference time on the hybrid device [ms]."""
    memory_gb: Num(gt=0) | None = None
    """Memory of the hybrid device [GB]."""
    power_w: Num(ge=0) | None = None
    """Power of the hybrid device [W]."""
    model_parameters: Num(gt=0) | None = None
    """Parameters of the fast-path model; default the model's [count]."""
    model_precision: Precision | None = None
    """Precision of the fast-path model's weights; default the model's precision."""
    kv_cache_bytes: Num(ge=0) | None = None
    """KV cache (runtime memory beyond the weights and their overhead) of the fast-path model;
    default the model's ``kv_cache_bytes`` when the fast path runs the model itself (no
    ``model_parameters``), else 0: a separate fast-path model (a small classifier) keeps no
    KV cache of the main model [bytes]."""


class Hub(Strict, HubFleetFields):
    """An option whose compute is shared by several sites: a server per plant or campus, a
    regional on-premises hub, or a managed edge zone (a telco MEC or a cloud local zone)."""

    name: str = "hub"
    """The option's name in every output (lower case letters, digits and underscores)."""
    sites_per_hub: Num(ge=1, integer=True) = Field(...)
    """Sites one hub serves; a site group of ``count`` sites needs ``ceil(count /
    sites_per_hub)`` hubs [count]."""
    placement: Literal["on_site", "in_country", "in_region"] = "on_site"
    """Where the hub is, for residency: ``on_site`` when it is on the campus of the sites it
    serves, ``in_country`` for a hub (or a zone) in the sites' country, ``in_region`` for one
    elsewhere in their residency zone."""
    pricing: Literal["owned", "managed"] = "owned"
    """``owned``: servers bought, installed, powered and run by the operator; ``managed``: a
    provider's edge zone rented per server-hour (MEC, local zone)."""
    device: str | None = None
    """A catalog device to take the server's figures from (e.g. dell-xr5610-l4); default none:
    give the figures below."""
    server_usd: Num(ge=0) | None = None
    """Price of one server (owned); default the catalog device's, required where it has none
    [USD]."""
    usd_per_hour: Num(ge=0) | None = None
    """Price of one server-hour in a managed zone (managed) [USD/h]."""
    hours_per_month: Num(gt=0, le=730) = 730
    """Hours a managed server is rented per month (730 = always on) [h/month]."""
    inferences_per_second_per_server: Num(gt=0) | None = None
    """Throughput of one server for this model; default the catalog device's MLPerf figure
    [1/s]."""
    inference_ms: Num(ge=0) | None = None
    """Inference time on the server at the percentile; default the catalog device's [ms]."""
    memory_gb: Num(gt=0) | None = None
    """Memory available to the model on one server; default the catalog device's [GB]."""
    power_w: Num(ge=0) | None = None
    """Average electrical power of one server (owned); default the catalog device's [W]."""
    target_utilization: Num(gt=0, le=1) = 0.7
    """Share of a server's throughput used at peak [fraction]."""
    redundancy: Num(ge=0, integer=True) = 1
    """Spare servers per hub on top of those the peak needs [count]."""
    refresh_months: Num(ge=1, integer=True) = 60
    """Server life: servers are bought again after this many months (owned) [months]."""
    install_usd_per_hub: Num(ge=0) = 2000
    """Installation of one hub (rack, cabling, set-up), at the start and at every refresh
    (owned); an assumption [USD]."""
    facility_usd_per_hub_month: Num(ge=0) = 0
    """Rack space, cooling or colocation of one hub (owned) [USD/month]."""
    pue: Num(ge=1) = 1.0
    """Power usage effectiveness of the hub's room: facility power over IT power (owned)
    [ratio]."""
    support_fraction_per_year: Num(ge=0, le=1) = 0.0
    """Hardware support contract per year as a share of the server price (owned); with a
    contract a failed server is repaired under it and a failure costs its visit only, as for
    the edge [fraction/year]."""
    zone: Literal["aws_local_zone"] | None = None
    """A managed edge zone whose catalog figures are used where the scenario gives none
    (catalog ``managed_zones``): ``aws_local_zone``, the round trip from a site in the zone's
    metro area; no zone's price per hour was found, so ``usd_per_hour`` stays required."""
    link_rtt_ms: Num(ge=0) | None = None
    """Round trip from a site's sensor to the hub at the percentile (LAN, campus or metro
    fibre, the carrier's access network for a zone); default the ``zone``'s catalog figure,
    else 1 ms (a LAN) [ms]."""
    link_mbps: Num(gt=0) = 1000
    """Capacity of one site's link to the hub, each way [Mbit/s]."""
    link_usd_per_site_month: Num(ge=0) = 0
    """Flat price of one site's link to the hub [USD/month]."""
    link_usd_per_gb: Num(ge=0) = 0
    """Price of traffic between a site and the hub, requests and responses [USD/GB]."""


class Operations(Strict):
    """How the fleet behaves over time: offline spells, rollouts, repairs, telemetry."""

    offline_probability_per_day: Num(ge=0, lt=1) = 0.02
    """Probability that a device is offline on a given day; no published figure: an
    assumption [fraction]."""
    mean_offline_spell_days: Num(ge=1) = 2.0
    """Mean length of an offline spell [days]."""
    canary_fraction: Num(ge=0, le=1) = 0.05
    """Share of the fleet in the canary wave [fraction]."""
    waves: Num(ge=1, integer=True) = 3
    """Waves after the canary [count]."""
    days_between_waves: Num(ge=0) = 2
    """Days between the start of two waves [days]."""
    update_failure_rate: Num(ge=0, lt=1) = 0.01
    """Probability that one update attempt fails and is retried next online day [fraction]."""
    pause_failure_rate: Num(gt=0, le=1) | None = None
    """Pause the rollout when a wave's failure rate exceeds this [fraction]."""
    firmware_updates_per_year: Num(ge=0) = 4
    """Firmware and OS updates per year [1/year]."""
    firmware_failure_rate: Num(ge=0, le=1) = 0.005
    """Share of firmware updates that brick a device and need a site visit [fraction]."""
    repair_lead_days: Num(ge=0) = 2.0
    """Days until a technician reaches a site after a failure [days]."""
    repair_onsite_hours: Num(ge=0) = 2.0
    """Hours on site to replace a device [h]."""
    wan_outage_mean_hours: Num(gt=0) = 4.0
    """Mean length of a WAN outage [h]."""
    telemetry_interval_minutes: Num(gt=0) = 5.0
    """Interval at which devices report health [min]."""
    offline_fallback: Literal["cloud", "cache", "pause"] = "cloud"
    """What a hybrid site does when its edge device is down: send to the cloud (where
    residency allows), serve a cached result, or pause."""
    escalations_when_wan_down: Literal["queue", "drop"] = "queue"
    """What hybrid escalations do while the WAN is down."""
    simulation_runs: Num(ge=1, le=10000, integer=True) = 100
    """Rollout simulation runs [count]."""
    site_visit_after_days: Num(ge=1) = 30
    """A device still without a model update this many days after its wave started gets a site
    visit (a truck roll) to install it by hand; an assumption [days]."""
    pause_days: Num(ge=0) = 7
    """How long an automatic pause (``pause_failure_rate``) holds the rollout before an
    operator resumes it; an assumption [days]."""
    availability_requirement: AvailabilityRequirement | None = None
    """Share of inferences the sites must get (or minutes without inference they accept), and
    what a minute without inference costs."""


class Decision(Strict):
    """How the recommendation is made."""

    min_cost_saving_fraction: Num(ge=0, le=1) = 0.25
    """Another option must cost at least this much less than the cloud over the horizon, on
    the decision's ``basis``, to be recommended over it [fraction]."""
    basis: Literal["npv", "total"] = "npv"
    """What the costs are compared on: ``npv`` (each month discounted at
    ``discount_rate_per_year``, the default) or ``total`` (the undiscounted sum over the
    horizon)."""


class Correlation(Strict):
    """A rank correlation between two ranged inputs, used by Monte Carlo."""

    between: tuple[str, str]
    """The two dotted input paths, e.g. [workload.inferences_per_second,
    workload.growth_per_year]."""
    spearman: float = Field(ge=-0.99, le=0.99)
    """Spearman rank correlation [-0.99 to 0.99]."""


class Scenario(Strict):
    """One ML inference workload to place: cloud, edge or hybrid."""

    edgecalc: Literal[1] = Field(...)
    """Schema version of the scenario file."""
    name: str = Field(...)
    """Name shown in reports."""
    description: str = ""
    """What the scenario is and what it should teach."""
    extends: str | None = None
    """Base scenario file this one overrides (a path relative to this file)."""
    horizon_months: Num(ge=1, le=240, integer=True) = 60
    """Months projected [months]."""
    discount_rate_per_year: Num(gt=-1, le=1) = 0.08
    """Annual discount rate for the net present value [fraction/year]."""
    workload: Workload
    """The inference load per site."""
    latency: Latency
    """The latency requirement."""
    residency: ResidencyRules = ResidencyRules()
    """Where raw and derived data may go."""
    sites: Sites
    """The sites that produce inferences."""
    model: Model
    """The ML model."""
    cloud: Cloud
    """The cloud option."""
    edge: Edge
    """The edge option."""
    hybrid: Hybrid | None = Hybrid()
    """The hybrid option; null leaves it out."""
    hubs: tuple[Hub, ...] = ()
    """Options whose compute is shared by several sites (a server per plant, a managed edge
    zone), each compared beside cloud, edge and hybrid under its name."""
    options: dict[str, CloudOption] = {}
    """More options compared beside cloud, edge and hybrid, by name (lower case, digits,
    underscores): ``cloud_3yr: {kind: cloud, commitment: {...}}`` prices the cloud another
    way; the fields not given are the ``cloud:`` section's."""
    operations: Operations = Operations()
    """Fleet behaviour: offline spells, rollouts, repairs."""
    decision: Decision = Decision()
    """Decision rule."""
    correlations: tuple[Correlation, ...] = ()
    """Rank correlations between ranged inputs for Monte Carlo."""
    accept_warnings: tuple[str, ...] = ()
    """Plausibility warnings the scenario's reviewers have accepted, by check name
    (``stale_fact``) or check and key (``stale_fact:operations.electricity_usd_per_kwh``);
    ``validate --strict`` lets them pass, reports still show them."""

    @model_validator(mode="before")
    @classmethod
    def _fill_options(cls, data):
        return merge_cloud_options(data)

    @model_validator(mode="after")
    def _option_names(self) -> Scenario:
        for name in self.options:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name in STANDARD_NAMES:
                raise ValueError(
                    f"options.{name}: an option's name is lower case letters, digits and "
                    f"underscores, starting with a letter, and not one of "
                    f"{', '.join(sorted(STANDARD_NAMES))}"
                )
        return self

    @model_validator(mode="after")
    def _hub_names(self) -> Scenario:
        taken = {"cloud", "edge", "hybrid", "none", *self.options}
        for i, hub in enumerate(self.hubs):
            if not re.fullmatch(r"[a-z][a-z0-9_]*", hub.name):
                raise ValueError(
                    f"hubs.{i}.name {hub.name!r}: use lower case letters, digits and "
                    "underscores, starting with a letter"
                )
            if hub.name in taken:
                raise ValueError(
                    f"hubs.{i}.name {hub.name!r} is already an option's name; give each hub "
                    "its own name"
                )
            taken.add(hub.name)
        return self

    def ranged_paths(self) -> list[str]:
        """Dotted paths of every field given as a range."""
        found: list[str] = []

        def walk(obj, prefix):
            if isinstance(obj, Range):
                found.append(prefix)
            elif isinstance(obj, BaseModel):
                for name in type(obj).model_fields:
                    walk(getattr(obj, name), f"{prefix}.{name}" if prefix else name)
            elif isinstance(obj, tuple):
                for i, item in enumerate(obj):
                    walk(item, f"{prefix}.{i}")

        walk(self, "")
        return found


def _to_yaml(self: Scenario, header: str | None = None) -> str:
    """The scenario as YAML that loads back to an equal Scenario.

    Only fields that differ from the schema defaults are written; ``extends`` is already
    merged in, so the output stands alone.
    """
    from .yaml_io import dump

    data = self.model_dump(mode="json", exclude_defaults=True)
    data.pop("extends", None)
    if self.options:
        data["options"] = {n: option_differences(self.cloud, o) for n, o in self.options.items()}
    ordered = {"edgecalc": 1, **{k: v for k, v in data.items() if k != "edgecalc"}}
    text = dump(ordered)
    return (header.rstrip("\n") + "\n" + text) if header else text


Scenario.to_yaml = _to_yaml  # type: ignore[attr-defined]

"""The catalog's record types: regions, instances, devices, transfer prices, probe endpoints."""

from __future__ import annotations

from dataclasses import dataclass, field

from .facts import Fact

BENCHMARKS = ("resnet50", "retinanet", "bert99", "gptj99", "unet3d")
"""MLPerf Inference benchmarks the catalog carries figures for."""


@dataclass(frozen=True)
class Region:
    """A cloud region with an approximate location (city or state level, never a data centre)."""

    code: str
    """Provider's region code, e.g. ``eu-central-1``."""
    provider: str
    """``aws``, ``gcp`` or ``azure``."""
    name: str
    """Display name (GCP: the city gcping names)."""
    city: str | None = None
    country: str | None = None
    """ISO 3166-1 alpha-2 code."""
    zone: str | None = None
    """Data-residency zone of the country, e.g. ``EEA``, ``US``, ``UK``, ``CH``."""
    lat: Fact | None = None
    """Latitude [degrees]; None where no source gives one."""
    lon: Fact | None = None
    """Longitude [degrees]; None where no source gives one."""
    note: str | None = None
    """Caveats, including coordinate warnings."""
    access_restricted: bool = False
    """Azure: region open only to selected customers."""
    coming_soon: bool = False
    """Azure: announced, not yet available."""

    @property
    def key(self) -> str:
        """``provider/code``, e.g. ``aws/eu-central-1``."""
        return f"{self.provider}/{self.code}"


@dataclass(frozen=True)
class Performance:
    """Measured performance of one benchmark (MLPerf Inference, closed division)."""

    benchmark: str
    """One of `BENCHMARKS`."""
    inferences_per_second: Fact | None = None
    """Offline samples/s: throughput with all queries available at once (an upper bound) [1/s]."""
    latency_ms: Fact | None = None
    """SingleStream early-stopping 90th percentile estimate of one inference [ms]."""


@dataclass(frozen=True)
class Instance:
    """An on-demand cloud instance type with its price in the provider's reference region."""

    key: str
    """``provider/type``, e.g. ``aws/g6.xlarge``."""
    provider: str
    type: str
    usd_per_hour: Fact
    """On-demand Linux price in ``reference_region`` [USD/h]."""
    reference_region: str
    """Region code the price is for, e.g. ``us-east-1``."""
    vcpu: int | None = None
    ram_gib: float | None = None
    """Memory [GiB]."""
    accelerator: str | None = None
    """Accelerator model, e.g. ``NVIDIA L4``; None for CPU-only types."""
    accelerator_memory_gb: Fact | None = None
    """Accelerator memory, nominal [GB]."""
    performance: dict[str, Performance] = field(default_factory=dict)
    """MLPerf figures of the accelerator by benchmark (L4 and T4 only)."""
    note: str | None = None
    accelerator_memory_mib_reported: Fact | None = None
    """Accelerator memory as the provider's API reports it (less than nominal) [MiB]."""
    extra_facts: dict[str, Fact] = field(default_factory=dict)
    """Other facts: spot price, GPU share of the price, prices in other regions."""


@dataclass(frozen=True)
class Device:
    """An edge device in one hardware configuration (power and throughput from the same one)."""

    key: str
    """e.g. ``jetson-agx-orin-64gb``."""
    name: str
    price_usd: Fact | None = None
    """Purchase price [USD]; None where no source gives one (the user must supply it)."""
    memory_gb: Fact | None = None
    """Memory available to the model [GB]."""
    power_w: Fact | None = None
    """Electrical power under load [W]: measured wall power where MLPerf measured it, else a
    rated maximum (see the fact's note)."""
    performance: dict[str, Performance] = field(default_factory=dict)
    note: str | None = None
    configuration: str | None = None
    """Which configuration the figures come from, e.g. ``MaxQ (MLPerf v3.1 Orin_TRT_MaxQ)``."""
    extra_facts: dict[str, Fact] = field(default_factory=dict)
    """Other facts: TOPS, minimum power, host memory, ..."""


@dataclass(frozen=True)
class Transfer:
    """Data transfer prices of one provider."""

    provider: str
    ingress_usd_per_gb: Fact
    """Internet to cloud [USD/GB]."""
    egress_tiers: tuple[tuple[float, Fact], ...]
    """Internet egress tiers: (cumulative monthly GB where the tier ends, ``inf`` for the last;
    price [USD/GB])."""
    egress_free_gb_per_month: Fact | None = None
    """Egress free each month, taken off the volume before the tiers [GB/month]."""
    reference_region: str | None = None
    note: str | None = None
    extra_facts: dict[str, Fact] = field(default_factory=dict)
    """Inter-region, inter-AZ, NAT gateway and other prices."""


@dataclass(frozen=True)
class ProbeEndpoint:
    """An endpoint whose round trip approximates the network RTT to a region."""

    provider: str
    region: str
    """Region code."""
    url: str
    method: str
    """How to measure with it (e.g. GCP: warm keep-alive HTTP, discard the first sample)."""
    source: str
    as_of: str
    note: str | None = None

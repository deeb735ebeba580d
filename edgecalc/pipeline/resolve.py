"""The boundary between the scenario and the numbers: resolve every input to a value.

A scenario names catalog items (a region, an instance, a device) and may override any of
their figures. :func:`resolve` looks each figure up once, in this order: the scenario (or an
override) > the catalog > the schema default, and records where each came from
(:class:`Assumption`). :func:`point_inputs` then turns the values into numpy arrays with a
leading sample axis of length 1; Monte Carlo fills the same mapping with samples.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from ..catalog import Catalog, Fact, load_catalog
from ..catalog.cloud_prices import resolve_cloud_pricing
from ..catalog.records import Device, Instance
from ..errors import EdgecalcError
from ..format import ms as _ms
from ..scenario.fleet import CustomDevice, CustomInstance
from ..scenario.models import RttEstimated, RttGiven, RttMeasured, Scenario
from ..scenario.ranges import Range, median
from .options import STANDARD_OPTIONS, OptionSpec, standard_options
from .site_links import resolve_site_links

Z95 = 1.6448536269514722
"""Standard normal quantile at 95%: a 90% interval spans ±1.645 σ."""
Z90 = 1.2815515655446004
"""Standard normal quantile at 90%."""


@dataclass(frozen=True)
class Assumption:
    """Where one effective input came from."""

    path: str
    """Dotted path, e.g. ``edge.device_usd``."""
    value: float | Range
    origin: str
    """``scenario``, ``override``, ``catalog``, ``default`` (schema), ``measurement`` or
    ``estimate``."""
    fact: Fact | None = None
    note: str = ""


@dataclass(frozen=True)
class SiteGroup:
    """One named site (or group of identical sites) and the input paths that describe it."""

    name: str
    count: str
    inferences_per_second: str
    uplink_mbps: str
    downlink_mbps: str
    wan_availability: str
    rtt_ms: str
    country: str | None
    zone: str | None
    distance_km: float | None
    link: object | None = None
    """The group's WAN link (:class:`edgecalc.pipeline.site_links.GroupLink`); None = a link
    that costs nothing per GB, with ``wan_availability``."""


@dataclass
class Resolved:
    """A scenario with every input resolved and every source recorded."""

    scenario: Scenario
    catalog: Catalog
    values: dict[str, float | Range]
    assumptions: dict[str, Assumption]
    groups: list[SiteGroup]
    region: object
    instance: object | None
    device: object
    hybrid_device: object | None
    egress_tiers: tuple[tuple[float, float], ...] | None
    """Tiered egress prices from the catalog, or None when the scenario sets a flat
    ``cloud.egress_usd_per_gb``."""
    rtt_method: str
    payload_measured: bool
    warnings: list[str] = field(default_factory=list)
    base_dir: Path | None = None
    device_selection: dict | None = None
    """With ``edge.device: auto``: the device chosen, why, and why each other one lost
    (:func:`edgecalc.pipeline.devices.select_device`); None when the scenario names one."""
    options: tuple[OptionSpec, ...] = STANDARD_OPTIONS
    """The options compared, in report order: cloud, edge and (with a ``hybrid:`` section)
    hybrid, then the scenario's extra ``options:``."""
    variants: dict[str, Resolved] = field(default_factory=dict)
    """Each extra cloud option resolved as if it were the ``cloud:`` section, by name."""
    hub_devices: list = field(default_factory=list)
    """Per entry of ``hubs``, the catalog device its figures come from, or None."""

    def facts_used(self) -> list[Fact]:
        """Catalog facts behind the effective inputs, one per key."""
        seen: dict[str, Fact] = {}
        for a in self.assumptions.values():
            if a.fact is not None:
                seen.setdefault(a.fact.key, a.fact)
        return list(seen.values())


_SKIPPED_LEAVES = (bool, type(None), str)
"""Types of field values that are not numeric inputs (checked by exact type first: a scenario
has hundreds of fields, most of them floats)."""

_NUMBERS = (float, int, Range)

_PLAIN_NUMBERS = (float, int)
"""A value of exactly these types is its own point value (``median`` of it is ``float`` of
it, which ``np.array(..., dtype=float)`` does)."""


def _numeric_leaves(model: BaseModel, prefix: str, out: dict, origin_of):
    fields_set = model.model_fields_set
    for name in type(model).model_fields:
        value = getattr(model, name)
        kind = type(value)
        if kind in _SKIPPED_LEAVES:
            continue
        path = f"{prefix}.{name}" if prefix else name
        if kind in _NUMBERS:
            out[path] = (value, "scenario" if name in fields_set else "default")
        elif isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        elif isinstance(value, Range) or isinstance(value, (int, float)):
            out[path] = (value, "scenario" if name in fields_set else "default")
        elif isinstance(value, BaseModel):
            _numeric_leaves(value, path, out, origin_of)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _numeric_leaves(item, f"{path}.{i}", out, origin_of)


_new_object = object.__new__
_ASSUMPTION_FIELDS = tuple(f.name for f in dataclasses.fields(Assumption))
assert _ASSUMPTION_FIELDS == ("path", "value", "origin", "fact", "note")


def _make_assumption(
    path: str, value, origin: str, fact: Fact | None = None, note: str = ""
) -> Assumption:
    """``Assumption(path, value, origin, fact, note)``, the same frozen record, made in half
    the time: its fields written straight into its ``__dict__`` (the frozen ``__init__`` goes
    through ``object.__setattr__`` once per field), for the hundreds of fields a scenario has."""
    a = _new_object(Assumption)
    fields = a.__dict__
    fields["path"], fields["value"], fields["origin"] = path, value, origin
    fields["fact"], fields["note"] = fact, note
    return a


def resolve(
    scenario: Scenario,
    catalog: Catalog | None = None,
    base_dir: str | Path | None = None,
    overrides: dict | None = None,
    device_selection: dict | None = None,
) -> Resolved:
    """Resolve every input of a scenario to a number (or range) with its origin.

    Parameters
    ----------
    device_selection : dict, optional
        With ``edge.device: auto``, the choice made before resolving
        (:func:`edgecalc.pipeline.devices.select_device`, called by
        :func:`edgecalc.pipeline.compute.prepare`).

    Raises
    ------
    EdgecalcError
        When the scenario names an unknown catalog item, or a figure is neither in the
        scenario nor in the catalog (the message names the field to set), or says
        ``edge.device: auto`` and no device was chosen for it.
    """
    catalog = catalog or load_catalog()
    overrides = overrides or {}
    leaves: dict[str, tuple] = {}
    _numeric_leaves(scenario, "", leaves, None)
    values: dict[str, float | Range] = {}
    assumptions: dict[str, Assumption] = {}
    for path, (value, origin) in leaves.items():
        if overrides and any(path == k or path.startswith(k + ".") for k in overrides):
            origin = "override"
        values[path] = value
        assumptions[path] = _make_assumption(path, value, origin)
    warnings: list[str] = []

    def take(path: str, fact: Fact | None, what: str, required: bool = True):
        """Use the scenario's value when set, else the catalog fact."""
        if path in values:
            return
        if fact is None:
            if required:
                raise EdgecalcError(
                    f"{path} is required: the catalog has no sourced figure for {what}; "
                    f"set {path} in the scenario (and say where the number comes from)"
                )
            return
        values[path] = float(fact.value)
        assumptions[path] = Assumption(path, float(fact.value), "catalog", fact)

    s = scenario
    _precision_figures(s, values, assumptions)
    region = _lookup(catalog.region, s.cloud.region, "cloud.region")
    provider = region.provider
    bench = s.model.benchmark
    instance = _cloud_compute(s, catalog, region, values, assumptions, take, warnings)
    resolve_cloud_pricing(s.cloud, catalog, instance, values, take)

    tiers = _transfer_figures(s, catalog, provider, values, assumptions, take)
    values.setdefault("cloud.storage_usd_per_gb_month", 0.0)
    values.setdefault("cloud.usd_per_1k_requests", 0.0)

    device = _edge_device(s, catalog, device_selection, values, assumptions, warnings)
    _device_inputs("edge", device, bench, values, take)
    _idle_power("edge.idle_power_w", "edge.power_w", values, assumptions)
    take("edge.annual_failure_rate", catalog.fact("operations.annual_failure_rate"), "AFR")
    take("edge.truck_roll_usd", catalog.fact("operations.truck_roll_usd"), "a truck roll")
    take(
        "edge.electricity_usd_per_kwh",
        catalog.fact("operations.electricity_usd_per_kwh"),
        "electricity",
    )
    take(
        "edge.fleet_software_usd_per_device_month",
        catalog.fact("operations.fleet_software_usd_per_device_month"),
        "fleet software",
    )
    take(
        "cloud.engineer_usd_per_year",
        catalog.fact("operations.engineer_loaded_usd_per_year"),
        "an engineer",
    )
    take(
        "edge.engineer_usd_per_year",
        catalog.fact("operations.engineer_loaded_usd_per_year"),
        "an engineer",
    )
    take(
        "model.runtime_overhead_fraction",
        catalog.fact("models.runtime_overhead_fraction"),
        "runtime overhead",
    )
    precision = s.model.precision
    take(
        "model.bytes_per_parameter",
        catalog.fact(f"models.bytes_per_parameter.{precision}"),
        f"bytes per parameter at {precision}",
    )

    hybrid_device = None
    if s.hybrid is not None:
        esc_bytes = "hybrid.escalation_bytes"
        if esc_bytes not in values:
            values[esc_bytes] = values["workload.request_bytes"]
            assumptions[esc_bytes] = Assumption(
                esc_bytes, values[esc_bytes], "default", note="the workload's request_bytes"
            )
        if isinstance(s.hybrid.device, CustomDevice):
            hybrid_device = _custom_device("hybrid", s.hybrid.device, values, assumptions)
            _device_inputs("hybrid", hybrid_device, bench, values, take)
            _idle_power("hybrid.idle_power_w", "hybrid.power_w", values, assumptions)
        elif s.hybrid.device is not None:
            hybrid_device = _lookup(catalog.device, s.hybrid.device, "hybrid.device")
            _device_inputs("hybrid", hybrid_device, bench, values, take)
            _idle_power("hybrid.idle_power_w", "hybrid.power_w", values, assumptions)
        else:  # the edge's device: its figures, and where they came from
            for name in (*DEVICE_FIELDS, "idle_power_w"):
                if f"hybrid.{name}" not in values:
                    values[f"hybrid.{name}"] = values[f"edge.{name}"]
                    _same_as_edge(f"hybrid.{name}", f"edge.{name}", values, assumptions)
        _hybrid_model_memory(s, catalog, values, assumptions, take)
    _scale_speed_by_bytes(s, catalog, values, assumptions)

    hub_devices = [
        _hub_inputs(i, hub, catalog, bench, values, take, assumptions)
        for i, hub in enumerate(s.hubs)
    ]
    groups = resolve_site_links(
        s,
        _site_groups(s, catalog, region, values, assumptions),
        values,
        assumptions,
        _make_assumption,
    )
    rtt_method, payload_measured = _rtt_with_site_values(
        s, region, groups, values, assumptions, warnings, base_dir
    )
    for path in values:
        if path not in assumptions:
            assumptions[path] = Assumption(path, values[path], "default")
    resolved = Resolved(
        scenario=s,
        catalog=catalog,
        values=values,
        assumptions=assumptions,
        groups=groups,
        region=region,
        instance=instance,
        device=device,
        hybrid_device=hybrid_device,
        egress_tiers=tiers,
        rtt_method=rtt_method,
        payload_measured=payload_measured,
        warnings=warnings,
        base_dir=Path(base_dir) if base_dir else None,
        device_selection=device_selection,
        options=(
            *standard_options(has_hybrid=s.hybrid is not None),
            *(OptionSpec(hub.name, "hub", f"hubs.{i}") for i, hub in enumerate(s.hubs)),
        ),
        hub_devices=hub_devices,
    )
    return _with_cloud_options(resolved, base_dir, overrides)


def _rtt_with_site_values(s, region, groups, values, assumptions, warnings, base_dir):
    """The RTT of every site group: a site's own ``rtt_ms`` where it gives one, the scenario's
    method (measured, given or estimated) for the rest; returns the method in words and whether
    the payload round trip was measured."""
    site_rtt = {
        g.rtt_ms: (values[g.rtt_ms], assumptions[g.rtt_ms]) for g in groups if g.rtt_ms in values
    }
    estimated = [g for g in groups if g.rtt_ms not in site_rtt] or groups
    rtt_method, payload_measured = _rtt(
        s, region, estimated, values, assumptions, warnings, base_dir
    )
    for path, (value, assumption) in site_rtt.items():  # a site's own RTT wins
        values[path], assumptions[path] = value, assumption
    if site_rtt:
        rtt_method += f"; {len(site_rtt)} site group(s) give their own RTT (sites rtt_ms)"
    return rtt_method, payload_measured


def _cloud_compute(s, catalog, region, values, assumptions, take, warnings):
    """The cloud's price, throughput, inference time and memory for its pricing model; the
    catalog instance when priced by instance (else None)."""
    instance = None
    bench = s.model.benchmark
    if s.cloud.pricing == "instances":
        if s.cloud.instance is None:
            raise EdgecalcError("cloud.instance is required when cloud.pricing is instances")
        if isinstance(s.cloud.instance, CustomInstance):
            instance = _custom_instance(s.cloud.instance, values, assumptions)
        else:
            instance = _lookup(catalog.instance, s.cloud.instance, "cloud.instance")
        take("cloud.usd_per_hour", instance.usd_per_hour, f"the price of {instance.key}")
        perf = instance.performance.get(bench) if bench else None
        what = (
            f"{instance.key} running {bench}"
            if bench
            else f"{instance.key} (set model.benchmark to use MLPerf figures)"
        )
        take(
            "cloud.inferences_per_second_per_instance",
            perf.inferences_per_second if perf else None,
            f"the throughput of {what}",
        )
        take(
            "cloud.inference_ms", perf.latency_ms if perf else None, f"the inference time of {what}"
        )
        _instance_memory(instance, values, assumptions)
        catalog_price = assumptions["cloud.usd_per_hour"].origin == "catalog"
        if (
            catalog_price
            and instance.reference_region
            and (instance.reference_region != region.code)
        ):
            warnings.append(
                f"instance price is the catalog's {instance.reference_region} on-demand price; "
                f"{region.code} may differ (set cloud.usd_per_hour)"
            )
    elif s.cloud.pricing == "per_request":
        if "cloud.usd_per_1k_requests" not in values:
            raise EdgecalcError(
                "cloud.usd_per_1k_requests is required when cloud.pricing is "
                "per_request (the catalog has no per-request inference price)"
            )
        if "cloud.inference_ms" not in values:
            raise EdgecalcError("cloud.inference_ms is required when cloud.pricing is per_request")
        values.setdefault("cloud.inferences_per_second_per_instance", 1.0)
        values.setdefault("cloud.memory_gb", float("inf"))
    else:
        _priced_per_use(s.cloud.pricing, values)
    return instance


def _transfer_figures(s, catalog, provider, values, assumptions, take):
    """Ingress, egress (a flat price, or the catalog's tiers, returned) and storage prices."""
    transfer = catalog.transfer(provider)
    take("cloud.ingress_usd_per_gb", transfer.ingress_usd_per_gb, f"{provider} ingress")
    if "cloud.egress_usd_per_gb" in values:
        tiers = None  # a flat price: the engine reads cloud.egress_usd_per_gb per sample
    else:
        tiers = tuple((up, float(f.value)) for up, f in transfer.egress_tiers)
        for i, (_, f) in enumerate(transfer.egress_tiers):
            assumptions[f"cloud.egress_tier_{i}_usd_per_gb"] = Assumption(
                f"cloud.egress_tier_{i}_usd_per_gb", float(f.value), "catalog", f
            )
    take(
        "cloud.egress_free_gb_per_month",
        transfer.egress_free_gb_per_month,
        f"{provider} egress free tier",
        required=False,
    )
    values.setdefault("cloud.egress_free_gb_per_month", 0.0)
    if median(values["cloud.retained_raw_fraction"]) > 0 and (
        "cloud.storage_usd_per_gb_month" not in values
    ):
        raise EdgecalcError(
            "cloud.storage_usd_per_gb_month is required when "
            "cloud.retained_raw_fraction > 0 (no storage price in the catalog)"
        )
    return tiers


def _edge_device(s, catalog, device_selection, values, assumptions, warnings):
    """The edge device: custom inline, chosen before resolving (``auto``), or from the catalog."""
    device_key = s.edge.device
    if isinstance(device_key, CustomDevice):
        device = _custom_device("edge", device_key, values, assumptions)
    elif device_key == AUTO:
        if device_selection is None:
            raise EdgecalcError(
                "edge.device: auto needs a device chosen before resolving "
                "(edgecalc.pipeline.compute.prepare does both)"
            )
        device_key = device_selection["chosen"]
        _auto_device_values(s, device_key, values, assumptions, warnings)
    else:
        _figure_values(s, device_key, values, assumptions)
    if not isinstance(device_key, CustomDevice):
        device = _lookup(catalog.device, device_key, "edge.device")
    return device


def _with_cloud_options(resolved: Resolved, base_dir, overrides) -> Resolved:
    """Add each extra cloud option (``options:``): resolved as the cloud section it is, its
    ``cloud.*`` inputs stored under its own name (``cloud_3yr.usd_per_hour``)."""
    s = resolved.scenario
    for name, option in s.options.items():
        if option.region != s.cloud.region:
            raise EdgecalcError(
                f"options.{name}.region: {option.region} differs from cloud.region "
                f"{s.cloud.region}; an extra cloud option prices the same region another way"
            )
        variant = resolve(
            s.model_copy(update={"cloud": option, "options": {}}),
            resolved.catalog,
            base_dir,
            {k: v for k, v in overrides.items() if not k.startswith("options.")},
        )
        for path, value in variant.values.items():
            if path.startswith("cloud."):
                new = f"{name}.{path[len('cloud.') :]}"
                resolved.values[new] = value
                a = variant.assumptions[path]
                resolved.assumptions[new] = Assumption(new, a.value, a.origin, a.fact, a.note)
        resolved.warnings.extend(w for w in variant.warnings if w not in resolved.warnings)
        resolved.variants[name] = variant
        resolved.options = (*resolved.options, OptionSpec(name, "cloud", name))
    return resolved


AUTO = "auto"
"""``edge.device: auto`` picks the cheapest feasible catalog device."""

DEVICE_FIELDS = (
    "device_usd",
    "inferences_per_second_per_device",
    "inference_ms",
    "memory_gb",
    "power_w",
)
"""Fields of ``edge`` that describe one device (and of ``edge.device_figures``)."""


def _figure_values(s, key, values, assumptions) -> None:
    """``edge.device_figures[key]`` fills the device figures the scenario leaves unset."""
    figures = s.edge.device_figures.get(key)
    if figures is None:
        return
    for name in DEVICE_FIELDS:
        value = getattr(figures, name)
        path = f"edge.{name}"
        if value is not None and path not in values:
            values[path] = value
            assumptions[path] = Assumption(
                path, value, "scenario", note=f"edge.device_figures.{key}.{name}"
            )


def _auto_device_values(s, key, values, assumptions, warnings) -> None:
    """With ``device: auto`` the figures of ``edge`` name no device: use the chosen one's."""
    ignored = [f"edge.{n}" for n in DEVICE_FIELDS if getattr(s.edge, n) is not None]
    for path in ignored:
        values.pop(path, None)
        assumptions.pop(path, None)
    if ignored:
        warnings.append(
            f"{', '.join(ignored)} ignored with edge.device: auto (they describe one device); "
            "give figures per device in edge.device_figures"
        )
    _figure_values(s, key, values, assumptions)


_SPEED_FIELDS = {
    "cloud": ("inferences_per_second_per_instance", "inference_ms"),
    "edge": ("inferences_per_second_per_device", "inference_ms"),
    "hybrid": ("inferences_per_second_per_device", "inference_ms"),
}
"""Per option prefix, the figures a precision changes: throughput, then latency."""

_PER_PRECISION = "figures_by_precision"


def _precision_figures(s, values, assumptions) -> None:
    """``edge.figures_by_precision[precision]`` and ``cloud.figures_by_precision[precision]``
    fill the speed figures the scenario leaves unset (before the catalog is asked)."""
    precision = s.model.precision
    for prefix, section in (("cloud", s.cloud), ("edge", s.edge)):
        speed = section.figures_by_precision.get(precision)
        if speed is None:
            continue
        for name in _SPEED_FIELDS[prefix]:
            value = getattr(speed, name)
            path = f"{prefix}.{name}"
            if value is not None and path not in values:
                values[path] = value
                note = f"{prefix}.{_PER_PRECISION}.{precision}.{name}"
                assumptions[path] = Assumption(path, value, "scenario", note=note)


def _scale_speed_by_bytes(s, catalog, values, assumptions) -> None:
    """With ``model.speed_measured_at``, scale every speed figure not given at the deployed
    precision by bytes per parameter, measured / deployed (a memory-bound LLM decode)."""
    from ..scenario.precision import bytes_read_speedup, scale_figure

    measured = s.model.speed_measured_at
    deployed = s.model.precision
    if measured is None or measured == deployed:
        return
    speedup = bytes_read_speedup(
        float(catalog.fact(f"models.bytes_per_parameter.{measured}").value),
        float(catalog.fact(f"models.bytes_per_parameter.{deployed}").value),
    )
    for prefix, (throughput, latency) in _SPEED_FIELDS.items():
        for name, factor in ((throughput, speedup), (latency, 1 / speedup)):
            path = f"{prefix}.{name}"
            old = assumptions.get(path)
            if path not in values or (old is not None and _PER_PRECISION in old.note):
                continue
            values[path] = scale_figure(values[path], factor)
            note = (
                f"measured at {measured}, scaled x{factor:.3g} to {deployed} by bytes per "
                "parameter (memory-bound decode)"
            )
            origin = old.origin if old is not None else "default"
            fact = old.fact if old is not None else None
            assumptions[path] = Assumption(path, values[path], origin, fact, note)


def _idle_power(path: str, power_path: str, values, assumptions) -> None:
    """Idle power defaults to the power under load: a device that never idles down."""
    if path not in values:
        values[path] = values[power_path]
        assumptions[path] = Assumption(
            path, values[path], "default", note=f"{power_path} (no idle figure given)"
        )


def _inline_figures(inline_prefix, prefix, names, values, assumptions) -> None:
    """Move the figures of hardware written inline (``edge.device.power_w``) to the inputs the
    engine reads (``edge.power_w``); a figure set directly under ``prefix`` wins."""
    for name in names:
        inline = f"{inline_prefix}.{name}"
        value = values.pop(inline)
        origin = assumptions.pop(inline).origin
        path = f"{prefix}.{name}"
        if path not in values:
            values[path] = value
            assumptions[path] = Assumption(path, value, origin, note=f"{inline} (written inline)")


def _custom_device(prefix: str, custom: CustomDevice, values, assumptions) -> Device:
    """A device written inline: its figures become ``{prefix}.<field>`` inputs (a figure set
    directly under ``{prefix}`` still wins), and a catalog-like record carries its name."""
    _inline_figures(f"{prefix}.device", prefix, DEVICE_FIELDS, values, assumptions)
    values.pop(f"{prefix}.device.accelerators", None)
    assumptions.pop(f"{prefix}.device.accelerators", None)
    return Device(key=custom.name, name=custom.name, note="written inline in the scenario")


INSTANCE_FIELDS = (
    "usd_per_hour",
    "inferences_per_second_per_instance",
    "inference_ms",
    "memory_gb",
)
"""Fields of ``cloud`` that describe one instance (and of an inline ``cloud.instance``)."""


def _custom_instance(custom: CustomInstance, values, assumptions) -> Instance:
    """An instance written inline: its figures become ``cloud.<field>`` inputs."""
    _inline_figures("cloud.instance", "cloud", INSTANCE_FIELDS, values, assumptions)
    price = Fact(
        f"cloud.instance.{custom.name}.usd_per_hour",
        float(median(values["cloud.usd_per_hour"])),
        "USD/h",
        "the scenario (inline instance)",
        "undated",
    )
    return Instance(
        key=custom.name,
        provider="custom",
        type=custom.name,
        usd_per_hour=price,
        reference_region="",
        note="written inline in the scenario",
    )


def _instance_memory(instance, values, assumptions) -> None:
    """Memory for the model on a cloud instance: the scenario's, else the accelerator's
    nominal memory, else the instance RAM (GiB -> GB) for a CPU-only instance; unknown (no
    fit check) otherwise."""
    path = "cloud.memory_gb"
    if path in values:
        return
    if instance.accelerator_memory_gb is not None:
        fact = instance.accelerator_memory_gb
        values[path] = float(fact.value)
        assumptions[path] = Assumption(path, float(fact.value), "catalog", fact)
    elif instance.accelerator is None and instance.ram_gib is not None:
        ram = instance.ram_gib
        gib = float(getattr(ram, "value", ram))
        values[path] = gib * 1.073741824
        assumptions[path] = Assumption(
            path,
            values[path],
            "catalog",
            ram if hasattr(ram, "source") else None,
            note=f"instance RAM {gib:g} GiB (CPU-only instance)",
        )
    else:
        values[path] = float("inf")
        assumptions[path] = Assumption(
            path, float("inf"), "default", note="no memory figure for this instance: not checked"
        )


def _priced_per_use(pricing: str, values: dict) -> None:
    """A serverless function or hosted API: no instances to size; its time is an input."""
    if "cloud.inference_ms" not in values:
        raise EdgecalcError(
            f"cloud.inference_ms is required when cloud.pricing is {pricing} (the time until "
            "the whole response is back, at the latency percentile)"
        )
    values.setdefault("cloud.inferences_per_second_per_instance", 1.0)
    values.setdefault("cloud.memory_gb", float("inf"))


def _lookup(fn, key, path):
    try:
        return fn(key)
    except KeyError as exc:
        message = exc.args[0] if exc.args else str(exc)
        raise EdgecalcError(f"{path}: {message}") from None


def _device_inputs(prefix, device, bench, values, take):
    perf = device.performance.get(bench) if bench else None
    what = (
        f"{device.key} running {bench}"
        if bench
        else (f"{device.key} (set model.benchmark to use MLPerf figures)")
    )
    take(f"{prefix}.device_usd", device.price_usd, f"the price of {device.key}")
    take(
        f"{prefix}.inferences_per_second_per_device",
        perf.inferences_per_second if perf else None,
        f"the throughput of {what}",
    )
    take(
        f"{prefix}.inference_ms", perf.latency_ms if perf else None, f"the inference time of {what}"
    )
    take(f"{prefix}.memory_gb", device.memory_gb, f"the memory of {device.key}")
    take(f"{prefix}.power_w", device.power_w, f"the power draw of {device.key}")


HUB_DEVICE_FIELDS = {
    "server_usd": "price_usd",
    "memory_gb": "memory_gb",
    "power_w": "power_w",
}
"""Hub field -> catalog device attribute, for ``hubs[i].device``."""


def _hub_inputs(i, hub, catalog, bench, values, take, assumptions):
    """The server figures of ``hubs[i]``: the scenario's, else its catalog device's.

    An owned hub needs a server price and power; a managed one a price per server-hour.
    Memory unknown means no fit check (a managed zone's instance type says its memory).
    """
    p = f"hubs.{i}"
    device = None
    if hub.device is not None:
        device = _lookup(catalog.device, hub.device, f"{p}.device")
        perf = device.performance.get(bench) if bench else None
        what = f"{device.key} running {bench}" if bench else device.key
        take(
            f"{p}.inferences_per_second_per_server",
            perf.inferences_per_second if perf else None,
            f"the throughput of {what}",
        )
        take(
            f"{p}.inference_ms", perf.latency_ms if perf else None, f"the inference time of {what}"
        )
        for name, attr in HUB_DEVICE_FIELDS.items():
            needed = (name != "memory_gb") and (hub.pricing == "owned" or name != "server_usd")
            needed = needed and not (hub.pricing == "managed" and name == "power_w")
            take(f"{p}.{name}", getattr(device, attr), f"the {name} of {device.key}", needed)
    for name in ("inferences_per_second_per_server", "inference_ms"):
        if f"{p}.{name}" not in values:
            raise EdgecalcError(
                f"{p}.{name} is required: set it, or hubs.{i}.device to a catalog device "
                "with an MLPerf figure for model.benchmark"
            )
    price = "server_usd" if hub.pricing == "owned" else "usd_per_hour"
    if f"{p}.{price}" not in values:
        raise EdgecalcError(
            f"{p}.{price} is required for a {hub.pricing} hub (the catalog has no sourced "
            "price for it); set it in the scenario and say where the number comes from"
        )
    if hub.pricing == "owned" and f"{p}.power_w" not in values:
        raise EdgecalcError(f"{p}.power_w is required for an owned hub: the server's power draw")
    values.setdefault(f"{p}.server_usd", 0.0)
    values.setdefault(f"{p}.usd_per_hour", 0.0)
    values.setdefault(f"{p}.power_w", 0.0)
    values.setdefault(f"{p}.memory_gb", float("inf"))
    if hub.zone is not None:
        take(
            f"{p}.link_rtt_ms",
            catalog.fact(f"managed_zones.{hub.zone}.rtt_ms"),
            f"the round trip to {hub.zone}",
        )
    if f"{p}.link_rtt_ms" not in values:
        values[f"{p}.link_rtt_ms"] = LAN_RTT_MS
        assumptions[f"{p}.link_rtt_ms"] = Assumption(
            f"{p}.link_rtt_ms", LAN_RTT_MS, "default", note="a LAN round trip (no zone given)"
        )
    _hub_fleet_defaults(p, values, assumptions)
    return device


LAN_RTT_MS = 1.0
"""A hub's link round trip when neither the scenario nor its zone gives one: a LAN [ms]."""

HUB_FIGURES_FROM_EDGE = ("annual_failure_rate", "truck_roll_usd")
"""Hub figures that default to the edge's (a server's failure rate and the visit to it)."""


def _hub_fleet_defaults(p: str, values, assumptions) -> None:
    """A hub's idle power defaults to its power under load; its failure rate and the visit to
    a failed server to the edge's, with the edge figure's origin and catalog fact (a
    ``catalog`` rate stays ``catalog``, with its source and date; one the scenario wrote stays
    ``scenario``), not ``default``."""
    _idle_power(f"{p}.idle_power_w", f"{p}.power_w", values, assumptions)
    for name in HUB_FIGURES_FROM_EDGE:
        path = f"{p}.{name}"
        if path not in values:
            edge = assumptions.get(f"edge.{name}")
            values[path] = values[f"edge.{name}"]
            assumptions[path] = Assumption(
                path,
                values[path],
                edge.origin if edge is not None else "default",
                edge.fact if edge is not None else None,
                note=f"edge.{name} (the edge's figure)",
            )


SITE_CACHE_ENTRIES = 32_768
"""Site-to-region distances and access round trips kept between resolves [entries]: enough for
a portfolio of 10,000 site groups and its edits (each entry a few floats)."""

RTT_CACHE_ENTRIES = 32
"""Per-country RTT estimates kept between resolves [entries]; each holds a range, a figure and
a sentence per site group of one country (about 1.2 kB per group)."""

RTT_CACHE_MAX_GROUPS = 1_000
"""Countries with more site groups than this are estimated afresh each time, not kept: at most
``RTT_CACHE_ENTRIES x 1,000 x 1.2 kB``, about 40 MB, stays in the cache [site groups]."""


@functools.lru_cache(maxsize=SITE_CACHE_ENTRIES)
def _distance_km(lat: float, lon: float, region_lat: float, region_lon: float) -> float:
    """:func:`~edgecalc.latency.geo.great_circle_km` of one site and the region, kept: a pure
    function of the four coordinates, so a portfolio's sites cost it once per process, not once
    per resolve."""
    from ..latency.geo import great_circle_km

    return float(great_circle_km(lat, lon, region_lat, region_lon))


def _site_groups(s, catalog, region, values, assumptions) -> list[SiteGroup]:
    sites = s.sites
    region_lat = region.lat.value if region.lat is not None else None
    region_lon = region.lon.value if region.lon is not None else None

    def distance(location):
        if location is None or region_lat is None:
            return None
        return _distance_km(location.lat, location.lon, region_lat, region_lon)

    def zone(country):
        return catalog.zone_of(country) if country else None

    if sites.list is None:
        loc = sites.location
        downlink = "sites.downlink_mbps" if sites.downlink_mbps is not None else "sites.uplink_mbps"
        return [
            SiteGroup(
                name="each site",
                count="sites.count",
                inferences_per_second="workload.inferences_per_second",
                uplink_mbps="sites.uplink_mbps",
                downlink_mbps=downlink,
                wan_availability="sites.wan_availability",
                rtt_ms="sites.rtt_ms",
                country=loc.country if loc else None,
                zone=zone(loc.country) if loc else None,
                distance_km=distance(loc),
            )
        ]
    groups = []
    for i, site in enumerate(sites.list):
        p = f"sites.list.{i}"

        def pick(name, default, site=site, p=p):
            return f"{p}.{name}" if getattr(site, name) is not None else default

        loc = site.location or sites.location
        down_default = (
            "sites.downlink_mbps"
            if sites.downlink_mbps is not None
            else pick("uplink_mbps", "sites.uplink_mbps")
        )
        groups.append(
            SiteGroup(
                name=site.name,
                count=f"{p}.count",
                inferences_per_second=pick(
                    "inferences_per_second", "workload.inferences_per_second"
                ),
                uplink_mbps=pick("uplink_mbps", "sites.uplink_mbps"),
                downlink_mbps=pick("downlink_mbps", down_default),
                wan_availability=pick("wan_availability", "sites.wan_availability"),
                rtt_ms=f"{p}.rtt_ms",
                country=loc.country if loc else None,
                zone=zone(loc.country) if loc else None,
                distance_km=distance(loc),
            )
        )
    return groups


RTT_GROUPS_NAMED = 6
"""Site groups the RTT reason names one by one; the rest are summarised by their range."""


def _rtt(s, region, groups, values, assumptions, warnings, base_dir) -> tuple[str, bool]:
    """Set each group's network RTT at the latency percentile; return a sentence on how."""
    rtt = s.cloud.rtt
    pct = median(s.latency.percentile)
    if isinstance(rtt, RttGiven):
        for g in groups:
            values[g.rtt_ms] = rtt.ms
            assumptions[g.rtt_ms] = Assumption(g.rtt_ms, rtt.ms, "scenario", note="cloud.rtt.ms")
        return f"RTT given in the scenario: {_ms(median(rtt.ms))} at p{pct:g}", False
    if isinstance(rtt, RttMeasured):
        from ..measure.measurement import load_measurement, measured_rtt, measurement_path

        path = measurement_path(rtt.measurement, base_dir)
        try:
            m = measured_rtt(load_measurement(path), pct, target=rtt.target)
        except (OSError, ValueError) as exc:
            raise EdgecalcError(f"cloud.rtt.measurement: {exc}") from None
        for g in groups:
            values[g.rtt_ms] = m.rtt_ms
            assumptions[g.rtt_ms] = Assumption(
                g.rtt_ms, m.rtt_ms, "measurement", note=f"{path} ({m.target}, {m.created_at})"
            )
        payload = m.payload_ms is not None
        if payload:
            values["cloud.payload_round_trip_ms"] = m.payload_ms
            assumptions["cloud.payload_round_trip_ms"] = Assumption(
                "cloud.payload_round_trip_ms", m.payload_ms, "measurement", note=str(path)
            )
        if m.age_days is not None and m.age_days > median(rtt.max_age_days):
            warnings.append(
                f"the RTT measurement {path} is {m.age_days:.0f} days old "
                f"(more than {median(rtt.max_age_days):g}); measure again"
            )
        text = (
            f"RTT measured by edgecalc measure ({path.name}, {m.target}, {m.created_at}): "
            f"warm p{pct:g} {_ms(m.rtt_ms)}"
        )
        if payload:
            text += f"; payload round trip p{pct:g} {_ms(m.payload_ms)}"
        return text, payload
    assert isinstance(rtt, RttEstimated)
    texts = _estimated_rtts(groups, rtt, region, pct, values, assumptions)
    lead = "RTT estimated from distance (no measurement): "
    if len(texts) == 1:
        return lead + texts[0][3], False
    # several site groups share the model: name each group's distance and RTT, the model once
    # (a portfolio names the first few and the range of the rest)
    shown = texts[:RTT_GROUPS_NAMED]
    per_site = "; ".join(
        f"{name} {km:,.0f} km, {_ms(rtt_ms)} at p{pct:g}" for name, km, rtt_ms, _ in shown
    )
    if len(texts) > len(shown):
        rest = [rtt_ms for _, _, rtt_ms, _ in texts[len(shown) :]]
        per_site += f"; {len(rest):,} more groups {min(rest):,.1f}-{_ms(max(rest))} at p{pct:g}"
    model = "; ".join(
        part
        for part in texts[0][3].split("; ")
        if not part.startswith(("great-circle", "fibre floor"))
    )
    return f"{lead}{per_site}; {model}", False


def _estimated_rtts(groups, rtt, region, pct, values, assumptions) -> list[tuple]:
    """Set each group's estimated RTT; return ``(name, km, ms at pct, method)`` per group."""
    for g in groups:
        if g.distance_km is None:
            raise EdgecalcError(
                "cloud.rtt: no RTT given or measured, and it cannot be estimated without "
                "sites.location and a region with coordinates; set cloud.rtt.ms, or "
                "cloud.rtt.measurement, or sites.location"
            )
    access = [_access_at_percentile(g, rtt, values, pct) for g in groups]
    estimates = [None] * len(groups)
    # groups of one country share the route model: one numpy call estimates all of them
    by_country: dict = {}
    for i, g in enumerate(groups):
        by_country.setdefault(g.country, []).append(i)
    for country, members in by_country.items():
        found = _estimate_group_rtts(
            [groups[i].distance_km for i in members],
            [access[i] for i in members],
            rtt,
            region,
            country,
            pct,
        )
        for i, estimate in zip(members, found, strict=True):
            estimates[i] = estimate
    texts = []
    for g, (rng, at_pct, method) in zip(groups, estimates, strict=True):  # in the groups' order
        values[g.rtt_ms] = rng
        assumptions[g.rtt_ms] = Assumption(g.rtt_ms, rng, "estimate", note=method)
        texts.append((g.name, g.distance_km, at_pct, method))
    return texts


def _estimate_group_rtts(
    distances_km, access, rtt, region, country, pct
) -> list[tuple[Range, float, str]]:
    """The estimated RTT of site groups in one country (one route model), vectorised.

    Parameters
    ----------
    distances_km : list of float
        Each group's great-circle distance to the region [km].
    access : list of (float, str)
        Each group's access round trip at the percentile [ms] and its words
        (:func:`_access_at_percentile`).
    rtt : RttEstimated
        ``cloud.rtt``.
    region : catalog region
        The cloud region.
    country : str or None
        The groups' country.
    pct : float
        The latency percentile [%].

    Returns
    -------
    list of (Range, float, str)
        Per group: a lognormal range around its RTT at the percentile (the backbone's at the
        percentile plus the access round trip), that RTT [ms], and how it was estimated. The
        figures equal one :func:`~edgecalc.latency.estimate.estimate_rtt` call per group,
        made here in one numpy call for all of them.
    """
    args = (
        tuple(distances_km),
        tuple(access),
        rtt.route_inflation,
        f"{region.provider}/{region.code}",
        region.country,
        country,
        pct,
    )
    if len(distances_km) > RTT_CACHE_MAX_GROUPS:  # not kept: see RTT_CACHE_MAX_GROUPS
        return list(_country_rtts.__wrapped__(*args))
    return list(_country_rtts(*args))


@functools.lru_cache(maxsize=RTT_CACHE_ENTRIES)
def _country_rtts(
    distances_km: tuple[float, ...],
    access: tuple[tuple[float, str], ...],
    route_inflation: float | None,
    region: str,
    region_country: str | None,
    country: str | None,
    pct: float,
) -> tuple[tuple[Range, float, str], ...]:
    """:func:`_estimate_group_rtts` for hashable arguments, kept: a pure function of them (the
    backbone and route fits are fixed per process) whose ranges and words are immutable, so an
    edit that leaves the sites, the region and the percentile alone reuses them."""
    from ..latency.estimate import estimate_rtt, method_sentences

    route = {
        "route_inflation": route_inflation,
        "region": region,
        "site_country": country,
        "region_country": region_country,
    }
    distance = np.array(distances_km, dtype=float)
    backbone = estimate_rtt(distance, **route)
    methods = method_sentences(distance, access_ms=[a for a, _ in access], **route)
    at_pct_all = np.asarray(backbone.at_percentile(pct), dtype=float)
    p50_all = np.asarray(backbone.p50_ms, dtype=float)
    p90_all = np.asarray(backbone.p90_ms, dtype=float)
    floor_all = np.asarray(backbone.floor_ms, dtype=float)
    out = []
    for k, (access_at, access_text) in enumerate(access):
        backbone_at_pct = float(at_pct_all[k])
        at_pct = backbone_at_pct + access_at
        p50 = float(p50_all[k])
        sigma_route = math.log(max(float(p90_all[k]), p50 * 1.000001) / p50) / Z90
        # the route's uncertainty is the backbone's; the access part is known: the relative
        # spread of the sum is the backbone's scaled by its share, so the median stays at_pct
        spread = math.exp(Z95 * sigma_route * backbone_at_pct / at_pct)
        rng = Range(
            low=at_pct / spread,
            high=at_pct * spread,
            dist="lognormal",
            min=float(floor_all[k]) + access_at,
        )
        out.append((rng, at_pct, f"{methods[k]} at p{pct:g}{access_text}"))
    return tuple(out)


def _same_as_edge(path: str, edge_path: str, values, assumptions) -> None:
    """Record that ``path`` holds the edge's figure ``edge_path``: the edge's origin and fact
    (so a catalog figure keeps its source and date), with a note saying so."""
    edge = assumptions.get(edge_path)
    if edge is None:
        return
    note = f"the edge's {edge_path.split('.', 1)[1]}" + (f"; {edge.note}" if edge.note else "")
    assumptions[path] = Assumption(path, values[path], edge.origin, fact=edge.fact, note=note)


def _hybrid_model_memory(s: Scenario, catalog: Catalog, values, assumptions, take) -> None:
    """The fast-path model's own parameters, precision and KV cache (defaults in the fields'
    docs): a 110 M-parameter fast path is not charged the main model's KV cache."""
    same_model = s.hybrid.model_parameters is None
    if same_model:
        values["hybrid.model_parameters"] = values["model.parameters"]
    precision = s.hybrid.model_precision or s.model.precision
    take(
        "hybrid.bytes_per_parameter",
        catalog.fact(f"models.bytes_per_parameter.{precision}"),
        f"bytes per parameter at {precision} (fast path)",
    )
    kv = "hybrid.kv_cache_bytes"
    if kv not in values:
        values[kv] = values["model.kv_cache_bytes"] if same_model else 0.0
        note = (
            "the model's kv_cache_bytes (the fast path runs the model itself)"
            if same_model
            else "0: a separate fast-path model keeps no KV cache of the main model"
        )
        assumptions[kv] = Assumption(kv, values[kv], "default", note=note)


def _access_at_percentile(g, rtt, values, pct: float) -> tuple[float, str]:
    """The group's last-mile round trip at the latency percentile, and where it came from.

    From the group's link (its technology's median and p90, or the ones given, lognormal
    between them), else ``cloud.rtt.access_ms`` at every percentile.
    """
    link = g.link
    if link is None or link.path("access_latency_ms") not in values:
        return float(median(rtt.access_ms)), ""
    p50 = float(median(values[link.path("access_latency_ms")]))
    p90 = max(float(median(values[link.path("access_latency_p90_ms")])), p50)
    return _access_at(p50, p90, pct, link.technology)


@functools.lru_cache(maxsize=SITE_CACHE_ENTRIES)
def _access_at(p50: float, p90: float, pct: float, technology: str | None) -> tuple[float, str]:
    """The access round trip at ``pct`` and its words (:func:`_access_at_percentile`), kept:
    the site groups of one access technology share them."""
    from ..latency.access import access_latency_at, access_technology

    at_ms = float(access_latency_at(p50, p90, pct))
    what = access_technology(technology).name if technology else "the site's link"
    return at_ms, (
        f" ({what}: median {_ms(p50, 1 if p50 % 1 else 0)}, p90 {_ms(p90, 1 if p90 % 1 else 0)})"
    )


def point_inputs(resolved: Resolved) -> dict[str, np.ndarray]:
    """Every input as an array of shape (1,): the median of a range, the value otherwise.

    The arrays are the rows of one (N, 1) array built in a single call (an array per input
    was half the time of a portfolio's point inputs); rows do not overlap, so writing into
    one leaves every other input as it was.
    """
    values = resolved.values
    points = [v if type(v) in _PLAIN_NUMBERS else median(v) for v in values.values()]
    return dict(zip(values, np.array(points, dtype=float).reshape(-1, 1), strict=True))

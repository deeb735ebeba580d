"""Load the packaged catalog YAML into records and look them up by key."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .facts import CatalogError, Fact, fact_from_mapping, is_fact_mapping
from .records import BENCHMARKS, Device, Instance, Performance, ProbeEndpoint, Region, Transfer

DATA_DIR = Path(__file__).parent / "data"
"""Directory of the packaged catalog data."""

DATA_FILES = (
    "meta.yaml",
    "countries.yaml",
    "regions.yaml",
    "accelerators.yaml",
    "instances.yaml",
    "transfer.yaml",
    "devices.yaml",
    "operations.yaml",
    "probes.yaml",
    "cloud_pricing.yaml",
)
"""The files `load_catalog` reads (other files in the directory belong to other modules)."""

PROVIDERS = ("aws", "gcp", "azure")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_LOADER)


def _flatten(prefix: str, node: Any, out: dict[str, Fact]) -> None:
    """Collect every fact under ``node`` keyed by its dotted path."""
    if is_fact_mapping(node):
        out[prefix] = fact_from_mapping(prefix, node)
    elif isinstance(node, Mapping):
        for name, child in node.items():
            _flatten(f"{prefix}.{name}" if prefix else str(name), child, out)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            _flatten(f"{prefix}.{i}", child, out)


def _opt(facts: dict[str, Fact], key: str) -> Fact | None:
    return facts.get(key)


def _extras(facts: dict[str, Fact], prefix: str) -> dict[str, Fact]:
    start = prefix + ".extra_facts."
    return {k[len(start) :]: f for k, f in facts.items() if k.startswith(start)}


def _performance(facts: dict[str, Fact], prefix: str, node: Mapping | None) -> dict:
    out = {}
    for bench, entry in (node or {}).items():
        if bench not in BENCHMARKS:
            raise ValueError(f"{prefix}: unknown benchmark {bench!r}; known: {BENCHMARKS}")
        p = f"{prefix}.performance.{bench}"
        out[bench] = Performance(
            benchmark=bench,
            inferences_per_second=_opt(facts, f"{p}.inferences_per_second"),
            latency_ms=_opt(facts, f"{p}.latency_ms"),
        )
        unknown = set(entry) - {"inferences_per_second", "latency_ms"}
        if unknown:
            raise ValueError(f"{p}: unknown fields {sorted(unknown)}")
    return out


class Catalog:
    """Dated reference facts: regions, instances, devices, transfer prices, operations defaults.

    Build it with `load_catalog`. Every number is a `Fact` with unit, source and ``as_of``.
    Lookups of unknown keys raise `CatalogError` naming the close matches.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        raw = {name: _read(self.data_dir / name) for name in DATA_FILES}
        self.as_of: str = str(raw["meta.yaml"]["as_of"])
        """The catalog's own date (when its facts were compiled)."""
        self._facts: dict[str, Fact] = {}
        for name in DATA_FILES:
            _flatten("", raw[name], self._facts)
        self._countries, self._aliases = self._load_countries(raw["countries.yaml"])
        self._regions = self._load_regions(raw["regions.yaml"]["regions"])
        accelerators = raw["accelerators.yaml"]["accelerators"]
        self._accelerator_perf = {
            k: _performance(self._facts, f"accelerators.{k}", v.get("performance"))
            for k, v in accelerators.items()
        }
        self._instances = self._load_instances(raw["instances.yaml"]["instances"])
        self._devices = self._load_devices(raw["devices.yaml"]["devices"])
        self._transfer = self._load_transfer(raw["transfer.yaml"]["transfer"])
        self._probes = self._load_probes(raw["probes.yaml"]["probes"])

    # ------------------------------------------------------------------ loading
    @staticmethod
    def _load_countries(node: Mapping) -> tuple[dict[str, dict], dict[str, str]]:
        return dict(node["countries"]), dict(node.get("aliases", {}))

    def _load_regions(self, node: Mapping) -> dict[str, Region]:
        out = {}
        for provider in PROVIDERS:
            for i, r in enumerate(node[provider]):
                key = f"{provider}/{r['code']}"
                new = f"regions.{key}"
                facts = self._move_facts(f"regions.{provider}.{i}", new)
                country = r.get("country")
                if country is not None and country not in self._countries:
                    raise ValueError(f"{new}: country {country!r} not in countries.yaml")
                out[key] = Region(
                    code=r["code"],
                    provider=provider,
                    name=r["name"],
                    city=r.get("city"),
                    country=country,
                    zone=self.zone_of(country) if country else None,
                    lat=facts.get(f"{new}.lat"),
                    lon=facts.get(f"{new}.lon"),
                    note=r.get("note"),
                    access_restricted=bool(r.get("access_restricted")),
                    coming_soon=bool(r.get("coming_soon")),
                )
        return out

    def _load_instances(self, node: Mapping) -> dict[str, Instance]:
        out = {}
        for provider in PROVIDERS:
            block = node[provider]
            for i, e in enumerate(block["instances"]):
                old = f"instances.{provider}.instances.{i}"
                key = f"{provider}/{e['type']}"
                new = f"instances.{key}"
                facts = self._move_facts(old, new)
                acc = e.get("accelerator") or {}
                ref = acc.get("ref")
                if ref is not None and ref not in self._accelerator_perf:
                    raise ValueError(f"{new}: accelerator ref {ref!r} not in accelerators.yaml")
                vcpu = facts.get(f"{new}.vcpu")
                ram = facts.get(f"{new}.ram_gib")
                out[key] = Instance(
                    key=key,
                    provider=provider,
                    type=e["type"],
                    usd_per_hour=facts[f"{new}.usd_per_hour"],
                    reference_region=block["reference_region"],
                    vcpu=int(vcpu.value) if vcpu else None,
                    ram_gib=float(ram.value) if ram else None,
                    accelerator=acc.get("model"),
                    accelerator_memory_gb=facts.get(f"{new}.accelerator.memory_gb"),
                    accelerator_memory_mib_reported=facts.get(
                        f"{new}.accelerator.memory_mib_reported"
                    ),
                    performance=dict(self._accelerator_perf.get(ref, {})),
                    note=e.get("note"),
                    extra_facts=_extras(facts, new),
                )
        return out

    def _load_devices(self, node: Mapping) -> dict[str, Device]:
        out = {}
        for key, d in node.items():
            p = f"devices.{key}"
            out[key] = Device(
                key=key,
                name=d["name"],
                price_usd=self._facts.get(f"{p}.price_usd"),
                memory_gb=self._facts.get(f"{p}.memory_gb"),
                power_w=self._facts.get(f"{p}.power_w"),
                performance=_performance(self._facts, p, d.get("performance")),
                note=d.get("note"),
                configuration=d.get("configuration"),
                extra_facts=_extras(self._facts, p),
            )
        return out

    def _load_transfer(self, node: Mapping) -> dict[str, Transfer]:
        out = {}
        for provider in PROVIDERS:
            t = node[provider]
            p = f"transfer.{provider}"
            tiers = []
            for i, tier in enumerate(t["egress_tiers"]):
                bound = self._facts.get(f"{p}.egress_tiers.{i}.up_to_gb")
                up = math.inf if tier.get("up_to_gb") is None else float(bound.value)
                tiers.append((up, self._facts[f"{p}.egress_tiers.{i}.usd_per_gb"]))
            bounds = [up for up, _ in tiers]
            if bounds != sorted(bounds) or bounds[-1] != math.inf:
                raise ValueError(f"{p}: egress tiers must rise and end unbounded")
            out[provider] = Transfer(
                provider=provider,
                ingress_usd_per_gb=self._facts[f"{p}.ingress_usd_per_gb"],
                egress_tiers=tuple(tiers),
                egress_free_gb_per_month=self._facts.get(f"{p}.egress_free_gb_per_month"),
                reference_region=t.get("reference_region"),
                note=t.get("note"),
                extra_facts=_extras(self._facts, p),
            )
        return out

    def _load_probes(self, node: Mapping) -> dict[str, dict[str, ProbeEndpoint]]:
        out: dict[str, dict[str, ProbeEndpoint]] = {}
        for provider in PROVIDERS:
            spec = node[provider]
            if "urls" in spec:
                urls = dict(spec["urls"])
            else:
                skip = set(spec.get("exclude_regions", []))
                urls = {
                    r.code: spec["url_pattern"].format(region=r.code)
                    for r in self.regions(provider)
                    if r.code not in skip
                    and not (spec.get("exclude_coming_soon") and r.coming_soon)
                }
            out[provider] = {
                code: ProbeEndpoint(
                    provider=provider,
                    region=code,
                    url=url,
                    method=spec["method"],
                    source=spec["source"],
                    as_of=str(spec["as_of"]),
                    note=spec.get("note"),
                )
                for code, url in sorted(urls.items())
            }
        return out

    def _move_facts(self, old: str, new: str) -> dict[str, Fact]:
        """Re-key the facts under ``old`` to ``new`` (list index -> readable key)."""
        moved = {}
        for k in [k for k in self._facts if k == old or k.startswith(old + ".")]:
            f = _rekey(self._facts.pop(k), new + k[len(old) :])
            self._facts[f.key] = f
            moved[f.key] = f
        return moved

    # ------------------------------------------------------------------ lookups
    def region(self, key: str) -> Region:
        """The region ``provider/code``, e.g. ``aws/eu-central-1``."""
        try:
            return self._regions[key]
        except KeyError:
            raise CatalogError("region", key, self._regions) from None

    def regions(self, provider: str | None = None) -> list[Region]:
        """All regions, or those of one provider, in catalog order."""
        if provider is not None:
            self._check_provider(provider)
        return [r for r in self._regions.values() if provider in (None, r.provider)]

    def instance(self, key: str) -> Instance:
        """The instance type ``provider/type``, e.g. ``aws/g6.xlarge``."""
        try:
            return self._instances[key]
        except KeyError:
            raise CatalogError("instance", key, self._instances) from None

    def instances(self, provider: str | None = None) -> list[Instance]:
        """All instance types, or those of one provider."""
        if provider is not None:
            self._check_provider(provider)
        return [i for i in self._instances.values() if provider in (None, i.provider)]

    def device(self, key: str) -> Device:
        """The edge device ``key``, e.g. ``jetson-agx-orin-64gb``."""
        try:
            return self._devices[key]
        except KeyError:
            raise CatalogError("device", key, self._devices) from None

    def devices(self) -> list[Device]:
        """All edge devices."""
        return list(self._devices.values())

    def transfer(self, provider: str) -> Transfer:
        """Data transfer prices of ``provider`` (``aws``, ``gcp``, ``azure``)."""
        try:
            return self._transfer[provider]
        except KeyError:
            raise CatalogError("provider", provider, self._transfer) from None

    def fact(self, key: str) -> Fact:
        """Any fact by its dotted key, e.g. ``operations.truck_roll_usd``,
        ``models.bytes_per_parameter.int8``, ``devices.jetson-agx-orin-64gb.power_w``."""
        try:
            return self._facts[key]
        except KeyError:
            raise CatalogError("fact", key, self._facts) from None

    def facts(self) -> list[Fact]:
        """Every fact in the catalog, flat, sorted by key."""
        return [self._facts[k] for k in sorted(self._facts)]

    def zone_of(self, country: str) -> str | None:
        """Data-residency zone of an ISO 3166-1 alpha-2 country code (``DE`` -> ``EEA``).

        Returns None for a code the catalog does not list (its zone is unknown, not its own).
        ``UK`` and ``EL`` are accepted as aliases of ``GB`` and ``GR``.
        """
        code = country.strip().upper()
        code = self._aliases.get(code, code)
        entry = self._countries.get(code)
        return None if entry is None else entry["zone"]

    def country_name(self, country: str) -> str | None:
        """English short name of an ISO 3166-1 alpha-2 code, None when unknown."""
        code = country.strip().upper()
        entry = self._countries.get(self._aliases.get(code, code))
        return None if entry is None else entry["name"]

    def probe(self, provider: str, region: str) -> ProbeEndpoint:
        """The probe endpoint of region code ``region`` of ``provider``."""
        self._check_provider(provider)
        try:
            return self._probes[provider][region]
        except KeyError:
            raise CatalogError(f"{provider} probe region", region, self._probes[provider]) from None

    def probes(self, provider: str) -> list[ProbeEndpoint]:
        """All probe endpoints of ``provider``, sorted by region code."""
        self._check_provider(provider)
        return list(self._probes[provider].values())

    def _check_provider(self, provider: str) -> None:
        if provider not in PROVIDERS:
            raise CatalogError("provider", provider, PROVIDERS)

    def __repr__(self) -> str:
        return (
            f"Catalog(as_of={self.as_of!r}, {len(self._regions)} regions, "
            f"{len(self._instances)} instances, {len(self._devices)} devices, "
            f"{len(self._facts)} facts)"
        )


def _rekey(f: Fact, key: str) -> Fact:
    return Fact(
        key=key,
        value=f.value,
        unit=f.unit,
        source=f.source,
        as_of=f.as_of,
        confidence=f.confidence,
        note=f.note,
        derived=f.derived,
        formula=f.formula,
    )


@functools.lru_cache(maxsize=1)
def _packaged() -> Catalog:
    return Catalog(DATA_DIR)


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load the reference catalog.

    Parameters
    ----------
    path : str or Path, optional
        A directory holding the catalog files (`DATA_FILES`); default the packaged data, which is
        read once and cached.

    Returns
    -------
    Catalog
    """
    if path is None:
        return _packaged()
    return Catalog(Path(path))

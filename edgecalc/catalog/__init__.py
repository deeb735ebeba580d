"""Dated reference facts: cloud regions, instances, transfer prices, edge devices, operations.

Every number is a `Fact` with value, unit, source and ``as_of``, read from the YAML files in
``edgecalc/catalog/data/`` (seeded from public sources; see each fact's ``source``).

Examples
--------
>>> from edgecalc.catalog import load_catalog
>>> catalog = load_catalog()
>>> catalog.instance("aws/g6.xlarge").usd_per_hour.value
0.8048
>>> catalog.zone_of("DE")
'EEA'
"""

from .facts import CatalogError, Fact
from .lookup import DATA_DIR, Catalog, load_catalog
from .records import (
    BENCHMARKS,
    Device,
    Instance,
    Performance,
    ProbeEndpoint,
    Region,
    Transfer,
)

__all__ = [
    "BENCHMARKS",
    "DATA_DIR",
    "Catalog",
    "CatalogError",
    "Device",
    "Fact",
    "Instance",
    "Performance",
    "ProbeEndpoint",
    "Region",
    "Transfer",
    "load_catalog",
]

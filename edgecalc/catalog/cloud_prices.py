"""Look up the catalog's cloud billing entries: hosted models, serverless platforms, ingest
services (``edgecalc/catalog/data/cloud_pricing.yaml``).

Examples
--------
>>> from edgecalc.catalog import load_catalog
>>> prices = priced_entry(load_catalog(), "hosted_models", "openai/gpt-4o-mini")
>>> prices["output_usd_per_million_tokens"].value
0.6
"""

from __future__ import annotations

from typing import Literal

from .facts import CatalogError, Fact
from .lookup import Catalog

Section = Literal["hosted_models", "serverless", "ingest"]

_KINDS = {
    "hosted_models": "hosted model",
    "serverless": "serverless platform",
    "ingest": "ingest service",
}


def priced_entry(catalog: Catalog, section: Section, key: str) -> dict[str, Fact]:
    """The facts of one entry, by field name (``input_usd_per_million_tokens`` -> Fact).

    Raises
    ------
    CatalogError
        For an unknown key, naming the close matches.
    """
    prefix = f"cloud_pricing.{section}."
    entries: dict[str, dict[str, Fact]] = {}
    for fact in catalog.facts():
        if fact.key.startswith(prefix):
            name, _, field = fact.key[len(prefix) :].rpartition(".")
            entries.setdefault(name, {})[field] = fact
    if key not in entries:
        raise CatalogError(_KINDS[section], key, entries)
    return entries[key]


def cloud_pricing_fact(catalog: Catalog, name: str) -> Fact:
    """A fact of the cloud pricing file outside its entries, e.g.
    ``spot.interruption_headroom_fraction``."""
    return catalog.fact(f"cloud_pricing.{name}")

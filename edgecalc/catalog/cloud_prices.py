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

from ..errors import EdgecalcError
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


_UPFRONT = {"none": 0.0, "partial": 0.5, "all": 1.0}
"""Default share of a term paid upfront, by payment option."""


def resolve_cloud_pricing(cloud, catalog: Catalog, instance, values: dict, take) -> None:
    """Fill the billing inputs of ``cloud`` from the catalog or their defaults.

    ``take(path, fact, what, required)`` keeps the scenario's value or takes the fact (and
    raises naming ``path`` when a required figure has no fact); ``values`` receives the
    defaults that are not facts.
    """

    def entry(section: Section, key: str | None, path: str) -> dict[str, Fact]:
        if key is None:
            return {}
        try:
            return priced_entry(catalog, section, key)
        except CatalogError as exc:
            raise EdgecalcError(f"{path}: {exc}") from None

    def optional(path: str, fact: Fact | None, default: float) -> None:
        """The scenario's value, else the fact, else ``default``."""
        take(path, fact, path, required=False)
        values.setdefault(path, default)

    c = cloud.commitment
    if c is not None:
        values.setdefault("cloud.commitment.upfront_fraction", _UPFRONT[c.payment])
    spot = cloud.spot
    if spot is not None:
        extra = instance.extra_facts if instance is not None else {}
        take(
            "cloud.spot.usd_per_hour",
            extra.get("spot_usd_per_hour"),
            f"the spot price of {getattr(instance, 'key', 'the instance')}",
        )
        take(
            "cloud.spot.interruption_headroom_fraction",
            cloud_pricing_fact(catalog, "spot.interruption_headroom_fraction"),
            "spot interruption headroom",
        )
    if cloud.autoscaling is not None:
        values.setdefault("cloud.autoscaling.scale_up_delay_minutes", 15.0)
    api = cloud.hosted_api
    if api is not None:
        facts = entry("hosted_models", api.model, "cloud.hosted_api.model")
        p = "cloud.hosted_api."
        for name in ("input_usd_per_million_tokens", "output_usd_per_million_tokens"):
            take(p + name, facts.get(name), f"the {name.split('_')[0]} price of {api.model}")
        optional(
            p + "cached_input_usd_per_million_tokens",
            facts.get("cached_input_usd_per_million_tokens"),
            values[p + "input_usd_per_million_tokens"],
        )
        take(
            p + "batch_discount_fraction",
            facts.get("batch_discount_fraction"),
            f"the batch discount of {api.model or 'the API'}",
            required=api.batch_fraction != 0,
        )
        values.setdefault(p + "batch_discount_fraction", 0.0)
    fn = cloud.serverless
    if fn is not None:
        facts = entry("serverless", fn.platform, "cloud.serverless.platform")
        p = "cloud.serverless."
        for name in ("usd_per_million_requests", "usd_per_gb_second"):
            take(p + name, facts.get(name), f"the {name} of {fn.platform}")
        for name in (
            "usd_per_vcpu_second",
            "free_requests_per_month",
            "free_gb_seconds_per_month",
            "free_vcpu_seconds_per_month",
        ):
            optional(p + name, facts.get(name), 0.0)
        values.setdefault(p + "duration_ms", values["cloud.inference_ms"])
    for i, charge in enumerate(cloud.ingest):
        facts = entry("ingest", charge.service, f"cloud.ingest.{i}.service")
        for name in ("usd_per_gb", "usd_per_hour"):
            optional(f"cloud.ingest.{i}.{name}", facts.get(name), 0.0)


def pricing_plausibility(cloud, catalog: Catalog) -> list[str]:
    """Plausibility warnings about the cloud's billing inputs, each naming its check.

    Examples
    --------
    >>> from edgecalc.catalog import load_catalog
    >>> from edgecalc.scenario.models import Cloud
    >>> cloud = Cloud(region="aws/us-east-1", instance="aws/g6.xlarge",
    ...               commitment={"term_years": 3, "discount_fraction": 0.8})
    >>> pricing_plausibility(cloud, load_catalog())[0].split(":")[0]
    'commitment_discount_above_published_maximum'
    """
    from ..scenario.ranges import median

    out = []
    c = cloud.commitment
    if c is not None and c.discount_fraction is not None:
        ceiling = cloud_pricing_fact(catalog, "commitments.aws_max_discount_fraction")
        if median(c.discount_fraction) > float(ceiling.value):
            out.append(
                f"commitment_discount_above_published_maximum: cloud.commitment."
                f"discount_fraction is {median(c.discount_fraction):g}, above the "
                f"{float(ceiling.value):g} AWS publishes as its deepest reserved discount"
            )
    if cloud.spot is not None and median(cloud.spot.share) > 0.9:
        out.append(
            f"spot_share_above_0_9: cloud.spot.share is {median(cloud.spot.share):g}; spot "
            "capacity is reclaimed in bulk when a zone runs short, so keep some on demand"
        )
    return out

"""Every catalog fact has a source and a date, or is on the list below of facts known to have
no date, each with the reason; an undated price is flagged by the plausibility check.

The list is checked both ways: a fact that loses its date must be added here with a reason,
and a fact that gains one (from its source's own text) must be taken off.
"""

from __future__ import annotations

import datetime

import pytest
import yaml

from edgecalc.catalog import DATA_DIR, load_catalog
from edgecalc.catalog.facts import parse_as_of
from edgecalc.pipeline.plausibility import PRICE_UNITS, stale_fact_warning

# Facts with no date, grouped by why. Dates are taken only from a source's own text (a page's
# date, a file header, a commit date the source states); where none was found the fact says
# "undated" or "unknown", and a price among them is flagged by `stale_fact` ("has no date").
KNOWN_UNDATED: dict[str, tuple[str, ...]] = {
    # Prices from pages that carry no date; the search tool (2026-12) found no dated statement
    # of the same figure. The stale_fact check says each has no date when a scenario uses it.
    "price from an undated page, no dated statement found": (
        "accelerators.nvidia-t4.msrp_usd",
        "cloud_pricing.hosted_models.google/gemini-2-0-flash.input_usd_per_million_tokens",
        "cloud_pricing.hosted_models.google/gemini-2-0-flash.output_usd_per_million_tokens",
        "cloud_pricing.hosted_models.openai/gpt-4o-mini.cached_input_usd_per_million_tokens",
        "cloud_pricing.hosted_models.openai/gpt-4o.cached_input_usd_per_million_tokens",
        # Together: an undated tutorial page; a second undated listing differs (see its note)
        "cloud_pricing.hosted_models.together/meta-llama-3-1-8b-instruct.input_usd_per_million_tokens",
        "cloud_pricing.hosted_models.together/meta-llama-3-1-8b-instruct.output_usd_per_million_tokens",
        "devices.raspberry-pi-ai-hat-plus-2.price_usd",
        "operations.cellular_sim_usd_per_month",
        "operations.cellular_usd_per_gb_payg",
        "operations.fleet_software_usd_per_device_month",
        "operations.fleet_software_usd_per_device_month_by_product.balena",
        "operations.fleet_software_usd_per_device_month_by_product.balena_prototype",
        "operations.lambda_hyperplane16_colocation_usd_per_year",
        "operations.lambda_hyperplane16_sysadmin_usd_per_year",
        "operations.mender_activation_usd_per_device",
        "operations.mender_hosted_minimum_usd_per_month",
        "operations.particle_block_usd_per_month",
        # truck rolls: vSight's glossary (TSIA, S&C Electric) is undated; see the note of
        # operations.truck_roll_usd for a 2015 page quoting the same range
        "operations.truck_roll_direct_usd_high",
        "operations.truck_roll_direct_usd_low",
        "operations.truck_roll_usd",
        "operations.truck_roll_utilities_usd_high",
        "operations.truck_roll_utilities_usd_low",
        "transfer.azure.egress_tiers.0.usd_per_gb",
        "transfer.azure.extra_facts.inter_region_same_continent_usd_per_gb",
        "transfer.azure.ingress_usd_per_gb",
        "transfer.gcp.ingress_usd_per_gb",
    ),
    # A repository copy of a price list: the commit is named, its date is not in the source
    # (the catalog's as_of explains why it is recent).
    "figure from a price list copied at a named commit whose date the source does not give": (
        "instances.gcp/g2-standard-4.extra_facts.gpu_component_usd_per_hour",
        "instances.gcp/n1-standard-4+nvidia-tesla-t4.accelerator.memory_gb",
        "instances.gcp/n1-standard-4+nvidia-tesla-t4.accelerator.memory_mib_reported",
        "instances.gcp/n1-standard-4+nvidia-tesla-t4.extra_facts.gpu_component_spot_usd_per_hour",
        "instances.gcp/n1-standard-4+nvidia-tesla-t4.extra_facts.gpu_component_usd_per_hour",
    ),
    # Billing terms that are not prices (a share, an allowance) from undated pages.
    "billing term (discount share, free allowance) from an undated page": (
        "cloud_pricing.commitments.aws_max_discount_fraction",
        "cloud_pricing.hosted_models.anthropic/claude-3-5-haiku.batch_discount_fraction",
        "cloud_pricing.hosted_models.anthropic/claude-3-5-sonnet.batch_discount_fraction",
        "cloud_pricing.hosted_models.openai/gpt-4o-mini.batch_discount_fraction",
        "cloud_pricing.hosted_models.openai/gpt-4o.batch_discount_fraction",
        "cloud_pricing.serverless.gcp/cloud-run.free_gb_seconds_per_month",
        "cloud_pricing.serverless.gcp/cloud-run.free_requests_per_month",
        "cloud_pricing.serverless.gcp/cloud-run.free_vcpu_seconds_per_month",
        "transfer.azure.egress_free_gb_per_month",
    ),
    # Hardware specifications and model sizes: properties of a product or a weights file,
    # which do not age like a price; their pages or files give no date.
    "hardware specification or model size (does not age; no date given)": (
        "accelerators.nvidia-l4.memory_bandwidth_gb_per_s",
        "accelerators.nvidia-t4.tdp_w",
        "devices.coral-dev-board.extra_facts.int8_tops",
        "devices.raspberry-pi-5-8gb.memory_gb",
        "devices.raspberry-pi-5-8gb.power_w",
        "devices.raspberry-pi-ai-hat-plus-2.extra_facts.int4_tops",
        "devices.raspberry-pi-ai-hat-plus-2.memory_gb",
        "devices.raspberry-pi-ai-hat-plus-2.power_w",
        "devices.raspberry-pi-ai-hat-plus-26tops.power_w",
        "instances.gcp/g2-standard-4.accelerator.memory_gb",
        "models.bytes_per_parameter.bf16",
        "models.bytes_per_parameter.fp16",
        "models.bytes_per_parameter.fp32",
        "models.bytes_per_parameter.int4",
        "models.bytes_per_parameter.int8",
        "models.parameters.resnet50",
        "models.parameters.whisper_small",
        "models.parameters.yolov8m",
        "models.parameters.yolov8n",
        "models.parameters.yolov8s",
        "models.whisper_small_required_vram_gb",
    ),
    # Rules of thumb and field figures from undated articles (low confidence in the catalog).
    "rule of thumb or field figure from an undated article": (
        "claims.edge_only_worth_it_above_50ms_saving",
        "claims.edge_ops_cost_2_to_3x_cloud",
        "managed_zones.aws_local_zone.rtt_ms",
        "models.runtime_overhead_fraction",
        "models.runtime_overhead_fraction_high",
        "operations.consumer_pc_failed_by_year_3_fraction",
        "operations.support_fraction_per_year",
    ),
    # The data files read outside `load_catalog` (by edgecalc.latency and edgecalc.scenario),
    # as "<file>:<path>".
    "network figure from an undated page": (
        "access_networks.yaml:technologies.geo_satellite.latency_p50_ms",
        "rtt_calibration.yaml:fibre_speed",
    ),
}

OTHER_FILES = ("access_networks.yaml", "rtt_calibration.yaml")
"""Catalog data files with facts that `load_catalog` does not read."""


def _listed() -> dict[str, str]:
    out: dict[str, str] = {}
    for reason, keys in KNOWN_UNDATED.items():
        for key in keys:
            assert key not in out, f"{key} is listed twice"
            out[key] = reason
    return out


def _walk(node, path=""):
    if isinstance(node, dict):
        if "value" in node:
            yield path, node
            return
        for k, v in node.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}.{i}")


def _other_facts() -> list[tuple[str, dict]]:
    out = []
    for name in OTHER_FILES:
        with (DATA_DIR / name).open(encoding="utf-8") as handle:
            out += [(f"{name}:{p}", n) for p, n in _walk(yaml.safe_load(handle))]
    return out


def test_every_fact_has_a_source_and_an_as_of():
    facts = [(f.key, f.source, f.as_of) for f in load_catalog().facts()]
    facts += [(k, n.get("source"), n.get("as_of")) for k, n in _other_facts()]
    missing = [key for key, source, as_of in facts if not source or as_of in (None, "")]
    assert missing == []


def test_every_undated_fact_is_listed_with_its_reason_and_no_dated_one_is():
    undated = {f.key for f in load_catalog().facts() if f.as_of_date() is None}
    undated |= {k for k, n in _other_facts() if parse_as_of(str(n["as_of"])) is None}
    listed = _listed()
    assert sorted(undated - set(listed)) == [], "undated facts missing from KNOWN_UNDATED"
    assert sorted(set(listed) - undated) == [], "facts in KNOWN_UNDATED that have a date"
    assert all(reason.strip() for reason in KNOWN_UNDATED)


def test_the_facts_dated_from_their_sources():
    # dated 2026-12 from the sources' own text (see each fact's source): the AWS pricing pages
    # as transcribed and read by api-evangelist, Cloud Run's price from cloudchipr's 2025 guide
    catalog = load_catalog()
    expected = {
        "cloud_pricing.ingest.aws/application-load-balancer.usd_per_hour": (0.0225, "2026-09-20"),
        "cloud_pricing.ingest.aws/application-load-balancer.usd_per_gb": (0.008, "2026-09-20"),
        "cloud_pricing.ingest.aws/kinesis-video-streams.usd_per_gb": (0.0085, "2026-10-07"),
        "cloud_pricing.serverless.aws/lambda.free_requests_per_month": (1e6, "2026-09-20"),
        "cloud_pricing.serverless.aws/lambda.free_gb_seconds_per_month": (4e5, "2026-09-20"),
        "cloud_pricing.serverless.gcp/cloud-run.usd_per_vcpu_second": (2.4e-5, "2025-01-01"),
    }
    for key, (value, day) in expected.items():
        fact = catalog.fact(key)
        assert (fact.value, fact.as_of_date()) == (value, datetime.date.fromisoformat(day)), key


UNDATED_PRICES = KNOWN_UNDATED["price from an undated page, no dated statement found"]


@pytest.mark.parametrize("key", UNDATED_PRICES)
def test_an_undated_price_is_flagged_as_undated(key):
    fact = load_catalog().fact(key)
    assert any(u in fact.unit for u in PRICE_UNITS), f"{key} is listed as a price: {fact.unit}"
    row = {
        "key": key,
        "unit": fact.unit,
        "as_of": fact.as_of,
        "as_of_date": None,
        "used_for": "some.input",
    }
    warning = stale_fact_warning(row, datetime.date(2026, 12, 4))
    assert warning.startswith(f"stale_fact: {key} (some.input) has no date (as of: ")
    assert warning.endswith("check it against its source or override it in the scenario")

"""How the cloud option is billed: commitments, spot, autoscaling, serverless, per-token APIs,
ingest charges, flat monthly bills and zone redundancy.

:class:`CloudPricing` holds the fields; the ``Cloud`` section of the scenario inherits them, so
that they read as ``cloud.commitment.term_years``, ``cloud.hosted_api.input_tokens_per_request``
and so on. Every check that a scenario can be priced at all (a token price needs token counts,
a commitment needs a price) is made here, when the file is validated, never when it is
evaluated. The arithmetic is in :mod:`edgecalc.costs.cloud_pricing`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .ranges import Num

CloudPricingKind = Literal["instances", "per_request", "serverless", "hosted_api"]
"""How the cloud's compute is billed: provisioned instances (on demand, committed, spot,
autoscaled), a flat price per request, a serverless function (per request and per
GB-second), or a hosted model API (per input and output token)."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Commitment(_Section):
    """A reserved instance, savings plan or committed-use discount on part of the fleet."""

    term_years: Literal[1, 3, 5] = Field(...)
    """Length of the commitment [years]."""
    payment: Literal["none", "partial", "all"] = "none"
    """What is paid upfront: nothing (all monthly), part, or all of the term's price."""
    usd_per_hour: Num(ge=0) | None = None
    """Effective committed price of one instance, upfront included, spread over the term's
    hours (give this or ``discount_fraction``) [USD/h]."""
    discount_fraction: Num(ge=0, lt=1) | None = None
    """Discount of the committed price off the on-demand price (give this or
    ``usd_per_hour``) [fraction]."""
    upfront_fraction: Num(ge=0, le=1) | None = None
    """Share of the term's price paid upfront, in the term's first month (capex); default 0
    for ``none``, 0.5 for ``partial``, 1 for ``all`` [fraction]."""
    instances: Num(ge=0, integer=True) | None = None
    """Instances committed; default the instances the fleet runs at all times in month 0
    (``min_instances`` when it autoscales) [count]."""
    after_term: Literal["renew", "on_demand"] = "renew"
    """When a term ends inside the horizon: commit again for another term, or pay on demand
    from then on. A term that outlives the horizon is still owed in full."""

    @model_validator(mode="after")
    def _one_price(self) -> Commitment:
        if self.usd_per_hour is None and self.discount_fraction is None:
            raise ValueError(
                "a commitment needs a price: set usd_per_hour (the committed hourly price) "
                "or discount_fraction (off the on-demand price)"
            )
        if self.usd_per_hour is not None and self.discount_fraction is not None:
            raise ValueError("give usd_per_hour or discount_fraction, not both")
        if self.payment == "none" and self.upfront_fraction not in (None, 0):
            raise ValueError("payment none means upfront_fraction 0; use payment partial")
        return self


class Spot(_Section):
    """Part of the fleet on spot (preemptible) capacity, which the provider may reclaim."""

    share: Num(ge=0, le=1) = Field(...)
    """Share of the uncommitted instance-hours run on spot [fraction]."""
    usd_per_hour: Num(ge=0) | None = None
    """Spot price of one instance; default the catalog's spot price, required where it has
    none [USD/h]."""
    interruption_headroom_fraction: Num(ge=0, le=1) | None = None
    """Extra spot capacity held so that the latency budget still holds while reclaimed
    instances are replaced: spot instance-hours are multiplied by ``1 +`` this; default the
    catalog's 0.1, the upper end of the AWS Spot Instance Advisor's 5-10% monthly
    interruption band for L4 instances, a rule of thumb [fraction]."""


class Autoscaling(_Section):
    """Instances follow the load through the day instead of running for the peak all month."""

    scale_up_delay_minutes: Num(ge=0) = 15
    """How long before the active hours the peak fleet is started (instance start, model
    load and health checks), paid every active day; an assumption [min]."""
    max_instances: Num(ge=1, integer=True) | None = None
    """Most instances the fleet may run; a peak that needs more makes the option infeasible
    [count]."""


class Serverless(_Section):
    """A serverless function or endpoint billed per request and per GB-second."""

    platform: str | None = None
    """Catalog entry whose prices apply, e.g. ``aws/lambda`` or ``gcp/cloud-run``; the fields
    below override it."""
    usd_per_million_requests: Num(ge=0) | None = None
    """Price per million requests [USD/1M requests]."""
    usd_per_gb_second: Num(ge=0) | None = None
    """Price of one GB of configured memory for one second of billed duration
    [USD/GB-s]."""
    memory_gb: Num(gt=0) = Field(...)
    """Memory configured for the function [GB]."""
    vcpus: Num(ge=0) = 0
    """vCPUs billed separately from memory (Cloud Run); 0 where the memory price includes
    the CPU (Lambda) [count]."""
    usd_per_vcpu_second: Num(ge=0) | None = None
    """Price of one vCPU for one second of billed duration; default the catalog's, else 0
    [USD/vCPU-s]."""
    duration_ms: Num(gt=0) | None = None
    """Billed duration of one request; default the cloud's ``inference_ms`` [ms]."""
    free_requests_per_month: Num(ge=0) | None = None
    """Requests free each month; default the catalog's free tier [1/month]."""
    free_gb_seconds_per_month: Num(ge=0) | None = None
    """GB-seconds free each month; default the catalog's free tier [GB-s/month]."""
    cold_start_ms: Num(ge=0) = Field(...)
    """Extra latency of a request that starts a new execution environment (runtime, model
    load) [ms]."""
    cold_start_fraction: Num(ge=0, le=1) = Field(...)
    """Share of requests that meet a cold start; when it exceeds ``1 - percentile/100`` the
    cold start is inside the latency percentile and adds to it [fraction]."""


class HostedApi(_Section):
    """A hosted model API billed per input and output token."""

    model: str | None = None
    """Catalog entry whose prices apply, e.g. ``openai/gpt-4o-mini``; the prices below
    override it."""
    input_usd_per_million_tokens: Num(ge=0) | None = None
    """Price of input (prompt) tokens [USD/1M tokens]."""
    output_usd_per_million_tokens: Num(ge=0) | None = None
    """Price of output (generated) tokens [USD/1M tokens]."""
    cached_input_usd_per_million_tokens: Num(ge=0) | None = None
    """Price of input tokens served from the provider's prompt cache; default the catalog's,
    else the input price [USD/1M tokens]."""
    input_tokens_per_request: Num(ge=0) = Field(...)
    """Input tokens one inference sends (system prompt, context, question) [tokens]."""
    output_tokens_per_request: Num(ge=0) = Field(...)
    """Output tokens one inference generates [tokens]."""
    cached_input_fraction: Num(ge=0, le=1) = 0.0
    """Share of input tokens billed at the cached-input price [fraction]."""
    batch_fraction: Num(ge=0, le=1) = 0.0
    """Share of requests sent through the provider's batch API (answered within hours, not
    interactively) [fraction]."""
    batch_discount_fraction: Num(ge=0, lt=1) | None = None
    """Discount of batch requests off the interactive price; default the catalog's (0.5 for
    OpenAI and Anthropic) [fraction]."""
    tokens_per_minute_limit: Num(gt=0) | None = None
    """Account rate limit on input plus output tokens; a peak above it makes the option
    infeasible [tokens/min]."""
    requests_per_minute_limit: Num(gt=0) | None = None
    """Account rate limit on requests; a peak above it makes the option infeasible
    [requests/min]."""


class IngestCharge(_Section):
    """A charge where the data enters the cloud: a load balancer, a video-stream service."""

    name: str = Field(...)
    """What is paid for, as shown in the cost lines, e.g. ``application load balancer``."""
    service: str | None = None
    """Catalog entry whose prices apply, e.g. ``aws/application-load-balancer``; the prices
    below override it."""
    usd_per_gb: Num(ge=0) | None = None
    """Price per GB of requests processed (an ALB's LCU for processed bytes, a video-stream
    service's data ingested); default the catalog service's, else 0 [USD/GB]."""
    usd_per_hour: Num(ge=0) | None = None
    """Fixed price per hour the service runs (an ALB's hourly charge); default the catalog
    service's, else 0 [USD/h]."""


class MonthlyBill(_Section):
    """A flat monthly amount, as a study states it (network, storage, support plan)."""

    name: str = Field(...)
    """What is paid for, as shown in the cost lines."""
    usd_per_month: Num(ge=0) = Field(...)
    """The amount [USD/month]."""


class CloudPricing(_Section):
    """The billing fields of the cloud section (see :class:`edgecalc.scenario.models.Cloud`)."""

    commitment: Commitment | None = None
    """A reserved instance, savings plan or committed-use discount (pricing: instances)."""
    spot: Spot | None = None
    """Part of the uncommitted fleet on spot capacity (pricing: instances)."""
    autoscaling: Autoscaling | None = None
    """Instances follow the active hours and days of the workload; outside them the fleet
    runs ``min_instances`` (0 scales to zero) (pricing: instances)."""
    serverless: Serverless | None = None
    """Prices of a serverless function (pricing: serverless)."""
    hosted_api: HostedApi | None = None
    """Prices and token counts of a hosted model API (pricing: hosted_api)."""
    ingest: tuple[IngestCharge, ...] = ()
    """Charges where the requests enter the cloud, per GB and per hour."""
    monthly_bills: tuple[MonthlyBill, ...] = ()
    """Flat monthly amounts the cloud option pays."""
    zones: Num(ge=1, le=6, integer=True) = 1
    """Availability zones the fleet spans; with 2 or more it is sized to survive the loss of
    one zone: ``zones × ceil(instances / (zones - 1))``, at least ``zones`` [count]."""

    @model_validator(mode="after")
    def _pricing_has_its_section(self) -> CloudPricing:
        pricing = getattr(self, "pricing", "instances")
        if pricing == "hosted_api" and self.hosted_api is None:
            raise ValueError(
                "cloud.pricing hosted_api needs cloud.hosted_api (token prices and "
                "input_tokens_per_request, output_tokens_per_request)"
            )
        if pricing == "serverless" and self.serverless is None:
            raise ValueError(
                "cloud.pricing serverless needs cloud.serverless (memory_gb, cold_start_ms, "
                "cold_start_fraction and prices or a catalog platform)"
            )
        if self.hosted_api is not None and pricing != "hosted_api":
            raise ValueError("cloud.hosted_api is only used with cloud.pricing: hosted_api")
        if self.serverless is not None and pricing != "serverless":
            raise ValueError("cloud.serverless is only used with cloud.pricing: serverless")
        for name in ("commitment", "spot", "autoscaling"):
            if getattr(self, name) is not None and pricing != "instances":
                raise ValueError(f"cloud.{name} is only used with cloud.pricing: instances")
        if self.hosted_api is not None and self.hosted_api.model is None:
            _require_prices(
                self.hosted_api,
                "hosted_api",
                ("input_usd_per_million_tokens", "output_usd_per_million_tokens"),
                "a hosted API without a catalog model",
            )
        if self.serverless is not None and self.serverless.platform is None:
            _require_prices(
                self.serverless,
                "serverless",
                ("usd_per_million_requests", "usd_per_gb_second"),
                "a serverless function without a catalog platform",
            )
        return self


def _require_prices(section: BaseModel, name: str, fields: tuple[str, ...], what: str) -> None:
    """Raise naming every price ``fields`` of ``cloud.<name>`` that is unset."""
    missing = [f"cloud.{name}.{f}" for f in fields if getattr(section, f) is None]
    if missing:
        raise ValueError(f"{what} needs {' and '.join(missing)}")


STANDARD_NAMES = frozenset({"cloud", "edge", "hybrid", "hub", "none"})
"""Names an extra option may not take: the standard options, the kinds and ``none``."""


def merge_cloud_options(data: object) -> object:
    """Fill each ``options.<name>`` of kind cloud from the ``cloud:`` section (raw YAML data).

    An extra cloud option states only what differs from ``cloud:`` (``commitment``, a
    ``pricing`` and its section); every other field is the cloud's, except that an option
    priced another way does not inherit the sections of the cloud's pricing
    (:data:`PRICING_SECTIONS`). Nested sections merge key by key; ``null`` removes one
    (``commitment: null``). Runs before validation, so a merged option is validated as a whole
    cloud section.

    Examples
    --------
    >>> merge_cloud_options({"cloud": {"region": "aws/us-east-1", "min_instances": 2},
    ...     "options": {"cloud_3yr": {"kind": "cloud", "commitment": {"term_years": 3}}}}
    ... )["options"]["cloud_3yr"]["min_instances"]
    2
    """
    if not isinstance(data, dict):
        return data
    options, cloud = data.get("options"), data.get("cloud")
    if not isinstance(options, dict) or not isinstance(cloud, dict):
        return data
    merged = {
        name: _deep_merge(_inherited(cloud, spec), spec) if isinstance(spec, dict) else spec
        for name, spec in options.items()
    }
    return {**data, "options": merged}


PRICING_SECTIONS = ("commitment", "spot", "autoscaling", "serverless", "hosted_api")
"""Sections that belong to one pricing: an option priced another way does not inherit them."""


def _inherited(cloud: dict, spec: dict) -> dict:
    """The part of ``cloud:`` an option inherits: all of it, less the sections of the cloud's
    pricing when the option is priced another way."""
    if spec.get("pricing", cloud.get("pricing", "instances")) == cloud.get("pricing", "instances"):
        return cloud
    return {k: v for k, v in cloud.items() if k not in PRICING_SECTIONS}


def _deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value  # null stays null: the option has no such section
    return out


def option_differences(cloud: BaseModel, option: BaseModel) -> dict:
    """What an extra cloud option states beyond ``cloud:``, as :func:`merge_cloud_options`
    reads it back: each field that differs, whole (``null`` where the option has none)."""
    base = cloud.model_dump(mode="json")
    full = option.model_dump(mode="json")
    return {k: v for k, v in full.items() if k == "kind" or base.get(k) != v}


CLOUD_PRICING_CHOICES = (
    "as in the file",
    "on demand, always on",
    "on demand, autoscaled to the active hours",
    "1-year commitment, no upfront",
    "3-year commitment, all upfront",
)
"""The cloud pricings the app offers for a scenario priced by instances."""


def pricing_overrides(choice: str, discount_fraction: float) -> dict:
    """The overrides that price ``cloud:`` as ``choice`` (one of :data:`CLOUD_PRICING_CHOICES`).

    Examples
    --------
    >>> pricing_overrides("3-year commitment, all upfront", 0.4)["cloud.commitment"]
    {'term_years': 3, 'payment': 'all', 'discount_fraction': 0.4}
    >>> pricing_overrides("as in the file", 0.4)
    {}
    """
    if choice not in CLOUD_PRICING_CHOICES:
        raise ValueError(f"cloud pricing {choice!r}: one of {', '.join(CLOUD_PRICING_CHOICES)}")
    if choice == CLOUD_PRICING_CHOICES[0]:
        return {}
    plain = {"cloud.commitment": None, "cloud.spot": None, "cloud.autoscaling": None}
    if choice == CLOUD_PRICING_CHOICES[2]:
        return {**plain, "cloud.autoscaling": {}}
    if choice.startswith(("1-year", "3-year")):
        years, payment = (1, "none") if choice.startswith("1-year") else (3, "all")
        commitment = {"term_years": years, "payment": payment}
        return {**plain, "cloud.commitment": {**commitment, "discount_fraction": discount_fraction}}
    return plain

"""Scenario models of a site's WAN link (access technology, price, failover) and of the
availability the sites require.

Hooked into :class:`~edgecalc.scenario.models.Sites` / ``Site`` (``link``) and
:class:`~edgecalc.scenario.models.Operations` (``availability_requirement``). The figures a
technology brings (last-mile latency, WAN availability) are in
``edgecalc/catalog/data/access_networks.yaml``; anything given here overrides them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .base import Strict
from .ranges import Num

AccessTechnology = Literal[
    "fibre", "cable", "dsl", "lte", "5g", "leo_satellite", "geo_satellite", "mpls"
]
"""Access technologies in ``access_networks.yaml``."""


class LinkTransferPrice(Strict):
    """What one direction of the site's link costs per GB, and what happens beyond its
    allowance."""

    usd_per_gb: Num(ge=0) = 0
    """Price of each GB within the allowance (0 when the flat fee covers it) [USD/GB]."""
    included_gb_per_month: Num(ge=0) | None = None
    """GB per site and month the plan includes; none = unlimited [GB/month]."""
    beyond_allowance: Literal["overage", "throttle", "cap"] = "overage"
    """Beyond the allowance: billed per GB (overage), slowed to ``throttle_mbps`` for the rest of
    the month (throttle), or cut off, which makes a path that needs more infeasible (cap)."""
    overage_usd_per_gb: Num(ge=0) | None = None
    """Price per GB beyond the allowance; default ``usd_per_gb`` [USD/GB]."""
    throttle_mbps: Num(gt=0) | None = None
    """Rate of the link beyond the allowance when ``beyond_allowance`` is throttle [Mbit/s]."""

    @model_validator(mode="after")
    def _throttle_needs_a_rate(self) -> LinkTransferPrice:
        if self.beyond_allowance == "throttle" and self.throttle_mbps is None:
            raise ValueError("beyond_allowance: throttle needs throttle_mbps (the slowed rate)")
        if self.beyond_allowance != "overage" and self.included_gb_per_month is None:
            raise ValueError(
                f"beyond_allowance: {self.beyond_allowance} needs included_gb_per_month "
                "(the allowance it applies beyond)"
            )
        return self


class FailoverLink(Strict):
    """A second WAN link that carries the traffic while the first is down."""

    technology: AccessTechnology
    """Access technology of the second link (sets its availability unless given)."""
    availability: Num(ge=0, le=1) | None = None
    """Share of time the second link is up; default the technology's [fraction]."""
    flat_usd_per_month: Num(ge=0) = 0
    """Flat fee of the second link per site [USD/month]."""
    usd_per_gb: Num(ge=0) = 0
    """Price per GB, both directions, of traffic while it carries it [USD/GB]."""


class SiteLink(Strict):
    """The site's WAN link: its access technology, what it costs, and an optional failover."""

    technology: AccessTechnology | None = None
    """Access technology; its last-mile latency enters the estimated RTT and its availability
    the WAN's, unless given below or in ``wan_availability``."""
    access_latency_ms: Num(ge=0) | None = None
    """Median last-mile round trip; default the technology's, else ``cloud.rtt.access_ms``
    [ms]."""
    access_latency_p90_ms: Num(ge=0) | None = None
    """90th percentile of the last-mile round trip over time (its jitter); default the
    technology's, else the median [ms]."""
    availability: Num(ge=0, le=1) | None = None
    """Share of time the link is up; default ``wan_availability`` if given, else the
    technology's [fraction]."""
    flat_usd_per_month: Num(ge=0) = 0
    """Flat fee of the link per site [USD/month]."""
    upload: LinkTransferPrice = LinkTransferPrice()
    """Price of what the site sends (raw inputs to the cloud, escalations, telemetry)."""
    download: LinkTransferPrice = LinkTransferPrice()
    """Price of what the site receives (results, model updates)."""
    data_plan: LinkTransferPrice | None = None
    """One price and allowance for upload and download together (most satellite and mobile
    plans count both); when set, ``upload`` and ``download`` must be left unpriced."""
    vpn_usd_per_month: Num(ge=0) = 0
    """VPN or private-link charge per site (the site's tunnel, a private endpoint share)
    [USD/month]."""
    failover: FailoverLink | None = None
    """A second link (e.g. LTE behind fibre) that carries the traffic while this one is down."""

    @model_validator(mode="after")
    def _one_way_of_pricing(self) -> SiteLink:
        if self.data_plan is not None and (
            self.upload != LinkTransferPrice() or self.download != LinkTransferPrice()
        ):
            raise ValueError(
                "data_plan prices upload and download together: leave upload and download out"
            )
        return self

    @model_validator(mode="after")
    def _p90_not_below_median(self) -> SiteLink:
        low, high = self.access_latency_ms, self.access_latency_p90_ms
        if isinstance(low, int | float) and isinstance(high, int | float) and high < low:
            raise ValueError(
                f"access_latency_p90_ms ({high:g}) is below access_latency_ms ({low:g})"
            )
        return self


class AvailabilityRequirement(Strict):
    """How much inference the sites must get, and what a minute without it costs."""

    min_share_served: Num(ge=0, le=1) | None = None
    """Share of inferences that must be served (late ones included) [fraction]."""
    max_minutes_without_inference_per_month: Num(ge=0) | None = None
    """Minutes per site and month without inference that are acceptable [min/month]."""
    usd_per_minute_without_inference: Num(ge=0) | None = None
    """What one site-minute without inference costs (lost sales, a stopped line); a cost line
    when given [USD/min]."""

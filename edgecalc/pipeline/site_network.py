"""What the sites' network adds to each option: link cost lines, the cost of minutes without
inference, and the checks (hard caps, throttled links, the availability requirement).

The engine calls :func:`network_lines` for each option's cost lines and
:func:`network_checks` for its hard constraints; both are vectorised over samples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..costs.lines import CostLine, line
from ..costs.link_lines import link_checks, link_lines, site_traffic
from ..format import usd_compact
from ..operations.option_availability import OptionAvailability, option_availability
from ..operations.requirement import check_availability, requirement_reason

__all__ = ["NetworkCheck", "link_reason", "network_checks", "network_lines"]

LINK_ITEMS = ("site link:", "failover link:")
"""How the cost lines of :func:`~edgecalc.costs.link_lines.link_lines` start."""


@dataclass(frozen=True)
class NetworkCheck:
    """A hard constraint of the sites' network for one option, per sample."""

    constraint: str
    """``link_cap``, ``link_throttle`` or ``availability``."""
    mask: np.ndarray
    """True where violated, shape (S,)."""
    figures: dict[str, np.ndarray] = field(default_factory=dict)
    """The figures checked, each of shape (S,)."""
    text: str = ""
    """The violation at the first sample in words; empty when met there."""
    ok_text: str = ""
    """What was checked, in words, when met at the first sample."""


def availability_of(name: str, kind: str, prefix: str, x, r, load) -> OptionAvailability:
    """The option's availability at the average site, per sample (see
    :func:`~edgecalc.operations.option_availability.option_availability`)."""
    s = r.scenario
    residency_ok = _cloud_allowed(r)
    hub = s.hubs[int(prefix.rsplit(".", 1)[1])] if kind == "hub" else None
    return option_availability(
        kind,
        x,
        [np.asarray(x[g.wan_availability], dtype=float) for g in r.groups],
        load.count,
        load.peak,
        prefix=prefix,
        fallback_to_cloud=s.operations.offline_fallback == "cloud" and residency_ok,
        escalation_policy=s.operations.escalations_when_wan_down,
        hub_remote=hub is not None and hub.placement != "on_site",
        hub_managed=hub is not None and hub.pricing == "managed",
    )


def _linked_traffic(kind: str, x, r, load, prefix: str, *, beyond=None) -> list | None:
    """:func:`~edgecalc.costs.link_lines.site_traffic` per site group, or ``None`` for every
    group when nothing would read it: no group has a link (link lines read traffic of linked
    groups only). With ``beyond``: None (not a list) when no link has a term that ends that
    way (the checks read the traffic of capped and throttled terms only, and there are none to
    check). The (G, S, M) traffic arrays are built only when read, and not kept after (a
    portfolio's Monte Carlo batch holds one option's at a time)."""
    links = [link for group in r.groups if (link := getattr(group, "link", None)) is not None]
    if beyond is not None:
        if not any(t[1] in beyond for link in links for t in link.terms):
            return None
    elif not links:
        return [None] * len(r.groups)
    return site_traffic(kind, x, load, prefix)


def network_lines(name: str, kind: str, prefix: str, x, r, load) -> list[CostLine]:
    """The option's link lines and, with a price per minute, its minutes without inference.

    Returns
    -------
    list of CostLine
        Category ``network`` (the link) and ``downtime`` (``minutes per site x sites x USD per
        minute``, each month).
    """
    traffic = _linked_traffic(kind, x, r, load, prefix)
    lines = link_lines(name, kind, x, r.groups, load, traffic)
    requirement = r.scenario.operations.availability_requirement
    if requirement is not None and requirement.usd_per_minute_without_inference is not None:
        path = "operations.availability_requirement.usd_per_minute_without_inference"
        minutes = availability_of(
            name, kind, prefix, x, r, load
        ).minutes_without_inference_per_month
        site_minutes = load.sites * minutes[:, None]
        shape = load.total_monthly.shape
        lines.append(
            line(
                name,
                "downtime",
                "minutes without inference (at the scenario's price per minute)",
                "site-minutes",
                site_minutes,
                np.asarray(x[path], dtype=float)[:, None],
                inputs=(path, "sites.wan_availability", "edge.annual_failure_rate"),
                shape=shape,
            )
        )
    return lines


def network_checks(name: str, kind: str, prefix: str, x, r, load) -> list[NetworkCheck]:
    """The option's hard constraints from the sites' network.

    Returns
    -------
    list of NetworkCheck
        ``link_cap`` and ``link_throttle`` where some site's link has such terms;
        ``availability`` where the scenario sets a requirement.
    """
    traffic = _linked_traffic(kind, x, r, load, prefix, beyond=("cap", "throttle"))
    checks = (
        [
            NetworkCheck(c.constraint, c.mask, text=c.text, ok_text=_link_ok(c.constraint))
            for c in link_checks(name, x, r.groups, traffic)
        ]
        if traffic is not None
        else []  # no link has a hard cap or a throttle: nothing to check
    )
    requirement = r.scenario.operations.availability_requirement
    if requirement is None or (
        requirement.min_share_served is None
        and requirement.max_minutes_without_inference_per_month is None
    ):
        return checks
    base = "operations.availability_requirement"
    min_share = x.get(f"{base}.min_share_served")
    max_minutes = x.get(f"{base}.max_minutes_without_inference_per_month")
    got = availability_of(name, kind, prefix, x, r, load)
    check = check_availability(
        got.minutes_without_inference_per_month, got.share_served, min_share, max_minutes
    )
    first = [None if v is None else float(np.asarray(v)[0]) for v in (min_share, max_minutes)]
    minutes0 = float(got.minutes_without_inference_per_month[0])
    share0 = float(got.share_served[0])
    text = requirement_reason(name, minutes0, share0, *first) or ""
    checks.append(
        NetworkCheck(
            "availability",
            ~check.met,
            {
                "minutes_without_inference_per_month": got.minutes_without_inference_per_month,
                "share_served": got.share_served,
            },
            text=text,
            ok_text=(
                f"serves {100 * share0:.2f}% of inferences, down {minutes0:,.0f} min per site "
                "and month: within the requirement"
            ),
        )
    )
    return checks


def _link_ok(constraint: str) -> str:
    if constraint == "link_cap":
        return "the month's traffic stays within the link's hard cap"
    return "the inference path keeps within the link's throttled rate"


def _cloud_allowed(r) -> bool:
    """Raw data may go to the cloud region from every site group (for hybrid's fallback)."""
    from .constraints import residency_allows

    region = r.region
    return all(
        residency_allows(
            r.scenario.residency.raw_data, g.country, g.zone, region.country, region.zone
        )
        is True
        for g in r.groups
    )


def link_reason(options: dict, months: int) -> str | None:
    """What the sites' link costs each option over the horizon, at the first sample.

    Parameters
    ----------
    options : dict of str to OptionArrays
        The engine's options.
    months : int
        The horizon [months].

    Returns
    -------
    str or None
        ``"the sites' link over 60 months: cloud $2.46M (traffic $1.17M), edge $1.30M"``;
        None when no link costs anything.
    """
    parts = []
    for name, option in options.items():
        network = [
            ln for ln in option.lines if ln.category == "network" and ln.item.startswith(LINK_ITEMS)
        ]
        total = sum(float(ln.usd[0].sum()) for ln in network)
        traffic = sum(float(ln.usd[0].sum()) for ln in network if ln.unit == "GB")
        if total > 0:
            parts.append(
                f"{name} {usd_compact(total)}"
                + (f" (traffic {usd_compact(traffic)})" if traffic > 0 else "")
            )
    if not parts:
        return None
    return f"the sites' link over {months} months: " + ", ".join(parts)

"""Resolve each site group's WAN link: its figures from the access technology, its price paths.

Called by :func:`edgecalc.pipeline.resolve.resolve` once the site groups are known. For every group
whose sites have a link (``sites.link``, or ``sites.list[i].link`` for that site), the
technology's figures fill what the scenario leaves unset, recorded as catalog facts:

- ``<link>.access_latency_ms`` and ``<link>.access_latency_p90_ms``: the last mile, which the
  estimated RTT adds at the latency percentile;
- ``<link>.availability``: the WAN's share of time up, in this order: the link's own value,
  the site's (or sites') ``wan_availability`` when the scenario sets it, the technology's (an
  assumption, so a range: its downtime within +-50 %), the schema default of
  ``sites.wan_availability``;
- ``<link>.failover.availability`` from the second link's technology, and
  ``<link>.wan_availability_with_failover = 1 - (1 - a1)(1 - a2)``, which becomes the group's
  WAN availability;
- ``<link>.upload.overage_usd_per_gb`` (and download): the in-allowance price when unset.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..catalog import Fact
from ..costs.link import failover_availability
from ..latency.access import AccessFigure, access_technology
from ..scenario.ranges import Range

__all__ = [
    "SHARED_REGION_RTT_SPEARMAN",
    "GroupLink",
    "access_fact",
    "resolve_site_links",
    "shared_region_rtt_correlations",
]

SHARED_REGION_RTT_SPEARMAN = 0.8
"""Rank correlation Monte Carlo gives the estimated RTTs of two site groups that reach the same
region: where the routes into a region sit in the calibration band is largely shared (the
provider's paths into it), not drawn anew per site. A rule of thumb with no published source;
``correlations:`` in the scenario replaces it for a pair [-]."""


@dataclass(frozen=True)
class GroupLink:
    """Where one site group's link figures live among the inputs, and its non-numeric terms."""

    prefix: str
    """Input path of the link, e.g. ``sites.link`` or ``sites.list.2.link``."""
    technology: str | None
    """Access technology key, if given."""
    terms: tuple[tuple[str, str, bool], ...]
    """How the traffic is priced: ``(term, beyond_allowance, has_allowance)`` for ``upload`` and
    ``download``, or for ``data_plan`` alone (both directions together)."""
    failover: str | None
    """The second link's technology, if there is one."""

    def path(self, name: str) -> str:
        """Input path of one of the link's fields, e.g. ``path("upload.usd_per_gb")``."""
        return f"{self.prefix}.{name}"


@functools.lru_cache(maxsize=256)
def access_fact(technology: str, name: str) -> Fact:
    """The catalog fact behind one figure of an access technology.

    Kept per technology and figure: the technologies are read once per process
    (:func:`~edgecalc.latency.access.access_technologies`) and a :class:`Fact` is frozen, so
    every site group of a technology shares one.
    """
    figure: AccessFigure = getattr(access_technology(technology), name)
    unit = "fraction" if name == "availability" else "ms"
    return Fact(
        key=f"access_networks.{technology}.{name}",
        value=figure.value,
        unit=unit,
        source=figure.source,
        as_of=figure.as_of,
        confidence="low" if figure.assumption else "medium",
        note="an assumption (rule of thumb), no published source" if figure.assumption else None,
    )


def resolve_site_links(s, groups, values, assumptions, assumption_type) -> list:
    """Fill each group's link figures into ``values``; return the groups with their links.

    Parameters
    ----------
    s : Scenario
        The scenario.
    groups : list of SiteGroup
        The site groups, in the order of ``sites.list`` (or the one group of ``sites.count``).
    values, assumptions : dict
        The resolver's inputs and their origins, updated in place.
    assumption_type : callable
        Makes an :class:`edgecalc.pipeline.resolve.Assumption` from ``(path, value, origin,
        fact, note)``: the class, or the resolver's faster maker (passed in to keep the import
        one-way).

    Returns
    -------
    list of SiteGroup
        The groups, each with ``link`` set (None for a group without a link) and
        ``wan_availability`` pointing at the link's availability (with any failover).
    """

    def fill(path, value, origin, fact=None, note=""):
        if path not in values:
            values[path] = value
            assumptions[path] = assumption_type(path, value, origin, fact, note)

    out = []
    sites = s.sites.list
    for i, group in enumerate(groups):
        site = sites[i] if sites is not None else None
        link = site.link if site is not None and site.link is not None else s.sites.link
        if link is None:
            out.append(group)
            continue
        prefix = (
            f"sites.list.{i}.link" if site is not None and site.link is not None else "sites.link"
        )
        wan_given = _wan_availability_given(s, site, i)
        terms = _terms(link)
        tech = link.technology
        if tech is not None:
            for name, field in (
                ("latency_p50_ms", "access_latency_ms"),
                ("latency_p90_ms", "access_latency_p90_ms"),
            ):
                fact = access_fact(tech, name)
                fill(f"{prefix}.{field}", float(fact.value), "catalog", fact)
        elif f"{prefix}.access_latency_ms" in values:
            fill(
                f"{prefix}.access_latency_p90_ms",
                values[f"{prefix}.access_latency_ms"],
                "default",
                note="no jitter given: the median",
            )
        if wan_given is not None:
            fill(f"{prefix}.availability", values[wan_given], "scenario", note=wan_given)
        elif tech is not None:
            fact = access_fact(tech, "availability")
            fill(f"{prefix}.availability", _availability_value(fact), "catalog", fact)
        else:
            fill(
                f"{prefix}.availability",
                values["sites.wan_availability"],
                "default",
                note="sites.wan_availability",
            )
        for direction, _ in terms:
            fill(
                f"{prefix}.{direction}.overage_usd_per_gb",
                values[f"{prefix}.{direction}.usd_per_gb"],
                "default",
                note=f"{prefix}.{direction}.usd_per_gb",
            )
        wan_path = f"{prefix}.availability"
        if link.failover is not None:
            fact = access_fact(link.failover.technology, "availability")
            fill(f"{prefix}.failover.availability", _availability_value(fact), "catalog", fact)
            wan_path = f"{prefix}.wan_availability_with_failover"
            combined = _combined(
                values[f"{prefix}.availability"], values[f"{prefix}.failover.availability"]
            )
            values[wan_path] = combined
            assumptions[wan_path] = assumption_type(
                wan_path,
                combined,
                "estimate",
                note="1 - (1 - link availability) x (1 - failover availability)",
            )
        out.append(
            _replaced(
                group,
                wan_availability=wan_path,
                link=GroupLink(
                    prefix=prefix,
                    technology=tech,
                    terms=tuple(
                        (term, price.beyond_allowance, price.included_gb_per_month is not None)
                        for term, price in terms
                    ),
                    failover=link.failover.technology if link.failover is not None else None,
                ),
            )
        )
    return out


def _replaced(group, **changes):
    """``dataclasses.replace`` for a site group, whose fields are all plain ``__init__``
    arguments: built from its ``__dict__`` (a third of the time, for every site group)."""
    return type(group)(**{**group.__dict__, **changes})


ASSUMED_DOWNTIME_SPREAD = 0.5
"""An assumed availability is sampled with its downtime ``1 - a`` within +-50 % (a 90 %
interval, normal), so Monte Carlo carries the doubt; its median is the catalog's figure [-]."""


@functools.lru_cache(maxsize=256)
def _availability_value(fact: Fact) -> float | Range:
    """A published availability as a number; an assumed one as a range around it (kept per
    fact: both are frozen, so the site groups of one technology share one)."""
    value = float(fact.value)
    if fact.confidence != "low":
        return value
    down = 1.0 - value
    return Range(
        low=1.0 - (1.0 + ASSUMED_DOWNTIME_SPREAD) * down,
        high=1.0 - (1.0 - ASSUMED_DOWNTIME_SPREAD) * down,
        dist="normal",
        min=0.0,
        max=1.0,
    )


def _terms(link) -> list[tuple[str, object]]:
    """The link's priced terms: upload and download, or its data plan for both."""
    if link.data_plan is not None:
        return [("data_plan", link.data_plan)]
    return [("upload", link.upload), ("download", link.download)]


def _wan_availability_given(s, site, index: int) -> str | None:
    """Path of a ``wan_availability`` the scenario sets for this site, if any."""
    if site is not None and site.wan_availability is not None:
        return f"sites.list.{index}.wan_availability"
    if "wan_availability" in s.sites.model_fields_set:
        return "sites.wan_availability"
    return None


def _combined(primary, secondary):
    """Availability with failover of two values or ranges (a range maps its ends)."""
    if isinstance(primary, Range) or isinstance(secondary, Range):
        low = [v.low if isinstance(v, Range) else v for v in (primary, secondary)]
        high = [v.high if isinstance(v, Range) else v for v in (primary, secondary)]
        return Range(
            low=float(failover_availability(*low)),
            high=float(failover_availability(*high)),
            max=1.0,
        )
    return float(failover_availability(primary, secondary))


def shared_region_rtt_correlations(resolved) -> dict[tuple[str, str], float]:
    """Default rank correlations between the estimated RTTs of every pair of site groups.

    Every group of a scenario reaches the one cloud region, so every pair of groups whose RTT
    is an estimate (a range, origin ``estimate``) gets :data:`SHARED_REGION_RTT_SPEARMAN`.

    Returns
    -------
    dict
        ``(path_a, path_b) -> Spearman rank correlation``.
    """
    paths = [
        g.rtt_ms
        for g in resolved.groups
        if g.rtt_ms in resolved.assumptions
        and resolved.assumptions[g.rtt_ms].origin == "estimate"
        and isinstance(resolved.values.get(g.rtt_ms), Range)
    ]
    return {(a, b): SHARED_REGION_RTT_SPEARMAN for i, a in enumerate(paths) for b in paths[i + 1 :]}

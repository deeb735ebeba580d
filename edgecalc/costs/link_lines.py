"""The site's link in every option's costs: what each option sends over it, what that costs,
and when the link cannot carry it.

Per site group and month, per site:

- the cloud sends every raw input up (``inferences x request_bytes``) and gets every result
  back (``x response_bytes``);
- hybrid sends its escalations up (``x escalation_rate x escalation_bytes``) and gets their
  results back, plus what its devices need;
- the edge's devices download model updates (``devices x updates / 12 x parameters x
  bytes/parameter x delta x attempts``) and upload telemetry (``devices x bytes/day x 730 /
  24``).

Each direction is billed by :func:`edgecalc.costs.link.link_direction_bill` (allowance,
overage, throttle, cap), plus the link's flat fee and VPN charge per site. A failover link
costs its flat fee for the options that need the WAN to infer (cloud, hybrid), and its per-GB
price on the traffic of the time it carries (:func:`edgecalc.costs.link.failover_share`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .device_traffic import telemetry_upload_gb, update_download_gb
from .lines import CostLine, line
from .link import failover_share, link_direction_bill
from .sizing import devices_per_site

GB = 1e9
"""Bytes in a gigabyte (decimal) [bytes]."""

__all__ = [
    "LinkCheck",
    "SiteTraffic",
    "device_traffic_gb",
    "link_checks",
    "link_lines",
    "site_traffic",
]


@dataclass(frozen=True)
class SiteTraffic:
    """What one site of a group sends and receives in each month, shape (S, M)."""

    upload_gb: np.ndarray
    """GB sent per site and month [GB/month]."""
    download_gb: np.ndarray
    """GB received per site and month [GB/month]."""
    peak_upload_mbps: np.ndarray
    """Peak upload rate of the inference path (0 when the path is bulk only) [Mbit/s]."""
    peak_download_mbps: np.ndarray
    """Peak download rate of the inference path [Mbit/s]."""
    what_up: str
    """What goes up, in words."""
    what_down: str
    """What comes down, in words."""


@dataclass(frozen=True)
class LinkCheck:
    """Whether one option's traffic fits the links, per sample, with the words at sample 0."""

    constraint: str
    """``link_cap`` or ``link_throttle``."""
    mask: np.ndarray
    """True where the link cannot carry the option's traffic, shape (S,)."""
    text: str
    """The worst case at the first sample, in words; empty when it fits there."""


def device_traffic_gb(x, peak, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    """Model updates down and telemetry up, per site and month, for a site's devices (S, M).

    Parameters
    ----------
    x : dict
        Inputs, each of shape (S,).
    peak : numpy.ndarray
        Peak inference rate per site by month, shape (S, M), or (G, S, M) for G site groups
        at once [1/s].
    prefix : str
        ``edge`` or ``hybrid``.

    Returns
    -------
    download_gb, upload_gb : numpy.ndarray
        Update downloads and telemetry uploads per site and month [GB/month].
    """
    col = _col(x)
    devices = devices_per_site(
        peak,
        col(f"{prefix}.inferences_per_second_per_device"),
        col("edge.target_utilization"),
        col("edge.redundancy"),
    )
    update_gb = update_download_gb(col, devices, prefix)
    telemetry_gb = telemetry_upload_gb(col, devices)
    return update_gb, telemetry_gb


def site_traffic(kind: str, x, load, prefix: str = "edge") -> list[SiteTraffic]:
    """Per site group, what one site sends and receives for an option of ``kind``.

    Parameters
    ----------
    kind : {"cloud", "edge", "hybrid"}
        The option's kind.
    x : dict
        Inputs, each of shape (S,).
    load : Load
        Volume per site group (:class:`edgecalc.costs.options.Load`).
    prefix : str, optional
        Device prefix of an edge or hybrid option.

    Returns
    -------
    list of SiteTraffic
    """
    col = _col(x)
    if not load.monthly:
        return []
    # every group at once: the groups' (S, M) arrays stacked on a leading axis (G, S, M), the
    # shared inputs (S, 1) broadcast against it; the same figures as one group at a time
    monthly = np.stack(load.monthly)
    peak = np.stack(load.peak)
    zero = np.zeros_like(monthly)
    if kind == "cloud":
        share, up_bytes, up, down = 1.0, col("workload.request_bytes"), "raw inputs", "results"
    elif kind == "hybrid":
        share, up_bytes = col("hybrid.escalation_rate"), col("hybrid.escalation_bytes")
        up, down = "escalations, telemetry", "escalation results, model updates"
    else:
        share, up_bytes, up, down = 0.0, zero, "telemetry", "model updates"
    upload_gb = monthly * share * up_bytes / GB
    download_gb = monthly * share * col("workload.response_bytes") / GB
    peak_up = peak * share * up_bytes * 8 / 1e6
    peak_down = peak * share * col("workload.response_bytes") * 8 / 1e6
    if kind not in ("cloud", "hub"):  # a hub's traffic is on its own link (costs.hub)
        update_gb, telemetry_gb = device_traffic_gb(x, peak, prefix)
        upload_gb = upload_gb + telemetry_gb
        download_gb = download_gb + update_gb
    upload_gb, download_gb = upload_gb + zero, download_gb + zero
    peak_up, peak_down = peak_up + zero, peak_down + zero
    return [
        SiteTraffic(
            upload_gb=upload_gb[i],
            download_gb=download_gb[i],
            peak_upload_mbps=peak_up[i],
            peak_download_mbps=peak_down[i],
            what_up=up,
            what_down=down,
        )
        for i in range(len(monthly))
    ]


def link_lines(option: str, kind: str, x, groups, load, traffic) -> list[CostLine]:
    """Cost lines of the site links for one option, summed over the site groups.

    Parameters
    ----------
    option, kind : str
        The option's name and kind.
    x : dict
        Inputs, each of shape (S,).
    groups : list of SiteGroup
        Site groups; those with ``link`` None pay nothing for their link.
    load : Load
        Site counts and volume.
    traffic : list of SiteTraffic
        :func:`site_traffic` for this option.

    Returns
    -------
    list of CostLine
        Category ``network``: flat fee, VPN, upload and download traffic, failover; only the
        items some group pays for.
    """
    col = _col(x)
    shape = load.total_monthly.shape
    needs_wan = kind in ("cloud", "hybrid")
    items: dict[str, list] = {}

    def add(item, unit, quantity, usd, inputs):
        entry = items.setdefault(item, [unit, 0.0, 0.0, set()])
        entry[1] = entry[1] + quantity
        entry[2] = entry[2] + usd
        entry[3].update(inputs)

    bills = _bills(x, groups, traffic)
    for i, (group, count, t) in enumerate(zip(groups, load.count, traffic, strict=True)):
        link = getattr(group, "link", None)
        if link is None:
            continue
        months = np.ones(shape)
        add(
            "site link: flat fee",
            "site-months",
            count * months,
            count * col(link.path("flat_usd_per_month")) * months,
            (link.path("flat_usd_per_month"),),
        )
        add(
            "site link: VPN / private link",
            "site-months",
            count * months,
            count * col(link.path("vpn_usd_per_month")) * months,
            (link.path("vpn_usd_per_month"),),
        )
        for term, _, _ in link.terms:
            gb, _, what = _term_traffic(term, t)
            add(
                f"site link: {term.replace('_', ' ')} ({what})",
                "GB",
                count * gb,
                count * bills[i, term],
                (link.path(f"{term}.usd_per_gb"), link.path(f"{term}.overage_usd_per_gb")),
            )
        if link.failover is not None and needs_wan:
            share = failover_share(
                col(link.path("availability")), col(link.path("failover.availability"))
            )
            add(
                "failover link: flat fee",
                "site-months",
                count * months,
                count * col(link.path("failover.flat_usd_per_month")) * months,
                (link.path("failover.flat_usd_per_month"),),
            )
            carried = (t.upload_gb + t.download_gb) * share
            add(
                "failover link: traffic while the main link is down",
                "GB",
                count * carried,
                count * carried * col(link.path("failover.usd_per_gb")),
                (link.path("failover.usd_per_gb"), link.path("failover.availability")),
            )
    lines = []
    for item, (unit, quantity, usd, inputs) in items.items():
        quantity = np.broadcast_to(np.asarray(quantity, dtype=float), shape)
        usd = np.broadcast_to(np.asarray(usd, dtype=float), shape)
        if not np.any(usd != 0):
            continue
        unit_usd = np.divide(usd, quantity, out=np.zeros(shape), where=quantity > 0)
        lines.append(
            line(
                option,
                "network",
                item,
                unit,
                quantity,
                unit_usd,
                inputs=tuple(sorted(inputs)),
                usd=usd,
                shape=shape,
            )
        )
    return lines


def link_checks(option: str, x, groups, traffic) -> list[LinkCheck]:
    """Whether the links can carry one option's traffic: hard caps and throttled rates.

    Parameters
    ----------
    option : str
        The option's name, for the words.
    x : dict
        Inputs, each of shape (S,).
    groups : list of SiteGroup
        Site groups and their links.
    traffic : list of SiteTraffic
        :func:`site_traffic` for this option.

    Returns
    -------
    list of LinkCheck
        ``link_cap`` (a month's traffic beyond a hard cap) and ``link_throttle`` (the inference
        path's peak rate above a throttled link's usable rate once the allowance is used),
        each only when some group's link has such terms.

    Notes
    -----
    The usable share of a throttled rate is ``sites.uplink_usable_fraction``, as for the
    uplink. Bulk traffic (model updates, telemetry) can wait for a slow link; only the
    inference path (raw inputs, escalations and their results) is held to the throttled rate.
    """
    col = _col(x)
    samples = len(np.asarray(x["sites.uplink_usable_fraction"]))
    checks = []
    for constraint, beyond in (("link_cap", "cap"), ("link_throttle", "throttle")):
        mask = np.zeros(samples, dtype=bool)
        words = []
        relevant = False
        for group, t in zip(groups, traffic, strict=True):
            link = getattr(group, "link", None)
            if link is None:
                continue
            for direction, term_beyond, _ in link.terms:
                gb, peak, _ = _term_traffic(direction, t)
                if term_beyond != beyond:
                    continue
                relevant = True
                allowance = col(link.path(f"{direction}.included_gb_per_month"))
                over = gb > allowance * (1 + 1e-12)  # (S, M)
                if beyond == "cap":
                    bad = over.any(axis=-1)
                    if bool(bad[0]):
                        words.append(
                            f"{option} sends {_gb(gb[0].max())} a month per site "
                            f"{_WAY[direction]}{_where(group)}, over "
                            f"the link's hard cap of {_gb(allowance[0, 0])}"
                        )
                else:
                    usable = col(link.path(f"{direction}.throttle_mbps")) * col(
                        "sites.uplink_usable_fraction"
                    )
                    slow = over & (peak > usable * (1 + 1e-12))
                    bad = slow.any(axis=-1)
                    if bool(bad[0]):
                        m = int(np.argmax(slow[0]))
                        words.append(
                            f"{option} needs {peak[0, m]:,.1f} Mbit/s {_WAY[direction]} at peak"
                            f"{_where(group)}, but the link slows to {usable[0, 0]:,.1f} Mbit/s "
                            f"usable once its {_gb(allowance[0, 0])} are used "
                            f"({_gb(gb[0, m])} a month)"
                        )
                mask |= bad
        if relevant:
            checks.append(LinkCheck(constraint, mask, "; ".join(words)))
    return checks


_WAY = {"upload": "up", "download": "down", "data_plan": "up and down"}
"""How the words name the direction of each priced term."""


def _term_traffic(term: str, t: SiteTraffic) -> tuple[np.ndarray, np.ndarray, str]:
    """GB per site and month, the inference path's peak rate, and what it is, for one term."""
    if term == "upload":
        return t.upload_gb, t.peak_upload_mbps, t.what_up
    if term == "download":
        return t.download_gb, t.peak_download_mbps, t.what_down
    peak = np.maximum(t.peak_upload_mbps, t.peak_download_mbps)
    return t.upload_gb + t.download_gb, peak, f"{t.what_up}; {t.what_down}"


def _bills(x, groups, traffic) -> dict[tuple[int, str], np.ndarray]:
    """Each linked group's bill per term, per site and month (S, M), keyed ``(group, term)``.

    Groups whose link prices a term the same way (what happens beyond the allowance, whether
    there is one) are billed together: their traffic and prices are stacked on a leading
    group axis and :func:`~edgecalc.costs.link.link_direction_bill` runs once for all of them
    (the same figures, element by element, as one call per group).
    """
    col = _col(x)
    classes: dict[tuple, list[tuple[int, object, np.ndarray]]] = {}
    for i, (group, t) in enumerate(zip(groups, traffic, strict=True)):
        link = getattr(group, "link", None)
        if link is None:
            continue
        for term, beyond, has_allowance in link.terms:
            gb = _term_traffic(term, t)[0]
            classes.setdefault((term, beyond, has_allowance, gb.shape), []).append((i, link, gb))
    bills = {}
    for (term, beyond, has_allowance, _), members in classes.items():

        def stacked(name, members=members, term=term):
            return np.stack([col(link.path(f"{term}.{name}")) for _, link, _ in members])

        bill = link_direction_bill(
            np.stack([gb for _, _, gb in members]),
            stacked("usd_per_gb"),
            stacked("included_gb_per_month") if has_allowance else None,
            beyond,
            stacked("overage_usd_per_gb"),
        )
        usd = np.broadcast_to(bill.usd_per_month, (len(members), *members[0][2].shape))
        for k, (i, _, _) in enumerate(members):
            bills[i, term] = usd[k]
    return bills


def _where(group) -> str:
    """`` (site group name)`` for a named site, nothing for the sites of ``sites.count``."""
    return "" if group.name == "each site" else f" ({group.name})"


def _gb(value: float) -> str:
    return f"{float(value):,.0f} GB"


def _col(x):
    def col(path):
        return np.asarray(x[path], dtype=float)[:, None]

    return col

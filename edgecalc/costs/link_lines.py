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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .device_traffic import telemetry_upload_gb, update_download_gb
from .lines import CostLine, line
from .link import failover_share, link_direction_bill
from .sizing import devices_per_site

GB = 1e9
"""Bytes in a gigabyte (decimal) [bytes]."""

__all__ = [
    "GroupTraffic",
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


class GroupTraffic(Sequence):
    """:class:`SiteTraffic` of every site group, held as arrays stacked on a leading group
    axis (G, S, M); item ``i`` is group ``i``'s (views of row ``i``), made when asked for.

    The link lines and checks read the stacked arrays directly (:meth:`rows`), not a group at
    a time.
    """

    def __init__(self, upload_gb, download_gb, peak_upload_mbps, peak_download_mbps, up, down):
        self.upload_gb, self.download_gb = upload_gb, download_gb
        self.peak_upload_mbps, self.peak_download_mbps = peak_upload_mbps, peak_download_mbps
        self.what_up, self.what_down = up, down

    def __len__(self) -> int:
        return len(self.upload_gb)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return SiteTraffic(
            upload_gb=self.upload_gb[i],
            download_gb=self.download_gb[i],
            peak_upload_mbps=self.peak_upload_mbps[i],
            peak_download_mbps=self.peak_download_mbps[i],
            what_up=self.what_up,
            what_down=self.what_down,
        )

    def rows(self, name: str, members: list[int]) -> np.ndarray:
        """The stacked array ``name`` (``upload_gb``...) for the groups ``members``, in their
        order (G', S, M): the very rows ``np.stack`` of the groups' items gives."""
        stacked = getattr(self, name)
        if len(members) == len(stacked) and members == list(range(len(stacked))):
            return stacked
        return stacked[members]


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


def site_traffic(kind: str, x, load, prefix: str = "edge") -> GroupTraffic:
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
    GroupTraffic
        A sequence of :class:`SiteTraffic`, one per group, over arrays stacked on a leading
        group axis.
    """
    col = _col(x)
    if not load.monthly:
        return []
    # every group at once: the groups' (S, M) arrays stacked on a leading axis (G, S, M), the
    # shared inputs (S, 1) broadcast against it; the same figures as one group at a time
    monthly = load.monthly_by_group
    peak = load.peak_by_group
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
    return GroupTraffic(upload_gb, download_gb, peak_up, peak_down, up, down)


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
    traffic : GroupTraffic or list of SiteTraffic
        :func:`site_traffic` for this option.

    Returns
    -------
    list of CostLine
        Category ``network``: flat fee, VPN, upload and download traffic, failover; only the
        items some group pays for.

    Notes
    -----
    Each item is computed for all the groups that pay it at once (their arrays stacked on a
    leading group axis) and summed over that axis in the groups' order
    (:func:`_sum_over_groups`): the same figures, to the last bit, as adding one group at a
    time.
    """
    shape = load.total_monthly.shape
    needs_wan = kind in ("cloud", "hybrid")
    linked = [i for i, group in enumerate(groups) if _link(group) is not None]
    if not linked:
        return []
    # what reads no traffic (prices, counts) is the same for every option of a run: kept on
    # the load, as the other shared figures are, when these are its groups
    share = getattr(load, "shared", None) if groups is getattr(load, "groups", None) else None

    def plan():
        return _term_prices(x, groups), np.stack([load.count[i] for i in linked])  # (G, S, 1)

    prices, counts = plan() if share is None else share(x, ("link_plan",), (), plan)
    terms = _term_bills(x, groups, traffic, prices)
    months = np.ones(shape)
    # each item's paying groups, in the order the items first appear group by group: flat
    # fee, VPN, each priced term, failover (groups of one kind of link share their items)
    items = _paying_groups(groups, linked, traffic, needs_wan)
    # so are the fees (flat, VPN, the failover's flat fee)
    lines = []
    for item, (unit, what, members) in items.items():

        def summed(what=what, members=members):
            count = _rows(counts, linked, members)
            return _item_sum(what, x, groups, members, count, months, traffic, terms, shape)

        if share is not None and what in _FEES:
            figures = share(x, ("link_fee", what, tuple(members)), (), summed)
        else:
            figures = summed()
        if figures is None:
            continue
        quantity, unit_usd, usd, inputs = figures
        lines.append(
            line(
                option,
                "network",
                item,
                unit,
                quantity,
                unit_usd,
                inputs=inputs,
                usd=usd,
                shape=shape,
            )
        )
    return lines


_FEES = ("flat", "vpn", "failover_flat")
"""Items priced per site-month: the same for every option whose groups pay them."""


def _paying_groups(groups, linked, traffic, needs_wan) -> dict[str, _Item]:
    """Each item's paying groups (in the groups' order), the items in the order they first
    appear group by group: flat fee, VPN, each priced term, failover.

    The groups are first sorted into kinds of link (the same terms, a failover or not, the same
    traffic in words), which pay the same items: a kind's items are added when its first group
    comes, as a walk over the groups would add them.
    """
    uniform = isinstance(traffic, GroupTraffic)  # the same words for every group
    kinds: dict[tuple, list[int]] = {}
    for i in linked:
        link = groups[i].link
        t = traffic if uniform else traffic[i]
        kinds.setdefault(
            (link.terms, link.failover is not None, t.what_up, t.what_down), []
        ).append(i)
    items: dict[str, _Item] = {}
    for members in kinds.values():
        first = members[0]
        t = traffic if uniform else traffic[first]
        for item, unit, what in _link_items(groups[first].link, t, needs_wan):
            items.setdefault(item, (unit, what, []))[2].extend(members)
    if len(kinds) > 1:
        for _, _, members in items.values():
            members.sort()
    return items


def _item_sum(what, x, groups, members, count, months, traffic, terms, shape):
    """One item summed over its paying groups: quantity, unit price (None: the line's average,
    USD / quantity, worked out when read) and USD (S, M) and its sorted inputs; None when it
    costs nothing at any sample and month (then neither the quantity nor the inputs are
    made)."""
    if what in terms:
        term_groups, gb, usd = terms[what]
        usd = np.broadcast_to(_sum_over_groups(count * _rows(usd, term_groups, members)), shape)
        if not np.any(usd != 0):
            return None
        quantity = count * _rows(gb, term_groups, members)
        names = (f"{what}.usd_per_gb", f"{what}.overage_usd_per_gb")
    else:
        links = [groups[i].link for i in members]
        quantity, usd, names = _fee_figures(what, x, links, count, months, traffic, members)
        usd = np.broadcast_to(_sum_over_groups(usd), shape)
        if not np.any(usd != 0):
            return None
    quantity = np.broadcast_to(_sum_over_groups(quantity), shape)
    inputs = tuple(sorted({groups[i].link.path(name) for i in members for name in names}))
    # the unit price is the average, usd / quantity: worked out by the line when read
    return quantity, None, usd, inputs


_Item = tuple[str, str, list[int]]
"""A link cost item: its unit, what it prices (``flat``, ``vpn``, a priced term,
``failover_flat``, ``failover_traffic``) and the indices of the groups that pay it."""


def _link_items(link, t: SiteTraffic, needs_wan: bool) -> tuple[tuple[str, str, str], ...]:
    """The items one group's link pays for an option: ``(item, unit, what)`` in line order."""
    items = [
        ("site link: flat fee", "site-months", "flat"),
        ("site link: VPN / private link", "site-months", "vpn"),
    ]
    for term, _, _ in link.terms:
        items.append((f"site link: {term.replace('_', ' ')} ({_term_words(term, t)})", "GB", term))
    if link.failover is not None and needs_wan:
        items += [
            ("failover link: flat fee", "site-months", "failover_flat"),
            ("failover link: traffic while the main link is down", "GB", "failover_traffic"),
        ]
    return tuple(items)


def _rows(stacked: np.ndarray, groups: list[int], members: list[int]) -> np.ndarray:
    """The rows of ``stacked`` (one per group of ``groups``) for ``members``, in their order."""
    if members == groups:
        return stacked
    position = {i: k for k, i in enumerate(groups)}
    return stacked[[position[i] for i in members]]


def _fee_figures(what, x, links, count, months, traffic, members):
    """Quantity and USD of a flat fee or of the failover's traffic per paying group, shape
    (G, S, M), and the names of its inputs under each link.

    Every product is the one a single group computes (``count x price x months``, ``count x
    carried GB x price``), element by element, with the groups on the leading axis.
    """

    def stacked(name):
        return _stacked(x, [link.path(name) for link in links])

    if what == "failover_traffic":
        share = failover_share(stacked("availability"), stacked("failover.availability"))
        up = _traffic_rows(traffic, "upload_gb", members)
        down = _traffic_rows(traffic, "download_gb", members)
        carried = (up + down) * share
        quantity = count * carried
        usd = count * carried * stacked("failover.usd_per_gb")
        return quantity, usd, ("failover.usd_per_gb", "failover.availability")
    name = {
        "flat": "flat_usd_per_month",
        "vpn": "vpn_usd_per_month",
        "failover_flat": "failover.flat_usd_per_month",
    }[what]
    return count * months, count * stacked(name) * months, (name,)


def _stacked(x, paths: list[str]) -> np.ndarray:
    """The inputs at ``paths`` stacked on a leading group axis, shape (G, S, 1)."""
    return np.array([x[path] for path in paths], dtype=float)[:, :, None]


def _sum_over_groups(per_group: np.ndarray) -> np.ndarray:
    """The sum over the leading group axis, added group after group from 0.0.

    A reduction over the leading axis adds its rows in order (numpy sums pairwise only along
    the contiguous last axis), so this equals ``0.0 + a[0] + a[1] + ...``; the final ``+ 0.0``
    turns a sum of negative zeros into 0.0, as that loop does.
    """
    return np.add.reduce(per_group, axis=0) + 0.0


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
    Every capped (or throttled) term of every group is checked at once, stacked on a leading
    axis.
    """
    samples = len(np.asarray(x["sites.uplink_usable_fraction"]))
    checks = []
    for constraint, beyond in (("link_cap", "cap"), ("link_throttle", "throttle")):
        terms = [
            (group, link, direction, traffic[i])
            for i, group in enumerate(groups)
            if (link := _link(group)) is not None
            for direction, term_beyond, _ in link.terms
            if term_beyond == beyond
        ]
        if not terms:
            continue
        bad, words = _beyond_allowance(option, beyond, x, terms)
        mask = np.zeros(samples, dtype=bool) | np.any(bad, axis=0)
        checks.append(LinkCheck(constraint, mask, "; ".join(words)))
    return checks


def _beyond_allowance(option: str, beyond: str, x, terms) -> tuple[np.ndarray, list[str]]:
    """Per capped (or throttled) term, whether its traffic breaks the link, shape (T, S), and
    the words for those that do at the first sample, in the groups' order."""
    col = _col(x)
    figures = [_term_traffic(direction, t) for _, _, direction, t in terms]
    gb = np.stack([f[0] for f in figures])  # (T, S, M)
    allowance = _stacked(
        x, [link.path(f"{direction}.included_gb_per_month") for _, link, direction, _ in terms]
    )
    over = gb > allowance * (1 + 1e-12)
    words = []
    if beyond == "cap":
        bad = over.any(axis=-1)
        for k in np.flatnonzero(bad[:, 0]):
            group, _, direction, _ = terms[k]
            words.append(
                f"{option} sends {_gb(gb[k, 0].max())} a month per site "
                f"{_WAY[direction]}{_where(group)}, over "
                f"the link's hard cap of {_gb(allowance[k, 0, 0])}"
            )
        return bad, words
    peak = np.stack([f[1] for f in figures])
    throttle = _stacked(
        x, [link.path(f"{direction}.throttle_mbps") for _, link, direction, _ in terms]
    )
    usable = throttle * col("sites.uplink_usable_fraction")
    slow = over & (peak > usable * (1 + 1e-12))
    bad = slow.any(axis=-1)
    for k in np.flatnonzero(bad[:, 0]):
        group, _, direction, _ = terms[k]
        m = int(np.argmax(slow[k, 0]))
        words.append(
            f"{option} needs {peak[k, 0, m]:,.1f} Mbit/s {_WAY[direction]} at peak"
            f"{_where(group)}, but the link slows to {usable[k, 0, 0]:,.1f} Mbit/s "
            f"usable once its {_gb(allowance[k, 0, 0])} are used "
            f"({_gb(gb[k, 0, m])} a month)"
        )
    return bad, words


_WAY = {"upload": "up", "download": "down", "data_plan": "up and down"}
"""How the words name the direction of each priced term."""


def _term_traffic(term: str, t: SiteTraffic) -> tuple[np.ndarray, np.ndarray, str]:
    """GB per site and month, the inference path's peak rate, and what it is, for one term."""
    if term == "upload":
        return t.upload_gb, t.peak_upload_mbps, t.what_up
    if term == "download":
        return t.download_gb, t.peak_download_mbps, t.what_down
    peak = np.maximum(t.peak_upload_mbps, t.peak_download_mbps)
    return t.upload_gb + t.download_gb, peak, _term_words(term, t)


def _term_words(term: str, t: SiteTraffic) -> str:
    """What one priced term carries, in words (the third item of :func:`_term_traffic`)."""
    if term == "upload":
        return t.what_up
    if term == "download":
        return t.what_down
    return f"{t.what_up}; {t.what_down}"


def _link(group):
    """The group's link (:class:`~edgecalc.pipeline.site_links.GroupLink`), or None."""
    return getattr(group, "link", None)


@dataclass(frozen=True)
class _TermClass:
    """Groups whose link prices one term the same way, and their prices (G, S, 1)."""

    beyond: str
    """What happens beyond the allowance: ``overage``, ``throttle`` or ``cap``."""
    rows: list[int]
    """Their positions among the term's groups."""
    usd_per_gb: np.ndarray
    included_gb_per_month: np.ndarray | None
    """None: no allowance (unlimited)."""
    overage_usd_per_gb: np.ndarray


def _term_prices(x, groups) -> dict[str, tuple[list[int], list[_TermClass]]]:
    """Per priced term: the linked groups that have it, and those groups in classes that are
    billed alike (what happens beyond the allowance, whether there is one) with their prices
    stacked. The same for every option of a run (it reads no traffic)."""
    by_term: dict[str, list[tuple[int, object, str, bool]]] = {}
    for i, group in enumerate(groups):
        link = _link(group)
        if link is None:
            continue
        for term, beyond, has_allowance in link.terms:
            by_term.setdefault(term, []).append((i, link, beyond, has_allowance))
    out = {}
    for term, members in by_term.items():
        rows_of: dict[tuple[str, bool], list[int]] = {}
        for k, (_, _, beyond, has_allowance) in enumerate(members):
            rows_of.setdefault((beyond, has_allowance), []).append(k)
        classes = []
        for (beyond, has_allowance), rows in rows_of.items():
            links = [members[k][1] for k in rows]

            def stacked(name, links=links, term=term):
                return _stacked(x, [link.path(f"{term}.{name}") for link in links])

            classes.append(
                _TermClass(
                    beyond,
                    rows,
                    stacked("usd_per_gb"),
                    stacked("included_gb_per_month") if has_allowance else None,
                    stacked("overage_usd_per_gb"),
                )
            )
        out[term] = ([i for i, _, _, _ in members], classes)
    return out


def _term_bills(
    x, groups, traffic, prices=None
) -> dict[str, tuple[list[int], np.ndarray, np.ndarray]]:
    """Per priced term: the linked groups that have it, their GB and their bill per site and
    month, each stacked on a leading group axis (G, S, M).

    Groups whose link prices the term the same way are billed together (``prices``:
    :func:`_term_prices`, built here when not given): their traffic and prices are stacked and
    :func:`~edgecalc.costs.link.link_direction_bill` runs once for all of them (the same
    figures, element by element, as one call per group).
    """
    prices = _term_prices(x, groups) if prices is None else prices
    out = {}
    for term, (members, classes) in prices.items():
        gb = _stacked_gb(term, traffic, members)
        usd = np.empty(gb.shape) if len(classes) > 1 else None
        for c in classes:
            bill = link_direction_bill(
                gb if usd is None else gb[c.rows],
                c.usd_per_gb,
                c.included_gb_per_month,
                c.beyond,
                c.overage_usd_per_gb,
            )
            if usd is None:
                usd = np.broadcast_to(bill.usd_per_month, gb.shape)
            else:
                usd[c.rows] = bill.usd_per_month
        out[term] = (members, gb, usd)
    return out


def _stacked_gb(term: str, traffic, members: list[int]) -> np.ndarray:
    """The GB per site and month of one priced term for the groups ``members`` (G, S, M): the
    first item of :func:`_term_traffic`, group by group."""
    if term == "upload":
        return _traffic_rows(traffic, "upload_gb", members)
    if term == "download":
        return _traffic_rows(traffic, "download_gb", members)
    return _traffic_rows(traffic, "upload_gb", members) + _traffic_rows(
        traffic, "download_gb", members
    )


def _traffic_rows(traffic, name: str, members: list[int]) -> np.ndarray:
    """One figure of :class:`SiteTraffic` (``upload_gb``...) of the groups ``members``,
    stacked (G, S, M): read from a :class:`GroupTraffic`, else stacked group by group."""
    if isinstance(traffic, GroupTraffic):
        return traffic.rows(name, members)
    return np.stack([getattr(traffic[i], name) for i in members])


def _bills(x, groups, traffic) -> dict[tuple[int, str], np.ndarray]:
    """Each linked group's bill per term, per site and month (S, M), keyed ``(group, term)``
    (:func:`_term_bills`, group by group)."""
    return {
        (i, term): usd[k]
        for term, (members, _, usd) in _term_bills(x, groups, traffic).items()
        for k, i in enumerate(members)
    }


def _where(group) -> str:
    """`` (site group name)`` for a named site, nothing for the sites of ``sites.count``."""
    return "" if group.name == "each site" else f" ({group.name})"


def _gb(value: float) -> str:
    return f"{float(value):,.0f} GB"


def _col(x):
    def col(path):
        return np.asarray(x[path], dtype=float)[:, None]

    return col

"""Which URLs the Measure page may time: a pure rule, no streamlit, unit-tested.

The Measure page makes HTTP requests from the machine the app runs on. Served only to this
machine (the default, ``server.address = 127.0.0.1``) any http(s) URL is allowed: the user could
run ``edgecalc measure`` just as well. Served to others, a free URL would let any visitor make
the server request addresses of its own network, so only the catalog's probe endpoints (chosen
from a list, never typed) and URLs under a prefix listed in ``EDGECALC_MEASURE_ALLOW`` are
allowed. URLs are checked as the HTTP client reads them, and measured in that form (see
:func:`check_url`); docs/security.md says the same for people who run the app.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from edgecalc.measure.target_url import (
    TargetUrlError,
    ambiguous_path,
    parse_target_url,
    port_of,
    same_host,
)

ALLOW_ENV = "EDGECALC_MEASURE_ALLOW"
"""Environment variable: comma-separated URL prefixes that free URLs must start with."""

MAX_SAMPLES = 50
"""Requests per mode and target, at most [count]."""
MAX_DEADLINE_S = 60.0
"""Overall deadline of one run, at most [s]."""
MAX_CONCURRENCY = 4
"""Targets measured at the same time [count]."""
MAX_TARGETS = 10
"""Targets in one run, catalog regions and URLs together [count]."""
MAX_PAYLOAD_BYTES = 1_000_000
"""Largest POSTed payload [bytes]."""
MAX_SITE_CHARS = 200
"""Longest site name typed on the page [characters]."""
MAX_URL_TEXT_CHARS = 10_000
"""Longest text of typed URLs [characters]."""
MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest measurement file accepted as an upload [bytes] (5 MiB)."""


def is_loopback(address: str | None) -> bool:
    """Whether a server address only accepts connections from this machine.

    Parameters
    ----------
    address : str or None
        Streamlit's ``server.address``; None or ``""`` means every interface (not loopback).

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost")
    (True, True, True)
    >>> is_loopback(""), is_loopback("0.0.0.0"), is_loopback("192.168.1.5")
    (False, False, False)
    """
    if not address:
        return False
    host = address.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_allow_list(text: str | None) -> tuple[str, ...]:
    """The URL prefixes of ``EDGECALC_MEASURE_ALLOW``: split on commas, blanks dropped.

    Entries that :func:`~edgecalc.measure.target_url.parse_target_url` refuses (not an
    ``http://`` or ``https://`` URL with a host, a user name or password, an odd IPv4 form) or
    whose path is ambiguous are dropped: they could never match.

    Examples
    --------
    >>> parse_allow_list(" https://a.example.com/ping, ,ftp://x, http://b:8080")
    ('https://a.example.com/ping', 'http://b:8080')
    """
    prefixes = []
    for raw in (text or "").split(","):
        entry = raw.strip()
        if entry and _parse(entry) is not None:
            prefixes.append(entry)
    return tuple(prefixes)


def _parse(url: str) -> httpx.URL | None:
    try:
        parsed = parse_target_url(url)
    except TargetUrlError:
        return None
    return None if ambiguous_path(parsed) else parsed


def _path(url: httpx.URL) -> str:
    """The path as sent, without the query."""
    return url.raw_path.split(b"?", 1)[0].decode("ascii")


def _under(url: httpx.URL, prefix: httpx.URL) -> bool:
    """Same scheme, host and port, and the URL's path at or below the prefix's path."""
    if url.scheme != prefix.scheme or port_of(url) != port_of(prefix):
        return False
    if not same_host(url.host, prefix.host):
        return False
    path, base = _path(url), _path(prefix)
    if base.endswith("/"):
        return path.startswith(base)
    return path == base or path.startswith(base + "/")


def check_url(url: str, *, server_address: str | None, allow: Sequence[str] = ()) -> str:
    """Why a typed URL may not be measured, or ``""`` when it may.

    Parameters
    ----------
    url : str
        The URL typed by the user.
    server_address : str or None
        Streamlit's ``server.address``.
    allow : sequence of str
        URL prefixes (:func:`parse_allow_list` of ``EDGECALC_MEASURE_ALLOW``).

    Returns
    -------
    str
        Empty when allowed; otherwise the reason, to show the user.

    Notes
    -----
    The URL is first read exactly as the HTTP client (httpx) will send it
    (:func:`~edgecalc.measure.target_url.parse_target_url`: dot segments removed, host
    lower-cased, default port dropped; refused with a user name or password, a port outside
    1 to 65535, an IPv4 address not written as four decimal numbers). Then it is allowed when
    the app is served on a loopback address. Served to others, its path must also be plain
    (no encoded dot segment, backslash, ``//`` or encoded slash, which servers resolve each
    their own way) and it must lie under one of the prefixes: same scheme, host (IP addresses
    compared as addresses) and port (the default port when none is written), and a path equal
    to the prefix's path or below it (``https://a/ping`` allows ``https://a/ping`` and
    ``https://a/ping/x``, not ``https://a/pingx``; a prefix's host never matches a longer host
    such as ``a.evil.example``). What is measured is :func:`canonical` of the URL: the very
    text that was checked. Redirects are never followed.

    Examples
    --------
    >>> check_url("http://10.0.0.5/", server_address="127.0.0.1")
    ''
    >>> check_url("https://a.example.com/ping?x=1", server_address="0.0.0.0",
    ...           allow=["https://a.example.com/ping"])
    ''
    >>> check_url("http://10.0.0.5/", server_address="0.0.0.0")[:40]
    'the app is served to others (server.addr'
    """
    try:
        parsed = parse_target_url(url)
    except TargetUrlError as exc:
        return str(exc)
    if is_loopback(server_address):
        return ""
    where = server_address or "every interface"
    if not allow:
        return (
            f"the app is served to others (server.address {where}): only catalog regions may "
            f"be measured; set {ALLOW_ENV} to a comma-separated list of URL prefixes to allow "
            "others"
        )
    ambiguous = ambiguous_path(parsed)
    if ambiguous:
        return (
            f"the app is served to others and the path of {canonical(url)} holds {ambiguous}, "
            "which servers read in different ways: write the plain path"
        )
    for prefix in allow:
        allowed = _parse(prefix)
        if allowed is not None and _under(parsed, allowed):
            return ""
    return (
        f"the app is served to others (server.address {where}) and {canonical(url)} is not "
        f"under a prefix of {ALLOW_ENV} ({', '.join(allow)})"
    )


def canonical(url: str) -> str:
    """The URL as httpx sends it (what is checked and measured); the text itself if invalid.

    Examples
    --------
    >>> canonical("http://127.0.0.1:9000/ok/../../secret-admin")
    'http://127.0.0.1:9000/secret-admin'
    """
    try:
        return str(parse_target_url(url))
    except TargetUrlError:
        return url


@dataclass(frozen=True)
class Checked:
    """Typed URLs sorted into those that may be measured and the reasons for the rest."""

    allowed: tuple[str, ...]
    """The allowed URLs as httpx sends them (:func:`canonical`): measure exactly these."""
    refused: tuple[str, ...]


def check_urls(text: str, *, server_address: str | None, allow: Sequence[str] = ()) -> Checked:
    """Check every URL of a text (one per line, or separated by blanks).

    Examples
    --------
    >>> c = check_urls("http://a/ \\n\\n http://a/", server_address="127.0.0.1")
    >>> c.allowed, c.refused
    (('http://a/',), ())
    """
    urls = list(dict.fromkeys(text.split()))
    allowed, refused = [], []
    for url in urls:
        reason = check_url(url, server_address=server_address, allow=allow)
        if reason:
            refused.append(reason)
        else:
            allowed.append(canonical(url))
    return Checked(tuple(dict.fromkeys(allowed)), tuple(refused))

"""Which URLs the Measure page may time: a pure rule, no streamlit, unit-tested.

The Measure page makes HTTP requests from the machine the app runs on. Served only to this
machine (the default, ``server.address = 127.0.0.1``) any http(s) URL is allowed: the user could
run ``edgecalc measure`` just as well. Served to others, a free URL would let any visitor make
the server request addresses of its own network, so only the catalog's probe endpoints (chosen
from a list, never typed) and URLs under a prefix listed in ``EDGECALC_MEASURE_ALLOW`` are
allowed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

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
MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest measurement file accepted as an upload [bytes] (5 MiB)."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


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

    Entries that are not ``http://`` or ``https://`` URLs with a host are dropped (they could
    never match).

    Examples
    --------
    >>> parse_allow_list(" https://a.example.com/ping, ,ftp://x, http://b:8080")
    ('https://a.example.com/ping', 'http://b:8080')
    """
    prefixes = []
    for raw in (text or "").split(","):
        entry = raw.strip()
        parts = _split(entry)
        if parts is not None:
            prefixes.append(entry)
    return tuple(prefixes)


def _split(url: str) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of an http(s) URL; None when it is not one."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme], parts.path or "/"


def _under(url: tuple[str, str, int, str], prefix: tuple[str, str, int, str]) -> bool:
    """Same scheme, host and port, and the URL's path at or below the prefix's path."""
    if url[:3] != prefix[:3]:
        return False
    base = prefix[3]
    if base.endswith("/"):
        return url[3].startswith(base)
    return url[3] == base or url[3].startswith(base + "/")


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
    The rule: the URL must be ``http://`` or ``https://`` with a host and without a user name
    or password. Then it is allowed when the app is served on a loopback address, or when it
    lies under one of the prefixes: same scheme, host and port (the default port when none is
    written) and a path equal to the prefix's path or below it (``https://a/ping`` allows
    ``https://a/ping`` and ``https://a/ping/x``, not ``https://a/pingx``; a prefix's host never
    matches a longer host such as ``a.evil.example``).

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
    parts = _split(url)
    if parts is None:
        return f"{url!r} is not an http:// or https:// URL with a host (and no user or password)"
    if is_loopback(server_address):
        return ""
    for prefix in allow:
        allowed = _split(prefix)
        if allowed is not None and _under(parts, allowed):
            return ""
    where = server_address or "every interface"
    if not allow:
        return (
            f"the app is served to others (server.address {where}): only catalog regions may "
            f"be measured; set {ALLOW_ENV} to a comma-separated list of URL prefixes to allow "
            "others"
        )
    return (
        f"the app is served to others (server.address {where}) and {url} is not under a "
        f"prefix of {ALLOW_ENV} ({', '.join(allow)})"
    )


@dataclass(frozen=True)
class Checked:
    """Typed URLs sorted into those that may be measured and the reasons for the rest."""

    allowed: tuple[str, ...]
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
            allowed.append(url)
    return Checked(tuple(allowed), tuple(refused))

"""Target URLs as the HTTP client reads them: parsed once, by httpx, and checked.

Every URL that ``edgecalc measure``, :func:`edgecalc.measure` or the app's Measure page times
goes through :func:`parse_target_url` first. It parses with ``httpx.URL``, the very parser
the client that sends the request uses (dot segments such as ``/a/../b`` are already removed,
the host is lower-cased and IDNA-encoded, a default port is dropped), so that what is checked
is what is sent, and it refuses what a user would not mean or a measurement file must not hold:

- anything but ``http://`` or ``https://`` with a host;
- a user name or password (``http://user:pass@host/``): edgecalc sends no credentials, and
  they would be written into the measurement file and the output;
- a port outside 1 to 65535;
- an IPv4 address written any other way than four decimal numbers (``2130706433``,
  ``0x7f000001``, ``127.1``, ``0177.0.0.1``): name resolvers read those as addresses, so they
  would reach a host that the text does not show;
- an IPv6 address with a zone (``[fe80::1%25eth0]``).

:func:`ambiguous_path` names the paths that web servers resolve differently from the client
(encoded dot segments, backslashes, empty segments, encoded slashes): the app's allow-list
refuses them, because a prefix check cannot know what such a path reaches.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote

import httpx

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*\.?$")


class TargetUrlError(ValueError):
    """A URL that may not be measured; the message names the URL and what is wrong."""


def parse_target_url(text: str) -> httpx.URL:
    """Parse a target URL as httpx will send it, refusing what must not be measured.

    Parameters
    ----------
    text : str
        The URL as typed.

    Returns
    -------
    httpx.URL
        The URL as the client reads it (``str()`` of it is what to measure), without its
        fragment (a fragment is never sent).

    Raises
    ------
    TargetUrlError
        Not an http(s) URL with a host, a user name or password, a port outside 1 to 65535,
        an IPv4 address not written as four decimal numbers, an IPv6 zone.

    Examples
    --------
    >>> str(parse_target_url("HTTP://Example.COM:80/a/../b"))
    'http://example.com/b'
    >>> parse_target_url("http://user:pw@example.com/")
    Traceback (most recent call last):
    ...
    edgecalc.measure.target_url.TargetUrlError: 'http://***@example.com/': the URL holds a user
    name or password; ...
    """
    shown = repr(_mask_userinfo(str(text)))
    try:
        url = httpx.URL(str(text).strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise TargetUrlError(f"{shown}: not a valid URL ({exc})") from None
    if url.scheme not in SCHEMES or not url.host:
        raise TargetUrlError(f"{shown}: not an http:// or https:// URL with a host")
    if url.userinfo:
        raise TargetUrlError(
            f"{shown}: the URL holds a user name or password; edgecalc sends no credentials "
            "and would write them into the measurement file: remove them"
        )
    if url.port is not None and not 1 <= url.port <= 65535:
        raise TargetUrlError(f"{shown}: port {url.port} is outside 1 to 65535")
    host = url.host
    if "%" in host:
        raise TargetUrlError(f"{shown}: an IPv6 address with a zone (%) cannot be measured")
    if _NUMERIC_HOST.match(host) and not _is_dotted_quad(host):
        raise TargetUrlError(
            f"{shown}: write an IPv4 address as four decimal numbers (such as 127.0.0.1); "
            f"{host!r} is read by name resolvers as an address that the text does not show"
        )
    return url.copy_with(fragment=None)


def _is_dotted_quad(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


def _mask_userinfo(text: str) -> str:
    """The text with anything between ``://`` and an ``@`` before the path replaced by ``***``."""
    return re.sub(r"(?<=://)[^/?#]*@", "***@", text)


def ambiguous_path(url: httpx.URL) -> str:
    """Why the URL's path may reach another resource than it shows, or ``""``.

    Parameters
    ----------
    url : httpx.URL
        A URL from :func:`parse_target_url` (dot segments already removed).

    Returns
    -------
    str
        Empty when the path is plain; otherwise what is ambiguous in it: a dot segment written
        percent-encoded (``%2e%2e``), a backslash (raw or ``%5c``), an empty segment
        (``//``), or an encoded slash (``%2f``). Servers differ in how they read each of these.

    Examples
    --------
    >>> ambiguous_path(httpx.URL("http://a/ok/%2e%2e/admin"))
    'a dot segment (. or ..) written percent-encoded'
    >>> ambiguous_path(httpx.URL("http://a/ok/x?q=../y"))
    ''
    """
    raw = url.raw_path.split(b"?", 1)[0].decode("ascii", "replace")
    lowered = raw.lower()
    if "\\" in raw or "%5c" in lowered:
        return "a backslash"
    if "%2f" in lowered:
        return "an encoded slash (%2f)"
    if "//" in raw:
        return "an empty path segment (//)"
    if any(unquote(segment) in (".", "..") for segment in raw.split("/")):
        return "a dot segment (. or ..) written percent-encoded"
    return ""


def same_host(a: str, b: str) -> bool:
    """Whether two hosts from :func:`parse_target_url` name the same destination.

    IP addresses are compared as addresses (``::1`` and ``0:0::1`` are one; an IPv4-mapped
    IPv6 address ``::ffff:127.0.0.1`` is its IPv4 address); names are compared without a
    trailing dot.

    Examples
    --------
    >>> same_host("0:0::1", "::1"), same_host("::ffff:127.0.0.1", "127.0.0.1")
    (True, True)
    >>> same_host("example.com.", "example.com"), same_host("a.example.com", "example.com")
    (True, False)
    """
    return _host_key(a) == _host_key(b)


def _host_key(host: str) -> str:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host.lower().rstrip(".")
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def port_of(url: httpx.URL) -> int:
    """The port a URL connects to: the one written, else the scheme's default."""
    return url.port or DEFAULT_PORTS[url.scheme]

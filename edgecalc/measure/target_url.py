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
(encoded dot segments, backslashes, empty segments, encoded slashes, path parameters such as
``..;``, double-encoded, control and non-ASCII bytes, malformed escapes such as ``%u002e``,
segments of only dots and spaces): the app's allow-list refuses them when the app is served
to others, because a prefix check cannot know what such a path reaches.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote

import httpx

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*\.?$")
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_MALFORMED_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})[^/%]{0,5}")


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

    A prefix check compares the path as the client sends it, so it is only sound for paths
    that every server reads the same way. This names the first form that some server reads
    otherwise (the checks run in this order):

    1. a raw control character or byte outside ASCII (httpx refuses or percent-encodes them
       already; checked in case a URL was built by hand);
    2. a backslash, raw or ``%5c`` (Windows servers and IIS read it as ``/``);
    3. a ``%`` not followed by two hex digits, such as ``%u002e`` (IIS reads ``%uXXXX`` as
       a character: ``%u002e`` is ``.``) or a lone ``%``;
    4. an encoded ``%`` (``%25``): a server or proxy that decodes twice reads ``%252e`` as
       ``%2e`` and then as ``.``;
    5. an encoded control byte (``%00`` to ``%1f``, ``%7f``): servers cut the path at
       ``%00`` or drop the byte, so ``.%00.`` may read as ``..``;
    6. an encoded byte outside ASCII (``%80`` to ``%ff``): a decoder that accepts overlong
       UTF-8 reads ``%c0%ae`` as ``.`` and ``%c0%af`` as ``/``, and one that folds Unicode
       reads the full-width dot ``%ef%bc%8e`` as ``.``;
    7. an encoded slash (``%2f``), which some servers decode before splitting the path;
    8. a path parameter (``;``, raw or ``%3b``): Tomcat and Jetty cut each segment at ``;``,
       so ``/ok/..;/admin`` reads as ``/ok/../admin``, that is ``/admin``;
    9. an empty segment (``//``), which servers merge or keep;
    10. a dot segment (``.`` or ``..``) written percent-encoded, in any case and anywhere in
        the path, the last segment too (``%2e%2e``, ``.%2E``, ``/ok/x/%2e``);
    11. a segment of only dots and spaces that is no dot segment (``...``, ``..%20``): Windows
        drops trailing dots and spaces from a name, so these may read as ``..`` or ``.``.

    The query is not looked at: servers do not resolve it as a path.

    Parameters
    ----------
    url : httpx.URL
        A URL from :func:`parse_target_url` (dot segments already removed).

    Returns
    -------
    str
        Empty when the path is plain; otherwise what is ambiguous in it, with the part of the
        path found and, in parentheses, how servers differ on it (a noun phrase, to show
        after "the path holds").

    Examples
    --------
    >>> ambiguous_path(httpx.URL("http://a/ok/%2e%2e/admin"))
    'a dot segment (. or ..) written percent-encoded (%2e%2e)'
    >>> ambiguous_path(httpx.URL("http://a/ok/..;/admin"))[:36]
    'a path parameter (; in ..;: Tomcat a'
    >>> ambiguous_path(httpx.URL("http://a/ok/x?q=../y;z"))
    ''
    """
    raw = url.raw_path.split(b"?", 1)[0]
    if any(byte < 0x20 or byte >= 0x7F for byte in raw):
        return "a raw control character or byte outside ASCII"
    path = raw.decode("ascii")
    if "\\" in path or "%5c" in path.lower():
        return "a backslash (raw or %5c; Windows servers read it as /)"
    malformed = _MALFORMED_ESCAPE.search(path)
    if malformed:
        return (
            f"a % not followed by two hex digits ({malformed.group(0)}; IIS reads %u002e as a dot)"
        )
    escapes = [escape.lower() for escape in _ESCAPE.findall(path)]
    if "%25" in escapes:
        return (
            "an encoded percent sign (%25; a server that decodes twice reads %252e as %2e, "
            "then as a dot)"
        )
    control = next((e for e in escapes if int(e[1:], 16) < 0x20 or e == "%7f"), None)
    if control:
        return (
            f"an encoded control byte ({control}; none of %00 to %1f or %7f is allowed: "
            "servers cut the path there or drop the byte, so .%00. may read as ..)"
        )
    high = next((e for e in escapes if int(e[1:], 16) >= 0x80), None)
    if high:
        return (
            f"an encoded byte outside printable ASCII ({high}; none of %80 to %ff is allowed: "
            "a lax UTF-8 decoder reads the overlong %c0%ae as a dot)"
        )
    if "%2f" in escapes:
        return "an encoded slash (%2f)"
    segments = path.split("/")
    with_parameter = next((s for s in segments if ";" in s or "%3b" in s.lower()), None)
    if with_parameter is not None:
        return (
            f"a path parameter (; in {_shown(with_parameter)}: Tomcat and Jetty cut a segment "
            "at ;, so ..;/ reads as ../)"
        )
    if "//" in path:
        return "an empty path segment (//)"
    for segment in segments:
        decoded = unquote(segment)
        if decoded in (".", ".."):
            how = " written percent-encoded" if segment != decoded else ""
            return f"a dot segment (. or ..){how} ({segment})"
        if "." in decoded and not decoded.strip(". "):
            return (
                f"a segment of only dots and spaces ({_shown(segment)}; Windows drops trailing "
                "dots and spaces from a name, so it may read as .. or .)"
            )
    return ""


def _shown(segment: str, limit: int = 40) -> str:
    """A path segment to quote in a message, cut to ``limit`` characters."""
    return segment if len(segment) <= limit else segment[: limit - 3] + "..."


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

"""Time one HTTP request, phase by phase, with httpx's request trace extension.

Why httpx: it is a maintained HTTP client whose transport (httpcore) reports every step of a
request to a ``trace`` callback (``connection.connect_tcp``, ``connection.start_tls``,
``http11.send_request_headers``, ``http11.receive_response_headers``, ...), so the phases
are timed by the client that does the work, not by hand-written HTTP.

Phases, each in milliseconds (``time.perf_counter`` at the trace events):

``dns``
    Name lookup (``socket.getaddrinfo``), done here rather than inside the connect so that it
    can be timed on its own; the request then goes to the address found, with the original
    ``Host`` header and TLS server name (httpx's ``sni_hostname`` extension), so certificates
    are still checked against the host name. IPv4 addresses are preferred when a name has both.
``connect``
    TCP handshake (``connect_tcp`` started to complete): about one round trip.
``tls``
    TLS handshake (``start_tls``); absent for ``http://``.
``request``
    Sending the request line, headers and body into the socket.
``ttfb``
    Time to first byte: request sent (``send_request_headers`` started) until the response
    headers are in (``receive_response_headers`` complete). On a reused connection this is the
    network round trip plus the server's time: the *warm RTT*.
``response``
    Reading the response body.
``total``
    Cold: from the start of the name lookup to the end of the body. Warm and payload: from the
    start of the request to the end of the body.

Bounds: each request has a total deadline (its ``timeout_s`` from its start, and never past the
run's deadline). A watchdog shuts the connection's socket down when it passes, so a server that
drips one byte a second cannot keep a request (or the interpreter) alive. The body is streamed
and discarded, counted against ``max_response_bytes``; redirects are never followed (a 3xx
answer is a failure of kind ``redirect``, so the only request made is to the URL checked).

Three modes: ``cold`` (a new client, hence a new connection, per request), ``warm`` (one
client and one kept-alive connection; the first request opens it and is discarded), and
``payload`` (POST ``payload_bytes`` on a kept-alive connection and read the answer, so the
upload at the site's real uplink is in ``ttfb`` and ``total``).
"""

from __future__ import annotations

import errno
import heapq
import ipaddress
import queue
import socket
import ssl
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

import httpx

from edgecalc.measure.target_url import parse_target_url

PHASES = ("dns", "connect", "tls", "request", "ttfb", "response", "total")
"""Phase names, in the order a request goes through them."""

MODES = ("cold", "warm", "payload")
"""Measurement modes: new connection per request, reused connection, POST of a payload."""

FAILURE_KINDS = (
    "dns",
    "refused",
    "timeout",
    "tls",
    "http_status",
    "redirect",
    "too_large",
    "protocol",
    "network",
    "other",
)
"""How a request can fail.

``dns`` the name does not resolve (or the lookup timed out); ``refused`` nothing listens on the
port; ``timeout`` no complete answer within the request's deadline; ``tls`` the TLS handshake
failed or did not finish (certificate, protocol, a server silent after the TCP handshake);
``http_status`` an answer with status 400 or above; ``redirect`` an answer with status 300 to
399 (redirects are not followed: measure the URL it points to); ``too_large`` a body longer
than ``max_response_bytes``; ``protocol`` an answer that is not HTTP (garbage) or a connection
closed without an answer; ``network`` other socket errors (reset, unreachable); ``other``
anything else (a bug: please report it).
"""

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""Largest response body read before the request fails as ``too_large`` [bytes] (64 MiB, the
largest answer of ``edgecalc echo-server``)."""

USER_AGENT = "edgecalc-measure"


class DnsLookupError(Exception):
    """The host name did not resolve, or the lookup did not finish within its timeout."""


@dataclass(frozen=True)
class ProbeResult:
    """One timed request.

    Attributes
    ----------
    ok : bool
        A response with status below 400 arrived and its body was read.
    phases_ms : dict of str to float
        The phases that happened, by name (see the module docstring) [ms].
    kind : str or None
        The failure kind (one of :data:`FAILURE_KINDS`) when not ``ok``.
    error : str or None
        A one-line description of the failure.
    status : int or None
        The HTTP status, when a response arrived.
    new_connection : bool
        The request opened a new TCP connection (False: it reused a kept-alive one).
    response_bytes : int
        Bytes of response body read.
    """

    ok: bool
    phases_ms: dict[str, float] = field(default_factory=dict)
    kind: str | None = None
    error: str | None = None
    status: int | None = None
    new_connection: bool = False
    response_bytes: int = 0


@dataclass(frozen=True)
class ResolvedUrl:
    """A URL whose host was looked up: the address to connect to and the lookup time."""

    url: httpx.URL
    """The original URL."""
    address_url: httpx.URL
    """The same URL with the host replaced by the address found."""
    host_header: str
    """The ``Host`` header of the original URL."""
    dns_ms: float | None
    """Duration of the lookup [ms]; None when the host already was an IP address."""


class _TooLarge(Exception):
    """The response body passed ``max_response_bytes``."""


_SOCKETS: weakref.WeakKeyDictionary[httpx.Client, socket.socket] = weakref.WeakKeyDictionary()
"""The socket of each probing client's connection, so that a watchdog can shut it down."""


class _Trace:
    """Collects ``perf_counter`` timestamps of httpcore trace events, by event name, and the
    client's socket once connected (and again once wrapped in TLS)."""

    def __init__(
        self, client: httpx.Client | None = None, watchdog: _Watchdog | None = None
    ) -> None:
        self.at: dict[str, float] = {}
        self.client = client
        self.watchdog = watchdog

    def __call__(self, event_name: str, info: dict[str, Any]) -> None:
        self.at[event_name] = time.perf_counter()
        if self.client is not None and event_name in (
            "connection.connect_tcp.complete",
            "connection.start_tls.complete",
        ):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                _SOCKETS[self.client] = sock
                if self.watchdog is not None:
                    self.watchdog.adopt(sock)

    def span_ms(self, start: str, end: str) -> float | None:
        if start in self.at and end in self.at:
            return (self.at[end] - self.at[start]) * 1000.0
        return None

    def started_not_completed(self, step: str) -> bool:
        return f"connection.{step}.started" in self.at and f"connection.{step}.complete" not in (
            self.at
        )


def _getaddrinfo_with_timeout(host: str, port: int, timeout_s: float) -> tuple[list, float]:
    """``socket.getaddrinfo`` in a daemon thread, so that a stuck resolver cannot hang us."""
    answer: queue.Queue = queue.Queue(maxsize=1)

    def lookup() -> None:
        start = time.perf_counter()
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            answer.put((infos, (time.perf_counter() - start) * 1000.0))
        except Exception as exc:  # handed over to the caller
            answer.put(exc)

    threading.Thread(target=lookup, name=f"dns-{host}", daemon=True).start()
    try:
        result = answer.get(timeout=timeout_s)
    except queue.Empty:
        raise DnsLookupError(f"lookup of {host} took longer than {timeout_s:g} s") from None
    if isinstance(result, Exception):
        raise DnsLookupError(f"{host} does not resolve: {result}") from result
    return result


def resolve(url: str | httpx.URL, timeout_s: float) -> ResolvedUrl:
    """Look up the host of ``url`` and time it.

    Parameters
    ----------
    url : str or httpx.URL
        An ``http://`` or ``https://`` URL.
    timeout_s : float
        Longest wait for the lookup [s].

    Returns
    -------
    ResolvedUrl
        The URL, the same URL pointing at the address found (IPv4 preferred), the ``Host``
        header, and the lookup time [ms].

    Raises
    ------
    DnsLookupError
        The name does not resolve, or not within ``timeout_s``.
    edgecalc.measure.target_url.TargetUrlError
        Not a URL that may be measured (see :func:`~edgecalc.measure.target_url.parse_target_url`).
    """
    parsed = parse_target_url(str(url))
    host = parsed.host
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    host_header = parsed.netloc.decode("ascii")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return ResolvedUrl(parsed, parsed, host_header, None)
    infos, dns_ms = _getaddrinfo_with_timeout(host, port, timeout_s)
    if not infos:
        raise DnsLookupError(f"{host} resolves to no address")
    ipv4 = [info for info in infos if info[0] == socket.AF_INET]
    address = (ipv4 or infos)[0][4][0]
    return ResolvedUrl(parsed, parsed.copy_with(host=address), host_header, dns_ms)


def _causes(exc: BaseException) -> list[BaseException]:
    chain = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def classify_failure(exc: BaseException, trace: _Trace | None = None) -> str:
    """The failure kind (one of :data:`FAILURE_KINDS`) of an exception raised by a request.

    Parameters
    ----------
    exc : BaseException
        What the request raised.
    trace : optional
        The request's trace, to tell a failed TLS handshake from other connect errors.

    Returns
    -------
    str
        The kind.
    """
    chain = _causes(exc)
    if any(isinstance(e, DnsLookupError | socket.gaierror) for e in chain):
        return "dns"
    if any(isinstance(e, _TooLarge) for e in chain):
        return "too_large"
    if (trace is not None and trace.started_not_completed("start_tls")) or any(
        isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain
    ):
        return "tls"
    if isinstance(exc, httpx.TimeoutException) or any(isinstance(e, TimeoutError) for e in chain):
        return "timeout"
    if any(
        isinstance(e, ConnectionRefusedError)
        or (isinstance(e, OSError) and e.errno == errno.ECONNREFUSED)
        for e in chain
    ):
        return "refused"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.LocalProtocolError | httpx.DecodingError):
        return "protocol"
    if isinstance(exc, httpx.TransportError):
        return "network"
    return "other"


def failure_words(
    exc: BaseException, kind: str, deadline_passed: bool, limit_s: float
) -> tuple[str, str]:
    """The failure kind and its words, for a request that raised ``exc``.

    Parameters
    ----------
    exc : BaseException
        What the request raised.
    kind : str
        Its kind (:func:`classify_failure`).
    deadline_passed : bool
        Whether the request's own deadline (the watchdog) ended it.
    limit_s : float
        The request's deadline [s].

    Returns
    -------
    (str, str)
        The kind (``timeout`` when the deadline ended anything but a TLS handshake) and the
        error in one line. A handshake that did not finish reads the same whether the deadline
        or the client's own timeout (the same limit) ended it first.

    Examples
    --------
    >>> failure_words(TimeoutError("_ssl.c:989: The handshake operation timed out"), "tls",
    ...               False, 0.8)[1]
    "no end of the TLS handshake within 0.8 s (the request's deadline)"
    """
    timed_out = isinstance(exc, httpx.TimeoutException) or any(
        isinstance(e, TimeoutError) for e in _causes(exc)
    )
    if kind == "tls" and (deadline_passed or timed_out):
        return kind, f"no end of the TLS handshake within {limit_s:.3g} s (the request's deadline)"
    if deadline_passed and kind != "too_large":
        return (
            "timeout",
            f"no end of a complete answer within {limit_s:.3g} s (the request's deadline)",
        )
    return kind, _one_line(exc)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


_SSL_CONTEXT: ssl.SSLContext | None = None
_SSL_CONTEXT_LOCK = threading.Lock()


def _ssl_context() -> ssl.SSLContext:
    """One certificate-verifying TLS context for all clients (loading it takes ~0.1 s).

    Sharing it does not resume TLS sessions between clients: Python's ssl module resumes only
    when given a session explicitly, so every cold request still makes a full handshake.
    """
    global _SSL_CONTEXT
    with _SSL_CONTEXT_LOCK:
        if _SSL_CONTEXT is None:
            _SSL_CONTEXT = httpx.create_ssl_context()
        return _SSL_CONTEXT


def new_client(timeout_s: float) -> httpx.Client:
    """An httpx client for probing: one connection, no redirects, no proxies from the environment.

    Parameters
    ----------
    timeout_s : float
        Timeout of each step (connect, each read, each write, waiting for the pool) [s];
        :func:`timed_request` adds the request's total deadline on top.
    """
    return httpx.Client(
        timeout=httpx.Timeout(timeout_s),
        verify=_ssl_context(),
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT},
    )


class _Deadlines:
    """One daemon thread that fires the watchdogs whose deadlines have passed.

    A thread per request would cost its start-up (milliseconds on a busy machine) inside the
    timed span; arming a deadline here is a heap push.
    """

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Watchdog]] = []
        self._count = 0
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, watchdog: _Watchdog, at: float) -> None:
        with self._wake:
            self._count += 1
            heapq.heappush(self._heap, (at, self._count, watchdog))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="edgecalc-measure-deadlines", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._heap:
                    self._wake.wait()
                at, _, watchdog = self._heap[0]
                wait_s = at - time.monotonic()
                if wait_s > 0:
                    self._wake.wait(wait_s)
                    continue
                heapq.heappop(self._heap)
            watchdog.fire()


_DEADLINES = _Deadlines()


class _Watchdog:
    """Shuts a request's socket down when the request passes its deadline.

    A server that drips a byte a second never lets a read time out; shutting the socket down
    from the deadline thread ends the blocked read at once, whatever the server does.
    """

    def __init__(self, sock: socket.socket | None, seconds: float) -> None:
        self.fired = False
        self._done = False
        self._sock = sock
        self._lock = threading.Lock()
        self._seconds = max(seconds, 0.0)

    def adopt(self, sock: socket.socket) -> None:
        """The request's connection is now on ``sock`` (a new connection, or TLS on it)."""
        with self._lock:
            self._sock = sock
            if self.fired:
                _shutdown(sock)

    def fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            if self._sock is not None:
                _shutdown(self._sock)

    def __enter__(self) -> _Watchdog:
        _DEADLINES.arm(self, time.monotonic() + self._seconds)
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._done = True
            self._sock = None  # the deadline thread keeps this watchdog until its time


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed
        pass


def _read_body(response: httpx.Response, max_response_bytes: int) -> int:
    """Stream the body, discarding it; its length [bytes], or :class:`_TooLarge`."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_response_bytes:
        raise _TooLarge(
            f"the answer announces {int(declared):,} bytes, more than the limit of "
            f"{max_response_bytes:,}"
        )
    body_bytes = 0
    for chunk in response.iter_raw():
        body_bytes += len(chunk)
        if body_bytes > max_response_bytes:
            raise _TooLarge(f"the answer is longer than the limit of {max_response_bytes:,} bytes")
    return body_bytes


def timed_request(
    client: httpx.Client,
    resolved: ResolvedUrl,
    *,
    method: str = "GET",
    content: bytes | None = None,
    timeout_s: float | None = None,
    started_at: float | None = None,
    deadline_at: float | None = None,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> ProbeResult:
    """Send one request on ``client`` and time its phases.

    Parameters
    ----------
    client : httpx.Client
        The client; a fresh one gives a cold request, a used one a warm request.
    resolved : ResolvedUrl
        Where to send it (see :func:`resolve`).
    method : str, default "GET"
        HTTP method.
    content : bytes, optional
        Request body (the payload) [bytes].
    timeout_s : float, optional
        Total deadline of this request, all its steps together [s]; the client's read
        timeout when None.
    started_at : float, optional
        ``perf_counter`` value at which the whole request began (before the name lookup), so
        that ``total`` includes it; the start of the request when None.
    deadline_at : float, optional
        ``time.monotonic()`` value the request may never pass (the run's deadline).
    max_response_bytes : int, default 64 MiB
        Longest body read; a longer one fails as ``too_large`` [bytes].

    Returns
    -------
    ProbeResult
        The phases, or the failure kind; never raises for network failures.
    """
    limit_s = float(timeout_s if timeout_s is not None else client.timeout.read or 5.0)
    if deadline_at is not None:
        limit_s = min(limit_s, deadline_at - time.monotonic())
    if limit_s <= 0:
        return ProbeResult(ok=False, kind="timeout", error="no time left before the deadline")
    watchdog = _Watchdog(_SOCKETS.get(client), limit_s)
    trace = _Trace(client, watchdog)
    extensions: dict[str, Any] = {"trace": trace}
    if resolved.url.scheme == "https":
        extensions["sni_hostname"] = resolved.url.host
    headers = {"Host": resolved.host_header, "Accept-Encoding": "identity"}
    if content is not None:
        headers["Content-Type"] = "application/octet-stream"
    response = None
    try:
        with watchdog:
            request = client.build_request(
                method,
                resolved.address_url,
                headers=headers,
                content=content,
                extensions=extensions,
                timeout=httpx.Timeout(limit_s),
            )
            response = client.send(request, stream=True)
            try:
                body_bytes = _read_body(response, max_response_bytes)
            finally:
                response.close()
    except Exception as exc:
        kind, error = failure_words(exc, classify_failure(exc, trace), watchdog.fired, limit_s)
        return ProbeResult(
            ok=False,
            phases_ms=_phases(trace, resolved, started_at),
            kind=kind,
            error=error,
            status=None if response is None else response.status_code,
            new_connection="connection.connect_tcp.started" in trace.at,
        )
    phases = _phases(trace, resolved, started_at)
    new_connection = "connection.connect_tcp.started" in trace.at
    status = response.status_code
    if status >= 300:
        redirect = status < 400
        if redirect:
            where = response.headers.get("location", "")
            error = f"HTTP {status} redirect" + (f" to {where[:200]}" if where else "")
            error += ": redirects are not followed; measure the URL it points to"
        else:
            error = f"HTTP {status} {response.reason_phrase}".strip()
        return ProbeResult(
            ok=False,
            phases_ms=phases,
            kind="redirect" if redirect else "http_status",
            error=error,
            status=status,
            new_connection=new_connection,
            response_bytes=body_bytes,
        )
    return ProbeResult(
        ok=True,
        phases_ms=phases,
        status=status,
        new_connection=new_connection,
        response_bytes=body_bytes,
    )


def _phases(trace: _Trace, resolved: ResolvedUrl, started_at: float | None) -> dict[str, float]:
    new_connection = "connection.connect_tcp.started" in trace.at
    spans = {
        "connect": trace.span_ms(
            "connection.connect_tcp.started", "connection.connect_tcp.complete"
        ),
        "tls": trace.span_ms("connection.start_tls.started", "connection.start_tls.complete"),
        "request": trace.span_ms(
            "http11.send_request_headers.started", "http11.send_request_body.complete"
        ),
        "ttfb": trace.span_ms(
            "http11.send_request_headers.started", "http11.receive_response_headers.complete"
        ),
        "response": trace.span_ms(
            "http11.receive_response_headers.complete", "http11.receive_response_body.complete"
        ),
    }
    if new_connection and resolved.dns_ms is not None and started_at is not None:
        spans["dns"] = resolved.dns_ms
    end = trace.at.get("http11.receive_response_body.complete")
    if end is not None:
        if started_at is not None and new_connection:
            spans["total"] = (end - started_at) * 1000.0
        elif "http11.send_request_headers.started" in trace.at:
            spans["total"] = (end - trace.at["http11.send_request_headers.started"]) * 1000.0
    return {name: float(spans[name]) for name in PHASES if spans.get(name) is not None}


def cold_request(
    url: str | httpx.URL,
    *,
    method: str = "GET",
    timeout_s: float = 5.0,
    deadline_at: float | None = None,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> ProbeResult:
    """One cold request: name lookup, new connection (and TLS), request, response.

    Parameters
    ----------
    url : str or httpx.URL
        Target URL.
    method : str, default "GET"
        HTTP method.
    timeout_s : float, default 5.0
        Total deadline of the request, the lookup included [s].
    deadline_at : float, optional
        ``time.monotonic()`` value the request may never pass (the run's deadline).
    max_response_bytes : int, default 64 MiB
        Longest body read; a longer one fails as ``too_large`` [bytes].

    Returns
    -------
    ProbeResult
        All phases, ``total`` from the start of the lookup to the end of the body.
    """
    # The client (and its TLS context) is built before the clock starts: that is set-up work of
    # this tool, not of the network.
    end_at = time.monotonic() + timeout_s
    if deadline_at is not None:
        end_at = min(end_at, deadline_at)
    with new_client(timeout_s) as client:
        started_at = time.perf_counter()
        try:
            resolved = resolve(url, max(end_at - time.monotonic(), 0.001))
        except DnsLookupError as exc:
            return ProbeResult(ok=False, kind="dns", error=_one_line(exc))
        except Exception as exc:  # e.g. an invalid URL
            return ProbeResult(ok=False, kind="other", error=_one_line(exc))
        return timed_request(
            client,
            resolved,
            method=method,
            timeout_s=timeout_s,
            started_at=started_at,
            deadline_at=end_at,
            max_response_bytes=max_response_bytes,
        )

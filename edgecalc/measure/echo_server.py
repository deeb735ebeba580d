"""A small HTTP server to deploy next to a cloud model, so that ``edgecalc measure`` can time
realistic payload round trips: ``edgecalc echo-server [--host 127.0.0.1] [--port 8080]``.

What it answers (HTTP/1.1, keep-alive):

- ``POST`` with a body of any size up to ``max_body_bytes`` (default 64 MiB; 413 beyond, 411
  without a ``Content-Length``): the body is read and discarded.
- ``GET`` or ``POST`` with ``?bytes=N``: the answer carries ``N`` bytes
  (``application/octet-stream``, at most ``max_body_bytes``); without it, a short JSON line
  ``{"received_bytes": ..., "delay_ms": ...}``.
- ``?delay_ms=D`` waits ``D`` milliseconds after reading the request and before answering
  (a simulated inference time; at most 60,000).
- ``HEAD`` as ``GET`` without the body.

It never touches files, serves no paths other than these query parameters (any path works), and
binds to 127.0.0.1 unless told otherwise: bind to a public address only where the cloud
firewall limits who may reach it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
"""Largest request body accepted, and largest answer served [bytes] (64 MiB)."""

MAX_DELAY_MS = 60_000.0
"""Longest simulated inference delay [ms]."""

_CHUNK_BYTES = 64 * 1024
_ZEROS = bytes(_CHUNK_BYTES)


class _BadQuery(ValueError):
    pass


class EchoHandler(BaseHTTPRequestHandler):
    """Request handler of the echo server (see the module docstring)."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: with Nagle's algorithm on, the body would
    # wait for the client's delayed ACK (40 ms on Linux) and spoil every measurement.
    disable_nagle_algorithm = True
    server_version = "edgecalc-echo"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    # -- request parsing ---------------------------------------------------------------------

    def _query(self) -> tuple[int | None, float]:
        params = parse_qs(urlsplit(self.path).query)
        limit = self.server.max_body_bytes  # type: ignore[attr-defined]
        answer_bytes = None
        delay_ms = 0.0
        try:
            if "bytes" in params:
                answer_bytes = int(params["bytes"][-1])
            if "delay_ms" in params:
                delay_ms = float(params["delay_ms"][-1])
        except ValueError as exc:
            raise _BadQuery(f"bytes must be an integer and delay_ms a number: {exc}") from None
        if answer_bytes is not None and not 0 <= answer_bytes <= limit:
            raise _BadQuery(f"bytes must lie in [0, {limit}]")
        if not 0.0 <= delay_ms <= MAX_DELAY_MS:
            raise _BadQuery(f"delay_ms must lie in [0, {MAX_DELAY_MS:g}]")
        return answer_bytes, delay_ms

    def _read_body(self) -> int | None:
        """Read and discard the request body; None when an error answer was sent."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._send_text(411, "send a Content-Length; chunked bodies are not accepted\n")
            return None
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            if self.command == "POST":
                self._send_text(411, "a POST needs a Content-Length\n")
                return None
            return 0
        try:
            length = int(length_text)
        except ValueError:
            self._send_text(400, "bad Content-Length\n")
            return None
        limit = self.server.max_body_bytes  # type: ignore[attr-defined]
        if length < 0 or length > limit:
            self._send_text(413, f"body larger than {limit} bytes\n")
            self._drain_after_error(length)
            return None
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(_CHUNK_BYTES, remaining))
            if not chunk:
                self.close_connection = True
                return None
            remaining -= len(chunk)
        return length

    def _drain_after_error(self, length: int) -> None:
        """Half-close, then read (and drop) what the client still sends, for at most 2 s.

        Closing a socket with unread input makes the kernel send a reset, which can destroy the
        413 answer before the client reads it.
        """
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(2.0)
            remaining = length
            while remaining > 0:
                chunk = self.connection.recv(min(_CHUNK_BYTES, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
        except OSError:
            pass

    # -- answers -----------------------------------------------------------------------------

    def _send_text(self, status: int, text: str) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if status >= 400:
            # The request body may be unread: the connection cannot be reused.
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _answer(self) -> None:
        try:
            answer_bytes, delay_ms = self._query()
        except _BadQuery as exc:
            self._send_text(400, f"{exc}\n")
            return
        received = self._read_body()
        if received is None:
            return
        if delay_ms > 0:
            time.sleep(delay_ms / 1000.0)
        if answer_bytes is None:
            body = json.dumps({"received_bytes": received, "delay_ms": delay_ms}).encode() + b"\n"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(answer_bytes))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command == "HEAD":
            return
        remaining = answer_bytes
        while remaining > 0:
            chunk = _ZEROS[: min(_CHUNK_BYTES, remaining)]
            self.wfile.write(chunk)
            remaining -= len(chunk)

    do_GET = _answer
    do_POST = _answer
    do_HEAD = _answer


class EchoServer(ThreadingHTTPServer):
    """A threading HTTP server with :class:`EchoHandler` and a body size bound."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        verbose: bool = False,
    ) -> None:
        super().__init__(address, EchoHandler)
        self.max_body_bytes = int(max_body_bytes)
        self.verbose = verbose

    @property
    def url(self) -> str:
        """The server's base URL, e.g. ``http://127.0.0.1:8080/``."""
        host, port = self.server_address[:2]
        host_text = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{host_text}:{port}/"


def serve_in_thread(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> tuple[EchoServer, str]:
    """Start an echo server in a daemon thread (for tests and notebooks).

    Parameters
    ----------
    host : str, default "127.0.0.1"
        Address to bind.
    port : int, default 0
        Port; 0 picks a free one.
    max_body_bytes : int, default 64 MiB
        Largest request body and answer [bytes].

    Returns
    -------
    (EchoServer, str)
        The server (stop it with ``server.shutdown(); server.server_close()``) and its base URL.
    """
    server = EchoServer((host, port), max_body_bytes=max_body_bytes)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="echo-server", daemon=True
    )
    thread.start()
    return server, server.url


def run_echo_server(
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    verbose: bool = False,
) -> None:
    """Serve until interrupted (Ctrl-C), in the foreground.

    Parameters
    ----------
    host : str, default "127.0.0.1"
        Address to bind.
    port : int, default 8080
        Port.
    max_body_bytes : int, default 64 MiB
        Largest request body and answer [bytes].
    verbose : bool, default False
        Log each request to stderr.
    """
    with EchoServer((host, port), max_body_bytes=max_body_bytes, verbose=verbose) as server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass

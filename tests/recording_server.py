"""A recording HTTP server on 127.0.0.1 for the Measure allow-list tests.

It answers ``/ok/redirect...`` with a redirect to ``/secret-admin``, a path holding ``secret``
with ``secret`` and every other path with ``ok``, and records every path that reached it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Recording(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        if self.path.startswith("/ok/redirect"):
            self.send_response(302)
            self.send_header("Location", "/secret-admin")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"secret" if "secret" in self.path else b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass


@contextmanager
def recording_server() -> Iterator[tuple[int, list[str]]]:
    """Serve on 127.0.0.1 (a free port) until the block ends; yield the port and the list of
    paths the server has received, in order."""
    seen: list[str] = []
    handler = type("Handler", (_Recording,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()

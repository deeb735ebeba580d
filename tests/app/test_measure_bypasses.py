"""The Measure page's allow-list cannot be bypassed (issue 10, item 3).

With ``EDGECALC_MEASURE_ALLOW=http://127.0.0.1:PORT/ok`` and the app served to others, a
recording HTTP server on 127.0.0.1 holds ``/ok`` and ``/secret-admin``. Each bypass class is
tried: the URL is either refused, or what is measured (the canonical URL) stays under ``/ok``,
and the server's log proves that no request ever reached anything else.
"""

from __future__ import annotations

import pytest
from recording_server import recording_server

from app_pages.measure_policy import check_urls
from edgecalc.measure.api import measure

PUBLIC = "0.0.0.0"


@pytest.fixture(scope="module")
def recorder():
    with recording_server() as served:
        yield served


# {port} is the recording server's port. Each URL names the bypass class it tries.
REFUSED = {
    "dot segments": "http://127.0.0.1:{port}/ok/../../secret-admin",
    "dot segments, one level": "http://127.0.0.1:{port}/ok/../secret-admin",
    "encoded dots": "http://127.0.0.1:{port}/ok/%2e%2e/secret-admin",
    "encoded dots, upper case": "http://127.0.0.1:{port}/ok/%2E%2E/secret-admin",
    "half-encoded dots": "http://127.0.0.1:{port}/ok/.%2e/secret-admin",
    "backslashes": "http://127.0.0.1:{port}/ok\\..\\secret-admin",
    "encoded backslashes": "http://127.0.0.1:{port}/ok/..%5csecret-admin",
    "encoded slash": "http://127.0.0.1:{port}/ok/..%2fsecret-admin",
    "double slashes": "http://127.0.0.1:{port}/ok//secret-admin",
    "double slash first": "http://127.0.0.1:{port}//secret-admin",
    "userinfo before the host": "http://127.0.0.1:{port}@evil.example/ok",
    "userinfo naming the allowed host": "http://evil:x@127.0.0.1:{port}/ok",
    "backslash userinfo": "http://evil.example\\@127.0.0.1:{port}/ok",
    "IPv6 loopback": "http://[::1]:{port}/ok",
    "IPv6 mapped, dot segments": "http://[::ffff:127.0.0.1]:{port}/ok/../secret-admin",
    "IPv6 with a zone": "http://[fe80::1%25lo]:{port}/ok",
    "decimal IPv4": "http://2130706433:{port}/ok",
    "hex IPv4": "http://0x7f000001:{port}/ok",
    "dotted hex IPv4": "http://0x7f.0.0.1:{port}/ok",
    "octal IPv4": "http://0177.0.0.1:{port}/ok",
    "short IPv4": "http://127.1:{port}/ok",
    "another name for the host": "http://localhost:{port}/ok",
    "port past 65535 (wraps in some parsers)": "http://127.0.0.1:{wrapped}/ok",
    "another path": "http://127.0.0.1:{port}/okx",
    "path case": "http://127.0.0.1:{port}/OK",
    "another scheme": "https://127.0.0.1:{port}/ok",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_bypass_is_refused(name, recorder):
    port, _ = recorder
    url = REFUSED[name].format(port=port, wrapped=port + 65536)
    checked = check_urls(url, server_address=PUBLIC, allow=[f"http://127.0.0.1:{port}/ok"])
    assert checked.allowed == (), f"{name}: {url} was allowed as {checked.allowed}"
    assert len(checked.refused) == 1
    assert "pw" not in checked.refused[0] and ":x@" not in checked.refused[0]


# Allowed: the same destination written another way; what is measured is the canonical URL.
ALLOWED = {
    "plain": ("http://127.0.0.1:{port}/ok", "/ok"),
    "below": ("http://127.0.0.1:{port}/ok/ping?x=1", "/ok/ping?x=1"),
    "dot segments that stay below": ("http://127.0.0.1:{port}/ok/a/../b", "/ok/b"),
    "a fragment (never sent)": ("http://127.0.0.1:{port}/ok#@evil.example", "/ok"),
    "dots in the query": ("http://127.0.0.1:{port}/ok?n=/../x", "/ok?n=/../x"),
    "upper-case scheme": ("HTTP://127.0.0.1:{port}/ok", "/ok"),
    "IPv6-mapped IPv4": ("http://[::ffff:127.0.0.1]:{port}/ok", "/ok"),
    "a redirect (not followed)": ("http://127.0.0.1:{port}/ok/redirect", "/ok/redirect"),
}


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_what_is_allowed_only_ever_reaches_the_allowed_path(name, recorder):
    port, seen = recorder
    text, sent = ALLOWED[name]
    url = text.format(port=port)
    checked = check_urls(url, server_address=PUBLIC, allow=[f"http://127.0.0.1:{port}/ok"])
    assert len(checked.allowed) == 1, checked.refused
    before = len(seen)
    m = measure(list(checked.allowed), samples=1, timeout_s=2.0, deadline_s=10.0, pause_s=0.0)
    received = seen[before:]
    assert received, "the server saw no request"
    assert set(received) == {sent}, received
    if "redirect" in name:
        assert set(m.failures()[checked.allowed[0]]) == {"redirect"}

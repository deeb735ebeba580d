"""Paths that servers read otherwise than the allow-list's prefix check (issue P6).

With the app served to others (``server.address 0.0.0.0``) and
``EDGECALC_MEASURE_ALLOW=http://127.0.0.1:PORT/ok``, each path below lies under ``/ok`` as the
client sends it, yet some server reads it as a path outside ``/ok`` (``/ok/..;/x`` is ``/x``
to Tomcat and Jetty): it must be refused, with the reason named, and no request made. Served
on loopback, the page allows any URL (docs/security.md): the same URLs are measured exactly as
written. A recording HTTP server on 127.0.0.1 shows what reached it.
"""

from __future__ import annotations

import httpx
import pytest
from recording_server import recording_server

from app_pages.measure_policy import check_url, check_urls
from edgecalc.measure.api import measure
from edgecalc.measure.target_url import ambiguous_path

PUBLIC = "0.0.0.0"
LOOPBACK = "127.0.0.1"


@pytest.fixture(scope="module")
def recorder():
    with recording_server() as served:
        yield served


# The path (after http://127.0.0.1:PORT), and what the refusal must name.
AMBIGUOUS = {
    "path parameter before ..": ("/ok/..;/secret-admin", "a path parameter (; in ..;"),
    "path parameter before .": ("/ok/.;/x", "a path parameter (; in .;"),
    "path parameter on the prefix's segment": ("/ok;x/secret-admin", "a path parameter (; in ok;x"),
    "session id parameter": ("/ok/x;jsessionid=1", "a path parameter (; in x;jsessionid=1"),
    "encoded semicolon": ("/ok/..%3b/secret-admin", "a path parameter (; in ..%3b"),
    "double-encoded dots": ("/ok/%252e%252e/secret-admin", "an encoded percent sign (%25"),
    "double-encoded slash": ("/ok/..%252fsecret-admin", "an encoded percent sign (%25"),
    "triple-encoded dots": ("/ok/%25252e%25252e/x", "an encoded percent sign (%25"),
    "overlong UTF-8 dots": ("/ok/%C0%AE%C0%AE/secret-admin", "outside printable ASCII (%c0"),
    "overlong UTF-8 slash": ("/ok/..%c0%afsecret-admin", "outside printable ASCII (%c0"),
    "full-width dots": ("/ok/%EF%BC%8E%EF%BC%8E/x", "outside printable ASCII (%ef"),
    "a non-ASCII name": ("/ok/café", "outside printable ASCII (%c3"),
    "encoded NUL between dots": ("/ok/.%00./secret-admin", "an encoded control byte (%00"),
    "encoded NUL after dots": ("/ok/..%00/secret-admin", "an encoded control byte (%00"),
    "encoded tab": ("/ok/..%09/x", "an encoded control byte (%09"),
    "encoded DEL": ("/ok/x%7F", "an encoded control byte (%7f"),
    "IIS %u dots": ("/ok/%u002e%u002e/secret-admin", "not followed by two hex digits (%u002e"),
    "a lone %": ("/ok/100%", "not followed by two hex digits (%;"),
    "a % before non-hex": ("/ok/%zz/x", "not followed by two hex digits (%zz"),
    "encoded dots, lower case": ("/ok/%2e%2e/secret-admin", "written percent-encoded (%2e%2e)"),
    "encoded dots, mixed case": ("/ok/%2E%2e/secret-admin", "written percent-encoded (%2E%2e)"),
    "half-encoded dots": ("/ok/.%2e/secret-admin", "written percent-encoded (.%2e)"),
    "half-encoded dots, other half": ("/ok/%2E./secret-admin", "written percent-encoded (%2E.)"),
    "encoded dot": ("/ok/%2e/x", "written percent-encoded (%2e)"),
    "encoded dots as the last segment": ("/ok/x/%2e%2e", "written percent-encoded (%2e%2e)"),
    "half-encoded dots as the last segment": ("/ok/x/.%2E", "written percent-encoded (.%2E)"),
    "three dots": ("/ok/.../x", "only dots and spaces (..."),
    "dots and an encoded dot": ("/ok/..%2e/x", "only dots and spaces (..%2e"),
    "dots and a trailing space": ("/ok/..%20/secret-admin", "only dots and spaces (..%20"),
    "dots and a leading space": ("/ok/%20../secret-admin", "only dots and spaces (%20.."),
    "encoded backslash": ("/ok/..%5Csecret-admin", "a backslash"),
    "encoded slash": ("/ok/..%2Fsecret-admin", "an encoded slash (%2f)"),
    "empty segment": ("/ok//secret-admin", "an empty path segment (//)"),
}


def _url(port: int, path: str) -> str:
    return f"http://127.0.0.1:{port}{path}"


@pytest.mark.parametrize("name", sorted(AMBIGUOUS))
def test_served_to_others_an_ambiguous_path_is_refused_with_its_reason(name, recorder):
    port, seen = recorder
    path, why = AMBIGUOUS[name]
    before = len(seen)
    checked = check_urls(_url(port, path), server_address=PUBLIC, allow=[_url(port, "/ok")])
    assert checked.allowed == (), f"{name}: allowed as {checked.allowed}"
    (reason,) = checked.refused
    assert f"http://127.0.0.1:{port}/ok" in reason  # the URL, as it would be sent
    assert why in reason, reason
    assert reason.endswith("which servers read in different ways: write the plain path")
    assert seen[before:] == []  # nothing was requested


@pytest.mark.parametrize("name", sorted(AMBIGUOUS))
def test_on_loopback_the_same_url_is_measured_exactly_as_written(name, recorder):
    # Loopback serves only this machine: any URL is allowed, as with `edgecalc measure`.
    port, seen = recorder
    path, _ = AMBIGUOUS[name]
    checked = check_urls(_url(port, path), server_address=LOOPBACK)
    assert checked.refused == ()
    (url,) = checked.allowed
    before = len(seen)
    m = measure([url], samples=1, modes=["cold"], timeout_s=2.0, deadline_s=10.0, pause_s=0.0)
    assert all(s["ok"] for s in m.samples), m.samples
    assert set(seen[before:]) == {httpx.URL(url).raw_path.decode("ascii")}


# Plain paths stay allowed when served to others, and reach the server as written.
PLAIN = {
    "a dot in a name": "/ok/v1.2/ping",
    "a leading dot": "/ok/.well-known/x",
    "dots before a name": "/ok/..x",
    "a trailing dot in a name": "/ok/x.",
    "an encoded letter": "/ok/%41",
    "an encoded space in a name": "/ok/a%20b",
    "an encoded dot inside a name": "/ok/a%2eb",
    "a query holding what a path may not": "/ok/x?a=..;%00%25%c0%ae&b=//",
    "a dot segment that stays below": "/ok/a/../b",
}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_served_to_others_a_plain_path_is_allowed_and_sent_as_written(name, recorder):
    port, seen = recorder
    checked = check_urls(_url(port, PLAIN[name]), server_address=PUBLIC, allow=[_url(port, "/ok")])
    assert checked.refused == ()
    (url,) = checked.allowed
    before = len(seen)
    measure([url], samples=1, modes=["cold"], timeout_s=2.0, deadline_s=10.0, pause_s=0.0)
    received = set(seen[before:])
    assert received == {httpx.URL(url).raw_path.decode("ascii")}
    assert all(path.startswith("/ok/") for path in received)


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1f", "\x7f"])
@pytest.mark.parametrize("address", [PUBLIC, LOOPBACK])
def test_a_raw_control_character_is_refused_even_on_loopback(character, address):
    url = f"http://127.0.0.1:8600/ok/.{character}./x"
    reason = check_url(url, server_address=address, allow=["http://127.0.0.1:8600/ok"])
    assert "not a valid URL" in reason and "non-printable" in reason


def test_an_allow_list_entry_with_an_ambiguous_path_allows_nothing():
    # A prefix /ok;x would allow /ok;x/... which Tomcat reads as /ok/...: it is ignored.
    checked = check_urls(
        "http://127.0.0.1:8600/ok;x/y",
        server_address=PUBLIC,
        allow=["http://127.0.0.1:8600/ok;x"],
    )
    assert checked.allowed == ()


def test_ambiguous_path_ignores_the_query_and_names_the_first_problem():
    assert ambiguous_path(httpx.URL("http://a/ok/x?q=..;/%252e")) == ""
    assert ambiguous_path(httpx.URL("http://a/ok/plain")) == ""
    reason = ambiguous_path(httpx.URL("http://a/ok/..;/%252e"))
    assert reason.startswith("an encoded percent sign (%25")

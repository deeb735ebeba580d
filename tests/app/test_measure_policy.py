"""Which URLs the Measure page may time (app_pages/measure_policy.py): loopback allows any
http(s) URL; served to others, only URLs under a prefix of EDGECALC_MEASURE_ALLOW."""

from __future__ import annotations

import pytest

from app_pages.measure_policy import (
    ALLOW_ENV,
    check_url,
    check_urls,
    is_loopback,
    parse_allow_list,
)

PUBLIC = "0.0.0.0"


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("", False),  # Streamlit's default: every interface
        (None, False),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.com", False),
        ("localhost.example.com", False),
    ],
)
def test_is_loopback(address, loopback) -> None:
    assert is_loopback(address) is loopback


def test_loopback_allows_any_http_url() -> None:
    for url in ("http://10.0.0.5:8080/x", "https://example.com", "http://127.0.0.1:9/"):
        assert check_url(url, server_address="127.0.0.1") == ""


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/", "file:///etc/passwd", "example.com", "http://"],
)
def test_not_an_http_url_is_refused_even_on_loopback(url: str) -> None:
    assert "not an http:// or https:// URL" in check_url(url, server_address="127.0.0.1")


def test_credentials_are_refused_even_on_loopback_and_never_shown() -> None:
    reason = check_url("http://user:pw@a/", server_address="127.0.0.1")
    assert "user name or password" in reason and "pw" not in reason


def test_served_to_others_without_an_allow_list_refuses_free_urls() -> None:
    for address in (PUBLIC, "", None):
        reason = check_url("http://127.0.0.1:8080/", server_address=address)
        assert "served to others" in reason and ALLOW_ENV in reason


ALLOW = ("https://inference.example.com/ping", "http://echo.example.com:8080/")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://inference.example.com/ping", True),
        ("https://inference.example.com/ping?x=1", True),
        ("https://inference.example.com/ping/deep", True),
        ("https://INFERENCE.example.com/ping", True),  # host names are case-insensitive
        ("https://inference.example.com:443/ping", True),  # the default port written out
        ("https://inference.example.com/pingx", False),  # not below /ping
        ("https://inference.example.com/", False),
        ("http://inference.example.com/ping", False),  # another scheme
        ("https://inference.example.com:8443/ping", False),  # another port
        ("https://inference.example.com.evil.example/ping", False),  # a longer host
        ("https://inference.example.com@evil.example/ping", False),  # user info
        ("http://echo.example.com:8080/?delay_ms=5", True),
        ("http://echo.example.com:8080/anything", True),
        ("http://echo.example.com/", False),  # port 80, not 8080
    ],
)
def test_served_to_others_only_urls_under_an_allowed_prefix(url: str, allowed: bool) -> None:
    reason = check_url(url, server_address=PUBLIC, allow=ALLOW)
    assert (reason == "") is allowed, reason


def test_parse_allow_list_drops_blanks_and_non_http_entries() -> None:
    text = " https://a.example.com/ping , ,ftp://x,not a url, http://b:8080 "
    assert parse_allow_list(text) == ("https://a.example.com/ping", "http://b:8080")
    assert parse_allow_list(None) == ()
    assert parse_allow_list("") == ()


def test_check_urls_splits_lines_dedupes_and_keeps_reasons() -> None:
    text = "https://inference.example.com/ping\n\nhttp://evil.example/\nhttps://inference.example.com/ping"
    checked = check_urls(text, server_address=PUBLIC, allow=ALLOW)
    assert checked.allowed == ("https://inference.example.com/ping",)
    assert len(checked.refused) == 1 and "http://evil.example/" in checked.refused[0]


def test_docstring_examples_run() -> None:
    import doctest

    from app_pages import measure_policy

    result = doctest.testmod(measure_policy, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 6 and result.failed == 0

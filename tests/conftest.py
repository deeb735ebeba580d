"""Shared pytest options and the one headless Chromium of a test session.

``--regen-golden`` rewrites the golden files under ``tests/golden/`` from the current output
(``pytest tests/test_golden.py --regen-golden``); review the diff before committing it.
"""

from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* from the current output instead of comparing",
    )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, shared by every browser test of the session
    (Playwright's sync API allows one instance per thread)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def echo_url():
    """An ``edgecalc echo-server`` on 127.0.0.1 (a free port), stopped after the test."""
    from edgecalc.measure.echo_server import serve_in_thread

    server, url = serve_in_thread()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def tiny_measurement():
    """A factory of small valid measurements: 4 warm requests to one target (the first opens
    the connection; ttfb 11, 12, 13 ms on it), keyword arguments replace fields."""
    from edgecalc.measure.measurement import Measurement, Target

    def make(**changes):
        url = "http://127.0.0.1:9/"
        samples = [
            {"target": url, "mode": "warm", "sample": i, "warmup": i == 0, "ok": True,
             "kind": None, "error": None, "status": 200, "new_connection": i == 0,
             "phases_ms": {"ttfb": 10.0 + i, "total": 11.0 + i}}
            for i in range(4)
        ]  # fmt: skip
        fields = {
            "targets": [Target(url=url, label="echo")],
            "samples": samples,
            "settings": {"samples": 3},
            "created_at": "2026-01-02T03:04:05Z",
            "host": "site-pc",
            "site": "site-a",
        }
        return Measurement(**(fields | changes))

    return make

"""A real app server on 127.0.0.1 and a headless Chromium page (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
START_TIMEOUT_S = 90


def free_port() -> int:
    """A TCP port nothing listens on at the moment."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    port: int, address: str = "127.0.0.1", env: dict[str, str] | None = None
) -> subprocess.Popen:
    """``streamlit run app.py`` on address:port (127.0.0.1 unless told), headless, no usage
    statistics; ``env`` adds environment variables."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_healthy(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer on {url} within {START_TIMEOUT_S} s")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The app served on a free port of 127.0.0.1; stopped after the tests."""
    port = free_port()
    proc = start_app(port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop_app(proc)


@pytest.fixture
def page(browser):
    """A fresh browser tab (a fresh Streamlit session) that accepts downloads."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def launch_app() -> Iterator:
    """``launch_app(address, env)``: start another app server (a free port, bound to
    ``address``, with more environment variables) and get the URL to reach it through
    127.0.0.1; every server started is stopped after the module's tests."""
    started: list[subprocess.Popen] = []

    def launch(address: str, env: dict[str, str] | None = None) -> str:
        port = free_port()
        proc = start_app(port, address=address, env=env)
        started.append(proc)
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc)
        return url

    try:
        yield launch
    finally:
        for proc in started:
            stop_app(proc)

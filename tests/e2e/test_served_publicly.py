"""The app served to others (``--server.address 0.0.0.0``), attacked through a real browser
(issue 10: "the app's security tests run the server on 0.0.0.0 and try each bypass").

The server binds every interface; the test connects only through 127.0.0.1, and every HTTP
target is a recording server the test starts on 127.0.0.1. With
``EDGECALC_MEASURE_ALLOW=http://127.0.0.1:PORT/ok``, each SSRF bypass class typed on the
Measure page is refused, and the recording server proves that nothing but ``/ok`` was ever
requested. An uploaded scenario naming a secret file on the server (as a measurement, and as
``extends``) shows nothing of the file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SECRET = "hunter2-never-on-screen"
GOOD = (ROOT / "scenarios" / "factory-visual-qc.yaml").read_text(encoding="utf-8")


class _Recording(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        body = SECRET.encode() if "secret" in self.path else b"ok"
        if self.path.startswith("/ok/redirect"):
            self.send_response(302)
            self.send_header("Location", "/secret-admin")
            body = b""
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[int, list[str]]]:
    seen: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (_Recording,), {"seen": seen}))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def public_app(recorder, launch_app) -> str:
    """The app on 0.0.0.0 (a free port), reached through 127.0.0.1 only."""
    allow = f"http://127.0.0.1:{recorder[0]}/ok"
    return launch_app("0.0.0.0", {"EDGECALC_MEASURE_ALLOW": allow})


BYPASSES = [
    "http://127.0.0.1:{port}/ok/../../secret-admin",  # dot segments
    "http://127.0.0.1:{port}/ok/%2e%2e/secret-admin",  # encoded dots
    "http://127.0.0.1:{port}/ok\\..\\secret-admin",  # backslashes
    "http://127.0.0.1:{port}//secret-admin",  # double slashes
    "http://evil:x@127.0.0.1:{port}/ok",  # userinfo
    "http://127.0.0.1:{port}@localhost:{port}/secret-admin",  # userinfo hiding the host
    "http://[::1]:{port}/secret-admin",  # IPv6 form
    "http://[::ffff:127.0.0.1]:{port}/ok/../secret-admin",  # IPv6-mapped, dot segments
    "http://2130706433:{port}/secret-admin",  # decimal IPv4
    "http://0x7f000001:{port}/secret-admin",  # hex IPv4
    "http://127.0.0.1:{port}/secret-admin",  # simply another path
]
ALLOWED = [
    "http://127.0.0.1:{port}/ok",
    "http://127.0.0.1:{port}/ok/redirect",  # a redirect to /secret-admin: never followed
]


def _wait_idle(page) -> None:
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached")


def test_each_ssrf_bypass_is_refused_on_the_served_app(page, public_app, recorder, artifacts):
    port, seen = recorder
    page.goto(f"{public_app}/measure")
    page.get_by_text("Measure the cloud round trip").first.wait_for()
    # No catalog region may be measured from a test: clear the scenario's region first.
    regions = page.locator('[data-testid="stMultiSelect"]').first
    while regions.locator('[data-baseweb="tag"]').count():
        regions.locator('[data-baseweb="tag"] [role="presentation"]').first.click()
        _wait_idle(page)
    assert regions.locator('[data-baseweb="tag"]').count() == 0
    urls = [u.format(port=port) for u in BYPASSES + ALLOWED]
    box = page.get_by_role("textbox", name="or URLs, one per line")
    box.fill("\n".join(urls))
    box.press("Control+Enter")
    _wait_idle(page)
    page.get_by_role("button", name="Measure from this machine").click()
    page.get_by_text("Done:").first.wait_for(timeout=90_000)
    _wait_idle(page)
    page.screenshot(path=artifacts / "measure-served-publicly.png", full_page=True)
    refused = page.get_by_text("Not measured:")
    assert refused.count() == len(BYPASSES)
    assert set(seen) == {"/ok", "/ok/redirect"}, seen
    text = page.locator("body").inner_text()
    assert SECRET not in text and ":x@" not in text


def test_an_upload_naming_server_files_shows_nothing_of_them(page, public_app, tmp_path):
    secret_json = tmp_path / "secret.json"
    secret_json.write_text(f'{{"edgecalc_measurement": 1, "api_token": "{SECRET}"}}')
    secret_yaml = tmp_path / "secret.yaml"
    secret_yaml.write_text(f"api_token: {SECRET}\n")
    uploads = {
        "measurement.yaml": GOOD + f"\ncloud:\n  rtt:\n    measurement: {secret_json}\n",
        # an upload whose extends names a server file, by absolute path and by ../
        "extends-absolute.yaml": f"extends: {secret_yaml}\nname: x\n",
        "extends-dotdot.yaml": f"extends: ../../../../../../..{secret_yaml}\nname: x\n",
    }
    page.goto(public_app)
    page.get_by_text("Recommendation:").first.wait_for()
    for name, text in uploads.items():
        upload = tmp_path / name
        upload.write_text(text, encoding="utf-8")
        page.locator("input[type=file]").set_input_files(str(upload))
        alert = page.locator('[data-testid="stAlert"]').filter(has_text=name)
        alert.first.wait_for(timeout=60_000)
        _wait_idle(page)
        body = page.locator("body").inner_text()
        assert "The scenario is invalid" in alert.first.inner_text()
        assert SECRET not in body and "api_token" not in body
        assert "Traceback" not in body


def test_a_file_refused_for_its_size_never_wears_the_last_files_error(page, public_app, tmp_path):
    # The browser refuses a 3.6 MB file itself (the uploader takes 1 MiB, written 1.0MB): the
    # server never sees it, so the error on screen is the last file's, and says so by name.
    bad = tmp_path / "bad.yaml"
    bad.write_text("edgecalc: 1\nname: [unclosed\n", encoding="utf-8")
    big = tmp_path / "big.yaml"
    big.write_text("# padding\n" * 360_000, encoding="utf-8")
    page.goto(public_app)
    page.get_by_text("Recommendation:").first.wait_for()
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("YAML syntax error").first.wait_for()
    page.locator("input[type=file]").set_input_files(str(big))
    page.get_by_text("File must be 1.0MB or smaller").first.wait_for()
    alerts = [a.inner_text() for a in page.locator('[data-testid="stAlert"]').all()]
    assert alerts and all("big.yaml" not in a for a in alerts)
    assert any("bad.yaml was not loaded; the scenario on screen is kept" in a for a in alerts)

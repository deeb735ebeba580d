"""Time from an input change to the updated verdict in a real browser (headless Chromium).

Starts ``streamlit run app.py`` on a free port of 127.0.0.1, opens the Decide page on the default
scenario, and changes the latency budget 10 times, alternating between a budget the cloud cannot
meet and one it can, so that each change flips the verdict. Each time is measured from pressing
Enter in the budget field to the verdict showing the value ``edgecalc.evaluate`` gives. Every
budget is a new one (20, 1000, 20.5, 1000.5, ...), so that no change is answered from the
app's caches of an earlier one: each is a new evaluation.

Two clocks stop on the same change. "On screen": the page notes, in the animation frame after
the verdict's heading first reads the new value, the wall-clock time (``performance.timeOrigin
+ performance.now()``), against the wall-clock time at which Enter was sent: one frame of
error. "Seen by Playwright": ``locator.wait_for`` returning, as this benchmark measured before;
Playwright looks again 0, 20, 50, 100 and 100 ms after each look, then every 500 ms, so this
figure rounds a change up to the next look (a verdict drawn at 180 ms is seen at about 270 ms,
one drawn at 280 ms at about 770 ms). The next change starts once Playwright has seen the
verdict, as before. The aims are read on the on-screen figure.

The peer is a trivial Streamlit app (one number field and one line of text that follows it)
timed the same way in the same run: the floor this machine and browser give any Streamlit app.
The issue's aims: median under 0.2 s, max under 0.5 s (the peer measured 0.14 s on a quiet
run, seen by Playwright). Run: ``.venv/bin/python benchmarks/bench_app.py``.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from conftest import free_port, start_app, stop_app, wait_healthy  # noqa: E402


def _shared_conftest():
    """tests/conftest.py (the Chromium path and flags every browser test uses)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tests_conftest", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHROMIUM = _shared_conftest().CHROMIUM
CHROMIUM_ARGS = _shared_conftest().CHROMIUM_ARGS

import edgecalc  # noqa: E402

CHANGES = 10
SCENARIO = ROOT / "scenarios" / "factory-visual-qc.yaml"
MEDIAN_AIM_S = 0.2
MAX_AIM_S = 0.5
PEER_APP = """
import streamlit as st

budget = st.number_input("budget [ms]", value=100.0, step=5.0)
st.markdown(f"## Recommendation: **{'EDGE' if budget < 100 else 'CLOUD'}**")
"""


# In the page: once the verdict's heading (an h2) reads ``window.__want``, the wall-clock time of
# the next animation frame goes to ``window.__shown`` (h2 only: the check must cost the page
# next to nothing).
CLOCK = """
window.__want = null;
window.__shown = null;
new MutationObserver(() => {
  if (window.__want === null || window.__shown !== null) return;
  for (const h of document.getElementsByTagName("h2")) {
    if (h.textContent.replace(/\\s+/g, " ").trim() === window.__want) {
      window.__want = null;
      requestAnimationFrame(() => { window.__shown = performance.timeOrigin + performance.now(); });
      return;
    }
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def _budgets() -> list[float]:
    """One more than ``CHANGES`` budgets (the first warms up), each new, alternating sides."""
    return [(20.0 if i % 2 == 0 else 1000.0) + 0.5 * (i // 2) for i in range(CHANGES + 1)]


def _start_peer(folder: Path, port: int) -> subprocess.Popen:
    script = folder / "peer_app.py"
    script.write_text(PEER_APP)
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    return subprocess.Popen(cmd, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _time_changes(proc, port: int, expected: dict[float, str]) -> tuple[list[float], list[float]]:
    """Seconds from Enter to the expected verdict on screen and as seen by Playwright, for
    every budget after the first."""
    from playwright.sync_api import sync_playwright

    url = f"http://127.0.0.1:{port}"
    shown_s: list[float] = []
    seen_s: list[float] = []
    try:
        wait_healthy(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script(CLOCK)
            page.set_default_timeout(60_000)
            page.goto(url)
            page.get_by_text("Recommendation:").first.wait_for()
            box = page.get_by_label("budget [ms]", exact=True)
            for i, budget in enumerate(expected):
                box.fill(f"{budget:g}")
                page.evaluate(
                    "want => { window.__shown = null; window.__want = want; }",
                    f"Recommendation: {expected[budget]}",
                )
                sent = time.time()
                start = time.perf_counter()
                box.press("Enter")
                page.get_by_text(
                    re.compile(rf"^Recommendation:\s*{expected[budget]}$")
                ).first.wait_for()
                seen = time.perf_counter() - start
                page.wait_for_function("() => window.__shown !== null")
                shown = page.evaluate("() => window.__shown") / 1000 - sent
                if i:  # the first change warms up; not counted
                    shown_s.append(shown)
                    seen_s.append(seen)
            browser.close()
    finally:
        stop_app(proc)
    return shown_s, seen_s


def _line(what: str, times_s: list[float]) -> str:
    return (
        f"{what}: median {statistics.median(times_s):.3f} s over {len(times_s)} changes "
        f"(min {min(times_s):.3f} s, max {max(times_s):.3f} s)"
    )


def main() -> None:
    budgets = _budgets()
    expected = {
        b: edgecalc.evaluate(SCENARIO, overrides={"latency.budget_ms": b}).recommendation.upper()
        for b in budgets
    }
    if len(set(expected.values())) < 2:
        raise SystemExit(f"the budgets {budgets} do not flip the verdict: {expected}")
    port = free_port()
    app, app_seen = _time_changes(start_app(port), port, expected)
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        peer_expected = {b: "EDGE" if b < 100 else "CLOUD" for b in budgets}
        peer, peer_seen = _time_changes(_start_peer(Path(folder), port), port, peer_expected)
    median, most = statistics.median(app), max(app)
    met = "met" if median < MEDIAN_AIM_S and most < MAX_AIM_S else "NOT met"
    print(
        _line("input change -> updated verdict on screen", app)
        + f"; aim median under {MEDIAN_AIM_S:g} s, max under {MAX_AIM_S:g} s: {met}"
    )
    print(_line("  the same changes as seen by Playwright's polling", app_seen))
    print(_line("  the peer, a trivial Streamlit app, on screen", peer))
    print(_line("  the peer as seen by Playwright's polling", peer_seen))


if __name__ == "__main__":
    main()

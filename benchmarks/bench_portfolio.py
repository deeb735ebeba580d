"""A 10,000-site portfolio with a location per site (issue #10 item 8): time and peak memory
to read the file, to validate it, and to evaluate it.

Targets (2 cores, quiet machine): reading and validating under 10 s, evaluating under 30 s,
peak memory under 1 GB. The file is about 0.7 MB, within the 1 MiB scenario file limit.
"""

from __future__ import annotations

import re
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
SITES = 10_000


def portfolio_text(n: int = SITES) -> str:
    """The hand-worked fixture with ``n`` named sites, each at its own location."""
    sites = "sites:\n  uplink_mbps: 100\n  list:\n" + "".join(
        f"  - name: site-{i}\n    location: {{lat: {40 + (i % 100) / 10}, lon: {i % 50}, "
        "country: DE}\n"
        for i in range(n)
    )
    fixture = (ROOT / "tests" / "fixtures" / "hand-worked.yaml").read_text(encoding="utf-8")
    return re.sub(r"sites:\n(  .*\n)+", sites, fixture)


def main() -> None:
    import edgecalc
    from edgecalc.scenario.yaml_io import parse

    text = portfolio_text()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "portfolio.yaml"
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        parse(text, str(path))
        parsed = time.perf_counter()
        scenario = edgecalc.load_scenario(path)
        loaded = time.perf_counter()
        edgecalc.evaluate(scenario)
        evaluated = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{SITES:,} sites ({len(text) / 1e6:.2f} MB): read YAML {parsed - start:.1f} s, "
        f"load and validate {loaded - parsed:.1f} s, evaluate {evaluated - loaded:.1f} s, "
        f"peak memory {peak_mb:,.0f} MB"
    )


if __name__ == "__main__":
    main()

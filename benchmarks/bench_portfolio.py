"""Portfolios: a 10,000-site YAML list (issue #10 item 8) and 10,000 site groups from a CSV
with per-group verdicts and the mixed plan (issue #16).

Targets (2 cores, quiet machine): the YAML list read and validated under 10 s, evaluated under
30 s, peak memory under 1 GB (the file is about 0.7 MB, within the 1 MiB scenario limit). The
CSV portfolio (``scripts/make_store_portfolio.py --towns 10000``: 10,000 groups of the store
scenario): load, evaluate and the portfolio (each group alone, the plans) under 10 s in all,
peak memory under 2 GB, a deterministic run.
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


def csv_portfolio(folder: Path, groups: int = SITES) -> Path:
    """The store scenario with ``groups`` site groups (50,000 stores) in a CSV in ``folder``."""
    import importlib.util
    import shutil

    spec = importlib.util.spec_from_file_location(
        "make_store_portfolio", ROOT / "scripts" / "make_store_portfolio.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (folder / "store-portfolio.csv").write_text(
        module.csv_text(stores=5 * groups, towns=groups), encoding="utf-8"
    )
    shutil.copytree(ROOT / "scenarios" / "base", folder / "base")
    shutil.copy(ROOT / "scenarios" / "store-portfolio.yaml", folder)
    return folder / "store-portfolio.yaml"


def bench_csv_portfolio() -> None:
    import edgecalc
    from edgecalc.pipeline.compute import compute
    from edgecalc.pipeline.prepare import prepare
    from edgecalc.portfolio.build import build_portfolio

    with tempfile.TemporaryDirectory() as folder:
        path = csv_portfolio(Path(folder))
        start = time.perf_counter()
        scenario = edgecalc.load_scenario(path)
        loaded = time.perf_counter()
        resolved = prepare(scenario)
        prepared = time.perf_counter()
        fleet = compute(resolved)
        computed = time.perf_counter()
        portfolio = build_portfolio(resolved, fleet)
        built = time.perf_counter()
        edgecalc.evaluate(scenario)
        evaluated = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(portfolio.groups):,} site groups from a CSV: load and validate "
        f"{loaded - start:.1f} s, resolve {prepared - loaded:.1f} s, the fleet's engine run "
        f"{computed - prepared:.1f} s, the portfolio (each group alone, the plans) "
        f"{built - computed:.1f} s: {built - start:.1f} s in all (aim < 10 s); the whole "
        f"Result (evaluate) {evaluated - built:.1f} s; peak memory {peak_mb:,.0f} MB "
        f"(aim < 2,048 MB); mixed plan {portfolio.mixed['options_used']}"
    )


def main() -> None:
    bench_csv_portfolio()
    bench_yaml_list()


def bench_yaml_list() -> None:
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

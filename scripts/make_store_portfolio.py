"""Generate the store chain's sites CSV behind ``scenarios/store-portfolio.yaml``.

5,000 stores in 40 towns (one row per town, ``count`` its stores), seeded so that the file
is the same on every run (tests/portfolio/test_store_portfolio.py re-generates it and compares):

- 23 US towns and cities on fibre (100-500 Mbit/s up);
- 13 rural US towns on LTE (3-6 Mbit/s up), with about a third as many stores a town;
- 4 Canadian towns on fibre (their raw frames must stay in Canada, and the cloud region is in
  the US);
- counts are drawn (40-90, 5-25 and 5-20 a town), then scaled so that the total is exactly
  5,000.

Usage: ``python scripts/make_store_portfolio.py [OUT.csv] [--stores N] [--towns N]``
(default ``scenarios/store-portfolio.csv``); ``--towns 10000`` makes the benchmark's file.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
DEFAULT_OUT = ROOT / "scenarios" / "store-portfolio.csv"
SEED = 16
STORES = 5_000
TOWNS = 40
HEADER = "name,count,lat,lon,country,uplink_mbps,access,inferences_per_second"

URBAN_CENTRES = (
    ("Chicago", 41.88, -87.63),
    ("Atlanta", 33.75, -84.39),
    ("Dallas", 32.78, -96.80),
    ("Houston", 29.76, -95.37),
    ("Phoenix", 33.45, -112.07),
    ("Denver", 39.74, -104.99),
    ("Seattle", 47.61, -122.33),
    ("Los Angeles", 34.05, -118.24),
    ("New York", 40.71, -74.01),
    ("Boston", 42.36, -71.06),
    ("Miami", 25.76, -80.19),
    ("Minneapolis", 44.98, -93.27),
)
RURAL_CENTRES = (
    ("Montana", 46.9, -110.4),
    ("Wyoming", 43.0, -107.5),
    ("Nebraska", 41.5, -99.9),
    ("Kansas", 38.5, -98.4),
    ("Dakota", 44.4, -100.3),
    ("New Mexico", 34.4, -106.1),
)
CANADA_CENTRES = (
    ("Toronto", 43.65, -79.38),
    ("Montreal", 45.50, -73.57),
    ("Calgary", 51.05, -114.07),
    ("Vancouver", 49.28, -123.12),
)


def rows(stores: int = STORES, towns: int = TOWNS, seed: int = SEED) -> list[str]:
    """The CSV's data rows: one per town, counts adding up to ``stores``."""
    rng = random.Random(seed)
    urban, rural = round(towns * 7 / 12), round(towns * 4 / 12)
    canada = towns - urban - rural
    plan = (
        [("urban", URBAN_CENTRES, "US", "fibre", (100, 500), (40, 90))] * urban
        + [("rural", RURAL_CENTRES, "US", "lte", (3, 6), (5, 25))] * rural
        + [("canada", CANADA_CENTRES, "CA", "fibre", (100, 300), (5, 20))] * canada
    )
    counts = [rng.randint(*p[5]) for p in plan]
    scale = stores / sum(counts)
    counts = [max(1, round(c * scale)) for c in counts]
    counts[-1] = max(1, counts[-1] + stores - sum(counts))
    out = []
    for n, ((kind, centres, country, access, uplink, _), count) in enumerate(
        zip(plan, counts, strict=True)
    ):
        name, lat, lon = centres[n % len(centres)]
        lat += rng.uniform(-1.5, 1.5)
        lon += rng.uniform(-1.5, 1.5)
        rate = rng.choice((1.5, 2, 2, 2.5))  # frames per second per store
        up = rng.randint(*uplink)
        out.append(
            f"{kind}-{n + 1:05d} {name},{count},{lat:.3f},{lon:.3f},{country},{up},{access},{rate}"
        )
    return out


def csv_text(stores: int = STORES, towns: int = TOWNS, seed: int = SEED) -> str:
    """The whole file: header and rows, one line each."""
    return "\n".join([HEADER, *rows(stores, towns, seed)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--stores", type=int, default=STORES)
    parser.add_argument("--towns", type=int, default=TOWNS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from edgecalc.io import write_atomic

    write_atomic(args.out, csv_text(args.stores, args.towns))
    print(f"{args.out}: {args.towns:,} rows, {args.stores:,} stores")
    return 0


if __name__ == "__main__":
    sys.exit(main())

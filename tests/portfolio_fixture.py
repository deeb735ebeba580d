"""A hand-built Portfolio of 23 site groups for the tests of its views (tables, map, diff).

Options cloud, edge and hub on the NPV basis. Five named groups carry the cases a reader
checks by hand; 18 generated ones fill the table past the 20 rows a report lists:

group          sites  cloud NPV       edge NPV   hub NPV         best   deciding
Berlin Mitte      40  400,000         520,000    450,000         cloud  default
Bavaria rural     40  380,000 (out)   300,000    350,000         edge   constraint: latency
Paris             30  300,000         200,000    240,000 (out)   edge   cost
Lyon              30  100,000          90,000    130,000         cloud  default
Island             5   50,000 (out)    90,000     60,000         hub    constraint: residency
g06 .. g23   19 .. 2  10,000 x sites; odd i: edge 7,000 x sites (best, cost), hub 8,000 x;
                      even i: edge 12,000 x, hub 11,000 x sites (cloud, default)

Totals are 1.25 × NPV. Sites: 40 + 40 + 30 + 30 + 5 + (19 + ... + 2 = 189) = 334.
With ``none_group=True`` the Island can be served by nothing (best ``none``).
"""

from __future__ import annotations

import math

import pandas as pd

from edgecalc.results.portfolio import Portfolio

OPTIONS = ("cloud", "edge", "hub")
NAMED = [
    # group, sites, lat, lon, country, access, (cloud, edge, hub) NPV, why_not, best, deciding
    ("Berlin Mitte", 40, 52.52, 13.40, "DE", "fibre", (400_000, 520_000, 450_000),
     ("", "", ""), "cloud", "default"),
    ("Bavaria rural", 40, 48.90, 12.10, "DE", "lte", (380_000, 300_000, 350_000),
     ("latency: 180 ms over the 50 ms budget", "", ""), "edge", "constraint: latency"),
    ("Paris", 30, 48.86, 2.35, "FR", "fibre", (300_000, 200_000, 240_000),
     ("", "", "latency: metro link 60 ms over the 50 ms budget"), "edge", "cost"),
    ("Lyon", 30, 45.76, 4.84, "FR", "cable", (100_000, 90_000, 130_000),
     ("", "", ""), "cloud", "default"),
    ("Island", 5, 64.15, -21.94, "IS", "satellite", (50_000, 90_000, 60_000),
     ("residency: raw data must stay in IS", "", ""), "hub", "constraint: residency"),
]  # fmt: skip
GENERATED = range(6, 24)
"""Group g06 .. g23 has 25 - i sites: 19 .. 2."""


def _group_rows(none_group: bool) -> list[dict]:
    rows = []
    for name, sites, lat, lon, country, access, npv, why_not, best, deciding in NAMED:
        if none_group and name == "Island":
            why_not = (why_not[0], "fit: the model needs 16 GB, the device has 8 GB",
                       "residency: the hub is outside IS")  # fmt: skip
            best, deciding = "none", "none feasible"
        rows.append(_row(name, sites, lat, lon, country, access, npv, why_not, best, deciding))
    for i in GENERATED:
        sites = 25 - i
        odd = i % 2 == 1
        npv = (
            10_000 * sites,
            (7_000 if odd else 12_000) * sites,
            (8_000 if odd else 11_000) * sites,
        )
        best, deciding = ("edge", "cost") if odd else ("cloud", "default")
        lat, lon = 44.0 + 0.5 * i, -1.0 + 0.9 * i
        rows.append(_row(f"g{i:02d}", sites, lat, lon, "FR", "fibre", npv, ("", "", ""), best,
                         deciding))  # fmt: skip
    return rows


def _row(name, sites, lat, lon, country, access, npv, why_not, best, deciding) -> dict:
    row = {
        "group": name, "sites": sites, "lat": lat, "lon": lon, "country": country,
        "access": access, "inferences_per_second": 2.0,
    }  # fmt: skip
    for option, value, why in zip(OPTIONS, npv, why_not, strict=True):
        row[f"{option}_total_usd"] = 1.25 * value
        row[f"{option}_npv_usd"] = float(value)
        row[f"{option}_feasible"] = why == ""
        row[f"{option}_why_not"] = why
    row["best"] = best
    row["forced_off_cloud"] = deciding.startswith("constraint")
    row["deciding"] = deciding
    return row


PLANS = [
    # plan, npv, feasible, groups_infeasible, sites, options_used
    ("mixed", 1_500_000, True, 0, 334, "cloud, edge, hub"),
    ("all cloud", math.nan, False, 2, 289, "cloud"),
    ("all edge", 1_800_000, True, 0, 334, "edge"),
    ("all hub", math.nan, False, 1, 304, "hub"),
]
"""The plans (NPV; total = 1.25 × NPV). all cloud cannot serve Bavaria rural and Island
(334 - 45 = 289 sites), all hub cannot serve Paris (334 - 30 = 304)."""


def hand_built_portfolio(none_group: bool = False, basis: str = "npv") -> Portfolio:
    """The portfolio of the module docstring."""
    plans = pd.DataFrame(
        [
            {"plan": p, "total_usd": 1.25 * npv, "npv_usd": float(npv), "feasible": ok,
             "groups_infeasible": k, "sites": sites, "options_used": used}
            for p, npv, ok, k, sites, used in PLANS
        ]
    )  # fmt: skip
    return Portfolio(
        groups=pd.DataFrame(_group_rows(none_group)),
        plans=plans,
        options=OPTIONS,
        basis=basis,
        fixed_usd={"cloud": 0.0, "edge": 120_000.0, "hub": 80_000.0},
        reasons=("Bavaria rural and Island leave the cloud because a constraint forces it.",),
    )


CITY_AND_FARM = {
    "count": None,
    "list": [
        {"name": "city", "count": 3, "uplink_mbps": 100},
        {"name": "farm", "count": 1, "uplink_mbps": 4},
    ],
}
"""An override of ``sites`` for tests/fixtures/hand-worked.yaml (100 kB requests, 50 ms
budget): over city's 100 Mbit/s a request uploads in 0.8 Mbit / 100 Mbit/s = 8 ms, over farm's
4 Mbit/s in 0.8 / 4 = 200 ms, so the cloud serves city and not farm."""

"""Site-link bills of many groups in one call equal one bill per group."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import edgecalc
from edgecalc.costs.link import link_direction_bill
from edgecalc.costs.link_lines import _bills, site_traffic
from edgecalc.costs.options import Load
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs

ROOT = Path(__file__).resolve().parents[2]


def test_stacked_bills_equal_one_bill_per_group():
    """The store portfolio's LTE data plans and fibre links, billed for the cloud option."""
    resolved = prepare(edgecalc.load_scenario(ROOT / "scenarios" / "store-portfolio.yaml"))
    x = point_inputs(resolved)
    load = Load(x, resolved.groups, np.arange(60))
    traffic = site_traffic("cloud", x, load)
    bills = _bills(x, resolved.groups, traffic)
    terms = set()
    for i, (g, t) in enumerate(zip(resolved.groups, traffic, strict=True)):
        for term, beyond, has_allowance in g.link.terms:
            gb = t.upload_gb + t.download_gb if term == "data_plan" else getattr(t, f"{term}_gb")

            def col(name, g=g, term=term):
                return np.asarray(x[g.link.path(f"{term}.{name}")])[:, None]

            one = link_direction_bill(
                gb,
                col("usd_per_gb"),
                col("included_gb_per_month") if has_allowance else None,
                beyond,
                col("overage_usd_per_gb"),
            )
            np.testing.assert_array_equal(bills[i, term], one.usd_per_month)
            terms.add(term)
    assert terms == {"data_plan", "upload", "download"}


def test_an_lte_store_pays_its_plan_and_the_overage():
    """A store on the LTE data plan (100 GB included at $0, $8 per GB beyond): a month of
    1.5-2.5 frames/s x 3600 x 14 h x 30.4 days x 150,000 bytes (2,300-4,000 GB) up is far
    over the allowance, and each GB beyond it costs $8."""
    resolved = prepare(edgecalc.load_scenario(ROOT / "scenarios" / "store-portfolio.yaml"))
    x = point_inputs(resolved)
    load = Load(x, resolved.groups, np.arange(60))
    traffic = site_traffic("cloud", x, load)
    bills = _bills(x, resolved.groups, traffic)
    i = next(i for i, g in enumerate(resolved.groups) if g.link.terms[0][0] == "data_plan")
    gb = traffic[i].upload_gb + traffic[i].download_gb
    # usd = 0 x min(q, 100) + 8 x max(q - 100, 0)
    np.testing.assert_allclose(bills[i, "data_plan"], 8.0 * np.maximum(gb - 100.0, 0.0))
    assert float(bills[i, "data_plan"][0, 0]) > 0


def test_traffic_of_all_groups_at_once_equals_each_group_alone():
    """site_traffic stacks the groups: each group's figures are those of a load of it alone,
    for every kind (the edge's and hybrid's device traffic included)."""
    resolved = prepare(edgecalc.load_scenario(ROOT / "scenarios" / "store-portfolio.yaml"))
    x = point_inputs(resolved)
    groups = resolved.groups[:3] + resolved.groups[-2:]
    months = np.arange(60)
    for kind, prefix in (("cloud", "edge"), ("edge", "edge"), ("hybrid", "hybrid")):
        together = site_traffic(kind, x, Load(x, groups, months), prefix)
        for g, t in zip(groups, together, strict=True):
            (alone,) = site_traffic(kind, x, Load(x, [g], months), prefix)
            for name in ("upload_gb", "download_gb", "peak_upload_mbps", "peak_download_mbps"):
                np.testing.assert_array_equal(getattr(t, name), getattr(alone, name))
            assert (t.what_up, t.what_down) == (alone.what_up, alone.what_down)

"""Link lines and checks of many site groups at once equal adding one group at a time.

``link_lines`` and ``link_checks`` stack the groups on a leading axis (issue 18); the reference
here is the loop they replaced, kept verbatim in :func:`_one_group_at_a_time`: every item's
quantity and USD added group after group from 0.0, the checks or-ed group by group. The
scenario mixes every kind of link a group can have: a metered data plan with overage, upload
and download priced apart, a hard cap, a throttle, a failover link, and a group with no link.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edgecalc.costs.lines import line
from edgecalc.costs.link import failover_share
from edgecalc.costs.link_lines import _bills, _term_traffic, link_checks, link_lines, site_traffic
from edgecalc.costs.options import Load
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs
from edgecalc.scenario import load_scenario_text

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"

SITES = """\
sites:
  uplink_mbps: 100
  location: {lat: 48.14, lon: 11.58, country: DE}
  list:
    - name: plan
      count: 3
      link:
        technology: lte
        flat_usd_per_month: 60
        data_plan: {included_gb_per_month: 100, overage_usd_per_gb: 8}
    - name: metered
      count: 2
      inferences_per_second: 4
      link:
        flat_usd_per_month: 300
        vpn_usd_per_month: 25
        upload: {included_gb_per_month: 1000, usd_per_gb: 0.01, overage_usd_per_gb: 0.26}
        download: {usd_per_gb: 0.02}
        failover: {technology: lte, flat_usd_per_month: 40, usd_per_gb: 2}
    - name: capped
      count: 4
      link:
        upload: {included_gb_per_month: 1000, beyond_allowance: cap}
    - name: no link
      count: 5
    - name: throttled
      count: 1
      inferences_per_second: 20
      link:
        technology: fibre
        upload: {included_gb_per_month: 500, beyond_allowance: throttle, throttle_mbps: 5}
        failover: {technology: lte, flat_usd_per_month: 35, usd_per_gb: 3}
    - name: plan again
      count: 2
      inferences_per_second: 1
      link:
        technology: lte
        flat_usd_per_month: 60
        data_plan: {included_gb_per_month: 100, overage_usd_per_gb: 8}
"""


@pytest.fixture(scope="module")
def portfolio():
    text = FIXTURE.read_text()
    start = text.index("sites:\n")
    end = text.index("model:\n")
    scenario = load_scenario_text(text[:start] + SITES + text[end:])
    resolved = prepare(scenario)
    x = {k: np.repeat(v, 3) for k, v in point_inputs(resolved).items()}  # S = 3 samples
    x["workload.inferences_per_second"] = np.array([10.0, 2.0, 30.0])
    load = Load(x, resolved.groups, np.arange(24))
    return resolved, x, load


def _one_group_at_a_time(option, kind, x, groups, load, traffic):
    """The link lines as computed before issue 18: each group's arrays added in turn."""

    def col(path):
        return np.asarray(x[path], dtype=float)[:, None]

    shape = load.total_monthly.shape
    needs_wan = kind in ("cloud", "hybrid")
    items: dict[str, list] = {}

    def add(item, unit, quantity, usd, inputs):
        entry = items.setdefault(item, [unit, 0.0, 0.0, set()])
        entry[1] = entry[1] + quantity
        entry[2] = entry[2] + usd
        entry[3].update(inputs)

    bills = _bills(x, groups, traffic)
    for i, (group, count, t) in enumerate(zip(groups, load.count, traffic, strict=True)):
        link = group.link
        if link is None:
            continue
        months = np.ones(shape)
        for name, item in (
            ("flat_usd_per_month", "site link: flat fee"),
            ("vpn_usd_per_month", "site link: VPN / private link"),
        ):
            add(item, "site-months", count * months, count * col(link.path(name)) * months,
                (link.path(name),))  # fmt: skip
        for term, _, _ in link.terms:
            gb, _, what = _term_traffic(term, t)
            prices = (link.path(f"{term}.usd_per_gb"), link.path(f"{term}.overage_usd_per_gb"))
            add(f"site link: {term.replace('_', ' ')} ({what})", "GB", count * gb,
                count * bills[i, term], prices)  # fmt: skip
        if link.failover is not None and needs_wan:
            share = failover_share(
                col(link.path("availability")), col(link.path("failover.availability"))
            )
            path = link.path("failover.flat_usd_per_month")
            add("failover link: flat fee", "site-months", count * months,
                count * col(path) * months, (path,))  # fmt: skip
            carried = (t.upload_gb + t.download_gb) * share
            add("failover link: traffic while the main link is down", "GB", count * carried,
                count * carried * col(link.path("failover.usd_per_gb")),
                (link.path("failover.usd_per_gb"), link.path("failover.availability")))  # fmt: skip
    lines = []
    for item, (unit, quantity, usd, inputs) in items.items():
        quantity = np.broadcast_to(np.asarray(quantity, dtype=float), shape)
        usd = np.broadcast_to(np.asarray(usd, dtype=float), shape)
        if not np.any(usd != 0):
            continue
        unit_usd = np.divide(usd, quantity, out=np.zeros(shape), where=quantity > 0)
        lines.append(line(option, "network", item, unit, quantity, unit_usd,
                          inputs=tuple(sorted(inputs)), usd=usd, shape=shape))  # fmt: skip
    return lines


@pytest.mark.parametrize(
    ("kind", "prefix"), [("cloud", "cloud"), ("edge", "edge"), ("hybrid", "hybrid")]
)
def test_stacked_link_lines_equal_one_group_at_a_time(portfolio, kind, prefix):
    resolved, x, load = portfolio
    traffic = site_traffic(kind, x, load, prefix)
    got = link_lines(kind, kind, x, resolved.groups, load, traffic)
    want = _one_group_at_a_time(kind, kind, x, resolved.groups, load, traffic)
    assert [ln.item for ln in got] == [ln.item for ln in want]
    for a, b in zip(got, want, strict=True):
        assert (a.unit, a.inputs) == (b.unit, b.inputs)
        for name in ("quantity", "unit_usd", "usd"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=a.item)
    if kind == "cloud":  # every kind of item is there: the test compares something
        assert {ln.item for ln in got} >= {
            "site link: flat fee",
            "site link: VPN / private link",
            "site link: data plan (raw inputs; results)",
            "site link: upload (raw inputs)",
            "site link: download (results)",
            "failover link: flat fee",
            "failover link: traffic while the main link is down",
        }


def test_link_fees_are_shared_between_options_of_one_load(portfolio):
    """The flat fees are kept on the load: the cloud's and hybrid's lines read one array."""
    resolved, x, load = portfolio
    cloud, hybrid = (
        link_lines(kind, kind, x, resolved.groups, load, site_traffic(kind, x, load, kind))
        for kind in ("cloud", "hybrid")
    )
    flat = "site link: flat fee"
    (a,) = (ln for ln in cloud if ln.item == flat)
    (b,) = (ln for ln in hybrid if ln.item == flat)
    assert np.shares_memory(a.usd, b.usd)
    assert (a.option, b.option) == ("cloud", "hybrid")


def test_stacked_link_checks_equal_one_group_at_a_time(portfolio):
    resolved, x, load = portfolio
    traffic = site_traffic("cloud", x, load)
    checks = {c.constraint: c for c in link_checks("cloud", x, resolved.groups, traffic)}
    assert set(checks) == {"link_cap", "link_throttle"}
    for constraint in checks:
        alone = [
            link_checks("cloud", x, [g], [t]) for g, t in zip(resolved.groups, traffic, strict=True)
        ]
        masks = [c.mask for found in alone for c in found if c.constraint == constraint]
        texts = [c.text for found in alone for c in found if c.constraint == constraint and c.text]
        np.testing.assert_array_equal(checks[constraint].mask, np.logical_or.reduce(masks))
        assert checks[constraint].text == "; ".join(texts)
    # the capped group's sites send 10 x 3,600 x 730 x 100,000 / 1e9 = 2,628 GB a month at
    # 10 inferences/s (the first sample), over its 1,000 GB cap; 525.6 GB at 2/s, within it
    assert checks["link_cap"].mask.tolist() == [True, False, True]
    assert "(capped)" in checks["link_cap"].text

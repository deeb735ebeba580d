"""The load and the edge fleet of many site groups at once equal one group at a time.

``Load`` computes every group's monthly volume and peak in one call on a leading group axis,
and ``fleet_size`` sizes the groups' devices a block of groups at a time (issue 18). The
references here are the loops they replaced, kept verbatim: the same numbers to the last bit,
for inputs that mix values held at their point (shape (1,)) with sampled ones (S,), and for
blocks of one, a few and every group.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from edgecalc.costs import fleet_lines
from edgecalc.costs.fleet_lines import fleet_size, group_blocks, sized_fleet
from edgecalc.costs.options import Load, _col
from edgecalc.costs.sizing import units_needed
from edgecalc.costs.volume import monthly_inferences, peak_rate
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs
from edgecalc.scenario import load_scenario

PORTFOLIO = Path(__file__).parents[2] / "scenarios" / "store-portfolio.yaml"
SAMPLES = 7


def _reference_load(x, groups, load):
    """Load's per-group arrays as the loop computed them before (one call per group)."""
    col = _col(x)
    monthly = [
        monthly_inferences(
            col(g.inferences_per_second),
            col("workload.active_hours_per_day"),
            col("workload.active_days_per_week"),
            load.factor,
        )
        for g in groups
    ]
    peak = [
        peak_rate(col(g.inferences_per_second), col("workload.peak_to_average"), load.factor)
        for g in groups
    ]
    return monthly, peak


def _reference_fleet(x, load, prefix="edge"):
    """fleet_size as the loop computed it before (units_needed once per group)."""
    col = _col(x)
    redundancy = np.round(col("edge.redundancy"))
    serving = 0.0
    hot = 0.0
    for count, peak in zip(load.count, load.peak, strict=True):
        needed = units_needed(
            peak, col(f"{prefix}.inferences_per_second_per_device"), col("edge.target_utilization")
        )
        serving = serving + count * needed
        hot = hot + count * np.where(needed > 0, redundancy, 0.0)
    return sized_fleet(serving, hot, col("edge.depot_spare_fraction"), x["edge.refresh_months"])


@pytest.fixture(scope="module")
def mixed_inputs():
    """The portfolio's 40 groups, every third group's rate sampled (S,), the others held (1,),
    growth and peak-to-average sampled, the device throughput held."""
    r = prepare(load_scenario(PORTFOLIO))
    x = dict(point_inputs(r))
    rng = np.random.default_rng(18)
    for i, g in enumerate(r.groups):
        if i % 3 == 0:
            x[g.inferences_per_second] = x[g.inferences_per_second][0] * rng.uniform(
                0.5, 2.0, SAMPLES
            )
    x["workload.growth_per_year"] = rng.uniform(0.0, 0.4, SAMPLES)
    x["workload.peak_to_average"] = rng.uniform(1.0, 3.0, SAMPLES)
    return r, x


def _same_bits(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def test_the_load_of_every_group_at_once_is_the_one_group_at_a_time_load(mixed_inputs):
    r, x = mixed_inputs
    load = Load(x, r.groups, np.arange(60))
    monthly, peak = _reference_load(x, r.groups, load)
    assert load.monthly_by_group.shape == (len(r.groups), SAMPLES, 60)
    assert all(_same_bits(a, b) for a, b in zip(load.monthly, monthly, strict=True))
    assert all(_same_bits(a, b) for a, b in zip(load.peak, peak, strict=True))
    total = sum(c * m for c, m in zip(load.count, monthly, strict=True))
    assert _same_bits(load.total_monthly, total)


@pytest.mark.parametrize("block_bytes", [1, 3 * 8 * SAMPLES * 60, fleet_lines.GROUP_BLOCK_BYTES])
def test_the_fleet_a_block_of_groups_at_a_time_is_the_one_group_at_a_time_fleet(
    mixed_inputs, monkeypatch, block_bytes
):
    # blocks of one group, of three groups (the last one shorter), and of all 40
    r, x = mixed_inputs
    load = Load(x, r.groups, np.arange(60))
    monkeypatch.setattr(fleet_lines, "group_blocks", lambda shape: group_blocks(shape, block_bytes))
    got, want = fleet_size(x, load), _reference_fleet(x, load)
    for field in ("on_site", "hot_spares", "depot", "bought"):
        assert _same_bits(getattr(got, field), getattr(want, field)), field


def test_group_blocks_cover_every_group_once_within_the_bound():
    blocks = group_blocks((40, 2_000, 60), block_bytes=4 * 2**20)  # 960,000 bytes a group
    assert [b.stop - b.start for b in blocks] == [4] * 10
    assert group_blocks((0, 1, 60)) == []
    # a group larger than the bound still gets a block of its own
    assert group_blocks((2, 10**6, 60), block_bytes=1) == [slice(0, 1), slice(1, 2)]


def test_one_evaluate_sizes_the_edge_fleet_once(monkeypatch):
    # the edge option, hybrid on the same device and the operations figures share one sizing
    # (the engine copies its input mapping, not the arrays; the operations figures use the
    # engine's load)
    import edgecalc

    calls = []
    sizing = fleet_lines._fleet_size
    monkeypatch.setattr(
        fleet_lines, "_fleet_size", lambda *args: calls.append(args[2]) or sizing(*args)
    )
    result = edgecalc.evaluate(PORTFOLIO)
    assert calls == ["edge"]
    ops = result.operations
    assert ops["edge"].devices_installed_mean == ops["hybrid"].devices_installed_mean > 0

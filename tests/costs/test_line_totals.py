"""A cost line's total is computed when read, and an option's monthly sum does not keep them.

``line()`` without a given total keeps ``quantity`` and ``unit_usd``; ``CostLine.usd`` is their
product on first read. ``monthly_sum_usd`` adds the lines in order, multiplying the unread
ones into one scratch array: the numbers of ``sum(ln.usd for ln in lines)``, to the bit, while
an engine call holds one array per option instead of one per line.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from edgecalc.costs.lines import SharedSums, line, monthly_sum_usd
from edgecalc.pipeline.compute import compute
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs
from edgecalc.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def _unread(ln) -> bool:
    return ln.given_usd is None and "usd" not in ln.__dict__


def test_a_total_is_the_product_read_on_first_access():
    # 3 devices x $40 and 5 devices x $40 in two months: $120 and $200
    ln = line("edge", "hardware", "devices", "devices", [[3.0, 5.0]], [[40.0]], shape=(1, 2))
    assert _unread(ln)
    np.testing.assert_array_equal(ln.usd, [[120.0, 200.0]])
    assert ln.usd is ln.usd  # kept once read


def test_a_product_smaller_than_the_line_is_computed_at_once_and_broadcast():
    # one price per sample times one quantity for every month: (2, 1) x (1,) in a (2, 3) line
    ln = line("cloud", "labour", "ops", "FTE-months", [[0.5], [0.25]], [10_000.0], shape=(2, 3))
    assert ln.given_usd is not None
    np.testing.assert_array_equal(ln.usd, [[5_000.0] * 3, [2_500.0] * 3])
    assert ln.usd.shape == (2, 3)


def test_a_given_total_is_the_lines_usd():
    # a tiered bill: 150 GB at $0.09 for the first 100 GB and $0.05 above = $11.50
    ln = line("cloud", "transfer", "out", "GB", [[150.0]], [[11.5 / 150]], usd=[[11.5]])
    np.testing.assert_array_equal(ln.usd, [[11.5]])


def test_the_monthly_sum_adds_by_hand_and_keeps_no_line():
    shape = (2, 3)
    devices = line("edge", "hardware", "d", "devices", [[1, 2, 3], [4, 5, 6]], 10.0, shape=shape)
    power = line("edge", "power", "p", "kWh", [[2, 2, 2], [1, 1, 1]], [[0.5], [2.0]], shape=shape)
    flat = line("edge", "software", "s", "devices", 1.0, [[4.0]], shape=shape)
    lines = [devices, power, flat]
    got = monthly_sum_usd(lines)
    # sample 0: 10, 20, 30 + 1, 1, 1 + 4 each; sample 1: 40, 50, 60 + 2, 2, 2 + 4 each
    np.testing.assert_array_equal(got, [[15.0, 25.0, 35.0], [46.0, 56.0, 66.0]])
    assert _unread(devices) and _unread(power)
    # the very numbers of the sum of the totals, once read
    np.testing.assert_array_equal(got, sum(ln.usd for ln in lines))


def test_the_monthly_sum_turns_a_negative_zero_into_zero_as_sum_does():
    credit = line("edge", "residual", "r", "devices", [[-0.0, 1.0]], 5.0, shape=(1, 2))
    got = monthly_sum_usd([credit])
    assert not np.signbit(got).any()
    np.testing.assert_array_equal(np.signbit(got), np.signbit(sum([credit.usd])))


def _random_lines(rng, option, category, count, shape):
    """``count`` lines of lognormal quantities (S, M) times lognormal per-sample prices."""
    return [
        line(option, category, f"l{i}", "u", rng.lognormal(size=shape),
             rng.lognormal(size=(shape[0], 1)), shape=shape)
        for i in range(count)
    ]  # fmt: skip


def test_a_read_line_and_an_unread_one_give_the_same_sum():
    lines = _random_lines(np.random.default_rng(5), "x", "compute", 6, (50, 24))
    unread = monthly_sum_usd(lines)
    for ln in lines[::2]:
        ln.usd  # noqa: B018  (read some of them first)
    np.testing.assert_array_equal(monthly_sum_usd(lines), unread)


def test_a_relabelled_line_keeps_its_arrays_and_its_read_total():
    ln = line(
        "edge",
        "hardware",
        "d",
        "devices",
        [[1.0, 2.0]],
        [[3.0, 3.0]],
        ("edge.device_usd",),
        shape=(1, 2),
    )
    total = ln.usd
    other = ln.relabelled("hybrid", ("hybrid.device_usd",))
    assert (other.option, other.inputs) == ("hybrid", ("hybrid.device_usd",))
    assert other.quantity is ln.quantity and other.usd is total


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_an_engine_call_leaves_line_totals_unread_and_its_sums_are_the_lines(path):
    scenario = load_scenario(path)
    resolved = prepare(scenario, base_dir=path.parent)
    out = compute(resolved, point_inputs(resolved))
    lazy = [ln for option in out.options.values() for ln in option.lines if _unread(ln)]
    assert lazy  # the engine summed these lines without reading their totals
    for option in out.options.values():
        np.testing.assert_array_equal(option.monthly_usd, sum(ln.usd for ln in option.lines) + 0.0)


def test_the_memory_an_engine_call_holds_is_without_the_line_totals():
    # 2,000 samples of the hybrid fixture: the totals, once read, add their arrays' bytes
    path = ROOT / "scenarios" / "hybrid-self-checkout.yaml"
    resolved = prepare(load_scenario(path), base_dir=path.parent)
    x = {k: np.repeat(v, 2_000) for k, v in point_inputs(resolved).items()}
    tracemalloc.start()
    try:
        out = compute(resolved, x)
        held = tracemalloc.get_traced_memory()[0]
        lazy = [ln for option in out.options.values() for ln in option.lines if _unread(ln)]
        totals = [ln.usd for ln in lazy]
        added = tracemalloc.get_traced_memory()[0] - held
    finally:
        tracemalloc.stop()
    would_be = sum(t.nbytes for t in totals)
    assert would_be >= 10 * 2_000 * 8  # at least ten (samples x months) line totals
    assert added >= 0.95 * would_be  # none of them was held by the engine call


# ------------------------------------------------------------------ lines that add nothing


def test_a_line_priced_at_exactly_zero_is_skipped_yet_reads_zero_and_the_sum_is_unchanged(
    monkeypatch,
):
    shape = (3, 4)
    rng = np.random.default_rng(11)
    devices = line("edge", "hardware", "d", "devices", rng.lognormal(size=shape), 7.0, shape=shape)
    free = line("edge", "telemetry", "t", "GB", rng.lognormal(size=shape), [[0.0]], shape=shape)
    credit = line(
        "edge", "residual", "r", "devices", -rng.lognormal(size=shape), [[-0.0]], shape=shape
    )
    assert free.zero_price and credit.zero_price and not devices.zero_price
    lines = [free, devices, credit]
    multiplied = []
    real_multiply = np.multiply

    def counting(*args, **kwargs):
        multiplied.append(args[0])
        return real_multiply(*args, **kwargs)

    import edgecalc.costs.lines as lines_module

    monkeypatch.setattr(lines_module.np, "multiply", counting)
    got = monthly_sum_usd(lines)
    monkeypatch.undo()
    assert not any(q is free.quantity or q is credit.quantity for q in multiplied)
    np.testing.assert_array_equal(got, sum(ln.usd for ln in lines))
    np.testing.assert_array_equal(np.signbit(got), np.signbit(sum(ln.usd for ln in lines)))
    np.testing.assert_array_equal(free.usd, np.zeros(shape))  # its total still reads 0
    assert free.usd.sum() == 0.0


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_a_zero_price_on_an_infinite_or_nan_quantity_is_added():
    # inf x 0 and nan x 0 are NaN: the sum must show it, as sum() does
    q = np.array([[1.0, np.inf, np.nan]])
    odd = line("x", "transfer", "t", "GB", q, [[0.0]], shape=(1, 3))
    base = line("x", "compute", "c", "h", [[1.0, 2.0, 3.0]], 2.0, shape=(1, 3))
    got = monthly_sum_usd([base, odd])
    want = sum(ln.usd for ln in [base, odd])
    np.testing.assert_array_equal(got, want)
    assert np.isnan(got[0, 1]) and np.isnan(got[0, 2]) and got[0, 0] == 2.0


def test_a_full_size_zero_price_or_a_nan_price_is_not_taken_as_zero():
    shape = (2, 2)
    full = line("x", "updates", "u", "GB", np.ones(shape), np.zeros(shape), shape=shape)
    nan = line("x", "updates", "u", "GB", np.ones(shape), [[np.nan]], shape=shape)
    assert not full.zero_price and not nan.zero_price


def test_only_zero_lines_sum_to_positive_zeros_of_the_widest_line():
    a = line("x", "transfer", "in", "GB", [[-1.0, 2.0]], [[0.0]], shape=(1, 2))
    b = line("x", "telemetry", "t", "GB", np.ones((3, 2)), [[-0.0]], shape=(3, 2))
    got = monthly_sum_usd([a, b])
    want = sum(ln.usd for ln in [a, b])
    assert got.shape == want.shape == (3, 2)
    np.testing.assert_array_equal(got, want)
    assert not np.signbit(got).any()
    c = line("x", "compute", "c", "h", [[1.0, 2.0]], [[3.0]], shape=(1, 2))
    got = monthly_sum_usd([c, b])  # the skipped line spans more samples than the rest
    np.testing.assert_array_equal(got, sum(ln.usd for ln in [c, b]))
    assert got.shape == (3, 2) and got.flags.writeable


# ------------------------------------------------------------------ sums shared by options


def test_a_run_of_lines_two_options_begin_with_is_summed_once_to_the_same_numbers():
    rng = np.random.default_rng(2)
    shape = (40, 12)
    shared = _random_lines(rng, "edge", "hardware", 4, shape)
    own = line("edge", "updates", "u", "GB", rng.lognormal(size=shape), 0.5, shape=shape)
    other = line("hybrid", "updates", "u", "GB", rng.lognormal(size=shape), 0.25, shape=shape)
    tail = line("edge", "power", "p", "kWh", rng.lognormal(size=shape), 0.1, shape=shape)
    edge = [*shared, own, tail]
    hybrid = [*(ln.relabelled("hybrid", ln.inputs) for ln in shared), other, tail]
    sums = SharedSums()
    sums.mark(shared)
    got_edge = monthly_sum_usd(edge, sums)
    kept = sums.run_beginning(hybrid)[1][0]
    got_hybrid = monthly_sum_usd(hybrid, sums)
    np.testing.assert_array_equal(got_edge, monthly_sum_usd(edge))
    np.testing.assert_array_equal(got_hybrid, monthly_sum_usd(hybrid))
    np.testing.assert_array_equal(kept, monthly_sum_usd(shared))  # the run's sum, kept as is
    assert got_hybrid is not kept and got_edge is not kept
    assert monthly_sum_usd(shared, sums) is not kept  # the run alone: a copy of its sum
    np.testing.assert_array_equal(monthly_sum_usd(shared, sums), kept)


# ------------------------------------------------------------------ egress nothing billed


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_an_egress_line_is_its_bill_and_free_where_nothing_is_billed():
    from types import SimpleNamespace

    from edgecalc.costs.options import egress_line

    resolved = SimpleNamespace(egress_tiers=None)
    q = np.array([[0.0, 5.0, 99.0], [1.0, 2.0, 100.0]])

    def egress(free, price, q=q):
        x = {"cloud.egress_free_gb_per_month": np.array([free]),
             "cloud.egress_usd_per_gb": np.array([price])}  # fmt: skip
        return egress_line(x, resolved, q, q.shape, "edge", "updates", "u", inputs=())

    with_nan = np.array([[0.0, np.nan, 1.0], [-0.0, 2.0, 3.0]])
    for volumes in (q, with_nan):
        for price in (0.09, 0.0, -0.0, np.inf, np.nan, -0.05):
            for free in (100.0, 3.0, np.inf, 0.0):
                got = egress(free, price, volumes)
                bill = np.clip(volumes - free, 0.0, None) * price  # (q - free)+ x price
                np.testing.assert_array_equal(got.usd, bill)
                np.testing.assert_array_equal(np.signbit(got.usd), np.signbit(bill))
    # 3 GB free at $0.09: 5 GB -> 2 x 0.09 = $0.18, an average of 0.18 / 5 = $0.036/GB;
    # 0 GB -> an average of 0, not NaN
    billed = egress(3.0, 0.09)
    assert billed.usd[0, 1] == pytest.approx(0.18, rel=1e-15)
    assert billed.unit_usd[0, 1] == pytest.approx(0.036, rel=1e-15)
    assert billed.unit_usd[0, 0] == 0.0
    assert billed.stated_unit_usd is None  # the average is worked out only when read
    nothing = egress(100.0, 0.09)  # every month within the free 100 GB
    assert nothing.zero_price  # a line's sum skips it
    assert nothing.unit_usd.strides == (0, 0)  # zero, held as one value


def test_a_line_without_a_unit_price_needs_its_total():
    with pytest.raises(ValueError, match="needs its total"):
        line("edge", "updates", "u", "GB", np.ones((1, 2)), None, shape=(1, 2))
    # with its total: 3 GB for $0.27 is $0.09/GB on average, 0 GB gives 0, not NaN
    ln = line("edge", "updates", "u", "GB", np.array([[3.0, 0.0]]), None, usd=[[0.27, 0.0]])
    np.testing.assert_allclose(ln.unit_usd, [[0.09, 0.0]], rtol=1e-15)
    np.testing.assert_array_equal(ln.usd, [[0.27, 0.0]])

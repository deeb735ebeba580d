"""The cloud latency and the uplink check of every site group at once equal one group at a time.

The engine stacks the site groups on a leading axis (issue 18); the references here are the
loops it replaced, kept verbatim: :func:`edgecalc.latency.budget.cloud_latency_components` per
group, the worst group picked per sample, and the uplink ratio's running maximum group by group.
Inputs mix shapes as Monte Carlo gives them: some sampled (S,), some held at a point value (1,).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.costs.options import Load, peak_upload_mbps, uplink_exceeded
from edgecalc.latency.budget import cloud_latency_components
from edgecalc.pipeline import engine
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = 4


def _inputs(overrides=None):
    scenario = edgecalc.load_scenario(ROOT / "scenarios" / "store-portfolio.yaml", overrides)
    resolved = prepare(scenario)
    x = point_inputs(resolved)
    rng = np.random.default_rng(3)
    for g in resolved.groups[::3]:  # every third group sampled, the others at (1,)
        x[g.rtt_ms] = x[g.rtt_ms] * rng.uniform(0.5, 3.0, SAMPLES)
        x[g.uplink_mbps] = x[g.uplink_mbps] * rng.uniform(0.05, 2.0, SAMPLES)
    x["workload.request_bytes"] = x["workload.request_bytes"] * rng.uniform(0.5, 2, SAMPLES)
    return resolved, x, Load(x, resolved.groups, np.arange(24))


def _one_group(paths, g, i, bytes_path):
    """A group's cloud path as computed before issue 18."""
    x, s = paths.x, paths.r.scenario
    uplink = x[g.uplink_mbps]
    if s.sites.uplink_upgrade is not None:
        peak = paths.load.peak[i]
        if bytes_path == "hybrid.escalation_bytes":
            peak = peak * np.asarray(x["hybrid.escalation_rate"])[:, None]
        upgraded = uplink_exceeded(x, g, peak, bytes_path).max(axis=-1) > 0
        uplink = np.where(upgraded, x["sites.uplink_upgrade.uplink_mbps"], x[g.uplink_mbps])
    return cloud_latency_components(
        x[g.rtt_ms],
        x[bytes_path],
        x["workload.response_bytes"],
        uplink,
        x[g.downlink_mbps],
        x["cloud.inference_ms"],
        s.cloud.connection_reuse,
        s.cloud.tls,
    )


def _worst_of(per_group):
    samples = max(np.size(p["total"]) for p in per_group)
    totals = np.stack([np.broadcast_to(p["total"], (samples,)) for p in per_group])
    idx = np.argmax(totals, axis=0)
    return {
        k: np.stack([np.broadcast_to(p[k], (samples,)) for p in per_group])[idx, np.arange(samples)]
        for k in per_group[0]
    }


@pytest.mark.parametrize(
    "overrides",
    [None, {"sites.uplink_upgrade": {"uplink_mbps": 50, "usd_per_month": 40}}],
    ids=["plain", "upgrade"],
)
@pytest.mark.parametrize("bytes_path", ["workload.request_bytes", "hybrid.escalation_bytes"])
def test_stacked_cloud_latency_equals_one_group_at_a_time(overrides, bytes_path):
    resolved, x, load = _inputs(overrides)
    if bytes_path not in x:
        x[bytes_path] = x["workload.request_bytes"]
        x["hybrid.escalation_rate"] = np.array([0.1])
    paths = engine._LatencyPaths(x, resolved, load)
    parts = paths.cloud_parts(bytes_path)
    want = [_one_group(paths, g, i, bytes_path) for i, g in enumerate(resolved.groups)]
    got = engine._by_group(parts, len(resolved.groups))
    for a, b in zip(got, want, strict=True):
        assert list(a) == list(b)
        for k in a:
            # a group's row is (S,) where its own inputs alone would give (1,): the same numbers
            want_k = np.broadcast_to(b[k], (SAMPLES,))
            np.testing.assert_array_equal(np.broadcast_to(a[k], (SAMPLES,)), want_k, err_msg=k)
    worst, expected = engine._worst(parts), _worst_of(want)
    assert list(worst) == list(expected)
    for k in worst:
        np.testing.assert_array_equal(worst[k], expected[k], err_msg=k)


def _walk(ratios, uploads):
    """The uplink check's walk over the groups as it was before issue 18."""
    worst_ratio = worst_upload = None
    for ratio, upload in zip(ratios, uploads, strict=True):
        if worst_ratio is None or np.any(ratio > worst_ratio):
            worst_ratio = ratio if worst_ratio is None else np.maximum(worst_ratio, ratio)
            worst_upload = upload
    return worst_ratio, worst_upload


@pytest.mark.parametrize("with_nan", [False, True])
def test_running_worst_equals_the_walk_over_groups(with_nan):
    rng = np.random.default_rng(7)
    ratios = rng.choice([0.5, 1.0, 2.0, 3.0], size=(9, 6))  # ties on purpose
    if with_nan:
        ratios[3, 2] = np.nan
        ratios[5, 0] = np.nan
    uploads = rng.uniform(0, 10, size=(9, 6))
    got, want = engine._running_worst(ratios, uploads), _walk(ratios, uploads)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)


def test_uplink_check_equals_the_walk_over_groups():
    resolved, x, load = _inputs()
    got = engine._uplink(x, resolved, load, "workload.request_bytes", None)
    ratios, uploads = [], []
    for g, peak in zip(resolved.groups, load.peak, strict=True):
        upload = peak_upload_mbps(x, peak, "workload.request_bytes").max(axis=-1)
        uploads.append(upload)
        ratios.append(np.divide(upload, x[g.uplink_mbps] * x["sites.uplink_usable_fraction"]))
    ratio, upload = _walk(ratios, uploads)
    np.testing.assert_array_equal(got.figures["usable_ratio"], ratio)
    np.testing.assert_array_equal(got.figures["peak_upload_mbps"], upload)
    np.testing.assert_array_equal(got.mask, ratio > 1 + 1e-12)

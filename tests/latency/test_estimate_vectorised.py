"""The RTT estimate for many site groups in one call equals one call per group."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import edgecalc
from edgecalc.latency.estimate import estimate_rtt, method_sentences
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import Z90, Z95, _access_at_percentile

ROOT = Path(__file__).resolve().parents[2]
ROUTE = {"region": "aws/eu-central-1", "site_country": "DE", "region_country": "DE"}


@pytest.mark.parametrize("route", [ROUTE, {}, {"route_inflation": 2.1}])
def test_method_sentences_equal_one_estimate_per_distance(route):
    distances, access = [1000.0, 300.0, 0.0], [5.0, 2.5, 0.0]
    got = method_sentences(distances, access_ms=access, **route)
    pairs = zip(distances, access, strict=True)
    assert got == [estimate_rtt(d, access_ms=a, **route).method for d, a in pairs]


@pytest.mark.parametrize(
    "route",
    [ROUTE, {"region": "aws/us-east-1", "site_country": "CA", "region_country": "US"}, {}],
)
def test_method_sentences_of_many_distances_equal_one_estimate_each(route):
    """The words shared by every distance are put together once: the same sentences as one
    estimate per distance, for distances and access latencies of every size."""
    rng = np.random.default_rng(18)
    distances = np.concatenate([[0.0, 0.4, 999.5, 20_000.0], rng.uniform(0, 15_000, 40)])
    access = np.concatenate([[0.0, 0.05, 2.5, 1e-9], np.round(rng.uniform(0, 80, 40), 1)])
    got = method_sentences(distances, access_ms=access, **route)
    pairs = zip(distances.tolist(), access.tolist(), strict=True)
    assert got == [estimate_rtt(d, access_ms=a, **route).method for d, a in pairs]


def test_method_sentence_names_each_distance_alone():
    # 1,000 km: floor 2 x 1000 / 204.19 km/ms = 9.795 ms -> "9.8 ms"; 300 km: 2.938 -> "2.9 ms";
    # access 2.5 ms keeps its decimal, 5 ms is written without one
    first, second = method_sentences([1000.0, 300.0], access_ms=[5.0, 2.5], **ROUTE)
    assert first.startswith("great-circle 1,000 km; fibre floor 9.8 ms;")
    assert first.endswith("+access 5 ms")
    assert second.startswith("great-circle 300 km; fibre floor 2.9 ms;")
    assert second.endswith("+access 2.5 ms")


def test_every_store_groups_rtt_equals_its_own_estimate():
    """Resolve (one numpy call per country) gives each group the range the per-group formula
    gives: the backbone at p99 plus the access round trip, spread by the backbone's share."""
    resolved = prepare(edgecalc.load_scenario(ROOT / "scenarios" / "store-portfolio.yaml"))
    region, rtt = resolved.region, resolved.scenario.cloud.rtt
    checked = 0
    for g in resolved.groups[:: len(resolved.groups) // 6]:
        route = {
            "region": f"{region.provider}/{region.code}",
            "site_country": g.country,
            "region_country": region.country,
        }
        note = resolved.assumptions[g.rtt_ms].note
        access_ms, _ = _access_at_percentile(g, rtt, resolved.values, 99.0)
        backbone = estimate_rtt(g.distance_km, **route)
        at_pct = float(backbone.at_percentile(99.0)) + access_ms
        sigma = math.log(backbone.p90_ms / backbone.p50_ms) / Z90
        spread = math.exp(Z95 * sigma * float(backbone.at_percentile(99.0)) / at_pct)
        got = resolved.values[g.rtt_ms]
        assert got.low == pytest.approx(at_pct / spread, rel=1e-12)
        assert got.high == pytest.approx(at_pct * spread, rel=1e-12)
        assert got.min == pytest.approx(backbone.floor_ms + access_ms, rel=1e-12)
        assert note.startswith(estimate_rtt(g.distance_km, access_ms=access_ms, **route).method)
        checked += 1
    assert checked >= 6

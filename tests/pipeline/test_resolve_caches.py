"""What resolve keeps between calls (issue 18) is keyed on everything it depends on.

The site-to-region distance, the access round trip at the percentile and the per-country RTT
estimates are pure functions kept in ``functools.lru_cache``s; the figures of a scenario
resolved with every cache warm (after other scenarios filled them) equal the figures of the
same scenario resolved with every cache empty.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import edgecalc
from edgecalc.pipeline import fleet_ops, resolve, site_links
from edgecalc.pipeline.compute import compute
from edgecalc.pipeline.prepare import prepare
from edgecalc.pipeline.resolve import point_inputs

STORES = Path(__file__).resolve().parents[2] / "scenarios" / "store-portfolio.yaml"

CACHES = (
    resolve._distance_km,
    resolve._access_at,
    resolve._country_rtts,
    site_links.access_fact,
    site_links._availability_value,
    fleet_ops._site_down,
)


def _clear() -> None:
    for cache in CACHES:
        cache.cache_clear()


def _rtt_figures(overrides: dict) -> dict:
    r = prepare(edgecalc.load_scenario(STORES, overrides), base_dir=STORES.parent)
    return {
        g.name: (g.distance_km, r.values[g.rtt_ms], r.assumptions[g.rtt_ms].note) for g in r.groups
    } | {"method": r.rtt_method}


@pytest.mark.parametrize(
    "overrides",
    [
        {"latency.percentile": 95},
        {"cloud.region": "aws/us-west-2"},
        {"cloud.rtt.route_inflation": 2.1},
        {"sites.list.0.link.access_latency_ms": 45, "sites.list.0.link.access_latency_p90_ms": 90},
    ],
    ids=["percentile", "region", "route inflation", "access latency"],
)
def test_a_warm_cache_gives_what_an_empty_one_gives(overrides):
    _clear()
    cold = _rtt_figures(overrides)
    _clear()
    _rtt_figures({})  # the shipped scenario fills every cache first
    warm = _rtt_figures(overrides)
    assert warm == cold
    assert warm != _rtt_figures({})  # the edit moved the figures: the key saw it


def test_moving_a_site_moves_its_distance():
    scenario = edgecalc.load_scenario(STORES)
    first = scenario.sites.list[0]
    moved = scenario.model_copy(
        update={
            "sites": scenario.sites.model_copy(
                update={
                    "list": (
                        first.model_copy(
                            update={
                                "location": first.location.model_copy(
                                    update={"lat": first.location.lat + 5}
                                )
                            }
                        ),
                        *scenario.sites.list[1:],
                    )
                }
            )
        }
    )
    before = prepare(scenario).groups[0].distance_km
    after = prepare(moved).groups[0].distance_km
    assert after != before
    _clear()
    assert prepare(moved).groups[0].distance_km == after


def test_operations_section_with_the_engine_inputs_equals_its_own():
    """evaluate passes the point inputs the engine ran on (and so reuses its load); without them
    the section builds both itself: the same figures."""
    r = prepare(edgecalc.load_scenario(STORES))
    x = point_inputs(r)
    out = compute(r, x)
    assert repr(fleet_ops.operations_section(out, r, x)) == repr(
        fleet_ops.operations_section(out, r)
    )


def test_a_country_of_many_groups_is_estimated_afresh_with_the_same_figures(monkeypatch):
    want = _rtt_figures({})
    monkeypatch.setattr(resolve, "RTT_CACHE_MAX_GROUPS", 1)  # the US (36) and Canada (4)
    _clear()
    assert _rtt_figures({}) == want
    assert resolve._country_rtts.cache_info().currsize == 0

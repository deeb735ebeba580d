"""Access technologies: the catalog's figures carry sources, and they enter the RTT."""

import pytest

from edgecalc.latency import estimate_rtt
from edgecalc.latency.access import access_latency_at, access_technologies, access_technology
from edgecalc.latency.calibration import fitted_backbone


def test_every_figure_has_a_source_or_is_marked_an_assumption():
    technologies = access_technologies()
    assert set(technologies) == {
        "fibre",
        "cable",
        "dsl",
        "lte",
        "5g",
        "leo_satellite",
        "geo_satellite",
        "mpls",
    }
    for tech in technologies.values():
        for figure in (tech.latency_p50_ms, tech.latency_p90_ms, tech.availability):
            assert figure.source and figure.as_of
            if figure.assumption:
                assert "rule of thumb" in figure.source
        assert tech.latency_p90_ms.value >= tech.latency_p50_ms.value > 0
        assert 0.9 < tech.availability.value < 1


def test_geo_satellite_is_above_its_physical_floor():
    # four legs of 35,786 km at the speed of light: 4 x 35,786 / 299,792.458 = 477.5 ms
    geo = access_technology("geo_satellite")
    assert geo.latency_p50_ms.value > 4 * 35786 / 299792.458 * 1000


def test_unknown_technology_names_the_known_ones():
    with pytest.raises(KeyError, match="known: fibre, cable"):
        access_technology("carrier_pigeon")


def test_rtt_of_an_lte_site_at_p95():
    # an LTE site 300 km from its region, latency at p95:
    # backbone p50 at 300 km: floor 2 x 300 / 204.19 = 2.9384 ms; k(300) = 2.2325 (flat below
    # the first knot at 630 km); 3 + 2.2325 x 2.9384 = 9.560 ms
    # LTE access at p95: 32 x exp(1.6449 x ln(64 / 32) / 1.2816) = 32 x 2.4343 = 77.897 ms
    # RTT at p95 = 9.560 + 77.897 = 87.46 ms
    lte = access_technology("lte")
    access_ms = access_latency_at(lte.latency_p50_ms.value, lte.latency_p90_ms.value, 95)
    assert access_ms == pytest.approx(77.897, abs=1e-3)
    assert fitted_backbone().inflation_at(300.0) == pytest.approx(2.2325, abs=1e-4)
    rtt = estimate_rtt(300.0, access_ms=access_ms)
    assert rtt.p50_ms == pytest.approx(87.46, abs=0.01)


def test_rtt_of_a_geo_satellite_site_at_p95():
    # a GEO site 2,000 km from its region (the gateway sits near the region's backbone):
    # floor 2 x 2,000 / 204.19 = 19.590 ms; k(2,000) between the knots 1,450.9 km (2.0390) and
    # 3,728.9 km (1.8009): w = ln(2000 / 1450.9) / ln(3728.9 / 1450.9) = 0.3210 / 0.9439 = 0.3401;
    # k = 2.0390 - 0.3401 x 0.2381 = 1.9580; backbone 3 + 1.9580 x 19.590 = 41.36 ms
    # GEO at p95: 600 x exp(1.6449 x ln(700 / 600) / 1.2816) = 600 x 1.2186 = 731.2 ms
    # RTT at p95 = 41.36 + 731.2 = 772.5 ms (the satellite site was estimated at 23 ms)
    geo = access_technology("geo_satellite")
    access_ms = access_latency_at(geo.latency_p50_ms.value, geo.latency_p90_ms.value, 95)
    assert access_ms == pytest.approx(731.2, abs=0.1)
    rtt = estimate_rtt(2000.0, access_ms=access_ms)
    assert rtt.p50_ms == pytest.approx(772.5, abs=0.2)


def test_access_latency_at_the_median_and_zero():
    assert access_latency_at(8.0, 12.0, 50) == pytest.approx(8.0)
    assert access_latency_at(8.0, 12.0, 90) == pytest.approx(12.0)
    assert access_latency_at(0.0, 0.0, 99) == 0.0
    with pytest.raises(ValueError, match="p90"):
        access_latency_at(10.0, 5.0, 90)

"""Operations labour and the edge/cloud operating-cost ratio."""

import math

import pytest

from edgecalc.operations import (
    compare_operating_cost,
    engineer_fte,
    engineer_usd_per_month,
    site_visit_usd_per_month,
)


def test_engineers_and_their_cost():
    # 500 devices / 250 per engineer = 2 FTE; 2 x 189,630 / 12 = 31,605 USD/month
    fte = engineer_fte(500, 250)
    assert float(fte) == 2.0
    assert float(engineer_usd_per_month(fte)) == pytest.approx(31_605.0)
    # cloud: a quarter of an engineer at 120k: 0.25 x 120,000 / 12 = 2,500
    assert float(engineer_usd_per_month(0.25, 120_000)) == pytest.approx(2_500.0)
    assert float(engineer_fte(0, 250)) == 0.0
    with pytest.raises(ValueError):
        engineer_fte(10, 0)


def test_site_visits():
    # 24 visits a year / 12 x 500 USD = 1,000 USD/month
    assert float(site_visit_usd_per_month(24, 500)) == pytest.approx(1_000.0)


@pytest.mark.parametrize(
    ("edge", "cloud", "ratio", "where"),
    [
        (30_000, 12_000, 2.5, "within the rule of thumb"),
        (5_000, 10_000, 0.5, "below the rule of thumb"),
        (40_000, 10_000, 4.0, "above the rule of thumb"),
    ],
)
def test_ratio_sentence_places_the_unsourced_claim(edge, cloud, ratio, where):
    comparison = compare_operating_cost(edge, cloud)
    assert comparison.ratio == pytest.approx(ratio)
    assert where in comparison.sentence
    assert "no published source" in comparison.sentence
    assert f"${edge:,}" in comparison.sentence


def test_ratio_sentence_names_its_parts_largest_first():
    comparison = compare_operating_cost(
        6_000, 2_000, {"labour": 5_000, "site_visits": 0, "software": 1_000}, {"labour": 2_000}
    )
    assert "made of edge: labour $5,000, software $1,000; cloud: labour $2,000" in (
        comparison.sentence
    )
    assert "site visits" not in comparison.sentence


def test_ratio_edge_cases():
    assert math.isinf(compare_operating_cost(100, 0).ratio)
    nothing = compare_operating_cost(0, 0)
    assert math.isnan(nothing.ratio)
    assert "cannot be tested" in nothing.sentence

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
        (30_000, 12_000, 2.5, "2.5x the cloud's operations ($30,000 vs $12,000 a month), within"),
        (5_000, 10_000, 0.5, "0.5x the cloud's operations ($5,000 vs $10,000 a month), below"),
        (40_000, 10_000, 4.0, "4x the cloud's operations ($40,000 vs $10,000 a month), above"),
    ],
)
def test_ratio_sentence_places_the_unsourced_claim(edge, cloud, ratio, where):
    comparison = compare_operating_cost(edge, cloud)
    assert comparison.ratio == pytest.approx(ratio)
    assert where in comparison.sentence
    assert "a practitioners' rule of thumb with no published source" in comparison.sentence
    assert "catalog: claims.edge_ops_cost_2_to_3x_cloud" in comparison.sentence
    assert "seed" not in comparison.sentence


def test_equal_costs_read_about_the_same():
    # 1,000 / 1,000 = 1.0: "1x the cloud" reads oddly; within 5% of 1 it is "about the same"
    sentence = compare_operating_cost(1_000, 1_000).sentence
    assert "about the same as the cloud's operations" in sentence


def test_a_cloud_without_labour_is_not_called_free():
    # regression: "Only edge has an operating cost ($4,001 vs $0)" while the cloud billed
    # $71,774 a month; the sentence names the cloud's whole bill and gives no ratio
    c = compare_operating_cost(4_001, 0, option="hybrid", cloud_total_usd_per_month=71_774)
    assert c.sentence.startswith("Operating the hybrid fleet costs $4,001 a month")
    assert "the cloud's whole bill, compute included, is $71,774 a month" in c.sentence
    assert "Only edge" not in c.sentence


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
    assert "cannot be compared" in nothing.sentence


def test_money_in_the_sentence_puts_the_sign_before_the_dollar():
    # the cloud's whole bill is not checked for sign: a credit reads -$500, never $-500
    c = compare_operating_cost(4_001, 0, option="hybrid", cloud_total_usd_per_month=-500)
    assert "the cloud's whole bill, compute included, is -$500 a month" in c.sentence
    big = compare_operating_cost(1_234_567.4, 2_000, {"labour": 1_234_567.4}, {"labour": 2_000})
    assert "($1,234,567 vs $2,000 a month)" in big.sentence
    assert "made of edge: labour $1,234,567; cloud: labour $2,000" in big.sentence
